//! The server behind PgBouncer in transaction mode (Debian's 1.18, which tracks
//! no prepared statements): several servers share its server connections, so a
//! named statement or a session setting one left there would reach another.

use std::sync::Arc;

use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use tenantbase::api::{self, AppState};
use tenantbase::db::pgbouncer::PgBouncer;
use tenantbase::db::pool::PINNED_SETTINGS;
use tenantbase::db::{AccountDb, Db, TenantCtx, ACCOUNT_ROLE, APP_ROLE};
use tenantbase::seed::demo::DEMO_PASSWORD;
use uuid::Uuid;

use crate::common::TestDb;

/// A PgBouncer in front of `db`'s cluster with `server_connections` per role.
pub fn pgbouncer(db: &TestDb, server_connections: usize, dir: &std::path::Path) -> PgBouncer {
    let socket_dir = db.socket().parent().expect("a socket directory").to_path_buf();
    PgBouncer::start(&socket_dir, db.port(), &[APP_ROLE, ACCOUNT_ROLE], server_connections, dir)
        .expect("pgbouncer starts (scripts/install-deps.sh installs it)")
}

/// The pools of a server whose every connection goes through `bouncer`.
pub fn pools_through(db: &TestDb, bouncer: &PgBouncer, size: usize) -> (Db, AccountDb) {
    let name = db.target.database_name();
    let app = Db::new(bouncer.config(APP_ROLE, name), db.context_key(), size);
    let accounts = AccountDb::new(bouncer.config(ACCOUNT_ROLE, name), db.signer(), 4);
    (app, accounts)
}

/// Starts a server over `pools`; abort the handle to stop it (its pools close).
async fn serve(pools: (Db, AccountDb)) -> (String, tokio::task::JoinHandle<anyhow::Result<()>>) {
    let mut state = AppState::new(pools.0, pools.1, Some(tenantbase::secrets::Sealer::throwaway())).await.unwrap();
    // The pooler is under test, not each tenant's share of the server (tests/it/fair_share.rs).
    state.fair_share = tenantbase::api::fair_share::FairShare::new([("*".to_string(), 1024)].into());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    (base, tokio::spawn(api::serve(listener, state)))
}

