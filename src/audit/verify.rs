//! Walking the hash chains. Each entry's hash must be sha256(previous entry's hash
//! || its content), where the content is what `audit.entry_content` renders (the
//! same function the sealer hashes) and the hashing is done again here; a sealed
//! entry's payload must match the digest its content carries; ids must run 1, 2,
//! 3... in time order from where retention left the chain; and the chain must end at
//! the head the sealer recorded. The first link that fails is reported with its entry.
//! Entries not sealed yet are counted (the sealing lag), not walked.

use std::fmt;

use anyhow::{bail, Context, Result};
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::TryStreamExt;
use indicatif::ProgressBar;
use sha2::{Digest, Sha256};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, IsolationLevel, Row};
use uuid::Uuid;

use super::{ensure_partitions, SealLag, PLATFORM_CHAIN};

/// The hash a chain starts from when nothing precedes its first entry.
const GENESIS: [u8; 32] = [0; 32];

/// In the primary key's order, which is the chain's order: each entry is chained no
/// earlier than the one before it.
const TENANT_ENTRIES: &str =
    "SELECT id, occurred_at, table_name, operation::text, event_action, hash, audit.entry_content(l),
            payload_digest, CASE WHEN payload_digest IS NOT NULL THEN jsonb_build_array(old_values, new_values)::text END,
            coalesce(old_values, new_values) IS NOT NULL
              AND coalesce(old_values, '{\"erased\": true}') = '{\"erased\": true}'
              AND coalesce(new_values, '{\"erased\": true}') = '{\"erased\": true}',
            CASE WHEN event_action = 'audit.payloads_erased' THEN metadata -> 'entries' END
     FROM audit.log l WHERE tenant_id = $1 ORDER BY occurred_at, id";
const PLATFORM_ENTRIES: &str =
    "SELECT id, occurred_at, NULL::text, NULL::text, event_action, hash, audit.entry_content(l), NULL::bytea, NULL::text,
            false, NULL::jsonb
     FROM audit.platform_log l ORDER BY id";
/// Erasures recorded but not sealed yet: they account for tombstones too.
const PENDING_ERASURES: &str = "SELECT metadata -> 'entries' FROM audit.log_pending
                                WHERE chain_id = $1 AND event_action = 'audit.payloads_erased'";

/// One hash chain: a tenant's, or the platform's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chain {
    pub id: Uuid,
    /// `tenant <slug>`, or `platform`.
    pub label: String,
}

/// What walking one chain found.
#[derive(Clone, Debug)]
pub struct ChainReport {
    pub chain: Chain,
    /// Entries found correctly linked, from the chain's start.
    pub entries: u64,
    /// Of those, entries whose payload was erased (each listed by an erasure entry).
    pub erased: u64,
    /// The last correctly linked entry (id, hash in hex): worth keeping outside the database.
    pub head: Option<(i64, String)>,
    pub broken: Option<BrokenLink>,
}

/// The first link of a chain that does not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenLink {
    pub reason: String,
    /// The entry where the chain breaks (for a chain cut short: its last entry, 0 if none).
    pub entry_id: i64,
    pub occurred_at: Option<DateTime<Utc>>,
    pub table: Option<String>,
    pub operation: Option<String>,
    pub event_action: Option<String>,
    pub expected_hash: String,
    pub stored_hash: String,
}

#[derive(Clone, Debug)]
pub struct VerifyReport {
    pub chains: Vec<ChainReport>,
    /// The entries written and not sealed yet (they join their chains at the next seal).
    pub lag: SealLag,
}

impl VerifyReport {
    pub fn is_intact(&self) -> bool {
        self.chains.iter().all(|c| c.broken.is_none())
    }

    pub fn broken(&self) -> impl Iterator<Item = &ChainReport> {
        self.chains.iter().filter(|c| c.broken.is_some())
    }

    /// The report of one chain, by id.
    pub fn chain(&self, id: Uuid) -> Option<&ChainReport> {
        self.chains.iter().find(|c| c.chain.id == id)
    }
}

