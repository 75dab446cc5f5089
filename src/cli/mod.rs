//! The command line: one binary for the database, the schema, the demo and the server.

use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::{Parser, Subcommand};

use crate::api::{self, AppState};
use crate::db::{self, cluster::Cluster, cluster::Durability, migrate, Db, Target};
use crate::seed::{demo, scale};

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
    /// Platform operations on tenants' credits.
    Credits {
        #[command(subcommand)]
        action: CreditsAction,
    },
    /// Create the missing monthly partitions of the analytics time series (run daily by cron, or let `serve` do it).
    Partitions {
        /// How many months ahead of the current one to create.
        #[arg(long, default_value_t = 3)]
        months_ahead: i32,
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
pub enum SeedWhat {
    /// The documents' sample tenants and users (idempotent).
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
    },
}

#[derive(Subcommand, Debug)]
pub enum CreditsAction {
    /// Reset every tenant's monthly credit usage, once per month, and complete tasks parked for credits.
    ResetMonthly {
        /// The month to open, as YYYY-MM (default: the current month).
        #[arg(long)]
        month: Option<String>,
    },
    /// Add credits to a tenant and complete the tasks it had parked for lack of them.
    Add {
        /// The tenant's slug.
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        amount: i32,
    },
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
                let admin = target.connect_admin().await?;
                let created = admin.query("SELECT analytics.ensure_partitions(3)", &[]).await?;
                if !created.is_empty() {
                    println!("created {} analytics partitions", created.len());
                }
                Ok(())
            }
            Command::Seed { what: SeedWhat::Demo } => {
                let target = self.target()?;
                let seeded = demo::seed(&target, &Db::new(target.app.clone(), 4)).await?;
                println!("Seeded {} demo tenants and {} users.", seeded.tenants.len(), seeded.users.len());
                Ok(())
            }
            Command::Seed { what: SeedWhat::Scale { tenants, rows_per_tenant, seed } } => {
                let target = self.target()?;
                let options = scale::ScaleOptions { tenants: *tenants, rows_per_tenant: *rows_per_tenant, seed: *seed, progress: true };
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
            Command::Serve { listen, pool_size } => {
                let target = self.target()?;
                let listener = tokio::net::TcpListener::bind(listen).await?;
                println!("tenantbase serving on http://{}", listener.local_addr()?);
                let db = Db::new(target.app.clone(), *pool_size);
                keep_partitions_ahead(db.clone());
                api::serve(listener, AppState { db }).await
            }
            Command::Credits { action } => self.credits(action).await,
            Command::Partitions { months_ahead } => {
                let admin = self.target()?.connect_admin().await?;
                let created = admin.query("SELECT analytics.ensure_partitions($1)::text", &[months_ahead]).await?;
                for row in &created {
                    println!("created {}", row.get::<_, String>(0));
                }
                println!("{} partitions created; {} months ahead are covered.", created.len(), months_ahead);
                Ok(())
            }
            Command::Demo { listen } => self.demo(listen).await,
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

    async fn credits(&self, action: &CreditsAction) -> Result<()> {
        let admin = self.target()?.connect_admin().await?;
        match action {
            CreditsAction::ResetMonthly { month } => {
                let month = month.as_deref().map(|m| format!("{m}-01"));
                let reset: i32 = admin
                    .query_one(
                        "SELECT platform.reset_monthly_credits(coalesce($1::text::date, date_trunc('month', now())::date))",
                        &[&month],
                    )
                    .await?
                    .get(0);
                println!("Monthly credit usage reset for {reset} tenants.");
            }
            CreditsAction::Add { tenant, amount } => {
                let released: i32 = admin
                    .query_one(
                        "SELECT platform.add_credits((SELECT id FROM tenancy.tenants WHERE slug = $1::text::citext), $2)",
                        &[tenant, amount],
                    )
                    .await?
                    .get(0);
                println!("Added {amount} credits to {tenant}; {released} parked tasks completed.");
            }
        }
        Ok(())
    }

    async fn demo(&self, listen: &str) -> Result<()> {
        let target = self.target()?;
        migrate::migrate(&target).await?;
        let app_db = Db::new(target.app.clone(), 16);
        keep_partitions_ahead(app_db.clone());
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

/// The analytics time series never run out of partitions while the server runs:
/// next months' partitions are created at start and once a day.
fn keep_partitions_ahead(db: Db) {
    tokio::spawn(async move {
        let mut daily = tokio::time::interval(std::time::Duration::from_secs(24 * 60 * 60));
        loop {
            daily.tick().await;
            if let Err(e) = db.ensure_partitions(3).await {
                tracing::warn!(error = %e, "creating the next analytics partitions failed");
            }
        }
    });
}
