//! The API under abuse: what a key or a role may not do, and input the database
//! cannot take, which must answer 4xx with nothing written.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::api::{problem_type, Server};

async fn api_key(s: &Server, token: &str, scopes: &[&str]) -> String {
    let acme = s.tenant("acme");
    let (status, key) = s
        .call(
            Method::POST,
            &format!("/v1/tenants/{acme}/api-keys"),
            Some(token),
            Some(json!({ "name": "k", "scopes": scopes })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{key}");
    key["token"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn an_api_key_acts_only_inside_its_tenant() {
    let s = Server::start().await;
    let olivia = s.login("olivia@acme.com").await;
    for scopes in [&["read"][..], &["admin"][..]] {
        let key = api_key(&s, &olivia, scopes).await;
        let (status, body) =
            s.call(Method::POST, "/v1/tenants", Some(&key), Some(json!({ "name": "Keyed", "slug": "keyed" }))).await;
        assert_eq!((status, problem_type(&body)), (StatusCode::FORBIDDEN, "forbidden"), "{scopes:?}: {body}");
        for path in ["/v1/me", "/v1/tenants"] {
            let (status, body) = s.call(Method::GET, path, Some(&key), None).await;
            assert_eq!(status, StatusCode::OK);
            let tenants = if path == "/v1/me" { &body["tenants"] } else { &body["items"] };
            let ids: Vec<&str> = tenants.as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
            assert_eq!(ids, [s.tenant("acme").to_string().as_str()], "{path} with a key: its own tenant only");
        }
    }
    let (_, mine) = s.call(Method::GET, "/v1/tenants", Some(&olivia), None).await;
    assert!(!mine["items"].as_array().unwrap().is_empty(), "a session lists every tenant of its user");
}

#[tokio::test]
async fn only_an_owner_changes_or_removes_an_owner() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let olivia = s.login("olivia@acme.com").await;
    let alice = s.login("alice@acme.com").await;
    let bob_id = s.seeded.user("bob@acme.com");
    let (status, _) = s
        .call(
            Method::PATCH,
            &format!("/v1/tenants/{acme}/members/{bob_id}"),
            Some(&olivia),
            Some(json!({ "role": "owner" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "Olivia makes Bob a second owner");
    let (status, body) = s
        .call(
            Method::PATCH,
            &format!("/v1/tenants/{acme}/members/{bob_id}"),
            Some(&alice),
            Some(json!({ "role": "viewer" })),
        )
        .await;
    assert_eq!(
        (status, problem_type(&body)),
        (StatusCode::FORBIDDEN, "forbidden"),
        "an admin demoting an owner: {body}"
    );
    let (status, body) =
        s.call(Method::DELETE, &format!("/v1/tenants/{acme}/members/{bob_id}"), Some(&alice), None).await;
    assert_eq!(
        (status, problem_type(&body)),
        (StatusCode::FORBIDDEN, "forbidden"),
        "an admin removing an owner: {body}"
    );
    let (_, members) = s.call(Method::GET, &format!("/v1/tenants/{acme}/members"), Some(&olivia), None).await;
    let bob = members["items"].as_array().unwrap().iter().find(|m| m["id"] == bob_id.to_string()).unwrap().clone();
    assert_eq!((bob["role"].as_str(), bob["status"].as_str()), (Some("owner"), Some("active")));
    let (status, _) = s
        .call(
            Method::PATCH,
            &format!("/v1/tenants/{acme}/members/{bob_id}"),
            Some(&olivia),
            Some(json!({ "role": "member" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "an owner demotes an owner");
}

#[tokio::test]
async fn input_the_database_cannot_take_answers_422_and_writes_nothing() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let olivia = s.login("olivia@acme.com").await;
    let projects = format!("/v1/tenants/{acme}/projects");
    let count = || async {
        let (_, page) = s.call(Method::GET, &format!("{projects}?limit=200"), Some(&olivia), None).await;
        page["items"].as_array().unwrap().len()
    };
    let before = count().await;
    for body in [
        json!({ "name": "nul\u{0}in text" }),
        json!({ "name": "nul in json", "settings": { "k": "v\u{0}" } }),
        json!({ "name": "nul in a key", "settings": { "k\u{0}": 1 } }),
        json!({ "name": "huge", "budget_allocated": 1e300 }),
    ] {
        let (status, problem) = s.call(Method::POST, &projects, Some(&olivia), Some(body.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {problem}");
    }
    assert_eq!(count().await, before, "nothing written");
    // PostgreSQL takes offsets up to 15:59 from UTC; RFC 3339 allows 23:59.
    let content = format!("/v1/tenants/{acme}/content");
    for offset in ["+16:00", "-23:59"] {
        let body = json!({ "name": "offset", "content_type": "blog_post", "publish_date": format!("2026-01-01T00:00:00{offset}") });
        let (status, problem) = s.call(Method::POST, &content, Some(&olivia), Some(body)).await;
        assert_eq!(
            (status, problem["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("publish_date")),
            "{problem}"
        );
    }
    let body = json!({ "name": "offset", "content_type": "blog_post", "publish_date": "2026-01-01T00:00:00+15:59" });
    let (status, problem) = s.call(Method::POST, &content, Some(&olivia), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "the largest offset PostgreSQL takes: {problem}");
    for email in ["ali\u{0}ce@acme.com", "alice@acme.com\u{0}"] {
        let (status, problem) =
            s.call(Method::POST, "/v1/auth/login", None, Some(json!({ "email": email, "password": "x\u{0}" }))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    }
}

/// Every route of the OpenAPI document × every kind of caller (no token, a session
/// of each role, a key of each scope) × its own tenant and another one: never a
/// 5xx; another tenant is 404; no token is 401; a read key never writes; a viewer
/// and a non-admin key never get a write through.
#[tokio::test]
async fn every_route_answers_every_caller_in_its_own_and_another_tenant_as_it_should() {
    let s = Server::start().await;
    let (acme, techstartup) = (s.tenant("acme"), s.tenant("tech-startup"));
    let olivia = s.login("olivia@acme.com").await;
    let mut callers: Vec<(String, Option<String>)> = vec![("no token".into(), None)];
    for (role, email) in [
        ("owner", "olivia@acme.com"),
        ("admin", "alice@acme.com"),
        ("member", "bob@acme.com"),
        ("viewer", "victor@acme.com"),
    ] {
        callers.push((format!("{role} session"), Some(s.login(email).await)));
    }
    for scope in ["read", "write", "admin"] {
        callers.push((format!("{scope} key"), Some(api_key(&s, &olivia, &[scope]).await)));
    }
    let (_, document) = s.call(Method::GET, "/openapi.json", None, None).await;
    // Public routes need no caller; logout would end the sessions the loop uses.
    let public = ["/v1/auth/signup", "/v1/auth/login", "/v1/auth/logout", "/healthz", "/readyz", "/openapi.json"];
    let mut checked = 0;
    for (template, operations) in document["paths"].as_object().unwrap() {
        if !template.contains("{tenant}") && public.contains(&template.as_str()) {
            continue;
        }
        for method in operations.as_object().unwrap().keys() {
            let method: Method = method.to_uppercase().parse().unwrap();
            for (tenant, own) in [(acme, true), (techstartup, false)] {
                let path = template
                    .replace("{tenant}", &tenant.to_string())
                    .split('/')
                    .map(|part| if part.starts_with('{') { uuid::Uuid::new_v4().to_string() } else { part.to_string() })
                    .collect::<Vec<_>>()
                    .join("/");
                for (caller, token) in &callers {
                    let body = (method != Method::GET && method != Method::DELETE).then(|| json!({}));
                    let (status, answer) = s.call(method.clone(), &path, token.as_deref(), body).await;
                    let what = format!(
                        "{method} {template} as {caller} in {}: {status} {answer}",
                        if own { "its tenant" } else { "another" }
                    );
                    checked += 1;
                    assert!(!status.is_server_error(), "{what}");
                    if token.is_none() {
                        assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}");
                        continue;
                    }
                    let tenant_scoped = template.contains("{tenant}");
                    if tenant_scoped && !own {
                        assert_eq!(status, StatusCode::NOT_FOUND, "{what}");
                        continue;
                    }
                    // A similarity search takes its query vector in a POST body, but reads.
                    let writes = method != Method::GET && !template.ends_with("/similar");
                    if writes && caller == "read key" && tenant_scoped {
                        assert_eq!(status, StatusCode::FORBIDDEN, "{what}");
                    }
                    if writes && (caller == "viewer session" || caller.ends_with(" key") && !tenant_scoped) {
                        assert!(!status.is_success(), "{what}");
                    }
                }
            }
        }
    }
    assert!(checked > 500, "{checked} calls");
}
