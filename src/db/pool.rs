//! The app role's pool. Its only way to do tenant work is [`TenantTx`]: a
//! transaction whose context is set transaction-locally (`SET LOCAL`) in the same
//! round trip as its first statement, so the context costs no extra round trip.
//!
//! Any SQL at all may run on these connections (an injection anywhere in the API),
//! so nothing one request leaves on a connection may reach the next, whichever
//! tenant that is:
//! - every transaction opens with a reset ([`RESET_SQL`]): session settings,
//!   SQL-level prepared statements, cursors, LISTEN and sequence state from
//!   before are gone, in the same message as `BEGIN`, so the reset also reaches
//!   the server connection behind a transaction-mode pooler;
//! - the server keeps no prepared statement on the connection for a later request
//!   to run: every statement is sent unnamed (parse, bind and execute in one
//!   flight) with parameter types remembered per SQL text, so a statement that
//!   injected SQL replaced can never run in another tenant's transaction;
//! - every transaction pins the settings the server relies on with `SET LOCAL`
//!   ([`PINNED_SETTINGS`]), which outranks the role defaults the app role may set
//!   for itself (`ALTER ROLE ... SET`); not the startup packet, which PgBouncer
//!   does not forward and which a pooled server connection shares with others;
//! - a statement that outlives its budget is cancelled and its connection
//!   dropped, whatever `statement_timeout` injected SQL set;
//! - the client learns every type of the schema when a connection opens
//!   ([`learn_types`]): a type learned later would need a prepared statement of
//!   the client's that an earlier request may have replaced, and the reset removed.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{
    ClientWrapper, Connect, Hook, HookError, Manager, ManagerConfig, Metrics, Object, Pool, RecyclingMethod,
};
use futures_util::TryStreamExt;
use tokio::task::JoinHandle;
use tokio_postgres::config::Host;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{Config, Row};
use uuid::Uuid;

use super::context::{ContextKey, Signer};
use crate::clock::Clock;

/// Who a transaction acts as: the tenant, and the user inside it (None for tenant
/// work done on no user's behalf; such work can read but holds no write permission).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenantCtx {
    pub tenant_id: Uuid,
    pub user_id: Option<Uuid>,
    /// Facts about the request, signed with the context and recorded by the audit trail.
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

    /// The one `SET LOCAL` that gives a transaction this context, signed with
    /// `key` until `expires`. Its value is base64url and dots: nothing to quote.
    pub fn context_sql(&self, key: &ContextKey, expires: std::time::SystemTime) -> String {
        format!("SET LOCAL app.context = '{}'", key.sign_context(self, expires))
    }
}

/// What opens every transaction on these pools, before a tenant's signed
/// context: a fresh transaction that reads and writes at READ COMMITTED whatever
/// the defaults say, with the session's settings reset and nothing left from
/// earlier requests (SQL-level prepared statements, cursors held open, LISTEN,
/// sequences' current values), then the settings the server's SQL relies on
/// pinned for the transaction ([`PINNED_SETTINGS`]). Each of these may run inside
/// a transaction block, so they travel in the same message as BEGIN, which
/// reaches whichever server connection a transaction-mode pooler lends.
pub const RESET_SQL: &str = "BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE; RESET ALL; DEALLOCATE ALL; CLOSE ALL; \
                             UNLISTEN *; DISCARD SEQUENCES; \
                             SET LOCAL search_path = public; SET LOCAL standard_conforming_strings = on; \
                             SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, MDY'; \
                             SET LOCAL IntervalStyle = postgres; SET LOCAL bytea_output = hex; \
                             SET LOCAL default_text_search_config = 'pg_catalog.english'; \
                             SET LOCAL idle_in_transaction_session_timeout = '60s'; \
                             SET LOCAL statement_timeout = '16s'";

/// The settings [`RESET_SQL`] pins with `SET LOCAL`. Not in the startup packet:
/// PgBouncer forwards no startup `options`, and a pooled server connection was
/// opened for whoever came first. A transaction-local value outranks role and
/// database defaults (which the app role may set for itself, `ALTER ROLE ... SET`)
/// and whatever injected SQL left on the session, and ends with the transaction.
pub const PINNED_SETTINGS: &[(&str, &str)] = &[
    ("search_path", "public"),
    ("standard_conforming_strings", "on"),
    ("TimeZone", "UTC"),
    ("DateStyle", "ISO, MDY"),
    ("IntervalStyle", "postgres"),
    ("bytea_output", "hex"),
    ("default_text_search_config", "pg_catalog.english"),
    ("idle_in_transaction_session_timeout", "1min"),
    ("statement_timeout", "16s"),
];

