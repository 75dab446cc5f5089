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
    /// `Db::tenant_query`: BEGIN and every setting, the statement, COMMIT.
    pub with_context: Latency,
    /// The statement alone.
    pub without_context: Latency,
    /// BEGIN, the statement, COMMIT: the transaction's share.
    pub transaction_only: Latency,
    /// BEGIN with only the tenant and the user set: what trimming the request facts would save.
    pub tenant_and_user_only: Latency,
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
    let pool = dataset.target.app_db(1).await?;
    let bare = db::connect(&dataset.target.app).await?;
    let statement = bare.prepare(STATEMENT).await?;
    // The same pipeline as `Db::tenant_query`, with less in its opening text: none
    // (the transaction's own cost), then only the two settings the policies read.
    let tenant_and_user = format!(
        "BEGIN; SET LOCAL app.tenant_id = '{}'; SET LOCAL app.user_id = '{}'",
        ctx.tenant_id,
        ctx.user_id.unwrap_or_default()
    );
    let samples = interleave(plan, 4, |variant| {
        let (pool, bare, statement, tenant_and_user) = (&pool, &bare, statement.clone(), &tenant_and_user);
        async move {
            match variant {
                0 => drop(pool.tenant_query(ctx, STATEMENT, &[&ctx.tenant_id]).await?),
                1 => drop(bare.query(&statement, &[&ctx.tenant_id]).await?),
                2 => pipelined(bare, "BEGIN", &statement, ctx).await?,
                _ => pipelined(bare, tenant_and_user, &statement, ctx).await?,
            }
            Ok(())
        }
    })
    .await?;
    let (with_context, without_context) = (samples[0].summary(), samples[1].summary());
    let (transaction_only, tenant_and_user_only) = (samples[2].summary(), samples[3].summary());
    let (round_trips, round_trips_note) = match app_socket(dataset) {
        Some(socket) => {
            // On its own single-threaded runtime, what the client sends together leaves
            // together. On a multi-threaded one the connection task may flush BEGIN before
            // the statement is queued: the proxy would see two sends, yet the client never
            // waited for an answer in between, so that is no round trip.
            let (app, ctx, key) = (dataset.target.app.clone(), ctx.clone(), dataset.target.context_key().await?);
            let counted = tokio::task::spawn_blocking(move || {
                tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(count_round_trips(app, key, ctx, socket))
            })
            .await??;
            (Some(counted), None)
        }
        None => (None, Some("not counted: the server is reached over TCP; the counting proxy sits on a Unix socket".to_string())),
    };
    Ok(ContextReport {
        statement: STATEMENT,
        transaction_only,
        tenant_and_user_only,
        ratio: ratio(with_context.median_us, without_context.median_us),
        added_us: with_context.median_us - without_context.median_us,
        with_context,
        without_context,
        round_trips,
        round_trips_note,
        verification: "not measured: no signed context on this build".to_string(),
    })
}

/// `begin`, the statement and COMMIT sent together, as `Db::tenant_query` sends them.
async fn pipelined(client: &tokio_postgres::Client, begin: &str, statement: &tokio_postgres::Statement, ctx: &TenantCtx) -> Result<()> {
    let params: [&(dyn tokio_postgres::types::ToSql + Sync); 1] = [&ctx.tenant_id];
    let (begun, rows, committed) = tokio::join!(client.batch_execute(begin), client.query(statement, &params), client.batch_execute("COMMIT"));
    begun?;
    rows?;
    committed?;
    Ok(())
}

/// The server's Unix socket, when the app reaches it through one.
fn app_socket(dataset: &Dataset) -> Option<PathBuf> {
    let app = &dataset.target.app;
    match (app.get_hosts().first(), app.get_ports().first()) {
        (Some(Host::Unix(dir)), Some(port)) => Some(dir.join(format!(".s.PGSQL.{port}"))),
        _ => None,
    }
}

async fn count_round_trips(app: tokio_postgres::Config, key: crate::db::context::ContextKey, ctx: TenantCtx, socket: PathBuf) -> Result<RoundTrips> {
    let ctx = &ctx;
    let dir = tempfile_dir()?;
    let port = app.get_ports()[0];
    let counter = proxy::start_proxy(socket, &dir, port).context("starting the counting proxy")?;
    let mut config = tokio_postgres::Config::new();
    config.host_path(&dir).port(port).user(app.get_user().unwrap_or(db::APP_ROLE)).dbname(app.get_dbname().unwrap_or(db::DATABASE));
    let pool = Db::new(config.clone(), key, 1);
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
