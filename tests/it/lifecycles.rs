//! Lifecycles kept by the database whatever the path: every transition absent
//! from a vocabulary's table is refused through PATCH, through the actions and
//! through raw SQL as the app role (the pairs are generated from the compiled
//! tables, not picked); concurrent conflicting transitions end in one legal
//! state; charges equal the completed tasks' costs.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tenantbase::api::lifecycle::{action_owned, TRANSITIONS};
use tenantbase::api::resources::RESOURCES;
use tenantbase::db::TenantCtx;
use tokio_postgres::Client;
use uuid::Uuid;

use crate::api::{problem_type, Server};

/// A lifecycle column as the catalog has it: its table, column and the
/// (from, to) pairs its vocabulary's compiled function allows.
#[derive(Debug)]
struct Lifecycle {
    table: String,
    column: String,
    allowed: BTreeSet<(String, String)>,
    states: BTreeSet<String>,
}

impl Lifecycle {
    fn resource(&self) -> &'static str {
        RESOURCES.iter().find(|r| r.table == self.table).map(|r| r.name).expect("a lifecycle table is a resource")
    }

    /// Every (from, to) pair of distinct states its table leaves out.
    fn refused(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        for from in &self.states {
            for to in &self.states {
                if from != to && !self.allowed.contains(&(from.clone(), to.clone())) {
                    pairs.push((from.clone(), to.clone()));
                }
            }
        }
        pairs
    }
}

/// Every column the lifecycle trigger guards, read from the catalog.
async fn lifecycles(admin: &Client) -> Vec<Lifecycle> {
    let rows = admin
        .query(
            "SELECT t.tgrelid::regclass::text, t.tgargs
             FROM pg_trigger t WHERE t.tgfoid = 'tenancy.refuse_illegal_transition()'::regprocedure ORDER BY 1, 2",
            &[],
        )
        .await
        .unwrap();
    let mut all = Vec::new();
    for row in rows {
        let args: Vec<u8> = row.get(1);
        let args: Vec<String> = args.split(|b| *b == 0).map(|a| String::from_utf8_lossy(a).into_owned()).collect();
        let (column, vocabulary) = (args[0].to_string(), args[1].to_string());
        let pairs = admin
            .query(&format!("SELECT from_state, to_state FROM lifecycle.{vocabulary}_transitions()"), &[])
            .await
            .unwrap();
        let allowed: BTreeSet<(String, String)> = pairs.iter().map(|p| (p.get(0), p.get(1))).collect();
        let states = allowed.iter().flat_map(|(a, b)| [a.clone(), b.clone()]).collect();
        all.push(Lifecycle { table: row.get(0), column, allowed, states });
    }
    all
}

/// Puts a row's lifecycle column into `state` as the superuser, its lifecycle
/// trigger off (the set-up of a case, not a transition; the other rules run),
/// with what the other rules of the row require of that state. The action-owned companions of an order's status
/// are cleared, so that they take any first state.
async fn put(admin: &Client, table: &str, column: &str, id: Uuid, state: &str) {
    let extra = match (table, column) {
        ("work.approval_requests", _) => {
            ", final_decision = CASE $2 WHEN 'approved' THEN 'approve' WHEN 'rejected' THEN 'reject' END,
               completed_at = CASE WHEN $2 IN ('approved', 'rejected') THEN greatest(now(), requested_at) END"
        }
        ("content.content_projects", _) => ", publish_date = coalesce(publish_date, now())",
        ("commerce.orders", "status") => ", payment_status = NULL, fulfillment_status = NULL",
        _ => "",
    };
    let triggers: Vec<String> = crate::common::column(
        admin,
        "SELECT quote_ident(tgname) FROM pg_trigger
         WHERE tgrelid = $1::text::regclass AND tgfoid = 'tenancy.refuse_illegal_transition()'::regprocedure",
        &[&table],
    )
    .await;
    let switch =
        |how: &str| triggers.iter().map(|t| format!("ALTER TABLE {table} {how} TRIGGER {t};")).collect::<String>();
    admin.batch_execute(&switch("DISABLE")).await.unwrap();
    let n = admin
        .execute(&format!("UPDATE {table} SET \"{column}\" = $2::text{extra} WHERE id = $1"), &[&id, &state])
        .await
        .unwrap();
    admin.batch_execute(&switch("ENABLE")).await.unwrap();
    assert_eq!(n, 1, "{table} {id}");
}

