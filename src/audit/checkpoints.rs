//! Checkpoints outside the database. After sealing, each chain whose head moved
//! gets a checkpoint (chain, position, head hash, time) signed with the operator
//! key, appended to `<dir>/<chain>.jsonl` in a directory the operator chooses (and
//! copies where the database's superusers cannot write). `audit verify
//! --checkpoints <dir>` then checks each chain against its newest valid checkpoint:
//! a chain that no longer reaches it (entries cut from its end) or reaches it with
//! another hash (rewritten, however consistently) is broken, even when the
//! database alone cannot tell.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio_postgres::Client;
use uuid::Uuid;

use super::verify::{BrokenLink, Chain, ChainReport, VerifyReport};
use super::PLATFORM_CHAIN;
use crate::clock::Clock;
use crate::db::AccountDb;
use crate::signing::{OperatorKey, PublicKey};

/// Every chain's sealed head, as the sealer recorded it.
const HEADS: &str = "SELECT chain_id, head_id, head_hash FROM audit.chain_heads()";

/// One signed checkpoint: a line of `<chain>.jsonl`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub chain: Uuid,
    /// The head's id: the number of entries the chain had sealed.
    pub position: i64,
    /// The head's hash, hex.
    pub head_hash: String,
    pub at: DateTime<Utc>,
    pub key_id: String,
    /// Ed25519 over [`Checkpoint::message`], base64.
    pub signature: String,
}

impl Checkpoint {
    fn message(chain: Uuid, position: i64, head_hash: &str, at: DateTime<Utc>) -> Vec<u8> {
        format!(
            "tenantbase audit checkpoint\nchain {chain}\nposition {position}\nhead {head_hash}\nat {}\n",
            at.to_rfc3339()
        )
        .into_bytes()
    }

    /// Verifies the signature with whichever of `keys` it names (the operator's
    /// current key, or one it retired).
    fn check(&self, keys: &[PublicKey]) -> Result<()> {
        let Some(key) = keys.iter().find(|k| k.key_id() == self.key_id) else {
            anyhow::bail!("signed by {}, none of the trusted keys", self.key_id);
        };
        key.verify(&Self::message(self.chain, self.position, &self.head_hash, self.at), &self.signature)
    }
}

/// Writes checkpoints of the chains whose heads moved since the last ones in its directory.
pub struct Checkpointer {
    dir: PathBuf,
    key: OperatorKey,
    /// Where the key lives, re-read before each round so that a rotation takes effect without a restart.
    key_file: Option<PathBuf>,
    clock: Clock,
    last: HashMap<Uuid, i64>,
}

impl Checkpointer {
    /// Opens `dir` (creating it), remembering each chain's newest checkpoint there.
    pub fn open(dir: &Path, key: OperatorKey, clock: Clock) -> Result<Self> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let last = read_dir(dir)?
            .into_iter()
            .filter_map(|(chain, lines)| {
                lines.iter().filter_map(|l| l.as_ref().ok()).map(|c| c.position).max().map(|p| (chain, p))
            })
            .collect();
        Ok(Checkpointer { dir: dir.to_path_buf(), key, key_file: None, clock, last })
    }

    /// Signs with the key in `path` as it is at each round (`tenantbase keys rotate operator`
    /// replaces it); while the file cannot be read, with the key it had.
    pub fn following(mut self, path: &Path) -> Self {
        self.key_file = Some(path.to_path_buf());
        self
    }

    /// Checkpoints every chain whose head moved, from the heads the admin reads.
    pub async fn write(&mut self, client: &Client) -> Result<usize> {
        let rows = client.query(HEADS, &[]).await.context("reading the chains' heads")?;
        self.append(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
    }

    /// The same, through the server's account pool.
    pub async fn write_via(&mut self, db: &AccountDb) -> Result<usize> {
        let rows = db.call(HEADS, &[]).await.context("reading the chains' heads")?;
        self.append(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
    }

    fn append(&mut self, heads: Vec<(Uuid, i64, Vec<u8>)>) -> Result<usize> {
        if let Some(key) = self.key_file.as_deref().and_then(|path| OperatorKey::load(path).ok()) {
            self.key = key;
        }
        let at = self.clock.now();
        let mut written = 0;
        for (chain, position, hash) in heads {
            if self.last.get(&chain).is_some_and(|p| *p >= position) {
                continue;
            }
            let head_hash = hex::encode(hash);
            let signature = self.key.sign(&Checkpoint::message(chain, position, &head_hash, at));
            let checkpoint =
                Checkpoint { chain, position, head_hash, at, key_id: self.key.public().key_id(), signature };
            let path = self.dir.join(format!("{chain}.jsonl"));
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .with_context(|| format!("opening {}", path.display()))?;
            writeln!(file, "{}", serde_json::to_string(&checkpoint)?)?;
            file.sync_data()?;
            self.last.insert(chain, position);
            written += 1;
        }
        Ok(written)
    }
}

type Lines = Vec<Result<Checkpoint, String>>;

/// Every `<chain>.jsonl` of `dir`, its lines parsed.
fn read_dir(dir: &Path) -> Result<HashMap<Uuid, Lines>> {
    let mut chains = HashMap::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        let Some(chain) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".jsonl"))
            .and_then(|n| n.parse::<Uuid>().ok())
        else {
            continue;
        };
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let lines = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str::<Checkpoint>(l).map_err(|e| e.to_string()))
            .collect();
        chains.insert(chain, lines);
    }
    Ok(chains)
}

