//! Restores are entries, never rewinds. A restore or import of a tenant's data
//! appends an epoch entry (`audit.epoch`) to the tenant's chain, which goes on from
//! its current head: checkpoints signed before it stay valid, the ones after cover
//! it. Nothing of the trail itself is ever restored (docs/audit.md, "Restores").

use anyhow::{Context, Result};
use serde_json::Value;
use tokio_postgres::GenericClient;
use uuid::Uuid;

/// Queues the epoch entry of a restore on `tenant`'s chain, in the caller's
/// transaction (the restore's own, so that it commits or rolls back with it);
/// `metadata`, a JSON object, says what was restored (the point restored to, the
/// manifest's hash, table counts), and the chain's sealed head is added to it.
/// Returns the entry's place in the queue; the sealer gives it its position.
/// Takes the platform's role (`tenantbase_platform`) or the owner: the app role
/// cannot call it.
pub async fn record_epoch<C: GenericClient>(
    client: &C,
    tenant: Uuid,
    description: &str,
    metadata: &Value,
) -> Result<i64> {
    Ok(client
        .query_one("SELECT audit.record_epoch($1, $2, $3)", &[&tenant, &description, metadata])
        .await
        .context("recording the restore's epoch on the tenant's audit chain")?
        .get(0))
}
