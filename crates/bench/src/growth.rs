//! Growth: the point lookup and the newest-50 list, app under RLS against the
//! owner, at 10, 100, 1,000 and 10,000 tenants with rows growing tenfold alongside
//! (`seed scale` at 1,000 rows per tenant on average, Zipf-skewed), each step a
//! scratch database of its own. Tenant-leading indexes should keep both flat.

use anyhow::Result;
use serde::Serialize;

use super::dataset::{self, Scale};
use super::measure::{interleave, ratio, Latency, Plan};
use super::rls::ctx_of;
use super::workload::{refs, GROWTH_QUERIES, SIZE_TABLE};
use tenantbase::db::Target;

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
    let (tenants, rows_per_tenant): (&[usize], usize) =
        if quick { (&[10, 100], 100) } else { (&[10, 100, 1_000, 10_000], 1_000) };
    (tenants.iter().copied().filter(|t| (*t * rows_per_tenant) as u64 <= max_rows).collect(), rows_per_tenant)
}

/// Each step is a scratch database of its own, loaded by `seed scale` and kept
/// for the next run like the main data set.
pub async fn measure(
    target: &Target,
    steps: &[usize],
    rows_per_tenant: usize,
    fresh: bool,
    plan: Plan,
    progress: &indicatif::ProgressBar,
) -> Result<Vec<GrowthRow>> {
    let mut out = Vec::new();
    for &tenants in steps {
        progress.set_message(format!("growth: {tenants} tenants"));
        let name = format!("tenantbase_bench_growth_{tenants}");
        let step = dataset::open(target, &name, Scale { tenants, rows_per_tenant }, fresh, progress).await?;
        let rows: i64 = step.table_rows.iter().map(|(_, n)| n).sum();
        let table_rows = step.table_rows.iter().find(|(t, _)| t == SIZE_TABLE).map(|(_, n)| *n).unwrap_or(0);
        let admin = step.target.connect_admin().await?;
        let samples = step.samples;
        let scratch = step.target;
        let app = scratch.app_db(1).await?;
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
