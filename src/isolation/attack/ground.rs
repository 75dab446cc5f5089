//! The ground truth every verdict is judged by, read as superuser.
//!
//! - [`Markers`]: every value of B's rows (in every tenant table) that appears in
//!   none of A's. Whatever A's statement gives back, rows or error text, must carry
//!   none of them, unless A passed it in itself.
//! - [`Probe`]: runs one statement as the app role inside a transaction that a
//!   superuser opened (`SET LOCAL ROLE`: the app's privileges and policies, and the
//!   definer guards treat it as the app), then, before the rollback, reads B's rows
//!   as superuser and compares them with their state before the attack: a change
//!   to B is a leak whatever the statement answered.

use std::collections::HashSet;

use anyhow::Result;
use tokio_postgres::{Client, Row};
use uuid::Uuid;

use super::{quote, Actors};
use crate::db::APP_ROLE;
use crate::isolation::catalog::TenantTable;

/// Values of B's rows that appear in none of A's.
pub struct Markers(HashSet<String>);

/// Values shorter than this are too common to tell B apart ("USD", "true", "1000").
const MIN_MARKER_LENGTH: usize = 6;

impl Markers {
    pub async fn of_b(admin: &Client, tables: &[&TenantTable], actors: Actors) -> Result<Self> {
        let values_of = |tenant: Uuid| async move {
            let mut found = HashSet::new();
            for table in tables {
                let sql = format!(
                    "SELECT DISTINCT e.value FROM {} t, jsonb_each_text(to_jsonb(t)) AS e
                     WHERE t.{} = $1 AND length(e.value) >= $2",
                    table.name,
                    quote(&table.tenant_column)
                );
                for row in admin.query(&sql, &[&tenant, &(MIN_MARKER_LENGTH as i32)]).await? {
                    found.insert(row.get::<_, String>(0));
                }
            }
            anyhow::Ok(found)
        };
        let of_a = values_of(actors.tenant_a).await?;
        let mut of_b = values_of(actors.tenant_b).await?;
        of_b.insert(actors.tenant_b.to_string());
        Ok(Markers(of_b.difference(&of_a).cloned().collect()))
    }

    /// A marker found in `text` that was not among the values `passed` in.
    pub fn find<'m>(&'m self, text: &str, passed: &[String]) -> Option<&'m String> {
        self.0.iter().find(|m| text.contains(m.as_str()) && !passed.iter().any(|p| p.contains(m.as_str())))
    }
}

/// Everything an error says: message, detail, hint, context.
pub fn error_text(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => [Some(db.message()), db.detail(), db.hint(), db.where_()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n"),
        None => e.to_string(),
    }
}

/// A digest of B's rows in every tenant table, read past RLS.
pub struct FingerprintOfB {
    sql: String,
    tenant_b: Uuid,
}

impl FingerprintOfB {
    pub fn new(tables: &[&TenantTable], tenant_b: Uuid) -> Self {
        let parts: Vec<String> = tables
            .iter()
            .map(|t| {
                format!(
                    "SELECT '{literal}' AS tbl, md5(coalesce(string_agg(to_jsonb(r)::text, ',' ORDER BY to_jsonb(r)::text), '')) FROM {name} r WHERE r.{col} = $1",
                    name = t.name,
                    literal = t.name.replace('\'', "''"),
                    col = quote(&t.tenant_column)
                )
            })
            .collect();
        FingerprintOfB {
            sql: format!("SELECT md5 FROM ({}) AS each_table ORDER BY tbl", parts.join(" UNION ALL ")),
            tenant_b,
        }
    }

    pub async fn take(&self, client: &Client) -> Result<Vec<String>, tokio_postgres::Error> {
        Ok(client.query(&self.sql, &[&self.tenant_b]).await?.iter().map(|r| r.get(0)).collect())
    }
}

/// What one statement did, as the app role, judged as superuser.
pub struct Outcome {
    /// What the app role got: its rows and the number it affected, or its error.
    pub result: Result<(Vec<Row>, u64), tokio_postgres::Error>,
    /// A marker of B in the rows or the error, when one was there.
    pub leaked: Option<String>,
    /// B's rows differed from their state before the attack, inside the statement's transaction.
    pub changed_b: bool,
}

/// Runs statements as the app role on a superuser's connection, one rolled-back
/// transaction each, and judges them by B's rows and markers.
pub struct Probe<'a> {
    pub client: &'a Client,
    pub markers: &'a Markers,
    fingerprint: FingerprintOfB,
    before: Vec<String>,
}

impl<'a> Probe<'a> {
    pub async fn new(
        client: &'a Client,
        markers: &'a Markers,
        tables: &[&TenantTable],
        tenant_b: Uuid,
    ) -> Result<Probe<'a>> {
        let fingerprint = FingerprintOfB::new(tables, tenant_b);
        let before = fingerprint.take(client).await?;
        Ok(Probe { client, markers, fingerprint, before })
    }

    /// `begin` (the transaction's opening text, with its context or without),
    /// then `sql` as the app role with `params`; `passed` are values the caller
    /// put in the statement itself, which do not count as leaked.
    pub async fn run(
        &self,
        begin: &str,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
        passed: &[String],
    ) -> Result<Outcome, tokio_postgres::Error> {
        if let Err(e) = self.client.batch_execute(begin).await {
            self.client.batch_execute("ROLLBACK").await?;
            return Ok(Outcome {
                leaked: self.markers.find(&error_text(&e), passed).cloned(),
                result: Err(e),
                changed_b: false,
            });
        }
        self.client.batch_execute(&format!("SET LOCAL ROLE {APP_ROLE}")).await?;
        let result = async {
            let stream = self.client.query_raw(sql, params.iter().copied()).await?;
            futures_util::pin_mut!(stream);
            let mut rows = Vec::new();
            while let Some(row) = futures_util::TryStreamExt::try_next(&mut stream).await? {
                rows.push(row);
            }
            Ok((rows, stream.rows_affected().unwrap_or(0)))
        }
        .await;
        let outcome = match result {
            Err(e) => {
                let leaked = self.markers.find(&error_text(&e), passed).cloned();
                Outcome { result: Err(e), leaked, changed_b: false }
            }
            Ok((rows, affected)) => {
                let text: String = rows.iter().map(row_text).collect::<Vec<_>>().join("\n");
                let leaked = self.markers.find(&text, passed).cloned();
                self.client.batch_execute("RESET ROLE").await?;
                let wrote: bool =
                    self.client.query_one("SELECT pg_current_xact_id_if_assigned() IS NOT NULL", &[]).await?.get(0);
                let changed_b = wrote && self.fingerprint.take(self.client).await? != self.before;
                Outcome { result: Ok((rows, affected)), leaked, changed_b }
            }
        };
        self.client.batch_execute("ROLLBACK").await?;
        Ok(outcome)
    }
}

/// Every column of a row that reads as text or a number, joined.
fn row_text(row: &Row) -> String {
    (0..row.len())
        .filter_map(|i| {
            row.try_get::<_, Option<String>>(i)
                .ok()
                .flatten()
                .or_else(|| row.try_get::<_, Option<serde_json::Value>>(i).ok().flatten().map(|v| v.to_string()))
                .or_else(|| row.try_get::<_, Option<Uuid>>(i).ok().flatten().map(|v| v.to_string()))
                .or_else(|| row.try_get::<_, Option<i64>>(i).ok().flatten().map(|v| v.to_string()))
        })
        .collect::<Vec<_>>()
        .join("\t")
}
