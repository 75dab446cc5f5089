//! Idempotency keys through the API: concurrent retries of one create and of
//! one action have one effect and identical answers; another request under the
//! same key is refused; keys are per tenant and expire.

use std::sync::Arc;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::api::{problem_type, Server};

/// A POST with an Idempotency-Key: the status, the raw body and whether it was replayed.
async fn post(s: &Server, path: &str, token: &str, key: &str, body: &Value) -> (StatusCode, String, bool) {
    let response = s
        .http
        .post(format!("{}{path}", s.base))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let replayed = response.headers().contains_key("idempotent-replayed");
    (status, response.text().await.unwrap(), replayed)
}

async fn count(s: &Server, sql: &str, params: &[&(dyn tokio_postgres::types::ToSql + Sync)]) -> i64 {
    s.db.admin().await.query_one(sql, params).await.unwrap().get(0)
}

fn task(name: &str) -> Value {
    json!({ "type": "content.write", "category": "content", "name": name, "input": {}, "estimated_cost": 2 })
}

#[tokio::test]
async fn thirty_two_concurrent_retries_of_a_create_and_of_an_action_have_one_effect_and_one_answer() {
    let s = Arc::new(Server::start().await);
    let acme = s.tenant("acme");
    let olivia = s.login("olivia@acme.com").await;
    let create = format!("/v1/tenants/{acme}/ai-tasks");

    let retries = |path: String, key: &'static str, body: Value| {
        let (s, token) = (s.clone(), olivia.clone());
        async move {
            let handles: Vec<_> = (0..32)
                .map(|_| {
                    let (s, token, path, body) = (s.clone(), token.clone(), path.clone(), body.clone());
                    tokio::spawn(async move { post(&s, &path, &token, key, &body).await })
                })
                .collect();
            let mut answers = Vec::new();
            for h in handles {
                answers.push(h.await.unwrap());
            }
            answers
        }
    };

    let answers = retries(create.clone(), "create-1", task("once")).await;
    let first = answers.iter().find(|a| !a.2).expect("one answer did the work");
    assert_eq!(first.0, StatusCode::CREATED, "{}", first.1);
    assert_eq!(answers.iter().filter(|a| !a.2).count(), 1, "one request did the work, 31 were replayed");
    assert!(answers.iter().all(|a| (a.0, &a.1) == (first.0, &first.1)), "identical answers");
    assert_eq!(
        count(&s, "SELECT count(*) FROM agents.tasks WHERE tenant_id = $1 AND name = 'once'", &[&acme]).await,
        1
    );
    let created: Value = serde_json::from_str(&first.1).unwrap();
    let id: Uuid = created["id"].as_str().unwrap().parse().unwrap();

    let complete = format!("/v1/tenants/{acme}/ai-tasks/{id}/complete");
    let answers = retries(complete.clone(), "complete-1", json!({ "actual_cost": 2 })).await;
    let first = answers.iter().find(|a| !a.2).expect("one answer did the work");
    assert_eq!(first.0, StatusCode::OK, "{}", first.1);
    assert!(answers.iter().all(|a| (a.0, &a.1) == (first.0, &first.1)), "identical answers");
    let charges = "SELECT count(*) FROM agents.credit_ledger WHERE tenant_id = $1 AND task_id = $2 AND kind = 'charge'";
    assert_eq!(count(&s, charges, &[&acme, &id]).await, 1, "charged once");
    assert_eq!(answers.iter().filter(|a| !a.2).count(), 1, "one request did the work, 31 were replayed");

    // Without the key, the same action is a new request: the task is already completed.
    let (status, body) = s.call(Method::POST, &complete, Some(&olivia), Some(json!({ "actual_cost": 2 }))).await;
    assert_eq!((status, problem_type(&body)), (StatusCode::CONFLICT, "conflict"));
}

