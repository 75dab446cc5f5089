//! Search under RLS: the generated search functions answer exactly what the
//! plain query answers under the policies, stay inside the acting tenant, and
//! use their tenant-leading GIN index where the plain query cannot.

use std::collections::BTreeSet;

use futures_util::StreamExt;
use tenantbase::db::TenantCtx;
use tokio::sync::mpsc;
use tokio_postgres::{AsyncMessage, Client};
use uuid::Uuid;

use crate::common::TestDb;

/// Rows for two tenants: enough that the planner prefers an index for a rare word.
async fn searchable(db: &TestDb, tenant: Uuid, other: Uuid) {
    db.admin()
        .await
        .batch_execute(&format!(
            "INSERT INTO work.tasks (tenant_id, project_id, title, description, created_by, tags, custom_fields)
             SELECT t.tenant_id, t.project_id, 'Task ' || g || ' word' || (g % 97),
                    'Routine work item ' || g || ' about word' || (g % 89) || ' and word' || (g % 31)
                        || CASE WHEN g % 400 = 0 THEN ' zebra migration' ELSE '' END,
                    t.created_by, ARRAY['tag' || (g % 50)], jsonb_build_object('phase', 'p' || (g % 20))
             FROM generate_series(1, 12000) g
             CROSS JOIN LATERAL (SELECT tenant_id, project_id, created_by FROM work.tasks
                                 WHERE tenant_id = (CASE WHEN g % 3 = 0 THEN '{other}' ELSE '{tenant}' END)::uuid LIMIT 1) t;
             ANALYZE work.tasks;"
        ))
        .await
        .unwrap();
}

/// A connection of the app role that hands over the server's notices.
async fn app_connection_with_notices(db: &TestDb) -> (Client, mpsc::UnboundedReceiver<String>) {
    let (client, mut connection) = db.target.app.connect(tokio_postgres::NoTls).await.unwrap();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(Ok(message)) = messages.next().await {
            if let AsyncMessage::Notice(notice) = message {
                let _ = tx.send(notice.message().to_string());
            }
        }
    });
    (client, rx)
}

/// A transaction acting as `user` in `tenant`, with a context signed as the server signs it.
fn begin(db: &TestDb, tenant: Uuid, user: Uuid) -> String {
    db.signer().begin_sql(&tenantbase::db::TenantCtx::new(tenant, user))
}

#[tokio::test]
async fn search_functions_use_their_gin_index_under_rls_where_the_plain_query_cannot() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let (acme, olivia) = (seeded.tenant("acme"), seeded.user("olivia@acme.com"));
    searchable(&db, acme, seeded.tenant("tech-startup")).await;
    // auto_explain reports the plan of every statement, nested ones included, to the app's own session.
    let admin = db.admin().await;
    let database = db.target.database_name().to_string();
    for setting in [
        "session_preload_libraries = 'auto_explain'",
        "auto_explain.log_min_duration = 0",
        "auto_explain.log_nested_statements = on",
        "auto_explain.log_level = notice",
    ] {
        admin.batch_execute(&format!("ALTER ROLE tenantbase_app IN DATABASE {database} SET {setting}")).await.unwrap();
    }

    let (app, mut notices) = app_connection_with_notices(&db).await;
    app.batch_execute(&begin(&db, acme, olivia)).await.unwrap();
    let plain: String = app
        .query("EXPLAIN SELECT id FROM work.tasks WHERE search_vector @@ websearch_to_tsquery('english', 'zebra')", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<_, String>(0) + "\n")
        .collect();
    assert!(
        !plain.lines().any(|l| l.contains("Index Cond") && l.contains("@@")),
        "below the policy, @@ is not an index condition:\n{plain}"
    );
    while notices.try_recv().is_ok() {}

    let found = app.query("SELECT id FROM search.work_tasks('zebra', 1000)", &[]).await.unwrap();
    assert_eq!(found.len(), 20, "8000 acme rows, one in 400 mentions zebra");
    let mut plans = Vec::new();
    while let Ok(notice) = notices.try_recv() {
        plans.push(notice);
    }
    let inner = plans
        .iter()
        .find(|p| p.contains("work.tasks t"))
        .unwrap_or_else(|| panic!("auto_explain reported the function's statement: {plans:?}"));
    assert!(
        inner.lines().any(|l| l.contains("Index Cond") && l.contains("tenant_id =") && l.contains("@@")),
        "tenant and words are both conditions of one index:\n{inner}"
    );
    assert!(inner.contains("tasks_search_idx"), "{inner}");
    app.batch_execute("ROLLBACK").await.unwrap();
}

