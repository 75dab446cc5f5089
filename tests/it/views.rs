//! The product designs' dashboard views (docs/design.md) are security_invoker: they read under the
//! caller's policies, and their figures match the rows.

use tenantbase::db::TenantCtx;
use uuid::Uuid;

use crate::common::TestDb;

#[tokio::test]
async fn the_dashboard_views_read_under_the_callers_policies() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let acme = seeded.tenant("acme");
    let pool = db.app_pool(1);
    let mut tx = pool.tenant_tx(&TenantCtx::new(acme, seeded.user("victor@acme.com"))).await.unwrap();
    let dashboard = tx
        .query("SELECT tenant_id, pending_tasks, total_products, orders_today, revenue_30d::text FROM analytics.tenant_dashboard", &[])
        .await
        .unwrap();
    assert_eq!(dashboard.len(), 1, "one row: the acting tenant's");
    let row = &dashboard[0];
    assert_eq!(row.get::<_, Uuid>(0), acme);
    assert_eq!((row.get::<_, i64>(1), row.get::<_, i64>(2)), (1, 2), "one pending AI task, two products");
    let revenue: String = tx
        .query_one(
            "SELECT sum(total_amount)::text FROM commerce.orders WHERE order_date >= current_date - 30
                    AND status NOT IN ('cancelled', 'refunded')",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(row.get::<_, String>(4), revenue, "revenue counts neither cancelled nor refunded orders");
    for view in ["analytics.task_performance", "analytics.project_dashboard"] {
        let tenants: Vec<Uuid> = tx
            .query(&format!("SELECT DISTINCT tenant_id FROM {view}"), &[])
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(tenants, [acme], "{view} shows the acting tenant only");
    }
    let project = tx
        .query_one("SELECT total_tasks, completed_tasks, current_requirements, open_approval_requests FROM analytics.project_dashboard", &[])
        .await
        .unwrap();
    assert_eq!(
        (project.get::<_, i64>(0), project.get::<_, i64>(1), project.get::<_, i64>(2), project.get::<_, i64>(3)),
        (3, 1, 2, 1),
        "three tasks (one completed), two current requirement versions, one open request"
    );
}