#[tokio::test]
async fn another_request_under_a_key_is_refused_and_keys_are_per_tenant_and_expire() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let olivia = s.login("olivia@acme.com").await;
    let create = format!("/v1/tenants/{acme}/ai-tasks");
    let (status, first, _) = post(&s, &create, &olivia, "k-1", &task("first")).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");

    let (status, body, replayed) = post(&s, &create, &olivia, "k-1", &task("second")).await;
    assert_eq!((status, replayed), (StatusCode::UNPROCESSABLE_ENTITY, false), "{body}");
    let problem: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(problem["field"], "Idempotency-Key");
    assert_eq!(count(&s, "SELECT count(*) FROM agents.tasks WHERE name = 'second'", &[]).await, 0);
    // The same key on another path is another request too.
    let (status, _, _) = post(&s, &format!("/v1/tenants/{acme}/content"), &olivia, "k-1", &task("first")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Another tenant's key of the same name is its own.
    let techstartup = s.tenant("tech-startup");
    let tom = s.login("tom@techstartup.io").await;
    let (status, body, replayed) =
        post(&s, &format!("/v1/tenants/{techstartup}/ai-tasks"), &tom, "k-1", &task("first")).await;
    assert_eq!((status, replayed), (StatusCode::CREATED, false), "{body}");
    assert_eq!(count(&s, "SELECT count(*) FROM agents.tasks WHERE name = 'first'", &[]).await, 2);

    // A malformed key is refused before anything is done.
    let (status, _, _) = post(&s, &create, &olivia, "has space", &task("third")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&s, "SELECT count(*) FROM agents.tasks WHERE name = 'third'", &[]).await, 0);

    // Once its time is over (the server's clock wrote expires_at), the key is free again.
    s.db.admin()
        .await
        .execute(
            "UPDATE tenancy.idempotency_keys SET locked_until = locked_until - interval '2 days',
                 expires_at = expires_at - interval '2 days' WHERE tenant_id = $1 AND key = 'k-1'",
            &[&acme],
        )
        .await
        .unwrap();
    let (status, again, replayed) = post(&s, &create, &olivia, "k-1", &task("first")).await;
    assert_eq!((status, replayed), (StatusCode::CREATED, false));
    assert_ne!(again, first, "a new row");
    assert_eq!(
        count(&s, "SELECT count(*) FROM agents.tasks WHERE tenant_id = $1 AND name = 'first'", &[&acme]).await,
        2
    );
}

#[tokio::test]
async fn the_answer_is_kept_in_the_transaction_of_the_work() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let olivia = s.login("olivia@acme.com").await;
    let create = format!("/v1/tenants/{acme}/ai-tasks");
    let admin = s.db.admin().await;
    // A fault between the work and its record: keeping an answer fails.
    admin
        .batch_execute(
            "CREATE FUNCTION pg_temp.fault() RETURNS trigger LANGUAGE plpgsql AS
                 $$ BEGIN RAISE EXCEPTION 'fault injected' USING ERRCODE = 'XX000'; END $$;
             CREATE TRIGGER fault BEFORE UPDATE OF status_code ON tenancy.idempotency_keys
                 FOR EACH ROW EXECUTE FUNCTION pg_temp.fault();",
        )
        .await
        .unwrap();
    let (status, _, _) = post(&s, &create, &olivia, "fault-1", &task("faulted")).await;
    assert!(status.is_server_error(), "{status}");
    let faulted = "SELECT count(*) FROM agents.tasks WHERE tenant_id = $1 AND name = 'faulted'";
    assert_eq!(count(&s, faulted, &[&acme]).await, 0, "no work without its record");
    let keys = "SELECT count(*) FROM tenancy.idempotency_keys WHERE tenant_id = $1 AND key = 'fault-1'";
    assert_eq!(count(&s, keys, &[&acme]).await, 0, "nothing done: the key is free");

    admin.batch_execute("DROP TRIGGER fault ON tenancy.idempotency_keys").await.unwrap();
    let (status, first, _) = post(&s, &create, &olivia, "fault-1", &task("faulted")).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (status, again, replayed) = post(&s, &create, &olivia, "fault-1", &task("faulted")).await;
    assert_eq!((status, &again, replayed), (StatusCode::CREATED, &first, true));
    assert_eq!(count(&s, faulted, &[&acme]).await, 1, "one effect");
}