/// How long one statement may run before the server cancels it and drops its
/// connection. `statement_timeout` (a second more) is its backstop, which
/// injected SQL could lift.
pub const STATEMENT_BUDGET: Duration = Duration::from_secs(15);

/// Distinct statement texts whose parameter types are remembered. Statement texts
/// are canonical (parameters for every value, filters in a fixed order), so a
/// server has a few hundred; the bound keeps a bug from growing it without end.
const STATEMENT_TYPES_CAPACITY: u64 = 4096;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database unavailable: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
    #[error(transparent)]
    Postgres(#[from] tokio_postgres::Error),
    #[error("expected one row, got {0}")]
    NotOneRow(usize),
    #[error("a statement ran longer than its budget of {0:?} and was cancelled")]
    Timeout(Duration),
    #[error("the transaction's connection was dropped after an earlier error")]
    ConnectionDropped,
}

impl DbError {
    /// The SQLSTATE, when PostgreSQL refused the statement.
    pub fn code(&self) -> Option<&SqlState> {
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

    /// An error after which the connection is not to be trusted with another request.
    fn taints_connection(&self) -> bool {
        match self {
            DbError::Timeout(_) => true,
            DbError::Postgres(e) => {
                e.as_db_error().is_none() || e.code() == Some(&SqlState::INVALID_SQL_STATEMENT_NAME)
            }
            _ => false,
        }
    }
}

/// A pool of connections that learn the schema's types when they open, with
/// bounded waits: with the database down, requests fail fast (503) instead of queueing.
pub(super) fn pool_builder(config: Config, max_size: usize, wait: Duration) -> deadpool_postgres::PoolBuilder {
    let manager =
        Manager::from_connect(config, FollowSocket, ManagerConfig { recycling_method: RecyclingMethod::Fast });
    Pool::builder(manager)
        .max_size(max_size)
        .runtime(deadpool_postgres::Runtime::Tokio1)
        .wait_timeout(Some(wait))
        .create_timeout(Some(wait))
        .recycle_timeout(Some(wait))
        .post_create(Hook::async_fn(|client: &mut ClientWrapper, _: &Metrics| {
            Box::pin(async move { learn_types(client).await.map_err(HookError::Backend) })
        }))
}

/// Connects as the config says, except that a socket directory without the
/// configured port's socket but with exactly one other is followed to that one:
/// the private cluster came back on another port (its port was taken while it
/// was down), and a running server reconnects to it instead of failing until
/// restarted. Connections to the old server fail, are dropped, and are replaced.
struct FollowSocket;

impl Connect for FollowSocket {
    fn connect(
        &self,
        config: &Config,
    ) -> futures_util::future::BoxFuture<'_, Result<(tokio_postgres::Client, JoinHandle<()>), tokio_postgres::Error>>
    {
        let config = follow_socket(config);
        Box::pin(async move {
            let (client, connection) = config.connect(tokio_postgres::NoTls).await?;
            let task = tokio::spawn(async move {
                if let Err(e) = connection.await {
                    tracing::debug!(error = %e, "a database connection ended");
                }
            });
            Ok((client, task))
        })
    }
}

/// `config`, on the one socket its directory holds if the configured one is gone.
fn follow_socket(config: &Config) -> Config {
    let (Some(Host::Unix(dir)), Some(port)) = (config.get_hosts().first(), config.get_ports().first()) else {
        return config.clone();
    };
    if dir.join(format!(".s.PGSQL.{port}")).exists() {
        return config.clone();
    }
    let ports: Vec<u16> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.strip_prefix(".s.PGSQL.")?.parse().ok())
        .collect();
    let [moved] = ports[..] else { return config.clone() };
    tracing::info!(from = port, to = moved, "the database's socket moved; following it");
    // tokio-postgres appends ports; the same settings with the new one.
    let mut followed = Config::new();
    followed.host_path(dir).port(moved);
    if let Some(user) = config.get_user() {
        followed.user(user);
    }
    if let Some(password) = config.get_password() {
        followed.password(password);
    }
    if let Some(dbname) = config.get_dbname() {
        followed.dbname(dbname);
    }
    if let Some(options) = config.get_options() {
        followed.options(options);
    }
    if let Some(name) = config.get_application_name() {
        followed.application_name(name);
    }
    if let Some(timeout) = config.get_connect_timeout() {
        followed.connect_timeout(*timeout);
    }
    followed
}

