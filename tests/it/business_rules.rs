//! The business rules the database keeps, under concurrency: customer metrics,
//! credits, task graphs, approvals, and every CHECK constraint of the business
//! modules, each refused with its name.

use std::collections::HashSet;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tenantbase::db::{Db, DbError, TenantCtx};
use tenantbase::seed::demo::Seeded;
use tokio_postgres::Client;
use uuid::Uuid;

use crate::common::TestDb;

struct Acme {
    db: TestDb,
    seeded: Seeded,
    tenant: Uuid,
    pool: Db,
}

impl Acme {
    async fn new(pool_size: usize) -> Acme {
        let db = TestDb::new().await;
        let seeded = db.seeded().await;
        let tenant = seeded.tenant("acme");
        let pool = db.app_pool(pool_size);
        Acme { db, seeded, tenant, pool }
    }

    fn as_user(&self, email: &str) -> TenantCtx {
        TenantCtx::new(self.tenant, self.seeded.user(email))
    }

    fn olivia(&self) -> TenantCtx {
        self.as_user("olivia@acme.com")
    }

    /// One statement in its own transaction as `ctx`, returning the rows.
    async fn run(
        &self,
        ctx: &TenantCtx,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<Vec<tokio_postgres::Row>, DbError> {
        let mut tx = self.pool.tenant_tx(ctx).await?;
        let rows = tx.query(sql, params).await?;
        tx.commit().await?;
        Ok(rows)
    }
}

fn constraint_of(result: Result<Vec<tokio_postgres::Row>, DbError>) -> String {
    let err = result.expect_err("the statement should be refused");
    err.constraint().map(str::to_string).unwrap_or_else(|| format!("no constraint: {err:?}"))
}

// ---------------------------------------------------------------- customer metrics

#[tokio::test]
async fn customer_metrics_equal_a_full_recomputation_after_concurrent_order_writes() {
    let acme = Acme::new(8).await;
    let olivia = acme.olivia();
    let mut customers = Vec::new();
    for n in 0..4 {
        let row = acme
            .run(
                &olivia,
                "INSERT INTO commerce.customers (tenant_id, email) VALUES ($1, $2) RETURNING id",
                &[&acme.tenant, &format!("buyer{n}@example.com")],
            )
            .await
            .unwrap();
        customers.push(row[0].get::<_, Uuid>(0));
    }

    // The writers pick among their own orders (external ids w<writer>-<op>), unshipped, so any date is valid.
    const WRITERS: u64 = 12;
    const OPS: usize = 30;
    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        let (pool, ctx, tenant, customers) = (acme.pool.clone(), olivia.clone(), acme.tenant, customers.clone());
        writers.push(tokio::spawn(async move {
            let mut rng = StdRng::seed_from_u64(writer);
            let mut kinds = HashSet::new();
            for op in 0..OPS {
                let customer = customers[rng.gen_range(0..customers.len())];
                let amount = format!("{}.{:02}", rng.gen_range(1..500), rng.gen_range(0..100));
                let days = rng.gen_range(0..60);
                let kind = if op < 5 { 0 } else { rng.gen_range(0..8) };
                let (sql, params): (&str, Vec<Box<dyn tokio_postgres::types::ToSql + Sync + Send>>) = match kind {
                    0 | 1 => (
                        "INSERT INTO commerce.orders (tenant_id, customer_id, external_id, total_amount, status, order_date, line_items)
                         VALUES ($1, $2, $3, $4::text::numeric, 'confirmed', now() - make_interval(days => $5), '[]')",
                        vec![Box::new(tenant), Box::new(customer), Box::new(format!("w{writer}-{op}")), Box::new(amount), Box::new(days)],
                    ),
                    2 => (
                        "UPDATE commerce.orders SET total_amount = $2::text::numeric
                         WHERE tenant_id = $1 AND id = (SELECT id FROM commerce.orders WHERE tenant_id = $1 AND external_id LIKE 'w%' ORDER BY random() LIMIT 1)",
                        vec![Box::new(tenant), Box::new(amount)],
                    ),
                    3 => (
                        "UPDATE commerce.orders SET status = (ARRAY['cancelled', 'refunded', 'delivered'])[1 + $2 % 3]
                         WHERE tenant_id = $1 AND id = (SELECT id FROM commerce.orders WHERE tenant_id = $1 AND external_id LIKE 'w%' ORDER BY random() LIMIT 1)",
                        vec![Box::new(tenant), Box::new(days)],
                    ),
                    4 => (
                        "UPDATE commerce.orders SET customer_id = $2
                         WHERE tenant_id = $1 AND id = (SELECT id FROM commerce.orders WHERE tenant_id = $1 AND external_id LIKE 'w%' ORDER BY random() LIMIT 1)",
                        vec![Box::new(tenant), Box::new(customer)],
                    ),
                    5 => (
                        "UPDATE commerce.orders SET order_date = now() - make_interval(days => $2)
                         WHERE tenant_id = $1 AND id = (SELECT id FROM commerce.orders WHERE tenant_id = $1 AND external_id LIKE 'w%' ORDER BY random() LIMIT 1)",
                        vec![Box::new(tenant), Box::new(days)],
                    ),
                    6 => (
                        "DELETE FROM commerce.orders
                         WHERE tenant_id = $1 AND id = (SELECT id FROM commerce.orders WHERE tenant_id = $1 AND external_id LIKE 'w%' ORDER BY random() LIMIT 1)",
                        vec![Box::new(tenant)],
                    ),
                    _ => (
                        // Many rows in one statement: every order of one customer is refunded or re-confirmed.
                        "UPDATE commerce.orders SET status = CASE WHEN $3 % 2 = 0 THEN 'refunded' ELSE 'confirmed' END
                         WHERE tenant_id = $1 AND customer_id = $2",
                        vec![Box::new(tenant), Box::new(customer), Box::new(days)],
                    ),
                };
                let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
                    params.iter().map(|p| p.as_ref() as &(dyn tokio_postgres::types::ToSql + Sync)).collect();
                // Two multi-row updates may lock the same orders in opposite orders:
                // PostgreSQL breaks the deadlock and, like any client, the writer retries.
                for attempt in 1.. {
                    let mut tx = pool.tenant_tx(&ctx).await.unwrap();
                    match tx.execute(sql, &refs).await {
                        Ok(_) => {
                            tx.commit().await.unwrap();
                            break;
                        }
                        Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::T_R_DEADLOCK_DETECTED) && attempt < 10 => continue,
                        // A status change the order's lifecycle does not allow changes nothing.
                        Err(e) if e.constraint().is_some_and(|c| c.ends_with("_lifecycle")) => break,
                        Err(e) => panic!("writer {writer} op {op} ({sql}): {e:?}"),
                    }
                }
                kinds.insert(kind);
            }
            kinds
        }));
    }
    let mut kinds = HashSet::new();
    for w in writers {
        kinds.extend(w.await.unwrap());
    }
    assert_eq!(kinds.len(), 8, "every kind of order write ran: {kinds:?}");

    let admin = acme.db.admin().await;
    let mismatches: Vec<String> = admin
        .query(
            "SELECT c.email::text || ': kept ' || row(c.total_orders, c.total_spent, c.average_order_value, c.first_order_at, c.last_order_at)::text
                    || ' recomputed ' || row(r.total_orders, r.total_spent, r.average_order_value, r.first_order_at, r.last_order_at)::text
             FROM commerce.customers c
             CROSS JOIN LATERAL (
                 SELECT count(*) FILTER (WHERE o.status NOT IN ('cancelled', 'refunded')) AS total_orders,
                        coalesce(sum(o.total_amount) FILTER (WHERE o.status NOT IN ('cancelled', 'refunded')), 0) AS total_spent,
                        CASE WHEN count(*) FILTER (WHERE o.status NOT IN ('cancelled', 'refunded')) > 0
                             THEN round(sum(o.total_amount) FILTER (WHERE o.status NOT IN ('cancelled', 'refunded'))
                                        / count(*) FILTER (WHERE o.status NOT IN ('cancelled', 'refunded')), 2)
                             ELSE 0 END AS average_order_value,
                        min(o.order_date) AS first_order_at, max(o.order_date) AS last_order_at
                 FROM commerce.orders o WHERE o.tenant_id = c.tenant_id AND o.customer_id = c.id) r
             WHERE row(c.total_orders, c.total_spent, c.average_order_value, c.first_order_at, c.last_order_at)
                   IS DISTINCT FROM row(r.total_orders, r.total_spent, r.average_order_value, r.first_order_at, r.last_order_at)",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(mismatches.is_empty(), "metrics drifted from their orders:\n{}", mismatches.join("\n"));
    let orders: i64 = admin
        .query_one("SELECT count(*) FROM commerce.orders WHERE tenant_id = $1", &[&acme.tenant])
        .await
        .unwrap()
        .get(0);
    assert!(orders > 0, "the writers left orders to compare");
}

