//! What the pool's statement choice costs, and what PgBouncer in transaction mode
//! costs: the same tenant statement (a get by id in its own transaction: reset,
//! signed context, statement, COMMIT in one flight)
//! - named and cached (prepared once per connection, then bound) against unnamed
//!   (`query_typed`: parse, bind and execute every time), one connection, direct;
//! - through the app role's pool with many clients, direct against PgBouncer.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::Serialize;
use tokio_postgres::config::Host;
use tokio_postgres::types::{ToSql, Type};
use uuid::Uuid;

use super::dataset::Dataset;
use tenantbase::db::pgbouncer::PgBouncer;
use tenantbase::db::{Db, TenantCtx, APP_ROLE};

#[derive(Clone, Debug, Serialize)]
pub struct PoolerReport {
    pub statement: String,
    /// Median of one transaction, one connection, direct.
    pub named_median_us: f64,
    pub unnamed_median_us: f64,
    pub clients: usize,
    pub server_connections: usize,
    pub direct_per_second: f64,
    pub pgbouncer_per_second: f64,
}

/// Measures on `data`'s private cluster; `iterations` sequential transactions per
/// statement kind, `phase` per throughput side.
pub async fn measure(
    data: &Dataset,
    ctx: &TenantCtx,
    table: &str,
    ids: &[Uuid],
    iterations: usize,
    phase: Duration,
) -> Result<PoolerReport> {
    const CLIENTS: usize = 32;
    const SERVER_CONNECTIONS: usize = 16;
    let sql = format!("SELECT * FROM {table} WHERE id = $1");
    let signer = data.target.signer().await?;

    // Named against unnamed, interleaved on one connection.
    let (client, connection) = data.target.app.connect(tokio_postgres::NoTls).await?;
    tokio::spawn(connection);
    let named = client.prepare(&sql).await?;
    let (mut named_us, mut unnamed_us) = (Vec::new(), Vec::new());
    for i in 0..iterations {
        let id = &ids[i % ids.len()];
        // RESET_SQL's DEALLOCATE ALL would drop the cached statement: the named side opens with a plain BEGIN.
        let begin = format!("BEGIN; {}", signer.context_sql(ctx, Duration::from_secs(60)));
        let named_params: [&(dyn ToSql + Sync); 1] = [id];
        let typed_params: [(&(dyn ToSql + Sync), Type); 1] = [(id, Type::UUID)];
        let started = Instant::now();
        let (begun, rows, ended) = tokio::join!(
            client.batch_execute(&begin),
            client.query(&named, &named_params),
            client.batch_execute("COMMIT")
        );
        begun?;
        rows?;
        ended?;
        named_us.push(started.elapsed().as_secs_f64() * 1e6);
        let started = Instant::now();
        let (begun, rows, ended) = tokio::join!(
            client.batch_execute(&begin),
            client.query_typed(&sql, &typed_params),
            client.batch_execute("COMMIT")
        );
        begun?;
        rows?;
        ended?;
        unnamed_us.push(started.elapsed().as_secs_f64() * 1e6);
    }

    // Throughput of the pool, direct and through PgBouncer.
    let direct = data.target.app_db(CLIENTS).await?;
    let direct_per_second = throughput(&direct, ctx, &sql, ids, CLIENTS, phase).await?;
    let Some(Host::Unix(socket_dir)) = data.target.app.get_hosts().first().cloned() else {
        anyhow::bail!("the bench's cluster listens on a socket");
    };
    let port = *data.target.app.get_ports().first().context("the cluster's port")?;
    // PgBouncer runs as the cluster's owner, who may not enter the report's directory: its files go under
    // the system's temporary directory instead.
    let work_dir = tempfile::Builder::new().prefix("tenantbase-pgbouncer-").tempdir()?;
    let bouncer = PgBouncer::start(&socket_dir, port, &[APP_ROLE], SERVER_CONNECTIONS, work_dir.path())?;
    let name = data.target.app.get_dbname().context("a database name")?;
    let pooled = Db::new(bouncer.config(APP_ROLE, name), data.target.context_key().await?, CLIENTS)
        .with_clock(data.target.clock.clone());
    let pgbouncer_per_second = throughput(&pooled, ctx, &sql, ids, CLIENTS, phase).await?;

    Ok(PoolerReport {
        statement: sql,
        named_median_us: median(named_us),
        unnamed_median_us: median(unnamed_us),
        clients: CLIENTS,
        server_connections: SERVER_CONNECTIONS,
        direct_per_second,
        pgbouncer_per_second,
    })
}

/// Transactions per second that `clients` tasks complete through `db` in `phase`.
async fn throughput(db: &Db, ctx: &TenantCtx, sql: &str, ids: &[Uuid], clients: usize, phase: Duration) -> Result<f64> {
    db.tenant_query(ctx, sql, &[&ids[0]]).await?;
    let (done, stop) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicBool::new(false)));
    let mut tasks = Vec::new();
    for task in 0..clients {
        let (db, ctx, sql, ids, done, stop) =
            (db.clone(), ctx.clone(), sql.to_string(), ids.to_vec(), done.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut n = task;
            while !stop.load(Ordering::Relaxed) {
                db.tenant_query(&ctx, &sql, &[&ids[n % ids.len()]]).await?;
                done.fetch_add(1, Ordering::Relaxed);
                n += 1;
            }
            Ok::<_, tenantbase::db::DbError>(())
        }));
    }
    let started = Instant::now();
    tokio::time::sleep(phase).await;
    let completed = done.load(Ordering::Relaxed);
    let elapsed = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await??;
    }
    Ok(completed as f64 / elapsed)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}
