//! Growth: the point lookup and the newest-50 list, app under RLS against the
//! owner, as one scratch database grows step by step (tenants and rows tenfold per
//! step, each step's new tenants Zipf-skewed). Tenant-leading indexes should keep
//! both flat.

use anyhow::Result;
use serde::Serialize;

use super::dataset::{self, Scale};
use super::measure::{interleave, ratio, Latency, Plan};
use super::rls::ctx_of;
use super::workload::{refs, GROWTH_QUERIES, SIZE_TABLE};
use crate::db::{Db, Target};

#[derive(Clone, Debug, Serialize)]
pub struct GrowthRow {
    pub tenants: usize,
    /// Rows over all loaded tables.
    pub rows: i64,
    /// Rows of the queried table (commerce.orders).
    pub table_rows: i64,
    pub query: &'static str,
    pub tenant: &'static str,
    pub tenant_rows: i64,
    pub app: Latency,
    pub owner: Latency,
    pub ratio: f64,
}

/// The steps' tenant counts, tenfold each, and the rows per tenant that make the
/// rows grow tenfold with them; steps above `max_rows` rows in all are left out.
pub fn steps(quick: bool, max_rows: u64) -> (Vec<usize>, usize) {
    let (tenants, rows_per_tenant): (&[usize], usize) = if quick { (&[10, 100], 100) } else { (&[10, 100, 1_000, 10_000], 1_000) };
    (tenants.iter().copied().filter(|t| (*t * rows_per_tenant) as u64 <= max_rows).collect(), rows_per_tenant)
}

/// Grows a scratch database of its own step by step (each step's new tenants
/// loaded by `seed scale`) and measures at each step.
pub async fn measure(target: &Target, steps: &[usize], rows_per_tenant: usize, plan: Plan, progress: &indicatif::ProgressBar) -> Result<Vec<GrowthRow>> {
    let scratch = dataset::recreate(target, "tenantbase_bench_growth").await?;
    let admin = scratch.connect_admin().await?;
    let mut out = Vec::new();
    let mut loaded = 0;
    for &tenants in steps {
        progress.set_message(format!("growth: loading up to {tenants} tenants"));
        dataset::load(&scratch, Scale { tenants: tenants - loaded, rows_per_tenant }, progress).await?;
        loaded = tenants;
        admin.batch_execute("VACUUM ANALYZE").await?;
        let samples = dataset::sample_tenants(&admin).await?;
        let rows: i64 = admin
            .query_one(
                "SELECT sum(c.reltuples)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind = 'r' AND c.reltuples > 0 AND n.nspname IN ('content', 'work', 'agents', 'commerce', 'analytics')",
                &[],
            )
            .await?
            .get(0);
        let table_rows: i64 = admin.query_one(&format!("SELECT count(*) FROM {SIZE_TABLE}"), &[]).await?.get(0);
        let app = Db::new(scratch.app.clone(), 1);
        progress.set_message(format!("growth: measuring at {tenants} tenants, {rows} rows"));
        for tenant in &samples {
            let ctx = ctx_of(tenant);
            for query in GROWTH_QUERIES {
                let statement = admin.prepare(query.owner_sql()).await?;
                let mut n = 0usize;
                let samples = interleave(plan, 2, |variant| {
                    n += 1;
                    let params = query.bind(tenant, n / 2);
                    let (app, admin, ctx, statement) = (&app, &admin, &ctx, statement.clone());
                    async move {
                        match variant {
                            0 => drop(app.tenant_query(ctx, query.app_sql, &refs(&params)).await?),
                            _ => drop(admin.query(&statement, &refs(&params)).await?),
                        }
                        Ok(())
                    }
                })
                .await?;
                let (app_latency, owner_latency) = (samples[0].summary(), samples[1].summary());
                out.push(GrowthRow {
                    tenants,
                    rows,
                    table_rows,
                    query: query.name,
                    tenant: tenant.label,
                    tenant_rows: tenant.rows,
                    ratio: ratio(app_latency.median_us, owner_latency.median_us),
                    app: app_latency,
                    owner: owner_latency,
                });
            }
        }
        progress.inc(1);
    }
    Ok(out)
}