#[tokio::test]
async fn the_app_cannot_write_customer_metrics_and_a_new_customer_starts_empty() {
    let acme = Acme::new(2).await;
    let olivia = acme.olivia();
    let refused = acme.run(&olivia, "UPDATE commerce.customers SET total_spent = 1000000", &[]).await.unwrap_err();
    assert_eq!(refused.code().unwrap().code(), "42501");
    let row = acme
        .run(&olivia, "INSERT INTO commerce.customers (tenant_id, email, total_orders, total_spent) VALUES ($1, 'x@example.com', 7, 700)
                       RETURNING total_orders, total_spent::text", &[&acme.tenant])
        .await
        .unwrap();
    assert_eq!((row[0].get::<_, i32>(0), row[0].get::<_, String>(1)), (0, "0.00".to_string()));
}

// ---------------------------------------------------------------- credits

async fn set_credits(acme: &Acme, balance: i32, threshold: i32) {
    acme.db
        .admin()
        .await
        .execute(
            "UPDATE tenancy.tenants SET credits_balance = $2, low_credit_threshold = $3, credits_used_this_month = 0 WHERE id = $1",
            &[&acme.tenant, &balance, &threshold],
        )
        .await
        .unwrap();
}

/// (balance, used this month)
async fn credits(admin: &Client, tenant: Uuid) -> (i32, i32) {
    let r = admin
        .query_one("SELECT credits_balance, credits_used_this_month FROM tenancy.tenants WHERE id = $1", &[&tenant])
        .await
        .unwrap();
    (r.get(0), r.get(1))
}

async fn new_ai_tasks(acme: &Acme, n: usize, estimated: i32, actual: Option<i32>) -> Vec<Uuid> {
    let mut ids = Vec::new();
    for i in 0..n {
        let row = acme
            .run(
                &acme.olivia(),
                "INSERT INTO agents.tasks (tenant_id, type, category, name, input, estimated_cost, actual_cost, status)
                 VALUES ($1, 'content.write_blog_post', 'content', $2, '{}', $3, $4, 'processing') RETURNING id",
                &[&acme.tenant, &format!("task {i}"), &estimated, &actual],
            )
            .await
            .unwrap();
        ids.push(row[0].get(0));
    }
    ids
}

#[tokio::test]
async fn concurrent_completions_charge_each_task_once_and_never_overdraw() {
    let acme = Acme::new(8).await;
    set_credits(&acme, 100, 10).await;
    let tasks = new_ai_tasks(&acme, 30, 7, None).await;

    // Ten writers complete every task, each in its own order: every task is completed ten times over.
    let mut writers = Vec::new();
    for writer in 0..10u64 {
        let (pool, ctx, tenant) = (acme.pool.clone(), acme.olivia(), acme.tenant);
        let mut order = tasks.clone();
        let mut rng = StdRng::seed_from_u64(writer);
        for i in (1..order.len()).rev() {
            order.swap(i, rng.gen_range(0..=i));
        }
        writers.push(tokio::spawn(async move {
            for task in order {
                let mut tx = pool.tenant_tx(&ctx).await.unwrap();
                tx.execute(
                    "UPDATE agents.tasks SET status = 'completed', completed_at = now()
                     WHERE tenant_id = $1 AND id = $2 AND status IN ('processing', 'completed')",
                    &[&tenant, &task],
                )
                .await
                .unwrap();
                tx.commit().await.unwrap();
            }
        }));
    }
    for w in writers {
        w.await.unwrap();
    }

    let admin = acme.db.admin().await;
    let (balance, used): (i32, i32) = {
        let r = admin
            .query_one(
                "SELECT credits_balance, credits_used_this_month FROM tenancy.tenants WHERE id = $1",
                &[&acme.tenant],
            )
            .await
            .unwrap();
        (r.get(0), r.get(1))
    };
    let charges: Vec<(Uuid, i32)> = admin
        .query("SELECT task_id, amount FROM agents.credit_ledger WHERE tenant_id = $1 AND kind = 'charge' AND task_id = ANY ($2)", &[&acme.tenant, &tasks])
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let charged: HashSet<Uuid> = charges.iter().map(|(t, _)| *t).collect();
    assert_eq!(charged.len(), charges.len(), "no task is charged twice");
    assert_eq!(charges.len(), 14, "100 credits pay for 14 tasks of 7");
    assert_eq!(balance, 100 - 14 * 7);
    assert_eq!(used, 14 * 7);
    assert!(charges.iter().all(|(_, amount)| *amount == -7));

    let statuses: Vec<(Uuid, String)> = admin
        .query(
            "SELECT id, status::text FROM agents.tasks WHERE tenant_id = $1 AND id = ANY ($2)",
            &[&acme.tenant, &tasks],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    for (task, status) in &statuses {
        let expected = if charged.contains(task) { "completed" } else { "awaiting_credits" };
        assert_eq!(status, expected, "task {task}");
    }
    let low: i64 = admin
        .query_one(
            "SELECT count(*) FROM analytics.analytics_events WHERE tenant_id = $1 AND event_name = 'low_credits'",
            &[&acme.tenant],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(low, 1, "the low-credit event is recorded once, when the balance falls below the threshold");
    let parked: i64 = admin
        .query_one(
            "SELECT count(DISTINCT properties ->> 'task_id') FROM analytics.analytics_events
                    WHERE tenant_id = $1 AND event_name = 'credits_insufficient'",
            &[&acme.tenant],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(parked, 16, "every parked task is recorded");
}

#[tokio::test]
async fn the_actual_cost_is_charged_else_the_estimate_and_parked_tasks_complete_when_credits_return() {
    let acme = Acme::new(2).await;
    set_credits(&acme, 20, 5).await;
    let actual = new_ai_tasks(&acme, 1, 9, Some(4)).await[0];
    let estimated = new_ai_tasks(&acme, 1, 9, None).await[0];
    let expensive = new_ai_tasks(&acme, 1, 15, None).await[0];
    let olivia = acme.olivia();
    let complete =
        "UPDATE agents.tasks SET status = 'completed' WHERE tenant_id = $1 AND id = $2 RETURNING status::text";
    let status = |rows: Vec<tokio_postgres::Row>| rows[0].get::<_, String>(0);
    assert_eq!(status(acme.run(&olivia, complete, &[&acme.tenant, &actual]).await.unwrap()), "completed");
    assert_eq!(status(acme.run(&olivia, complete, &[&acme.tenant, &estimated]).await.unwrap()), "completed");
    assert_eq!(status(acme.run(&olivia, complete, &[&acme.tenant, &expensive]).await.unwrap()), "awaiting_credits");

    let admin = acme.db.admin().await;
    assert_eq!(credits(&admin, acme.tenant).await, (20 - 4 - 9, 13));

    // The app can neither grant itself credits nor write the ledger.
    let refused = acme.run(&olivia, "UPDATE tenancy.tenants SET credits_balance = 1000000", &[]).await.unwrap_err();
    assert_eq!(refused.code().unwrap().code(), "42501");
    let refused = acme
        .run(
            &olivia,
            "INSERT INTO agents.credit_ledger (tenant_id, kind, amount, balance_after, used_this_month_after)
                       VALUES ($1, 'top_up', 100, 100, 0)",
            &[&acme.tenant],
        )
        .await
        .unwrap_err();
    assert_eq!(refused.code().unwrap().code(), "42501");

    let released: i32 = admin.query_one("SELECT platform.add_credits($1, 10)", &[&acme.tenant]).await.unwrap().get(0);
    assert_eq!(released, 1, "the parked task completes once the credits are there");
    assert_eq!(credits(&admin, acme.tenant).await, (7 + 10 - 15, 28));

    let month = "SELECT platform.reset_monthly_credits(date_trunc('month', now())::date)";
    let reset: i32 = admin.query_one(month, &[]).await.unwrap().get(0);
    assert!(reset >= 4, "every demo tenant is reset");
    assert_eq!(credits(&admin, acme.tenant).await, (2, 0));
    let again: i32 = admin.query_one(month, &[]).await.unwrap().get(0);
    assert_eq!(again, 0, "a month is reset once");
    let kinds: Vec<String> = admin
        .query(
            "SELECT kind::text FROM agents.credit_ledger WHERE tenant_id = $1 ORDER BY created_at, kind",
            &[&acme.tenant],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(kinds, ["charge", "charge", "charge", "charge", "top_up", "monthly_reset"]);
}

#[tokio::test]
async fn a_monthly_limit_parks_completions_until_the_usage_resets() {
    let acme = Acme::new(2).await;
    set_credits(&acme, 500, 5).await;
    let admin = acme.db.admin().await;
    admin
        .execute(
            "UPDATE tenancy.tenants SET monthly_credit_limit = 10, credits_used_this_month = 8 WHERE id = $1",
            &[&acme.tenant],
        )
        .await
        .unwrap();
    let task = new_ai_tasks(&acme, 1, 5, None).await[0];
    let rows = acme
        .run(
            &acme.olivia(),
            "UPDATE agents.tasks SET status = 'completed' WHERE tenant_id = $1 AND id = $2 RETURNING status::text",
            &[&acme.tenant, &task],
        )
        .await
        .unwrap();
    assert_eq!(rows[0].get::<_, String>(0), "awaiting_credits", "8 + 5 would pass the limit of 10");
    admin.query_one("SELECT platform.reset_monthly_credits(date_trunc('month', now())::date)", &[]).await.unwrap();
    let r = admin
        .query_one("SELECT t.status::text, n.credits_used_this_month FROM agents.tasks t JOIN tenancy.tenants n ON n.id = t.tenant_id
                    WHERE t.tenant_id = $1 AND t.id = $2", &[&acme.tenant, &task])
        .await
        .unwrap();
    assert_eq!((r.get::<_, String>(0), r.get::<_, i32>(1)), ("completed".to_string(), 5));
}

// ---------------------------------------------------------------- task graphs

#[tokio::test]
async fn a_task_cannot_become_its_own_ancestor() {
    let acme = Acme::new(2).await;
    let olivia = acme.olivia();
    // Seeded: design <- build (parent design). Make design a child of build.
    let rows =
        acme.run(&olivia, "SELECT id FROM work.tasks WHERE parent_task_id IS NOT NULL LIMIT 1", &[]).await.unwrap();
    let child: Uuid = rows[0].get(0);
    let grandchild: Uuid = acme
        .run(&olivia, "INSERT INTO work.tasks (tenant_id, project_id, parent_task_id, title, created_by)
                       SELECT tenant_id, project_id, id, 'Grandchild', created_by FROM work.tasks WHERE id = $1 RETURNING id", &[&child])
        .await
        .unwrap()[0]
        .get(0);
    let root: Uuid =
        acme.run(&olivia, "SELECT parent_task_id FROM work.tasks WHERE id = $1", &[&child]).await.unwrap()[0].get(0);
    let refused =
        acme.run(&olivia, "UPDATE work.tasks SET parent_task_id = $1 WHERE id = $2", &[&grandchild, &root]).await;
    assert_eq!(constraint_of(refused), "tasks_no_ancestor_cycle");
    let refused = acme.run(&olivia, "UPDATE work.tasks SET parent_task_id = id WHERE id = $1", &[&root]).await;
    assert_eq!(constraint_of(refused), "tasks_no_self_reference");

    // The same rule on AI subtasks and on superseded decisions.
    let ai: Vec<Uuid> = acme
        .run(&olivia, "SELECT id FROM agents.tasks ORDER BY created_at, id LIMIT 2", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    acme.run(&olivia, "UPDATE agents.tasks SET parent_task_id = $1 WHERE id = $2", &[&ai[0], &ai[1]]).await.unwrap();
    let refused =
        acme.run(&olivia, "UPDATE agents.tasks SET parent_task_id = $1 WHERE id = $2", &[&ai[1], &ai[0]]).await;
    assert_eq!(constraint_of(refused), "tasks_no_ancestor_cycle");
    let refused = acme
        .run(
            &olivia,
            "UPDATE work.architecture_decisions d SET superseded_by = s.id, status = 'superseded'
                       FROM work.architecture_decisions s WHERE s.superseded_by = d.id",
            &[],
        )
        .await;
    assert_eq!(constraint_of(refused), "architecture_decisions_no_supersession_cycle");
}

#[tokio::test]
async fn a_dependency_that_closes_a_cycle_is_refused() {
    let acme = Acme::new(2).await;
    let olivia = acme.olivia();
    let tasks = new_ai_tasks(&acme, 3, 1, None).await;
    let depend = "INSERT INTO agents.task_dependencies (tenant_id, task_id, depends_on_id) VALUES ($1, $2, $3)";
    acme.run(&olivia, depend, &[&acme.tenant, &tasks[0], &tasks[1]]).await.unwrap();
    acme.run(&olivia, depend, &[&acme.tenant, &tasks[1], &tasks[2]]).await.unwrap();
    let refused = acme.run(&olivia, depend, &[&acme.tenant, &tasks[2], &tasks[0]]).await;
    assert_eq!(constraint_of(refused), "task_dependencies_no_cycle");
    let refused = acme.run(&olivia, depend, &[&acme.tenant, &tasks[2], &tasks[2]]).await;
    assert_eq!(constraint_of(refused), "task_dependencies_not_self");
    // A diamond is no cycle.
    acme.run(&olivia, depend, &[&acme.tenant, &tasks[0], &tasks[2]]).await.unwrap();
}

#[tokio::test]
async fn two_concurrent_edits_that_together_close_a_loop_never_both_commit() {
    let acme = Acme::new(4).await;
    let admin = acme.db.admin().await;
    let olivia = acme.olivia();
    let project: Uuid = acme.run(&olivia, "SELECT id FROM work.projects LIMIT 1", &[]).await.unwrap()[0].get(0);
    let mut pair = Vec::new();
    for title in ["A", "B"] {
        let row = acme
            .run(&olivia, "INSERT INTO work.tasks (tenant_id, project_id, title, created_by) VALUES ($1, $2, $3, $4) RETURNING id",
                 &[&acme.tenant, &project, &title, &acme.seeded.user("olivia@acme.com")])
            .await
            .unwrap();
        pair.push(row[0].get::<_, Uuid>(0));
    }
    let ai = new_ai_tasks(&acme, 2, 1, None).await;

    let cases: [(&str, [Uuid; 2], &str); 2] = [
        (
            "UPDATE work.tasks SET parent_task_id = $2 WHERE tenant_id = $1 AND id = $3",
            [pair[0], pair[1]],
            "tasks_no_ancestor_cycle",
        ),
        (
            "INSERT INTO agents.task_dependencies (tenant_id, depends_on_id, task_id) VALUES ($1, $2, $3)",
            [ai[0], ai[1]],
            "task_dependencies_no_cycle",
        ),
    ];
    for (sql, [x, y], rule) in cases {
        // First edge: x under y, not yet committed.
        let mut first = acme.pool.tenant_tx(&olivia).await.unwrap();
        first.execute(sql, &[&acme.tenant, &y, &x]).await.unwrap();
        // Second edge: y under x, which would close the loop; it must wait for the first.
        let (pool, ctx, tenant) = (acme.pool.clone(), olivia.clone(), acme.tenant);
        let second = tokio::spawn(async move {
            let mut tx = pool.tenant_tx(&ctx).await.unwrap();
            tx.execute(sql, &[&tenant, &x, &y]).await?;
            tx.commit().await
        });
        crate::common::until_waiting_for_a_lock(&admin, 1).await;
        first.commit().await.unwrap();
        let err = second.await.unwrap().expect_err("the second edge closes a loop");
        assert_eq!(err.constraint(), Some(rule), "{err:?}");
    }
}

// ---------------------------------------------------------------- approvals

struct Approval {
    request: Uuid,
}

/// A new request on the seeded sequential workflow (alice, then bob; two approvals needed),
/// or on a parallel copy of it.
async fn new_request(acme: &Acme, sequential: bool) -> Approval {
    let olivia = acme.olivia();
    let workflow: Uuid = if sequential {
        acme.run(&olivia, "SELECT id FROM work.approval_workflows WHERE is_sequential", &[]).await.unwrap()[0].get(0)
    } else {
        let workflow: Uuid = acme
            .run(&olivia, "INSERT INTO work.approval_workflows (tenant_id, project_id, name, workflow_type, required_approvals, created_by)
                           SELECT tenant_id, project_id, 'Release board', 'release_approval', 2, created_by
                           FROM work.approval_workflows WHERE is_sequential RETURNING id", &[])
            .await
            .unwrap()[0]
            .get(0);
        for (position, email) in ["alice@acme.com", "bob@acme.com", "olivia@acme.com"].iter().enumerate() {
            acme.run(&olivia, "INSERT INTO work.approval_workflow_approvers (tenant_id, workflow_id, approver_id, position) VALUES ($1, $2, $3, $4)",
                     &[&acme.tenant, &workflow, &acme.seeded.user(email), &(position as i32 + 1)])
                .await
                .unwrap();
        }
        workflow
    };
    let request: Uuid = acme
        .run(&olivia, "INSERT INTO work.approval_requests (tenant_id, workflow_id, project_id, title, description, request_type,
                                                           subject_type, subject_id, requested_by)
                       SELECT tenant_id, id, project_id, 'Ship it', 'Release 1.0', 'deployment', 'release', gen_random_uuid(), $2
                       FROM work.approval_workflows WHERE id = $1 RETURNING id",
             &[&workflow, &acme.seeded.user("olivia@acme.com")])
        .await
        .unwrap()[0]
        .get(0);
    Approval { request }
}

async fn respond(
    acme: &Acme,
    approval: &Approval,
    email: &str,
    decision: &str,
) -> Result<Vec<tokio_postgres::Row>, DbError> {
    acme.run(
        &acme.as_user(email),
        "INSERT INTO work.approval_responses (tenant_id, request_id, approver_id, decision, conditions)
         VALUES ($1, $2, $3, $4::text, CASE WHEN $4 = 'approve_with_conditions' THEN 'Monitor error rates' END)",
        &[&acme.tenant, &approval.request, &acme.seeded.user(email), &decision],
    )
    .await
}

async fn request_state(acme: &Acme, approval: &Approval) -> (String, Option<String>, bool) {
    let r = &acme
        .run(&acme.olivia(), "SELECT status::text, final_decision::text, completed_at IS NOT NULL FROM work.approval_requests WHERE id = $1", &[&approval.request])
        .await
        .unwrap()[0];
    (r.get(0), r.get(1), r.get(2))
}

#[tokio::test]
async fn a_sequential_request_is_answered_in_order_once_per_approver_and_decided_by_its_approvals() {
    let acme = Acme::new(2).await;
    let approval = new_request(&acme, true).await;
    assert_eq!(
        constraint_of(respond(&acme, &approval, "bob@acme.com", "approve").await),
        "approval_responses_in_sequence"
    );
    assert_eq!(
        constraint_of(respond(&acme, &approval, "olivia@acme.com", "approve").await),
        "approval_responses_listed_approver"
    );
    respond(&acme, &approval, "alice@acme.com", "approve").await.unwrap();
    assert_eq!(request_state(&acme, &approval).await, ("in_review".into(), None, false));
    assert_eq!(
        constraint_of(respond(&acme, &approval, "alice@acme.com", "approve").await),
        "approval_responses_one_per_approver"
    );
    respond(&acme, &approval, "bob@acme.com", "approve_with_conditions").await.unwrap();
    assert_eq!(
        request_state(&acme, &approval).await,
        ("approved".into(), Some("approve_with_conditions".into()), true)
    );

    // Decided requests take no more answers, and nobody answers for someone else.
    let other = new_request(&acme, true).await;
    let forged = acme
        .run(
            &acme.as_user("alice@acme.com"),
            "INSERT INTO work.approval_responses (tenant_id, request_id, approver_id, decision)
                                                VALUES ($1, $2, $3, 'approve')",
            &[&acme.tenant, &other.request, &acme.seeded.user("bob@acme.com")],
        )
        .await;
    assert_eq!(constraint_of(forged), "approval_responses_by_the_approver");
    let viewer = respond(&acme, &other, "victor@acme.com", "approve").await.unwrap_err();
    assert_eq!(viewer.code().unwrap().code(), "42501", "a viewer cannot answer");
    respond(&acme, &other, "alice@acme.com", "reject").await.unwrap();
    assert_eq!(request_state(&acme, &other).await, ("rejected".into(), Some("reject".into()), true));
    assert_eq!(
        constraint_of(respond(&acme, &other, "bob@acme.com", "approve").await),
        "approval_responses_request_open"
    );

    // The decision belongs to the responses: the app can neither write it nor claim it.
    let olivia = acme.olivia();
    let written =
        acme.run(&olivia, "UPDATE work.approval_requests SET final_decision = 'approve'", &[]).await.unwrap_err();
    assert_eq!(written.code().unwrap().code(), "42501");
    new_request(&acme, true).await;
    let claimed =
        acme.run(&olivia, "UPDATE work.approval_requests SET status = 'approved' WHERE status = 'pending'", &[]).await;
    assert_eq!(constraint_of(claimed), "approval_requests_decision_matches_status");
    let edited = acme
        .run(&acme.as_user("alice@acme.com"), "UPDATE work.approval_responses SET decision = 'reject'", &[])
        .await
        .unwrap_err();
    assert_eq!(edited.code().unwrap().code(), "42501", "a response is never edited");
}

#[tokio::test]
async fn concurrent_responses_reach_one_decision() {
    let acme = Acme::new(4).await;
    let approval = new_request(&acme, false).await;
    let mut answers = Vec::new();
    for email in ["alice@acme.com", "bob@acme.com", "olivia@acme.com"] {
        let ctx = acme.as_user(email);
        let (pool, tenant, request, user) = (acme.pool.clone(), acme.tenant, approval.request, acme.seeded.user(email));
        answers.push(tokio::spawn(async move {
            let mut tx = pool.tenant_tx(&ctx).await.unwrap();
            tx.execute(
                "INSERT INTO work.approval_responses (tenant_id, request_id, approver_id, decision) VALUES ($1, $2, $3, 'approve')",
                &[&tenant, &request, &user],
            )
            .await?;
            tx.commit().await
        }));
    }
    let mut accepted = 0;
    for answer in answers {
        match answer.await.unwrap() {
            Ok(()) => accepted += 1,
            Err(e) => assert_eq!(e.constraint(), Some("approval_responses_request_open"), "{e:?}"),
        }
    }
    assert!(accepted >= 2, "two approvals are needed and given");
    assert_eq!(request_state(&acme, &approval).await, ("approved".into(), Some("approve".into()), true));
}

// ---------------------------------------------------------------- CHECK constraints

/// For each CHECK constraint of the business modules: a change to the acme rows of
/// its table that breaks it (vocabularies get a word outside them unless listed here).
const BAD_ROWS: &[(&str, &str, &str)] = &[
    ("agents.conversations", "conversations_channel_format", "channel = 'Web Chat'"),
    ("agents.conversations", "conversations_closed_needs_time", "status = 'closed', closed_at = NULL"),
    ("agents.conversations", "conversations_metadata_object", "metadata = '[]'"),
    ("agents.conversations", "conversations_valid_close", "closed_at = created_at - interval '1 day'"),
    ("agents.conversations", "conversations_valid_message_count", "message_count = -1"),
    ("agents.credit_ledger", "credit_ledger_amount_sign", "amount = 5"),
    (
        "agents.credit_ledger",
        "credit_ledger_period_is_month",
        "kind = 'monthly_reset', amount = 0, period = '2025-01-15'",
    ),
    ("agents.credit_ledger", "credit_ledger_reset_has_period", "period = '2025-01-01'"),
    ("agents.credit_ledger", "credit_ledger_valid_balance", "balance_after = -1"),
    ("agents.credit_ledger", "credit_ledger_valid_usage", "used_this_month_after = -1"),
    ("agents.messages", "messages_ai_has_no_user", "author_type = 'ai', author_user_id = gen_random_uuid()"),
    ("agents.messages", "messages_human_has_author", "author_type = 'human', author_user_id = NULL"),
    ("agents.messages", "messages_metadata_object", "metadata = '[]'"),
    ("agents.messages", "messages_valid_tokens", "tokens_used = -1"),
    ("agents.task_dependencies", "task_dependencies_not_self", "depends_on_id = task_id"),
    ("agents.task_results", "task_results_status_vocabulary", "status = 'lost', error_details = '{}'"),
    ("agents.credit_ledger", "credit_ledger_kind_vocabulary", "kind = 'gift', amount = 0"),
    (
        "work.architecture_decisions",
        "architecture_decisions_status_vocabulary",
        "status = 'maybe', superseded_by = NULL",
    ),
    ("agents.task_results", "task_results_failure_explained", "status = 'failed', error_details = NULL"),
    ("agents.task_results", "task_results_valid_attempt", "attempt = 0"),
    ("agents.task_results", "task_results_valid_completion", "completed_at = started_at - interval '1 second'"),
    ("agents.task_results", "task_results_valid_cost", "cost = -1"),
    ("agents.task_results", "task_results_valid_processing_time", "processing_time_ms = -1"),
    ("agents.task_results", "task_results_valid_tokens_input", "tokens_input = -1"),
    ("agents.task_results", "task_results_valid_tokens_output", "tokens_output = -1"),
    ("agents.tasks", "tasks_context_object", "context = '[]'"),
    ("agents.tasks", "tasks_name_not_blank", "name = '  '"),
    ("agents.tasks", "tasks_no_self_parent", "parent_task_id = id"),
    ("agents.tasks", "tasks_type_format", "type = 'Write A Post'"),
    ("agents.tasks", "tasks_valid_actual_cost", "actual_cost = -1"),
    ("agents.tasks", "tasks_valid_completion", "started_at = now(), completed_at = now() - interval '1 hour'"),
    ("agents.tasks", "tasks_valid_estimated_cost", "estimated_cost = -1"),
    ("agents.tasks", "tasks_valid_priority", "priority = 11"),
    ("agents.tasks", "tasks_valid_processing_time", "processing_time_ms = -1"),
    ("agents.tasks", "tasks_valid_quality_score", "quality_score = 5.5"),
    ("analytics.analytics_events", "analytics_events_currency_format", "currency = 'usd'"),
    ("analytics.analytics_events", "analytics_events_event_name_not_blank", "event_name = '  '"),
    ("analytics.analytics_events", "analytics_events_event_type_format", "event_type = 'Page View'"),
    ("analytics.analytics_events", "analytics_events_properties_object", "properties = '[]'"),
    ("analytics.project_analytics", "project_analytics_task_counts", "completed_tasks = total_tasks + 1"),
    ("analytics.project_analytics", "project_analytics_valid_actual_hours", "total_actual_hours = -1"),
    ("analytics.project_analytics", "project_analytics_valid_blocked_tasks", "blocked_tasks = -1"),
    ("analytics.project_analytics", "project_analytics_valid_coherence", "architecture_coherence_score = -1"),
    ("analytics.project_analytics", "project_analytics_valid_completed_tasks", "completed_tasks = -1"),
    ("analytics.project_analytics", "project_analytics_valid_completeness", "requirements_completeness = 1.5"),
    ("analytics.project_analytics", "project_analytics_valid_estimated_hours", "total_estimated_hours = -1"),
    ("analytics.project_analytics", "project_analytics_valid_in_progress_tasks", "in_progress_tasks = -1"),
    ("analytics.project_analytics", "project_analytics_valid_risk_score", "risk_score = -1"),
    ("analytics.project_analytics", "project_analytics_valid_sessions", "collaboration_sessions_count = -1"),
    ("analytics.project_analytics", "project_analytics_valid_team_members", "active_team_members = -1"),
    ("analytics.user_activities", "user_activities_action_not_blank", "action = '  '"),
    ("analytics.user_activities", "user_activities_entity_pair", "entity_id = NULL"),
    ("analytics.user_activities", "user_activities_metadata_object", "metadata = '[]'"),
    ("commerce.customers", "customers_addresses_array", "addresses = '{}'"),
    ("commerce.customers", "customers_currency_format", "currency = 'usd'"),
    ("commerce.customers", "customers_email_format", "email = 'not-an-email'"),
    ("commerce.customers", "customers_valid_birth_date", "date_of_birth = '1800-01-01'"),
    ("commerce.customers", "customers_valid_churn_risk", "churn_risk_score = 1.5"),
    ("commerce.customers", "customers_valid_lifetime_value", "lifetime_value = -1"),
    (
        "commerce.customers",
        "customers_valid_order_dates",
        "first_order_at = now(), last_order_at = now() - interval '1 day'",
    ),
    ("commerce.customers", "customers_valid_predicted_ltv", "predicted_ltv = -1"),
    ("commerce.customers", "customers_valid_support_satisfaction", "support_satisfaction = 6"),
    ("commerce.customers", "customers_valid_support_tickets", "support_tickets = -1"),
    ("commerce.customers", "customers_valid_total_orders", "total_orders = -1"),
    ("commerce.customers", "customers_valid_total_spent", "total_spent = -1"),
    ("commerce.orders", "orders_currency_format", "currency = 'usd'"),
    ("commerce.orders", "orders_discount_codes_array", "discount_codes = '{}'"),
    ("commerce.orders", "orders_line_items_array", "line_items = '{}'"),
    ("commerce.orders", "orders_shipping_lines_array", "shipping_lines = '{}'"),
    ("commerce.orders", "orders_tax_lines_array", "tax_lines = '{}'"),
    ("commerce.orders", "orders_valid_delivered_date", "delivered_date = order_date - interval '1 day'"),
    ("commerce.orders", "orders_valid_discount_amount", "discount_amount = -1"),
    ("commerce.orders", "orders_valid_shipped_date", "shipped_date = order_date - interval '1 day'"),
    ("commerce.orders", "orders_valid_shipping_amount", "shipping_amount = -1"),
    ("commerce.orders", "orders_valid_subtotal_amount", "subtotal_amount = -1"),
    ("commerce.orders", "orders_valid_tax_amount", "tax_amount = -1"),
    ("commerce.orders", "orders_valid_total_amount", "total_amount = -1"),
    ("commerce.product_variants", "product_variants_valid_compare_at_price", "compare_at_price = -1"),
    ("commerce.product_variants", "product_variants_valid_cost_price", "cost_price = -1"),
    ("commerce.product_variants", "product_variants_valid_variant_inventory", "inventory_quantity = -1"),
    ("commerce.product_variants", "product_variants_valid_variant_price", "price = -1"),
    ("commerce.product_variants", "product_variants_valid_weight", "weight = -1"),
    ("commerce.products", "products_currency_format", "currency = 'usd'"),
    ("commerce.products", "products_handle_format", "handle = 'Anvil Pro!'"),
    ("commerce.products", "products_images_array", "images = '{}'"),
    ("commerce.products", "products_name_not_blank", "name = '  '"),
    ("commerce.products", "products_valid_compare_at_price", "compare_at_price = -1"),
    ("commerce.products", "products_valid_cost_price", "cost_price = -1"),
    ("commerce.products", "products_valid_inventory", "inventory_quantity = -1"),
    ("commerce.products", "products_valid_price", "price = -1"),
    ("commerce.stores", "stores_credentials_key_id_format", "credentials_key_id = 'Key One'"),
    ("commerce.stores", "stores_credentials_sealed", "credentials_sealed = '\\x00'"),
    ("commerce.stores", "stores_error_explained", "sync_status = 'error', sync_error = NULL"),
    ("commerce.stores", "stores_name_not_blank", "name = '  '"),
    ("commerce.stores", "stores_sync_settings_object", "sync_settings = '[]'"),
    ("commerce.stores", "stores_url_format", "store_url = 'ftp://acme.example.com'"),
    ("content.content_projects", "content_projects_engagement_object", "engagement_metrics = '[]'"),
    ("content.content_projects", "content_projects_media_assets_array", "media_assets = '{}'"),
    ("content.content_projects", "content_projects_name_not_blank", "name = '  '"),
    ("content.content_projects", "content_projects_published_needs_date", "status = 'published', publish_date = NULL"),
    ("content.content_projects", "content_projects_valid_ai_cost", "ai_generation_cost = -1"),
    ("content.content_projects", "content_projects_valid_readability_score", "readability_score = 101"),
    ("content.content_projects", "content_projects_valid_seo_score", "seo_score = 101"),
    ("content.content_projects", "content_projects_valid_view_count", "view_count = -1"),
    ("work.approval_requests", "approval_requests_decision_matches_status", "status = 'approved'"),
    ("work.approval_requests", "approval_requests_subject_type_format", "subject_type = 'Architecture Decision'"),
    ("work.approval_requests", "approval_requests_title_not_blank", "title = '  '"),
    ("work.approval_requests", "approval_requests_valid_completion", "completed_at = requested_at - interval '1 day'"),
    ("work.approval_requests", "approval_requests_valid_due_date", "due_date = requested_at"),
    (
        "work.approval_responses",
        "approval_responses_conditions_given",
        "decision = 'approve_with_conditions', conditions = NULL",
    ),
    ("work.approval_workflow_approvers", "approval_workflow_approvers_valid_position", "position = 0"),
    ("work.approval_workflows", "approval_workflows_name_not_blank", "name = '  '"),
    ("work.approval_workflows", "approval_workflows_valid_required_approvals", "required_approvals = 0"),
    (
        "work.architecture_decisions",
        "architecture_decisions_not_self_superseded",
        "superseded_by = id, status = 'superseded'",
    ),
    ("work.architecture_decisions", "architecture_decisions_options_array", "options_considered = '{}'"),
    ("work.architecture_decisions", "architecture_decisions_superseded_status", "status = 'approved'"),
    ("work.architecture_decisions", "architecture_decisions_title_not_blank", "title = '  '"),
    ("work.architecture_decisions", "architecture_decisions_valid_version", "version = 0"),
    ("work.collaboration_sessions", "collaboration_sessions_settings_object", "settings = '[]'"),
    ("work.collaboration_sessions", "collaboration_sessions_title_not_blank", "title = '  '"),
    (
        "work.collaboration_sessions",
        "collaboration_sessions_valid_actual_times",
        "actual_start = now(), actual_end = now() - interval '1 hour'",
    ),
    ("work.collaboration_sessions", "collaboration_sessions_valid_max_participants", "max_participants = 0"),
    ("work.collaboration_sessions", "collaboration_sessions_valid_session_times", "scheduled_end = scheduled_start"),
    ("work.project_risks", "project_risks_title_not_blank", "title = '  '"),
    ("work.project_risks", "project_risks_valid_mitigation", "mitigated_at = identified_at - interval '1 day'"),
    ("work.projects", "projects_currency_format", "currency = 'usd'"),
    ("work.projects", "projects_metadata_object", "metadata = '[]'"),
    ("work.projects", "projects_name_not_blank", "name = '  '"),
    ("work.projects", "projects_settings_object", "settings = '[]'"),
    ("work.projects", "projects_valid_actual_end", "actual_end_date = start_date - 1"),
    ("work.projects", "projects_valid_budget", "budget_allocated = -1"),
    ("work.projects", "projects_valid_budget_used", "budget_used = -1"),
    ("work.projects", "projects_valid_dates", "target_end_date = start_date - 1"),
    ("work.requirement_links", "requirement_links_not_self", "related_requirement_id = requirement_id"),
    ("work.requirements", "requirements_acceptance_criteria_array", "acceptance_criteria = '{}'"),
    ("work.requirements", "requirements_attachments_array", "attachments = '{}'"),
    ("work.requirements", "requirements_custom_attributes_object", "custom_attributes = '[]'"),
    ("work.requirements", "requirements_no_self_parent", "parent_requirement_id = id"),
    ("work.requirements", "requirements_test_cases_array", "test_cases = '{}'"),
    ("work.requirements", "requirements_title_not_blank", "title = '  '"),
    ("work.requirements", "requirements_valid_complexity_score", "complexity_score = -1"),
    ("work.requirements", "requirements_valid_effort", "effort_estimate_hours = -1"),
    ("work.requirements", "requirements_valid_version", "version = 0"),
    ("work.requirements", "requirements_versions_chain", "version = 2, previous_version_id = NULL"),
    (
        "work.session_participants",
        "session_participants_valid_times",
        "joined_at = now(), left_at = now() - interval '1 hour'",
    ),
    ("work.tasks", "tasks_attachments_array", "attachments = '{}'"),
    ("work.tasks", "tasks_custom_fields_object", "custom_fields = '[]'"),
    ("work.tasks", "tasks_no_self_reference", "parent_task_id = id"),
    ("work.tasks", "tasks_title_not_blank", "title = '  '"),
    ("work.tasks", "tasks_valid_actual_hours", "actual_hours = -1"),
    ("work.tasks", "tasks_valid_completion", "started_at = now(), completed_at = now() - interval '1 hour'"),
    ("work.tasks", "tasks_valid_hours", "estimated_hours = -1"),
];

#[tokio::test]
async fn every_check_constraint_refuses_a_bad_row_by_its_name() {
    let acme = Acme::new(1).await;
    let mut admin = acme.db.admin().await;
    let declared: Vec<(String, String)> = admin
        .query(
            "SELECT c.conrelid::regclass::text, c.conname::text
             FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
             WHERE c.contype = 'c' AND NOT r.relispartition
               AND c.connamespace::regnamespace::text IN ('content', 'work', 'agents', 'commerce', 'analytics')
             ORDER BY 1, 2",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    // A vocabulary (<table>_<column>_vocabulary) is broken by a word outside it, unless BAD_ROWS says more.
    let mut cases: Vec<(String, String, String)> =
        BAD_ROWS.iter().map(|(t, c, change)| (t.to_string(), c.to_string(), change.to_string())).collect();
    for (table, constraint) in &declared {
        let short = table.split('.').nth(1).unwrap();
        let column = constraint.strip_prefix(&format!("{short}_")).and_then(|c| c.strip_suffix("_vocabulary"));
        if let (Some(column), false) = (column, cases.iter().any(|(t, c, _)| t == table && c == constraint)) {
            cases.push((table.clone(), constraint.clone(), format!("{column} = 'not_in_the_vocabulary'")));
        }
    }
    let untested: Vec<_> =
        declared.iter().filter(|(t, c)| !cases.iter().any(|(ct, cc, _)| ct == t && cc == c)).collect();
    assert!(untested.is_empty(), "CHECK constraints without a bad-row case: {untested:?}");

    let tx = admin.transaction().await.unwrap();
    let mut wrong = Vec::new();
    for (table, constraint, change) in &cases {
        tx.batch_execute("SAVEPOINT bad_row").await.unwrap();
        let result = tx.execute(&format!("UPDATE {table} SET {change} WHERE tenant_id = $1"), &[&acme.tenant]).await;
        match result {
            Err(e) if e.as_db_error().and_then(|d| d.constraint()) == Some(constraint.as_str()) => {}
            Err(e) => wrong.push(format!("{table} {constraint}: refused otherwise: {e:?}")),
            Ok(n) => wrong.push(format!("{table} {constraint}: accepted ({n} rows)")),
        }
        tx.batch_execute("ROLLBACK TO SAVEPOINT bad_row").await.unwrap();
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

// ---------------------------------------------------------------- lock order

/// Opposing parent edits through the API (A under B while B goes under A), 30
/// pairs at once: each pair ends with one edit made and the other refused as a
/// loop; PostgreSQL detects no deadlock and no request answers 503.
#[tokio::test]
async fn thirty_opposing_parent_edit_pairs_at_once_deadlock_nothing() {
    use reqwest::{Method, StatusCode};
    let s = std::sync::Arc::new(crate::api::Server::start().await);
    let admin = s.db.admin().await;
    let acme = s.tenant("acme");
    let olivia = s.login("olivia@acme.com").await;
    let pairs: Vec<(Uuid, Uuid)> = admin
        .query(
            "WITH project AS (SELECT id FROM work.projects WHERE tenant_id = $1 ORDER BY id LIMIT 1),
                  made AS (INSERT INTO work.tasks (tenant_id, project_id, title, created_by)
                           SELECT $1, project.id, 'pair-' || n || side, $2 FROM project, generate_series(1, 30) n, unnest(ARRAY['-x', '-y']) side
                           RETURNING id, title)
             SELECT a.id, b.id FROM made a JOIN made b ON b.title = replace(a.title, '-x', '-y') AND a.title LIKE '%-x'",
            &[&acme, &s.seeded.user("olivia@acme.com")],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(pairs.len(), 30);
    let deadlocks = "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()";
    let before: i64 = admin.query_one(deadlocks, &[]).await.unwrap().get(0);
    let mut handles = Vec::new();
    for (a, b) in pairs.iter().copied() {
        for (child, parent) in [(a, b), (b, a)] {
            let (s, token) = (s.clone(), olivia.clone());
            handles.push(tokio::spawn(async move {
                let path = format!("/v1/tenants/{acme}/tasks/{child}");
                s.call(Method::PATCH, &path, Some(&token), Some(serde_json::json!({ "parent_task_id": parent }))).await
            }));
        }
    }
    let mut statuses = Vec::new();
    for h in handles {
        statuses.push(h.await.unwrap());
    }
    for pair in statuses.chunks(2) {
        let mut got = [pair[0].0, pair[1].0];
        got.sort();
        assert_eq!(got, [StatusCode::OK, StatusCode::UNPROCESSABLE_ENTITY], "{pair:?}");
    }
    // pg_stat_database is updated when a backend reports: give it a moment.
    tokio::time::sleep(Duration::from_millis(700)).await;
    let after: i64 = admin.query_one(deadlocks, &[]).await.unwrap().get(0);
    assert_eq!(after - before, 0, "deadlocks detected");
}
