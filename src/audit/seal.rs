//! The sealer. Writers only queue their entries (`audit.log_pending`,
//! `audit.platform_pending`) in their own transaction; `audit.seal()` chains them,
//! in batches, in transaction order and only below the oldest transaction still
//! running. The server runs it continuously ([`spawn_sealer`]); `tenantbase audit
//! seal` runs it once; the lag is what [`lag`] reads.

use std::time::Duration;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use tokio_postgres::Client;

use super::Checkpointer;
use crate::db::AccountDb;

/// Entries sealed per call of `audit.seal`, each call its own transaction.
pub const SEAL_BATCH: i32 = 5_000;

/// The sealing lag: the entries waiting to be chained, and when the oldest was written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SealLag {
    pub unsealed: i64,
    pub oldest_written_at: Option<DateTime<Utc>>,
}

impl SealLag {
    /// How long the oldest waiting entry has waited at `now` (zero when none waits).
    pub fn age(&self, now: DateTime<Utc>) -> Duration {
        self.oldest_written_at.and_then(|t| (now - t).to_std().ok()).unwrap_or_default()
    }
}

/// Seals every entry of the transactions ended so far, batch after batch; returns how
/// many it sealed. Stops early when another sealer is at work (it seals them).
pub async fn seal(client: &Client) -> Result<u64> {
    let mut total = 0u64;
    loop {
        let sealed: i32 =
            client.query_one("SELECT audit.seal($1)", &[&SEAL_BATCH]).await.context("sealing the audit trail")?.get(0);
        total += sealed as u64;
        if sealed < SEAL_BATCH {
            return Ok(total);
        }
    }
}

/// The sealing lag, read as the admin.
pub async fn lag(client: &Client) -> Result<SealLag> {
    let row = client.query_one("SELECT unsealed, oldest_written_at FROM audit.seal_lag()", &[]).await?;
    Ok(SealLag { unsealed: row.get(0), oldest_written_at: row.get(1) })
}

/// The sealing lag, read through the server's account pool (for its metrics).
pub async fn lag_via(db: &AccountDb) -> Result<SealLag> {
    let rows = db.call("SELECT unsealed, oldest_written_at FROM audit.seal_lag()", &[]).await?;
    let row = rows.first().context("audit.seal_lag() answers one row")?;
    Ok(SealLag { unsealed: row.get(0), oldest_written_at: row.get(1) })
}

/// How often the server's sealer writes checkpoints of the chains that moved.
pub const CHECKPOINT_EVERY: Duration = Duration::from_secs(10);

/// Runs the sealer every `interval` for as long as the server runs, through its
/// account pool, and with `checkpoints` writes signed checkpoints every
/// [`CHECKPOINT_EVERY`]. A failed round (a tenant deleted while its entries were
/// being sealed, a lost connection) is logged and the next one seals the rest.
pub fn spawn_sealer(
    db: AccountDb,
    interval: Duration,
    mut checkpoints: Option<Checkpointer>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut checkpointed = tokio::time::Instant::now();
        loop {
            tick.tick().await;
            if let Some(checkpointer) = checkpoints.as_mut().filter(|_| checkpointed.elapsed() >= CHECKPOINT_EVERY) {
                checkpointed = tokio::time::Instant::now();
                if let Err(e) = checkpointer.write_via(&db).await {
                    tracing::warn!(error = %e, "writing the audit checkpoints failed; trying again next time");
                }
            }
            loop {
                match db.call("SELECT audit.seal($1)", &[&SEAL_BATCH]).await {
                    Ok(rows) if rows.first().map_or(0, |r| r.get::<_, i32>(0)) >= SEAL_BATCH => continue,
                    Ok(_) => break,
                    Err(e) => {
                        tracing::warn!(error = %e, "sealing the audit trail failed; trying again next round");
                        break;
                    }
                }
            }
        }
    })
}