async fn call(http: &Client, method: Method, url: String, token: &str, body: Option<Value>) -> (StatusCode, Value) {
    let mut request = http.request(method, url).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

async fn login(http: &Client, base: &str, email: &str) -> String {
    let response = http
        .post(format!("{base}/v1/auth/login"))
        .json(&json!({ "email": email, "password": DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    let status = response.status();
    assert_eq!(status, 200, "{}", response.text().await.unwrap());
    response.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string()
}

/// One tenant's view of the world, as the superuser reads it.
struct Tenant {
    id: Uuid,
    name: String,
    token: String,
    /// A project whose name names the tenant: what a read of it must answer.
    marker: Uuid,
}

#[tokio::test]
async fn thirty_two_clients_and_two_servers_through_pgbouncer_transaction_mode_get_only_right_answers() {
    const CLIENTS: usize = 32;
    const REQUESTS_PER_CLIENT: usize = 24;
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let dir = tempfile::tempdir().unwrap();
    let bouncer = pgbouncer(&db, 6, dir.path());
    let (first, first_server) = serve(pools_through(&db, &bouncer, 8)).await;
    let (second, _second_server) = serve(pools_through(&db, &bouncer, 8)).await;
    let http = Client::new();
    let admin = db.admin().await;

    let mut tenants = Vec::new();
    for (slug, email) in [
        ("acme", "olivia@acme.com"),
        ("tech-startup", "tom@techstartup.io"),
        ("healthcare-co", "hana@healthcare.com"),
        ("demo-workspace", "demo@bizq.com"),
    ] {
        let id = seeded.tenant(slug);
        let token = login(&http, &first, email).await;
        let (status, project) = call(
            &http,
            Method::POST,
            format!("{second}/v1/tenants/{id}/projects"),
            &token,
            Some(json!({ "name": format!("marker of {id}") })),
        )
        .await;
        assert_eq!(status, 201, "{project}");
        let name: String =
            admin.query_one("SELECT name FROM tenancy.tenants WHERE id = $1", &[&id]).await.unwrap().get(0);
        let marker: Uuid = admin
            .query_one(
                "SELECT id FROM work.projects WHERE tenant_id = $1 AND name = $2",
                &[&id, &format!("marker of {id}")],
            )
            .await
            .unwrap()
            .get(0);
        tenants.push(Tenant { id, name, token, marker });
    }
    let tenants = Arc::new(tenants);
    let servers = Arc::new([first.clone(), second.clone()]);

    // Three statement shapes with different parameters, a write among them,
    // every answer compared with what the superuser reads.
    let mut clients = Vec::new();
    for client in 0..CLIENTS {
        let (http, tenants, servers) = (http.clone(), tenants.clone(), servers.clone());
        clients.push(tokio::spawn(async move {
            let mut created = vec![0usize; tenants.len()];
            for n in 0..REQUESTS_PER_CLIENT {
                let which = (client + n) % tenants.len();
                let t = &tenants[which];
                let base = &servers[(client + n / 3) % 2];
                match (client + n) % 3 {
                    0 => {
                        let (status, body) =
                            call(&http, Method::GET, format!("{base}/v1/tenants/{}", t.id), &t.token, None).await;
                        assert_eq!(status, 200, "{body}");
                        assert_eq!(body["name"], t.name.as_str());
                    }
                    1 => {
                        let url = format!("{base}/v1/tenants/{}/projects/{}", t.id, t.marker);
                        let (status, body) = call(&http, Method::GET, url, &t.token, None).await;
                        assert_eq!(status, 200, "{body}");
                        assert_eq!(body["name"], format!("marker of {}", t.id).as_str());
                        assert_eq!(body["tenant_id"], t.id.to_string().as_str());
                    }
                    _ => {
                        let url = format!("{base}/v1/tenants/{}/projects", t.id);
                        let name = format!("load {client} {n} of {}", t.id);
                        let (status, body) =
                            call(&http, Method::POST, url, &t.token, Some(json!({ "name": name, "priority": "high" })))
                                .await;
                        assert_eq!(status, 201, "{body}");
                        assert_eq!(body["name"], name.as_str());
                        created[which] += 1;
                    }
                }
            }
            created
        }));
    }
    let mut created = vec![0usize; tenants.len()];
    for client in clients {
        for (total, n) in created.iter_mut().zip(client.await.unwrap()) {
            *total += n;
        }
    }
    for (t, expected) in tenants.iter().zip(&created) {
        let stored: i64 = admin
            .query_one(
                "SELECT count(*) FROM work.projects WHERE tenant_id = $1 AND name LIKE 'load % of ' || $1::text",
                &[&t.id],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(stored, *expected as i64, "every write landed in its own tenant");
    }

    // A restart behind the same PgBouncer: the new process reads the catalog and serves.
    first_server.abort();
    let _ = first_server.await;
    let (restarted, _restarted_server) = serve(pools_through(&db, &bouncer, 8)).await;
    for t in tenants.iter() {
        let url = format!("{restarted}/v1/tenants/{}/projects/{}", t.id, t.marker);
        let (status, body) = call(&http, Method::GET, url, &t.token, None).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["name"], format!("marker of {}", t.id).as_str());
    }

    // The pooler gone: a problem that says when to retry, not a 500.
    drop(bouncer);
    let t = &tenants[0];
    let response = http
        .get(format!("{restarted}/v1/tenants/{}/projects/{}", t.id, t.marker))
        .bearer_auth(&t.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "2");
    assert_eq!(response.headers()["content-type"], "application/problem+json");
}

/// What the pool tests check on a direct connection, through one server
/// connection that every transaction shares: hostile role defaults and session
/// settings, prepared statements and cursors that one tenant's injected SQL
/// leaves behind reach nobody's next transaction.
#[tokio::test]
async fn nothing_a_tenant_leaves_on_a_pooled_server_connection_reaches_the_next_transaction() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let admin = db.admin().await;
    let name = db.target.database_name().to_string();
    for setting in ["search_path = pg_catalog", "standard_conforming_strings = off", "TimeZone = 'Asia/Tokyo'"] {
        admin.batch_execute(&format!("ALTER ROLE tenantbase_app IN DATABASE {name} SET {setting}")).await.unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let bouncer = pgbouncer(&db, 1, dir.path());
    let pool = Db::new(bouncer.config(APP_ROLE, &name), db.context_key(), 4);
    let acme = TenantCtx::new(seeded.tenant("acme"), seeded.user("olivia@acme.com"));
    let tech = TenantCtx::new(seeded.tenant("tech-startup"), seeded.user("tom@techstartup.io"));

    let mut hostile = pool.tenant_tx(&acme).await.unwrap();
    let server_pid: i32 = hostile.query_one("SELECT pg_backend_pid()", &[]).await.unwrap().get(0);
    for sql in [
        "SET search_path = pg_catalog",
        "SET statement_timeout = 0",
        "SELECT set_config('app.context', current_setting('app.context'), false)",
        "PREPARE tenants_of AS SELECT 1",
        "DECLARE held CURSOR WITH HOLD FOR SELECT id FROM tenancy.tenants",
    ] {
        hostile.execute(sql, &[]).await.unwrap();
    }
    hostile.commit().await.unwrap();

    let mut next = pool.tenant_tx(&tech).await.unwrap();
    let pid: i32 = next.query_one("SELECT pg_backend_pid()", &[]).await.unwrap().get(0);
    assert_eq!(pid, server_pid, "PgBouncer lent the same server connection");
    for (setting, value) in PINNED_SETTINGS {
        let shown: String = next.query_one(&format!("SHOW {setting}"), &[]).await.unwrap().get(0);
        assert_eq!(shown, *value, "{setting} is pinned in the transaction");
    }
    let leftovers: String = next
        .query_one(
            "SELECT concat_ws(' | ', (SELECT string_agg(name || ': ' || statement, ', ') FROM pg_prepared_statements),
                                     (SELECT string_agg(name || ': ' || statement, ', ') FROM pg_cursors WHERE name <> ''))",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    // The unnamed portal running this very statement is not a leftover.
    assert_eq!(leftovers, "", "prepared statements and cursors left on the server connection");
    let ids: Vec<Uuid> =
        next.query("SELECT id FROM tenancy.tenants", &[]).await.unwrap().iter().map(|r| r.get(0)).collect();
    assert_eq!(ids, [tech.tenant_id]);
    next.commit().await.unwrap();

    // Many tasks alternating tenants over two server connections, errors and abandoned transactions among them.
    let bouncer = pgbouncer(&db, 2, &dir.path().join("two"));
    let pool = Db::new(bouncer.config(APP_ROLE, &name), db.context_key(), 8);
    let mut tasks = Vec::new();
    for task in 0..16usize {
        let (pool, contexts) = (pool.clone(), [acme.clone(), tech.clone()]);
        tasks.push(tokio::spawn(async move {
            for op in 0..40usize {
                let ctx = &contexts[(task + op) % 2];
                let mut tx = pool.tenant_tx(ctx).await.unwrap();
                let ids: Vec<Uuid> =
                    tx.query("SELECT id FROM tenancy.tenants", &[]).await.unwrap().iter().map(|r| r.get(0)).collect();
                assert_eq!(ids, [ctx.tenant_id], "task {task} op {op} saw another tenant");
                match op % 4 {
                    0 => drop(tx),
                    1 => {
                        assert!(tx.query("SELECT 1 / 0", &[]).await.is_err());
                        drop(tx);
                    }
                    _ => tx.commit().await.unwrap(),
                }
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
}
