//! Writes: inserts per second through the API (POST) and through the database
//! layer (`TenantTx`, the SQL the API runs), at the same concurrency, phases
//! alternating; with the audit trigger attached and detached when there is one;
//! every client in one tenant, and the clients' inserts spread over several
//! tenants. Beside them: a 1,000-row INSERT with and without the trail, and the
//! sealing lag (the age of the oldest unsealed entry) sampled while they run.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use serde::Serialize;
use tokio_postgres::Client;

use super::cpu::Meter;
use super::dataset::Dataset;
use super::http::{session_token, Load, Phase, Server, Throughput};
use super::measure::{ratio, Latency, Samples};
use super::workload::{new_row, DELETE_WRITTEN};
use tenantbase::api::resources::{insert_sql, Resource};
use tenantbase::db::{Db, TenantCtx};

const MAX_INSERTS_PER_PHASE: u64 = 1_000_000;

#[derive(Clone, Debug, Serialize)]
pub struct WriteRow {
    /// "one tenant" / "8 tenants".
    pub tenants: String,
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

/// One INSERT of [`BULK_ROWS`] rows through `TenantTx`, with and without the trail.
#[derive(Clone, Debug, Default, Serialize)]
pub struct BulkInsert {
    pub rows: usize,
    pub with_audit: Option<Latency>,
    pub without_audit: Option<Latency>,
    /// with / without (median): the target is at most 2.
    pub ratio: f64,
}

/// The age of the oldest unsealed entry, sampled every [`LAG_SAMPLE`] while the
/// audited write phases ran (the sealer of the server under test seals).
#[derive(Clone, Debug, Default, Serialize)]
pub struct SealLagReport {
    pub samples: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

pub struct Writes {
    pub rows: Vec<WriteRow>,
    pub bulk: BulkInsert,
    pub seal_lag: SealLagReport,
    pub note: Option<String>,
}

pub const BULK_ROWS: usize = 1_000;
const BULK_REPEATS: usize = 7;
const LAG_SAMPLE: Duration = Duration::from_millis(50);
const BULK_SQL: &str = "INSERT INTO tenancy.roles (tenant_id, name)
                        SELECT $1, 'bench_bulk_' || i FROM generate_series(1, 1000) AS i";

/// A tenant the clients write in: its context and its owner's session token.
#[derive(Clone)]
pub struct Writer {
    pub ctx: TenantCtx,
    pub token: String,
}

/// Up to `n` tenants of the data set with their owners, largest first.
async fn spread_writers(dataset: &Dataset, n: usize) -> Result<Vec<Writer>> {
    let admin = dataset.target.connect_admin().await?;
    let rows = admin
        .query(
            "SELECT DISTINCT ON (m.tenant_id) m.tenant_id, m.user_id
             FROM tenancy.memberships m
             JOIN tenancy.users u ON u.id = m.user_id AND u.status = 'active' AND u.deleted_at IS NULL
             JOIN tenancy.tenants t ON t.id = m.tenant_id AND t.slug LIKE 'scale-%' AND t.deleted_at IS NULL
             WHERE m.role = 'owner' AND m.status = 'active'
             ORDER BY m.tenant_id, m.user_id LIMIT $1",
            &[&(n as i64)],
        )
        .await?;
    let mut writers = Vec::with_capacity(rows.len());
    for row in rows {
        let ctx = TenantCtx::new(row.get(0), row.get(1));
        let token = session_token(dataset, row.get(1)).await?;
        writers.push(Writer { ctx, token });
    }
    Ok(writers)
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
    let one = vec![Writer { ctx: ctx.clone(), token: token.to_string() }];
    let spread = spread_writers(dataset, load.concurrency).await?;
    let groups = [("one tenant".to_string(), one), (format!("{} tenants", spread.len()), spread)];
    let mut rows = Vec::new();
    let settings: Vec<(&str, bool)> = if triggers.is_empty() {
        vec![("no audit trigger", true)]
    } else {
        vec![("with audit", true), ("without audit", false)]
    };
    let lag = LagSampler::start(dataset).await?;
    for (label, audited) in &settings {
        switch(&admin, table, &triggers, *audited).await?;
        lag.sampling(*audited && !triggers.is_empty());
        for (tenants, writers) in &groups {
            let (mut api, mut direct) = (Vec::new(), Vec::new());
            for round in 0..load.rounds {
                for side in [round % 2, (round + 1) % 2] {
                    if side == 0 {
                        api.push(api_phase(server, writers, resource, load, &counter, meter).await?);
                    } else {
                        direct.push(db_phase(&db, writers, resource, load, &counter, meter).await?);
                    }
                }
            }
            let (api, db) = (Throughput::merge(&api), Throughput::merge(&direct));
            rows.push(WriteRow {
                tenants: tenants.clone(),
                auditing: label.to_string(),
                ratio: ratio(api.requests_per_s, db.requests_per_s),
                api,
                db,
            });
        }
        lag.sampling(false);
    }
    let bulk = if triggers.is_empty() { BulkInsert::default() } else { bulk_insert(&admin, &db, ctx).await? };
    switch(&admin, table, &triggers, true).await?;
    let seal_lag = lag.stop().await;
    // The deleted rows would linger as dead entries at the head of the newest-first
    // indexes of the largest tenant and slow the next run's reads: vacuum them now.
    admin.batch_execute(DELETE_WRITTEN).await?;
    admin.batch_execute(&format!("VACUUM (ANALYZE) {table}")).await?;
    let note = triggers.is_empty().then(|| {
        format!("{table} has no audit trigger on this build (the audit work has not landed): writes are measured without auditing only")
    });
    Ok(Writes { rows, bulk, seal_lag, note })
}

/// Switches the audit triggers of `table` on (ALWAYS, as migrations leave them) or off.
async fn switch(admin: &Client, table: &str, triggers: &[String], on: bool) -> Result<()> {
    for trigger in triggers {
        let state = if on { "ENABLE ALWAYS" } else { "DISABLE" };
        admin
            .batch_execute(&format!(
                "ALTER TABLE {table} {state} TRIGGER {}",
                tenantbase::db::migrate::quote_ident(trigger)
            ))
            .await?;
    }
    Ok(())
}

/// One 1,000-row INSERT into `tenancy.roles` through `TenantTx`, timed with the
/// trail and without it, alternating; rolled back each time.
async fn bulk_insert(admin: &Client, db: &Db, ctx: &TenantCtx) -> Result<BulkInsert> {
    let triggers = audit_triggers(admin, "tenancy.roles").await?;
    let (mut with, mut without) = (Samples::default(), Samples::default());
    for round in 0..BULK_REPEATS * 2 {
        let audited = round % 2 == 0;
        switch(admin, "tenancy.roles", &triggers, audited).await?;
        let mut tx = db.tenant_tx(ctx).await?;
        let t = Instant::now();
        tx.execute(BULK_SQL, &[&ctx.tenant_id]).await?;
        let took = t.elapsed();
        // Rolled back: the next round inserts the same names.
        drop(tx);
        if audited {
            with.push(took)
        } else {
            without.push(took)
        }
    }
    switch(admin, "tenancy.roles", &triggers, true).await?;
    Ok(BulkInsert {
        rows: BULK_ROWS,
        ratio: ratio(with.median_us(), without.median_us()),
        with_audit: Some(with.summary()),
        without_audit: Some(without.summary()),
    })
}

/// Polls `audit.seal_lag()` on its own connection while switched on.
struct LagSampler {
    on: Arc<std::sync::atomic::AtomicBool>,
    task: tokio::task::JoinHandle<Samples>,
}

impl LagSampler {
    async fn start(dataset: &Dataset) -> Result<Self> {
        let admin = dataset.target.connect_admin().await?;
        let on = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = on.clone();
        let task = tokio::spawn(async move {
            let mut samples = Samples::default();
            let mut tick = tokio::time::interval(LAG_SAMPLE);
            loop {
                tick.tick().await;
                if flag.load(Ordering::Relaxed) {
                    let age = admin
                        .query_one(
                            "SELECT coalesce(extract(epoch FROM clock_timestamp() - oldest_written_at), 0)::float8
                             FROM audit.seal_lag()",
                            &[],
                        )
                        .await;
                    match age {
                        Ok(row) => samples.push(Duration::from_secs_f64(row.get::<_, f64>(0).max(0.0))),
                        Err(_) => return samples,
                    }
                } else if Arc::strong_count(&flag) == 1 {
                    return samples;
                }
            }
        });
        Ok(LagSampler { on, task })
    }

