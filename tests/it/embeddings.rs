//! Similarity search under RLS (docs/embeddings.md): where pgvector is installed, the
//! search functions stay inside the acting tenant whatever vector they are given, find
//! what exact search finds (recall@10), and give a small tenant its k rows. Where it is
//! not, these tests say so loudly and check nothing else.

use std::collections::HashSet;

use tenantbase::db::migrate::has_embeddings;
use tokio_postgres::Client;
use uuid::Uuid;

use tenantbase::isolation::attack::{self, Actors, Verdict};

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::api::{problem_type, Server};
use crate::common::{column, TestDb};

/// Whether the template database has the embeddings module; prints why not.
async fn embeddings_installed(db: &TestDb, test: &str) -> bool {
    let present = has_embeddings(&db.admin().await).await.unwrap();
    if !present {
        println!("SKIPPED {test}: pgvector is not installed on this machine (scripts/install-pgvector.sh)");
        eprintln!("SKIPPED {test}: pgvector is not installed on this machine (scripts/install-pgvector.sh)");
    }
    present
}

/// `count` tasks of `tenant`, each with a random (seeded) embedding of the database's dimension.
async fn tasks_with_embeddings(admin: &Client, tenant: Uuid, count: i32, seed: f64) {
    // Test data: no audit entries (their triggers would dominate the test's time).
    admin.batch_execute("SET session_replication_role = replica").await.unwrap();
    admin.execute("SELECT setseed($1)", &[&seed]).await.unwrap();
    admin
        .execute(
            "WITH parent AS (SELECT project_id, created_by FROM work.tasks WHERE tenant_id = $1 LIMIT 1),
                  made AS (
                 INSERT INTO work.tasks (tenant_id, project_id, title, created_by, status)
                 SELECT $1, p.project_id, 'Embedded ' || g, p.created_by, CASE WHEN g % 2 = 0 THEN 'blocked' ELSE 'pending' END
                 FROM generate_series(1, $2) g CROSS JOIN parent p
                 RETURNING tenant_id, id)
             INSERT INTO embeddings.tasks (tenant_id, id, embedding)
             SELECT m.tenant_id, m.id,
                    array(SELECT random() - 0.5 + 0 * length(m.id::text)
                          FROM generate_series(1, (SELECT atttypmod FROM pg_attribute
                                                   WHERE attrelid = 'embeddings.tasks'::regclass AND attname = 'embedding')))::embeddings.vector
             FROM made m",
            &[&tenant, &count],
        )
        .await
        .unwrap();
    admin.batch_execute("RESET session_replication_role; ANALYZE work.tasks, embeddings.tasks").await.unwrap();
}

