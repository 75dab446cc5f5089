//! Sealing secrets before they reach the database: a store's platform
//! credentials are encrypted here (AES-256-GCM, bound to their tenant and store)
//! and the database only ever holds the sealed bytes, so no query, dump or
//! replica can return them in plain text.

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use anyhow::{bail, Context, Result};
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
            use std::io::Write;
            use std::os::unix::fs::OpenOptionsExt;
            let key: [u8; 32] = Aes256Gcm::generate_key(OsRng).into();
            let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
            writeln!(file, "{}", hex::encode(key))?;
        }
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let key: [u8; 32] = hex::decode(text.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .with_context(|| format!("{} does not hold a 32-byte hex key", path.display()))?;
        Ok(Some(Sealer::new(key)))
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
}
