//! Serving when the database freezes, and stopping: a frozen database (its
//! PgBouncer stopped with SIGSTOP: connections open, nothing answers) costs a
//! request no more than the request timeout, and a shutdown no more than its
//! deadline; meanwhile `/readyz` says the server is draining. And migrations on
//! a busy database give up on a held lock quickly and try again; a pool follows
//! the private cluster to another port.

use std::time::Duration;

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use refinery::Migration;
use reqwest::Client;
use serde_json::{json, Value};
use tenantbase::api::{self, AppState, ServerLimits};
use tenantbase::db::{migrate, Db, TenantCtx};
use tenantbase::seed::demo::DEMO_PASSWORD;

use crate::common::{app_config_via, start_proxy, TestDb};
use crate::pooler::{pgbouncer, pools_through};

#[tokio::test]
async fn a_frozen_database_costs_a_request_its_timeout_and_a_shutdown_its_deadline() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let dir = tempfile::tempdir().unwrap();
    let bouncer = pgbouncer(&db, 2, dir.path());
    let (app, accounts) = pools_through(&db, &bouncer, 4);
    let mut state = AppState::new(app, accounts, Some(tenantbase::secrets::Sealer::throwaway())).await.unwrap();
    state.limits = ServerLimits {
        request_timeout: Duration::from_secs(3),
        drain_period: Duration::from_secs(1),
        shutdown_deadline: Duration::from_millis(1300),
        ..ServerLimits::default()
    };
    // Six requests of one tenant must reach the frozen database, not its share of the server.
    state.fair_share = tenantbase::api::fair_share::FairShare::new([("*".to_string(), 1024)].into());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (signal, signalled) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(api::serve_until(listener, state, async {
        let _ = signalled.await;
    }));
    let http = Client::new();
    let login: Value = http
        .post(format!("{base}/v1/auth/login"))
        .json(&json!({ "email": "olivia@acme.com", "password": DEMO_PASSWORD }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["token"].as_str().unwrap().to_string();
    let tenant_url = format!("{base}/v1/tenants/{}", seeded.tenant("acme"));
    assert_eq!(http.get(&tenant_url).bearer_auth(&token).send().await.unwrap().status(), 200);

    kill(Pid::from_raw(bouncer.pid() as i32), Signal::SIGSTOP).unwrap();
    // More requests than connections: some wait for the pool, all end at the request timeout.
    let frozen: Vec<_> = (0..6).map(|_| http.get(&tenant_url).bearer_auth(&token).send()).collect();
    for response in futures_util::future::join_all(frozen).await {
        let response = response.unwrap();
        assert_eq!(response.status(), 503);
        assert_eq!(response.headers()["content-type"], "application/problem+json");
        assert!(response.headers().contains_key("retry-after"));
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["type"], "https://tenantbase.dev/problems/request-timeout");
    }

    // A request in flight on the frozen database, then the signal.
    let stuck = tokio::spawn(http.get(&tenant_url).bearer_auth(&token).send());
    // Had it not arrived by the signal, the drain period would still take it in.
    tokio::time::sleep(Duration::from_millis(200)).await;
    signal.send(()).unwrap();
    let ready = http.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503, "draining answers at once, without asking the database");
    assert_eq!(ready.json::<Value>().await.unwrap()["status"], "draining");
    assert_eq!(http.get(format!("{base}/healthz")).send().await.unwrap().status(), 200, "still serving");
    tokio::select! {
        finished = server => finished.unwrap().unwrap(),
        _ = stuck => panic!("the stuck request answered before the shutdown deadline passed"),
    }
    assert!(tokio::net::TcpStream::connect(base.trim_start_matches("http://")).await.is_err(), "the listener closed");
    kill(Pid::from_raw(bouncer.pid() as i32), Signal::SIGCONT).unwrap();
}

