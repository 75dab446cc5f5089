//! The signed tenant context. A transaction acts in a tenant only through one
//! setting, `app.context = 'v2.<payload>.<signature>'`: the payload names the
//! tenant, the user, an expiry and the request's facts; the signature is an
//! HMAC-SHA256 with a key the app role can never read (`platform.context_keys`,
//! read only by the verifier `platform.context_field()`). Both parts are base64url,
//! so the setting's text can never be SQL. SQL that sets a context itself, as an
//! injected statement would, gets no rows. See docs/threat-model.md.

use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context, Result};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use tokio_postgres::Client;

use super::pool::RESET_SQL;
use super::TenantCtx;
use crate::clock::Clock;

/// How long a signed context may open a transaction: long enough for clock skew
/// between the server and PostgreSQL, short enough that a token leaked through a
/// log is stale. A transaction that began in time keeps its context.
pub const CONTEXT_TTL: Duration = Duration::from_secs(300);

/// How often a serving process re-reads the current key (and at once on
/// SIGHUP): a rotation's overlap must outlast it (docs/keys.md).
pub const KEY_REFRESH: Duration = Duration::from_secs(10);

/// How long a rotated-out key keeps verifying by default: every server has
/// re-read the key many times over, and every context signed with the old one
/// has expired.
pub const ROTATION_OVERLAP: Duration = Duration::from_secs(600);

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

    /// A name for the key that does not reveal it (a hash prefix).
    pub fn key_id(&self) -> String {
        use sha2::Digest;
        format!("c-{}", &hex::encode(Sha256::digest(self.0))[..12])
    }

    /// The key from `TENANTBASE_CONTEXT_KEY`, when set.
    pub fn configured() -> Result<Option<Self>> {
        match std::env::var(KEY_ENV) {
            Ok(text) => Ok(Some(Self::from_hex(&text).with_context(|| format!("reading {KEY_ENV}"))?)),
            Err(_) => Ok(None),
        }
    }

    /// The signed context of `ctx` until `expires`: `v2.<payload>.<signature>`,
    /// both base64url. The payload is eight fields joined by newlines: tenant,
    /// user, expires (unix seconds), API key, impersonator, request id, client
    /// address, user agent; free text loses its control characters (and with
    /// them any newline) and is cut to a bound.
    pub fn sign_context(&self, ctx: &TenantCtx, expires: SystemTime) -> String {
        let id = |v: Option<uuid::Uuid>| v.map(|v| v.to_string()).unwrap_or_default();
        let text = |v: &Option<String>, max: usize| {
            v.as_deref().unwrap_or_default().chars().filter(|c| !c.is_control()).take(max).collect::<String>()
        };
        let expires = expires.duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        let fields = [
            ctx.tenant_id.to_string(),
            id(ctx.user_id),
            expires.to_string(),
            id(ctx.meta.api_key_id),
            id(ctx.meta.impersonated_by),
            text(&ctx.meta.request_id, 128),
            ctx.meta.client_ip.map(|ip| ip.to_string()).unwrap_or_default(),
            text(&ctx.meta.user_agent, 512),
        ];
        self.sign_payload(&fields.join("\n"))
    }

    /// `v2.<base64url payload>.<base64url HMAC-SHA256 of 'v2.<base64url payload>'>`.
    pub fn sign_payload(&self, payload: &str) -> String {
        let signed = format!("v2.{}", URL_SAFE_NO_PAD.encode(payload.as_bytes()));
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        mac.update(signed.as_bytes());
        format!("{signed}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
    }

    /// Reads the current key (needs a superuser, or tenantbase_platform).
    pub async fn fetch(admin: &Client) -> Result<Self> {
        let row = admin
            .query_opt("SELECT key FROM platform.context_keys WHERE retires_at IS NULL", &[])
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

    /// Makes a new key the current one; the current one keeps verifying for
    /// `overlap`, keys whose overlap ended are dropped. Needs a superuser.
    /// Returns the new key.
    pub async fn rotate(admin: &Client, overlap: Duration) -> Result<Self> {
        let key = Self::generate();
        let overlap = format!("{} seconds", overlap.as_secs());
        admin
            .execute("SELECT platform.rotate_context_key($1, $2::text::interval)", &[&key.0.as_slice(), &overlap])
            .await
            .context("rotating the context key")?;
        Ok(key)
    }

    /// The ids of the keys a rotation keeps verifying, and until when (unix seconds).
    pub async fn retiring(admin: &Client) -> Result<Vec<(String, i64)>> {
        let rows = admin
            .query(
                "SELECT key, extract(epoch FROM retires_at)::bigint FROM platform.context_keys
                 WHERE retires_at > now() ORDER BY retires_at",
                &[],
            )
            .await?;
        rows.iter()
            .map(|row| {
                let bytes: Vec<u8> = row.get(0);
                let key = <[u8; 32]>::try_from(bytes.as_slice()).context("a stored context key is not 32 bytes")?;
                Ok((ContextKey(key).key_id(), row.get(1)))
            })
            .collect()
    }
}

/// Re-reads the current key every `every` and on SIGHUP, over a fresh admin
/// connection, and hands it to `signers`: after `tenantbase keys rotate context`
/// a serving process signs with the new key within `every`, no restart. A
/// failed read keeps the key it has (the old one verifies for the overlap).
pub fn spawn_key_refresh(admin: tokio_postgres::Config, signers: Vec<Signer>, every: Duration) {
    tokio::spawn(async move {
        let mut hangup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            match hangup.as_mut() {
                Some(signal) => tokio::select! {
                    _ = tick.tick() => {}
                    _ = signal.recv() => {}
                },
                None => {
                    tick.tick().await;
                }
            }
            let fetched = match super::connect(&admin).await {
                Ok(client) => ContextKey::fetch(&client).await,
                Err(err) => Err(err),
            };
            match fetched {
                Ok(key) => {
                    for signer in &signers {
                        if signer.set_key(key.clone()) {
                            tracing::info!(key = %key.key_id(), "now signing contexts with a new key");
                        }
                    }
                }
                Err(err) => tracing::warn!("re-reading the context key: {err:#}"),
            }
        }
    });
}

