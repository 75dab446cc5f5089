//! Logins under attack, on a `tenantbase serve` of its own (so the API phases'
//! memory figures stay theirs): its resident memory through waves of concurrent
//! failed logins, each of which would take argon2's 19 MiB, then a normal login
//! and request, then the time a failed login takes for an unknown email, an
//! account without a password and a known email with a wrong password, side by
//! side. The server trusts the loopback as its proxy, so every request names its
//! own client address (X-Forwarded-For) and no throttle turns it away: the
//! attacker measured here is a distributed one.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use reqwest::StatusCode;
use serde::Serialize;
use serde_json::json;
use tokio::sync::Barrier;

use super::dataset::Dataset;
use super::http::Server;
use super::measure::{interleave, Latency, Plan};

/// The server's peak resident memory under the flood should stay under this.
pub const RSS_TARGET_MB: f64 = 256.0;
/// The slowest of the three medians over the fastest: within noise of each other.
pub const TIMING_TARGET: f64 = 1.10;
/// Accounts of each kind the timing rotates over, so none reaches the per-email ceiling.
const ACCOUNTS: usize = 4;
const PASSWORD: &str = "bench-login-password";

/// How hard and how long.
#[derive(Clone, Copy, Debug)]
pub struct Flood {
    pub concurrency: usize,
    pub waves: usize,
    pub timing: Plan,
}

#[derive(Clone, Debug, Serialize)]
pub struct LoginReport {
    pub concurrency: usize,
    pub waves: usize,
    pub hashing_threads: usize,
    pub rss_before_mb: f64,
    /// VmHWM after the waves.
    pub peak_rss_mb: f64,
    pub rss_after_mb: f64,
    /// How the flood was answered: (status, count).
    pub answers: Vec<(u16, usize)>,
    /// A login with the right password and a request with its session both answered 200 after the flood.
    pub serves_afterwards: bool,
    pub unknown: Latency,
    pub pending: Latency,
    pub known: Latency,
    pub timing_spread: f64,
}

impl LoginReport {
    pub fn meets_timing_target(&self) -> bool {
        self.timing_spread <= TIMING_TARGET
    }
}

/// A client address per request: 10.0.0.1, 10.0.0.2, ...
struct Addresses(AtomicU32);

impl Addresses {
    fn next(&self) -> String {
        std::net::Ipv4Addr::from(0x0A00_0000 + self.0.fetch_add(1, Ordering::Relaxed)).to_string()
    }
}

fn known_email(k: usize) -> String {
    format!("bench-login-known-{k}@bench.invalid")
}

fn pending_email(k: usize) -> String {
    format!("bench-login-pending-{k}@bench.invalid")
}

/// The accounts the timing logs in to: with this password, and without any.
async fn ensure_accounts(dataset: &Dataset) -> Result<()> {
    let admin = dataset.target.connect_admin().await?;
    let hash = tenantbase::credentials::hash_password(PASSWORD)?;
    for k in 0..ACCOUNTS {
        for (email, hash, status) in
            [(known_email(k), Some(hash.as_str()), "active"), (pending_email(k), None, "pending")]
        {
            admin
                .execute(
                    "INSERT INTO tenancy.users (email, full_name, password_hash, status)
                     VALUES ($1::text::citext, 'bench login', $2, $3::text::tenancy.user_status)
                     ON CONFLICT (email) DO UPDATE
                     SET password_hash = EXCLUDED.password_hash, status = EXCLUDED.status, locked_until = NULL",
                    &[&email, &hash, &status],
                )
                .await
                .with_context(|| format!("creating the benchmark's account {email}"))?;
        }
    }
    Ok(())
}

pub async fn measure(dataset: &Dataset, flood: Flood) -> Result<LoginReport> {
    ensure_accounts(dataset).await?;
    let server = Server::start(dataset, 4, &[("TENANTBASE_TRUSTED_PROXIES", "127.0.0.1")]).await?;
    let client = reqwest::Client::builder().pool_max_idle_per_host(flood.concurrency).build()?;
    let addresses = Arc::new(Addresses(AtomicU32::new(1)));
    let login = {
        let (client, base, addresses) = (client.clone(), server.base.clone(), addresses.clone());
        move |email: String, password: &'static str| {
            let (client, base, addresses) = (client.clone(), base.clone(), addresses.clone());
            async move {
                client
                    .post(format!("{base}/v1/auth/login"))
                    .header("x-forwarded-for", addresses.next())
                    .json(&json!({ "email": email, "password": password }))
                    .send()
                    .await
            }
        }
    };
    // The first login allocates what every later one reuses.
    login(known_email(0), "wrong").await?;
    let rss_before_mb = server.rss_mb("VmRSS")?;

    let mut answers: Vec<(u16, usize)> = Vec::new();
    for wave in 0..flood.waves {
        let start = Arc::new(Barrier::new(flood.concurrency));
        let mut tasks = Vec::new();
        for i in 0..flood.concurrency {
            let (login, start) = (login.clone(), start.clone());
            tasks.push(tokio::spawn(async move {
                start.wait().await;
                login(format!("flood-{wave}-{i}@bench.invalid"), "wrong").await.map(|r| r.status())
            }));
        }
        for task in tasks {
            let status = task.await??.as_u16();
            match answers.iter_mut().find(|(s, _)| *s == status) {
                Some((_, n)) => *n += 1,
                None => answers.push((status, 1)),
            }
        }
    }
    answers.sort();
    let peak_rss_mb = server.rss_mb("VmHWM")?;
    let rss_after_mb = server.rss_mb("VmRSS")?;
    if let Some((status, _)) = answers.iter().find(|(s, _)| ![401, 503].contains(s)) {
        bail!("the flood of failed logins was answered {status}: {answers:?}");
    }

    let serves_afterwards = {
        let session = login(known_email(0), PASSWORD).await?;
        let ok = session.status() == StatusCode::OK;
        let token = session.json::<serde_json::Value>().await?["token"].as_str().unwrap_or_default().to_string();
        let me = client.get(format!("{}/v1/me", server.base)).bearer_auth(token).send().await?;
        ok && me.status() == StatusCode::OK
    };

    let next = AtomicU32::new(0);
    let samples = interleave(flood.timing, 3, |variant| {
        let k = next.fetch_add(1, Ordering::Relaxed) as usize;
        let email = match variant {
            0 => format!("nobody-{k}@bench.invalid"),
            1 => pending_email(k % ACCOUNTS),
            _ => known_email(k % ACCOUNTS),
        };
        let request = login(email, "wrong");
        async move {
            let status = request.await?.status();
            if status != StatusCode::UNAUTHORIZED {
                bail!("a failed login answered {status}");
            }
            Ok(())
        }
    })
    .await?;
    let hashing_threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    server.stop().await?;

    let [unknown, pending, known] = [0, 1, 2].map(|v| samples[v].summary());
    let medians = [unknown.median_us, pending.median_us, known.median_us];
    let spread = medians.iter().copied().fold(f64::MIN, f64::max) / medians.iter().copied().fold(f64::MAX, f64::min);
    Ok(LoginReport {
        concurrency: flood.concurrency,
        waves: flood.waves,
        hashing_threads,
        rss_before_mb,
        peak_rss_mb,
        rss_after_mb,
        answers,
        serves_afterwards,
        unknown,
        pending,
        known,
        timing_spread: spread,
    })
}
