//! The HTTP API end to end: a real server on a loopback port, over a fresh
//! database of the test cluster.

use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use tenantbase::api::{self, AppState};
use tenantbase::seed::demo::{Seeded, DEMO_PASSWORD};
use uuid::Uuid;

use crate::common::{app_config_via, start_proxy, TestDb};

pub struct Server {
    pub base: String,
    pub http: Client,
    pub db: TestDb,
    pub seeded: Seeded,
}

impl Server {
    pub async fn start() -> Server {
        let db = TestDb::new().await;
        let pool = db.app_pool(8);
        Server::start_with(db, pool).await
    }

    pub async fn start_with(db: TestDb, pool: tenantbase::db::Db) -> Server {
        let accounts = db.account_pool();
        Server::start_with_pools(db, pool, accounts).await
    }

    pub async fn start_with_pools(db: TestDb, pool: tenantbase::db::Db, accounts: tenantbase::db::AccountDb) -> Server {
        Server::start_configured(db, pool, accounts, |_| {}).await
    }

    /// A server whose state `configure` adjusts first (limits, hashing pool, proxies, throttle).
    pub async fn start_configured(
        db: TestDb,
        pool: tenantbase::db::Db,
        accounts: tenantbase::db::AccountDb,
        configure: impl FnOnce(&mut AppState),
    ) -> Server {
        let seeded = db.seeded().await;
        let mut state = AppState::new(pool, accounts, Some(tenantbase::secrets::Sealer::throwaway())).await.unwrap();
        // Tests of one tenant's concurrent writes are about the database's rules,
        // not about the tenant's share (tests/it/fair_share.rs sets its own).
        state.fair_share = tenantbase::api::fair_share::FairShare::new([("*".to_string(), 1024)].into());
        configure(&mut state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(api::serve(listener, state));
        Server { base, http: Client::new(), db, seeded }
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn login(&self, email: &str) -> String {
        let (status, body) = self
            .call(Method::POST, "/v1/auth/login", None, Some(json!({ "email": email, "password": DEMO_PASSWORD })))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["token"].as_str().unwrap().to_string()
    }

    pub fn tenant(&self, slug: &str) -> Uuid {
        self.seeded.tenant(slug)
    }

    async fn count(&self, table: &str) -> i64 {
        self.db.admin().await.query_one(&format!("SELECT count(*) FROM {table}"), &[]).await.unwrap().get(0)
    }
}

pub fn problem_type(body: &Value) -> &str {
    body["type"].as_str().unwrap_or_default().rsplit('/').next().unwrap_or_default()
}

#[tokio::test]
async fn sign_up_log_in_see_myself_and_log_out() {
    let s = Server::start().await;
    let (status, user) = s
        .call(
            Method::POST,
            "/v1/auth/signup",
            None,
            Some(json!({ "email": "Zoe@Example.com", "password": "correct horse battery", "full_name": "Zoe" })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{user}");
    let (status, again) = s
        .call(
            Method::POST,
            "/v1/auth/signup",
            None,
            Some(json!({ "email": "zoe@example.com", "password": "another password!" })),
        )
        .await;
    assert_eq!((status, problem_type(&again)), (StatusCode::CONFLICT, "conflict"));

    let (status, session) = s
        .call(
            Method::POST,
            "/v1/auth/login",
            None,
            Some(json!({ "email": "ZOE@example.com", "password": "correct horse battery" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{session}");
    let token = session["token"].as_str().unwrap().to_string();
    let (status, me) = s.call(Method::GET, "/v1/me", Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["email"], "zoe@example.com");
    assert_eq!(me["tenants"], json!([]));

    let (status, _) = s.call(Method::POST, "/v1/auth/logout", Some(&token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = s.call(Method::GET, "/v1/me", Some(&token), None).await;
    assert_eq!((status, problem_type(&body)), (StatusCode::UNAUTHORIZED, "unauthorized"));
    let (status, _) = s.call(Method::GET, "/v1/me", Some("tbs_forged"), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = s.call(Method::GET, "/v1/me", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn api_keys_act_within_their_scopes_and_stop_when_revoked() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let alice = s.login("alice@acme.com").await;
    let (status, key) = s
        .call(
            Method::POST,
            &format!("/v1/tenants/{acme}/api-keys"),
            Some(&alice),
            Some(json!({ "name": "ci", "scopes": ["read"] })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{key}");
    let token = key["token"].as_str().unwrap().to_string();
    let (status, roles) = s.call(Method::GET, &format!("/v1/tenants/{acme}/roles"), Some(&token), None).await;
    assert_eq!(status, StatusCode::OK, "{roles}");
    let (status, body) = s
        .call(Method::POST, &format!("/v1/tenants/{acme}/roles"), Some(&token), Some(json!({ "name": "by_key" })))
        .await;
    assert_eq!((status, problem_type(&body)), (StatusCode::FORBIDDEN, "forbidden"), "a read key cannot write");
    let techstartup = s.tenant("tech-startup");
    let (status, _) = s.call(Method::GET, &format!("/v1/tenants/{techstartup}/roles"), Some(&token), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a key acts only in its tenant");
    let (_, listed) = s.call(Method::GET, &format!("/v1/tenants/{acme}/api-keys"), Some(&alice), None).await;
    assert!(listed["items"].as_array().unwrap().iter().all(|k| k.get("token").is_none()), "tokens are shown once");
    assert!(
        listed["items"].as_array().unwrap().iter().any(|k| k["id"] == key["id"] && !k["last_used_at"].is_null()),
        "last use recorded"
    );

    let (status, _) = s
        .call(
            Method::DELETE,
            &format!("/v1/tenants/{acme}/api-keys/{}", key["id"].as_str().unwrap()),
            Some(&alice),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = s.call(Method::GET, &format!("/v1/tenants/{acme}/roles"), Some(&token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a revoked key stops at once on the server that revoked it");
}

#[tokio::test]
async fn tenants_and_members_are_managed_by_their_owners_and_admins() {
    let s = Server::start().await;
    let bob = s.login("bob@acme.com").await;
    let (status, created) =
        s.call(Method::POST, "/v1/tenants", Some(&bob), Some(json!({ "name": "Bob Labs", "slug": "bob-labs" }))).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["role"], "owner");
    let labs = created["id"].as_str().unwrap().to_string();
    let (status, body) =
        s.call(Method::POST, "/v1/tenants", Some(&bob), Some(json!({ "name": "Again", "slug": "bob-labs" }))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (_, mine) = s.call(Method::GET, "/v1/tenants", Some(&bob), None).await;
    let slugs: Vec<&str> = mine["items"].as_array().unwrap().iter().map(|t| t["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["acme", "bob-labs"]);

    // Invite someone who has no account yet: signing up grants nothing, the token does.
    let (status, invited) = s
        .call(
            Method::POST,
            &format!("/v1/tenants/{labs}/invitations"),
            Some(&bob),
            Some(json!({ "email": "new@labs.io", "role": "member" })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    let (status, _) = s
        .call(
            Method::POST,
            "/v1/auth/signup",
            None,
            Some(json!({ "email": "new@labs.io", "password": "a long enough one" })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let newcomer = s
        .call(
            Method::POST,
            "/v1/auth/login",
            None,
            Some(json!({ "email": "new@labs.io", "password": "a long enough one" })),
        )
        .await
        .1["token"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, _) = s.call(Method::GET, &format!("/v1/tenants/{labs}/members"), Some(&newcomer), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "signing up with the invited email grants nothing");
    let (status, joined) = s
        .call(Method::POST, "/v1/invitations/accept", Some(&newcomer), Some(json!({ "token": invited["token"] })))
        .await;
    assert_eq!((status, joined["role"].as_str()), (StatusCode::CREATED, Some("member")), "{joined}");
    let (status, _) = s.call(Method::GET, &format!("/v1/tenants/{labs}/members"), Some(&newcomer), None).await;
    assert_eq!(status, StatusCode::OK, "the invitation's holder joined");

    // An existing user joins the same way; promote, and see a member refused management.
    let (status, invited) = s
        .call(
            Method::POST,
            &format!("/v1/tenants/{labs}/invitations"),
            Some(&bob),
            Some(json!({ "email": "victor@acme.com", "role": "viewer" })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    let victor_token = s.login("victor@acme.com").await;
    let (status, _) = s
        .call(Method::POST, "/v1/invitations/accept", Some(&victor_token), Some(json!({ "token": invited["token"] })))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let victor = s.seeded.user("victor@acme.com").to_string();
    let (status, body) = s
        .call(
            Method::PATCH,
            &format!("/v1/tenants/{labs}/members/{victor}"),
            Some(&newcomer),
            Some(json!({ "role": "admin" })),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a member cannot change roles: {body}");
    let (status, changed) = s
        .call(
            Method::PATCH,
            &format!("/v1/tenants/{labs}/members/{victor}"),
            Some(&bob),
            Some(json!({ "role": "admin" })),
        )
        .await;
    assert_eq!((status, changed["role"].as_str()), (StatusCode::OK, Some("admin")));

    // Custom role with a permission, assigned to a member.
    let (status, role) = s
        .call(Method::POST, &format!("/v1/tenants/{labs}/roles"), Some(&bob), Some(json!({ "name": "publisher" })))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let role_id = role["id"].as_str().unwrap();
    let (status, _) = s
        .call(
            Method::POST,
            &format!("/v1/tenants/{labs}/roles/{role_id}/permissions"),
            Some(&bob),
            Some(json!({ "resource": "content", "action": "publish" })),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) =
        s.call(Method::POST, &format!("/v1/tenants/{labs}/members/{victor}/roles/{role_id}"), Some(&bob), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, members) = s.call(Method::GET, &format!("/v1/tenants/{labs}/members"), Some(&bob), None).await;
    assert!(members["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["id"] == victor.as_str() && m["custom_roles"] == json!(["publisher"])));

    // The last owner stays; removal works for others and takes effect at once.
    let bob_id = s.seeded.user("bob@acme.com");
    let (status, body) =
        s.call(Method::DELETE, &format!("/v1/tenants/{labs}/members/{bob_id}"), Some(&bob), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, _) = s.call(Method::DELETE, &format!("/v1/tenants/{labs}/members/{victor}"), Some(&bob), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = s.call(Method::GET, &format!("/v1/tenants/{labs}"), Some(&victor_token), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn another_tenants_data_answers_404_exactly_like_missing_data() {
    let s = Server::start().await;
    let alice = s.login("alice@acme.com").await;
    let techstartup = s.tenant("tech-startup");
    let (status, body) = s.call(Method::GET, &format!("/v1/tenants/{techstartup}"), Some(&alice), None).await;
    assert_eq!((status, problem_type(&body)), (StatusCode::NOT_FOUND, "not-found"));
    let (missing_status, missing_body) =
        s.call(Method::GET, &format!("/v1/tenants/{}", Uuid::new_v4()), Some(&alice), None).await;
    assert_eq!((status, &body), (missing_status, &missing_body), "no existence oracle");

    let charlie = s.login("charlie@techstartup.io").await;
    let (_, roles) = s.call(Method::GET, &format!("/v1/tenants/{techstartup}/roles"), Some(&charlie), None).await;
    let foreign_role = roles["items"][0]["id"].as_str().unwrap().to_string();
    let acme = s.tenant("acme");
    for method in [Method::GET, Method::PATCH, Method::DELETE] {
        let body = (method == Method::PATCH).then(|| json!({ "description": "pwned" }));
        let (status, foreign) = s
            .call(method.clone(), &format!("/v1/tenants/{acme}/roles/{foreign_role}"), Some(&alice), body.clone())
            .await;
        let (_, missing) =
            s.call(method.clone(), &format!("/v1/tenants/{acme}/roles/{}", Uuid::new_v4()), Some(&alice), body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {foreign}");
        assert_eq!(foreign, missing, "{method}: same answer as a missing row");
    }
    let (_, after) =
        s.call(Method::GET, &format!("/v1/tenants/{techstartup}/roles/{foreign_role}"), Some(&charlie), None).await;
    assert_ne!(after["description"], "pwned");
}

#[tokio::test]
async fn a_viewers_writes_are_refused_with_403_and_change_nothing() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let victor = s.login("victor@acme.com").await;
    let (_, roles) = s.call(Method::GET, &format!("/v1/tenants/{acme}/roles"), Some(&victor), None).await;
    let role_id = roles["items"][0]["id"].as_str().unwrap().to_string();
    let before = s.count("tenancy.roles").await;
    let (status, body) = s
        .call(Method::POST, &format!("/v1/tenants/{acme}/roles"), Some(&victor), Some(json!({ "name": "viewer_made" })))
        .await;
    assert_eq!((status, problem_type(&body)), (StatusCode::FORBIDDEN, "forbidden"), "{body}");
    let (status, _) = s
        .call(
            Method::PATCH,
            &format!("/v1/tenants/{acme}/roles/{role_id}"),
            Some(&victor),
            Some(json!({ "description": "x" })),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = s.call(Method::DELETE, &format!("/v1/tenants/{acme}/roles/{role_id}"), Some(&victor), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(before, s.count("tenancy.roles").await);
}

#[tokio::test]
async fn every_class_of_bad_input_gets_a_4xx_problem_and_writes_nothing() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let alice = s.login("alice@acme.com").await;
    let url = format!("{}/v1/tenants/{acme}/roles", s.base);
    let before = s.count("tenancy.roles").await;
    let oversized = format!("{{\"name\": \"big\", \"description\": \"{}\"}}", "x".repeat(api::DEFAULT_BODY_LIMIT + 1));
    let cases: Vec<(&str, String, StatusCode)> = vec![
        ("malformed JSON", "{\"name\": ".into(), StatusCode::BAD_REQUEST),
        ("not an object", "[1, 2]".into(), StatusCode::BAD_REQUEST),
        ("wrong type", "{\"name\": 42}".into(), StatusCode::UNPROCESSABLE_ENTITY),
        ("unknown field", "{\"name\": \"ok_name\", \"is_admin\": true}".into(), StatusCode::UNPROCESSABLE_ENTITY),
        (
            "server-owned field",
            format!("{{\"name\": \"ok_name\", \"tenant_id\": \"{}\"}}", s.tenant("tech-startup")),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("missing required field", "{\"description\": \"no name\"}".into(), StatusCode::UNPROCESSABLE_ENTITY),
        (
            "injection string",
            "{\"name\": \"x'); DROP TABLE tenancy.roles; --\"}".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("NUL byte", "{\"name\": \"nul\\u0000\"}".into(), StatusCode::UNPROCESSABLE_ENTITY),
        ("oversized body", oversized, StatusCode::PAYLOAD_TOO_LARGE),
    ];
    for (what, body, expected) in cases {
        let response = s
            .http
            .post(&url)
            .bearer_auth(&alice)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let content_type = response.headers()["content-type"].to_str().unwrap().to_string();
        let text = response.text().await.unwrap();
        assert_eq!(status, expected, "{what}: {text}");
        assert_eq!(content_type, "application/problem+json", "{what}");
        for leak in ["SELECT", "INSERT", "tenancy.", "violates", "panicked", "constraint \""] {
            assert!(!text.contains(leak), "{what} leaks {leak:?}: {text}");
        }
    }
    for (what, path) in [
        ("invalid UUID in path", format!("/v1/tenants/{acme}/roles/not-a-uuid")),
        ("unknown filter", format!("/v1/tenants/{acme}/roles?password_hash=x")),
        ("bad limit", format!("/v1/tenants/{acme}/roles?limit=100000")),
        ("bad cursor", format!("/v1/tenants/{acme}/roles?cursor=zz")),
    ] {
        let (status, body) = s.call(Method::GET, &path, Some(&alice), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {body}");
    }
    let (status, body) = s.call(Method::GET, "/v1/tenants/not-a-tenant/roles", Some(&alice), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a tenant path names an id or one of the caller's slugs: {body}");
    let (status, page) =
        s.call(Method::GET, &format!("/v1/tenants/{acme}/roles?name=x%27%20OR%201%3D1--"), Some(&alice), None).await;
    assert_eq!(
        (status, page["items"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(0)),
        "an injection in a filter is only data"
    );
    assert_eq!(before, s.count("tenancy.roles").await, "nothing was written");
}

#[tokio::test]
async fn lists_paginate_with_cursors_filter_and_sort() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let alice = s.login("alice@acme.com").await;
    for i in 0..7 {
        let (status, _) = s
            .call(
                Method::POST,
                &format!("/v1/tenants/{acme}/roles"),
                Some(&alice),
                Some(json!({ "name": format!("role_{i}") })),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/tenants/{acme}/roles?limit=3&sort=name&cursor={c}"),
            None => format!("/v1/tenants/{acme}/roles?limit=3&sort=name"),
        };
        let (status, page) = s.call(Method::GET, &path, Some(&alice), None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        seen.extend(page["items"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_string()));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted);
    assert_eq!(seen.len(), 8, "7 new roles and the seeded one, each once");
    let (_, filtered) = s.call(Method::GET, &format!("/v1/tenants/{acme}/roles?name=role_3"), Some(&alice), None).await;
    assert_eq!(filtered["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn request_ids_are_kept_or_made_and_returned() {
    let s = Server::start().await;
    let given = s.http.get(format!("{}/healthz", s.base)).header("x-request-id", "trace-abc.123").send().await.unwrap();
    assert_eq!(given.headers()["x-request-id"], "trace-abc.123");
    let unusable =
        s.http.get(format!("{}/healthz", s.base)).header("x-request-id", "bad id; with spaces").send().await.unwrap();
    let made = unusable.headers()["x-request-id"].to_str().unwrap();
    assert!(Uuid::parse_str(made).is_ok(), "{made}");
}

#[tokio::test]
async fn the_committed_openapi_document_matches_the_server() {
    let s = Server::start().await;
    let (status, served) = s.call(Method::GET, "/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");
    let pretty = serde_json::to_string_pretty(&served).unwrap() + "\n";
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(path, &pretty).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == pretty,
        "openapi.json drifted from the server: run `UPDATE_OPENAPI=1 cargo test openapi` and commit it"
    );
    for route in ["/v1/auth/login", "/v1/tenants/{tenant}/members", "/v1/tenants/{tenant}/roles/{id}"] {
        assert!(served["paths"].get(route).is_some(), "{route} is described");
    }
}

#[tokio::test]
async fn with_the_database_down_requests_get_503_and_the_server_recovers_by_itself() {
    let db = TestDb::new().await;
    let proxy_dir = tempfile::tempdir().unwrap();
    let proxy = start_proxy(db.socket(), proxy_dir.path(), db.port());
    let pool = tenantbase::db::Db::new(app_config_via(&db, proxy_dir.path()), db.context_key(), 4);
    let s = Server::start_with(db, pool).await;
    let alice = s.login("alice@acme.com").await;
    let acme = s.tenant("acme");
    let roles = format!("/v1/tenants/{acme}/roles");
    assert_eq!(s.call(Method::GET, &roles, Some(&alice), None).await.0, StatusCode::OK);

    proxy.down.store(true, std::sync::atomic::Ordering::SeqCst);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let (status, headers, body) = crate::contract::send(&s, Method::GET, &roles, Some(&alice), &[], None).await;
    assert_eq!((status, problem_type(&body)), (StatusCode::SERVICE_UNAVAILABLE, "unavailable"), "{body}");
    assert_eq!(headers.get("retry-after").map(|v| v.to_str().unwrap()), Some("2"), "every 503 says when to retry");
    let (status, headers, _) = crate::contract::send(&s, Method::GET, "/readyz", None, &[], None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(headers.contains_key("retry-after"), "the readiness probe's 503 too");

    proxy.down.store(false, std::sync::atomic::Ordering::SeqCst);
    let mut recovered = false;
    for _ in 0..50 {
        if s.call(Method::GET, &roles, Some(&alice), None).await.0 == StatusCode::OK {
            recovered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(recovered, "the server serves again once the database is back");
}

#[tokio::test]
async fn the_demo_curl_lines_work_exactly_as_printed() {
    let s = Server::start().await;
    let addr = s.base.trim_start_matches("http://").to_string();
    let lines = tenantbase::cli::curl_walkthrough(&addr, s.tenant("acme"), s.tenant("tech-startup"));
    let script = lines.iter().map(|l| format!("{l}\necho")).collect::<Vec<_>>().join("\n");
    let out = tokio::process::Command::new("bash").arg("-c").arg(&script).output().await.unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{script}\n{}", String::from_utf8_lossy(&out.stderr));
    let answers: Vec<&str> = stdout.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(answers.len(), 4, "{stdout}");
    assert!(answers[0].contains("\"email\":\"alice@acme.com\""), "{stdout}");
    assert!(answers[1].contains("bob@acme.com") && !answers[1].contains("charlie"), "{stdout}");
    assert!(answers[2].contains("agent_user"), "{stdout}");
    assert!(answers[3].contains("not-found"), "{stdout}");
}

#[tokio::test]
async fn admins_change_the_tenant_profile_and_others_cannot() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let path = format!("/v1/tenants/{acme}");
    let alice = s.login("alice@acme.com").await;
    let (status, tenant) = s
        .call(Method::PATCH, &path, Some(&alice), Some(json!({ "name": "Acme Corp", "timezone": "Europe/Paris" })))
        .await;
    assert_eq!(status, StatusCode::OK, "{tenant}");
    assert_eq!(
        (tenant["name"].as_str(), tenant["timezone"].as_str(), tenant["plan"].as_str()),
        (Some("Acme Corp"), Some("Europe/Paris"), Some("enterprise"))
    );
    let (status, body) =
        s.call(Method::PATCH, &path, Some(&alice), Some(json!({ "credits_balance": 1_000_000 }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "credits are not the profile's: {body}");
    for member in ["bob@acme.com", "victor@acme.com"] {
        let token = s.login(member).await;
        let (status, _) = s.call(Method::PATCH, &path, Some(&token), Some(json!({ "name": "Hijacked" }))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{member}");
    }
    let (_, tenant) = s.call(Method::GET, &path, Some(&alice), None).await;
    assert_eq!(tenant["name"], "Acme Corp");
}

/// Server-owned and rule-owned fields a client does not send back.
fn writable_copy(row: &Value, openapi: &Value, schema: &str) -> Value {
    let schema = &openapi["components"]["schemas"][schema]["properties"];
    let mut copy = serde_json::Map::new();
    for (key, value) in row.as_object().unwrap() {
        if schema.get(key).is_some() && !value.is_null() {
            copy.insert(key.clone(), value.clone());
        }
    }
    Value::Object(copy)
}

#[tokio::test]
async fn every_resource_answers_crud_in_its_tenant_and_404_in_another() {
    let s = Server::start().await;
    let (acme, techstartup) = (s.tenant("acme"), s.tenant("tech-startup"));
    let olivia = s.login("olivia@acme.com").await;
    let tom = s.login("tom@techstartup.io").await;
    let (_, openapi) = s.call(Method::GET, "/openapi.json", None, None).await;
    let names: Vec<String> = openapi["paths"]
        .as_object()
        .unwrap()
        .keys()
        .filter_map(|p| p.strip_prefix("/v1/tenants/{tenant}/")?.strip_suffix("/{id}").map(str::to_string))
        .filter(|name| !name.contains('/') && !["members", "api-keys"].contains(&name.as_str()))
        .collect();
    assert!(names.len() >= 20, "{names:?}");
    let mut created = 0;
    for name in &names {
        let (status, page) =
            s.call(Method::GET, &format!("/v1/tenants/{acme}/{name}?limit=5"), Some(&olivia), None).await;
        assert_eq!(status, StatusCode::OK, "{name}: {page}");
        let items = page["items"].as_array().unwrap();
        assert!(!items.is_empty(), "{name}: the demo has rows");
        assert!(items.iter().all(|i| i["tenant_id"] == acme.to_string()), "{name}: only Acme's rows");
        let row = &items[0];
        let id = row["id"].as_str().unwrap();
        let (status, got) = s.call(Method::GET, &format!("/v1/tenants/{acme}/{name}/{id}"), Some(&olivia), None).await;
        assert_eq!((status, &got), (StatusCode::OK, row), "{name}: get");
        let (status, body) =
            s.call(Method::GET, &format!("/v1/tenants/{techstartup}/{name}/{id}"), Some(&tom), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{name}: another tenant's row: {body}");

        let copy = writable_copy(row, &openapi, &format!("{name}_create"));
        if let Some((field, value)) =
            writable_copy(row, &openapi, &format!("{name}_patch")).as_object().unwrap().iter().next()
        {
            let (status, body) = s
                .call(
                    Method::PATCH,
                    &format!("/v1/tenants/{acme}/{name}/{id}"),
                    Some(&olivia),
                    Some(json!({ field: value })),
                )
                .await;
            // A patch schema lists only the columns the app role may update (the ledger has none).
            assert_eq!(status, StatusCode::OK, "{name}: patch {field}: {body}");
        }
        let (status, body) =
            s.call(Method::POST, &format!("/v1/tenants/{acme}/{name}"), Some(&olivia), Some(copy)).await;
        if openapi["paths"][format!("/v1/tenants/{{tenant}}/{name}")].get("post").is_none() {
            assert_eq!(
                status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{name}: no create in the document, none served: {body}"
            );
            continue;
        }
        // A copy collides with a natural key or a one-per rule (409); a store's credentials are never
        // returned, so its copy lacks them (422).
        let expected = match name.as_str() {
            "stores" => StatusCode::UNPROCESSABLE_ENTITY,
            "ai-task-results"
            | "approval-workflow-approvers"
            | "customers"
            | "orders"
            | "products"
            | "project-analytics"
            | "roles"
            | "session-participants" => StatusCode::CONFLICT,
            // A requirement names the version it replaces, and a version is replaced once.
            "requirements" if !row["previous_version_id"].is_null() => StatusCode::CONFLICT,
            _ => StatusCode::CREATED,
        };
        assert_eq!(status, expected, "{name}: create: {body}");
        if status == StatusCode::CREATED {
            created += 1;
            assert_eq!(body["tenant_id"], acme.to_string());
            let new_id = body["id"].as_str().unwrap();
            assert_ne!(new_id, id);
            let (status, _) =
                s.call(Method::DELETE, &format!("/v1/tenants/{acme}/{name}/{new_id}"), Some(&olivia), None).await;
            assert_eq!(status, StatusCode::NO_CONTENT, "{name}: delete");
            let (status, _) =
                s.call(Method::GET, &format!("/v1/tenants/{acme}/{name}/{new_id}"), Some(&olivia), None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{name}: deleted");
        } else {
            assert_eq!(body["status"], status.as_u16(), "{name}: a problem document");
        }
    }
    assert!(created * 2 >= names.len(), "most resources take a new row: {created} of {}", names.len());
}

async fn first(s: &Server, token: &str, path: &str) -> Value {
    let (status, page) = s.call(Method::GET, path, Some(token), None).await;
    assert_eq!(status, StatusCode::OK, "{path}: {page}");
    page["items"].as_array().and_then(|items| items.first().cloned()).unwrap_or_else(|| panic!("{path}: no rows"))
}

#[tokio::test]
async fn business_actions_run_the_databases_rules() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let olivia = s.login("olivia@acme.com").await;
    let victor = s.login("victor@acme.com").await;
    let base = format!("/v1/tenants/{acme}");

    // Completing an AI task charges the tenant once.
    let credits = |t: Value| t["credits_balance"].as_i64().unwrap();
    let before = credits(s.call(Method::GET, &base, Some(&olivia), None).await.1);
    let new_task = json!({ "type": "content.write_blog_post", "category": "content", "name": "Write a post",
                           "input": { "topic": "isolation" }, "estimated_cost": 5 });
    let (status, task) = s.call(Method::POST, &format!("{base}/ai-tasks"), Some(&olivia), Some(new_task.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{task}");
    let task_id = task["id"].as_str().unwrap();
    let (status, done) = s
        .call(
            Method::POST,
            &format!("{base}/ai-tasks/{task_id}/complete"),
            Some(&olivia),
            Some(json!({ "actual_cost": 3, "output": { "ok": true } })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "completed");
    assert_eq!(credits(s.call(Method::GET, &base, Some(&olivia), None).await.1), before - 3);
    let (status, _) =
        s.call(Method::POST, &format!("{base}/ai-tasks/{task_id}/complete"), Some(&olivia), Some(json!({}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "completed once");
    assert_eq!(credits(s.call(Method::GET, &base, Some(&olivia), None).await.1), before - 3, "charged once");
    let (_, other) = s.call(Method::POST, &format!("{base}/ai-tasks"), Some(&olivia), Some(new_task)).await;
    let (status, failed) = s
        .call(
            Method::POST,
            &format!("{base}/ai-tasks/{}/fail", other["id"].as_str().unwrap()),
            Some(&olivia),
            Some(json!({ "error_details": { "reason": "timeout" } })),
        )
        .await;
    assert_eq!((status, failed["status"].as_str()), (StatusCode::OK, Some("failed")));

    // Placing an order counts in its customer's metrics; cancelling takes it out.
    let (_, openapi) = s.call(Method::GET, "/openapi.json", None, None).await;
    let template = first(&s, &olivia, &format!("{base}/orders")).await;
    let mut placed = writable_copy(&template, &openapi, "orders_create");
    placed["external_id"] = json!("api-order-1");
    placed["status"] = json!("pending");
    placed["fulfillment_status"] = json!(null);
    placed["total_amount"] = json!(40.5);
    let customer_id = template["customer_id"].as_str().unwrap().to_string();
    let orders_of = |c: Value| c["total_orders"].as_i64().unwrap();
    let before =
        orders_of(s.call(Method::GET, &format!("{base}/customers/{customer_id}"), Some(&olivia), None).await.1);
    let (status, order) = s.call(Method::POST, &format!("{base}/orders"), Some(&olivia), Some(placed)).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(
        orders_of(s.call(Method::GET, &format!("{base}/customers/{customer_id}"), Some(&olivia), None).await.1),
        before + 1
    );
    let (status, cancelled) = s
        .call(Method::POST, &format!("{base}/orders/{}/cancel", order["id"].as_str().unwrap()), Some(&olivia), None)
        .await;
    assert_eq!((status, cancelled["status"].as_str()), (StatusCode::OK, Some("cancelled")), "{cancelled}");
    assert_eq!(
        orders_of(s.call(Method::GET, &format!("{base}/customers/{customer_id}"), Some(&olivia), None).await.1),
        before
    );
    let (status, _) = s
        .call(Method::POST, &format!("{base}/orders/{}/refund", order["id"].as_str().unwrap()), Some(&olivia), None)
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "a cancelled order is not refunded");
    let (status, _) = s
        .call(Method::POST, &format!("{base}/orders/{}/cancel", order["id"].as_str().unwrap()), Some(&victor), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a viewer changes no order");

    // Publishing needs the publish permission.
    let draft = first(&s, &olivia, &format!("{base}/content?status=draft")).await;
    let draft_id = draft["id"].as_str().unwrap();
    let (status, _) =
        s.call(Method::POST, &format!("{base}/content/{draft_id}/publish"), Some(&victor), Some(json!({}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, published) = s
        .call(
            Method::POST,
            &format!("{base}/content/{draft_id}/publish"),
            Some(&olivia),
            Some(json!({ "published_urls": ["https://acme.example/post"] })),
        )
        .await;
    assert_eq!((status, published["status"].as_str()), (StatusCode::OK, Some("published")), "{published}");
    assert!(!published["publish_date"].is_null());

    // One answer per approver; the database decides the request. The demo's workflow is Alice's, then
    // Bob's: Olivia gets one of her own (any order, two approvals needed, so hers leaves it open).
    let demo_request: Uuid =
        first(&s, &olivia, &format!("{base}/approval-requests")).await["id"].as_str().unwrap().parse().unwrap();
    let (acme, olivia_id, alice_id) =
        (s.tenant("acme"), s.seeded.user("olivia@acme.com"), s.seeded.user("alice@acme.com"));
    let admin = s.db.admin().await;
    let workflow: Uuid = admin
        .query_one(
            "INSERT INTO work.approval_workflows (tenant_id, project_id, name, workflow_type, is_sequential,
                                                  required_approvals, created_by)
             SELECT tenant_id, project_id, 'Second opinion', 'architecture_approval', false, 2, $3
             FROM work.approval_requests WHERE tenant_id = $1 AND id = $2 RETURNING id",
            &[&acme, &demo_request, &olivia_id],
        )
        .await
        .unwrap()
        .get(0);
    for (position, approver) in [(1, olivia_id), (2, alice_id)] {
        admin
            .execute(
                "INSERT INTO work.approval_workflow_approvers (tenant_id, workflow_id, approver_id, position)
                 VALUES ($1, $2, $3, $4)",
                &[&acme, &workflow, &approver, &position],
            )
            .await
            .unwrap();
    }
    let request_id: Uuid = admin
        .query_one(
            "INSERT INTO work.approval_requests (tenant_id, workflow_id, project_id, title, description, request_type,
                                                 subject_type, subject_id, due_date, requested_by)
             SELECT tenant_id, $3, project_id, 'A second opinion', description, request_type, subject_type, subject_id,
                    due_date, requested_by
             FROM work.approval_requests WHERE tenant_id = $1 AND id = $2 RETURNING id",
            &[&acme, &demo_request, &workflow],
        )
        .await
        .unwrap()
        .get(0);
    let respond = |token: String| {
        let path = format!("{base}/approval-requests/{request_id}/responses");
        let s = &s;
        async move {
            s.call(Method::POST, &path, Some(&token), Some(json!({ "decision": "approve", "comments": "fine" }))).await
        }
    };
    let (status, answered) = respond(olivia.clone()).await;
    assert_eq!(status, StatusCode::OK, "{answered}");
    let (again, body) = respond(olivia.clone()).await;
    assert_eq!(again, StatusCode::CONFLICT, "one response per approver: {body}");
    let responses: i64 = admin
        .query_one(
            "SELECT count(*) FROM work.approval_responses WHERE tenant_id = $1 AND request_id = $2",
            &[&acme, &request_id],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(responses, 1, "the second answer wrote nothing");
    let status_now: String = admin
        .query_one(
            "SELECT status::text FROM work.approval_requests WHERE tenant_id = $1 AND id = $2",
            &[&acme, &request_id],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(status_now, "in_review", "one of two approvals: the request stays open");
    let (status, body) = s
        .call(
            Method::POST,
            &format!("{base}/approval-requests/{request_id}/responses"),
            Some(&olivia),
            Some(json!({ "decision": "maybe" })),
        )
        .await;
    assert_eq!((status, body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("decision")));
}

#[tokio::test]
async fn store_credentials_are_sealed_and_never_returned() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let olivia = s.login("olivia@acme.com").await;
    let body = json!({ "name": "Second shop", "platform": "shopify", "store_url": "https://second.example",
                       "credentials": { "api_token": "shpat_very_secret" } });
    let (status, store) = s.call(Method::POST, &format!("/v1/tenants/{acme}/stores"), Some(&olivia), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{store}");
    let (_, got) = s
        .call(Method::GET, &format!("/v1/tenants/{acme}/stores/{}", store["id"].as_str().unwrap()), Some(&olivia), None)
        .await;
    for shown in [&store, &got] {
        let text = shown.to_string();
        assert!(!text.contains("shpat_very_secret") && !text.contains("credentials"), "{text}");
    }
    let admin = s.db.admin().await;
    let sealed: Vec<u8> = admin
        .query_one(
            "SELECT credentials_sealed FROM commerce.stores WHERE id = $1",
            &[&Uuid::parse_str(store["id"].as_str().unwrap()).unwrap()],
        )
        .await
        .unwrap()
        .get(0);
    assert!(!String::from_utf8_lossy(&sealed).contains("shpat_very_secret"), "sealed at rest");
    let (status, body) = s
        .call(
            Method::POST,
            &format!("/v1/tenants/{acme}/stores"),
            Some(&olivia),
            Some(json!({ "name": "No creds", "platform": "etsy", "store_url": "https://x.example" })),
        )
        .await;
    assert_eq!((status, body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("credentials")));
}

#[tokio::test]
async fn full_text_q_finds_the_tenants_own_rows_through_the_search_function() {
    let s = Server::start().await;
    let (acme, techstartup) = (s.tenant("acme"), s.tenant("tech-startup"));
    let olivia = s.login("olivia@acme.com").await;
    let tom = s.login("tom@techstartup.io").await;
    for (tenant, token, title) in
        [(acme, &olivia, "Zebra crossing guide"), (techstartup, &tom, "Zebra stripes at Tech Startup")]
    {
        let body = json!({ "name": title, "title": title, "content_type": "blog_post", "content": "all about zebras" });
        let (status, row) =
            s.call(Method::POST, &format!("/v1/tenants/{tenant}/content"), Some(token), Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{row}");
    }
    let (status, page) = s.call(Method::GET, &format!("/v1/tenants/{acme}/content?q=zebra"), Some(&olivia), None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let titles: Vec<&str> = page["items"].as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Zebra crossing guide"], "only Acme's match");
    let (status, body) = s.call(Method::GET, &format!("/v1/tenants/{acme}/roles?q=zebra"), Some(&olivia), None).await;
    assert_eq!((status, body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("q")));
}
