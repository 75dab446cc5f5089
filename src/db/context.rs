//! The signed tenant context. Policies trust a tenant and user only when the
//! transaction also carries `app.context_token`, an HMAC-SHA256 the server makes
//! over them and a short expiry with a key that the app role can never read
//! (`platform.context_keys`, read only by the SECURITY DEFINER verifier
//! `platform.context_is_signed()`). SQL that sets the context itself, as an
//! injected statement would, gets no rows. See docs/threat-model.md.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context, Result};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use tokio_postgres::Client;

use super::TenantCtx;
use crate::clock::Clock;

/// How long a signed context may open a transaction: long enough for clock skew
/// between the server and PostgreSQL, short enough that a token leaked through a
/// log is stale. A transaction that began in time keeps its context.
pub const CONTEXT_TTL: Duration = Duration::from_secs(300);

/// The configuration variable that gives the key (64 hex digits) instead of
/// fetching it over the admin connection.
pub const KEY_ENV: &str = "TENANTBASE_CONTEXT_KEY";

/// The 32-byte signing key. Its Debug output never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct ContextKey([u8; 32]);

impl fmt::Debug for ContextKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ContextKey(..)")
    }
}

impl ContextKey {
    pub fn generate() -> Self {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        ContextKey(key)
    }

    pub fn from_hex(text: &str) -> Result<Self> {
        let bytes = hex::decode(text.trim()).context("the context key is not hexadecimal")?;
        let Ok(key) = <[u8; 32]>::try_from(bytes.as_slice()) else {
            bail!("the context key must be 32 bytes (64 hex digits), got {}", bytes.len());
        };
        Ok(ContextKey(key))
    }

    /// The key from `TENANTBASE_CONTEXT_KEY`, when set.
    pub fn configured() -> Result<Option<Self>> {
        match std::env::var(KEY_ENV) {
            Ok(text) => Ok(Some(Self::from_hex(&text).with_context(|| format!("reading {KEY_ENV}"))?)),
            Err(_) => Ok(None),
        }
    }

    /// The token for a context: `v1:<expires>:<hex HMAC>` over
    /// `v1:<tenant>:<user>:<expires>`, exactly the texts the transaction sets.
    pub fn sign(&self, tenant: &str, user: &str, expires: SystemTime) -> String {
        let expires = expires.duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        mac.update(format!("v1:{tenant}:{user}:{expires}").as_bytes());
        format!("v1:{expires}:{}", hex::encode(mac.finalize().into_bytes()))
    }

    /// Reads the installed key (needs a superuser, or tenantbase_platform).
    pub async fn fetch(admin: &Client) -> Result<Self> {
        let row = admin
            .query_opt("SELECT key FROM platform.context_keys", &[])
            .await
            .context("reading the context key (is the database migrated?)")?;
        let Some(row) = row else {
            bail!("no context key is installed: run tenantbase migrate");
        };
        let bytes: Vec<u8> = row.get(0);
        Ok(ContextKey(bytes.try_into().map_err(|_| anyhow::anyhow!("the stored context key is not 32 bytes"))?))
    }

    /// Installs the configured key (replacing another), or, with none configured,
    /// a fresh one when the database has none. Needs a superuser.
    pub async fn provision(admin: &Client, configured: Option<&ContextKey>) -> Result<()> {
        let (key, replace) = match configured {
            Some(key) => (key.clone(), true),
            None => (Self::generate(), false),
        };
        admin
            .execute("SELECT platform.install_context_key($1, $2)", &[&key.0.as_slice(), &replace])
            .await
            .context("installing the context key")?;
        Ok(())
    }
}

/// Signs tenant contexts with a key, counting their expiry from a clock.
#[derive(Clone, Debug)]
pub struct Signer {
    key: ContextKey,
    clock: Clock,
}

impl Signer {
    pub fn new(key: ContextKey, clock: Clock) -> Self {
        Signer { key, clock }
    }

    pub fn key(&self) -> &ContextKey {
        &self.key
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The simple-query text that opens a transaction acting as `ctx`, valid for [`CONTEXT_TTL`].
    pub fn begin_sql(&self, ctx: &TenantCtx) -> String {
        format!("BEGIN; {}", self.context_sql(ctx, CONTEXT_TTL))
    }

    /// The `SET LOCAL` statements of `ctx`, valid for `ttl` from the clock's now.
    pub fn context_sql(&self, ctx: &TenantCtx, ttl: Duration) -> String {
        ctx.context_sql(&self.key, self.clock.system_time() + ttl)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_with_hmac_sha256_over_the_context_texts() {
        // Expected value from Python's hmac module, an independent implementation.
        let key = ContextKey::from_hex(&"0b".repeat(32)).unwrap();
        let token = key.sign("t", "u", UNIX_EPOCH + Duration::from_secs(42));
        assert_eq!(token, "v1:42:3a83386b84ab3f0be96194f9c6dae6e8954334373ac76791f40ff7ab72ced792");
    }

    #[test]
    fn a_key_is_64_hex_digits_and_never_printed() {
        assert!(ContextKey::from_hex("abcd").is_err());
        assert!(ContextKey::from_hex(&"zz".repeat(32)).is_err());
        let key = ContextKey::from_hex(&"ab".repeat(32)).unwrap();
        assert_eq!(format!("{key:?}"), "ContextKey(..)");
    }
}
