//! One tenant's life (docs/tenant-lifecycle.md): soft delete and restore, erasure,
//! the purge that erases what its window let go, and the erasure ledger that a
//! restore of an older backup replays. The database enforces the states
//! (migrations/tenancy/V360): this module drives the steps in their order.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::Duration as StdDuration;

use anyhow::{bail, Context, Result};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use tokio_postgres::Client;
use uuid::Uuid;

use crate::db::backup::TableSum;
use crate::signing::{OperatorKey, PublicKey};

/// How long a deleted tenant stays restorable unless told otherwise.
pub const DEFAULT_WINDOW_DAYS: u32 = 30;
/// A tenant's trail outlives its deletion by at least this many days.
pub const AUDIT_KEPT_DAYS: i64 = 90;

/// A tenant named by its slug or its id, deleted or not: (id, slug).
pub async fn find_tenant(client: &Client, name: &str) -> Result<(Uuid, String)> {
    let row = client
        .query_opt(
            "SELECT id, slug::text FROM tenancy.tenants WHERE id::text = $1 OR slug = $1::text::citext",
            &[&name],
        )
        .await?;
    match row {
        Some(row) => Ok((row.get(0), row.get(1))),
        None => bail!("no tenant is named {name} (an erased tenant has no row left)"),
    }
}

/// Soft-deletes a tenant: unusable at once, restorable until the returned time.
pub async fn delete(
    client: &Client,
    tenant: Uuid,
    confirm: &str,
    now: DateTime<Utc>,
    window: Duration,
) -> Result<DateTime<Utc>> {
    let row = client
        .query_one(
            "SELECT platform.delete_tenant($1, $2::text::citext, $3, make_interval(secs => $4))",
            &[&tenant, &confirm, &now, &(window.num_seconds() as f64)],
        )
        .await
        .map_err(db_message)?;
    Ok(row.get(0))
}

/// Restores a deleted tenant whose erasure has not begun.
pub async fn restore(client: &Client, tenant: Uuid) -> Result<()> {
    client.execute("SELECT platform.restore_tenant($1)", &[&tenant]).await.map_err(db_message)?;
    Ok(())
}

/// What an erasure did.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Erasure {
    pub tenant: Uuid,
    /// The users who belonged to no other tenant, erased with it.
    pub users: Vec<Uuid>,
    pub payloads_erased: i64,
    pub deleted_at: DateTime<Utc>,
    pub erased_at: DateTime<Utc>,
    /// The receipt: the `tenant.erased` entry of the platform chain (id and hash).
    pub receipt: Option<(i64, String)>,
}

/// Erases a tenant (deleting it first if it is active): the payloads of its trail
/// and of its lone users' entries become tombstones while its chain is alive, then
/// its rows and those users go. Each step commits on its own and a second run
/// resumes an interrupted one.
pub async fn erase(client: &Client, tenant: Uuid, now: DateTime<Utc>) -> Result<Erasure> {
    let users: Vec<Uuid> =
        client.query_one("SELECT platform.begin_erasure($1, $2)", &[&tenant, &now]).await.map_err(db_message)?.get(0);
    let mut payloads_erased = crate::audit::erase_tenant_payloads(client, tenant).await?;
    for user in &users {
        let email: Option<String> =
            client.query_opt("SELECT email::text FROM tenancy.users WHERE id = $1", &[user]).await?.map(|r| r.get(0));
        if let Some(email) = email {
            payloads_erased += crate::audit::erase_user_payloads(client, &email).await?;
        }
    }
    // The erasure entries must be on the chain before the tenant goes: the sealer
    // drops what is still queued for a tenant that no longer exists.
    seal_chain(client, tenant).await?;
    client.execute("SELECT platform.finish_erasure($1, $2)", &[&tenant, &now]).await.map_err(db_message)?;
    seal_chain(client, crate::audit::PLATFORM_CHAIN).await?;
    let row = client
        .query_one("SELECT deleted_at, erased_at FROM platform.erasures WHERE erased_tenant = $1", &[&tenant])
        .await?;
    Ok(Erasure {
        tenant,
        users,
        payloads_erased,
        deleted_at: row.get(0),
        erased_at: row.get(1),
        receipt: receipt(client, tenant, "tenant.erased").await?,
    })
}

