//! The command line: one binary for the database, the schema, the demo and the server.

mod audit_seal;
mod backup;
mod keys;
mod output;
mod tenant;

pub use output::error_message;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Result};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use crate::api::client_address::{AddressRange, TrustedProxies};
use crate::api::{self, AppState, ServerLimits};
use crate::audit;
use crate::credentials::hashing::{HashingPool, DEFAULT_QUEUE_PER_THREAD};
use crate::db::{
    self, cluster::Cluster, cluster::Durability, migrate, verifier, AccountDb, RequestMeta, Target, TenantCtx,
};
use crate::isolation::{attack, check};
use crate::seed::{demo, scale};

/// A context printed for a person at psql lives longer than the server's.
const PSQL_CONTEXT_TTL: Duration = Duration::from_secs(15 * 60);
/// Account work is a few short statements per login or cache miss.
const ACCOUNT_POOL_SIZE: usize = 4;

#[derive(Parser, Debug)]
#[command(
    name = "tenantbase",
    version,
    about = "The multi-tenant data layer: PostgreSQL under forced RLS, its API, and the proof of its isolation."
)]
pub struct Cli {
    /// Where the private PostgreSQL cluster lives (used when DATABASE_URL is not set)
    /// [default: $XDG_DATA_HOME/tenantbase, else /var/lib/tenantbase for root, else ~/.local/share/tenantbase].
    #[arg(long, global = true, env = "TENANTBASE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    /// Use this PostgreSQL server (a superuser URL) instead of the private cluster.
    #[arg(long, global = true, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// The operator's ed25519 key, which signs audit checkpoints and backup and export manifests
    /// (default: tenantbase/operator.key in the user's configuration directory, never beside the data).
    #[arg(long, global = true, env = crate::signing::KEY_ENV)]
    pub operator_key: Option<PathBuf>,

