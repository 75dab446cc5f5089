//! Noisy neighbours, on a `tenantbase serve` of its own: another tenant's p99
//! while one tenant storms the server with conflicting writes (many clients
//! changing one order, each write queuing on the row), against that other
//! tenant's p99 alone. Each tenant's share of requests in flight (the default,
//! a quarter of the pool) is what keeps the storm from taking every connection.

use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use serde::Serialize;
use serde_json::json;

use super::dataset::Dataset;
use super::http::{session_token, Server};
use super::measure::{Latency, Samples};
use super::workload::{API_LIST_SORT, API_RESOURCE};

/// The server's app pool in this measurement.
const POOL_SIZE: usize = 8;
/// Clients of the storming tenant, all writing the same row.
const STORM_CLIENTS: usize = 32;
/// Clients of the quiet tenant.
const QUIET_CLIENTS: usize = 2;
/// What a 429 tells the storm's clients to wait (the server's `Retry-After`).
const RETRY_AFTER: Duration = tenantbase::api::fair_share::RETRY_AFTER;
/// The quiet tenant's p99 under the storm should stay within this many times its p99 alone.
pub const TARGET_RATIO: f64 = 2.0;

#[derive(Clone, Debug, Serialize)]
pub struct NeighboursReport {
    pub pool_size: usize,
    pub storm_clients: usize,
    pub alone: Latency,
    pub under_storm: Latency,
    /// The storm's answers: done, refused as conflicts (lock timeout), refused beyond its share (429).
    pub storm_ok: u64,
    pub storm_conflicts: u64,
    pub storm_busy: u64,
}

impl NeighboursReport {
    pub fn ratio(&self) -> f64 {
        self.under_storm.p99_us / self.alone.p99_us
    }

    pub fn meets_target(&self) -> bool {
        self.ratio() <= TARGET_RATIO
    }
}

pub async fn measure(dataset: &Dataset, phase: Duration) -> Result<NeighboursReport> {
    let [stormer, quiet, ..] = dataset.samples.as_slice() else { bail!("two sample tenants are needed") };
    let server = Server::start(dataset, POOL_SIZE, &[]).await?;
    let client = reqwest::Client::builder().pool_max_idle_per_host(STORM_CLIENTS + QUIET_CLIENTS).build()?;
    let quiet_token = session_token(dataset, quiet.owner).await?;
    let storm_token = session_token(dataset, stormer.owner).await?;
    let list = format!("{}/v1/tenants/{}/{API_RESOURCE}?sort=-{API_LIST_SORT}", server.base, quiet.tenant_id);
    let Some(order) = stormer.ids.get("commerce.orders").and_then(|ids| ids.first()) else {
        bail!("the storming tenant has no order")
    };
    let row = format!("{}/v1/tenants/{}/{API_RESOURCE}/{order}", server.base, stormer.tenant_id);

    let reads = |until: Instant| {
        (0..QUIET_CLIENTS)
            .map(|_| {
                let (client, url, token) = (client.clone(), list.clone(), quiet_token.clone());
                tokio::spawn(async move {
                    let mut samples = Samples::default();
                    while Instant::now() < until {
                        let t = Instant::now();
                        let response = client.get(&url).bearer_auth(&token).send().await?;
                        let status = response.status();
                        response.bytes().await?;
                        if !status.is_success() {
                            bail!("the quiet tenant was answered {status}");
                        }
                        samples.push(t.elapsed());
                    }
                    Ok(samples)
                })
            })
            .collect::<Vec<_>>()
    };
    let gather = |tasks: Vec<tokio::task::JoinHandle<Result<Samples>>>| async move {
        let mut all = Samples::default();
        for task in tasks {
            all.0.extend(task.await??.0);
        }
        Ok::<Samples, anyhow::Error>(all)
    };

    // Warm, then alone.
    gather(reads(Instant::now() + Duration::from_millis(300))).await?;
    let alone = gather(reads(Instant::now() + phase)).await?.summary();

    let until = Instant::now() + phase;
    let storm: Vec<_> = (0..STORM_CLIENTS)
        .map(|i| {
            let (client, url, token) = (client.clone(), row.clone(), storm_token.clone());
            tokio::spawn(async move {
                let mut counts = [0u64; 3];
                let mut n = 0u64;
                while Instant::now() < until {
                    n += 1;
                    let amount = format!("{}.{:02}", 10 + i, n % 100);
                    let response = client
                        .patch(&url)
                        .bearer_auth(&token)
                        .json(&json!({ "total_amount": amount.parse::<f64>()? }))
                        .send()
                        .await?;
                    let status = response.status().as_u16();
                    response.bytes().await?;
                    match status {
                        200 => counts[0] += 1,
                        409 => counts[1] += 1,
                        429 => {
                            counts[2] += 1;
                            // The storm's clients honour Retry-After, as the API asks of every client.
                            tokio::time::sleep(RETRY_AFTER).await;
                        }
                        other => bail!("the storming tenant was answered {other}"),
                    }
                }
                Ok(counts)
            })
        })
        .collect();
    let under_storm = gather(reads(until)).await?.summary();
    let mut counts = [0u64; 3];
    for task in storm {
        for (total, n) in counts.iter_mut().zip(task.await??) {
            *total += n;
        }
    }
    server.stop().await?;
    Ok(NeighboursReport {
        pool_size: POOL_SIZE,
        storm_clients: STORM_CLIENTS,
        alone,
        under_storm,
        storm_ok: counts[0],
        storm_conflicts: counts[1],
        storm_busy: counts[2],
    })
}
