//! Erasing personal data from the trail: payloads (old and new values) replaced by
//! tombstones, the chains intact (they hash a digest of each payload), each
//! erasure an entry of its own on the chain it erased from. Entries of the first
//! version, which hash their payload itself, cannot be erased this way.

use anyhow::{bail, Context, Result};
use tokio_postgres::Client;
use uuid::Uuid;

/// Erases every payload that names the user (their id or email) on every chain;
/// returns how many entries it erased. Seals first, so that as much as possible is
/// erased in the log itself (the entries still waiting are erased in the queue),
/// and after, so that the erasure entries are on their chains.
pub async fn erase_user_payloads(client: &Client, email: &str) -> Result<i64> {
    let Some(user) = client
        .query_opt("SELECT id FROM tenancy.users WHERE email = $1::text::citext", &[&email])
        .await?
        .map(|r| r.get::<_, Uuid>(0))
    else {
        bail!("no user has the email {email}");
    };
    super::seal(client).await?;
    let erased: i64 = client
        .query_one("SELECT audit.erase_user_payloads($1, $2)", &[&user, &email])
        .await
        .context("erasing the user's audit payloads")?
        .get(0);
    super::seal(client).await?;
    Ok(erased)
}

/// Erases every payload of a tenant's chain (for a tenant's erasure); returns how many.
pub async fn erase_tenant_payloads(client: &Client, tenant: Uuid) -> Result<i64> {
    super::seal(client).await?;
    let erased: i64 = client
        .query_one("SELECT audit.erase_tenant_payloads($1)", &[&tenant])
        .await
        .context("erasing the tenant's audit payloads")?
        .get(0);
    super::seal(client).await?;
    Ok(erased)
}