/// Removes an erased tenant's trail, once kept [`AUDIT_KEPT_DAYS`] past its deletion;
/// returns how many entries went.
pub async fn erase_audit(client: &Client, tenant: Uuid, now: DateTime<Utc>) -> Result<i64> {
    let removed: i64 = client
        .query_one("SELECT platform.erase_tenant_audit($1, $2)", &[&tenant, &now])
        .await
        .map_err(db_message)?
        .get(0);
    seal_chain(client, crate::audit::PLATFORM_CHAIN).await?;
    Ok(removed)
}

/// What a purge did.
#[derive(Debug, Default)]
pub struct PurgeReport {
    pub erased: Vec<Erasure>,
    /// Erased tenants whose trail went, and how many entries.
    pub audit_erased: Vec<(Uuid, i64)>,
}

/// Erases every deleted tenant whose window has passed, and the trail of every
/// erased tenant kept long enough (`tenantbase tenant purge`, daily by cron).
pub async fn purge(client: &Client, now: DateTime<Utc>) -> Result<PurgeReport> {
    let mut report = PurgeReport::default();
    let due: Vec<Uuid> = client
        .query("SELECT id FROM tenancy.tenants WHERE erase_after <= $1 ORDER BY erase_after, id", &[&now])
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    for tenant in due {
        report.erased.push(erase(client, tenant, now).await?);
    }
    let trails: Vec<Uuid> = client
        .query(
            "SELECT erased_tenant FROM platform.erasures
             WHERE erased_at IS NOT NULL AND audit_erased_at IS NULL AND audit_kept_until <= $1 ORDER BY 1",
            &[&now],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    for tenant in trails {
        report.audit_erased.push((tenant, erase_audit(client, tenant, now).await?));
    }
    Ok(report)
}

/// Every tenant table holding rows of one tenant (partitions rather than their
/// parents; the audit trail aside, which outlives the tenant by design), with its
/// count and checksum over that tenant's rows, computed as a backup's are.
pub async fn tenant_sums(client: &impl tokio_postgres::GenericClient, tenant: Uuid) -> Result<Vec<TableSum>> {
    let tables = client
        .query(
            &format!(
                "SELECT name, tenant_column FROM ({}) t
                 WHERE NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.oid AND c.relkind = 'p')
                   AND name NOT LIKE 'audit.%' ORDER BY name",
                crate::isolation::catalog::TENANT_TABLES_SQL
            ),
            &[],
        )
        .await?;
    let mut sums = Vec::with_capacity(tables.len());
    for table in &tables {
        let (name, column): (String, String) = (table.get(0), table.get(1));
        // Both come from the catalog, quoted by regclass (the column is tenant_id or id).
        let row = client
            .query_one(
                &format!(
                    "SELECT count(*), coalesce(sum(('x' || left(md5(t::text), 16))::bit(64)::bigint::numeric), 0)::text
                     FROM ONLY {name} t WHERE {column} = $1"
                ),
                &[&tenant],
            )
            .await
            .with_context(|| format!("counting {name}"))?;
        sums.push(TableSum { table: name, rows: row.get(0), checksum: row.get(1) });
    }
    Ok(sums)
}

/// The sealed platform entry recording `action` for `tenant`: (id, hash).
pub async fn receipt(client: &Client, tenant: Uuid, action: &str) -> Result<Option<(i64, String)>> {
    let row = client
        .query_opt(
            "SELECT id, encode(hash, 'hex') FROM audit.platform_log
             WHERE subject_tenant_id = $1 AND event_action = $2 ORDER BY id DESC LIMIT 1",
            &[&tenant, &action],
        )
        .await?;
    Ok(row.map(|r| (r.get(0), r.get(1))))
}

