//! RLS cost: each hot query as the app runs it (tenantbase_app under forced RLS,
//! through `Db::tenant_query`: context, statement and commit in one round trip)
//! against the same query as the owner with its explicit `tenant_id = $1` and no
//! RLS, sent through the very same transaction path (a superuser pool, which
//! bypasses RLS). Both sides pay the same transaction, so their ratio is what the
//! policies cost; the transaction and context's own cost is measured apart
//! (`context`) and shown here too, against the owner's bare statement.

use anyhow::{bail, Context, Result};
use serde::Serialize;
use tokio_postgres::Client;

use super::dataset::{Dataset, TenantSample};
use super::measure::{interleave, ratio, Latency, Plan};
use super::workload::{refs, HotQuery};
use tenantbase::db::{Db, TenantCtx};

/// Every RLS ratio should stay at or below this.
pub const TARGET: f64 = 1.10;

#[derive(Clone, Debug, Serialize)]
pub struct RlsRow {
    pub query: &'static str,
    pub tenant: &'static str,
    pub tenant_rows: i64,
    /// tenantbase_app under RLS, through the tenant transaction.
    pub app: Latency,
    /// The owner through the same transaction path, no RLS.
    pub owner_in_tx: Latency,
    /// The owner, same statement, no RLS, no transaction.
    pub owner: Latency,
    /// app / owner_in_tx: what the policies cost (the target applies to it).
    pub ratio: f64,
    /// app / owner: the policies and the tenant transaction together.
    pub with_context_ratio: f64,
    pub rows_returned: usize,
}

impl RlsRow {
    pub fn meets_target(&self) -> bool {
        self.ratio <= TARGET
    }
}

/// Both variants' plans of a query whose ratio missed the target.
#[derive(Clone, Debug, Serialize)]
pub struct PlanPair {
    pub query: &'static str,
    pub tenant: &'static str,
    pub ratio: f64,
    pub app_plan: String,
    pub owner_plan: String,
}

/// The connections the comparisons run on: one each, so caches stay warm.
pub struct Sides {
    pub app: Db,
    pub owner_tx: Db,
    pub owner: Client,
}

impl Sides {
    pub async fn open(dataset: &Dataset) -> Result<Sides> {
        let key = dataset.target.context_key().await?;
        Ok(Sides {
            app: Db::new(dataset.target.app.clone(), key.clone(), 1),
            owner_tx: Db::new(dataset.target.admin.clone(), key, 1),
            owner: dataset.target.connect_admin().await?,
        })
    }
}

/// Acting as the tenant's owner.
pub fn ctx_of(tenant: &TenantSample) -> TenantCtx {
    TenantCtx::new(tenant.tenant_id, tenant.owner)
}

/// Measures `query` in `tenant`: app, owner and owner-in-transaction, interleaved.
pub async fn compare(
    sides: &Sides,
    ctx: &TenantCtx,
    query: &HotQuery,
    tenant: &TenantSample,
    plan: Plan,
) -> Result<RlsRow> {
    let owner_statement = sides.owner.prepare(query.owner_sql()).await?;
    let params = query.bind(tenant, 0);
    let app_rows = sides.app.tenant_query(ctx, query.app_sql, &refs(&params)).await?.len();
    let owner_rows = sides.owner.query(&owner_statement, &refs(&params)).await?.len();
    if app_rows != owner_rows {
        bail!(
            "{}: the app under RLS saw {app_rows} rows, the owner {owner_rows}: the variants do not do the same work",
            query.name
        );
    }
    let mut n = 0usize;
    let samples = interleave(plan, 3, |variant| {
        n += 1;
        let params = query.bind(tenant, n / 3);
        let owner_statement = owner_statement.clone();
        async move {
            match variant {
                0 => drop(sides.app.tenant_query(ctx, query.app_sql, &refs(&params)).await?),
                1 => drop(sides.owner.query(&owner_statement, &refs(&params)).await?),
                _ => drop(sides.owner_tx.tenant_query(ctx, query.owner_sql(), &refs(&params)).await?),
            }
            Ok(())
        }
    })
    .await
    .with_context(|| format!("measuring {}", query.name))?;
    let (app, owner, owner_in_tx) = (samples[0].summary(), samples[1].summary(), samples[2].summary());
    Ok(RlsRow {
        query: query.name,
        tenant: tenant.label,
        tenant_rows: tenant.rows,
        ratio: ratio(app.median_us, owner_in_tx.median_us),
        with_context_ratio: ratio(app.median_us, owner.median_us),
        app,
        owner,
        owner_in_tx,
        rows_returned: app_rows,
    })
}

/// EXPLAIN (ANALYZE, BUFFERS) of both variants, the app's under its context and
/// RLS, the owner's in a transaction. Each runs as a prepared statement executed six times, and the sixth plan is
/// kept: after five executions PostgreSQL may switch to a generic plan, and the
/// benchmark's prepared statements run on whichever it chose.
pub async fn explain(
    dataset: &Dataset,
    ctx: &TenantCtx,
    query: &HotQuery,
    tenant: &TenantSample,
    row: &RlsRow,
) -> Result<PlanPair> {
    let literals = query.literals(tenant, 0).join(", ");
    let app = tenantbase::db::connect(&dataset.target.app).await?;
    let begin = dataset.target.signer().await?.begin_sql(ctx);
    let app_plan = settled_plan(&app, &format!("{begin}; "), query.app_sql, &literals).await?;
    let owner = dataset.target.connect_admin().await?;
    let owner_plan = settled_plan(&owner, "BEGIN; ", query.owner_sql(), &literals).await?;
    Ok(PlanPair { query: query.name, tenant: tenant.label, ratio: row.ratio, app_plan, owner_plan })
}

async fn settled_plan(client: &Client, begin: &str, sql: &str, literals: &str) -> Result<String> {
    client.batch_execute(&format!("{begin}PREPARE bench_explained AS {sql}")).await?;
    let mut plan = Vec::new();
    for _ in 0..6 {
        plan = client
            .simple_query(&format!("EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_explained ({literals})"))
            .await?
            .into_iter()
            .filter_map(|m| match m {
                tokio_postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
                _ => None,
            })
            .collect();
    }
    client.batch_execute("ROLLBACK").await?;
    Ok(plan.join("\n"))
}