impl fmt::Display for ChainReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.broken, &self.head) {
            (None, Some((id, hash))) if self.erased > 0 => write!(
                f,
                "{}: intact, {} entries ({} payloads erased), head #{id} {hash}",
                self.chain.label, self.entries, self.erased
            ),
            (None, Some((id, hash))) => {
                write!(f, "{}: intact, {} entries, head #{id} {hash}", self.chain.label, self.entries)
            }
            (None, None) => write!(f, "{}: intact, no entries", self.chain.label),
            (Some(b), _) => {
                let at = b.occurred_at.map(|t| t.to_rfc3339()).unwrap_or_else(|| "-".into());
                let what = match (&b.table, &b.operation) {
                    (Some(t), Some(op)) => format!("{t} {op}"),
                    _ => b.event_action.clone().unwrap_or_else(|| "-".into()),
                };
                write!(
                    f,
                    "{}: BROKEN at entry #{} ({at}, {what}) after {} good entries: {}\n    expected hash {}\n    stored hash   {}",
                    self.chain.label, b.entry_id, self.entries, b.reason, b.expected_hash, b.stored_hash
                )
            }
        }
    }
}

/// Walks every chain (every tenant's, then the platform's), or only `tenant`'s
/// (its slug or id). Ensures the coming months' partitions (from `today`) first.
pub async fn verify(
    client: &mut Client,
    tenant: Option<&str>,
    today: NaiveDate,
    progress: &ProgressBar,
) -> Result<VerifyReport> {
    ensure_partitions(client, today).await?;
    let chains = match tenant {
        Some(tenant) => vec![find_tenant(client, tenant).await?],
        None => all_chains(client).await?,
    };
    let mut reports = Vec::with_capacity(chains.len());
    for chain in chains {
        progress.set_message(chain.label.clone());
        reports.push(walk(client, chain, progress).await?);
    }
    let lag = super::lag(client).await?;
    Ok(VerifyReport { chains: reports, lag })
}

async fn find_tenant(client: &Client, tenant: &str) -> Result<Chain> {
    let row = client
        .query_opt("SELECT id, slug::text FROM tenancy.tenants WHERE id::text = $1 OR slug = $1::citext", &[&tenant])
        .await?;
    match row {
        Some(row) => Ok(Chain { id: row.get(0), label: format!("tenant {}", row.get::<_, String>(1)) }),
        None => bail!("no tenant {tenant}"),
    }
}

/// Every tenant, every chain left by a tenant no longer there, then the platform.
async fn all_chains(client: &Client) -> Result<Vec<Chain>> {
    let rows = client
        .query(
            "SELECT c.id, coalesce('tenant ' || t.slug, 'chain of deleted tenant ' || c.id)
             FROM (SELECT id FROM tenancy.tenants
                   UNION SELECT chain_id FROM audit.chains WHERE chain_id <> audit.platform_chain()) AS c (id)
             LEFT JOIN tenancy.tenants t USING (id)
             ORDER BY 2",
            &[],
        )
        .await
        .context("listing the audit chains")?;
    let mut chains: Vec<Chain> = rows.iter().map(|r| Chain { id: r.get(0), label: r.get(1) }).collect();
    chains.push(Chain { id: PLATFORM_CHAIN, label: "platform".into() });
    Ok(chains)
}

struct Entry {
    id: i64,
    occurred_at: DateTime<Utc>,
    table: Option<String>,
    operation: Option<String>,
    event_action: String,
    hash: Vec<u8>,
    content: String,
    /// A sealed entry's payload digest, and the payload it must match.
    payload: Option<(Vec<u8>, String)>,
    /// Its payload is a tombstone.
    tombstoned: bool,
    /// An erasure entry's list of the entries it erased.
    erasure: Option<serde_json::Value>,
}

impl From<Row> for Entry {
    fn from(row: Row) -> Self {
        Entry {
            id: row.get(0),
            occurred_at: row.get(1),
            table: row.get(2),
            operation: row.get(3),
            event_action: row.get(4),
            hash: row.get(5),
            content: row.get(6),
            payload: row.get::<_, Option<Vec<u8>>>(7).zip(row.get::<_, Option<String>>(8)),
            tombstoned: row.get(9),
            erasure: row.get(10),
        }
    }
}

fn link_hash(previous: &[u8], content: &str) -> Vec<u8> {
    Sha256::new().chain_update(previous).chain_update(content.as_bytes()).finalize().to_vec()
}

