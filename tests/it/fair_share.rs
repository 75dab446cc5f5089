//! Fair sharing through the API: a tenant with its share of requests in flight
//! gets 429 with Retry-After for the next one, while another tenant is served at once.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::json;
use tenantbase::api::fair_share::FairShare;
use uuid::Uuid;

use crate::api::{problem_type, Server};
use crate::common::TestDb;

#[tokio::test]
async fn a_tenant_beyond_its_share_gets_429_and_another_tenant_is_served() {
    let db = TestDb::new().await;
    let pool = db.app_pool(8);
    let accounts = db.account_pool();
    let s = Arc::new(
        Server::start_configured(db, pool, accounts, |state| {
            state.fair_share = FairShare::new(HashMap::from([("*".to_string(), 2), ("enterprise".to_string(), 3)]));
        })
        .await,
    );
    let acme = s.tenant("acme");
    let olivia = s.login("olivia@acme.com").await;
    let mut admin = s.db.admin().await;
    admin.execute("UPDATE tenancy.tenants SET plan = 'pro' WHERE id = $1", &[&acme]).await.unwrap();
    let project: Uuid = admin
        .query_one("SELECT id FROM work.projects WHERE tenant_id = $1 ORDER BY id LIMIT 1", &[&acme])
        .await
        .unwrap()
        .get(0);

    // Two of Acme's writes wait on a row the superuser holds: Acme's whole share.
    let holder = admin.transaction().await.unwrap();
    holder.execute("SELECT 1 FROM work.projects WHERE id = $1 FOR UPDATE", &[&project]).await.unwrap();
    let writes: Vec<_> = (0..2)
        .map(|i| {
            let (s, token) = (s.clone(), olivia.clone());
            tokio::spawn(async move {
                let path = format!("/v1/tenants/{acme}/projects/{project}");
                s.call(Method::PATCH, &path, Some(&token), Some(json!({ "description": format!("edit {i}") }))).await.0
            })
        })
        .collect();
    let watcher = s.db.admin().await;
    for _ in 0..200 {
        let waiting: i64 = watcher
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        if waiting == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let response =
        s.http.get(format!("{}/v1/tenants/{acme}/projects", s.base)).bearer_auth(&olivia).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "1");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(problem_type(&body), "tenant-busy");

    // Another tenant is served meanwhile.
    let techstartup = s.tenant("tech-startup");
    let tom = s.login("tom@techstartup.io").await;
    let (status, _) = s.call(Method::GET, &format!("/v1/tenants/{techstartup}/projects"), Some(&tom), None).await;
    assert_eq!(status, StatusCode::OK);

    holder.commit().await.unwrap();
    for w in writes {
        assert_eq!(w.await.unwrap(), StatusCode::OK);
    }
    let (status, _) = s.call(Method::GET, &format!("/v1/tenants/{acme}/projects"), Some(&olivia), None).await;
    assert_eq!(status, StatusCode::OK, "the share is free again");
}