async fn state_of(admin: &Client, table: &str, column: &str, id: Uuid) -> Option<String> {
    admin.query_one(&format!("SELECT \"{column}\"::text FROM {table} WHERE id = $1"), &[&id]).await.unwrap().get(0)
}

async fn some_row(admin: &Client, table: &str, tenant: Uuid) -> Uuid {
    admin
        .query_one(&format!("SELECT id FROM {table} WHERE tenant_id = $1 ORDER BY id LIMIT 1"), &[&tenant])
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn every_transition_absent_from_a_table_is_refused_through_patch_actions_and_raw_sql() {
    let s = Server::start().await;
    let admin = s.db.admin().await;
    let acme = s.tenant("acme");
    let olivia = s.login("olivia@acme.com").await;
    let ctx = TenantCtx::new(acme, s.seeded.user("olivia@acme.com"));
    let pool = s.db.app_pool(1);
    // Completions in the set-up are paid for, not parked.
    admin
        .execute(
            "UPDATE tenancy.tenants SET credits_balance = 100000, monthly_credit_limit = 1000000 WHERE id = $1",
            &[&acme],
        )
        .await
        .unwrap();
    let all = lifecycles(&admin).await;
    let covered: BTreeSet<&str> = all.iter().map(|l| l.table.as_str()).collect();
    for table in [
        "commerce.orders",
        "agents.tasks",
        "content.content_projects",
        "work.approval_requests",
        "work.projects",
        "work.tasks",
        "work.requirements",
    ] {
        assert!(covered.contains(table), "{table} has a lifecycle: {covered:?}");
    }

    let mut refused_pairs = 0;
    for lifecycle in &all {
        let (table, column) = (lifecycle.table.as_str(), lifecycle.column.as_str());
        let id = some_row(&admin, table, acme).await;
        let owned = action_owned(lifecycle.resource()).contains(&column);
        let path = format!("/v1/tenants/{acme}/{}/{id}", lifecycle.resource());
        let refused = lifecycle.refused();
        for from in &lifecycle.states {
            // A refusal changes nothing: one set-up serves every refused pair from this state.
            put(&admin, table, column, id, from).await;
            for (_, to) in refused.iter().filter(|(f, _)| f == from) {
                refused_pairs += 1;
                // Raw SQL as the app role, in the tenant's own context.
                let mut tx = pool.tenant_tx(&ctx).await.unwrap();
                let err = tx
                    .execute(
                        &format!("UPDATE {table} SET \"{column}\" = $2 WHERE tenant_id = $1 AND id = $3"),
                        &[&acme, &to, &id],
                    )
                    .await
                    .expect_err(&format!("{table}.{column}: {from} -> {to} through SQL"));
                let rule = format!("{}_{column}_lifecycle", table.split('.').nth(1).unwrap());
                assert_eq!(err.constraint(), Some(rule.as_str()));
                drop(tx);
                // PATCH: a state an action owns is not PATCHable at all; any other is refused as a conflict.
                let (status, body) = s.call(Method::PATCH, &path, Some(&olivia), Some(json!({ column: to }))).await;
                let expected = if owned { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::CONFLICT };
                assert_eq!(status, expected, "{table}.{column}: {from} -> {to} through PATCH: {body}");
            }
            assert_eq!(state_of(&admin, table, column, id).await.as_deref(), Some(from.as_str()), "{table}.{column}");
        }
        // And every allowed pair goes through where PATCH is the way.
        if !owned {
            for (from, to) in &lifecycle.allowed {
                put(&admin, table, column, id, from).await;
                let (status, body) = s.call(Method::PATCH, &path, Some(&olivia), Some(json!({ column: to }))).await;
                assert_eq!(status, StatusCode::OK, "{table}.{column}: {from} -> {to} through PATCH: {body}");
                assert_eq!(state_of(&admin, table, column, id).await.as_deref(), Some(to.as_str()));
            }
        }
    }
    assert!(refused_pairs > 150, "{refused_pairs} refused pairs");

    // Every action, from every state of its column: allowed where the table allows it, else 409 and nothing changed.
    let by_column: BTreeMap<(&str, &str), &Lifecycle> =
        all.iter().map(|l| ((l.table.as_str(), l.column.as_str()), l)).collect();
    let mut columns: Vec<(&str, &str)> = TRANSITIONS.iter().map(|t| (t.table, t.sets[0].0)).collect();
    columns.dedup();
    for (table, column) in columns {
        let lifecycle = by_column[&(table, column)];
        let id = some_row(&admin, table, acme).await;
        for from in &lifecycle.states {
            put(&admin, table, column, id, from).await;
            let (legal, illegal): (Vec<_>, Vec<_>) =
                TRANSITIONS.iter().filter(|t| (t.table, t.sets[0].0) == (table, column)).partition(|t| {
                    lifecycle.allowed.contains(&(from.clone(), t.sets[0].1.to_string()))
                        && (t.from.is_empty() || t.from.contains(&from.as_str()))
                });
            for transition in illegal {
                let path = format!("/v1/tenants/{acme}/{}/{id}/{}", transition.resource, transition.action);
                let (status, body) = s.call(Method::POST, &path, Some(&olivia), None).await;
                assert_eq!(
                    (status, problem_type(&body)),
                    (StatusCode::CONFLICT, "conflict"),
                    "{path} from {from}: {body}"
                );
                assert_eq!(
                    state_of(&admin, table, column, id).await.as_deref(),
                    Some(from.as_str()),
                    "{path} from {from}"
                );
            }
            for transition in legal {
                put(&admin, table, column, id, from).await;
                let path = format!("/v1/tenants/{acme}/{}/{id}/{}", transition.resource, transition.action);
                let (status, body) = s.call(Method::POST, &path, Some(&olivia), None).await;
                assert_eq!(status, StatusCode::OK, "{path} from {from}: {body}");
                assert_eq!(state_of(&admin, table, column, id).await.as_deref(), Some(transition.sets[0].1));
            }
        }
    }
}

#[tokio::test]
async fn thirty_two_concurrent_conflicting_transitions_end_in_one_legal_state() {
    let s = std::sync::Arc::new(Server::start().await);
    let admin = s.db.admin().await;
    let acme = s.tenant("acme");
    let olivia = s.login("olivia@acme.com").await;
    let order = some_row(&admin, "commerce.orders", acme).await;
    // A task never charged, so the ledger afterwards tells whether this race charged it.
    let task: Uuid = admin
        .query_one(
            "SELECT id FROM agents.tasks t WHERE tenant_id = $1
               AND NOT EXISTS (SELECT 1 FROM agents.credit_ledger l WHERE l.tenant_id = t.tenant_id AND l.task_id = t.id)
             ORDER BY id LIMIT 1",
            &[&acme],
        )
        .await
        .unwrap()
        .get(0);
    put(&admin, "commerce.orders", "status", order, "confirmed").await;
    admin.execute("UPDATE commerce.orders SET payment_status = 'paid' WHERE id = $1", &[&order]).await.unwrap();
    put(&admin, "agents.tasks", "status", task, "processing").await;
    admin
        .execute(
            "UPDATE tenancy.tenants SET credits_balance = 1000, monthly_credit_limit = 100000 WHERE id = $1",
            &[&acme],
        )
        .await
        .unwrap();
    admin
        .execute("UPDATE agents.tasks SET actual_cost = NULL, estimated_cost = 7 WHERE id = $1", &[&task])
        .await
        .unwrap();

    // Each pair of targets excludes the other: a cancelled order is not refunded nor the
    // reverse, a completed task does not fail nor a failed one complete.
    let cases: Vec<(String, Option<Value>)> = (0..32)
        .map(|i| match i % 2 {
            0 => (format!("orders/{order}/cancel"), None),
            _ => (format!("orders/{order}/refund"), None),
        })
        .chain((0..32).map(|i| match i % 2 {
            0 => (format!("ai-tasks/{task}/complete"), Some(json!({}))),
            _ => (format!("ai-tasks/{task}/fail"), Some(json!({ "error_details": { "i": i } }))),
        }))
        .collect();
    let mut handles = Vec::new();
    for (path, body) in cases {
        let (s, token) = (s.clone(), olivia.clone());
        handles.push(tokio::spawn(async move {
            let (status, answer) =
                s.call(Method::POST, &format!("/v1/tenants/{acme}/{path}"), Some(&token), body).await;
            (path, status, answer)
        }));
    }
    let mut won: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for h in handles {
        let (path, status, answer) = h.await.unwrap();
        let object = if path.starts_with("orders") { "order" } else { "task" };
        match status {
            StatusCode::OK => won.entry(object).or_default().push(path.rsplit('/').next().unwrap().to_string()),
            StatusCode::CONFLICT => {}
            other => panic!("{path}: {other} {answer}"),
        }
    }
    assert_eq!(won["order"].len(), 1, "one order transition wins: {:?}", won["order"]);
    let order_state = state_of(&admin, "commerce.orders", "status", order).await.unwrap();
    assert_eq!(order_state, if won["order"][0] == "cancel" { "cancelled" } else { "refunded" });
    assert_eq!(won["task"].len(), 1, "one task transition wins: {:?}", won["task"]);
    let task_state = state_of(&admin, "agents.tasks", "status", task).await.unwrap();
    assert_eq!(task_state, if won["task"][0] == "complete" { "completed" } else { "failed" });
    let charges: i64 = admin
        .query_one("SELECT count(*) FROM agents.credit_ledger WHERE task_id = $1 AND kind = 'charge'", &[&task])
        .await
        .unwrap()
        .get(0);
    assert_eq!(charges, i64::from(task_state == "completed"));
}

#[tokio::test]
async fn charges_always_equal_the_completed_tasks_costs() {
    let s = std::sync::Arc::new(Server::start().await);
    let admin = s.db.admin().await;
    let acme = s.tenant("acme");
    let olivia = s.login("olivia@acme.com").await;
    admin
        .execute(
            "UPDATE tenancy.tenants SET credits_balance = 100000, monthly_credit_limit = 1000000 WHERE id = $1",
            &[&acme],
        )
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..8 {
        let (status, task) = s
            .call(
                Method::POST,
                &format!("/v1/tenants/{acme}/ai-tasks"),
                Some(&olivia),
                Some(json!({ "type": "content.write", "category": "content", "name": format!("t{i}"), "input": {}, "estimated_cost": 3 })),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{task}");
        tasks.push(task["id"].as_str().unwrap().to_string());
    }
    // Every way a client could move or re-cost a task, at once, several rounds.
    let mut handles = Vec::new();
    for round in 0..4 {
        for (i, task) in tasks.iter().enumerate() {
            for op in 0..6 {
                let (s, token, task) = (s.clone(), olivia.clone(), task.clone());
                let cost = 10 * round + i as i32 + op;
                handles.push(tokio::spawn(async move {
                    let base = format!("/v1/tenants/{acme}/ai-tasks/{task}");
                    let (method, path, body) = match op {
                        0 => (Method::POST, format!("{base}/complete"), Some(json!({ "actual_cost": cost }))),
                        1 => (Method::POST, format!("{base}/fail"), Some(json!({ "error_details": {} }))),
                        2 => (Method::POST, format!("{base}/retry"), None),
                        3 => (Method::POST, format!("{base}/cancel"), None),
                        4 => (Method::POST, format!("{base}/reopen"), None),
                        _ => (Method::PATCH, base.clone(), Some(json!({ "actual_cost": cost }))),
                    };
                    let (status, body) = s.call(method, &path, Some(&token), body).await;
                    assert!([StatusCode::OK, StatusCode::CONFLICT].contains(&status), "{path}: {status} {body}");
                    (op, status)
                }));
            }
        }
    }
    let mut refused_cost_edits = 0;
    for h in handles {
        let (op, status) = h.await.unwrap();
        refused_cost_edits += usize::from(op == 5 && status == StatusCode::CONFLICT);
    }
    let mismatches: i64 = admin
        .query_one(
            "SELECT count(*) FROM agents.tasks t
             FULL JOIN agents.credit_ledger l ON l.tenant_id = t.tenant_id AND l.task_id = t.id AND l.kind = 'charge'
             WHERE t.tenant_id = $1 AND t.name ~ '^t[0-9]$'
               AND ((t.status = 'completed') IS DISTINCT FROM (l.id IS NOT NULL)
                    OR (l.id IS NOT NULL AND -l.amount <> coalesce(t.actual_cost, t.estimated_cost, 0)))",
            &[&acme],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(mismatches, 0, "every completed task charged once, its cost; no other task charged");
    let completed: i64 = admin
        .query_one(
            "SELECT count(*) FROM agents.tasks WHERE tenant_id = $1 AND name ~ '^t[0-9]$' AND status = 'completed'",
            &[&acme],
        )
        .await
        .unwrap()
        .get(0);
    assert!(completed > 0, "some tasks completed");
    assert!(refused_cost_edits > 0, "edits of a charged cost were refused");

    // A completed task's cost never changes afterwards, not even by raw SQL as the app.
    let done: Uuid = admin
        .query_one(
            "SELECT id FROM agents.tasks WHERE tenant_id = $1 AND status = 'completed' AND name ~ '^t[0-9]$' LIMIT 1",
            &[&acme],
        )
        .await
        .unwrap()
        .get(0);
    let ctx = TenantCtx::new(acme, s.seeded.user("olivia@acme.com"));
    let pool = s.db.app_pool(1);
    let mut tx = pool.tenant_tx(&ctx).await.unwrap();
    let err = tx
        .execute("UPDATE agents.tasks SET actual_cost = 70 WHERE tenant_id = $1 AND id = $2", &[&acme, &done])
        .await
        .unwrap_err();
    assert_eq!(err.constraint(), Some("tasks_cost_charged_lifecycle"));
}

#[tokio::test]
async fn a_failed_task_fails_once_and_never_completes() {
    let s = Server::start().await;
    let admin = s.db.admin().await;
    let acme = s.tenant("acme");
    let olivia = s.login("olivia@acme.com").await;
    let task = some_row(&admin, "agents.tasks", acme).await;
    put(&admin, "agents.tasks", "status", task, "processing").await;
    let base = format!("/v1/tenants/{acme}/ai-tasks/{task}");
    let fail = |n: i32| json!({ "error_details": { "attempt": n } });
    assert_eq!(s.call(Method::POST, &format!("{base}/fail"), Some(&olivia), Some(fail(1))).await.0, StatusCode::OK);
    assert_eq!(
        s.call(Method::POST, &format!("{base}/fail"), Some(&olivia), Some(fail(2))).await.0,
        StatusCode::CONFLICT
    );
    assert_eq!(
        s.call(Method::POST, &format!("{base}/complete"), Some(&olivia), Some(json!({}))).await.0,
        StatusCode::CONFLICT
    );
    let details: Value =
        admin.query_one("SELECT error_details FROM agents.tasks WHERE id = $1", &[&task]).await.unwrap().get(0);
    assert_eq!(details, json!({ "attempt": 1 }), "the first failure's details stay");
    let (status, retried) = s.call(Method::POST, &format!("{base}/retry"), Some(&olivia), None).await;
    assert_eq!(
        (status, retried["status"].as_str(), &retried["error_details"]),
        (StatusCode::OK, Some("pending"), &Value::Null)
    );
}

#[tokio::test]
async fn a_cancel_racing_a_delete_answers_404() {
    let s = Server::start().await;
    let admin = s.db.admin().await;
    let acme = s.tenant("acme");
    let olivia = s.login("olivia@acme.com").await;
    let order = some_row(&admin, "commerce.orders", acme).await;
    put(&admin, "commerce.orders", "status", order, "cancelled").await;
    // The delete holds the row while the cancel finds it in no state to cancel.
    let mut deleter = s.db.admin().await;
    let tx = deleter.transaction().await.unwrap();
    tx.execute("DELETE FROM commerce.orders WHERE id = $1", &[&order]).await.unwrap();
    let path = format!("/v1/tenants/{acme}/orders/{order}/cancel");
    let cancel = tokio::spawn({
        let (http, base, token) = (s.http.clone(), s.base.clone(), olivia.clone());
        async move { http.post(format!("{base}{path}")).bearer_auth(token).send().await.unwrap().status() }
    });
    crate::common::until_waiting_for_a_lock(&admin, 1).await;
    tx.commit().await.unwrap();
    assert_eq!(cancel.await.unwrap(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_response_to_a_decided_request_answers_409_and_versions_never_loop() {
    let s = Server::start().await;
    let admin = s.db.admin().await;
    let acme = s.tenant("acme");
    let olivia = s.login("olivia@acme.com").await;
    let request = some_row(&admin, "work.approval_requests", acme).await;
    put(&admin, "work.approval_requests", "status", request, "rejected").await;
    let responses_before: i64 = admin
        .query_one(
            "SELECT count(*) FROM work.approval_responses WHERE approver_id = $1",
            &[&s.seeded.user("olivia@acme.com")],
        )
        .await
        .unwrap()
        .get(0);
    let (status, body) = s
        .call(
            Method::POST,
            &format!("/v1/tenants/{acme}/approval-requests/{request}/responses"),
            Some(&olivia),
            Some(json!({ "decision": "approve" })),
        )
        .await;
    assert_eq!((status, problem_type(&body)), (StatusCode::CONFLICT, "conflict"), "{body}");
    let responses: i64 = admin
        .query_one(
            "SELECT count(*) FROM work.approval_responses WHERE approver_id = $1",
            &[&s.seeded.user("olivia@acme.com")],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(responses, responses_before, "nothing recorded");

    // A requirement's next version, then the requirement naming that version as its previous one: a loop.
    let first: Uuid = admin
        .query_one(
            "SELECT id FROM work.requirements r WHERE tenant_id = $1
               AND NOT EXISTS (SELECT 1 FROM work.requirements n WHERE n.previous_version_id = r.id) ORDER BY id LIMIT 1",
            &[&acme],
        )
        .await
        .unwrap()
        .get(0);
    let previous_before: Option<Uuid> = admin
        .query_one("SELECT previous_version_id FROM work.requirements WHERE id = $1", &[&first])
        .await
        .unwrap()
        .get(0);
    let second: Uuid = admin
        .query_one(
            "INSERT INTO work.requirements (tenant_id, project_id, title, description, type, created_by, version, previous_version_id)
             SELECT tenant_id, project_id, 'v2', description, type, created_by, version + 1, id
             FROM work.requirements WHERE id = $1 RETURNING id",
            &[&first],
        )
        .await
        .unwrap()
        .get(0);
    let (status, body) = s
        .call(
            Method::PATCH,
            &format!("/v1/tenants/{acme}/requirements/{first}"),
            Some(&olivia),
            Some(json!({ "previous_version_id": second, "version": 3 })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["detail"].as_str().unwrap().contains("no_version_cycle"), "{body}");
    let previous: Option<Uuid> = admin
        .query_one("SELECT previous_version_id FROM work.requirements WHERE id = $1", &[&first])
        .await
        .unwrap()
        .get(0);
    assert_eq!(previous, previous_before, "nothing changed");
}
