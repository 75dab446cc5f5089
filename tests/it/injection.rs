//! No request value is ever written into SQL text. Every byte the server sends to
//! PostgreSQL passes through a proxy that keeps it; requests carry a marker in
//! every place a client controls (headers, path, query string, JSON body, login),
//! shaped to break out of a quoted literal, and the app and account roles' sessions
//! default to `standard_conforming_strings = off`, where a backslash escapes a
//! quote. The marker may arrive as data; it must appear in no SQL text sent.

use reqwest::{Method, StatusCode};
use serde_json::json;
use tenantbase::db::{AccountDb, Db};

use crate::api::Server;
use crate::common::{app_config_via, start_proxy, TestDb};

#[tokio::test]
async fn no_request_value_reaches_sql_text_even_with_standard_conforming_strings_off() {
    let db = TestDb::new().await;
    let admin = db.admin().await;
    let name = db.target.database_name().to_string();
    admin
        .batch_execute(&format!(
            "ALTER ROLE tenantbase_app IN DATABASE {name} SET standard_conforming_strings = off;
             ALTER ROLE tenantbase_account IN DATABASE {name} SET standard_conforming_strings = off;"
        ))
        .await
        .unwrap();
    let proxy_dir = tempfile::tempdir().unwrap();
    let proxy = start_proxy(db.socket(), proxy_dir.path(), db.port());
    let app = app_config_via(&db, proxy_dir.path());
    let mut account = app.clone();
    account.user("tenantbase_account");
    let pool = Db::new(app, db.context_key(), 4);
    let accounts = AccountDb::new(account, db.signer(), 2);
    let s = Server::start_with_pools(db, pool, accounts).await;

    let marker = format!("zq{}", uuid::Uuid::new_v4().simple());
    let hostile = format!("{marker}\\'); SELECT pg_sleep(0); --");
    let olivia = s.login("olivia@acme.com").await;
    let acme = s.seeded.tenant("acme");
    let with_headers = |method: Method, path: String| {
        s.http
            .request(method, format!("{}{path}", s.base))
            .bearer_auth(&olivia)
            .header("user-agent", hostile.clone())
            .header("x-request-id", format!("{marker}-request"))
    };
    let created = with_headers(Method::POST, format!("/v1/tenants/{acme}/projects"))
        .json(&json!({ "name": hostile, "description": hostile, "settings": { hostile.clone(): hostile } }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201, "{}", created.text().await.unwrap());
    let project: serde_json::Value = created.json().await.unwrap();
    assert_eq!(project["name"], hostile.as_str(), "the value arrived as data, byte for byte");
    let id = project["id"].as_str().unwrap().to_string();
    // As data, the value matches nothing (200; a free-text filter, since a vocabulary's filter refuses it first), is not an id (422), names no resource (404), is not a cursor (422).
    for (path, expected) in [
        (format!("/v1/tenants/{acme}/customers?email={}&sort=-created_at", urlencode(&hostile)), StatusCode::OK),
        (format!("/v1/tenants/{acme}/projects?q={}", urlencode(&hostile)), StatusCode::OK),
        (format!("/v1/tenants/{acme}/projects/{}", urlencode(&hostile)), StatusCode::UNPROCESSABLE_ENTITY),
        (format!("/v1/tenants/{acme}/{}", urlencode(&hostile)), StatusCode::NOT_FOUND),
        (format!("/v1/tenants/{acme}/projects?cursor={}", urlencode(&hostile)), StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let answered = with_headers(Method::GET, path.clone()).send().await.unwrap().status();
        assert_eq!(answered, expected, "{path}");
    }
    let patched = with_headers(Method::PATCH, format!("/v1/tenants/{acme}/projects/{id}"))
        .json(&json!({ "description": format!("{hostile} again") }))
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), 200);
    let (status, _) = s
        .call(
            Method::POST,
            "/v1/auth/login",
            None,
            Some(json!({ "email": format!("{hostile}@acme.com"), "password": hostile })),
        )
        .await;
    assert_eq!(status, 401);
    let (status, _) = s
        .call(
            Method::POST,
            "/v1/auth/signup",
            None,
            Some(json!({ "email": format!("{marker}@example.com"), "password": hostile, "full_name": hostile })),
        )
        .await;
    assert_eq!(status, 201);
    let (status, invited) = s
        .call(
            Method::POST,
            &format!("/v1/tenants/{acme}/invitations"),
            Some(&olivia),
            Some(json!({ "email": format!("{marker}@example.com"), "role": "viewer" })),
        )
        .await;
    assert_eq!(status, 201, "{invited}");
    let (status, _) =
        s.call(Method::POST, "/v1/invitations/accept", Some(&olivia), Some(json!({ "token": hostile }))).await;
    assert_eq!(status, 404, "a token nobody was given joins nothing");

    let texts = proxy.sql_texts();
    assert!(texts.len() > 20, "the proxy saw the server's statements: {}", texts.len());
    let carrying: Vec<&String> = texts.iter().filter(|t| t.contains(&marker)).collect();
    assert!(carrying.is_empty(), "request values written into SQL text:\n{carrying:#?}");
    let admin = s.db.admin().await;
    crate::common::seal_everything(&admin).await;
    let stored: i64 = admin
        .query_one(
            "SELECT count(*) FROM audit.log WHERE request_id = $1 AND user_agent = $2",
            &[&format!("{marker}-request"), &hostile],
        )
        .await
        .unwrap()
        .get(0);
    assert!(stored >= 2, "the audit trail recorded the request's facts as data: {stored}");
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}
