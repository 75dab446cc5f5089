//! The tenant-scoped transaction: its round trips, and a pool that never lets
//! one tenant's context reach another's work.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tenantbase::db::{Db, TenantCtx};
use uuid::Uuid;

use crate::common::{app_config_via, start_proxy, TestDb};

#[tokio::test]
async fn the_tenant_context_costs_no_extra_round_trip() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let proxy_dir = tempfile::tempdir().unwrap();
    let counter = start_proxy(db.socket(), proxy_dir.path(), db.port());
    let config = app_config_via(&db, proxy_dir.path());
    let pool = Db::new(config, db.context_key(), 1);
    let ctx = TenantCtx::new(seeded.tenant("acme"), seeded.user("alice@acme.com"));
    let sql = "SELECT name FROM tenancy.tenants WHERE id = $1";

    // Warm the connection and its statement cache.
    pool.tenant_query(&ctx, sql, &[&ctx.tenant_id]).await.unwrap();
    let mut warm = pool.tenant_tx(&ctx).await.unwrap();
    warm.query(sql, &[&ctx.tenant_id]).await.unwrap();
    warm.commit().await.unwrap();

    let (one_shot, rows) = counter.count(pool.tenant_query(&ctx, sql, &[&ctx.tenant_id])).await;
    assert_eq!(rows.unwrap().len(), 1);
    assert_eq!(one_shot, 1, "BEGIN + context, the statement and COMMIT travel together");

    let mut tx = pool.tenant_tx(&ctx).await.unwrap();
    let (first, rows) = counter.count(tx.query(sql, &[&ctx.tenant_id])).await;
    assert_eq!(rows.unwrap().len(), 1);
    assert_eq!(first, 1, "the context rides with the first statement");
    let (second, rows) = counter.count(tx.query(sql, &[&ctx.tenant_id])).await;
    rows.unwrap();
    assert_eq!(second, 1);
    let (commit, done) = counter.count(tx.commit()).await;
    done.unwrap();
    assert_eq!(commit, 1);
}

#[tokio::test]
async fn many_tasks_alternating_tenants_over_a_small_pool_never_see_a_wrong_row() {
    const TASKS: usize = 64;
    const OPERATIONS: usize = 10_000;
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let contexts: Arc<Vec<TenantCtx>> = Arc::new(
        [
            ("acme", "olivia@acme.com"),
            ("tech-startup", "tom@techstartup.io"),
            ("healthcare-co", "hana@healthcare.com"),
            ("demo-workspace", "demo@bizq.com"),
        ]
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
    if op.is_multiple_of(5) {
        let rows = pool.tenant_query(&ctx, "SELECT id FROM tenancy.tenants", &[]).await.unwrap();
        let ids: Vec<Uuid> = rows.iter().map(|r| r.get(0)).collect();
        assert_eq!(ids, [ctx.tenant_id]);
        return;
    }
    let mut tx = pool.tenant_tx(&ctx).await.unwrap();
    let ids: Vec<Uuid> =
        tx.query("SELECT id FROM tenancy.tenants", &[]).await.unwrap().iter().map(|r| r.get(0)).collect();
    assert_eq!(ids, [ctx.tenant_id], "operation {op} saw another tenant");
    let members: Vec<Uuid> =
        tx.query("SELECT tenant_id FROM tenancy.memberships", &[]).await.unwrap().iter().map(|r| r.get(0)).collect();
    assert!(
        !members.is_empty() && members.iter().all(|t| *t == ctx.tenant_id),
        "operation {op} saw a foreign membership"
    );
    match op % 7 {
        0 => drop(tx),
        1 => {
            assert!(tx.query("SELECT 1 / 0", &[]).await.is_err());
            drop(tx);
        }
        _ => tx.commit().await.unwrap(),
    }
}

/// Injected SQL may lift `statement_timeout`; the server's own budget still holds:
/// past it the statement is cancelled on the server and the connection dropped.
#[tokio::test]
async fn a_statement_past_its_budget_is_cancelled_and_its_connection_dropped() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let pool = db.app_pool(1).with_statement_budget(std::time::Duration::from_millis(300));
    let ctx = TenantCtx::new(seeded.tenant("acme"), seeded.user("olivia@acme.com"));
    let mut tx = pool.tenant_tx(&ctx).await.unwrap();
    tx.execute("SET statement_timeout = 0", &[]).await.unwrap();
    let pid: i32 = tx.query_one("SELECT pg_backend_pid()", &[]).await.unwrap().get(0);
    let err = tx.query("SELECT pg_sleep(600)", &[]).await.unwrap_err();
    assert!(matches!(err, tenantbase::db::DbError::Timeout(_)), "{err:?}");
    assert!(matches!(tx.commit().await, Err(tenantbase::db::DbError::ConnectionDropped)));
    let admin = db.admin().await;
    let mut still_sleeping = true;
    for _ in 0..100 {
        still_sleeping = admin
            .query_opt(
                "SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND query LIKE '%pg_sleep%' AND state = 'active'",
                &[&pid],
            )
            .await
            .unwrap()
            .is_some();
        if !still_sleeping {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(!still_sleeping, "the server cancelled the statement");
    let next: i32 = pool.tenant_query(&ctx, "SELECT pg_backend_pid()", &[]).await.unwrap()[0].get(0);
    assert_ne!(next, pid, "the connection was dropped, not handed to the next request");
}