/// (search call, the same question asked of the table under RLS)
const SAME_ANSWERS: &[(&str, &str)] = &[
    ("SELECT id FROM search.work_tasks('zebra', 100000)", "SELECT id FROM work.tasks WHERE search_vector @@ websearch_to_tsquery('english', 'zebra')"),
    ("SELECT id FROM search.work_tasks('word3 word5', 100000)",
     "SELECT id FROM work.tasks WHERE search_vector @@ websearch_to_tsquery('english', 'word3 word5')"),
    ("SELECT id FROM search.work_tasks('\"routine work\" -zebra', 100000)",
     "SELECT id FROM work.tasks WHERE search_vector @@ websearch_to_tsquery('english', '\"routine work\" -zebra')"),
    ("SELECT id FROM search.work_tasks('nothing matches this', 100000)",
     "SELECT id FROM work.tasks WHERE search_vector @@ websearch_to_tsquery('english', 'nothing matches this')"),
    ("SELECT id FROM search.work_projects('portal', 100000)",
     "SELECT id FROM work.projects WHERE search_vector @@ websearch_to_tsquery('english', 'portal')"),
    ("SELECT id FROM search.work_requirements('sign-on', 100000)",
     "SELECT id FROM work.requirements WHERE search_vector @@ websearch_to_tsquery('english', 'sign-on')"),
    ("SELECT id FROM search.work_architecture_decisions('services gateway', 100000)",
     "SELECT id FROM work.architecture_decisions WHERE search_vector @@ websearch_to_tsquery('english', 'services gateway')"),
    ("SELECT id FROM search.content_content_projects('guide', 100000)",
     "SELECT id FROM content.content_projects WHERE search_vector @@ websearch_to_tsquery('english', 'guide')"),
    ("SELECT id FROM search.work_tasks_custom_fields_containing('{\"phase\": \"p7\"}', 100000)",
     "SELECT id FROM work.tasks WHERE custom_fields @> '{\"phase\": \"p7\"}'"),
    ("SELECT id FROM search.work_tasks_tags_overlapping(ARRAY['tag3', 'security'], 100000)",
     "SELECT id FROM work.tasks WHERE tags && ARRAY['tag3', 'security']"),
    ("SELECT id FROM search.agents_tasks_input_containing('{\"tone\": \"helpful\"}', 100000)",
     "SELECT id FROM agents.tasks WHERE input @> '{\"tone\": \"helpful\"}'"),
    ("SELECT id FROM search.commerce_products_tags_overlapping(ARRAY['bestseller'], 100000)",
     "SELECT id FROM commerce.products WHERE tags && ARRAY['bestseller']"),
    ("SELECT id FROM search.analytics_analytics_events_properties_containing('{\"referrer\": \"newsletter\"}', 100000)",
     "SELECT id FROM analytics.analytics_events WHERE properties @> '{\"referrer\": \"newsletter\"}'"),
];

#[tokio::test]
async fn search_functions_answer_what_the_plain_query_answers_under_rls_and_nothing_of_another_tenant() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let (acme, tech) = (seeded.tenant("acme"), seeded.tenant("tech-startup"));
    searchable(&db, acme, tech).await;
    let pool = db.app_pool(2);
    for (tenant, user) in [(acme, seeded.user("olivia@acme.com")), (tech, seeded.user("tom@techstartup.io"))] {
        let ctx = TenantCtx::new(tenant, user);
        let mut tx = pool.tenant_tx(&ctx).await.unwrap();
        for (search, plain) in SAME_ANSWERS {
            let ids =
                |rows: Vec<tokio_postgres::Row>| rows.iter().map(|r| r.get::<_, Uuid>(0)).collect::<BTreeSet<_>>();
            let searched = ids(tx.query(search, &[]).await.unwrap());
            let expected = ids(tx.query(plain, &[]).await.unwrap());
            assert_eq!(searched, expected, "{search}");
        }
        let nonempty = tx.query("SELECT id FROM search.work_tasks('routine', 100000)", &[]).await.unwrap();
        assert!(!nonempty.is_empty());
        tx.rollback().await.unwrap();
    }

    // Only the acting tenant's keys come back, and no context finds nothing.
    let admin = db.admin().await;
    let tech_ids: BTreeSet<Uuid> = admin
        .query("SELECT id FROM work.tasks WHERE tenant_id = $1", &[&tech])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut tx = pool.tenant_tx(&TenantCtx::new(acme, seeded.user("olivia@acme.com"))).await.unwrap();
    let found = tx.query("SELECT id FROM search.work_tasks('routine', 100000)", &[]).await.unwrap();
    assert!(found.iter().all(|r| !tech_ids.contains(&r.get::<_, Uuid>(0))));
    tx.rollback().await.unwrap();
    let (app, _) = app_connection_with_notices(&db).await;
    let none = app.query("SELECT id FROM search.work_tasks('routine', 100000)", &[]).await.unwrap();
    assert!(none.is_empty(), "no tenant context, no rows");
    let ranked = admin
        .query("SELECT proname::text FROM pg_proc WHERE pronamespace = 'search'::regnamespace AND proname IN
                ('work_projects', 'work_tasks', 'work_requirements', 'work_architecture_decisions', 'content_content_projects')", &[])
        .await
        .unwrap();
    assert_eq!(ranked.len(), 5, "full-text search on projects, tasks, requirements, decisions and content");
}