    /// The erasure ledger: one signed line per erasure, replayed by `restore` so that a backup taken
    /// before an erasure does not bring it back (default: erasure-ledger.jsonl beside the operator key).
    #[arg(long, global = true, env = "TENANTBASE_ERASURE_LEDGER")]
    pub erasure_ledger: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Manage the private PostgreSQL cluster.
    Db {
        #[command(subcommand)]
        action: DbAction,
    },
    /// Create the roles and apply the embedded migrations (a no-op when up to date).
    Migrate,
    /// Load data.
    Seed {
        #[command(subcommand)]
        what: SeedWhat,
    },
    /// Serve the HTTP API.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "TENANTBASE_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        /// Connections in the app role's pool.
        #[arg(long, env = "TENANTBASE_POOL_SIZE", default_value_t = 16,
              value_parser = clap::value_parser!(u16).range(1..))]
        pool_size: u16,
        /// Address serving /metrics (Prometheus text format), apart from the API; none when unset.
        #[arg(long, env = "TENANTBASE_METRICS_LISTEN")]
        metrics_listen: Option<String>,
        #[command(flatten)]
        server: ServerArgs,
    },
    /// Lint the live catalog for incomplete isolation; exit status 1 on any finding.
    Check {
        /// Print the findings as JSON.
        #[arg(long)]
        json: bool,
        /// List the rules instead of checking.
        #[arg(long, conflicts_with = "json")]
        rules: bool,
    },
    /// Attack every tenant table, view and function as the demo tenant Acme against
    /// Tech Startup; exit status 1 on any leak or inconclusive vector.
    Attack {
        /// Print the findings as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print a signed tenant context (its SET LOCAL line) for psql, as the app role would act.
    Context {
        /// The tenant's slug.
        #[arg(long)]
        tenant: String,
        /// The acting user's email: an active member of the tenant (omit to act on no
        /// user's behalf: read-only).
        #[arg(long)]
        user: Option<String>,
        /// Your own email, as the operator acting on the user's behalf: recorded as the
        /// impersonator with every change; also allows a user who is not a member.
        #[arg(long)]
        operator: Option<String>,
        /// How long the context may open a transaction, in seconds.
        #[arg(long, default_value_t = PSQL_CONTEXT_TTL.as_secs())]
        ttl: u64,
    },
    /// Measure isolation's cost side by side on a skewed data set in a scratch database
    /// (RLS, context, API against pgbench, writes, growth); writes a report folder.
    /// Runs the benchmark's own binary, tenantbase-bench, built beside this one (`tenantbase bench --help`).
    #[command(disable_help_flag = true)]
    Bench {
        /// The benchmark's options, passed to tenantbase-bench as given.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Platform operations on tenants' credits.
    Credits {
        #[command(subcommand)]
        action: CreditsAction,
    },
    /// Create the missing monthly partitions of the analytics time series and move the rows waiting in their
    /// default partitions into them (run daily by cron, or let `serve` do it).
    Partitions {
        /// How many months ahead of the current one to create (at most 24).
        #[arg(long, default_value_t = 3)]
        months_ahead: i32,
        /// How many months before the current one to create (at most 120).
        #[arg(long, default_value_t = 0)]
        months_back: i32,
    },
    /// Write every project's analytics snapshot of a day (run daily by cron, or let `serve` do it).
    Snapshot {
        /// The day, as YYYY-MM-DD (default: today, UTC).
        #[arg(long)]
        day: Option<chrono::NaiveDate>,
    },
    /// The audit trail: verify its hash chains, apply retention.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// One tenant's life: delete, restore, erase, purge, export, import.
    Tenant {
        #[command(subcommand)]
        action: tenant::TenantAction,
    },
    /// Back the database up into a directory: dump, sealing key (wrapped), signed manifest.
    Backup(backup::BackupArgs),
    /// Restore a backup into an empty database, then prove it (rows, check, audit verify).
    Restore(backup::RestoreArgs),
    /// The keys: where each lives, who may read it, rotation.
    Keys {
        #[command(subcommand)]
        action: keys::KeysAction,
    },
    /// Start the database, migrate, seed the demo tenants and serve, printing what to try.
    Demo {
        /// Address to listen on.
        #[arg(long, env = "TENANTBASE_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        #[command(flatten)]
        server: ServerArgs,
    },
}

/// What a client can make the server do: proxies, password hashing, connections and timeouts.
#[derive(clap::Args, Debug, Clone)]
pub struct ServerArgs {
    /// Proxies (addresses or networks, comma-separated) whose X-Forwarded-For names the client;
    /// from any other peer the header is ignored.
    #[arg(long, env = "TENANTBASE_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<AddressRange>,
    /// Threads hashing and verifying passwords (argon2, 19 MiB each) [default: the number of CPUs].
    #[arg(long, env = "TENANTBASE_HASHING_THREADS")]
    pub hashing_threads: Option<usize>,
    /// Logins and sign-ups waiting for a hashing thread; beyond them, 503 with Retry-After
    /// [default: 16 per thread].
    #[arg(long, env = "TENANTBASE_HASHING_QUEUE")]
    pub hashing_queue: Option<usize>,
    /// Open connections; more wait in the kernel's accept queue (keep it under `ulimit -n`).
    #[arg(long, env = "TENANTBASE_MAX_CONNECTIONS", default_value_t = ServerLimits::default().max_connections)]
    pub max_connections: usize,
    /// Seconds a client has to send a request's headers, from the connection (or the request's first byte).
    #[arg(long, env = "TENANTBASE_HEADER_TIMEOUT", value_parser = seconds, default_value = "10")]
    pub header_timeout: Duration,
    /// Seconds a request body may pause before the request answers 408.
    #[arg(long, env = "TENANTBASE_BODY_TIMEOUT", value_parser = seconds, default_value = "10")]
    pub body_timeout: Duration,
    /// Seconds from a request's headers to its answer before it answers 503.
    #[arg(long, env = "TENANTBASE_REQUEST_TIMEOUT", value_parser = seconds, default_value = "30")]
    pub request_timeout: Duration,
    /// Seconds a kept-alive connection may wait for its next request.
    #[arg(long, env = "TENANTBASE_IDLE_TIMEOUT", value_parser = seconds, default_value = "60")]
    pub idle_timeout: Duration,
    /// Seconds from SIGTERM to the listener's close, /readyz answering 503 meanwhile.
    #[arg(long, env = "TENANTBASE_DRAIN_PERIOD", value_parser = seconds, default_value = "5")]
    pub drain_period: Duration,
    /// Seconds from SIGTERM to the exit, whatever is still in flight.
    #[arg(long, env = "TENANTBASE_SHUTDOWN_DEADLINE", value_parser = seconds, default_value = "30")]
    pub shutdown_deadline: Duration,
    /// Seconds between two rounds of the audit sealer, which chains the entries written meanwhile.
    #[arg(long, env = "TENANTBASE_AUDIT_SEAL_INTERVAL", value_parser = seconds, default_value = "0.2")]
    pub audit_seal_interval: Duration,
    /// Days a tenant its owner deletes through the API stays restorable (at least 1).
    #[arg(long, env = "TENANTBASE_DELETION_WINDOW_DAYS", default_value_t = crate::lifecycle::DEFAULT_WINDOW_DAYS,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub deletion_window_days: u32,
    /// Where the sealer writes signed checkpoints of the audit chains (with the operator key), every 10 s.
    #[arg(long, env = "TENANTBASE_AUDIT_CHECKPOINTS", value_name = "DIR")]
    pub audit_checkpoints: Option<PathBuf>,
}

impl ServerArgs {
    /// `state` with these bounds.
    pub fn apply(&self, mut state: AppState) -> AppState {
        let threads = self.hashing_threads.unwrap_or_else(|| state.hashing.threads());
        let queue = self.hashing_queue.unwrap_or(threads * DEFAULT_QUEUE_PER_THREAD);
        if (threads, queue) != (state.hashing.threads(), state.hashing.queue()) {
            state.hashing = HashingPool::new(threads, queue);
        }
        state.trusted_proxies = TrustedProxies::new(self.trusted_proxies.clone());
        state.deletion_window = chrono::Duration::days(self.deletion_window_days.into());
        state.limits = ServerLimits {
            max_connections: self.max_connections.max(1),
            header_timeout: self.header_timeout,
            body_timeout: self.body_timeout,
            request_timeout: self.request_timeout,
            idle_timeout: self.idle_timeout,
            drain_period: self.drain_period,
            shutdown_deadline: self.shutdown_deadline.max(self.drain_period),
        };
        state
    }
}

/// The first day of a month written YYYY-MM.
fn month(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d")
        .map_err(|_| format!("{text} is not a month written YYYY-MM (e.g. 2026-01)"))
}

/// A positive number of seconds, fractions allowed.
fn seconds(text: &str) -> Result<Duration, String> {
    text.parse::<f64>()
        .ok()
        .filter(|s| *s > 0.0)
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| format!("{text} is not a positive number of seconds"))
}

