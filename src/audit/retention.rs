//! Retention: the log keeps whole months (UTC) and loses whole months. A partition
//! whose every entry is older than the retention is exported (if asked), its chains'
//! last entries are kept as the chains' new starting points (`audit.chain_bases`),
//! and it is dropped, all recorded on the platform chain. The coming months'
//! partitions are created ahead of time, since an entry with no partition for its
//! month is refused together with the change it records.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use bytes::Bytes;
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::TryStreamExt;
use indicatif::ProgressBar;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use tokio_postgres::Client;

use crate::clock::Clock;

pub const DEFAULT_RETENTION_DAYS: u32 = 400;
/// The designs' compliance floor: audit logs are kept at least 90 days.
pub const MIN_RETENTION_DAYS: u32 = 90;

#[derive(Clone, Debug)]
pub struct PruneOptions {
    pub retention_days: u32,
    /// Where each partition is written as `<partition>.csv` before it is dropped.
    pub export_dir: Option<PathBuf>,
}

impl Default for PruneOptions {
    fn default() -> Self {
        PruneOptions { retention_days: DEFAULT_RETENTION_DAYS, export_dir: None }
    }
}

#[derive(Clone, Debug)]
pub struct PrunedPartition {
    pub name: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub entries: i64,
    /// The export file and its SHA-256 (hex), also recorded on the platform chain.
    pub export: Option<(PathBuf, String)>,
}

#[derive(Clone, Debug)]
pub struct PruneReport {
    /// Partitions created ahead of time.
    pub created: Vec<String>,
    pub pruned: Vec<PrunedPartition>,
}

/// Creates the partitions of `today`'s month and the next three months' where
/// missing (`audit.ensure_partitions`); returns the names of those created.
pub async fn ensure_partitions(client: &Client, today: NaiveDate) -> Result<Vec<String>> {
    let rows = client
        .query("SELECT audit.ensure_partitions($1)", &[&today])
        .await
        .context("creating the audit log's coming partitions")?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// Exports (when asked) and drops every partition whose entries are all older
/// than the retention at `clock`'s time, oldest first.
pub async fn prune(
    client: &mut Client,
    options: &PruneOptions,
    clock: &Clock,
    progress: &ProgressBar,
) -> Result<PruneReport> {
    if options.retention_days < MIN_RETENTION_DAYS {
        bail!(
            "a retention of {} days is refused: audit entries are kept at least {MIN_RETENTION_DAYS} days",
            options.retention_days
        );
    }
    let now = clock.now();
    let created = ensure_partitions(client, now.date_naive()).await?;
    let days = i32::try_from(options.retention_days).context("retention too long")?;
    let expired = client
        .query(
            "SELECT partition::text, from_at, to_at FROM audit.partitions()
             WHERE to_at <= $2::timestamptz - make_interval(days => $1) ORDER BY from_at",
            &[&days, &now],
        )
        .await
        .context("listing the audit log's partitions")?;
    progress.set_length(expired.len() as u64);
    let mut pruned = Vec::with_capacity(expired.len());
    for row in expired {
        let name: String = row.get(0);
        progress.set_message(name.clone());
        let export = match &options.export_dir {
            Some(dir) => Some(export(client, &name, dir).await?),
            None => None,
        };
        let entries = drop_partition(client, &name, export.as_ref(), days).await?;
        pruned.push(PrunedPartition { name, from: row.get(1), to: row.get(2), entries, export });
        progress.inc(1);
    }
    Ok(PruneReport { created, pruned })
}

/// Writes the partition as CSV (a header, then its entries by tenant and id) to
/// `<dir>/<partition>.csv`, complete or not at all; returns the file and its SHA-256.
async fn export(client: &Client, partition: &str, dir: &Path) -> Result<(PathBuf, String)> {
    tokio::fs::create_dir_all(dir).await.with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join(format!("{partition}.csv"));
    let partial = dir.join(format!("{partition}.csv.partial"));
    let mut file =
        tokio::fs::File::create(&partial).await.with_context(|| format!("creating {}", partial.display()))?;
    let stream = client
        .copy_out(&format!(
            "COPY (SELECT * FROM {partition} ORDER BY tenant_id, id) TO STDOUT WITH (FORMAT csv, HEADER)"
        ))
        .await
        .with_context(|| format!("exporting {partition}"))?;
    let mut stream = Box::pin(stream);
    let mut digest = Sha256::new();
    while let Some(chunk) = stream.try_next().await? {
        let chunk: Bytes = chunk;
        digest.update(&chunk);
        file.write_all(&chunk).await?;
    }
    file.sync_all().await?;
    tokio::fs::rename(&partial, &path).await?;
    Ok((path, hex::encode(digest.finalize())))
}

/// In one transaction: keep each chain's last entry in the partition as its new
/// start, drop the partition, record it. Dropping waits for the log's current
/// writers and holds new ones back until commit, so it gives up rather than queue
/// behind a long transaction.
async fn drop_partition(
    client: &mut Client,
    partition: &str,
    export: Option<&(PathBuf, String)>,
    retention_days: i32,
) -> Result<i64> {
    let tx = client.transaction().await?;
    tx.batch_execute("SET LOCAL lock_timeout = '10s'").await?;
    let entries: i64 = tx.query_one(&format!("SELECT count(*) FROM {partition}"), &[]).await?.get(0);
    tx.execute(
        &format!(
            "INSERT INTO audit.chain_bases (chain_id, last_id, last_hash, last_at)
             SELECT DISTINCT ON (tenant_id) tenant_id, id, hash, occurred_at FROM {partition} ORDER BY tenant_id, id DESC
             ON CONFLICT (chain_id) DO UPDATE
             SET last_id = EXCLUDED.last_id, last_hash = EXCLUDED.last_hash, last_at = EXCLUDED.last_at, pruned_at = now()
             WHERE audit.chain_bases.last_id < EXCLUDED.last_id"
        ),
        &[],
    )
    .await
    .with_context(|| format!("recording where the chains of {partition} continue"))?;
    tx.batch_execute(&format!("DROP TABLE {partition}"))
        .await
        .with_context(|| format!("dropping {partition} (the log's writers hold it: try again later)"))?;
    let (file, sha256) = match export {
        Some((path, sha256)) => (Some(path.display().to_string()), Some(sha256.clone())),
        None => (None, None),
    };
    tx.execute(
        "SELECT audit.record_platform_event('system_event', 'audit.partition_pruned', format('%s dropped: %s entries', $1::text, $2::bigint),
                 p_target_type => 'audit_partition',
                 p_metadata => jsonb_build_object('partition', $1::text, 'entries', $2::bigint, 'retention_days', $3::int,
                                                  'export', $4::text, 'export_sha256', $5::text))",
        &[&partition, &entries, &retention_days, &file, &sha256],
    )
    .await?;
    tx.commit().await?;
    Ok(entries)
}
