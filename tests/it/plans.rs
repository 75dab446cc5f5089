//! Every query of the generic resource path names its tenant (`tenant_id = $1`),
//! and its generic plan holds for a large and a small tenant of a skewed data
//! set: the app role plans once (`plan_cache_mode = force_generic_plan`), so a
//! plan that reads a whole tenant's rows to answer a page or one row is a
//! gamble the largest tenant loses. The statements are the API's own, built by
//! `src/api/resources.rs` for every resource: by id, the default list and the
//! list by id (both directions), search, update and delete. Lists filtered or
//! sorted by another column still read a whole group of the tenant's rows
//! (docs/design.md, "Plans for every tenant size").

use serde_json::Value;
use tenantbase::api::resources::{
    delete_sql, get_sql, list_sql, search_condition, update_sql, Resource, Resources, Write,
};
use tenantbase::db::TenantCtx;
use tenantbase::seed::scale::{self, ScaleOptions};
use uuid::Uuid;

use crate::common::TestDb;

/// Rows one plan node may read (returned, or read and thrown away by a filter)
/// to answer a page of 50 or one row: far below the large tenant's orders.
const ROWS_PER_NODE: f64 = 250.0;

/// Known misses, each still found (remove it once fixed): analytics events are
/// partitioned by time and keyed (tenant_id, id, occurred_at); the generic plan
/// of a statement by id alone cannot prune, and reads every partition's rows of
/// the tenant (docs/design.md, "Plans for every tenant size").
const KNOWN_MISSES: &[&str] =
    &["events list sorted by id desc", "events list sorted by id", "events update", "events delete"];

/// A statement of the generic path and the values of its parameters, as SQL literals.
struct Case {
    what: String,
    sql: String,
    args: Vec<String>,
    /// Run it (EXPLAIN ANALYZE) or only plan it (writes).
    analyze: bool,
    /// The tenant's rows in the table: a sequential scan of a few is no fault.
    rows: i64,
}

fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Every statement the generic path sends for `resource` in `tenant`.
async fn cases(admin: &tokio_postgres::Client, resource: &Resource, tenant: Uuid) -> Vec<Case> {
    let table = resource.def.table;
    let hidden =
        format!("ARRAY[{}]::text[]", resource.hidden_keys().iter().map(|k| literal(k)).collect::<Vec<_>>().join(", "));
    let t = format!("'{tenant}'::uuid");
    let id: Uuid = admin
        .query_opt(&format!("SELECT id FROM {table} WHERE tenant_id = $1 LIMIT 1"), &[&tenant])
        .await
        .unwrap()
        .map(|r| r.get(0))
        .unwrap_or_else(Uuid::nil);
    let id = format!("'{id}'::uuid");
    let rows: i64 = admin
        .query_one(&format!("SELECT count(*) FROM {table} WHERE tenant_id = $1"), &[&tenant])
        .await
        .unwrap()
        .get(0);
    let mut cases = vec![Case {
        what: format!("{} get", resource.def.name),
        sql: get_sql(table),
        args: vec![t.clone(), id.clone(), hidden.clone()],
        analyze: true,
        rows,
    }];
    let mut sorts = vec![resource.default_sort(), "id"];
    sorts.dedup();
    for sort in sorts {
        for descending in [true, false] {
            cases.push(Case {
                what: format!("{} list sorted by {sort}{}", resource.def.name, if descending { " desc" } else { "" }),
                sql: list_sql(table, sort, descending, "", 3),
                args: vec![t.clone(), hidden.clone(), "51".into()],
                analyze: true,
                rows,
            });
        }
    }
    if let Some(search) = resource.def.search {
        cases.push(Case {
            what: format!("{} search", resource.def.name),
            sql: list_sql(table, resource.default_sort(), true, &search_condition(search, "$3"), 4),
            args: vec![t.clone(), hidden.clone(), literal("zebra webhook"), "51".into()],
            analyze: true,
            rows,
        });
    }
    if resource.allows(Write::Change) {
        let fields: Vec<String> = resource
            .columns
            .iter()
            .filter(|c| resource.writable_in(c, Write::Change))
            .map(|c| c.name.clone())
            .collect();
        cases.push(Case {
            what: format!("{} update", resource.def.name),
            sql: update_sql(table, &fields),
            args: vec![t.clone(), id.clone(), "'{}'::jsonb".into(), hidden.clone(), "NULL::int8[]".into()],
            analyze: false,
            rows,
        });
    }
    if resource.deletable {
        cases.push(Case {
            what: format!("{} delete", resource.def.name),
            sql: delete_sql(table),
            args: vec![t, id, "NULL::int8[]".into()],
            analyze: false,
            rows,
        });
    }
    cases
}

/// The plan's nodes, depth first.
fn nodes(plan: &Value) -> Vec<&Value> {
    let mut all = vec![plan];
    for child in plan["Plans"].as_array().into_iter().flatten() {
        all.extend(nodes(child));
    }
    all
}

