//! What the benchmark runs: the hot queries, each as the app runs it (under RLS,
//! with its explicit `tenant_id = $1`) and as the owner runs the same work with
//! no RLS; the API resource read and written through HTTP.
//!
//! Search with an operator that is not LEAKPROOF (`@@`, `@>`, `&&`) cannot use its
//! GIN index below a policy, so the app searches through the generated
//! `search.*` functions (migrations/content/V100__business_mechanisms.sql); such a
//! query appears twice: as the app runs it, and as a plain query under RLS, to show
//! what the functions buy.

use tokio_postgres::types::ToSql;

use super::dataset::TenantSample;

/// A parameter of a hot query, bound per request.
#[derive(Clone, Copy, Debug)]
pub enum Param {
    /// The acting tenant.
    Tenant,
    /// An id of the acting tenant's rows of this table, a different one each request.
    IdOf(&'static str),
    Text(&'static str),
    Json(&'static str),
    TextArray(&'static [&'static str]),
}

pub struct HotQuery {
    pub name: &'static str,
    /// What the app sends, as tenantbase_app under RLS.
    pub app_sql: &'static str,
    /// The same work as the owner, who bypasses RLS; `None`: the app's SQL itself.
    pub owner_sql: Option<&'static str>,
    pub params: &'static [Param],
}

impl HotQuery {
    pub fn owner_sql(&self) -> &'static str {
        self.owner_sql.unwrap_or(self.app_sql)
    }

    fn id<'a>(tenant: &'a TenantSample, table: &str, n: usize) -> &'a uuid::Uuid {
        let ids = &tenant.ids[table];
        &ids[n % ids.len()]
    }

    /// The parameters of request number `n` in `tenant`.
    pub fn bind(&self, tenant: &TenantSample, n: usize) -> Vec<Box<dyn ToSql + Sync + Send>> {
        self.params
            .iter()
            .map(|p| -> Box<dyn ToSql + Sync + Send> {
                match p {
                    Param::Tenant => Box::new(tenant.tenant_id),
                    Param::IdOf(table) => Box::new(*Self::id(tenant, table, n)),
                    Param::Text(text) => Box::new(text.to_string()),
                    Param::Json(doc) => {
                        Box::new(serde_json::from_str::<serde_json::Value>(doc).expect("a hot query's JSON parses"))
                    }
                    Param::TextArray(items) => Box::new(items.iter().map(|s| s.to_string()).collect::<Vec<String>>()),
                }
            })
            .collect()
    }

    /// The parameters of request `n` as SQL literals, for `EXECUTE`.
    pub fn literals(&self, tenant: &TenantSample, n: usize) -> Vec<String> {
        let text = |s: &str| format!("'{}'", s.replace('\'', "''"));
        self.params
            .iter()
            .map(|p| match p {
                Param::Tenant => format!("'{}'::uuid", tenant.tenant_id),
                Param::IdOf(table) => format!("'{}'::uuid", Self::id(tenant, table, n)),
                Param::Text(s) => text(s),
                Param::Json(doc) => format!("{}::jsonb", text(doc)),
                Param::TextArray(items) => {
                    format!("ARRAY[{}]::text[]", items.iter().map(|s| text(s)).collect::<Vec<_>>().join(", "))
                }
            })
            .collect()
    }
}

/// The parameters as tokio-postgres takes them.
pub fn refs(params: &[Box<dyn ToSql + Sync + Send>]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p.as_ref() as &(dyn ToSql + Sync)).collect()
}

/// Tenants are ranked by their rows in this table.
pub const SIZE_TABLE: &str = "commerce.orders";

/// Tables whose ids the measured tenants sample for point lookups.
pub const ID_TABLES: &[&str] = &["commerce.orders"];

const FULL_TEXT_PLAIN: &str = "SELECT t.* FROM content.content_projects t, websearch_to_tsquery('english', $2) q \
     WHERE t.tenant_id = $1 AND t.search_vector @@ q ORDER BY ts_rank(t.search_vector, q) DESC, t.id LIMIT 50";
const JSONB_PLAIN: &str = "SELECT t.* FROM agents.tasks t WHERE t.tenant_id = $1 AND t.input @> $2 LIMIT 50";
const TAGS_PLAIN: &str = "SELECT t.* FROM commerce.products t WHERE t.tenant_id = $1 AND t.tags && $2 LIMIT 50";