/// Seals until nothing is queued for `chain` (other transactions in flight may hold
/// the sealer's horizon back for a moment).
async fn seal_chain(client: &Client, chain: Uuid) -> Result<()> {
    let queued = if chain == crate::audit::PLATFORM_CHAIN {
        "SELECT count(*) FROM audit.platform_pending"
    } else {
        "SELECT count(*) FROM audit.log_pending WHERE chain_id = $1"
    };
    for _ in 0..600 {
        crate::audit::seal(client).await?;
        let params: &[&(dyn tokio_postgres::types::ToSql + Sync)] =
            if chain == crate::audit::PLATFORM_CHAIN { &[] } else { &[&chain] };
        if client.query_one(queued, params).await?.get::<_, i64>(0) == 0 {
            return Ok(());
        }
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    bail!("the audit entries of chain {chain} stayed queued for 30 s (a long transaction holds the sealer back)")
}

/// The database's refusal, in its own words (they name the rule, never SQL text).
fn db_message(e: tokio_postgres::Error) -> anyhow::Error {
    match e.as_db_error() {
        Some(db) => anyhow::anyhow!("{}", db.message()),
        None => e.into(),
    }
}

/// One line of the erasure ledger: what must stay erased whatever backup comes back.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum LedgerEntry {
    Erased { tenant: Uuid, users: Vec<Uuid>, deleted_at: DateTime<Utc>, erased_at: DateTime<Utc> },
    AuditErased { tenant: Uuid, at: DateTime<Utc> },
}

#[derive(Serialize, Deserialize)]
struct SignedLine {
    entry: LedgerEntry,
    key_id: String,
    signature: String,
}

/// The erasure ledger's file: one signed JSON line per erasure, kept outside the
/// database (beside the operator key by default) so that no backup carries it back.
pub fn append_ledger(path: &Path, key: &OperatorKey, entry: &LedgerEntry) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let message = serde_json::to_vec(entry)?;
    let line = SignedLine { entry: entry.clone(), key_id: key.public().key_id(), signature: key.sign(&message) };
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("opening the erasure ledger {}", path.display()))?;
    writeln!(file, "{}", serde_json::to_string(&line)?)?;
    file.sync_all()?;
    Ok(())
}

/// The ledger's entries, each checked against the operator's public key; none when
/// the file does not exist.
pub fn read_ledger(path: &Path, trusted: &PublicKey) -> Result<Vec<LedgerEntry>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("reading the erasure ledger {}", path.display())),
    };
    let mut entries = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let signed: SignedLine = serde_json::from_str(line)
            .with_context(|| format!("{} line {}: not a ledger entry", path.display(), n + 1))?;
        if signed.key_id != trusted.key_id() {
            bail!("{} line {} was signed by {}, not by {}", path.display(), n + 1, signed.key_id, trusted.key_id());
        }
        trusted
            .verify(&serde_json::to_vec(&signed.entry)?, &signed.signature)
            .with_context(|| format!("{} line {} fails its signature", path.display(), n + 1))?;
        entries.push(signed.entry);
    }
    Ok(entries)
}

/// What a replay found to do again.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Replay {
    pub tenants_erased: Vec<Uuid>,
    pub users_erased: Vec<Uuid>,
    pub trails_erased: Vec<Uuid>,
}

/// Erases again, in a database restored from a backup older than some erasures,
/// everything the ledger says was erased: tenants, their lone users, their trails.
pub async fn replay(client: &Client, entries: &[LedgerEntry], now: DateTime<Utc>) -> Result<Replay> {
    let mut replay = Replay::default();
    for entry in entries {
        match entry {
            LedgerEntry::Erased { tenant, users, deleted_at, erased_at } => {
                let present =
                    client.query_opt("SELECT 1 FROM tenancy.tenants WHERE id = $1", &[tenant]).await?.is_some();
                if present {
                    client
                        .execute("SELECT platform.begin_erasure($1, $2)", &[tenant, deleted_at])
                        .await
                        .map_err(db_message)?;
                    erase(client, *tenant, *erased_at).await?;
                    replay.tenants_erased.push(*tenant);
                }
                for user in users {
                    let email: Option<String> = client
                        .query_opt("SELECT email::text FROM tenancy.users WHERE id = $1", &[user])
                        .await?
                        .map(|r| r.get(0));
                    if let Some(email) = email {
                        crate::audit::erase_user_payloads(client, &email).await?;
                        client.execute("DELETE FROM tenancy.users WHERE id = $1", &[user]).await?;
                        replay.users_erased.push(*user);
                    }
                }
            }
            LedgerEntry::AuditErased { tenant, .. } => {
                let pending = client
                    .query_opt(
                        "SELECT 1 FROM platform.erasures
                         WHERE erased_tenant = $1 AND erased_at IS NOT NULL AND audit_erased_at IS NULL",
                        &[tenant],
                    )
                    .await?
                    .is_some();
                if pending {
                    erase_audit(client, *tenant, now).await?;
                    replay.trails_erased.push(*tenant);
                }
            }
        }
    }
    Ok(replay)
}
