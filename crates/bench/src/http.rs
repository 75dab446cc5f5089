//! The API against the database's ceiling. `tenantbase serve` runs as a child
//! process on a free loopback port; an in-process load generator keeps a fixed
//! number of requests in flight for a fixed time; pgbench runs the same SQL the
//! API sends (context, statement, commit in one pipeline: one round trip, as the
//! app does) at the same concurrency against the same server. Phases alternate.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde::Serialize;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use uuid::Uuid;

use super::cpu::{self, Meter, PerRequest};
use super::dataset::Dataset;
use super::measure::{ratio, Samples};
use tenantbase::db::{self, Signer, TenantCtx};

/// The API should serve at least this share of what the database serves alone.
pub const TARGET: f64 = 0.5;
/// The server's peak resident memory should stay under this.
pub const RSS_TARGET_MB: f64 = 64.0;
/// Every load loop stops at this many requests, whatever its time.
const MAX_REQUESTS_PER_PHASE: u64 = 2_000_000;

/// `tenantbase serve` on the scratch database, as a child process.
pub struct Server {
    child: Child,
    pub base: String,
    pub pid: u32,
}

impl Server {
    /// `env` adds to (or overrides) the server's environment.
    pub async fn start(dataset: &Dataset, pool_size: usize, env: &[(&str, &str)]) -> Result<Server> {
        // The server's binary, built beside this one.
        let exe = std::env::current_exe().context("locating the tenantbase binary")?.with_file_name("tenantbase");
        let mut child = Command::new(exe)
            .args(["serve", "--listen", "127.0.0.1:0", "--pool-size", &pool_size.to_string()])
            .env("DATABASE_URL", db::url_of(&dataset.target.admin))
            .env("TENANTBASE_APP_DATABASE_URL", db::url_of(&dataset.target.app))
            .env("TENANTBASE_LOG", "warn")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .context("starting tenantbase serve")?;
        let pid = child.id().context("the server exited at once")?;
        let stdout = child.stdout.take().context("the server's stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
            .await
            .context("the server did not say where it listens within 60 s")??
            .context("the server exited before listening")?;
        let base = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .with_context(|| format!("unexpected first line from the server: {line}"))?
            .to_string();
        Ok(Server { child, base, pid })
    }

    /// Peak resident memory so far (VmHWM), in MB.
    pub fn peak_rss_mb(&self) -> Result<f64> {
        self.rss_mb("VmHWM")
    }

    /// A memory figure of /proc/<pid>/status (VmRSS now, VmHWM the peak), in MB.
    pub fn rss_mb(&self, field: &str) -> Result<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid))?;
        let kb: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .with_context(|| format!("{field} missing from /proc/<pid>/status"))?;
        Ok(kb / 1024.0)
    }

    /// Reads the CPU time of this server and of the database behind it.
    pub fn meter(&self, dataset: &Dataset) -> Result<Meter> {
        let postmaster = match &dataset.target.cluster {
            Some(cluster) => cluster.running()?.map(|r| r.pid),
            None => None,
        };
        Ok(Meter { server: Some(self.pid), postmaster })
    }

    /// SIGTERM, then waits for the graceful shutdown.
    pub async fn stop(mut self) -> Result<()> {
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(self.pid as i32), nix::sys::signal::Signal::SIGTERM)?;
        if tokio::time::timeout(Duration::from_secs(10), self.child.wait()).await.is_err() {
            self.child.kill().await?;
        }
        Ok(())
    }
}

/// One side's throughput over its phases.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Throughput {
    /// The median phase's rate.
    pub requests_per_s: f64,
    /// Latencies over all phases' requests.
    pub p50_us: f64,
    pub p99_us: f64,
    pub requests: u64,
    /// Where the CPU went, per request.
    pub cpu: PerRequest,
}

/// One timed phase of one side.
pub struct Phase {
    pub samples: Samples,
    pub elapsed: Duration,
    pub cpu: PerRequest,
}