pub const HOT_QUERIES: &[HotQuery] = &[
    HotQuery {
        name: "point lookup by id",
        app_sql: "SELECT * FROM commerce.orders WHERE tenant_id = $1 AND id = $2",
        owner_sql: None,
        params: &[Param::Tenant, Param::IdOf("commerce.orders")],
    },
    HotQuery {
        name: "newest 50",
        app_sql: "SELECT * FROM commerce.orders WHERE tenant_id = $1 ORDER BY order_date DESC LIMIT 50",
        owner_sql: None,
        params: &[Param::Tenant],
    },
    HotQuery {
        name: "list filtered by status",
        app_sql: "SELECT * FROM commerce.orders WHERE tenant_id = $1 AND status = $2 ORDER BY order_date DESC LIMIT 50",
        owner_sql: None,
        params: &[Param::Tenant, Param::Text("pending")],
    },
    HotQuery {
        name: "full-text search",
        app_sql: "SELECT t.* FROM content.content_projects t WHERE t.tenant_id = $1 \
                  AND t.id = ANY (ARRAY(SELECT id FROM search.content_content_projects($2, 50))) \
                  ORDER BY ts_rank(t.search_vector, websearch_to_tsquery('english', $2)) DESC, t.id",
        owner_sql: Some(FULL_TEXT_PLAIN),
        params: &[Param::Tenant, Param::Text("zebra webhook")],
    },
    HotQuery {
        name: "full-text search, plain @@ under RLS",
        app_sql: FULL_TEXT_PLAIN,
        owner_sql: None,
        params: &[Param::Tenant, Param::Text("zebra webhook")],
    },
    HotQuery {
        name: "JSONB containment",
        app_sql: "SELECT t.* FROM agents.tasks t WHERE t.tenant_id = $1 \
                  AND t.id = ANY (ARRAY(SELECT id FROM search.agents_tasks_input_containing($2, 50)))",
        owner_sql: Some(JSONB_PLAIN),
        params: &[Param::Tenant, Param::Json(r#"{"topic": "zebra"}"#)],
    },
    HotQuery {
        name: "JSONB containment, plain @> under RLS",
        app_sql: JSONB_PLAIN,
        owner_sql: None,
        params: &[Param::Tenant, Param::Json(r#"{"topic": "zebra"}"#)],
    },
    HotQuery {
        name: "tag overlap",
        app_sql: "SELECT t.* FROM commerce.products t WHERE t.tenant_id = $1 \
                  AND t.id = ANY (ARRAY(SELECT id FROM search.commerce_products_tags_overlapping($2, 50)))",
        owner_sql: Some(TAGS_PLAIN),
        params: &[Param::Tenant, Param::TextArray(&["zebra", "webhook"])],
    },
    HotQuery {
        name: "tag overlap, plain && under RLS",
        app_sql: TAGS_PLAIN,
        owner_sql: None,
        params: &[Param::Tenant, Param::TextArray(&["zebra", "webhook"])],
    },
    HotQuery {
        name: "orders joined with customers",
        // The page is cut first, then each order reaches its customer through the
        // customer's key with the tenant bound; the LIMIT 1 keeps the lookup a
        // parameterized index probe in any plan. The generic plan (the app's) of
        // a plain join hashed the whole tenant's customers: 50x the owner's in
        // the largest tenant.
        app_sql: "SELECT o.id, o.order_date, o.status, o.total_amount, c.email, c.first_name, c.last_name \
                  FROM (SELECT id, order_date, status, total_amount, customer_id FROM commerce.orders \
                        WHERE tenant_id = $1 ORDER BY order_date DESC LIMIT 50) o \
                  CROSS JOIN LATERAL (SELECT email, first_name, last_name FROM commerce.customers \
                                      WHERE tenant_id = $1 AND id = o.customer_id LIMIT 1) c \
                  ORDER BY o.order_date DESC",
        owner_sql: None,
        params: &[Param::Tenant],
    },
    HotQuery {
        name: "dashboard view",
        app_sql: "SELECT * FROM analytics.tenant_dashboard WHERE tenant_id = $1",
        owner_sql: None,
        params: &[Param::Tenant],
    },
];

/// The hot queries the growth steps repeat: the point lookup and the newest-50 list.
pub const GROWTH_QUERIES: [&HotQuery; 2] = [&HOT_QUERIES[0], &HOT_QUERIES[1]];

/// The API resource read by id, listed (newest first by [`API_LIST_SORT`]) and
/// written to through HTTP.
pub const API_RESOURCE: &str = "orders";

/// The list's sort column: served by the tenant-leading index (tenant_id, order_date).
pub const API_LIST_SORT: &str = "order_date";

/// A new row of [`API_RESOURCE`], unique by `n`.
pub fn new_row(n: u64) -> serde_json::Value {
    serde_json::json!({
        "external_id": format!("bench-write-{n}"),
        "total_amount": 42.5,
        "status": "pending",
        "order_date": chrono::Utc::now().to_rfc3339(),
        "line_items": [{ "sku": "BENCH", "quantity": 1 }],
    })
}

/// Removes what [`new_row`] wrote, so a reused data set stays as loaded.
pub const DELETE_WRITTEN: &str = "DELETE FROM commerce.orders WHERE external_id LIKE 'bench-write-%'";
