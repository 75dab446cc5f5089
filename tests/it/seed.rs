//! The seeds: the demo seed fills every business table of every demo tenant and
//! changes nothing the second time; the scale seed loads a skewed data set with
//! the database's rules applied, with or without a per-row audit trail.

use tenantbase::isolation::catalog;
use tenantbase::seed::scale::{self, ScaleOptions};

use crate::common::TestDb;

/// Rows per tenant table and demo tenant, and every tenant's credits.
async fn snapshot(admin: &tokio_postgres::Client) -> Vec<String> {
    let mut lines = Vec::new();
    for table in catalog::tenant_tables(admin).await.unwrap() {
        if table.is_partition {
            continue;
        }
        let rows = admin
            .query(
                &format!(
                    "SELECT t.slug::text, count(x.*) FROM tenancy.tenants t LEFT JOIN {} x ON x.{} = t.id GROUP BY 1 ORDER BY 1",
                    table.name, table.tenant_column
                ),
                &[],
            )
            .await
            .unwrap();
        for row in rows {
            lines.push(format!("{} {} {}", table.name, row.get::<_, String>(0), row.get::<_, i64>(1)));
        }
    }
    for row in
        admin.query("SELECT slug::text || ' ' || credits_balance FROM tenancy.tenants ORDER BY 1", &[]).await.unwrap()
    {
        lines.push(row.get(0));
    }
    lines
}

#[tokio::test]
async fn the_demo_seed_fills_every_business_table_for_every_demo_tenant_and_is_idempotent() {
    let db = TestDb::new().await;
    db.seeded().await;
    let admin = db.admin().await;
    let first = snapshot(&admin).await;
    let empty: Vec<&String> = first.iter().filter(|l| l.ends_with(" 0") && !l.starts_with("tenancy.")).collect();
    assert!(empty.is_empty(), "business tables without demo rows: {empty:?}");
    db.seeded().await;
    assert_eq!(first, snapshot(&admin).await, "a second seed changes nothing");
}

#[tokio::test]
async fn the_scale_seed_loads_a_skewed_data_set_with_the_rules_applied() {
    let db = TestDb::new().await;
    let options = ScaleOptions { tenants: 6, rows_per_tenant: 300, seed: 7, progress: false, audit: true };
    let report = scale::seed_scale(&db.target, &options).await.unwrap();
    assert_eq!(report.tenants, 6);
    assert!(report.rows >= 6 * 300 * 9 / 10, "about tenants x rows-per-tenant rows: {}", report.rows);
    assert!(report.rows_per_second() > 0.0);

    let admin = db.admin().await;
    let sizes: Vec<i64> = admin
        .query(
            "SELECT count(o.*) FROM tenancy.tenants t LEFT JOIN commerce.orders o ON o.tenant_id = t.id
             WHERE t.slug LIKE 'scale-%' GROUP BY t.id, t.name ORDER BY split_part(t.name, ' ', 3)::int",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(sizes.len(), 6);
    assert!(sizes[0] >= 5 * sizes[5], "Zipf: the first tenant is far larger than the last: {sizes:?}");

    let drifted: i64 = admin
        .query_one(
            "SELECT count(*) FROM commerce.customers c
             CROSS JOIN LATERAL (
                 SELECT count(*) FILTER (WHERE status NOT IN ('cancelled', 'refunded')) AS total_orders,
                        coalesce(sum(total_amount) FILTER (WHERE status NOT IN ('cancelled', 'refunded')), 0) AS total_spent
                 FROM commerce.orders o WHERE o.tenant_id = c.tenant_id AND o.customer_id = c.id) r
             WHERE (c.total_orders, c.total_spent) IS DISTINCT FROM (r.total_orders, r.total_spent)",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(drifted, 0, "customer metrics follow the bulk-loaded orders");
    let uncharged: i64 = admin
        .query_one(
            "SELECT count(*) FROM agents.tasks t
             WHERE t.status = 'completed'
               AND (SELECT count(*) FROM agents.credit_ledger l WHERE l.tenant_id = t.tenant_id AND l.task_id = t.id) <> 1",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(uncharged, 0, "every bulk-loaded completed task is charged once");
}

#[tokio::test]
async fn the_scale_seed_without_audit_records_the_switches_not_the_rows_and_turns_auditing_back_on() {
    let db = TestDb::new().await;
    let options = ScaleOptions { tenants: 3, rows_per_tenant: 200, seed: 5, progress: false, audit: false };
    let report = scale::seed_scale(&db.target, &options).await.unwrap();
    assert!(report.rows > 0);

    let admin = db.admin().await;
    crate::common::seal_everything(&admin).await;
    let count = |sql: &'static str| {
        let admin = &admin;
        async move { admin.query_one(sql, &[]).await.unwrap().get::<_, i64>(0) }
    };
    assert!(count("SELECT count(*) FROM commerce.orders o JOIN tenancy.tenants t ON t.id = o.tenant_id WHERE t.slug LIKE 'scale-%'").await > 0);
    assert_eq!(
        count("SELECT count(*) FROM audit.log l JOIN tenancy.tenants t ON t.id = l.tenant_id WHERE t.slug LIKE 'scale-%' AND l.table_name = 'commerce.orders'").await,
        0,
        "no per-row entries for the bulk-loaded rows"
    );
    assert_eq!(
        count("SELECT count(*) FROM audit.audited_tables() WHERE NOT enabled").await,
        0,
        "auditing is back on everywhere"
    );
    assert_eq!(
        count("SELECT count(*) FROM audit.platform_log WHERE event_action IN ('audit.disabled', 'audit.enabled')")
            .await,
        2,
        "both switches are on the platform chain"
    );

    let mut admin = db.admin().await;
    let today = db.target.clock.today();
    let verified = tenantbase::audit::verify(&mut admin, None, today, &indicatif::ProgressBar::hidden()).await.unwrap();
    assert!(verified.is_intact(), "every chain still verifies");
}
