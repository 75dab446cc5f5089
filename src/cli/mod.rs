//! The command line: one binary for the database, the schema, the demo and the server.

use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use crate::api::{self, AppState};
use crate::audit;
use crate::db::{self, cluster::Cluster, cluster::Durability, migrate, Db, Target};
use crate::seed::demo;

#[derive(Parser, Debug)]
#[command(name = "tenantbase", version, about = "The multi-tenant data layer: PostgreSQL under forced RLS, its API, and the proof of its isolation.")]
pub struct Cli {
    /// Where the private PostgreSQL cluster lives (used when DATABASE_URL is not set).
    #[arg(long, global = true, env = "TENANTBASE_DATA_DIR", default_value = ".tenantbase")]
    pub data_dir: PathBuf,

    /// Use this PostgreSQL server (a superuser URL) instead of the private cluster.
    #[arg(long, global = true, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

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
        #[arg(long, env = "TENANTBASE_POOL_SIZE", default_value_t = 16)]
        pool_size: usize,
    },
    /// The audit trail: verify its hash chains, apply retention.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Start the database, migrate, seed the demo tenants and serve, printing what to try.
    Demo {
        /// Address to listen on.
        #[arg(long, env = "TENANTBASE_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
    },
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
    /// The documents' sample tenants and users (idempotent).
    Demo,
}

impl Cli {
    pub async fn run(self) -> Result<()> {
        match &self.command {
            Command::Db { action } => self.db(action),
            Command::Migrate => {
                let target = self.target()?;
                let report = migrate::migrate(&target).await?;
                let applied = report.applied_migrations();
                if applied.is_empty() {
                    println!("Schema is up to date.");
                }
                for m in applied {
                    println!("applied {m}");
                }
                Ok(())
            }
            Command::Seed { what: SeedWhat::Demo } => {
                let target = self.target()?;
                let seeded = demo::seed(&target, &Db::new(target.app.clone(), 4)).await?;
                println!("Seeded {} demo tenants and {} users.", seeded.tenants.len(), seeded.users.len());
                Ok(())
            }
            Command::Serve { listen, pool_size } => {
                let target = self.target()?;
                let listener = tokio::net::TcpListener::bind(listen).await?;
                println!("tenantbase serving on http://{}", listener.local_addr()?);
                api::serve(listener, AppState { db: Db::new(target.app.clone(), *pool_size) }).await
            }
            Command::Audit { action } => self.audit(action).await,
            Command::Demo { listen } => self.demo(listen).await,
        }
    }

    async fn audit(&self, action: &AuditAction) -> Result<()> {
        let target = self.target()?;
        let mut admin = target.connect_admin().await?;
        match action {
            AuditAction::Verify { tenant } => {
                let progress = progress_bar(None, "{spinner} {pos} entries verified ({per_sec}) {msg}");
                let report = audit::verify(&mut admin, tenant.as_deref(), &progress).await?;
                progress.finish_and_clear();
                for chain in &report.chains {
                    println!("{chain}");
                }
                let broken = report.broken().count();
                if broken > 0 {
                    bail!("{broken} audit chain(s) broken");
                }
                Ok(())
            }
            AuditAction::Prune { retention_days, export_dir } => {
                let options = audit::PruneOptions { retention_days: *retention_days, export_dir: export_dir.clone() };
                let progress = progress_bar(Some(0), "{bar:30} {pos}/{len} partitions {msg}");
                let report = audit::prune(&mut admin, &options, &progress).await?;
                progress.finish_and_clear();
                for name in &report.created {
                    println!("created {name}");
                }
                for p in &report.pruned {
                    let export = p.export.as_ref().map(|(path, sha)| format!(", exported to {} (sha256 {sha})", path.display()));
                    println!("dropped {} ({} to {}): {} entries{}", p.name, p.from.date_naive(), p.to.date_naive(), p.entries, export.unwrap_or_default());
                }
                if report.pruned.is_empty() {
                    println!("No partition is older than {retention_days} days.");
                }
                Ok(())
            }
        }
    }

    fn target(&self) -> Result<Target> {
        Target::resolve(self.database_url.as_deref(), &self.data_dir)
    }

    fn cluster(&self) -> Result<Cluster> {
        if self.database_url.is_some() {
            bail!("DATABASE_URL is set: tenantbase uses that server and runs no cluster of its own");
        }
        Cluster::new(&self.data_dir, Durability::Durable)
    }

    fn db(&self, action: &DbAction) -> Result<()> {
        match action {
            DbAction::Start => {
                let cluster = self.cluster()?;
                let running = cluster.start()?;
                println!("PostgreSQL runs (pid {}) on port {}, socket in {}", running.pid, running.port, running.socket_dir.display());
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
                    None => println!("stopped (data directory {})", cluster.root().display()),
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
        }
        Ok(())
    }

    async fn demo(&self, listen: &str) -> Result<()> {
        let target = self.target()?;
        migrate::migrate(&target).await?;
        let app_db = Db::new(target.app.clone(), 16);
        let seeded = demo::seed(&target, &app_db).await?;
        let listener = tokio::net::TcpListener::bind(listen).await?;
        let addr = listener.local_addr()?;
        let app_url = db::url_of(&target.app);
        let acme = seeded.tenant("acme");
        let alice = seeded.user("alice@acme.com");
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
            "\nAct as Alice in Acme from psql, as the app role under RLS (see docs/acting-as-a-tenant.md):\n  \
             psql \"{app_url}\" -c \"BEGIN; SET LOCAL app.tenant_id = '{acme}'; SET LOCAL app.user_id = '{alice}'; \
             SELECT name, slug FROM tenancy.tenants; COMMIT;\"\n\
             Without the SET LOCAL lines every tenant table answers zero rows.\n\n\
             Stop with Ctrl-C; `tenantbase db stop` stops PostgreSQL.\n"
        );
        api::serve(listener, AppState { db: app_db }).await
    }
}

/// A progress bar on stderr (drawn only on a terminal): a spinner without a length.
fn progress_bar(length: Option<u64>, template: &str) -> ProgressBar {
    let bar = match length {
        Some(length) => ProgressBar::new(length),
        None => ProgressBar::new_spinner(),
    };
    bar.set_style(ProgressStyle::with_template(template).expect("a valid progress template"));
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}