    fn sampling(&self, on: bool) {
        self.on.store(on, Ordering::Relaxed);
    }

    async fn stop(self) -> SealLagReport {
        let LagSampler { on, task } = self;
        drop(on);
        let samples = task.await.unwrap_or_default();
        let max_ms = samples.0.iter().map(|d| d.as_secs_f64() * 1e3).fold(0.0, f64::max);
        SealLagReport {
            samples: samples.len(),
            p50_ms: samples.median_us() / 1e3,
            p99_ms: samples.p99_us() / 1e3,
            max_ms,
        }
    }
}

async fn api_phase(
    server: &Server,
    writers: &[Writer],
    resource: &Resource,
    load: Load,
    counter: &Arc<AtomicU64>,
    meter: Meter,
) -> Result<Phase> {
    let client = reqwest::Client::builder().pool_max_idle_per_host(load.concurrency).build()?;
    let targets: Arc<Vec<(String, String)>> = Arc::new(
        writers
            .iter()
            .map(|w| (format!("{}/v1/tenants/{}/{}", server.base, w.ctx.tenant_id, resource.def.name), w.token.clone()))
            .collect(),
    );
    run_phase(load, counter, meter, move |n| {
        let (url, token) = targets[n as usize % targets.len()].clone();
        let client = client.clone();
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
    writers: &[Writer],
    resource: &Resource,
    load: Load,
    counter: &Arc<AtomicU64>,
    meter: Meter,
) -> Result<Phase> {
    let (db, table, hidden) = (db.clone(), resource.def.table, resource.hidden_keys());
    let contexts: Arc<Vec<TenantCtx>> = Arc::new(writers.iter().map(|w| w.ctx.clone()).collect());
    run_phase(load, counter, meter, move |n| {
        let (db, ctx, hidden) = (db.clone(), contexts[n as usize % contexts.len()].clone(), hidden.clone());
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
