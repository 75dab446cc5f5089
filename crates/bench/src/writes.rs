//! Writes: inserts per second through the API (POST) and through the database
//! layer (`TenantTx`, the SQL the API runs), at the same concurrency, phases
//! alternating; with the audit trigger attached and detached when there is one.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Result};
use serde::Serialize;
use tokio_postgres::Client;

use super::cpu::Meter;
use super::dataset::Dataset;
use super::http::{Load, Phase, Server, Throughput};
use super::measure::{ratio, Samples};
use super::workload::{new_row, DELETE_WRITTEN};
use tenantbase::api::resources::{insert_sql, Resource};
use tenantbase::db::{Db, TenantCtx};

const MAX_INSERTS_PER_PHASE: u64 = 1_000_000;

#[derive(Clone, Debug, Serialize)]
pub struct WriteRow {
    /// "with audit" / "without audit" / "no audit trigger".
    pub auditing: String,
    /// POST through the API.
    pub api: Throughput,
    /// The same insert through `TenantTx`, in this process.
    pub db: Throughput,
    /// api / db inserts per second.
    pub ratio: f64,
}

/// Audit triggers on `table`: triggers whose function lives in the `audit` schema.
async fn audit_triggers(admin: &Client, table: &str) -> Result<Vec<String>> {
    let rows = admin
        .query(
            "SELECT t.tgname::text FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
             JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE t.tgrelid = $1::text::regclass AND NOT t.tgisinternal AND n.nspname = 'audit'",
            &[&table],
        )
        .await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

pub struct Writes {
    pub rows: Vec<WriteRow>,
    pub note: Option<String>,
}

pub async fn measure(
    server: &Server,
    token: &str,
    dataset: &Dataset,
    ctx: &TenantCtx,
    resource: &Resource,
    load: Load,
) -> Result<Writes> {
    let admin = dataset.target.connect_admin().await?;
    let table = resource.def.table;
    let triggers = audit_triggers(&admin, table).await?;
    let db = dataset.target.app_db(load.concurrency).await?;
    let counter = Arc::new(AtomicU64::new(0));
    let meter = server.meter(dataset)?;
    let mut rows = Vec::new();
    let settings: Vec<(&str, bool)> = if triggers.is_empty() {
        vec![("no audit trigger", true)]
    } else {
        vec![("with audit", true), ("without audit", false)]
    };
    for (label, audited) in settings {
        for trigger in &triggers {
            let state = if audited { "ENABLE" } else { "DISABLE" };
            admin
                .batch_execute(&format!(
                    "ALTER TABLE {table} {state} TRIGGER {}",
                    tenantbase::db::migrate::quote_ident(trigger)
                ))
                .await?;
        }
        let (mut api, mut direct) = (Vec::new(), Vec::new());
        for round in 0..load.rounds {
            for side in [round % 2, (round + 1) % 2] {
                if side == 0 {
                    api.push(api_phase(server, token, ctx, resource, load, &counter, meter).await?);
                } else {
                    direct.push(db_phase(&db, ctx, resource, load, &counter, meter).await?);
                }
            }
        }
        let (api, db) = (Throughput::merge(&api), Throughput::merge(&direct));
        rows.push(WriteRow {
            auditing: label.to_string(),
            ratio: ratio(api.requests_per_s, db.requests_per_s),
            api,
            db,
        });
    }
    for trigger in &triggers {
        admin
            .batch_execute(&format!(
                "ALTER TABLE {table} ENABLE TRIGGER {}",
                tenantbase::db::migrate::quote_ident(trigger)
            ))
            .await?;
    }
    // The deleted rows would linger as dead entries at the head of the newest-first
    // indexes of the largest tenant and slow the next run's reads: vacuum them now.
    admin.batch_execute(DELETE_WRITTEN).await?;
    admin.batch_execute(&format!("VACUUM (ANALYZE) {table}")).await?;
    let note = triggers.is_empty().then(|| {
        format!("{table} has no audit trigger on this build (the audit work has not landed): writes are measured without auditing only")
    });
    Ok(Writes { rows, note })
}

async fn api_phase(
    server: &Server,
    token: &str,
    ctx: &TenantCtx,
    resource: &Resource,
    load: Load,
    counter: &Arc<AtomicU64>,
    meter: Meter,
) -> Result<Phase> {
    let client = reqwest::Client::builder().pool_max_idle_per_host(load.concurrency).build()?;
    let url = format!("{}/v1/tenants/{}/{}", server.base, ctx.tenant_id, resource.def.name);
    let token = token.to_string();
    run_phase(load, counter, meter, move |n| {
        let (client, url, token) = (client.clone(), url.clone(), token.clone());
        async move {
            let response = client.post(&url).bearer_auth(&token).json(&new_row(n)).send().await?;
            let status = response.status();
            let body = response.text().await?;
            if status != reqwest::StatusCode::CREATED {
                bail!("the API refused an insert ({status}): {body}");
            }
            Ok(())
        }
    })
    .await
}

async fn db_phase(
    db: &Db,
    ctx: &TenantCtx,
    resource: &Resource,
    load: Load,
    counter: &Arc<AtomicU64>,
    meter: Meter,
) -> Result<Phase> {
    let (db, ctx, table, hidden) = (db.clone(), ctx.clone(), resource.def.table, resource.hidden_keys());
    run_phase(load, counter, meter, move |n| {
        let (db, ctx, hidden) = (db.clone(), ctx.clone(), hidden.clone());
        async move {
            let row = new_row(n);
            let fields: Vec<String> = row.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
            let mut tx = db.tenant_tx(&ctx).await?;
            tx.query_one(&insert_sql(table, &fields), &[&ctx.tenant_id, &row, &hidden]).await?;
            tx.commit().await?;
            Ok(())
        }
    })
    .await
}

/// `load.concurrency` workers, each one insert at a time, until the phase ends.
async fn run_phase<F, Fut>(load: Load, counter: &Arc<AtomicU64>, meter: Meter, insert: F) -> Result<Phase>
where
    F: Fn(u64) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Result<()>> + Send,
{
    let before = meter.snapshot();
    let started = Instant::now();
    let deadline = started + load.phase;
    let phase_start = counter.load(Ordering::Relaxed);
    let mut tasks = Vec::new();
    for _ in 0..load.concurrency {
        let (insert, counter) = (insert.clone(), counter.clone());
        tasks.push(tokio::spawn(async move {
            let mut samples = Samples::default();
            while Instant::now() < deadline {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                if n - phase_start >= MAX_INSERTS_PER_PHASE {
                    break;
                }
                let t = Instant::now();
                insert(n).await?;
                samples.push(t.elapsed());
            }
            Ok::<_, anyhow::Error>(samples)
        }));
    }
    Phase::gather(tasks, started, before, &meter).await
}
