//! The API's contract with its clients: row versions as ETags and If-Match on
//! writes, one list envelope, ids and Locations, and the answers' headers.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::api::{problem_type, Server};

/// A call with extra request headers, answering the response's headers too.
pub async fn send(
    s: &Server,
    method: Method,
    path: &str,
    token: Option<&str>,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> (StatusCode, HeaderMap, Value) {
    let mut request = s.http.request(method, format!("{}{path}", s.base));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    for (name, value) in headers {
        request =
            request.header(HeaderName::from_bytes(name.as_bytes()).unwrap(), HeaderValue::from_str(value).unwrap());
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let text = response.text().await.unwrap();
    (status, headers, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> &'h str {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

#[tokio::test]
async fn two_clients_editing_one_row_with_their_etags_one_wins_and_the_other_gets_412() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let (olivia, alice) = (s.login("olivia@acme.com").await, s.login("alice@acme.com").await);
    let (_, page) = s.call(Method::GET, &format!("/v1/tenants/{acme}/projects?limit=1"), Some(&olivia), None).await;
    let id = page["items"][0]["id"].as_str().unwrap().to_string();
    let path = format!("/v1/tenants/{acme}/projects/{id}");
    let (status, read_by_olivia, row) = send(&s, Method::GET, &path, Some(&olivia), &[], None).await;
    assert_eq!(status, StatusCode::OK);
    let (_, read_by_alice, _) = send(&s, Method::GET, &path, Some(&alice), &[], None).await;
    let etag = header(&read_by_olivia, "etag").to_string();
    assert_eq!(etag, format!("\"{}\"", row["row_version"]), "the ETag is the row's version");
    assert_eq!(header(&read_by_alice, "etag"), etag, "both read the same version");

    // Both write at once, each naming the version it read.
    let precondition = [("if-match", etag.as_str())];
    let (a, b) = tokio::join!(
        send(&s, Method::PATCH, &path, Some(&olivia), &precondition, Some(json!({ "name": "Olivia's" }))),
        send(&s, Method::PATCH, &path, Some(&alice), &precondition, Some(json!({ "name": "Alice's" }))),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::PRECONDITION_FAILED], "{} / {}", a.2, b.2);
    let (winner, loser) = if a.0 == StatusCode::OK { (&a, &b) } else { (&b, &a) };
    assert_eq!(problem_type(&loser.2), "precondition-failed");
    assert_eq!(header(&loser.1, "etag"), header(&winner.1, "etag"), "the 412 names the current version");
    assert_eq!(header(&loser.1, "content-type"), "application/problem+json");

    let admin = s.db.admin().await;
    let stored =
        admin.query_one("SELECT name, row_version FROM work.projects WHERE id = $1::text::uuid", &[&id]).await.unwrap();
    let (name, version): (String, i64) = (stored.get(0), stored.get(1));
    assert_eq!(name, winner.2["name"].as_str().unwrap(), "the winner's change is the one stored");
    assert_eq!(version, row["row_version"].as_i64().unwrap() + 1, "one write went through");

    // Without If-Match a write is unconditional; with `*` it needs only the row to exist.
    let (status, _, _) =
        send(&s, Method::PATCH, &path, Some(&olivia), &[("if-match", "*")], Some(json!({ "name": "Any" }))).await;
    assert_eq!(status, StatusCode::OK);
    // A stale delete is refused too, and deletes nothing.
    let (status, _, problem) = send(&s, Method::DELETE, &path, Some(&olivia), &[("if-match", &etag)], None).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{problem}");
    let left: i64 =
        admin.query_one("SELECT count(*) FROM work.projects WHERE id = $1::text::uuid", &[&id]).await.unwrap().get(0);
    assert_eq!(left, 1);
}

#[tokio::test]
async fn the_database_keeps_the_version_whatever_the_writer_sets() {
    let s = Server::start().await;
    let admin = s.db.admin().await;
    let row = admin.query_one("SELECT id, row_version FROM commerce.customers LIMIT 1", &[]).await.unwrap();
    let (id, before): (uuid::Uuid, i64) = (row.get(0), row.get(1));
    admin.execute("UPDATE commerce.customers SET row_version = 1000 WHERE id = $1", &[&id]).await.unwrap();
    let after: i64 =
        admin.query_one("SELECT row_version FROM commerce.customers WHERE id = $1", &[&id]).await.unwrap().get(0);
    assert_eq!(after, before + 1);
    // Every table the app may change has it, and nothing the API writes includes it.
    let unversioned: Vec<String> = crate::common::column(
        &admin,
        "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname <> 'audit'
           AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_select')
           AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'row_version')",
        &[],
    )
    .await;
    assert_eq!(unversioned, Vec::<String>::new());
}

#[tokio::test]
async fn deleting_a_row_others_refer_to_is_a_409_conflict_and_deletes_nothing() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let olivia = s.login("olivia@acme.com").await;
    let admin = s.db.admin().await;
    let customer: uuid::Uuid = admin
        .query_one(
            "SELECT customer_id FROM commerce.orders WHERE tenant_id = $1 AND customer_id IS NOT NULL LIMIT 1",
            &[&acme],
        )
        .await
        .unwrap()
        .get(0);
    let (status, problem) =
        s.call(Method::DELETE, &format!("/v1/tenants/{acme}/customers/{customer}"), Some(&olivia), None).await;
    assert_eq!((status, problem_type(&problem)), (StatusCode::CONFLICT, "conflict"), "{problem}");
    let left: i64 =
        admin.query_one("SELECT count(*) FROM commerce.customers WHERE id = $1", &[&customer]).await.unwrap().get(0);
    assert_eq!(left, 1);
}