/// The longest a request waits for a connection (or for one to open), by default.
pub const POOL_WAIT: Duration = Duration::from_secs(5);

/// Runs statements unnamed: parameter types remembered per SQL text, every
/// statement under a budget.
#[derive(Clone)]
pub(super) struct Statements {
    types: moka::sync::Cache<Arc<str>, Arc<[Type]>>,
    budget: Duration,
}

impl Statements {
    pub(super) fn new() -> Self {
        Statements { types: moka::sync::Cache::new(STATEMENT_TYPES_CAPACITY), budget: STATEMENT_BUDGET }
    }

    /// One statement in its own transaction: `begin` (the reset, maybe a
    /// context), the statement and COMMIT go out together, one round trip in all
    /// once the statement's parameter types are known. An error rolls back, and
    /// drops the connection if it is no longer to be trusted.
    pub(super) async fn one_shot(
        &self,
        mut client: Option<Object>,
        begin: &str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, DbError> {
        let connection = client.as_ref().expect("a live connection");
        let result = self.run_with(connection, Some(begin), sql, params, Some("COMMIT")).await;
        match result {
            Ok((rows, _)) => Ok(rows),
            Err(e) => {
                discard_if_tainted(&mut client, &e);
                if let Some(client) = client {
                    // The COMMIT of a failed transaction rolled it back; make sure of it.
                    if client.batch_execute("ROLLBACK").await.is_err() {
                        let _ = Object::take(client);
                    }
                }
                Err(e)
            }
        }
    }

    /// Runs `sql` unnamed, with the budget; `begin` and `end`, when given, go out
    /// in the same flight, before and after it. A statement whose parameter types
    /// are not known yet is described first, inside the transaction: the named
    /// statement that takes is created and closed on the one server connection a
    /// transaction-mode pooler lends for the transaction, where no other client
    /// can meet it.
    async fn run_with(
        &self,
        client: &Object,
        begin: Option<&str>,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        end: Option<&str>,
    ) -> Result<(Vec<Row>, u64), DbError> {
        let work = async {
            let mut begin = begin;
            let types = match self.types.get(sql) {
                Some(types) => types,
                None => {
                    if let Some(begin) = begin.take() {
                        client.batch_execute(begin).await?;
                    }
                    let statement = client.prepare(sql).await?;
                    let types: Arc<[Type]> = statement.params().into();
                    // Dropping it sends its Close ahead of anything sent next.
                    drop(statement);
                    self.types.insert(sql.into(), types.clone());
                    types
                }
            };
            let typed: Vec<(&(dyn ToSql + Sync), Type)> = params.iter().copied().zip(types.iter().cloned()).collect();
            let statement = async {
                let stream = client.query_typed_raw(sql, typed.iter().map(|(value, ty)| (*value, ty.clone()))).await?;
                futures_util::pin_mut!(stream);
                let mut rows = Vec::new();
                while let Some(row) = stream.try_next().await? {
                    rows.push(row);
                }
                let affected = stream.rows_affected().unwrap_or(0);
                Ok::<_, tokio_postgres::Error>((rows, affected))
            };
            let around = |command: Option<&str>| {
                let command = command.map(str::to_string);
                async move {
                    match command {
                        Some(command) => client.batch_execute(&command).await,
                        None => Ok(()),
                    }
                }
            };
            let (begun, result, ended) = tokio::join!(around(begin), statement, around(end));
            begun?;
            let result = result?;
            ended?;
            Ok::<_, tokio_postgres::Error>(result)
        };
        match tokio::time::timeout(self.budget, work).await {
            Ok(result) => Ok(result?),
            Err(_) => {
                // The cancel reaches the backend over a connection of its own.
                let _ = client.cancel_token().cancel_query(tokio_postgres::NoTls).await;
                Err(DbError::Timeout(self.budget))
            }
        }
    }
}

/// The pool of `tenantbase_app` connections, the signer of their contexts, and
/// the parameter types of the statements they run.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    signer: Signer,
    statements: Statements,
}

impl Db {
    pub fn new(app: Config, key: ContextKey, max_size: usize) -> Self {
        Self::with_pool_wait(app, key, max_size, POOL_WAIT)
    }

