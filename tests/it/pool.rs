//! The tenant-scoped transaction: its round trips, and a pool that never lets
//! one tenant's context reach another's work.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use tenantbase::db::{Db, TenantCtx};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{UnixListener, UnixStream};
use tokio_postgres::config::Host;
use uuid::Uuid;

use crate::common::TestDb;

/// A Unix-socket proxy that counts the client's flights: each time the client
/// sends after the server has answered is one round trip.
struct FlightCounter {
    flights: AtomicUsize,
    server_spoke_last: AtomicBool,
}

async fn start_proxy(real_socket: std::path::PathBuf, dir: &Path, port: u16) -> Arc<FlightCounter> {
    let counter = Arc::new(FlightCounter { flights: AtomicUsize::new(0), server_spoke_last: AtomicBool::new(true) });
    let listener = UnixListener::bind(dir.join(format!(".s.PGSQL.{port}"))).unwrap();
    let shared = counter.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let server = UnixStream::connect(&real_socket).await.unwrap();
            let (mut client_read, mut client_write) = client.into_split();
            let (mut server_read, mut server_write) = server.into_split();
            let up = shared.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                while let Ok(n) = client_read.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                    if up.server_spoke_last.swap(false, Ordering::SeqCst) {
                        up.flights.fetch_add(1, Ordering::SeqCst);
                    }
                    if server_write.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
            });
            let down = shared.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                while let Ok(n) = server_read.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                    down.server_spoke_last.store(true, Ordering::SeqCst);
                    if client_write.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    counter
}

impl FlightCounter {
    /// Round trips taken by `work`, measured after the connection is idle.
    async fn count<F: std::future::Future<Output = ()>>(&self, work: F) -> usize {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        self.server_spoke_last.store(true, Ordering::SeqCst);
        let before = self.flights.load(Ordering::SeqCst);
        work.await;
        self.flights.load(Ordering::SeqCst) - before
    }
}

#[tokio::test]
async fn the_tenant_context_costs_no_extra_round_trip() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let (Host::Unix(socket_dir), port) = (&db.target.app.get_hosts()[0], db.target.app.get_ports()[0]) else {
        panic!("the test cluster listens on a socket");
    };
    let proxy_dir = tempfile::tempdir().unwrap();
    let counter = start_proxy(socket_dir.join(format!(".s.PGSQL.{port}")), proxy_dir.path(), port).await;
    let mut config = tokio_postgres::Config::new();
    config.host_path(proxy_dir.path()).port(port).user("tenantbase_app").dbname(db.target.database_name());
    let pool = Db::new(config, db.context_key(), 1);
    let ctx = TenantCtx::new(seeded.tenant("acme"), seeded.user("alice@acme.com"));
    let sql = "SELECT name FROM tenancy.tenants WHERE id = $1";

    // Warm the connection and its statement cache.
    pool.tenant_query(&ctx, sql, &[&ctx.tenant_id]).await.unwrap();
    let mut warm = pool.tenant_tx(&ctx).await.unwrap();
    warm.query(sql, &[&ctx.tenant_id]).await.unwrap();
    warm.commit().await.unwrap();

    let one_shot = counter
        .count(async {
            let rows = pool.tenant_query(&ctx, sql, &[&ctx.tenant_id]).await.unwrap();
            assert_eq!(rows.len(), 1);
        })
        .await;
    assert_eq!(one_shot, 1, "BEGIN + context, the statement and COMMIT travel together");

    let mut tx = pool.tenant_tx(&ctx).await.unwrap();
    let first = counter
        .count(async {
            assert_eq!(tx.query(sql, &[&ctx.tenant_id]).await.unwrap().len(), 1);
        })
        .await;
    assert_eq!(first, 1, "the context rides with the first statement");
    let second = counter.count(async { tx.query(sql, &[&ctx.tenant_id]).await.unwrap(); }).await;
    assert_eq!(second, 1);
    let commit = counter.count(async { tx.commit().await.unwrap() }).await;
    assert_eq!(commit, 1);
}

#[tokio::test]
async fn many_tasks_alternating_tenants_over_a_small_pool_never_see_a_wrong_row() {
    const TASKS: usize = 64;
    const OPERATIONS: usize = 10_000;
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let contexts: Arc<Vec<TenantCtx>> = Arc::new(
        [("acme", "olivia@acme.com"), ("tech-startup", "tom@techstartup.io"), ("healthcare-co", "hana@healthcare.com"), ("demo-workspace", "demo@bizq.com")]
            .iter()
            .map(|(t, u)| TenantCtx::new(seeded.tenant(t), seeded.user(u)))
            .collect(),
    );
    let pool = db.app_pool(4);
    let next = Arc::new(AtomicUsize::new(0));
    let mut handles = Vec::new();
    for task in 0..TASKS {
        let (pool, contexts, next) = (pool.clone(), contexts.clone(), next.clone());
        handles.push(tokio::spawn(async move {
            let mut done = 0usize;
            loop {
                let op = next.fetch_add(1, Ordering::SeqCst);
                if op >= OPERATIONS {
                    return done;
                }
                let ctx = contexts[(op + task) % contexts.len()].clone();
                one_operation(&pool, ctx, op).await;
                done += 1;
            }
        }));
    }
    let mut total = 0;
    for h in handles {
        total += h.await.unwrap();
    }
    assert_eq!(total, OPERATIONS);
}

/// One unit of tenant work, checking every row it sees; some end in an error or
/// are dropped unfinished, so the next user of the connection inherits nothing.
async fn one_operation(pool: &Db, ctx: TenantCtx, op: usize) {
    if op % 5 == 0 {
        let rows = pool.tenant_query(&ctx, "SELECT id FROM tenancy.tenants", &[]).await.unwrap();
        let ids: Vec<Uuid> = rows.iter().map(|r| r.get(0)).collect();
        assert_eq!(ids, [ctx.tenant_id]);
        return;
    }
    let mut tx = pool.tenant_tx(&ctx).await.unwrap();
    let ids: Vec<Uuid> = tx.query("SELECT id FROM tenancy.tenants", &[]).await.unwrap().iter().map(|r| r.get(0)).collect();
    assert_eq!(ids, [ctx.tenant_id], "operation {op} saw another tenant");
    let members: Vec<Uuid> =
        tx.query("SELECT tenant_id FROM tenancy.memberships", &[]).await.unwrap().iter().map(|r| r.get(0)).collect();
    assert!(!members.is_empty() && members.iter().all(|t| *t == ctx.tenant_id), "operation {op} saw a foreign membership");
    match op % 7 {
        0 => drop(tx),
        1 => {
            assert!(tx.query("SELECT 1 / 0", &[]).await.is_err());
            drop(tx);
        }
        _ => tx.commit().await.unwrap(),
    }
}
