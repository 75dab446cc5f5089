//! What the benchmark runs: the hot queries, each as the app runs it (under RLS,
//! with its explicit `tenant_id = $1`) and as the owner runs the same work with
//! no RLS; the API resource it reads and writes through HTTP.

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

    /// The parameters of request number `n` in `tenant`.
    pub fn bind(&self, tenant: &TenantSample, n: usize) -> Vec<Box<dyn ToSql + Sync + Send>> {
        self.params
            .iter()
            .map(|p| -> Box<dyn ToSql + Sync + Send> {
                match p {
                    Param::Tenant => Box::new(tenant.tenant_id),
                    Param::IdOf(table) => {
                        let ids = &tenant.ids[table];
                        Box::new(ids[n % ids.len()])
                    }
                    Param::Text(text) => Box::new(text.to_string()),
                }
            })
            .collect()
    }
}

impl HotQuery {
    /// The parameters of request `n` as SQL literals, for `EXECUTE` and pgbench scripts.
    pub fn literals(&self, tenant: &TenantSample, n: usize) -> Vec<String> {
        self.params
            .iter()
            .map(|p| match p {
                Param::Tenant => format!("'{}'::uuid", tenant.tenant_id),
                Param::IdOf(table) => {
                    let ids = &tenant.ids[table];
                    format!("'{}'::uuid", ids[n % ids.len()])
                }
                Param::Text(text) => format!("'{}'", text.replace('\'', "''")),
            })
            .collect()
    }
}

/// The parameters as tokio-postgres takes them.
pub fn refs(params: &[Box<dyn ToSql + Sync + Send>]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p.as_ref() as &(dyn ToSql + Sync)).collect()
}

pub const HOT_QUERIES: &[HotQuery] = &[
    HotQuery {
        name: "point lookup by id",
        app_sql: "SELECT * FROM tenancy.roles WHERE tenant_id = $1 AND id = $2",
        owner_sql: None,
        params: &[Param::Tenant, Param::IdOf("tenancy.roles")],
    },
    HotQuery {
        name: "newest 50",
        app_sql: "SELECT * FROM tenancy.roles WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC LIMIT 50",
        owner_sql: None,
        params: &[Param::Tenant],
    },
    HotQuery {
        name: "list filtered by status",
        app_sql: "SELECT * FROM tenancy.memberships WHERE tenant_id = $1 AND status = $2::text::tenancy.membership_status \
                  ORDER BY created_at DESC LIMIT 50",
        owner_sql: None,
        params: &[Param::Tenant, Param::Text("invited")],
    },
    HotQuery {
        name: "members joined with users",
        app_sql: "SELECT m.id, m.role, u.email, u.full_name FROM tenancy.memberships m \
                  JOIN tenancy.users u ON u.id = m.user_id \
                  WHERE m.tenant_id = $1 ORDER BY m.created_at DESC LIMIT 50",
        owner_sql: None,
        params: &[Param::Tenant],
    },
    HotQuery {
        name: "dashboard: members by role and status",
        app_sql: "SELECT role, status, count(*) FROM tenancy.memberships WHERE tenant_id = $1 GROUP BY role, status",
        owner_sql: None,
        params: &[Param::Tenant],
    },
];

/// The hot queries the growth steps repeat: a point lookup and a newest-50 list.
pub const GROWTH_QUERIES: [&HotQuery; 2] = [&HOT_QUERIES[0], &HOT_QUERIES[1]];

/// The tables the growth steps fill.
pub const GROWTH_TABLES: &[&str] = &["tenancy.roles"];

/// The API resource read by id and listed through HTTP, and written to.
pub const API_RESOURCE: &str = "roles";

/// A new row of [`API_RESOURCE`], unique by `n`.
pub fn new_row(n: u64) -> serde_json::Value {
    serde_json::json!({ "name": format!("bench_write_{n}"), "description": "written by tenantbase bench" })
}

/// Removes what [`new_row`] wrote, so a reused data set stays as loaded.
pub const DELETE_WRITTEN: &str = "DELETE FROM tenancy.roles WHERE name LIKE 'bench\\_write\\_%'";