#[tokio::test]
async fn a_created_row_answers_its_location_and_etag() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let alice = s.login("alice@acme.com").await;
    let roles = format!("/v1/tenants/{acme}/roles");
    let (status, headers, row) = send(&s, Method::POST, &roles, Some(&alice), &[], Some(json!({ "name": "r" }))).await;
    assert_eq!(status, StatusCode::CREATED, "{row}");
    let location = header(&headers, "location").to_string();
    assert_eq!(location, format!("{roles}/{}", row["id"].as_str().unwrap()));
    assert_eq!(header(&headers, "etag"), "\"1\"");
    let (status, again) = s.call(Method::GET, &location, Some(&alice), None).await;
    assert_eq!((status, &again), (StatusCode::OK, &row));
}

#[tokio::test]
async fn a_cursor_used_with_another_sort_is_refused() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let olivia = s.login("olivia@acme.com").await;
    let projects = format!("/v1/tenants/{acme}/customers");
    let (_, page) = s.call(Method::GET, &format!("{projects}?limit=1&sort=created_at"), Some(&olivia), None).await;
    let cursor = page["next_cursor"].as_str().expect("more than one project").to_string();
    let (status, _) =
        s.call(Method::GET, &format!("{projects}?limit=1&sort=created_at&cursor={cursor}"), Some(&olivia), None).await;
    assert_eq!(status, StatusCode::OK);
    for sort in ["-created_at", "id", "-id"] {
        let (status, problem) =
            s.call(Method::GET, &format!("{projects}?limit=1&sort={sort}&cursor={cursor}"), Some(&olivia), None).await;
        assert_eq!(
            (status, problem["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("cursor")),
            "{sort}: {problem}"
        );
    }
}

#[tokio::test]
async fn a_method_a_path_does_not_answer_is_a_405_problem() {
    let s = Server::start().await;
    let (status, headers, problem) = send(&s, Method::PUT, "/v1/auth/login", None, &[], None).await;
    assert_eq!((status, problem_type(&problem)), (StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed"));
    assert_eq!(header(&headers, "content-type"), "application/problem+json");
}

#[tokio::test]
async fn every_collection_is_one_envelope_and_tenants_are_named_by_id_or_slug() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let olivia = s.login("olivia@acme.com").await;
    for path in [
        "/v1/tenants".to_string(),
        "/v1/permissions".to_string(),
        format!("/v1/tenants/{acme}/members"),
        "/v1/tenants/acme/members".to_string(),
        format!("/v1/tenants/{acme}/api-keys"),
        format!("/v1/tenants/{acme}/invitations"),
        "/v1/tenants/acme/roles".to_string(),
    ] {
        let (status, page) = s.call(Method::GET, &path, Some(&olivia), None).await;
        assert_eq!(status, StatusCode::OK, "{path}: {page}");
        let keys: Vec<&String> = page.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["items", "next_cursor"], "{path}");
    }
    // Members page by page, each once, in order.
    let mut seen = Vec::new();
    let mut path = "/v1/tenants/acme/members?limit=2".to_string();
    loop {
        let (status, page) = s.call(Method::GET, &path, Some(&olivia), None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        seen.extend(page["items"].as_array().unwrap().iter().map(|m| m["email"].as_str().unwrap().to_string()));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/v1/tenants/acme/members?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    let admin = s.db.admin().await;
    let expected: Vec<String> = crate::common::column(
        &admin,
        "SELECT u.email::text FROM tenancy.memberships m JOIN tenancy.users u ON u.id = m.user_id
         WHERE m.tenant_id = $1 AND m.status <> 'left' ORDER BY 1",
        &[&acme],
    )
    .await;
    assert!(expected.len() > 2);
    assert_eq!(seen, expected);
    // By slug and by id, the same tenant; a slug of a tenant one is not in is 404, like a missing one.
    let (_, by_slug) = s.call(Method::GET, "/v1/tenants/acme", Some(&olivia), None).await;
    let (_, by_id) = s.call(Method::GET, &format!("/v1/tenants/{acme}"), Some(&olivia), None).await;
    assert_eq!((&by_slug["id"], &by_slug), (&json!(acme), &by_id));
    for slug in ["tech-startup", "no-such-tenant"] {
        let (status, _) = s.call(Method::GET, &format!("/v1/tenants/{slug}/roles"), Some(&olivia), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{slug}");
    }
}

#[tokio::test]
async fn signing_up_answers_a_session_that_works() {
    let s = Server::start().await;
    let (status, headers, body) = send(
        &s,
        Method::POST,
        "/v1/auth/signup",
        None,
        &[],
        Some(json!({ "email": "new@example.com", "password": "a long enough password" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(header(&headers, "location"), "/v1/me");
    let token = body["token"].as_str().unwrap();
    let (status, me) = s.call(Method::GET, "/v1/me", Some(token), None).await;
    assert_eq!((status, &me["id"]), (StatusCode::OK, &body["id"]));
    let (status, headers, created) =
        send(&s, Method::POST, "/v1/tenants", Some(token), &[], Some(json!({ "name": "New", "slug": "new-co" }))).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(header(&headers, "location"), format!("/v1/tenants/{}", created["id"].as_str().unwrap()));
}

/// The served document is valid OpenAPI 3.1, checked by openapi-spec-validator
/// (scripts/install-deps.sh installs it), and says nothing 3.1 dropped.
#[tokio::test]
async fn the_openapi_document_validates_as_3_1() {
    let s = Server::start().await;
    let (status, document) = s.call(Method::GET, "/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(document["openapi"].as_str().map(|v| &v[..4]), Some("3.1."));
    let text = document.to_string();
    assert!(!text.contains("\"nullable\""), "3.1 spells nullable as a type array");
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &text).unwrap();
    let run = std::process::Command::new("python3")
        .args([
            "-c",
            "import json, sys\nfrom openapi_spec_validator import validate\nfrom openapi_spec_validator.validation import OpenAPIV31SpecValidator\nvalidate(json.load(open(sys.argv[1])), cls=OpenAPIV31SpecValidator)",
        ])
        .arg(file.path())
        .output()
        .expect("python3 runs (scripts/install-deps.sh installs it and openapi-spec-validator)");
    assert!(run.status.success(), "openapi-spec-validator: {}", String::from_utf8_lossy(&run.stderr));
    // Every write schema lists only what the app role may write: the credit ledger, which it may not, has none.
    assert!(document["components"]["schemas"].get("credit-ledger_create").is_none());
    let ledger = &document["paths"]["/v1/tenants/{tenant}/credit-ledger"];
    assert_eq!(ledger.as_object().unwrap().keys().collect::<Vec<_>>(), ["get"]);
    // A vocabulary written as a CHECK is an enum, and a change requires nothing.
    assert_eq!(
        document["components"]["schemas"]["credit-ledger"]["properties"]["kind"]["enum"],
        json!(["charge", "top_up", "monthly_reset"])
    );
    for (name, schema) in document["components"]["schemas"].as_object().unwrap() {
        if name.ends_with("_patch") {
            assert!(schema.get("required").is_none(), "{name}");
        }
    }
}

/// /docs renders the reference in headless Chromium (scripts/install-deps.sh installs
/// it) with every host but this server unreachable: the page needs nothing else.
#[tokio::test]
async fn the_docs_page_renders_the_reference_with_the_network_disabled() {
    let s = Server::start().await;
    let (status, home) = s.call(Method::GET, "/", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.as_str().unwrap().contains("href=\"/docs\""), "{home}");
    let profile = tempfile::tempdir().unwrap();
    let url = format!("{}/docs", s.base);
    let run = tokio::process::Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            // No name resolves and every connection but loopback goes to a closed port.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--proxy-server=127.0.0.1:9",
            "--virtual-time-budget=20000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(&url)
        .output()
        .await
        .expect("chromium runs (scripts/install-deps.sh installs it)");
    let dom = String::from_utf8_lossy(&run.stdout);
    for operation in ["List projects", "Change a projects row", "Delete a customers row"] {
        assert!(dom.contains(operation), "{operation} not rendered: {}", &dom[..dom.len().min(2000)]);
    }
}

#[tokio::test]
async fn a_broken_rule_names_its_field_and_a_vocabulary_lists_its_values() {
    let s = Server::start().await;
    let olivia = s.login("olivia@acme.com").await;
    let (status, problem) =
        s.call(Method::PATCH, "/v1/tenants/acme", Some(&olivia), Some(json!({ "domain": "not a domain" }))).await;
    assert_eq!((status, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("domain")), "{problem}");
    let (status, problem) = s
        .call(
            Method::POST,
            "/v1/tenants/acme/projects",
            Some(&olivia),
            Some(json!({ "name": "p", "budget_allocated": -1 })),
        )
        .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("budget_allocated")),
        "{problem}"
    );
    let (status, problem) = s
        .call(
            Method::POST,
            "/v1/tenants/acme/content",
            Some(&olivia),
            Some(json!({ "name": "c", "content_type": "poem" })),
        )
        .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("content_type")),
        "{problem}"
    );
    assert!(problem["detail"].as_str().unwrap().contains("blog_post"), "the values are listed: {problem}");
}

#[tokio::test]
async fn two_admins_changing_one_member_with_their_etags_one_wins_and_the_other_gets_412() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let (olivia, alice) = (s.login("olivia@acme.com").await, s.login("alice@acme.com").await);
    let (status, page) = s.call(Method::GET, &format!("/v1/tenants/{acme}/members"), Some(&olivia), None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let bob = page["items"].as_array().unwrap().iter().find(|m| m["email"] == "bob@acme.com").unwrap().clone();
    let read = bob["row_version"].as_i64().unwrap();
    let etag = format!("\"{read}\"");
    let path = format!("/v1/tenants/{acme}/members/{}", bob["id"].as_str().unwrap());

    let precondition = [("if-match", etag.as_str())];
    let (a, b) = tokio::join!(
        send(&s, Method::PATCH, &path, Some(&olivia), &precondition, Some(json!({ "role": "admin" }))),
        send(&s, Method::PATCH, &path, Some(&alice), &precondition, Some(json!({ "role": "viewer" }))),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::PRECONDITION_FAILED], "{} / {}", a.2, b.2);
    let (winner, loser) = if a.0 == StatusCode::OK { (&a, &b) } else { (&b, &a) };
    assert_eq!(problem_type(&loser.2), "precondition-failed");
    assert_eq!(header(&winner.1, "etag"), format!("\"{}\"", read + 1), "the change answers the new version");
    assert_eq!(header(&loser.1, "etag"), header(&winner.1, "etag"), "the 412 names the current version");

    let admin = s.db.admin().await;
    let stored = admin
        .query_one(
            "SELECT role::text, row_version FROM tenancy.memberships
             WHERE tenant_id = $1 AND user_id = $2::text::uuid",
            &[&acme, &bob["id"].as_str().unwrap()],
        )
        .await
        .unwrap();
    let (role, version): (String, i64) = (stored.get(0), stored.get(1));
    assert_eq!(role, winner.2["role"].as_str().unwrap(), "the winner's role is the one stored");
    assert_eq!(version, read + 1, "one change went through");

    // A removal naming the version read before is stale: refused, the member stays.
    let (status, _, problem) = send(&s, Method::DELETE, &path, Some(&olivia), &precondition, None).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{problem}");
    let status: String = admin
        .query_one(
            "SELECT status::text FROM tenancy.memberships WHERE tenant_id = $1 AND user_id = $2::text::uuid",
            &[&acme, &bob["id"].as_str().unwrap()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(status, "active");
    let current = header(&winner.1, "etag").to_string();
    let (status, _, _) = send(&s, Method::DELETE, &path, Some(&olivia), &[("if-match", &current)], None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "the current version removes");
}