fn broken(reason: String, entry_id: i64, expected: &str, stored: &str) -> BrokenLink {
    BrokenLink {
        reason,
        entry_id,
        occurred_at: None,
        table: None,
        operation: None,
        event_action: None,
        expected_hash: expected.to_string(),
        stored_hash: stored.to_string(),
    }
}

/// Checks every chain of `report` that has checkpoints in `dir` against its newest
/// validly signed one, and marks it broken where it does not hold. A checkpoint
/// whose signature does not verify breaks its chain too (the file was edited). A
/// checkpointed chain that is gone must have gone with its tenant, on the platform
/// chain, no shorter than checkpointed.
pub async fn check(client: &Client, report: &mut VerifyReport, dir: &Path, keys: &[PublicKey]) -> Result<()> {
    // A report of every chain includes the platform's; one of a single tenant does not.
    let every_chain = report.chains.iter().any(|c| c.chain.id == PLATFORM_CHAIN);
    for (chain, lines) in read_dir(dir)? {
        let walked = report.chains.iter().any(|c| c.chain.id == chain);
        if !walked && !every_chain {
            continue;
        }
        let mut valid = Vec::new();
        let mut forged = None;
        for (n, line) in lines.iter().enumerate() {
            match line.as_ref().map_err(|e| anyhow::anyhow!("{e}")).and_then(|c| c.check(keys).map(|()| c)) {
                Ok(c) if c.chain == chain => valid.push(c.clone()),
                Ok(_) => forged = forged.or(Some(format!("line {} names another chain", n + 1))),
                Err(e) => forged = forged.or(Some(format!("line {}: {e}", n + 1))),
            }
        }
        let newest = valid.iter().max_by_key(|c| c.position);
        let finding = match (forged, newest) {
            (Some(why), _) => Some(broken(
                format!("a checkpoint of this chain does not verify ({why}): the checkpoint file was altered"),
                0,
                "-",
                "-",
            )),
            (None, None) => None,
            (None, Some(c)) => against(client, chain, c, walked).await?,
        };
        let Some(finding) = finding else { continue };
        match report.chains.iter_mut().find(|c| c.chain.id == chain) {
            Some(c) => {
                c.broken.get_or_insert(finding);
            }
            None => report.chains.push(ChainReport {
                chain: Chain { id: chain, label: format!("checkpointed chain {chain}") },
                entries: 0,
                erased: 0,
                head: None,
                broken: Some(finding),
            }),
        }
    }
    Ok(())
}

/// What is wrong with `chain` against its checkpoint `c`, if anything.
async fn against(client: &Client, chain: Uuid, c: &Checkpoint, walked: bool) -> Result<Option<BrokenLink>> {
    if !walked {
        let deleted = client
            .query_opt(
                "SELECT (metadata ->> 'final_entry')::bigint FROM audit.platform_log
                 WHERE event_action = 'tenant.deleted' AND subject_tenant_id = $1",
                &[&chain],
            )
            .await?;
        return Ok(match deleted.map(|r| r.get::<_, Option<i64>>(0).unwrap_or(0)) {
            Some(final_entry) if final_entry >= c.position => None,
            Some(final_entry) => Some(broken(
                format!("the tenant was deleted at #{final_entry}, short of checkpointed #{}", c.position),
                final_entry,
                &c.head_hash,
                "-",
            )),
            None => Some(broken(
                format!(
                    "the chain is gone, but was checkpointed at #{} and no tenant deletion is recorded",
                    c.position
                ),
                c.position,
                &c.head_hash,
                "-",
            )),
        });
    }
    let stored: Option<Vec<u8>> = if chain == PLATFORM_CHAIN {
        client.query_opt("SELECT hash FROM audit.platform_log WHERE id = $1", &[&c.position]).await?
    } else {
        client.query_opt("SELECT hash FROM audit.log WHERE tenant_id = $1 AND id = $2", &[&chain, &c.position]).await?
    }
    .map(|r| r.get(0));
    let stored = match stored {
        Some(hash) => hash,
        None => {
            // Pruned by retention past the checkpoint, or cut off.
            let base = client
                .query_opt("SELECT last_id, last_hash FROM audit.chain_bases WHERE chain_id = $1", &[&chain])
                .await?
                .map(|r| (r.get::<_, i64>(0), r.get::<_, Vec<u8>>(1)));
            match base {
                Some((id, _)) if id > c.position => return Ok(None),
                Some((id, hash)) if id == c.position => hash,
                _ => {
                    return Ok(Some(broken(
                        format!(
                            "the chain no longer reaches #{}, which a signed checkpoint of {} saw: entries were removed from its end",
                            c.position,
                            c.at.to_rfc3339()
                        ),
                        c.position,
                        &c.head_hash,
                        "-",
                    )))
                }
            }
        }
    };
    Ok((hex::encode(&stored) != c.head_hash).then(|| {
        broken(
            format!(
                "entry #{} does not have the hash a signed checkpoint of {} saw: the chain was rewritten up to there",
                c.position,
                c.at.to_rfc3339()
            ),
            c.position,
            &c.head_hash,
            &hex::encode(&stored),
        )
    }))
}