async fn walk(client: &mut Client, chain: Chain, progress: &ProgressBar) -> Result<ChainReport> {
    // One snapshot for the chain's recorded head and its entries: a writer
    // committing meanwhile must not look like entries cut from the end.
    let tx = client.build_transaction().isolation_level(IsolationLevel::RepeatableRead).read_only(true).start().await?;
    let recorded_head = tx
        .query_opt("SELECT head_id, head_hash FROM audit.chains WHERE chain_id = $1", &[&chain.id])
        .await?
        .map(|r| (r.get::<_, i64>(0), r.get::<_, Vec<u8>>(1)));
    let base = tx
        .query_opt("SELECT last_id, last_hash FROM audit.chain_bases WHERE chain_id = $1", &[&chain.id])
        .await?
        .map(|r| (r.get::<_, i64>(0), r.get::<_, Vec<u8>>(1)));
    let (mut last_id, mut previous) = base.unwrap_or((0, GENESIS.to_vec()));

    let (sql, params): (&str, Vec<&(dyn ToSql + Sync)>) =
        if chain.id == PLATFORM_CHAIN { (PLATFORM_ENTRIES, vec![]) } else { (TENANT_ENTRIES, vec![&chain.id]) };
    let mut rows =
        Box::pin(tx.query_raw(sql, params).await.with_context(|| format!("reading the entries of {}", chain.label))?);
    let mut entries = 0u64;
    let mut erased = 0u64;
    // Tombstones not yet accounted for by an erasure entry, which comes after them.
    let mut unexplained = std::collections::BTreeSet::new();
    let mut broken = None;
    while let Some(row) = rows.try_next().await? {
        let entry = Entry::from(row);
        for id in listed(entry.erasure.as_ref()) {
            unexplained.remove(&id);
        }
        let expected = link_hash(&previous, &entry.content);
        let reason = if entry.id != last_id + 1 {
            Some(format!("#{} was expected next, not #{}: entries were removed or reordered", last_id + 1, entry.id))
        } else if expected != entry.hash {
            Some(
                "the entry's content does not match its hash: it was edited, or moved from elsewhere in the chain"
                    .to_string(),
            )
        } else if entry.payload.as_ref().is_some_and(|(digest, payload)| Sha256::digest(payload).as_slice() != digest) {
            if entry.tombstoned {
                unexplained.insert(entry.id);
                erased += 1;
                None
            } else {
                Some("the entry's old or new values do not match their digest: they were edited".to_string())
            }
        } else {
            None
        };
        if let Some(reason) = reason {
            broken = Some(BrokenLink {
                reason,
                entry_id: entry.id,
                occurred_at: Some(entry.occurred_at),
                table: entry.table,
                operation: entry.operation,
                event_action: Some(entry.event_action),
                expected_hash: hex::encode(expected),
                stored_hash: hex::encode(&entry.hash),
            });
            break;
        }
        previous = entry.hash;
        last_id = entry.id;
        entries += 1;
        progress.inc(1);
    }
    if broken.is_none() {
        if let Some((head_id, head_hash)) = recorded_head
            .filter(|(head_id, head_hash)| *head_id > last_id || (*head_id == last_id && *head_hash != previous))
        {
            broken = Some(BrokenLink {
                reason: if head_id > last_id {
                    format!("the chain ends at #{last_id} but the sealer sealed up to #{head_id}: entries were removed from its end")
                } else {
                    format!("the chain's head #{last_id} is not the entry the sealer sealed: the chain was rewritten")
                },
                entry_id: last_id,
                occurred_at: None,
                table: None,
                operation: None,
                event_action: None,
                expected_hash: hex::encode(head_hash),
                stored_hash: hex::encode(&previous),
            });
        }
    }
    // The rest of a broken chain is not needed: drop its rows before ending the transaction.
    drop(rows);
    if chain.id != PLATFORM_CHAIN {
        for row in tx.query(PENDING_ERASURES, &[&chain.id]).await? {
            for id in listed(row.get::<_, Option<serde_json::Value>>(0).as_ref()) {
                unexplained.remove(&id);
            }
        }
    }
    if let Some(id) = unexplained.first().filter(|_| broken.is_none()) {
        broken = Some(BrokenLink {
            reason: "the entry's payload was replaced by a tombstone that no erasure entry records".to_string(),
            entry_id: *id,
            occurred_at: None,
            table: None,
            operation: None,
            event_action: None,
            expected_hash: "-".into(),
            stored_hash: "-".into(),
        });
    }
    tx.commit().await?;
    let head = (last_id > 0).then(|| (last_id, hex::encode(&previous)));
    Ok(ChainReport { chain, entries, erased, head, broken })
}

/// The entry ids an erasure entry lists.
fn listed(entries: Option<&serde_json::Value>) -> Vec<i64> {
    entries.and_then(|v| v.as_array()).map(|a| a.iter().filter_map(|v| v.as_i64()).collect()).unwrap_or_default()
}