impl Phase {
    /// Joins a phase's clients: their samples, the phase's length and the CPU per request.
    pub async fn gather(
        tasks: Vec<tokio::task::JoinHandle<Result<Samples>>>,
        started: Instant,
        before: cpu::Snapshot,
        meter: &Meter,
    ) -> Result<Phase> {
        let mut samples = Samples::default();
        for task in tasks {
            samples.0.extend(task.await??.0);
        }
        let elapsed = started.elapsed();
        let cpu = cpu::per_request(before, meter.snapshot(), samples.len() as u64, false);
        Ok(Phase { samples, elapsed, cpu })
    }
}

impl Throughput {
    pub fn merge(phases: &[Phase]) -> Throughput {
        let mut rates: Vec<f64> = phases.iter().map(|p| p.samples.len() as f64 / p.elapsed.as_secs_f64()).collect();
        rates.sort_by(|a, b| a.total_cmp(b));
        let all = Samples(phases.iter().flat_map(|p| p.samples.0.iter().copied()).collect());
        let requests = all.len() as u64;
        let weighted = |f: &dyn Fn(&PerRequest) -> f64| {
            phases.iter().map(|p| f(&p.cpu) * p.samples.len() as f64).sum::<f64>() / requests.max(1) as f64
        };
        let cpu = PerRequest {
            client_us: weighted(&|c| c.client_us),
            server_us: weighted(&|c| c.server_us),
            database_us: phases
                .iter()
                .all(|p| p.cpu.database_us.is_some())
                .then(|| weighted(&|c| c.database_us.unwrap_or(0.0))),
        };
        Throughput {
            requests_per_s: rates.get(rates.len() / 2).copied().unwrap_or(0.0),
            p50_us: all.median_us(),
            p99_us: all.p99_us(),
            requests,
            cpu,
        }
    }
}

