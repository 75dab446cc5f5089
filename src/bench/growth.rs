//! Growth: the point lookup and the newest-50 list, app under RLS against the
//! owner, as one scratch database grows step by step (tenants and rows tenfold per
//! step, the same Zipf skew). Tenant-leading indexes should keep both flat.

use anyhow::Result;
use serde::Serialize;

use super::dataset::{self, Dataset, Scale};
use super::measure::{interleave, ratio, Latency, Plan};
use super::rls::ctx_of;
use super::workload::{refs, GROWTH_QUERIES, GROWTH_TABLES};
use crate::db::{Db, Target};

#[derive(Clone, Debug, Serialize)]
pub struct GrowthRow {
    pub tenants: u32,
    /// Rows of the grown table, over all tenants.
    pub rows: i64,
    pub query: &'static str,
    pub tenant: &'static str,
    pub tenant_rows: i64,
    pub app: Latency,
    pub owner: Latency,
    pub ratio: f64,
}

/// The steps: (tenants, rows) tenfold each.
pub fn steps(quick: bool, max_rows: u64) -> Vec<Scale> {
    let all: &[(u32, u64)] =
        if quick { &[(10, 1_000), (100, 10_000)] } else { &[(10, 10_000), (100, 100_000), (1_000, 1_000_000), (10_000, 10_000_000)] };
    all.iter().filter(|(_, rows)| *rows <= max_rows).map(|&(tenants, rows)| Scale { tenants, rows }).collect()
}

pub async fn measure(target: &Target, steps: &[Scale], plan: Plan, progress: &indicatif::ProgressBar) -> Result<Vec<GrowthRow>> {
    let scratch = dataset::recreate(target, "tenantbase_bench_growth").await?;
    let admin = scratch.connect_admin().await?;
    let mut out = Vec::new();
    for &scale in steps {
        progress.set_message(format!("growth: loading {} tenants, {} rows", scale.tenants, scale.rows));
        dataset::fill(&admin, scale, GROWTH_TABLES, progress).await?;
        let owner = admin
            .query_one("SELECT id FROM tenancy.users WHERE email = $1::text::citext", &[&dataset::BENCH_USER_EMAIL])
            .await?
            .get(0);
        let samples = dataset::sample_tenants(&admin, scale, GROWTH_TABLES).await?;
        let rows: i64 = admin.query_one(&format!("SELECT count(*) FROM {}", GROWTH_TABLES[0]), &[]).await?.get(0);
        let step = Dataset { target: scratch.clone(), scale, owner, samples, table_rows: vec![], reused: false };
        let app = Db::new(scratch.app.clone(), 1);
        progress.set_message(format!("growth: measuring at {} tenants, {rows} rows", scale.tenants));
        for tenant in &step.samples {
            let ctx = ctx_of(&step, tenant);
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
                    tenants: scale.tenants,
                    rows,
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
