//! Credentials: passwords hashed with argon2id (the crate's default parameters),
//! on the bounded pool of [`hashing`], each of whose threads keeps one [`Memory`]
//! for every hash it computes.

pub mod hashing;

use argon2::password_hash::{rand_core::OsRng, Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

/// argon2's working memory (19 MiB with the default parameters). Allocated afresh
/// for every hash, these blocks fragmented the allocator's per-thread arenas: 300
/// failed logins left 240 MB resident with two hashing threads. A hashing thread
/// keeps one and reuses it (argon2 writes every block before it reads one).
#[derive(Default)]
pub struct Memory(Vec<Block>);

impl Memory {
    fn blocks(&mut self, params: &Params) -> &mut [Block] {
        let count = params.block_count();
        if self.0.len() < count {
            self.0.resize(count, Block::default());
        }
        &mut self.0[..count]
    }
}

/// A new password's hash in the PHC string format, in memory of its own (seeding, start-up).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    hash_password_in(&mut Memory::default(), password)
}

pub fn hash_password_in(memory: &mut Memory, password: &str) -> anyhow::Result<String> {
    let fail = |e: &dyn std::fmt::Display| anyhow::anyhow!("hashing a password: {e}");
    let argon2 = Argon2::default();
    let params = argon2.params().clone();
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.as_salt().decode_b64(&mut salt_bytes).map_err(|e| fail(&e))?;
    let mut output = vec![0u8; params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN)];
    argon2
        .hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut output, memory.blocks(&params))
        .map_err(|e| fail(&e))?;
    let hash = PasswordHash {
        algorithm: Algorithm::default().ident(),
        version: Some(Version::default().into()),
        params: ParamsString::try_from(&params).map_err(|e| fail(&e))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&output).map_err(|e| fail(&e))?),
    };
    Ok(hash.to_string())
}

/// Whether `password` matches `hash` (any argon2 PHC string), computed in `memory`.
pub fn verify_password_in(memory: &mut Memory, password: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let algorithm = Algorithm::try_from(parsed.algorithm);
    let version = parsed.version.map_or(Ok(Version::default()), Version::try_from);
    let (Ok(algorithm), Ok(version), Ok(params)) = (algorithm, version, Params::try_from(&parsed)) else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let mut output = vec![0u8; expected.len()];
    let argon2 = Argon2::new(algorithm, version, params.clone());
    argon2.hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut output, memory.blocks(&params)).is_ok()
        // Output compares in constant time.
        && Output::new(&output).is_ok_and(|computed| computed == expected)
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    use super::*;

    #[test]
    fn hashes_match_the_argon2_crates_both_ways_in_reused_memory() {
        let mut memory = Memory::default();
        let ours = hash_password_in(&mut memory, "correct horse").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default().verify_password(b"correct horse", &parsed).is_ok());
        assert!(Argon2::default().verify_password(b"wrong horse", &parsed).is_err());
        let theirs =
            Argon2::default().hash_password(b"battery staple", &SaltString::generate(&mut OsRng)).unwrap().to_string();
        assert!(verify_password_in(&mut memory, "battery staple", &theirs));
        assert!(!verify_password_in(&mut memory, "battery stapler", &theirs));
        assert!(verify_password_in(&mut memory, "correct horse", &ours), "the same memory, used again");
        assert!(!verify_password_in(&mut memory, "correct horse", "not a hash"));
        let argon2i = Argon2::new(Algorithm::Argon2i, Version::V0x10, Params::new(8, 1, 1, Some(16)).unwrap())
            .hash_password(b"old", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        assert!(verify_password_in(&mut memory, "old", &argon2i), "other parameters are read from the hash");
        assert!(!verify_password_in(&mut memory, "new", &argon2i));
    }
}