/// A request that both sides make: the URL path for the API, the SQL for pgbench.
pub struct Endpoint {
    pub name: &'static str,
    pub paths: Vec<String>,
    /// One pgbench script per path (same order), each the API's exact SQL for it.
    pub scripts: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ApiRow {
    pub endpoint: &'static str,
    pub concurrency: usize,
    pub api: Throughput,
    pub pgbench: Throughput,
    /// api / pgbench requests per second.
    pub ratio: f64,
}

impl ApiRow {
    pub fn meets_target(&self) -> bool {
        self.ratio >= TARGET
    }
}

/// How a side-by-side throughput comparison runs.
#[derive(Clone, Copy, Debug)]
pub struct Load {
    pub concurrency: usize,
    pub phase: Duration,
    pub rounds: usize,
}

/// The pgbench script of one request: the app's begin text, the statement, COMMIT,
/// pipelined; `$n` placeholders replaced by the request's literal values.
pub fn pgbench_script(ctx: &TenantCtx, signer: &Signer, sql: &str, literals: &[String]) -> String {
    let mut statement = sql.replace('\n', " ");
    // Highest number first, so $1 does not eat the start of $10.
    for (i, literal) in literals.iter().enumerate().rev() {
        statement = statement.replace(&format!("${}", i + 1), literal);
    }
    let mut script = String::from("\\startpipeline\n");
    // The begin text has no colon, which pgbench would read as one of its variables.
    for part in signer.begin_sql(ctx).split("; ") {
        script.push_str(part);
        script.push_str(";\n");
    }
    script.push_str(&statement);
    script.push_str(";\nCOMMIT;\n\\endpipeline\n");
    script
}

/// Runs the endpoint through the API and through pgbench, phases alternating.
pub async fn compare(
    server: &Server,
    token: &str,
    dataset: &Dataset,
    endpoint: &Endpoint,
    load: Load,
    work_dir: &Path,
) -> Result<ApiRow> {
    let dir = work_dir.join(endpoint.name.replace(' ', "_"));
    std::fs::create_dir_all(&dir)?;
    let mut script_files = Vec::new();
    for (i, script) in endpoint.scripts.iter().enumerate() {
        let file = dir.join(format!("request_{i}.sql"));
        std::fs::write(&file, script)?;
        script_files.push(file);
    }
    verify_script(dataset, &endpoint.scripts[0]).await?;
    let client = reqwest::Client::builder().pool_max_idle_per_host(load.concurrency).build()?;
    let meter = server.meter(dataset)?;
    // Warm: every pool connection prepares its statements, the auth caches fill.
    http_phase(&client, server, token, &endpoint.paths, Load { phase: Duration::from_millis(500), ..load }, meter)
        .await?;
    let (mut api, mut pg) = (Vec::new(), Vec::new());
    for round in 0..load.rounds {
        for side in [round % 2, (round + 1) % 2] {
            if side == 0 {
                api.push(http_phase(&client, server, token, &endpoint.paths, load, meter).await?);
            } else {
                pg.push(pgbench_phase(dataset, &script_files, load, &dir, round, meter).await?);
            }
        }
    }
    let (api, pgbench) = (Throughput::merge(&api), Throughput::merge(&pg));
    Ok(ApiRow {
        endpoint: endpoint.name,
        concurrency: load.concurrency,
        ratio: ratio(api.requests_per_s, pgbench.requests_per_s),
        api,
        pgbench,
    })
}

/// Runs a pgbench script once as the app: a context the server does not accept
/// would make pgbench measure empty answers.
async fn verify_script(dataset: &Dataset, script: &str) -> Result<()> {
    let sql: String = script.lines().filter(|l| !l.starts_with('\\')).collect::<Vec<_>>().join("\n");
    let client = db::connect(&dataset.target.app).await?;
    let rows = client
        .simple_query(&sql)
        .await
        .context("running a pgbench script as the app")?
        .iter()
        .filter(|m| matches!(m, tokio_postgres::SimpleQueryMessage::Row(_)))
        .count();
    if rows == 0 {
        bail!("a pgbench script reads no row as the app: its tenant context is not accepted\n{script}");
    }
    Ok(())
}

/// `concurrency` clients, each one request at a time, until the phase ends.
async fn http_phase(
    client: &reqwest::Client,
    server: &Server,
    token: &str,
    paths: &[String],
    load: Load,
    meter: Meter,
) -> Result<Phase> {
    let issued = Arc::new(AtomicU64::new(0));
    let before = meter.snapshot();
    let started = Instant::now();
    let deadline = started + load.phase;
    let mut tasks = Vec::new();
    for _ in 0..load.concurrency {
        let (client, issued) = (client.clone(), issued.clone());
        let urls: Vec<String> = paths.iter().map(|p| format!("{}{p}", server.base)).collect();
        let token = token.to_string();
        tasks.push(tokio::spawn(async move {
            let mut samples = Samples::default();
            while Instant::now() < deadline {
                let n = issued.fetch_add(1, Ordering::Relaxed);
                if n >= MAX_REQUESTS_PER_PHASE {
                    break;
                }
                let t = Instant::now();
                let response = client.get(&urls[n as usize % urls.len()]).bearer_auth(&token).send().await?;
                let status = response.status();
                response.bytes().await?;
                if !status.is_success() {
                    bail!("the API answered {status}");
                }
                samples.push(t.elapsed());
            }
            Ok(samples)
        }));
    }
    Phase::gather(tasks, started, before, &meter).await
}

/// pgbench at the same concurrency, its per-transaction log read for latencies.
async fn pgbench_phase(
    dataset: &Dataset,
    scripts: &[PathBuf],
    load: Load,
    dir: &Path,
    round: usize,
    meter: Meter,
) -> Result<Phase> {
    let app = &dataset.target.app;
    let mut command = Command::new(pgbench_binary(dataset));
    let seconds = load.phase.as_secs().max(1);
    let prefix = dir.join(format!("log_{round}"));
    command
        // Unnamed statements, parsed and planned each time, as the server sends them.
        .args(["-n", "-M", "extended", "-c", &load.concurrency.to_string(), "-j"])
        .arg(load.concurrency.min(2).to_string())
        .args(["-T", &seconds.to_string(), "-l", "--log-prefix"])
        .arg(&prefix)
        .env("PGUSER", app.get_user().unwrap_or(db::APP_ROLE))
        .env("PGDATABASE", app.get_dbname().unwrap_or(db::DATABASE));
    match app.get_hosts().first() {
        Some(tokio_postgres::config::Host::Unix(path)) => command.env("PGHOST", path),
        Some(tokio_postgres::config::Host::Tcp(host)) => command.env("PGHOST", host),
        None => &mut command,
    };
    if let Some(port) = app.get_ports().first() {
        command.env("PGPORT", port.to_string());
    }
    if let Some(password) = app.get_password() {
        command.env("PGPASSWORD", String::from_utf8_lossy(password).to_string());
    }
    for script in scripts {
        command.arg("-f").arg(script);
    }
    let before = meter.snapshot();
    let out = command.stdin(Stdio::null()).output().await.context("running pgbench (it ships with PostgreSQL)")?;
    let after = meter.snapshot();
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!("pgbench failed: {}\n{}", stdout.trim(), String::from_utf8_lossy(&out.stderr).trim());
    }
    let failed = stdout.lines().find_map(|l| l.strip_prefix("number of failed transactions: ")).unwrap_or("0");
    if !failed.starts_with('0') {
        bail!("pgbench had failed transactions: {failed}");
    }
    let mut samples = Samples::default();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let is_log = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(&format!("log_{round}.")));
        if !is_log {
            continue;
        }
        // client_id transaction_no time_us script_no time_epoch time_us_part
        for line in std::fs::read_to_string(&path)?.lines() {
            if let Some(us) = line.split_whitespace().nth(2).and_then(|v| v.parse::<u64>().ok()) {
                samples.push(Duration::from_micros(us));
            }
        }
        std::fs::remove_file(&path)?;
    }
    if samples.is_empty() {
        bail!("pgbench wrote no transaction log: {}", stdout.trim());
    }
    let cpu = cpu::per_request(before, after, samples.len() as u64, true);
    Ok(Phase { samples, elapsed: Duration::from_secs(seconds), cpu })
}