/// Rows a node read: those it returned and those its filters threw away, over all its loops.
fn rows_read(node: &Value) -> f64 {
    let n = |key: &str| node[key].as_f64().unwrap_or(0.0);
    (n("Actual Rows")
        + n("Rows Removed by Filter")
        + n("Rows Removed by Join Filter")
        + n("Rows Removed by Index Recheck"))
        * n("Actual Loops").max(1.0)
}

/// What is wrong with a plan, if anything: a node that read a tenant's worth
/// of rows, or (for a write, planned only) a target row of a tenant with many
/// not reached through an index.
fn faults(plan: &Value, case: &Case) -> Vec<String> {
    let analyze = case.analyze;
    let mut found = Vec::new();
    for node in nodes(plan) {
        let kind = node["Node Type"].as_str().unwrap_or_default();
        let relation = node["Relation Name"].as_str().unwrap_or_default();
        if !analyze && kind == "Seq Scan" && case.rows as f64 > ROWS_PER_NODE {
            found.push(format!("a sequential scan of {relation}"));
        }
        if analyze && rows_read(node) > ROWS_PER_NODE {
            found.push(format!("{kind} {relation} read {} rows", rows_read(node)));
        }
        if !analyze && matches!(kind, "Bitmap Heap Scan" | "Hash Join" | "Merge Join") {
            found.push(format!("{kind} {relation} in a write by id"));
        }
    }
    found
}

#[tokio::test]
async fn every_generic_path_query_names_its_tenant_and_its_generic_plan_holds_in_large_and_small_tenants() {
    let db = TestDb::new().await;
    let options = ScaleOptions { tenants: 12, rows_per_tenant: 1500, seed: 7, progress: false, audit: false };
    scale::seed_scale(&db.target, &options).await.unwrap();
    let admin = db.admin().await;
    admin.batch_execute("ANALYZE").await.unwrap();
    let by_size = admin
        .query(
            "SELECT t.id, t.created_by, count(*) FROM tenancy.tenants t JOIN commerce.orders o ON o.tenant_id = t.id
             GROUP BY t.id, t.created_by ORDER BY count(*) DESC",
            &[],
        )
        .await
        .unwrap();
    let (large, small) = (&by_size[0], &by_size[by_size.len() - 1]);
    let (large_orders, small_orders): (i64, i64) = (large.get(2), small.get(2));
    assert!(
        large_orders as f64 > 4.0 * ROWS_PER_NODE && small_orders * 5 < large_orders,
        "the data set is skewed enough: {large_orders} against {small_orders} orders"
    );

    let pool = db.app_pool(2);
    let resources = Resources::load(&pool).await.unwrap();
    let mut wrong = Vec::new();
    let mut missed = std::collections::BTreeSet::new();
    let mut checked = 0;
    for row in [large, small] {
        let (tenant, owner): (Uuid, Uuid) = (row.get(0), row.get(1));
        let mut tx = pool.tenant_tx(&TenantCtx::new(tenant, owner)).await.unwrap();
        tx.execute("SET LOCAL plan_cache_mode = force_generic_plan", &[]).await.unwrap();
        for resource in resources.0.values() {
            for (n, case) in cases(&admin, resource, tenant).await.into_iter().enumerate() {
                let names_tenant =
                    ["WHERE t.tenant_id = $1", "WHERE tenant_id = $1"].iter().any(|p| case.sql.contains(p));
                if !names_tenant {
                    wrong.push(format!("{}: no tenant_id = $1 in\n{}", case.what, case.sql));
                }
                let name = format!("q{n}");
                tx.execute(&format!("PREPARE {name} AS {}", case.sql), &[]).await.unwrap();
                let options = if case.analyze { "ANALYZE, FORMAT JSON" } else { "FORMAT JSON" };
                let explain = format!("EXPLAIN ({options}) EXECUTE {name}({})", case.args.join(", "));
                let plan: Value = tx.query_one(&explain, &[]).await.unwrap().get(0);
                tx.execute(&format!("DEALLOCATE {name}"), &[]).await.unwrap();
                let plan = &plan[0]["Plan"];
                let found = faults(plan, &case);
                if !found.is_empty() && KNOWN_MISSES.contains(&case.what.as_str()) {
                    missed.insert(case.what.clone());
                } else if !found.is_empty() {
                    wrong.push(format!(
                        "{} in the tenant of {} orders: {}\n{}",
                        case.what,
                        row.get::<_, i64>(2),
                        found.join("; "),
                        serde_json::to_string_pretty(plan).unwrap()
                    ));
                }
                checked += 1;
            }
        }
        tx.rollback().await.unwrap();
    }
    assert!(checked > 100, "every resource's statements were planned ({checked})");
    let fixed: Vec<_> = KNOWN_MISSES.iter().filter(|m| !missed.contains(**m)).collect();
    assert!(fixed.is_empty(), "no longer missed, remove from KNOWN_MISSES: {fixed:?}");
    assert!(wrong.is_empty(), "{} of {checked}:\n{}", wrong.len(), wrong.join("\n\n"));
}
