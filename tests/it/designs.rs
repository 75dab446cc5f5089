//! The designs' vocabularies and defaults (docs/schema.md, "Vocabularies"): every
//! design's words are accepted, and a tenant created with nothing said about its
//! plan is on the default plan, BizQ's 'starter'.

use reqwest::{Method, StatusCode};
use serde_json::json;
use uuid::Uuid;

use crate::api::{problem_type, Server};

#[tokio::test]
async fn the_starters_article_is_content_beside_bizqs_types() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let bob = s.login("bob@acme.com").await;
    let path = format!("/v1/tenants/{acme}/content");
    for content_type in ["article", "blog_post"] {
        let body = json!({ "name": format!("A {content_type}"), "title": "Hello", "content_type": content_type });
        let (status, row) = s.call(Method::POST, &path, Some(&bob), Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{row}");
        assert_eq!(row["content_type"], content_type);
    }
    let (status, page) = s.call(Method::GET, &format!("{path}?content_type=article"), Some(&bob), None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["items"].as_array().unwrap().len(), 1, "{page}");
    let (status, body) =
        s.call(Method::POST, &path, Some(&bob), Some(json!({ "name": "Essay", "content_type": "essay" }))).await;
    assert_eq!(
        (status, problem_type(&body), body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation", Some("content_type"))
    );
}

#[tokio::test]
async fn a_tenant_created_with_the_designs_defaults_is_on_the_starter_plan() {
    let s = Server::start().await;
    // A workspace created the way BizQ creates one: a name and a slug.
    let bob = s.login("bob@acme.com").await;
    let (status, created) =
        s.call(Method::POST, "/v1/tenants", Some(&bob), Some(json!({ "name": "Bob Labs", "slug": "bob-labs" }))).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let labs = created["id"].as_str().unwrap();
    let (status, tenant) = s.call(Method::GET, &format!("/v1/tenants/{labs}"), Some(&bob), None).await;
    assert_eq!(status, StatusCode::OK, "{tenant}");
    assert_eq!((tenant["plan"].as_str(), tenant["credits_balance"].as_i64()), (Some("starter"), Some(100)));

    // An operator's tenant without a plan gets the same default; a named plan is kept.
    let admin = s.db.admin().await;
    let owner = s.seeded.user("demo@bizq.com");
    let plan_of = |slug: &'static str, plan: Option<&'static str>| {
        let admin = &admin;
        async move {
            let id: Uuid = admin
                .query_one(
                    "SELECT platform.create_tenant($1, $2::text::citext, $3::text::tenancy.plan, $4)",
                    &[&slug, &slug, &plan, &owner],
                )
                .await
                .unwrap()
                .get(0);
            admin
                .query_one("SELECT plan::text FROM tenancy.tenants WHERE id = $1", &[&id])
                .await
                .unwrap()
                .get::<_, String>(0)
        }
    };
    assert_eq!(plan_of("bizq-default", None).await, "starter");
    assert_eq!(plan_of("bduf-org", Some("free")).await, "free");
    let plans: Vec<String> = admin
        .query("SELECT unnest(enum_range(NULL::tenancy.plan))::text", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(plans, ["free", "starter", "pro", "growth", "scale", "enterprise"], "every design's plans");
}