/// A migration that meets a held lock gives up after its lock timeout (so the
/// writers queued behind it wait no longer), rolls back, and is tried again
/// until the lock is free.
#[tokio::test]
async fn a_migration_meeting_a_held_lock_times_out_and_retries_until_it_applies() {
    let db = TestDb::new().await;
    let holder = db.admin().await;
    holder.batch_execute("BEGIN; LOCK TABLE work.projects IN ACCESS SHARE MODE").await.unwrap();
    let mut migrator = db.admin().await;
    let mut migrations = migrate::embedded_migrations();
    migrations.push(
        Migration::unapplied("V9999__lock_timeout_probe", "ALTER TABLE work.projects ADD COLUMN probe int").unwrap(),
    );
    let migrating = tokio::spawn(async move {
        migrate::run_with_lock_timeout(&mut migrator, &migrations, Duration::from_millis(100)).await.unwrap().1
    });

    // The first attempt waits for the lock, then gives up: its wait ends while the lock is still held.
    let observer = db.admin().await;
    let waiting = "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'work.projects'::regclass
                   AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";
    while observer.query_one(waiting, &[]).await.unwrap().get::<_, i64>(0) == 0 {}
    while observer.query_one(waiting, &[]).await.unwrap().get::<_, i64>(0) > 0 {}
    holder.batch_execute("COMMIT").await.unwrap();

    let attempts = migrating.await.unwrap();
    assert!(attempts >= 2, "the migration was tried again ({attempts} attempts)");
    let probe: i64 = observer
        .query_one(
            "SELECT count(*) FROM pg_attribute WHERE attrelid = 'work.projects'::regclass AND attname = 'probe'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(probe, 1, "and applied");
    let applied =
        observer.query_one("SELECT count(*) FROM refinery_schema_history WHERE version = 9999", &[]).await.unwrap();
    assert_eq!(applied.get::<_, i64>(0), 1);
}

/// The private cluster came back on another port: its socket directory holds
/// the new port's socket only. A running pool follows it, without a restart.
#[tokio::test]
async fn a_running_pool_reconnects_when_the_clusters_socket_moves_to_another_port() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let dir = tempfile::tempdir().unwrap();
    let old = start_proxy(db.socket(), dir.path(), 15_401);
    let pool = Db::new(app_config_via(&db, dir.path()).port(15_401).clone(), db.context_key(), 2);
    let ctx = TenantCtx::new(seeded.tenant("acme"), seeded.user("olivia@acme.com"));
    let sql = "SELECT id FROM tenancy.tenants";
    assert_eq!(pool.tenant_query(&ctx, sql, &[]).await.unwrap().len(), 1);

    old.down.store(true, std::sync::atomic::Ordering::SeqCst);
    std::fs::remove_file(dir.path().join(".s.PGSQL.15401")).unwrap();
    let new = start_proxy(db.socket(), dir.path(), 15_402);
    // The connections to the old address fail once each, and are dropped.
    let mut answered = None;
    for _ in 0..3 {
        if let Ok(rows) = pool.tenant_query(&ctx, sql, &[]).await {
            answered = Some(rows.len());
            break;
        }
    }
    assert_eq!(answered, Some(1));
    assert!(new.flights.load(std::sync::atomic::Ordering::SeqCst) > 0, "through the new socket");
}

/// A marked index is built `CONCURRENTLY` before its migration runs: while the
/// build waits for a writer's open transaction, other writers go on (a plain
/// `CREATE INDEX` would queue them all behind its lock).
#[tokio::test]
async fn a_marked_index_is_built_concurrently_while_writers_go_on() {
    let db = TestDb::new().await;
    let first = db.admin().await;
    first.batch_execute("BEGIN; UPDATE work.projects SET description = description WHERE false").await.unwrap();
    let mut migrator = db.admin().await;
    let pid: i32 = migrator.query_one("SELECT pg_backend_pid()", &[]).await.unwrap().get(0);
    let mut migrations = migrate::embedded_migrations();
    let sql = format!(
        "{}\nCREATE INDEX IF NOT EXISTS projects_probe_idx ON work.projects (tenant_id, updated_at);",
        migrate::CONCURRENTLY_MARK
    );
    migrations.push(Migration::unapplied("V9999__concurrent_probe", &sql).unwrap());
    let migrating = tokio::spawn(async move {
        migrate::run_with_lock_timeout(&mut migrator, &migrations, Duration::from_secs(60)).await.unwrap()
    });

    let observer = db.admin().await;
    let waiting = "SELECT count(*) FROM pg_locks WHERE NOT granted AND pid = $1";
    while observer.query_one(waiting, &[&pid]).await.unwrap().get::<_, i64>(0) == 0 {}
    let second = db.admin().await;
    let write = second.batch_execute("UPDATE work.projects SET description = description WHERE false");
    // A hang guard, not a speed claim: a plain CREATE INDEX would hold this write until the first one commits.
    tokio::time::timeout(Duration::from_secs(30), write).await.expect("the write went on during the build").unwrap();
    first.batch_execute("COMMIT").await.unwrap();

    migrating.await.unwrap();
    let valid: Vec<bool> = crate::common::column(
        &observer,
        "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'projects_probe_idx'",
        &[],
    )
    .await;
    assert_eq!(valid, [true]);
    let applied =
        observer.query_one("SELECT count(*) FROM refinery_schema_history WHERE version = 9999", &[]).await.unwrap();
    assert_eq!(applied.get::<_, i64>(0), 1);
}