    /// A pool whose requests wait at most `wait` for a connection.
    pub fn with_pool_wait(app: Config, key: ContextKey, max_size: usize, wait: Duration) -> Self {
        let pool = pool_builder(app, max_size, wait).build().expect("a pool with the tokio runtime builds");
        Db { pool, signer: Signer::new(key, Clock::system()), statements: Statements::new() }
    }

    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.signer = self.signer.with_clock(clock);
        self
    }

    /// A shorter (or longer) statement budget, for tests of the budget itself.
    pub fn with_statement_budget(mut self, budget: Duration) -> Self {
        self.statements.budget = budget;
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
        Ok(TenantTx { db: self.clone(), client: Some(client), begin, ctx: ctx.clone(), begun: false })
    }

    /// One statement in its own tenant transaction: the reset, the context, the
    /// statement and COMMIT go out together, one round trip in all once the
    /// statement's parameter types are known.
    pub async fn tenant_query(
        &self,
        ctx: &TenantCtx,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, DbError> {
        let client = self.pool.get().await?;
        self.statements.one_shot(Some(client), &self.signer.begin_sql(ctx), sql, params).await
    }

    /// Reads the catalog outside any tenant (what the API serves, at start-up):
    /// with no context, tenant tables answer nothing.
    pub async fn read_catalog(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, DbError> {
        let client = self.pool.get().await?;
        self.statements.one_shot(Some(client), RESET_SQL, sql, params).await
    }

    /// Checks that the database answers (readiness).
    pub async fn ping(&self) -> Result<(), DbError> {
        let client = self.pool.get().await?;
        match tokio::time::timeout(self.statements.budget, client.simple_query("SELECT 1")).await {
            Ok(answer) => answer.map(drop).map_err(DbError::from),
            Err(_) => {
                let _ = Object::take(client);
                Err(DbError::Timeout(self.statements.budget))
            }
        }
    }

    pub fn status(&self) -> deadpool_postgres::Status {
        self.pool.status()
    }
}

/// Every type of the schema that is not built in (enums, citext, domains, and
/// their arrays) in a schema the role may use, as one list of `NULL::<type>`.
const SCHEMA_TYPES_SQL: &str = "
    SELECT coalesce(string_agg(format('NULL::%s', t.oid::regtype), ', ' ORDER BY t.oid), '')
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'
      AND t.typtype IN ('b', 'e', 'd') AND has_schema_privilege(n.oid, 'USAGE')
      AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.oid = t.typelem AND e.typtype NOT IN ('b', 'e', 'd'))";

/// Has the client learn every type of the schema, once per connection: it looks a
/// type up with named statements of its own (`typeinfo`) the first time a value
/// of that type arrives, and every request's reset deallocates them. All of it
/// happens in one transaction, which a transaction-mode pooler keeps on one
/// server connection, and leaves no statement there for another client to meet.
async fn learn_types(client: &tokio_postgres::Client) -> Result<(), tokio_postgres::Error> {
    client.batch_execute(RESET_SQL).await?;
    let list: String = client.query_typed(SCHEMA_TYPES_SQL, &[]).await?[0].get(0);
    if !list.is_empty() {
        client.query_typed(&format!("SELECT {list}"), &[]).await?;
    }
    client.batch_execute("DEALLOCATE ALL; COMMIT").await
}

/// Drops a connection from the pool when an error leaves it untrustworthy.
fn discard_if_tainted(client: &mut Option<Object>, error: &DbError) {
    if error.taints_connection() {
        if let Some(client) = client.take() {
            let _ = Object::take(client);
        }
    }
}

/// A transaction acting as one tenant. Commit it explicitly; dropped unfinished,
/// it is rolled back before its connection returns to the pool.
pub struct TenantTx {
    db: Db,
    client: Option<Object>,
    /// The reset and the signed context, sent with the first statement.
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

    async fn statement(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<(Vec<Row>, u64), DbError> {
        let client = self.client.as_ref().expect("a live transaction has its connection");
        let begin = (!self.begun).then_some(self.begin.as_str());
        let result = self.db.statements.run_with(client, begin, sql, params, None).await;
        self.begun = true;
        if let Err(e) = &result {
            discard_if_tainted(&mut self.client, e);
        }
        result
    }

    pub async fn query(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, DbError> {
        Ok(self.statement(sql, params).await?.0)
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
        Ok(self.statement(sql, params).await?.1)
    }

    pub async fn commit(mut self) -> Result<(), DbError> {
        self.finish("COMMIT").await
    }

    pub async fn rollback(mut self) -> Result<(), DbError> {
        self.finish("ROLLBACK").await
    }

    async fn finish(&mut self, command: &str) -> Result<(), DbError> {
        let Some(client) = self.client.take() else { return Err(DbError::ConnectionDropped) };
        if self.begun {
            if let Err(e) = client.batch_execute(command).await {
                let _ = Object::take(client);
                return Err(e.into());
            }
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
