//! The operator key: an ed25519 key that signs what must be checkable outside the
//! database (audit checkpoints, backup and export manifests). The database and its
//! backups never hold its private half: it lives in a file of the operator's
//! choosing (`--operator-key`, default outside the data directory), and verifying
//! needs only the public half (`<key>.pub`), which may be copied anywhere.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

/// The environment variable naming the operator key file.
pub const KEY_ENV: &str = "TENANTBASE_OPERATOR_KEY";

/// The default operator key file: in the user's configuration directory, never
/// beside the data it signs for.
pub fn default_key_path() -> PathBuf {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("tenantbase").join("operator.key")
}

/// The private half: signs.
pub struct OperatorKey {
    signing: SigningKey,
}

/// The public half: verifies; what an auditor or a restore needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey {
    verifying: VerifyingKey,
}

impl OperatorKey {
    pub fn generate() -> Self {
        OperatorKey { signing: SigningKey::generate(&mut OsRng) }
    }

    /// Reads the key at `path`.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| {
            format!("reading the operator key {} (create one with `tenantbase keys`)", path.display())
        })?;
        let bytes: [u8; 32] = hex::decode(text.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .with_context(|| format!("{} does not hold a 32-byte hex ed25519 key", path.display()))?;
        Ok(OperatorKey { signing: SigningKey::from_bytes(&bytes) })
    }

    /// Reads the key at `path`, first creating it (readable by its owner only) and its
    /// public half at `<path>.pub` when absent.
    pub fn load_or_create(path: &Path) -> Result<Self> {
        if path.exists() {
            return OperatorKey::load(path);
        }
        let key = OperatorKey::generate();
        key.write(path)?;
        Ok(key)
    }

    /// Writes the private half to `path` (mode 0600, refusing to overwrite) and the
    /// public half to `<path>.pub`.
    pub fn write(&self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .with_context(|| format!("creating the operator key {}", path.display()))?;
        writeln!(file, "{}", hex::encode(self.signing.to_bytes()))?;
        self.public().write(&public_path(path))
    }

    pub fn public(&self) -> PublicKey {
        PublicKey { verifying: self.signing.verifying_key() }
    }

    /// A detached signature of `message`, as base64.
    pub fn sign(&self, message: &[u8]) -> String {
        B64.encode(self.signing.sign(message).to_bytes())
    }
}

impl PublicKey {
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        PublicKey::from_hex(text.trim())
            .with_context(|| format!("{} does not hold an ed25519 public key", path.display()))
    }

    pub fn from_hex(text: &str) -> Result<Self> {
        let bytes: [u8; 32] = hex::decode(text).ok().and_then(|b| b.try_into().ok()).context("not 32 hex bytes")?;
        Ok(PublicKey { verifying: VerifyingKey::from_bytes(&bytes).context("not a valid ed25519 point")? })
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.verifying.to_bytes())
    }

    /// A short name for the key, written beside every signature so a verifier knows
    /// which key to look for after a rotation.
    pub fn key_id(&self) -> String {
        format!("op-{}", &hex::encode(Sha256::digest(self.verifying.to_bytes()))[..12])
    }

    pub fn write(&self, path: &Path) -> Result<()> {
        std::fs::write(path, format!("{}\n", self.to_hex())).with_context(|| format!("writing {}", path.display()))
    }

    /// Checks a base64 signature made by [`OperatorKey::sign`].
    pub fn verify(&self, message: &[u8], signature: &str) -> Result<()> {
        let bytes: [u8; 64] = B64
            .decode(signature.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .context("the signature is not 64 base64 bytes")?;
        if self.verifying.verify(message, &Signature::from_bytes(&bytes)).is_err() {
            bail!("the signature does not match (signed by another key, or the content was altered)");
        }
        Ok(())
    }
}

/// Where the public half of the key at `path` lives.
pub fn public_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".pub");
    PathBuf::from(name)
}

/// Signs a file: writes `<file>.sig` holding the key id and the signature.
pub fn sign_file(key: &OperatorKey, file: &Path) -> Result<PathBuf> {
    let content = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let sig_path = sibling(file, "sig");
    std::fs::write(&sig_path, format!("{} {}\n", key.public().key_id(), key.sign(&content)))
        .with_context(|| format!("writing {}", sig_path.display()))?;
    Ok(sig_path)
}

/// Checks `<file>.sig` against `file` with `public`.
pub fn verify_file(public: &PublicKey, file: &Path) -> Result<()> {
    let content = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let sig_path = sibling(file, "sig");
    let text = std::fs::read_to_string(&sig_path).with_context(|| format!("reading {}", sig_path.display()))?;
    let (key_id, signature) = text.trim().split_once(' ').context("a signature file holds `<key id> <signature>`")?;
    if key_id != public.key_id() {
        bail!("{} was signed by {key_id}, not by {}", file.display(), public.key_id());
    }
    public.verify(&content, signature).with_context(|| format!("{} fails its signature", file.display()))
}

fn sibling(file: &Path, extension: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(extension);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_and_an_altered_message_does_not() {
        let key = OperatorKey::generate();
        let signature = key.sign(b"tenant 1 head abc");
        key.public().verify(b"tenant 1 head abc", &signature).unwrap();
        assert!(key.public().verify(b"tenant 1 head abd", &signature).is_err());
        assert!(OperatorKey::generate().public().verify(b"tenant 1 head abc", &signature).is_err());
    }

    #[test]
    fn keys_round_trip_through_files_and_sign_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys").join("operator.key");
        let key = OperatorKey::load_or_create(&path).unwrap();
        assert_eq!(OperatorKey::load(&path).unwrap().public(), key.public());
        let public = PublicKey::load(&public_path(&path)).unwrap();
        assert_eq!(public, key.public());
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);

        let manifest = dir.path().join("manifest.json");
        std::fs::write(&manifest, b"{\"rows\": 3}").unwrap();
        sign_file(&key, &manifest).unwrap();
        verify_file(&public, &manifest).unwrap();
        std::fs::write(&manifest, b"{\"rows\": 4}").unwrap();
        assert!(verify_file(&public, &manifest).is_err());
    }
}
