//! The product designs' indexed query patterns (docs/design.md) are served under RLS: as the app role,
//! with only the policy to say which tenant, each query's plan can use its
//! tenant-leading index. The data is the scale seed's (so the planner has
//! statistics of a real skew), the tenant its largest, and sequential scans are
//! switched off to ask whether the index can serve, not whether it pays.

use tenantbase::db::TenantCtx;
use tenantbase::seed::scale::{self, ScaleOptions};
use uuid::Uuid;

use crate::common::TestDb;

/// (query as the app writes it, the index that serves it)
const PATTERNS: &[(&str, &str)] = &[
    ("SELECT id FROM agents.tasks WHERE status = 'pending' ORDER BY priority, created_at LIMIT 10", "tasks_pending_idx"),
    ("SELECT id FROM agents.tasks WHERE type = 'order.process_batch'", "tasks_type_idx"),
    ("SELECT id FROM commerce.orders WHERE status = 'refunded' AND order_date > now() - interval '3 days'", "orders_status_date_idx"),
    ("SELECT id FROM commerce.orders WHERE requires_attention ORDER BY order_date", "orders_requires_attention_idx"),
    ("SELECT id FROM commerce.orders WHERE customer_id = (SELECT id FROM commerce.customers LIMIT 1) ORDER BY order_date",
     "orders_customer_date_idx"),
    ("SELECT id FROM commerce.customers WHERE customer_segment = 'VIP'", "customers_segment_idx"),
    ("SELECT id FROM commerce.products WHERE sku = 'SKU-000042'", "products_sku_idx"),
    ("SELECT id FROM content.content_projects WHERE content_type = 'newsletter'", "content_projects_type_idx"),
    ("SELECT id FROM work.tasks WHERE project_id = (SELECT id FROM work.projects LIMIT 1) AND status = 'blocked'",
     "tasks_project_status_idx"),
    ("SELECT id FROM work.tasks WHERE (project_id, parent_task_id) = (SELECT project_id, parent_task_id FROM work.tasks
                                                                      WHERE parent_task_id IS NOT NULL LIMIT 1)
      ORDER BY sequence_order",
     "tasks_parent_sequence_idx"),
    ("SELECT id FROM analytics.analytics_events WHERE event_type = 'signup' AND occurred_at > now() - interval '2 days'",
     "tenant_id_event_type_occurred_at_idx"),
];

#[tokio::test]
async fn documented_query_patterns_can_use_their_tenant_leading_index_under_rls() {
    let db = TestDb::new().await;
    let options = ScaleOptions { tenants: 4, rows_per_tenant: 4000, seed: 3, progress: false, audit: false };
    scale::seed_scale(&db.target, &options).await.unwrap();
    let largest = db
        .admin()
        .await
        .query_one(
            "SELECT t.id, t.created_by FROM tenancy.tenants t JOIN commerce.orders o ON o.tenant_id = t.id
             GROUP BY t.id, t.created_by ORDER BY count(*) DESC LIMIT 1",
            &[],
        )
        .await
        .unwrap();
    let (tenant, owner): (Uuid, Uuid) = (largest.get(0), largest.get(1));

    let pool = db.app_pool(1);
    let mut tx = pool.tenant_tx(&TenantCtx::new(tenant, owner)).await.unwrap();
    tx.execute("SET LOCAL enable_seqscan = off", &[]).await.unwrap();
    let mut unserved = Vec::new();
    for (query, index) in PATTERNS {
        let plan: String = tx
            .query(&format!("EXPLAIN {query}"), &[])
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<_, String>(0) + "\n")
            .collect();
        if !plan.lines().any(|l| l.contains("Index") && l.contains(index)) {
            unserved.push(format!("{query}\nexpected {index}:\n{plan}"));
        }
    }
    assert!(unserved.is_empty(), "{}", unserved.join("\n"));
}