fn pgbench_binary(dataset: &Dataset) -> PathBuf {
    dataset
        .target
        .cluster
        .as_ref()
        .map(|c| c.bin("pgbench"))
        .filter(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from("pgbench"))
}

/// A session for `user`, as login would open it; returns the bearer token.
pub async fn session_token(dataset: &Dataset, user: Uuid) -> Result<String> {
    let token = tenantbase::api::auth::new_session_token();
    let hash = tenantbase::api::auth::hash_token(&token);
    let admin = dataset.target.connect_admin().await?;
    admin
        .query(
            "SELECT platform.start_session($1, $2, interval '1 day', NULL, 'tenantbase bench', $3)",
            &[&user, &hash.as_slice(), &dataset.target.clock.now()],
        )
        .await?;
    Ok(token)
}

/// The literal of a uuid in SQL text.
pub fn uuid_literal(id: Uuid) -> String {
    format!("'{id}'::uuid")
}

#[cfg(test)]
mod tests {
    use super::*;
    use tenantbase::clock::Clock;
    use tenantbase::db::ContextKey;

    #[test]
    fn a_pgbench_script_pipelines_the_apps_begin_text_the_statement_and_commit() {
        let ctx = TenantCtx::new(Uuid::from_u128(1), Uuid::from_u128(2));
        let literals: Vec<String> = (1..=10).map(|i| format!("'v{i}'")).collect();
        let signer = Signer::new(ContextKey::generate(), Clock::system());
        let script = pgbench_script(&ctx, &signer, "SELECT $1, $10\nFROM t", &literals);
        let lines: Vec<&str> = script.lines().collect();
        assert_eq!(lines.first(), Some(&"\\startpipeline"));
        assert_eq!(lines.last(), Some(&"\\endpipeline"));
        assert_eq!(lines[1], "BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;");
        let begin_statements = signer.begin_sql(&ctx).split("; ").count();
        assert_eq!(lines.len(), begin_statements + 4, "{script}");
        assert!(lines.iter().any(|l| l.starts_with("SET LOCAL app.context = 'v2.")), "{script}");
        assert!(!script.contains(':'), "no colon for pgbench to read as a variable: {script}");
        assert_eq!(lines[lines.len() - 3], "SELECT 'v1', 'v10' FROM t;", "$10 is not read as $1 followed by 0");
        assert_eq!(lines[lines.len() - 2], "COMMIT;");
    }
}