#[derive(Subcommand, Debug)]
pub enum DbAction {
    /// Start the private cluster (created on first use); finds it if already running.
    Start,
    /// Stop the private cluster cleanly.
    Stop,
    /// Tell whether the private cluster runs, and where.
    Status,
    /// Print a psql-compatible URL for the database.
    Url {
        /// Which role the URL logs in as.
        #[arg(long, value_enum, default_value = "admin")]
        role: UrlRole,
    },
    /// Write the compiled context verifier for a PostgreSQL server of your own: copy it into that
    /// server's `pg_config --pkglibdir`, then `migrate` puts it in place of the PL/pgSQL one.
    VerifierLibrary {
        /// Where to write it.
        #[arg(long, default_value = "tenantbase_context.so")]
        out: std::path::PathBuf,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum UrlRole {
    Admin,
    App,
}

#[derive(Subcommand, Debug)]
pub enum AuditAction {
    /// Walk every hash chain (or one tenant's) and report the first broken link of each;
    /// exit status 1 when one is broken.
    Verify {
        /// Only this tenant's chain (its slug or id).
        #[arg(long)]
        tenant: Option<String>,
        /// Also check each chain against its newest signed checkpoint in DIR (the operator's public key verifies them).
        #[arg(long, value_name = "DIR")]
        checkpoints: Option<PathBuf>,
    },
    /// Seal the entries written so far into their hash chains (`serve` does it continuously).
    Seal {
        /// Then write signed checkpoints of the chains that moved to DIR (with the operator key).
        #[arg(long, value_name = "DIR")]
        checkpoints: Option<PathBuf>,
    },
    /// Erase a user's personal data from the trail: every payload naming them becomes a tombstone,
    /// the chains stay intact, and each erasure is itself an entry.
    Erase {
        /// The user's email.
        #[arg(long, value_name = "EMAIL")]
        user: String,
    },
    /// Create the coming months' partitions; export (if asked) and drop those older than the retention.
    Prune {
        /// Keep entries this many days at least (never fewer than 90).
        #[arg(long, default_value_t = audit::DEFAULT_RETENTION_DAYS,
              value_parser = clap::value_parser!(u32).range(audit::MIN_RETENTION_DAYS as i64..))]
        retention_days: u32,
        /// Write each partition to <DIR>/<partition>.csv before dropping it.
        #[arg(long, value_name = "DIR")]
        export_dir: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum SeedWhat {
    /// The demo tenants, users and business data (idempotent).
    Demo,
    /// A large skewed data set for benchmarks, bulk loaded with COPY (adds new tenants on every run).
    Scale {
        /// How many tenants to create.
        #[arg(long, default_value_t = 100)]
        tenants: usize,
        /// The average number of rows per tenant over all loaded tables; Zipf-skewed between tenants.
        #[arg(long, default_value_t = 1000)]
        rows_per_tenant: usize,
        /// Seed of the generator: the same seed generates the same rows.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Switch the audit trail off while the rows load (about four times faster; for scratch databases only:
        /// every table's recording is off meanwhile, and the switches are recorded on the platform chain).
        #[arg(long)]
        without_audit: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum CreditsAction {
    /// Reset every tenant's monthly credit usage, once per month, and complete tasks parked for credits.
    ResetMonthly {
        /// The month to open, as YYYY-MM (default: the current month).
        #[arg(long, value_parser = month)]
        month: Option<chrono::NaiveDate>,
    },
    /// Add credits to a tenant and complete the tasks it had parked for lack of them.
    Add {
        /// The tenant's slug.
        #[arg(long)]
        tenant: String,
        /// How many credits to add (a positive number).
        #[arg(long, allow_negative_numbers = true, value_parser = clap::value_parser!(i32).range(1..))]
        amount: i32,
    },
}

impl Cli {
    /// Where the operator key lives: `--operator-key`, else the user's configuration directory.
    pub fn operator_key_path(&self) -> PathBuf {
        self.operator_key.clone().unwrap_or_else(crate::signing::default_key_path)
    }

    /// Runs the command; the exit code is 1 when a check or attack found a problem.
    pub async fn run(self) -> Result<ExitCode> {
        match &self.command {
            Command::Check { rules: true, .. } => {
                let rules: Vec<String> =
                    check::RULES.iter().map(|rule| format!("{:<30} {}", rule.name, rule.summary)).collect();
                Ok(output::print(&rules.join("\n"))?)
            }
            Command::Check { json, .. } => return self.check(*json).await,
            Command::Attack { json } => return self.attack(*json).await,
            Command::Db { action } => self.db(action),
            Command::Migrate => {
                let target = self.target_creating()?;
                let report = migrate::migrate(&target).await?;
                let applied = report.applied_migrations();
                if applied.is_empty() {
                    println!("Schema is up to date.");
                }
                for m in applied {
                    println!("applied {m}");
                }
                let admin = target.connect_admin().await?;
                let created =
                    admin.query("SELECT analytics.ensure_partitions($1, 3)", &[&target.clock.today()]).await?;
                if !created.is_empty() {
                    println!("created {} analytics partitions", created.len());
                }
                match verifier::installed(&admin).await? {
                    verifier::Verifier::Native(library) => println!("context verifier: compiled ({library})"),
                    verifier::Verifier::PlPgSql => {
                        println!("context verifier: PL/pgSQL (the compiled one cannot be loaded by this server)")
                    }
                }
                Ok(())
            }
            Command::Seed { what: SeedWhat::Demo } => {
                let target = self.target()?;
                let seeded = demo::seed(&target, &target.app_db(4).await?).await?;
                // Chained now, not when a server's sealer next runs: `audit verify` and `attack` read sealed entries.
                let sealed = audit::seal(&target.connect_admin().await?).await?;
                println!(
                    "Seeded {} demo tenants and {} users; {sealed} audit entries sealed.",
                    seeded.tenants.len(),
                    seeded.users.len()
                );
                Ok(())
            }
            Command::Seed { what: SeedWhat::Scale { tenants, rows_per_tenant, seed, without_audit } } => {
                let target = self.target()?;
                let options = scale::ScaleOptions {
                    tenants: *tenants,
                    rows_per_tenant: *rows_per_tenant,
                    seed: *seed,
                    progress: true,
                    audit: !without_audit,
                };
                let report = scale::seed_scale(&target, &options).await?;
                for (table, rows, took) in &report.per_table {
                    println!("  {table:<28} {rows:>10} rows in {:>6.1} s", took.as_secs_f64());
                }
                println!(
                    "Loaded {} rows into {} tenants in {:.1} s: {:.0} rows/s.",
                    report.rows,
                    report.tenants,
                    report.elapsed.as_secs_f64(),
                    report.rows_per_second()
                );
                Ok(())
            }
            Command::Serve { listen, pool_size, metrics_listen, server } => {
                let listener = bind(listen).await?;
                let target = self.target()?;
                println!("tenantbase serving on http://{}", listener.local_addr()?);
                let db = target.app_db((*pool_size).into()).await?;
                let accounts = target.account_db(ACCOUNT_POOL_SIZE).await?;
                // A key read from the database follows its rotations; a configured one is the operator's.
                if target.context_key.is_none() {
                    crate::db::context::spawn_key_refresh(
                        target.admin.clone(),
                        vec![db.signer().clone(), accounts.signer().clone()],
                        crate::db::context::KEY_REFRESH,
                    );
                }
                daily_maintenance(accounts.clone());
                let checkpoints = audit_seal::checkpointer(
                    server.audit_checkpoints.as_deref(),
                    &self.operator_key_path(),
                    &target.clock,
                )?;
                audit::spawn_sealer(accounts.clone(), server.audit_seal_interval, checkpoints);
                let state = server.apply(AppState::new(db, accounts, self.sealer()?).await?);
                if let Some(address) = metrics_listen {
                    let metrics = bind(address).await?;
                    println!("metrics on http://{}/metrics", metrics.local_addr()?);
                    tokio::spawn(std::future::IntoFuture::into_future(axum::serve(
                        metrics,
                        api::metrics::router(state.clone()),
                    )));
                }
                api::serve(listener, state).await
            }
            Command::Credits { action } => self.credits(action).await,
            Command::Tenant { action } => self.tenant(action).await,
            Command::Partitions { months_ahead, months_back } => {
                let target = self.target()?;
                let admin = target.connect_admin().await?;
                let created = admin
                    .query(
                        "SELECT analytics.ensure_partitions($1, $2, $3)::text",
                        &[&target.clock.today(), months_ahead, months_back],
                    )
                    .await?;
                for row in &created {
                    println!("created {}", row.get::<_, String>(0));
                }
                println!(
                    "{} partitions created; {months_back} months back to {months_ahead} ahead are covered.",
                    created.len()
                );
                Ok(())
            }
            Command::Snapshot { day } => {
                let target = self.target()?;
                let day = day.unwrap_or_else(|| target.clock.today());
                let written: i64 = target
                    .connect_admin()
                    .await?
                    .query_one("SELECT analytics.snapshot_projects($1)", &[&day])
                    .await?
                    .get(0);
                println!("{written} project snapshots written for {day}.");
                Ok(())
            }
            Command::Context { tenant, user, operator, ttl } => {
                self.context(tenant, user.as_deref(), operator.as_deref(), *ttl).await
            }
            Command::Audit { action } => self.audit(action).await,
            Command::Backup(args) => self.backup(args).await,
            Command::Restore(args) => self.restore(args).await,
            Command::Keys { action } => self.keys(action).await,
            Command::Demo { listen, server } => self.demo(listen, server).await,
            Command::Bench { args } => self.bench(args),
        }
        .map(|()| ExitCode::SUCCESS)
    }

    async fn check(&self, json: bool) -> Result<ExitCode> {
        let target = self.target()?;
        let findings = check::run(&target.connect_admin().await?).await?;
        let text = if json {
            serde_json::to_string_pretty(&serde_json::json!({ "findings": findings }))?
        } else if findings.is_empty() {
            format!("tenantbase check: {} rules, no finding.", check::RULES.len())
        } else {
            let listed: String = findings.iter().map(|finding| format!("{finding}\n\n")).collect();
            format!("{listed}tenantbase check: {} findings ({} rules).", findings.len(), check::RULES.len())
        };
        output::print(&text)?;
        Ok(if findings.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
    }

    async fn attack(&self, json: bool) -> Result<ExitCode> {
        let target = self.target()?;
        let admin = target.connect_admin().await?;
        let actors = attack::Actors::demo(&admin).await?;
        let findings = attack::run(&admin, &target.app, &target.signer().await?, actors).await?;
        output::print(&if json {
            serde_json::to_string_pretty(&serde_json::json!({ "findings": findings }))?
        } else {
            format!("{}\n{}", attack::render(&findings), attack::summary(&findings))
        })?;
        Ok(if attack::all_blocked(&findings) { ExitCode::SUCCESS } else { ExitCode::FAILURE })
    }

    /// Looks the tenant and user up over the admin connection and prints the
    /// statements that open a transaction acting as them. A context is signed only
    /// for an active member, unless an operator names themselves: then the audit
    /// trail records them as the impersonator of every change made with it.
    async fn context(&self, slug: &str, email: Option<&str>, operator: Option<&str>, ttl: u64) -> Result<()> {
        let target = self.target()?;
        let admin = target.connect_admin().await?;
        let Some(tenant) = admin
            .query_opt("SELECT id FROM tenancy.tenants WHERE slug = $1::text::citext AND deleted_at IS NULL", &[&slug])
            .await?
        else {
            bail!("no tenant has the slug {slug}");
        };
        let tenant_id: uuid::Uuid = tenant.get(0);
        let user_id = |email: &str| {
            let admin = &admin;
            let email = email.to_string();
            async move {
                match admin
                    .query_opt(
                        "SELECT id FROM tenancy.users WHERE email = $1::text::citext AND deleted_at IS NULL",
                        &[&email],
                    )
                    .await?
                {
                    Some(row) => Ok::<uuid::Uuid, anyhow::Error>(row.get(0)),
                    None => bail!("no user has the email {email}"),
                }
            }
        };
        let impersonated_by = match operator {
            Some(operator) => Some(user_id(operator).await?),
            None => None,
        };
        let user = match email {
            None => None,
            Some(email) => {
                let user = user_id(email).await?;
                let member = admin
                    .query_opt(
                        "SELECT 1 FROM tenancy.memberships WHERE tenant_id = $1 AND user_id = $2 AND status = 'active'",
                        &[&tenant_id, &user],
                    )
                    .await?
                    .is_some();
                if !member && impersonated_by.is_none() {
                    bail!(
                        "{email} is not an active member of {slug}: no context is signed for them \
                         (an operator acting on their behalf passes --operator <own email>, recorded as the impersonator)"
                    );
                }
                Some(user)
            }
        };
        let meta = RequestMeta {
            request_id: Some(format!("cli-context-{}", uuid::Uuid::new_v4().simple())),
            impersonated_by,
            user_agent: Some("tenantbase context".into()),
            ..Default::default()
        };
        let ctx = TenantCtx { tenant_id, user_id: user, meta };
        println!("BEGIN; {};", target.signer().await?.context_sql(&ctx, Duration::from_secs(ttl)));
        Ok(())
    }

    async fn audit(&self, action: &AuditAction) -> Result<()> {
        let target = self.target()?;
        let mut admin = target.connect_admin().await?;
        match action {
            AuditAction::Verify { tenant, checkpoints } => {
                let progress = progress_bar(None, "{spinner} {pos} entries verified ({per_sec}) {msg}");
                let mut report = audit::verify(&mut admin, tenant.as_deref(), target.clock.today(), &progress).await?;
                progress.finish_and_clear();
                if let Some(dir) = checkpoints {
                    audit_seal::check_checkpoints(&admin, &mut report, dir, &self.operator_key_path()).await?;
                }
                for chain in &report.chains {
                    println!("{chain}");
                }
                println!("{}", audit_seal::describe_lag(&report.lag, target.clock.now()));
                let broken = report.broken().count();
                if broken > 0 {
                    bail!("{broken} audit chain(s) broken");
                }
                Ok(())
            }
            AuditAction::Seal { checkpoints } => {
                let checkpointer =
                    audit_seal::checkpointer(checkpoints.as_deref(), &self.operator_key_path(), &target.clock)?;
                audit_seal::run(&admin, &target.clock, checkpointer).await
            }
            AuditAction::Erase { user } => {
                println!("erased the payloads of {} entries", audit::erase_user_payloads(&admin, user).await?);
                Ok(())
            }
            AuditAction::Prune { retention_days, export_dir } => {
                let options = audit::PruneOptions { retention_days: *retention_days, export_dir: export_dir.clone() };
                let progress = progress_bar(Some(0), "{bar:30} {pos}/{len} partitions {msg}");
                let report = audit::prune(&mut admin, &options, &target.clock, &progress).await?;
                progress.finish_and_clear();
                for name in &report.created {
                    println!("created {name}");
                }
                for p in &report.pruned {
                    let export =
                        p.export.as_ref().map(|(path, sha)| format!(", exported to {} (sha256 {sha})", path.display()));
                    println!(
                        "dropped {} ({} to {}): {} entries{}",
                        p.name,
                        p.from.date_naive(),
                        p.to.date_naive(),
                        p.entries,
                        export.unwrap_or_default()
                    );
                }
                if report.pruned.is_empty() {
                    println!("No partition is older than {retention_days} days.");
                }
                Ok(())
            }
        }
    }

    /// Replaces this process with the benchmark's binary, with the same database.
    fn bench(&self, args: &[String]) -> Result<()> {
        use std::os::unix::process::CommandExt;
        let beside = std::env::current_exe()?.with_file_name("tenantbase-bench");
        let program = if beside.exists() { beside } else { PathBuf::from("tenantbase-bench") };
        let mut command = std::process::Command::new(&program);
        command.args(args).env("TENANTBASE_DATA_DIR", self.data_dir());
        if let Some(url) = &self.database_url {
            command.env("DATABASE_URL", url);
        }
        let e = command.exec();
        bail!(
            "could not run {} ({e}): the benchmark is its own binary; build it beside tenantbase with \
             `cargo build --release -p tenantbase-bench` (scripts/demo.sh and scripts/test.sh build it)",
            program.display()
        )
    }

    /// The database of a command that works on existing data: never creates a cluster.
    fn target(&self) -> Result<Target> {
        Target::resolve(self.database_url.as_deref(), &self.data_dir(), false)
    }

    /// The database of `migrate` and `demo`, which create the private cluster on first use.
    fn target_creating(&self) -> Result<Target> {
        Target::resolve(self.database_url.as_deref(), &self.data_dir(), true)
    }

    /// This binary's path, with the data directory when it is not the default: the demo's
    /// lines work as printed from any directory, tenantbase on PATH or not.
    fn invocation(&self) -> String {
        let exe = std::env::current_exe().map(|p| p.display().to_string()).unwrap_or_else(|_| "tenantbase".into());
        let data_dir = Cluster::new(self.data_dir(), Durability::Durable).map(|c| c.root().to_path_buf());
        match data_dir {
            Ok(dir) if self.database_url.is_none() && dir != crate::db::cluster::default_data_dir() => {
                format!("{exe} --data-dir {}", dir.display())
            }
            _ => exe,
        }
    }

    /// `--data-dir`/`TENANTBASE_DATA_DIR` (relative to the working directory), else the default, absolute.
    pub fn data_dir(&self) -> PathBuf {
        self.data_dir.clone().unwrap_or_else(crate::db::cluster::default_data_dir)
    }

    /// The key that seals secrets: `TENANTBASE_SECRET_KEY`, else the private cluster's key file.
    fn sealer(&self) -> Result<Option<crate::secrets::Sealer>> {
        let key_file = self.database_url.is_none().then(|| self.data_dir().join("secret.key"));
        crate::secrets::Sealer::from_env_or_file(key_file.as_deref())
    }

    fn cluster(&self) -> Result<Cluster> {
        if self.database_url.is_some() {
            bail!("DATABASE_URL is set: tenantbase uses that server and runs no cluster of its own");
        }
        Cluster::new(self.data_dir(), Durability::Durable)
    }

    fn db(&self, action: &DbAction) -> Result<()> {
        match action {
            DbAction::Start => {
                let cluster = self.cluster()?;
                let running = cluster.start()?;
                println!(
                    "PostgreSQL runs (pid {}) on port {}, socket in {}",
                    running.pid,
                    running.port,
                    running.socket_dir.display()
                );
            }
            DbAction::Stop => {
                let cluster = self.cluster()?;
                if cluster.stop()? {
                    println!("PostgreSQL stopped.");
                } else {
                    println!("PostgreSQL was not running.");
                }
            }
            DbAction::Status => {
                let cluster = self.cluster()?;
                match cluster.running()? {
                    Some(r) => println!(
                        "running: pid {}, port {}, socket {}, data {}",
                        r.pid,
                        r.port,
                        r.socket_dir.display(),
                        cluster.root().display()
                    ),
                    None if cluster.exists() => println!("stopped (data directory {})", cluster.root().display()),
                    None => println!("{}", cluster.missing_hint()),
                }
            }
            DbAction::Url { role } => {
                let target = self.target()?;
                let config = match role {
                    UrlRole::Admin => &target.admin,
                    UrlRole::App => &target.app,
                };
                println!("{}", db::url_of(config));
            }
            DbAction::VerifierLibrary { out } => {
                verifier::write_library(out)?;
                println!(
                    "Wrote {} (PostgreSQL {}): install it in the server's `pg_config --pkglibdir`.",
                    out.display(),
                    verifier::BUILT_FOR
                );
            }
        }
        Ok(())
    }

    async fn credits(&self, action: &CreditsAction) -> Result<()> {
        let target = self.target()?;
        let admin = target.connect_admin().await?;
        match action {
            CreditsAction::ResetMonthly { month } => {
                let this_month =
                    chrono::Datelike::with_day(&target.clock.today(), 1).expect("every month has a first day");
                let reset: i32 = admin
                    .query_one("SELECT platform.reset_monthly_credits($1)", &[&month.unwrap_or(this_month)])
                    .await?
                    .get(0);
                println!("Monthly credit usage reset for {reset} tenants.");
            }
            CreditsAction::Add { tenant, amount } => {
                let Some(row) =
                    admin.query_opt("SELECT id FROM tenancy.tenants WHERE slug = $1::text::citext", &[tenant]).await?
                else {
                    bail!("no tenant has the slug {tenant}");
                };
                let tenant_id: uuid::Uuid = row.get(0);
                let released: i32 =
                    admin.query_one("SELECT platform.add_credits($1, $2)", &[&tenant_id, amount]).await?.get(0);
                println!("Added {amount} credits to {tenant}; {released} parked tasks completed.");
            }
        }
        Ok(())
    }

    async fn demo(&self, listen: &str, server: &ServerArgs) -> Result<()> {
        let listener = bind(listen).await?;
        let target = self.target_creating()?;
        migrate::migrate(&target).await?;
        let app_db = target.app_db(16).await?;
        let accounts = target.account_db(ACCOUNT_POOL_SIZE).await?;
        daily_maintenance(accounts.clone());
        let checkpoints =
            audit_seal::checkpointer(server.audit_checkpoints.as_deref(), &self.operator_key_path(), &target.clock)?;
        audit::spawn_sealer(accounts.clone(), server.audit_seal_interval, checkpoints);
        let seeded = demo::seed(&target, &app_db).await?;
        let addr = listener.local_addr()?;
        let app_url = db::url_of(&target.app);
        let acme = seeded.tenant("acme");
        let tenantbase = self.invocation();
        println!(
            "\ntenantbase demo is running.\n\n\
             API         http://{addr}   (try: curl http://{addr}/healthz  and  curl http://{addr}/readyz)\n\
             Database    {admin}\n\n\
             Demo users, all with the password '{password}':",
            admin = db::url_of(&target.admin),
            password = demo::DEMO_PASSWORD,
        );
        for m in demo::MEMBERS {
            println!("  {:<24} {:<8} of {}", m.email, m.role, m.tenant);
        }
        println!(
            "\nAct as Alice in Acme from psql, as the app role under RLS (see docs/acting-as-a-tenant.md; each run\n\
             signs a fresh context, valid {minutes} minutes):\n  \
             psql \"{app_url}\" -c \"$({tenantbase} context --tenant acme --user alice@acme.com) \
             SELECT name, slug FROM tenancy.tenants; COMMIT;\"\n\
             Without a signed context (or with an expired one, or one written by hand) every tenant table answers \
             zero rows.\n\n\
             Try the API as Alice (paste these lines into a shell):",
            minutes = PSQL_CONTEXT_TTL.as_secs() / 60,
        );
        for line in curl_walkthrough(&addr.to_string(), acme, seeded.tenant("tech-startup")) {
            println!("  {line}");
        }
        println!(
            "\nThe API is described at http://{addr}/openapi.json\n\
             Stop with Ctrl-C; `{tenantbase} db stop` stops PostgreSQL.\n"
        );
        api::serve(listener, server.apply(AppState::new(app_db, accounts, self.sealer()?).await?)).await
    }
}

/// Binds the API's address, saying what to do when it is taken.
async fn bind(listen: &str) -> Result<tokio::net::TcpListener> {
    match tokio::net::TcpListener::bind(listen).await {
        Ok(listener) => Ok(listener),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => bail!(
            "{listen} is already in use (another tenantbase serve or demo?): stop that process, \
             or listen elsewhere with --listen ADDRESS:PORT or TENANTBASE_LISTEN"
        ),
        Err(e) => Err(anyhow::Error::new(e).context(format!("listening on {listen}"))),
    }
}

/// Shell lines that log in as Alice and show isolation through the API; the demo
/// prints them and a test runs them exactly as printed.
pub fn curl_walkthrough(addr: &str, acme: uuid::Uuid, other: uuid::Uuid) -> Vec<String> {
    let base = format!("http://{addr}");
    vec![
        format!(
            "TOKEN=$(curl -s -X POST {base}/v1/auth/login -H 'content-type: application/json' \\\n    -d '{{\"email\":\"alice@acme.com\",\"password\":\"{}\"}}' | sed -E 's/.*\"token\":\"([^\"]+)\".*/\\1/')",
            demo::DEMO_PASSWORD
        ),
        format!("curl -s {base}/v1/me -H \"authorization: Bearer $TOKEN\""),
        format!("curl -s {base}/v1/tenants/{acme}/members -H \"authorization: Bearer $TOKEN\""),
        format!("curl -s {base}/v1/tenants/{acme}/roles -H \"authorization: Bearer $TOKEN\""),
        format!("curl -s {base}/v1/tenants/{other}/members -H \"authorization: Bearer $TOKEN\"   # another tenant: 404"),
    ]
}

/// The server's platform maintenance, at start and once a day: the analytics time
/// series never run out of partitions (and rows waiting in a default partition move
/// into their month), and every project gets the day's snapshot.
fn daily_maintenance(db: AccountDb) {
    tokio::spawn(async move {
        let mut daily = tokio::time::interval(std::time::Duration::from_secs(24 * 60 * 60));
        loop {
            daily.tick().await;
            let today = db.clock().today();
            if let Err(e) = db.ensure_partitions(today, 3).await {
                tracing::warn!(error = %e, "creating the next analytics partitions failed");
            }
            if let Err(e) = db.snapshot_projects(today).await {
                tracing::warn!(error = %e, "writing the day's project snapshots failed");
            }
        }
    });
}

/// A progress bar on stderr (drawn on a terminal, logged every 30 s elsewhere): a spinner without a length.
fn progress_bar(length: Option<u64>, template: &str) -> ProgressBar {
    let bar = match length {
        Some(length) => ProgressBar::new(length),
        None => ProgressBar::new_spinner(),
    };
    bar.set_style(ProgressStyle::with_template(template).expect("a valid progress template"));
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    crate::progress::log_when_not_a_terminal(&bar);
    bar
}
