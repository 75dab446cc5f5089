//! Sealing secrets before they reach the database: a store's platform
//! credentials are encrypted here (AES-256-GCM, bound to their tenant and store)
//! and the database only ever holds the sealed bytes, so no query, dump or
//! replica can return them in plain text.

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The environment variable holding the sealing key: 64 hex characters (32 bytes).
pub const KEY_ENV: &str = "TENANTBASE_SECRET_KEY";

const NONCE_LEN: usize = 12;

pub struct Sealer {
    key_id: String,
    cipher: Aes256Gcm,
}

impl Sealer {
    pub fn new(key: [u8; 32]) -> Self {
        // The key's id names it without revealing it, so sealed rows say which key opens them.
        let key_id = format!("k-{}", &hex::encode(Sha256::digest(key))[..12]);
        Sealer { key_id, cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&key)) }
    }

    /// The key from `TENANTBASE_SECRET_KEY`, when set.
    pub fn from_env() -> Result<Option<Self>> {
        match std::env::var(KEY_ENV) {
            Ok(text) => {
                let bytes = hex::decode(text.trim()).with_context(|| format!("{KEY_ENV} is not hex"))?;
                let key: [u8; 32] = match bytes.try_into() {
                    Ok(key) => key,
                    Err(_) => bail!("{KEY_ENV} must be 32 bytes (64 hex characters)"),
                };
                Ok(Some(Sealer::new(key)))
            }
            Err(_) => Ok(None),
        }
    }

    /// `TENANTBASE_SECRET_KEY` when set, else the key file of a private cluster's
    /// data directory, created (readable by its owner only) on first use.
    pub fn from_env_or_file(key_file: Option<&std::path::Path>) -> Result<Option<Self>> {
        if let Some(sealer) = Sealer::from_env()? {
            return Ok(Some(sealer));
        }
        let Some(path) = key_file else { return Ok(None) };
        if !path.exists() {
            write_key_file(path, &Aes256Gcm::generate_key(OsRng).into())?;
        }
        Ok(Some(Sealer::new(read_key_file(path)?)))
    }

    /// A random key that is never stored: what it seals can never be opened again.
    /// Good for sample data whose secrets are fake anyway.
    pub fn throwaway() -> Self {
        Sealer::new(Aes256Gcm::generate_key(OsRng).into())
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// Nonce followed by ciphertext and tag; only the same tenant and store open it.
    pub fn seal(&self, tenant_id: Uuid, owner_id: Uuid, plaintext: &[u8]) -> Vec<u8> {
        let nonce = Aes256Gcm::generate_nonce(OsRng);
        let aad = binding(tenant_id, owner_id);
        let sealed = self
            .cipher
            .encrypt(&nonce, Payload { msg: plaintext, aad: &aad })
            .expect("AES-GCM encryption of an in-memory buffer cannot fail");
        [nonce.as_slice(), &sealed].concat()
    }

    pub fn open(&self, tenant_id: Uuid, owner_id: Uuid, sealed: &[u8]) -> Result<Vec<u8>> {
        if sealed.len() <= NONCE_LEN {
            bail!("sealed secret is too short");
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let aad = binding(tenant_id, owner_id);
        self.cipher
            .decrypt(Nonce::from_slice(nonce), Payload { msg: ciphertext, aad: &aad })
            .map_err(|_| anyhow::anyhow!("sealed secret does not open with key {}", self.key_id))
    }
}

/// The sealing key in use: `TENANTBASE_SECRET_KEY` when set, else the key file
/// when it exists; never creates one.
pub fn current_key(key_file: Option<&Path>) -> Result<Option<[u8; 32]>> {
    if let Ok(text) = std::env::var(KEY_ENV) {
        return decode_key(&text).with_context(|| format!("{KEY_ENV} must be 32 bytes (64 hex characters)")).map(Some);
    }
    match key_file {
        Some(path) if path.exists() => read_key_file(path).map(Some),
        _ => Ok(None),
    }
}

/// Reads a key file of 64 hex characters.
pub fn read_key_file(path: &Path) -> Result<[u8; 32]> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    decode_key(&text).with_context(|| format!("{} does not hold a 32-byte hex key", path.display()))
}

/// Writes a new key file, readable by its owner only; refuses to overwrite one.
pub fn write_key_file(path: &Path, key: &[u8; 32]) -> Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    writeln!(file, "{}", hex::encode(key))?;
    Ok(())
}

fn decode_key(text: &str) -> Result<[u8; 32]> {
    hex::decode(text.trim()).ok().and_then(|b| b.try_into().ok()).context("not 32 bytes of hex")
}

