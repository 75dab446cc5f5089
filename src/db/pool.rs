//! The app role's pool. Its only way to do tenant work is [`TenantTx`]: a
//! transaction whose context is set transaction-locally (`SET LOCAL`) in the same
//! round trip as its first statement, so a pooled connection never carries one
//! request's tenant into the next and the context costs no extra round trip.

use std::net::IpAddr;
use std::time::SystemTime;

use chrono::NaiveDate;

use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Config, Row, Statement};
use uuid::Uuid;

use super::context::{ContextKey, Signer};
use crate::clock::Clock;

/// Who a transaction acts as: the tenant, and the user inside it (None for tenant
/// work done on no user's behalf; such work can read but holds no write permission).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenantCtx {
    pub tenant_id: Uuid,
    pub user_id: Option<Uuid>,
    /// Facts about the request, for the audit trail; policies never trust them.
    pub meta: RequestMeta,
}

/// Where a unit of work came from: recorded with the changes it makes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestMeta {
    pub request_id: Option<String>,
    pub api_key_id: Option<Uuid>,
    pub client_ip: Option<IpAddr>,
    pub user_agent: Option<String>,
    /// The operator acting as `user_id` on their behalf (support sessions).
    pub impersonated_by: Option<Uuid>,
}

impl TenantCtx {
    pub fn new(tenant_id: Uuid, user_id: Uuid) -> Self {
        TenantCtx { tenant_id, user_id: Some(user_id), meta: RequestMeta::default() }
    }

    /// A user acting in no tenant: tenant tables answer nothing; the user's own
    /// rows of global tables (its profile, its sessions) and `platform.my_tenants()` answer.
    pub fn for_user(user_id: Uuid) -> Self {
        TenantCtx::new(Uuid::nil(), user_id)
    }

    pub fn with_meta(mut self, meta: RequestMeta) -> Self {
        self.meta = meta;
        self
    }

    /// The `SET LOCAL` statements that give a transaction this context, signed
    /// with `key` until `expires`. Ids and the address are formatted from typed
    /// values; free text is quoted as a literal.
    pub fn context_sql(&self, key: &ContextKey, expires: SystemTime) -> String {
        let text = |v: Option<String>| quote_literal(&v.unwrap_or_default());
        let tenant = self.tenant_id.to_string();
        let user = self.user_id.map(|u| u.to_string()).unwrap_or_default();
        let token = key.sign(&tenant, &user, expires);
        format!(
            "SET LOCAL app.tenant_id = '{tenant}'; SET LOCAL app.user_id = '{user}'; \
             SET LOCAL app.context_token = '{token}'; \
             SET LOCAL app.request_id = {}; SET LOCAL app.api_key_id = {}; \
             SET LOCAL app.client_ip = {}; SET LOCAL app.user_agent = {}; \
             SET LOCAL app.impersonated_by = {}",
            text(self.meta.request_id.clone()),
            text(self.meta.api_key_id.map(|k| k.to_string())),
            text(self.meta.client_ip.map(|ip| ip.to_string())),
            text(self.meta.user_agent.clone()),
            text(self.meta.impersonated_by.map(|u| u.to_string())),
        )
    }
}

/// A SQL string literal: control characters dropped, quotes doubled, at most 512 characters.
fn quote_literal(value: &str) -> String {
    let clean: String = value.chars().filter(|c| !c.is_control()).take(512).collect();
    format!("'{}'", clean.replace('\'', "''"))
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database unavailable: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
    #[error(transparent)]
    Postgres(#[from] tokio_postgres::Error),
    #[error("expected one row, got {0}")]
    NotOneRow(usize),
}

impl DbError {
    /// The SQLSTATE, when PostgreSQL refused the statement.
    pub fn code(&self) -> Option<&tokio_postgres::error::SqlState> {
        match self {
            DbError::Postgres(e) => e.code(),
            _ => None,
        }
    }

    /// The violated constraint's name, when there is one.
    pub fn constraint(&self) -> Option<&str> {
        match self {
            DbError::Postgres(e) => e.as_db_error().and_then(|d| d.constraint()),
            _ => None,
        }
    }
}

/// The pool of `tenantbase_app` connections, the key that signs their contexts
/// and the clock their expiry is counted from.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    signer: Signer,
}

impl Db {
    pub fn new(app: Config, key: ContextKey, max_size: usize) -> Self {
        let manager =
            Manager::from_config(app, tokio_postgres::NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        // Bounded waits: with the database down, requests fail fast (503) instead of queueing.
        let timeout = Some(std::time::Duration::from_secs(5));
        let pool = Pool::builder(manager)
            .max_size(max_size)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(timeout)
            .create_timeout(timeout)
            .recycle_timeout(timeout)
            .build()
            .expect("a pool with the tokio runtime builds");
        Db { pool, signer: Signer::new(key, Clock::system()) }
    }

    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.signer = Signer::new(self.signer.key().clone(), clock);
        self
    }

    pub fn signer(&self) -> &Signer {
        &self.signer
    }

