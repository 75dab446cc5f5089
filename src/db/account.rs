//! The account role's pool. Authentication and account work (a user by email, a
//! session for a user id, a membership by (tenant, user), sign-up, login
//! failures) acts on whoever its arguments name, so the tenant role may not call
//! it: SQL injected into a tenant request could otherwise become any user. It
//! runs here instead, as `tenantbase_account`, and only the fixed statements of
//! this codebase run on these connections, every value bound.

use std::time::Duration;

use chrono::NaiveDate;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Config, Row};

use super::context::{Signer, CONTEXT_TTL};
use super::pool::{pinned, DbError, TenantCtx};
use crate::clock::Clock;

/// The pool of `tenantbase_account` connections.
#[derive(Clone)]
pub struct AccountDb {
    pool: Pool,
    signer: Signer,
}

impl AccountDb {
    pub fn new(account: Config, signer: Signer, max_size: usize) -> Self {
        let manager = Manager::from_config(
            pinned(account),
            tokio_postgres::NoTls,
            ManagerConfig { recycling_method: RecyclingMethod::Fast },
        );
        let timeout = Some(Duration::from_secs(5));
        let pool = Pool::builder(manager)
            .max_size(max_size)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(timeout)
            .create_timeout(timeout)
            .recycle_timeout(timeout)
            .build()
            .expect("a pool with the tokio runtime builds");
        AccountDb { pool, signer }
    }

    pub fn clock(&self) -> &Clock {
        self.signer.clock()
    }

    /// One account statement, in no tenant's context.
    pub async fn call(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, DbError> {
        let client = self.pool.get().await?;
        let statement = client.prepare_cached(sql).await?;
        Ok(client.query(&statement, params).await?)
    }

    /// One account statement in `ctx`'s signed context, for account work that a
    /// member's permission decides (an invitation): the function checks it itself.
    pub async fn call_as(
        &self,
        ctx: &TenantCtx,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, DbError> {
        let client = self.pool.get().await?;
        let statement = client.prepare_cached(sql).await?;
        // No reset: nothing but this codebase's statements runs on these connections.
        let begin = format!("BEGIN; {}", self.signer.context_sql(ctx, CONTEXT_TTL));
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

    /// Creates the analytics partitions from `today`'s month up to `months_ahead`
    /// (bounded DDL; the server runs it daily).
    pub async fn ensure_partitions(&self, today: NaiveDate, months_ahead: i32) -> Result<u64, DbError> {
        Ok(self.call("SELECT analytics.ensure_partitions($1, $2)", &[&today, &months_ahead]).await?.len() as u64)
    }
}
