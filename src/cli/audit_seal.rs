//! `tenantbase audit seal`: one round of the sealer, and the lag left behind; the
//! checkpoints it and `serve` write, and `audit verify --checkpoints` reads.

use std::path::Path;

use anyhow::Result;
use chrono::{DateTime, Utc};
use tokio_postgres::Client;

use crate::audit::{self, checkpoints, Checkpointer, SealLag, VerifyReport};
use crate::clock::Clock;
use crate::keys;
use crate::signing::OperatorKey;

pub async fn run(admin: &Client, clock: &Clock, checkpointer: Option<Checkpointer>) -> Result<()> {
    let sealed = audit::seal(admin).await?;
    println!("sealed {sealed} entries");
    if let Some(mut checkpointer) = checkpointer {
        println!("wrote {} checkpoints", checkpointer.write(admin).await?);
    }
    println!("{}", describe_lag(&audit::lag(admin).await?, clock.now()));
    Ok(())
}

/// A checkpointer writing to `dir` with the operator key at `key_path` (created when absent).
pub fn checkpointer(dir: Option<&Path>, key_path: &Path, clock: &Clock) -> Result<Option<Checkpointer>> {
    dir.map(|dir| {
        Ok(Checkpointer::open(dir, OperatorKey::load_or_create(key_path)?, clock.clone())?.following(key_path))
    })
    .transpose()
}

/// Checks `report`'s chains against the checkpoints in `dir`, with the public half
/// of the operator key (`<key>.pub`, else the key itself) and of the keys it
/// retired (`<key>.retired-<id>.pub`, kept by `tenantbase keys rotate operator`).
pub async fn check_checkpoints(admin: &Client, report: &mut VerifyReport, dir: &Path, key_path: &Path) -> Result<()> {
    checkpoints::check(admin, report, dir, &keys::trusted_operator_keys(key_path)?).await
}

/// `unsealed: none`, or how many entries wait and since when.
pub fn describe_lag(lag: &SealLag, now: DateTime<Utc>) -> String {
    match lag.oldest_written_at {
        None => "unsealed: none".to_string(),
        Some(oldest) => format!(
            "unsealed: {} entries, the oldest written {} ({:.1} s ago)",
            lag.unsealed,
            oldest.to_rfc3339(),
            lag.age(now).as_secs_f64()
        ),
    }
}
