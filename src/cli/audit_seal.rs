//! `tenantbase audit seal`: one round of the sealer, and the lag left behind.

use anyhow::Result;
use chrono::{DateTime, Utc};
use tokio_postgres::Client;

use crate::audit::{self, SealLag};
use crate::clock::Clock;

pub async fn run(admin: &Client, clock: &Clock) -> Result<()> {
    let sealed = audit::seal(admin).await?;
    println!("sealed {sealed} entries");
    println!("{}", describe_lag(&audit::lag(admin).await?, clock.now()));
    Ok(())
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