/// Signs tenant contexts with a key, counting their expiry from a clock.
/// Its clones share the key, so that replacing it reaches every pool.
#[derive(Clone, Debug)]
pub struct Signer {
    key: Arc<RwLock<ContextKey>>,
    clock: Clock,
}

impl Signer {
    pub fn new(key: ContextKey, clock: Clock) -> Self {
        Signer { key: Arc::new(RwLock::new(key)), clock }
    }

    /// The same key (shared) with another clock.
    pub fn with_clock(&self, clock: Clock) -> Self {
        Signer { key: self.key.clone(), clock }
    }

    pub fn key(&self) -> ContextKey {
        self.key.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Signs with `key` from now on; whether it differs from the key it had.
    pub fn set_key(&self, key: ContextKey) -> bool {
        let mut current = self.key.write().unwrap_or_else(PoisonError::into_inner);
        let changed = *current != key;
        *current = key;
        changed
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The simple-query text that opens a transaction acting as `ctx`, valid for
    /// [`CONTEXT_TTL`]: the reset, then the context.
    pub fn begin_sql(&self, ctx: &TenantCtx) -> String {
        format!("{RESET_SQL}; {}", self.context_sql(ctx, CONTEXT_TTL))
    }

    /// The `SET LOCAL` statements of `ctx`, valid for `ttl` from the clock's now.
    pub fn context_sql(&self, ctx: &TenantCtx, ttl: Duration) -> String {
        ctx.context_sql(&self.key(), self.clock.system_time() + ttl)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_with_hmac_sha256_over_the_base64url_payload() {
        // Expected value from Python's hmac and base64 modules, independent implementations.
        let key = ContextKey::from_hex(&"0b".repeat(32)).unwrap();
        let token = key.sign_payload("t\nu\n42\n\n\n\n\n");
        assert_eq!(token, "v2.dAp1CjQyCgoKCgo.FK2yUeygRarp2AUNz38VJ6IDpjutosAu5LdSpJiANWs");
    }

    #[test]
    fn a_context_is_letters_digits_dashes_underscores_and_dots_whatever_the_request_says() {
        let key = ContextKey::generate();
        let ctx =
            TenantCtx::new(uuid::Uuid::from_u128(1), uuid::Uuid::from_u128(2)).with_meta(super::super::RequestMeta {
                request_id: Some("r'1\\".into()),
                user_agent: Some("curl/8 '); DROP TABLE x; --\n\u{0}é".into()),
                ..Default::default()
            });
        let token = key.sign_context(&ctx, UNIX_EPOCH + Duration::from_secs(42));
        assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)), "{token}");
        let payload = URL_SAFE_NO_PAD.decode(token.split('.').nth(1).unwrap()).unwrap();
        let fields: Vec<String> = String::from_utf8(payload).unwrap().split('\n').map(str::to_string).collect();
        assert_eq!(fields.len(), 8, "{fields:?}");
        assert_eq!(fields[7], "curl/8 '); DROP TABLE x; --é", "control characters dropped, the rest kept as data");
    }

    #[test]
    fn a_key_is_64_hex_digits_and_never_printed() {
        assert!(ContextKey::from_hex("abcd").is_err());
        assert!(ContextKey::from_hex(&"zz".repeat(32)).is_err());
        let key = ContextKey::from_hex(&"ab".repeat(32)).unwrap();
        assert_eq!(format!("{key:?}"), "ContextKey(..)");
    }
}
