//! The account role's pool. Authentication and account work (a user by email, a
//! session for a user id, a membership by (tenant, user), sign-up, login
//! failures) acts on whoever its arguments name, so the tenant role may not call
//! it: SQL injected into a tenant request could otherwise become any user. It
//! runs here instead, as `tenantbase_account`, and only the fixed statements of
//! this codebase run on these connections, every value bound.

use chrono::NaiveDate;
use deadpool_postgres::Pool;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Config, Row};

use super::context::{Signer, CONTEXT_TTL};
use super::pool::{pool_builder, DbError, Statements, TenantCtx, POOL_WAIT, RESET_SQL};
use crate::clock::Clock;

/// The pool of `tenantbase_account` connections.
#[derive(Clone)]
pub struct AccountDb {
    pool: Pool,
    signer: Signer,
    statements: Statements,
}

impl AccountDb {
    pub fn new(account: Config, signer: Signer, max_size: usize) -> Self {
        let pool = pool_builder(account, max_size, POOL_WAIT).build().expect("a pool with the tokio runtime builds");
        AccountDb { pool, signer, statements: Statements::new() }
    }

    pub fn status(&self) -> deadpool_postgres::Status {
        self.pool.status()
    }

    pub fn clock(&self) -> &Clock {
        self.signer.clock()
    }

    pub fn signer(&self) -> &Signer {
        &self.signer
    }

    /// One account statement, in no tenant's context. Unnamed, in a transaction
    /// of its own, like the app role's: so it runs behind a transaction-mode pooler.
    pub async fn call(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, DbError> {
        let client = self.pool.get().await?;
        self.statements.one_shot(Some(client), RESET_SQL, sql, params).await
    }

    /// One account statement in `ctx`'s signed context, for account work done for
    /// a user (accepting an invitation): the audit trail records that user and request.
    pub async fn call_as(
        &self,
        ctx: &TenantCtx,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, DbError> {
        let client = self.pool.get().await?;
        let begin = format!("{RESET_SQL}; {}", self.signer.context_sql(ctx, CONTEXT_TTL));
        self.statements.one_shot(Some(client), &begin, sql, params).await
    }

    /// Creates the analytics partitions from `today`'s month up to `months_ahead`,
    /// and those of the rows waiting in the default partitions (bounded DDL; the
    /// server runs it daily).
    pub async fn ensure_partitions(&self, today: NaiveDate, months_ahead: i32) -> Result<u64, DbError> {
        Ok(self.call("SELECT analytics.ensure_partitions($1, $2)", &[&today, &months_ahead]).await?.len() as u64)
    }

    /// Writes every project's snapshot of `day`; returns how many changed.
    pub async fn snapshot_projects(&self, day: NaiveDate) -> Result<i64, DbError> {
        let rows = self.call("SELECT analytics.snapshot_projects($1)", &[&day]).await?;
        Ok(rows.first().map_or(0, |r| r.get(0)))
    }
}