    pub fn clock(&self) -> &Clock {
        self.signer.clock()
    }

    /// Opens a tenant-scoped transaction. Nothing is sent until its first statement.
    pub async fn tenant_tx(&self, ctx: &TenantCtx) -> Result<TenantTx, DbError> {
        let client = self.pool.get().await?;
        let begin = self.signer.begin_sql(ctx);
        Ok(TenantTx { client: Some(client), begin, ctx: ctx.clone(), begun: false })
    }

    /// One statement in its own tenant transaction: BEGIN + context, the statement
    /// and COMMIT go out together, one round trip in all once the statement is prepared.
    pub async fn tenant_query(
        &self,
        ctx: &TenantCtx,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, DbError> {
        let client = self.pool.get().await?;
        let statement = client.prepare_cached(sql).await?;
        let begin = self.signer.begin_sql(ctx);
        let (begun, rows, committed) = tokio::join!(
            client.batch_execute(&begin),
            client.query(&statement, params),
            client.batch_execute("COMMIT")
        );
        begun?;
        let rows = rows?;
        committed?;
        Ok(rows)
    }

    /// Calls a platform function (authentication, sign-up) outside any tenant:
    /// with no context, tenant tables answer nothing, so only the function's own
    /// checks decide what it returns.
    pub async fn platform_call(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, DbError> {
        let client = self.pool.get().await?;
        let statement = client.prepare_cached(sql).await?;
        Ok(client.query(&statement, params).await?)
    }

    /// Creates the analytics partitions from `today`'s month up to `months_ahead`
    /// (bounded DDL the app role may run).
    pub async fn ensure_partitions(&self, today: NaiveDate, months_ahead: i32) -> Result<u64, DbError> {
        Ok(self.platform_call("SELECT analytics.ensure_partitions($1, $2)", &[&today, &months_ahead]).await?.len()
            as u64)
    }

    /// Checks that the database answers (readiness).
    pub async fn ping(&self) -> Result<(), DbError> {
        let client = self.pool.get().await?;
        client.simple_query("SELECT 1").await?;
        Ok(())
    }

    pub fn status(&self) -> deadpool_postgres::Status {
        self.pool.status()
    }
}

/// A transaction acting as one tenant. Commit it explicitly; dropped unfinished,
/// it is rolled back before its connection returns to the pool.
pub struct TenantTx {
    client: Option<Object>,
    /// BEGIN and the signed context, sent with the first statement.
    begin: String,
    ctx: TenantCtx,
    begun: bool,
}

impl TenantTx {
    pub fn ctx(&self) -> &TenantCtx {
        &self.ctx
    }

    pub fn tenant_id(&self) -> Uuid {
        self.ctx.tenant_id
    }

    fn client(&self) -> &Object {
        self.client.as_ref().expect("a live transaction has its connection")
    }

    pub async fn prepare(&self, sql: &str) -> Result<Statement, DbError> {
        Ok(self.client().prepare_cached(sql).await?)
    }

    pub async fn query(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, DbError> {
        let statement = self.prepare(sql).await?;
        if self.begun {
            return Ok(self.client().query(&statement, params).await?);
        }
        let client = self.client();
        let (begun, rows) = tokio::join!(client.batch_execute(&self.begin), client.query(&statement, params));
        self.begun = true;
        begun?;
        Ok(rows?)
    }

    pub async fn query_one(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Row, DbError> {
        let mut rows = self.query(sql, params).await?;
        match rows.len() {
            1 => Ok(rows.remove(0)),
            n => Err(DbError::NotOneRow(n)),
        }
    }

    pub async fn query_opt(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Option<Row>, DbError> {
        let mut rows = self.query(sql, params).await?;
        Ok(if rows.is_empty() { None } else { Some(rows.remove(0)) })
    }

    /// Runs a statement and returns the number of rows it touched.
    pub async fn execute(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64, DbError> {
        let statement = self.prepare(sql).await?;
        if self.begun {
            return Ok(self.client().execute(&statement, params).await?);
        }
        let client = self.client();
        let (begun, count) = tokio::join!(client.batch_execute(&self.begin), client.execute(&statement, params));
        self.begun = true;
        begun?;
        Ok(count?)
    }

    pub async fn commit(mut self) -> Result<(), DbError> {
        let client = self.client.take().expect("commit once");
        if self.begun {
            client.batch_execute("COMMIT").await?;
        }
        Ok(())
    }

    pub async fn rollback(mut self) -> Result<(), DbError> {
        let client = self.client.take().expect("rollback once");
        if self.begun {
            client.batch_execute("ROLLBACK").await?;
        }
        Ok(())
    }
}

impl Drop for TenantTx {
    fn drop(&mut self) {
        let Some(client) = self.client.take() else { return };
        if !self.begun {
            return;
        }
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    if client.batch_execute("ROLLBACK").await.is_err() {
                        // A connection that cannot roll back must not be reused.
                        let _ = Object::take(client);
                    }
                });
            }
            Err(_) => {
                let _ = Object::take(client);
            }
        }
    }
}
