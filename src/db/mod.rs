//! The database layer: where the data lives (a private cluster or `DATABASE_URL`),
//! the migrations that own its schema, and the pool whose only way to do tenant
//! work is a tenant-scoped transaction.

pub mod account;
pub mod backup;
pub mod cluster;
pub mod context;
pub mod migrate;
pub mod pgbouncer;
pub mod pool;
pub mod verifier;

use std::path::PathBuf;
use std::str::FromStr;

use anyhow::{Context, Result};
use tokio_postgres::config::Host;
use tokio_postgres::Config;

use crate::clock::Clock;

pub use account::AccountDb;
pub use context::{ContextKey, Signer};
pub use pool::{Db, DbError, RequestMeta, TenantCtx, TenantTx};

pub const DATABASE: &str = "tenantbase";
pub const APP_ROLE: &str = "tenantbase_app";
pub const ACCOUNT_ROLE: &str = "tenantbase_account";
pub const OWNER_ROLE: &str = "tenantbase_owner";

/// Where tenantbase's database is and how each role reaches it.
#[derive(Clone, Debug)]
pub struct Target {
    /// A superuser connection: migrations, seeding through platform functions.
    pub admin: Config,
    /// The API's connection: `tenantbase_app`, subject to RLS.
    pub app: Config,
    /// The API's account work: `tenantbase_account` (login, sessions, memberships by id).
    pub account: Config,
    /// The private cluster behind it, when tenantbase runs its own.
    pub cluster: Option<cluster::Cluster>,
    /// The key signing tenant contexts, when configured (`TENANTBASE_CONTEXT_KEY`);
    /// else it is read over the admin connection.
    pub context_key: Option<ContextKey>,
    /// The time this target's work reads: context expiry, partitions, retention.
    pub clock: Clock,
}

impl Target {
    /// `DATABASE_URL` when given, else the private cluster under `data_dir`: started if
    /// stopped, created only when `create` says so (a command that needs data never
    /// makes an empty cluster somewhere unexpected).
    pub fn resolve(database_url: Option<&str>, data_dir: &std::path::Path, create: bool) -> Result<Self> {
        match database_url {
            Some(url) => Self::external(url),
            None => {
                let cluster = cluster::Cluster::new(data_dir, cluster::Durability::Durable)?;
                if !create && !cluster.exists() {
                    anyhow::bail!("{}", cluster.missing_hint());
                }
                Self::private(cluster)
            }
        }
    }

    pub fn external(url: &str) -> Result<Self> {
        let admin = Config::from_str(url).context("DATABASE_URL is not a valid PostgreSQL URL")?;
        let role_config = |role: &str, url_var: &str, password_var: &str| -> Result<Config> {
            match std::env::var(url_var) {
                Ok(url) => Config::from_str(&url).with_context(|| format!("{url_var} is not a valid URL")),
                Err(_) => {
                    let mut config = admin.clone();
                    config.user(role);
                    config.password(std::env::var(password_var).unwrap_or_default());
                    Ok(config)
                }
            }
        };
        let app = role_config(APP_ROLE, "TENANTBASE_APP_DATABASE_URL", "TENANTBASE_APP_PASSWORD")?;
        let account = role_config(ACCOUNT_ROLE, "TENANTBASE_ACCOUNT_DATABASE_URL", "TENANTBASE_ACCOUNT_PASSWORD")?;
        Ok(Target {
            admin,
            app,
            account,
            cluster: None,
            context_key: ContextKey::configured()?,
            clock: Clock::system(),
        })
    }

    /// Starts (or finds) the private cluster and targets its `tenantbase` database.
    pub fn private(cluster: cluster::Cluster) -> Result<Self> {
        let running = cluster.start()?;
        let admin = socket_config(&running, cluster::SUPERUSER, DATABASE);
        let app = socket_config(&running, APP_ROLE, DATABASE);
        let account = socket_config(&running, ACCOUNT_ROLE, DATABASE);
        Ok(Target {
            admin,
            app,
            account,
            cluster: Some(cluster),
            context_key: ContextKey::configured()?,
            clock: Clock::system(),
        })
    }

    /// The same target on another database of the same server (tests clone databases).
    pub fn with_database(&self, dbname: &str) -> Self {
        let mut copy = self.clone();
        copy.admin.dbname(dbname);
        copy.app.dbname(dbname);
        copy.account.dbname(dbname);
        copy
    }

    pub fn database_name(&self) -> &str {
        self.admin.get_dbname().unwrap_or(DATABASE)
    }

    pub async fn connect_admin(&self) -> Result<tokio_postgres::Client> {
        connect(&self.admin).await
    }

    /// The key that signs tenant contexts: configured, or read over the admin connection.
    pub async fn context_key(&self) -> Result<ContextKey> {
        match &self.context_key {
            Some(key) => Ok(key.clone()),
            None => ContextKey::fetch(&self.connect_admin().await?).await,
        }
    }

    /// This target's context key and clock.
    pub async fn signer(&self) -> Result<Signer> {
        Ok(Signer::new(self.context_key().await?, self.clock.clone()))
    }

    /// The app role's pool, signing with this target's context key and clock.
    pub async fn app_db(&self, max_size: usize) -> Result<Db> {
        Ok(Db::new(self.app.clone(), self.context_key().await?, max_size).with_clock(self.clock.clone()))
    }

    /// The account role's pool, signing with this target's context key and clock.
    pub async fn account_db(&self, max_size: usize) -> Result<AccountDb> {
        Ok(AccountDb::new(self.account.clone(), self.signer().await?, max_size))
    }
}

fn socket_config(running: &cluster::Running, user: &str, dbname: &str) -> Config {
    let mut config = Config::new();
    config.host_path(&running.socket_dir).port(running.port).user(user).dbname(dbname).application_name("tenantbase");
    config
}

/// Opens one connection and drives it in the background.
pub async fn connect(config: &Config) -> Result<tokio_postgres::Client> {
    let (client, connection) = config
        .connect(tokio_postgres::NoTls)
        .await
        .with_context(|| format!("connecting to PostgreSQL as {}", config.get_user().unwrap_or("?")))?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!(error = %e, "database connection closed");
        }
    });
    Ok(client)
}

/// A `postgresql://` URL that psql and libpq accept for this config.
pub fn url_of(config: &Config) -> String {
    let mut url = format!("postgresql:///{}?", config.get_dbname().unwrap_or(DATABASE));
    let mut params: Vec<String> = Vec::new();
    if let Some(host) = config.get_hosts().first() {
        match host {
            Host::Tcp(h) => params.push(format!("host={h}")),
            Host::Unix(p) => params.push(format!("host={}", PathBuf::from(p).display())),
        }
    }
    if let Some(port) = config.get_ports().first() {
        params.push(format!("port={port}"));
    }
    if let Some(user) = config.get_user() {
        params.push(format!("user={user}"));
    }
    url.push_str(&params.join("&"));
    url
}
