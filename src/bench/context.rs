//! Context cost: what the tenant context adds to a request. The same statement,
//! one that reads no table so that RLS plays no part, runs as the app in a tenant
//! transaction (`Db::tenant_query`) and alone with no context; the round trips of
//! each are counted by a proxy on the server's socket.

use std::path::PathBuf;

use anyhow::{Context, Result};
use serde::Serialize;
use tokio_postgres::config::Host;

use super::dataset::Dataset;
use super::measure::{interleave, ratio, Latency, Plan};
use crate::db::{self, proxy, Db, TenantCtx};

/// A statement whose cost is the protocol's alone.
const STATEMENT: &str = "SELECT $1::uuid";

#[derive(Clone, Debug, Serialize)]
pub struct ContextReport {
    pub statement: &'static str,
    pub with_context: Latency,
    pub without_context: Latency,
    /// with / without.
    pub ratio: f64,
    /// Median microseconds the context adds.
    pub added_us: f64,
    pub round_trips: Option<RoundTrips>,
    /// Why round trips were not counted, when they were not.
    pub round_trips_note: Option<String>,
    /// The cost of verifying an unforgeable context, once there is one.
    pub verification: String,
}

/// Flights between client and server per request (a flight: the client sends after the server answered).
#[derive(Clone, Debug, Serialize)]
pub struct RoundTrips {
    /// The statement alone, no context.
    pub bare_statement: usize,
    /// `Db::tenant_query`: context, statement and commit.
    pub tenant_query: usize,
    /// `TenantTx` with two statements, then commit.
    pub tenant_tx_two_statements_and_commit: usize,
}

pub async fn measure(dataset: &Dataset, ctx: &TenantCtx, plan: Plan) -> Result<ContextReport> {
    let pool = Db::new(dataset.target.app.clone(), 1);
    let bare = db::connect(&dataset.target.app).await?;
    let bare_statement = bare.prepare(STATEMENT).await?;
    let samples = interleave(plan, 2, |variant| {
        let (pool, bare, statement) = (&pool, &bare, bare_statement.clone());
        async move {
            match variant {
                0 => drop(pool.tenant_query(ctx, STATEMENT, &[&ctx.tenant_id]).await?),
                _ => drop(bare.query(&statement, &[&ctx.tenant_id]).await?),
            }
            Ok(())
        }
    })
    .await?;
    let (with_context, without_context) = (samples[0].summary(), samples[1].summary());
    let (round_trips, round_trips_note) = match app_socket(dataset) {
        Some(socket) => {
            // On its own single-threaded runtime, what the client sends together leaves
            // together. On a multi-threaded one the connection task may flush BEGIN before
            // the statement is queued: the proxy would see two sends, yet the client never
            // waited for an answer in between, so that is no round trip.
            let (app, ctx) = (dataset.target.app.clone(), ctx.clone());
            let counted = tokio::task::spawn_blocking(move || {
                tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(count_round_trips(app, ctx, socket))
            })
            .await??;
            (Some(counted), None)
        }
        None => (None, Some("not counted: the server is reached over TCP; the counting proxy sits on a Unix socket".to_string())),
    };
    Ok(ContextReport {
        statement: STATEMENT,
        ratio: ratio(with_context.median_us, without_context.median_us),
        added_us: with_context.median_us - without_context.median_us,
        with_context,
        without_context,
        round_trips,
        round_trips_note,
        verification: "not measured: no signed context on this build".to_string(),
    })
}

/// The server's Unix socket, when the app reaches it through one.
fn app_socket(dataset: &Dataset) -> Option<PathBuf> {
    let app = &dataset.target.app;
    match (app.get_hosts().first(), app.get_ports().first()) {
        (Some(Host::Unix(dir)), Some(port)) => Some(dir.join(format!(".s.PGSQL.{port}"))),
        _ => None,
    }
}

async fn count_round_trips(app: tokio_postgres::Config, ctx: TenantCtx, socket: PathBuf) -> Result<RoundTrips> {
    let ctx = &ctx;
    let dir = tempfile_dir()?;
    let port = app.get_ports()[0];
    let counter = proxy::start_proxy(socket, &dir, port).context("starting the counting proxy")?;
    let mut config = tokio_postgres::Config::new();
    config.host_path(&dir).port(port).user(app.get_user().unwrap_or(db::APP_ROLE)).dbname(app.get_dbname().unwrap_or(db::DATABASE));
    let pool = Db::new(config.clone(), 1);
    let bare = db::connect(&config).await?;
    let statement = bare.prepare(STATEMENT).await?;
    // Warm: the pool's connection and both statement caches.
    pool.tenant_query(ctx, STATEMENT, &[&ctx.tenant_id]).await?;
    let mut warm = pool.tenant_tx(ctx).await?;
    warm.query(STATEMENT, &[&ctx.tenant_id]).await?;
    warm.commit().await?;

    let (bare_statement, rows) = counter.count(bare.query(&statement, &[&ctx.tenant_id])).await;
    rows?;
    let (tenant_query, rows) = counter.count(pool.tenant_query(ctx, STATEMENT, &[&ctx.tenant_id])).await;
    rows?;
    let (tenant_tx, done) = counter
        .count(async {
            let mut tx = pool.tenant_tx(ctx).await?;
            tx.query(STATEMENT, &[&ctx.tenant_id]).await?;
            tx.query(STATEMENT, &[&ctx.tenant_id]).await?;
            tx.commit().await?;
            Ok::<_, anyhow::Error>(())
        })
        .await;
    done?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(RoundTrips { bare_statement, tenant_query, tenant_tx_two_statements_and_commit: tenant_tx })
}

/// A short private directory for the proxy's socket (socket paths are limited to about 100 bytes).
fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("tenantbase-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