/// The ids the search function answers as `user` in `tenant` for the stored vector of `query_row`.
async fn similar(db: &TestDb, tenant: Uuid, user: Uuid, query_row: Uuid, filter: &str) -> Vec<Uuid> {
    let admin = db.admin().await;
    let query: String = admin
        .query_one("SELECT embedding::text FROM embeddings.tasks WHERE id = $1", &[&query_row])
        .await
        .unwrap()
        .get(0);
    let begin = db.signer().begin_sql(&tenantbase::db::TenantCtx::new(tenant, user));
    let (client, connection) = db.target.app.connect(tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(connection);
    client.batch_execute(&begin).await.unwrap();
    let ids = client
        .query(
            "SELECT id FROM embeddings.similar_tasks($1::text::embeddings.vector, 10, $2::text::jsonb)",
            &[&query, &filter],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    client.batch_execute("ROLLBACK").await.unwrap();
    ids
}

#[tokio::test]
async fn similarity_search_never_answers_another_tenants_rows() {
    let db = TestDb::new().await;
    if !embeddings_installed(&db, "similarity_search_never_answers_another_tenants_rows").await {
        return;
    }
    let seeded = db.seeded().await;
    let (acme, olivia) = (seeded.tenant("acme"), seeded.user("olivia@acme.com"));
    let other = seeded.tenant("tech-startup");
    let admin = db.admin().await;
    tasks_with_embeddings(&admin, acme, 50, 0.1).await;
    tasks_with_embeddings(&admin, other, 50, 0.2).await;
    let theirs: HashSet<Uuid> =
        column::<Uuid>(&admin, "SELECT id FROM embeddings.tasks WHERE tenant_id = $1", &[&other])
            .await
            .into_iter()
            .collect();
    let ours: HashSet<Uuid> = column::<Uuid>(&admin, "SELECT id FROM embeddings.tasks WHERE tenant_id = $1", &[&acme])
        .await
        .into_iter()
        .collect();
    // B's own vectors as queries, under A's context: their exact matches are B's rows.
    for query_row in theirs.iter().take(5) {
        let found = similar(&db, acme, olivia, *query_row, "{}").await;
        assert_eq!(found.len(), 10, "A gets its own 10 nearest rows");
        assert!(found.iter().all(|id| ours.contains(id)), "only A's rows: {found:?}");
    }
    // Filters combine with the search: only A's blocked tasks.
    let blocked: HashSet<Uuid> =
        column::<Uuid>(&admin, "SELECT id FROM work.tasks WHERE tenant_id = $1 AND status = 'blocked'", &[&acme])
            .await
            .into_iter()
            .collect();
    let query_row = *theirs.iter().next().unwrap();
    let found = similar(&db, acme, olivia, query_row, r#"{"status": "blocked"}"#).await;
    assert_eq!(found.len(), 10);
    assert!(found.iter().all(|id| blocked.contains(id)), "only A's blocked tasks: {found:?}");
}

#[tokio::test]
async fn similarity_search_recalls_the_exact_neighbours_for_a_large_and_a_small_tenant() {
    let db = TestDb::new().await;
    if !embeddings_installed(&db, "similarity_search_recalls_the_exact_neighbours_for_a_large_and_a_small_tenant").await
    {
        return;
    }
    let seeded = db.seeded().await;
    let (large, olivia) = (seeded.tenant("acme"), seeded.user("olivia@acme.com"));
    let small = seeded.tenant("tech-startup");
    let small_owner: Uuid = db
        .admin()
        .await
        .query_one("SELECT user_id FROM tenancy.memberships WHERE tenant_id = $1 AND role = 'owner' LIMIT 1", &[&small])
        .await
        .unwrap()
        .get(0);
    let admin = db.admin().await;
    // Over the functions' exact-search threshold (1000), so the large tenant goes through HNSW.
    tasks_with_embeddings(&admin, large, 1200, 0.3).await;
    tasks_with_embeddings(&admin, small, 40, 0.4).await;
    for (tenant, user, queries) in [(large, olivia, 20), (small, small_owner, 10)] {
        let rows: Vec<Uuid> = column::<Uuid>(
            &admin,
            "SELECT id FROM embeddings.tasks WHERE tenant_id = $1 ORDER BY id LIMIT $2",
            &[&tenant, &(queries as i64)],
        )
        .await;
        let (mut hits, mut wanted) = (0, 0);
        for query_row in rows {
            let exact: HashSet<Uuid> = column::<Uuid>(
                &admin,
                "SELECT e.id FROM embeddings.tasks e, embeddings.tasks q
                 WHERE q.id = $1 AND e.tenant_id = $2
                 ORDER BY (e.embedding OPERATOR(embeddings.<=>) q.embedding) + 0 LIMIT 10",
                &[&query_row, &tenant],
            )
            .await
            .into_iter()
            .collect();
            let found = similar(&db, tenant, user, query_row, "{}").await;
            assert_eq!(found.len(), 10, "k rows for every tenant");
            hits += found.iter().filter(|id| exact.contains(id)).count();
            wanted += exact.len();
        }
        let recall = hits as f64 / wanted as f64;
        println!("recall@10 of tenant {tenant}: {recall:.3}");
        assert!(recall >= 0.95, "recall@10 {recall:.3} below 0.95");
    }
}

#[tokio::test]
async fn the_attack_queries_search_functions_with_the_other_tenants_vectors() {
    let db = TestDb::new().await;
    if !embeddings_installed(&db, "the_attack_queries_search_functions_with_the_other_tenants_vectors").await {
        return;
    }
    let seeded = db.seeded().await;
    let actors = Actors {
        tenant_a: seeded.tenant("acme"),
        owner_a: seeded.user("olivia@acme.com"),
        viewer_a: seeded.user("victor@acme.com"),
        tenant_b: seeded.tenant("tech-startup"),
    };
    let admin = db.admin().await;
    // Planted: a definer search without the tenant filter. Only a query equal to one of B's
    // vectors finds B's row, so only an attack that queries with B's vectors sees the leak.
    admin
        .batch_execute(
            "CREATE SCHEMA scratch;
             GRANT USAGE ON SCHEMA scratch TO tenantbase_app;
             CREATE FUNCTION scratch.same_vector(query embeddings.vector) RETURNS SETOF uuid
                 LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
                 AS $$ SELECT id FROM embeddings.tasks
                       WHERE (embedding OPERATOR(embeddings.<=>) query) < 1e-9 $$;
             GRANT EXECUTE ON FUNCTION scratch.same_vector(embeddings.vector) TO tenantbase_app;",
        )
        .await
        .unwrap();
    let findings = attack::run(&admin, &db.target.app, &db.signer(), actors).await.unwrap();
    let verdict = |object: &str| findings.iter().find(|f| f.table == object).map(|f| f.verdict.clone());
    assert_eq!(verdict("scratch.same_vector(embeddings.vector)"), Some(Verdict::Leak), "{findings:?}");
    for table in ["content_projects", "messages", "tasks"] {
        let search = format!("embeddings.similar_{table}(embeddings.vector,integer,jsonb)");
        assert_eq!(verdict(&search), Some(Verdict::Blocked), "{search}: {findings:?}");
        assert_eq!(verdict(&format!("embeddings.{table}")), Some(Verdict::Blocked), "{findings:?}");
    }
}

/// The HTTP routes: a row's vector written with the parent's write rule (a viewer
/// searches but never writes), a wrong dimension refused with nothing written, and
/// A's search answering A's rows only, even for B's vectors. Without pgvector the
/// routes answer 501.
#[tokio::test]
async fn the_api_writes_vectors_and_searches_inside_the_tenant() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let other = s.tenant("tech-startup");
    let alice = s.login("alice@acme.com").await;
    let victor = s.login("victor@acme.com").await;
    let similar_url = format!("/v1/tenants/{acme}/tasks/similar");
    if !embeddings_installed(&s.db, "the_api_writes_vectors_and_searches_inside_the_tenant").await {
        let (status, body) = s.call(Method::POST, &similar_url, Some(&alice), Some(json!({ "vector": [0.1] }))).await;
        assert_eq!((status, problem_type(&body)), (StatusCode::NOT_IMPLEMENTED, "not-installed"), "{body}");
        return;
    }
    let admin = s.db.admin().await;
    tasks_with_embeddings(&admin, acme, 30, 0.3).await;
    tasks_with_embeddings(&admin, other, 30, 0.4).await;
    let dimension: i32 = admin
        .query_one(
            "SELECT atttypmod FROM pg_attribute WHERE attrelid = 'embeddings.tasks'::regclass AND attname = 'embedding'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    let stored = |tenant: Uuid| {
        let admin = &admin;
        async move {
            column::<Uuid>(admin, "SELECT id FROM embeddings.tasks WHERE tenant_id = $1", &[&tenant])
                .await
                .into_iter()
                .collect::<HashSet<Uuid>>()
        }
    };
    // A task of A without a vector (the demo seed may have given every task one).
    let bare: Uuid =
        admin.query_one("SELECT id FROM work.tasks WHERE tenant_id = $1 LIMIT 1", &[&acme]).await.unwrap().get(0);
    admin.execute("DELETE FROM embeddings.tasks WHERE tenant_id = $1 AND id = $2", &[&acme, &bare]).await.unwrap();
    let (ours, theirs) = (stored(acme).await, stored(other).await);
    let put_url = format!("/v1/tenants/{acme}/tasks/{bare}/embedding");
    let vector = |n: i32| json!(vec![0.25; n as usize]);

    let (status, body) =
        s.call(Method::PUT, &put_url, Some(&alice), Some(json!({ "vector": vector(dimension + 1) }))).await;
    assert_eq!((status, body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("vector")), "{body}");
    assert!(body["detail"].as_str().unwrap().contains(&format!("{dimension} dimensions")), "{body}");
    let (status, body) =
        s.call(Method::PUT, &put_url, Some(&victor), Some(json!({ "vector": vector(dimension) }))).await;
    assert_eq!(
        (status, problem_type(&body)),
        (StatusCode::FORBIDDEN, "forbidden"),
        "a viewer writes no vector: {body}"
    );
    assert_eq!(stored(acme).await, ours, "nothing written");
    let (status, body) =
        s.call(Method::PUT, &put_url, Some(&alice), Some(json!({ "vector": vector(dimension), "model": "m1" }))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(stored(acme).await.contains(&bare));
    let their_task = theirs.iter().next().unwrap();
    let (status, _) = s
        .call(
            Method::PUT,
            &format!("/v1/tenants/{acme}/tasks/{their_task}/embedding"),
            Some(&alice),
            Some(json!({ "vector": vector(dimension) })),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "B's row is not A's to embed");

    // B's own vectors as queries, by A's viewer: A's nearest rows only.
    for row in theirs.iter().take(3) {
        let query: String =
            admin.query_one("SELECT embedding::text FROM embeddings.tasks WHERE id = $1", &[row]).await.unwrap().get(0);
        let query: Value = serde_json::from_str(&query).unwrap();
        let (status, body) = s.call(Method::POST, &similar_url, Some(&victor), Some(json!({ "vector": query }))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let found: Vec<Uuid> =
            body["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().parse().unwrap()).collect();
        assert_eq!(found.len(), 10, "{body}");
        assert!(found.iter().all(|id| ours.contains(id) || *id == bare), "only A's rows: {found:?}");
    }
    let (status, body) = s
        .call(
            Method::POST,
            &similar_url,
            Some(&victor),
            Some(json!({ "vector": vector(dimension), "limit": 5, "filter": { "status": "blocked" } })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let blocked: HashSet<Uuid> =
        column::<Uuid>(&admin, "SELECT id FROM work.tasks WHERE tenant_id = $1 AND status = 'blocked'", &[&acme])
            .await
            .into_iter()
            .collect();
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 5, "{body}");
    assert!(items.iter().all(|i| blocked.contains(&i["id"].as_str().unwrap().parse().unwrap())), "{body}");
    let (status, _) =
        s.call(Method::POST, &similar_url, Some(&victor), Some(json!({ "vector": vector(dimension - 1) }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}