/// A key encrypted under a passphrase, as a backup carries it: argon2id derives
/// the wrapping key (salted, 64 MiB, 3 passes: slow to guess), AES-256-GCM seals
/// the key with its own id as associated data, so a swapped id fails to open.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct WrappedKey {
    pub key_id: String,
    pub kdf: String,
    pub salt: String,
    pub nonce: String,
    pub ciphertext: String,
}

const KDF: &str = "argon2id m=65536 t=3 p=1";

fn wrapping_key(passphrase: &str, salt: &[u8]) -> Result<Aes256Gcm> {
    let params = argon2::Params::new(65536, 3, 1, Some(32)).map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = [0u8; 32];
    argon.hash_password_into(passphrase.as_bytes(), salt, &mut key).map_err(|e| anyhow::anyhow!("argon2: {e}"))?;
    Ok(Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&key)))
}

impl WrappedKey {
    pub fn wrap(key: &[u8; 32], passphrase: &str) -> Result<Self> {
        if passphrase.chars().count() < 12 {
            bail!("the passphrase must have at least 12 characters");
        }
        let salt: [u8; 16] = rand::random();
        let nonce = Aes256Gcm::generate_nonce(OsRng);
        let key_id = Sealer::new(*key).key_id;
        let ciphertext = wrapping_key(passphrase, &salt)?
            .encrypt(&nonce, Payload { msg: key, aad: key_id.as_bytes() })
            .map_err(|_| anyhow::anyhow!("wrapping the key failed"))?;
        Ok(WrappedKey {
            key_id,
            kdf: KDF.into(),
            salt: hex::encode(salt),
            nonce: hex::encode(nonce),
            ciphertext: hex::encode(ciphertext),
        })
    }

    pub fn unwrap_with(&self, passphrase: &str) -> Result<[u8; 32]> {
        if self.kdf != KDF {
            bail!("the key is wrapped with {}, which this tenantbase does not know", self.kdf);
        }
        let salt = hex::decode(&self.salt).context("salt")?;
        let nonce = hex::decode(&self.nonce).ok().filter(|n| n.len() == NONCE_LEN).context("nonce")?;
        let ciphertext = hex::decode(&self.ciphertext).context("ciphertext")?;
        let plain = wrapping_key(passphrase, &salt)?
            .decrypt(Nonce::from_slice(&nonce), Payload { msg: &ciphertext, aad: self.key_id.as_bytes() })
            .map_err(|_| anyhow::anyhow!("the passphrase does not open the sealing key {}", self.key_id))?;
        let key: [u8; 32] = plain.try_into().map_err(|_| anyhow::anyhow!("the wrapped key is not 32 bytes"))?;
        if Sealer::new(key).key_id != self.key_id {
            bail!("the unwrapped key is not {}", self.key_id);
        }
        Ok(key)
    }
}

fn binding(tenant_id: Uuid, owner_id: Uuid) -> Vec<u8> {
    [tenant_id.as_bytes().as_slice(), owner_id.as_bytes().as_slice()].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_tenant_and_owner() {
        let sealer = Sealer::new([7; 32]);
        let (tenant, store) = (Uuid::new_v4(), Uuid::new_v4());
        let sealed = sealer.seal(tenant, store, b"{\"token\":\"shpat_123\"}");
        assert!(!sealed.windows(9).any(|w| w == b"shpat_123"), "no plain text in the sealed bytes");
        assert_eq!(sealer.open(tenant, store, &sealed).unwrap(), b"{\"token\":\"shpat_123\"}");
        assert!(sealer.open(tenant, Uuid::new_v4(), &sealed).is_err(), "bound to its store");
        assert!(sealer.open(Uuid::new_v4(), store, &sealed).is_err(), "bound to its tenant");
        assert!(Sealer::new([8; 32]).open(tenant, store, &sealed).is_err(), "bound to its key");
        assert_ne!(Sealer::new([8; 32]).key_id(), sealer.key_id());
    }

    #[test]
    fn a_wrapped_key_opens_with_its_passphrase_only() {
        let wrapped = WrappedKey::wrap(&[7; 32], "correct horse battery").unwrap();
        assert_eq!(wrapped.key_id, Sealer::new([7; 32]).key_id());
        assert!(!wrapped.ciphertext.contains(&hex::encode([7u8; 32])));
        assert_eq!(wrapped.unwrap_with("correct horse battery").unwrap(), [7; 32]);
        assert!(wrapped.unwrap_with("correct horse batterY").is_err());
        let swapped = WrappedKey { key_id: Sealer::new([8; 32]).key_id().into(), ..wrapped };
        assert!(swapped.unwrap_with("correct horse battery").is_err(), "the id is bound to the key");
        assert!(WrappedKey::wrap(&[7; 32], "short").is_err());
    }
}
