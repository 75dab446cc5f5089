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
use tokio_postgres::types::Type;

use tenantbase::db::context::CONTEXT_TTL;
use tenantbase::db::{self, Db, TenantCtx};
use tenantbase_test_support::proxy;

/// A statement whose cost is the protocol's alone.
const STATEMENT: &str = "SELECT $1::uuid";
/// The tenant as every policy reads it: only once `platform.context_field()` verified the token.
const VERIFIED_TENANT: &str = "SELECT tenancy.current_tenant_id()";
/// The same setting read without verifying it.
const UNVERIFIED_TENANT: &str = "SELECT nullif(split_part(convert_from(decode(rpad(translate(
    split_part(current_setting('app.context', true), '.', 2), '-_', '+/'),
    (length(split_part(current_setting('app.context', true), '.', 2)) + 3) / 4 * 4, '='), 'base64'), 'UTF8'), E'\\n', 1), '')::uuid";

/// What verifying the signed context costs a statement: policies call
/// `tenancy.current_tenant_id()` once per table a statement reads (an InitPlan).
#[derive(Clone, Debug, Serialize)]
pub struct Verification {
    pub verified: Latency,
    pub unverified: Latency,
    /// Median microseconds one verification adds.
    pub added_us: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct ContextReport {
    pub statement: &'static str,
    /// `Db::tenant_query`: BEGIN and every setting, the statement, COMMIT.
    pub with_context: Latency,
    /// The statement alone, unnamed as the server sends it.
    pub without_context: Latency,
    /// BEGIN, the statement, COMMIT: the transaction's share.
    pub transaction_only: Latency,
    /// BEGIN and the signed context without the reset that precedes it: the reset's share.
    pub context_without_reset: Latency,
    /// The statement alone, prepared once and executed by name: what sending it
    /// unnamed (parsed and planned each time) costs, against this.
    pub prepared: Latency,
    /// Median microseconds the reset of the connection's session state adds.
    pub reset_us: f64,
    /// with / without.
    pub ratio: f64,
    /// Median microseconds the context adds.
    pub added_us: f64,
    pub round_trips: Option<RoundTrips>,
    /// Why round trips were not counted, when they were not.
    pub round_trips_note: Option<String>,
    /// The cost of verifying the signed context.
    pub verification: Verification,
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
    // The same pipeline as `Db::tenant_query` (the statement unnamed, as the server
    // sends it), with less in its opening text: none (the transaction's own cost),
    // then the signed context without the reset; and the statement prepared once,
    // as a server that kept statements on its connections would run it.
    let context_only = format!("BEGIN; {}", dataset.target.signer().await?.context_sql(ctx, CONTEXT_TTL));
    let samples = interleave(plan, 7, |variant| {
        let (pool, bare, statement, context_only) = (&pool, &bare, statement.clone(), &context_only);
        async move {
            match variant {
                0 => drop(pool.tenant_query(ctx, STATEMENT, &[&ctx.tenant_id]).await?),
                1 => drop(bare.query_typed(STATEMENT, &[(&ctx.tenant_id, Type::UUID)]).await?),
                2 => pipelined(bare, "BEGIN", ctx).await?,
                3 => pipelined(bare, context_only, ctx).await?,
                4 => drop(pool.tenant_query(ctx, VERIFIED_TENANT, &[]).await?),
                5 => drop(pool.tenant_query(ctx, UNVERIFIED_TENANT, &[]).await?),
                _ => drop(bare.query(&statement, &[&ctx.tenant_id]).await?),
            }
            Ok(())
        }
    })
    .await?;
    let (with_context, without_context) = (samples[0].summary(), samples[1].summary());
    let (transaction_only, context_without_reset) = (samples[2].summary(), samples[3].summary());
    let (verified, unverified) = (samples[4].summary(), samples[5].summary());
    let prepared = samples[6].summary();
    let verification = Verification { added_us: verified.median_us - unverified.median_us, verified, unverified };
    let (round_trips, round_trips_note) = match app_socket(dataset) {
        Some(socket) => {
            // On its own single-threaded runtime, what the client sends together leaves
            // together. On a multi-threaded one the connection task may flush BEGIN before
            // the statement is queued: the proxy would see two sends, yet the client never
            // waited for an answer in between, so that is no round trip.
            let (app, ctx, key) = (dataset.target.app.clone(), ctx.clone(), dataset.target.context_key().await?);
            let counted = tokio::task::spawn_blocking(move || {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?
                    .block_on(count_round_trips(app, key, ctx, socket))
            })
            .await??;
            (Some(counted), None)
        }
        None => (
            None,
            Some("not counted: the server is reached over TCP; the counting proxy sits on a Unix socket".to_string()),
        ),
    };
    Ok(ContextReport {
        statement: STATEMENT,
        transaction_only,
        reset_us: with_context.median_us - context_without_reset.median_us,
        prepared,
        context_without_reset,
        ratio: ratio(with_context.median_us, without_context.median_us),
        added_us: with_context.median_us - without_context.median_us,
        with_context,
        without_context,
        round_trips,
        round_trips_note,
        verification,
    })
}

/// `begin`, the statement (unnamed) and COMMIT sent together, as `Db::tenant_query` sends them.
async fn pipelined(client: &tokio_postgres::Client, begin: &str, ctx: &TenantCtx) -> Result<()> {
    let params: [(&(dyn tokio_postgres::types::ToSql + Sync), Type); 1] = [(&ctx.tenant_id, Type::UUID)];
    let (begun, rows, committed) = tokio::join!(
        client.batch_execute(begin),
        client.query_typed(STATEMENT, &params),
        client.batch_execute("COMMIT")
    );
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

async fn count_round_trips(
    app: tokio_postgres::Config,
    key: tenantbase::db::context::ContextKey,
    ctx: TenantCtx,
    socket: PathBuf,
) -> Result<RoundTrips> {
    let ctx = &ctx;
    let dir = tempfile_dir()?;
    let port = app.get_ports()[0];
    let counter = proxy::start_proxy(socket, &dir, port).context("starting the counting proxy")?;
    let mut config = tokio_postgres::Config::new();
    config
        .host_path(&dir)
        .port(port)
        .user(app.get_user().unwrap_or(db::APP_ROLE))
        .dbname(app.get_dbname().unwrap_or(db::DATABASE));
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
