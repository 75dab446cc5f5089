//! Plain CRUD for every resource of the business schema, through one generic
//! path. What a resource is comes from the live catalog (columns, types, enum
//! labels, tenant-leading indexes), so the API, its validation and its OpenAPI
//! description follow the migrations. Business actions have their own code.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::OriginalUri;
use axum::extract::State;
use axum::http::{header, HeaderName, StatusCode};
use axum::Json;
use serde::Serialize;
use serde_json::{Map, Value};
use tokio_postgres::error::SqlState;
use uuid::Uuid;

use super::auth::InTenant;
use super::error::{ApiError, ApiResult};
use super::idempotency;
use super::page::{parse_limit, Cursor, Page};
use super::versions::{refusal, IfMatch, Versioned};
use super::{ApiJson, ApiPath, ApiQuery, AppState};
use crate::db::{Db, DbError};

/// A resource served by the generic path: its URL name and its table.
#[derive(Debug)]
pub struct ResourceDef {
    pub name: &'static str,
    pub table: &'static str,
    /// Never returned (secrets, search vectors).
    pub hidden: &'static [&'static str],
    /// Returned, but written only by the database's rules.
    pub read_only: &'static [&'static str],
    /// A set-returning function of the acting tenant's rows matching a query text
    /// (`q`), returning their ids: full-text search that keeps its index under RLS.
    pub search: Option<&'static str>,
    /// A secret the client sends in plain text and the database keeps only sealed.
    pub sealed: Option<SealedInput>,
}

/// `field` (a JSON value in requests) is sealed by the server into `sealed_column`,
/// with the sealing key's id in `key_column`; neither column is ever returned.
#[derive(Debug)]
pub struct SealedInput {
    pub field: &'static str,
    pub sealed_column: &'static str,
    pub key_column: &'static str,
}

/// A resource of plain rows: nothing hidden, everything writable but the keys.
const fn plain(name: &'static str, table: &'static str) -> ResourceDef {
    ResourceDef { name, table, hidden: &[], read_only: &[], search: None, sealed: None }
}

/// A resource whose `q` is served by the generated search function of its table.
const fn searchable(name: &'static str, table: &'static str, search: &'static str) -> ResourceDef {
    ResourceDef { name, table, hidden: &[], read_only: &[], search: Some(search), sealed: None }
}

/// Every resource of the generic path. Junction tables without an `id`
/// (requirement links, task dependencies, product content) are written through
/// their parents' rules and are not listed here.
pub const RESOURCES: &[ResourceDef] = &[
    plain("roles", "tenancy.roles"),
    searchable("content", "content.content_projects", "search.content_content_projects"),
    searchable("projects", "work.projects", "search.work_projects"),
    searchable("tasks", "work.tasks", "search.work_tasks"),
    searchable("requirements", "work.requirements", "search.work_requirements"),
    searchable("decisions", "work.architecture_decisions", "search.work_architecture_decisions"),
    plain("risks", "work.project_risks"),
    plain("collaboration-sessions", "work.collaboration_sessions"),
    plain("session-participants", "work.session_participants"),
    plain("approval-workflows", "work.approval_workflows"),
    plain("approval-workflow-approvers", "work.approval_workflow_approvers"),
    ResourceDef {
        name: "approval-requests",
        table: "work.approval_requests",
        hidden: &[],
        read_only: &["status", "final_decision", "completed_at"],
        search: None,
        sealed: None,
    },
    plain("project-analytics", "analytics.project_analytics"),
    plain("ai-tasks", "agents.tasks"),
    plain("ai-task-results", "agents.task_results"),
    plain("credit-ledger", "agents.credit_ledger"),
    plain("conversations", "agents.conversations"),
    ResourceDef {
        name: "messages",
        table: "agents.messages",
        hidden: &[],
        read_only: &["sequence"],
        search: None,
        sealed: None,
    },
    ResourceDef {
        name: "stores",
        table: "commerce.stores",
        hidden: &["credentials_sealed", "credentials_key_id"],
        read_only: &[],
        search: None,
        sealed: Some(SealedInput {
            field: "credentials",
            sealed_column: "credentials_sealed",
            key_column: "credentials_key_id",
        }),
    },
    plain("products", "commerce.products"),
    plain("product-variants", "commerce.product_variants"),
    ResourceDef {
        name: "customers",
        table: "commerce.customers",
        hidden: &[],
        read_only: &["total_orders", "total_spent", "first_order_at", "last_order_at"],
        search: None,
        sealed: None,
    },
    plain("orders", "commerce.orders"),
    plain("events", "analytics.analytics_events"),
    plain("activities", "analytics.user_activities"),
];

/// Columns the server always owns.
const SERVER_COLUMNS: &[&str] = &["tenant_id", "id", "created_at", "updated_at", "row_version"];

#[derive(Clone, Debug, Serialize)]
pub struct Column {
    pub name: String,
    /// The SQL type, as `format_type` spells it (usable in casts).
    pub sql_type: String,
    /// The base type's name (`int4`, `uuid`, `text`, an enum's name...).
    pub type_name: String,
    pub is_array: bool,
    pub enum_labels: Option<Vec<String>>,
    pub not_null: bool,
    pub has_default: bool,
    pub generated: bool,
    /// varchar(n)'s n.
    pub max_length: Option<i32>,
    /// Whether the app role may set it in an INSERT / an UPDATE (its privileges).
    pub insertable: bool,
    pub updatable: bool,
}

/// What a write does: the columns it may carry differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Write {
    Create,
    Change,
}

#[derive(Clone, Debug)]
pub struct Resource {
    pub def: &'static ResourceDef,
    pub columns: Vec<Column>,
    /// Columns a tenant-leading btree index serves: filterable by equality.
    pub filters: Vec<String>,
    /// Non-null columns a list can be ordered by (keyset pagination).
    pub sorts: Vec<String>,
    /// Columns the database sets to the acting user (`tenancy.acting_user_columns()`).
    pub stamped: Vec<String>,
    /// Whether the app role may delete rows.
    pub deletable: bool,
}

impl Resource {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Whether a client may send `column` in a write of this kind: the app role's
    /// privileges decide, less what the server or the database's rules set.
    pub fn writable_in(&self, column: &Column, write: Write) -> bool {
        self.writable(column)
            && match write {
                Write::Create => column.insertable,
                Write::Change => column.updatable,
            }
    }

    /// Whether a write of this kind exists at all for the app role.
    pub fn allows(&self, write: Write) -> bool {
        self.columns.iter().any(|c| self.writable_in(c, write))
    }

    fn writable(&self, column: &Column) -> bool {
        !column.generated
            && !SERVER_COLUMNS.contains(&column.name.as_str())
            && !self.stamped.contains(&column.name)
            && !self.def.read_only.contains(&column.name.as_str())
            && !self.def.hidden.contains(&column.name.as_str())
    }

    pub fn visible(&self, column: &Column) -> bool {
        !self.def.hidden.contains(&column.name.as_str()) && column.type_name != "tsvector"
    }

    pub fn hidden_keys(&self) -> Vec<String> {
        self.columns.iter().filter(|c| !self.visible(c)).map(|c| c.name.clone()).collect()
    }

    pub fn default_sort(&self) -> &str {
        if self.sorts.iter().any(|s| s == "created_at") {
            "created_at"
        } else {
            "id"
        }
    }
}

/// The resources, read from the catalog once at start-up.
#[derive(Clone, Default)]
pub struct Resources(pub Arc<BTreeMap<&'static str, Resource>>);

impl Resources {
    pub async fn load(db: &Db) -> Result<Self, DbError> {
        let acting_user_columns: Vec<String> = db
            .read_catalog("SELECT unnest(tenancy.acting_user_columns())", &[])
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut all = BTreeMap::new();
        for def in RESOURCES {
            all.insert(def.name, load_resource(db, def, &acting_user_columns).await?);
        }
        Ok(Resources(Arc::new(all)))
    }

    pub fn get(&self, name: &str) -> ApiResult<&Resource> {
        self.0.get(name).ok_or(ApiError::NotFound)
    }
}

async fn load_resource(
    db: &Db,
    def: &'static ResourceDef,
    acting_user_columns: &[String],
) -> Result<Resource, DbError> {
    let rows = db
        .read_catalog(
            "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod),
                    coalesce(et.typname, t.typname)::text, t.typcategory = 'A',
                    CASE WHEN coalesce(et.typtype, t.typtype) = 'e'
                         THEN array(SELECT enumlabel::text FROM pg_enum WHERE enumtypid = coalesce(et.oid, t.oid) ORDER BY enumsortorder)
                    END,
                    a.attnotnull, a.atthasdef, a.attgenerated <> '',
                    CASE WHEN t.typname IN ('varchar', 'bpchar') AND a.atttypmod > 4 THEN a.atttypmod - 4 END,
                    has_column_privilege('tenantbase_app', a.attrelid, a.attnum, 'INSERT'),
                    has_column_privilege('tenantbase_app', a.attrelid, a.attnum, 'UPDATE'),
                    array(SELECT pg_get_constraintdef(k.oid) FROM pg_constraint k
                          WHERE k.conrelid = a.attrelid AND k.contype = 'c' AND k.conkey = ARRAY[a.attnum])
             FROM pg_attribute a
             JOIN pg_type t ON t.oid = a.atttypid
             LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
             WHERE a.attrelid = $1::text::regclass AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum",
            &[&def.table],
        )
        .await?;
    let columns: Vec<Column> = rows
        .iter()
        .map(|r| Column {
            name: r.get(0),
            sql_type: r.get(1),
            type_name: r.get(2),
            is_array: r.get(3),
            enum_labels: r.get(4),
            not_null: r.get(5),
            has_default: r.get(6),
            generated: r.get(7),
            max_length: r.get(8),
            insertable: r.get(9),
            updatable: r.get(10),
        })
        .zip(rows.iter().map(|r| r.get::<_, Vec<String>>(11)))
        .map(|(column, checks)| Column {
            enum_labels: column.enum_labels.or_else(|| checks.iter().find_map(|c| vocabulary(c))),
            ..column
        })
        .collect();
    let filters: Vec<String> = db
        .read_catalog(
            "SELECT DISTINCT a.attname::text
             FROM pg_index i
             JOIN pg_class ic ON ic.oid = i.indexrelid
             JOIN pg_am am ON am.oid = ic.relam AND am.amname = 'btree'
             JOIN pg_attribute lead ON lead.attrelid = i.indrelid AND lead.attnum = i.indkey[0] AND lead.attname = 'tenant_id'
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[1]
             WHERE i.indrelid = $1::text::regclass AND i.indnkeyatts > 1
             ORDER BY 1",
            &[&def.table],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .filter(|name: &String| name != "id")
        .collect();
    let sorts = columns
        .iter()
        .filter(|c| {
            c.not_null && !c.is_array && (filters.contains(&c.name) || c.name == "created_at" || c.name == "updated_at")
        })
        .filter(|c| !matches!(c.type_name.as_str(), "jsonb" | "json" | "tsvector" | "bool"))
        .map(|c| c.name.clone())
        .collect();
    let stamped = columns.iter().map(|c| c.name.clone()).filter(|c| acting_user_columns.contains(c)).collect();
    let deletable = db
        .read_catalog("SELECT has_table_privilege('tenantbase_app', $1::text::regclass, 'DELETE')", &[&def.table])
        .await?[0]
        .get(0);
    Ok(Resource { def, columns, filters, sorts, stamped, deletable })
}

/// The labels of a vocabulary written as a CHECK on one column, as PostgreSQL
/// prints it: `CHECK ((kind = ANY (ARRAY['charge'::text, 'top_up'::text])))`.
fn vocabulary(check: &str) -> Option<Vec<String>> {
    let list = check.split_once(" = ANY (ARRAY[")?.1.strip_suffix("])))")?;
    list.split(", ")
        .map(|item| {
            let (quoted, _cast) = item.rsplit_once("::")?;
            let label = quoted.strip_prefix('\'')?.strip_suffix('\'')?;
            (!label.contains('\'')).then(|| label.to_string())
        })
        .collect()
}

/// Checks one JSON value against a column, naming the field when it does not fit.
fn check_value(column: &Column, value: &Value) -> ApiResult<()> {
    let field = || column.name.clone();
    if value.is_null() {
        return if column.not_null { Err(ApiError::validation(field(), "must not be null")) } else { Ok(()) };
    }
    if column.is_array {
        let Value::Array(items) = value else { return Err(ApiError::validation(field(), "must be an array")) };
        let element = Column { is_array: false, not_null: true, ..column.clone() };
        return items.iter().try_for_each(|item| check_value(&element, item));
    }
    let ok = match column.type_name.as_str() {
        "jsonb" | "json" => !contains_nul(value),
        "bool" => value.is_boolean(),
        "int2" => value.as_i64().is_some_and(|v| i16::try_from(v).is_ok()),
        "int4" => value.as_i64().is_some_and(|v| i32::try_from(v).is_ok()),
        "int8" => value.as_i64().is_some(),
        "numeric" | "float4" | "float8" => value.is_number(),
        "uuid" => value.as_str().is_some_and(|s| Uuid::parse_str(s).is_ok()),
        "timestamptz" | "timestamp" => value.as_str().is_some_and(is_timestamp),
        "date" => value.as_str().is_some_and(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()),
        "inet" => value.as_str().is_some_and(is_inet),
        _ => match &column.enum_labels {
            Some(labels) => value.as_str().is_some_and(|s| labels.iter().any(|l| l == s)),
            None => value.is_string(),
        },
    };
    if !ok {
        let expected = match &column.enum_labels {
            Some(labels) => format!("must be one of: {}", labels.join(", ")),
            None => format!("must be a valid {}", column.type_name),
        };
        return Err(ApiError::validation(field(), expected));
    }
    if let (Some(max), Some(s)) = (column.max_length, value.as_str()) {
        if s.chars().count() > max as usize {
            return Err(ApiError::validation(field(), format!("must have at most {max} characters")));
        }
    }
    if value.as_str().is_some_and(|s| s.contains('\0')) {
        return Err(ApiError::validation(field(), "must not contain NUL characters"));
    }
    Ok(())
}

/// An RFC 3339 time whose offset PostgreSQL takes (at most 15:59 from UTC).
fn is_timestamp(text: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(text).is_ok_and(|t| t.offset().local_minus_utc().abs() < 16 * 3600)
}

/// A NUL character anywhere in a JSON value, keys included: PostgreSQL's text and
/// jsonb cannot hold one.
fn contains_nul(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(contains_nul),
        Value::Object(fields) => fields.iter().any(|(k, v)| k.contains('\0') || contains_nul(v)),
        _ => false,
    }
}

/// An address, optionally with a prefix length (`10.0.0.0/8`).
fn is_inet(s: &str) -> bool {
    let (ip, bits) = s.split_once('/').unwrap_or((s, "0"));
    match (ip.parse::<std::net::IpAddr>(), bits.parse::<u8>()) {
        (Ok(ip), Ok(bits)) => bits <= if ip.is_ipv4() { 32 } else { 128 },
        _ => false,
    }
}

/// A write body: an object of writable columns only, each value of its column's type.
fn check_body(resource: &Resource, body: &Value, write: Write) -> ApiResult<Vec<String>> {
    if !resource.allows(write) {
        return Err(ApiError::MethodNotAllowed);
    }
    let creating = write == Write::Create;
    let Value::Object(fields) = body else { return Err(ApiError::BadRequest("the body must be a JSON object".into())) };
    let sealed_field = resource.def.sealed.as_ref().map(|s| s.field);
    for (name, value) in fields {
        if Some(name.as_str()) == sealed_field {
            if value.is_null() {
                return Err(ApiError::validation(name, "must not be null"));
            }
            continue;
        }
        let column = resource
            .column(name)
            .filter(|c| resource.visible(c))
            .ok_or_else(|| ApiError::validation(name, "is not a field of this resource"))?;
        if !resource.writable_in(column, write) {
            let why = if resource.writable(column) { "cannot be changed" } else { "is set by the server" };
            return Err(ApiError::validation(name, why));
        }
        if !creating && super::lifecycle::action_owned(resource.def.name).contains(&name.as_str()) {
            return Err(ApiError::validation(name, "changes only through this resource's actions"));
        }
        check_value(column, value)?;
    }
    if creating {
        if let Some(missing) = resource
            .columns
            .iter()
            .find(|c| resource.writable_in(c, write) && c.not_null && !c.has_default && !fields.contains_key(&c.name))
        {
            return Err(ApiError::validation(&missing.name, "is required"));
        }
        if let Some(field) = sealed_field.filter(|f| !fields.contains_key(*f)) {
            return Err(ApiError::validation(field, "is required"));
        }
    } else if fields.is_empty() {
        return Err(ApiError::BadRequest("nothing to change".into()));
    }
    Ok(fields.keys().filter(|k| Some(k.as_str()) != sealed_field).cloned().collect())
}

/// Replaces a resource's plain secret in `body` by its sealed columns, bound to
/// the row's id; returns the columns added.
fn seal_secret(
    state: &AppState,
    resource: &Resource,
    tenant_id: Uuid,
    row_id: Uuid,
    body: &mut Value,
) -> ApiResult<Vec<String>> {
    let (Some(sealed), Value::Object(fields)) = (&resource.def.sealed, body) else { return Ok(Vec::new()) };
    let Some(secret) = fields.remove(sealed.field) else { return Ok(Vec::new()) };
    let sealer = state.sealer.as_ref().ok_or_else(|| {
        tracing::error!("a secret arrived but {} is not configured", crate::secrets::KEY_ENV);
        ApiError::Unavailable
    })?;
    let bytes = sealer.seal(tenant_id, row_id, secret.to_string().as_bytes());
    fields.insert(sealed.sealed_column.into(), Value::String(format!("\\x{}", hex::encode(bytes))));
    fields.insert(sealed.key_column.into(), Value::String(sealer.key_id().into()));
    Ok(vec![sealed.sealed_column.into(), sealed.key_column.into()])
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// GET /v1/tenants/{tenant}/{resource}: filters on indexed columns (`?status=active`),
/// `sort` (`-created_at` for descending), `limit`, `cursor`, and `q` where searchable.
pub async fn list(
    State(state): State<AppState>,
    t: InTenant,
    ApiPath((_, name)): ApiPath<(String, String)>,
    ApiQuery(params): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Json<Page<Value>>> {
    let resource = state.resources.get(&name)?;
    let limit = match params.get("limit") {
        Some(l) => parse_limit(Some(l.parse().map_err(|_| ApiError::validation("limit", "must be a whole number"))?))?,
        None => parse_limit(None)?,
    };
    let (sort, descending) = match params.get("sort").map(String::as_str) {
        Some(s) => {
            let (column, descending) = s.strip_prefix('-').map(|c| (c, true)).unwrap_or((s, false));
            if !resource.sorts.iter().any(|c| c == column) && column != "id" {
                return Err(ApiError::validation("sort", format!("must be one of: id, {}", resource.sorts.join(", "))));
            }
            (column.to_string(), descending)
        }
        None => (resource.default_sort().to_string(), true),
    };
    let sort_type = resource.column(&sort).map(|c| c.sql_type.clone()).unwrap_or_else(|| "uuid".into());

    let mut conditions = String::new();
    let mut values: Vec<Option<String>> = Vec::new();
    let placeholder = |values: &mut Vec<Option<String>>, v: Option<String>| {
        values.push(v);
        format!("${}", values.len() + 2)
    };
    // Filters in the order of their names, so that one set of filters is one
    // statement text, whatever order the query string gave them in.
    let mut filters: Vec<(&String, &String)> = params.iter().collect();
    filters.sort();
    for (key, value) in filters {
        if matches!(key.as_str(), "limit" | "sort" | "cursor" | "q") {
            continue;
        }
        let column = resource.column(key).filter(|c| resource.filters.contains(&c.name)).ok_or_else(|| {
            ApiError::validation(key, format!("is not a filter; filters: {}", resource.filters.join(", ")))
        })?;
        check_value(column, &query_value(column, value))?;
        let p = placeholder(&mut values, Some(value.clone()));
        conditions.push_str(&format!(" AND t.{} = {p}::text::{}", quote(&column.name), column.sql_type));
    }
    if let Some(q) = params.get("q") {
        let search =
            resource.def.search.ok_or_else(|| ApiError::validation("q", "this resource has no full-text search"))?;
        if q.trim().is_empty() || q.len() > 500 {
            return Err(ApiError::validation("q", "needs 1 to 500 characters"));
        }
        let p = placeholder(&mut values, Some(q.clone()));
        conditions.push_str(&search_condition(search, &p));
    }
    if let Some(cursor) = params.get("cursor") {
        let cursor = Cursor::decode(cursor, &sort, descending)?;
        let pv = placeholder(&mut values, Some(cursor.value));
        let pid = placeholder(&mut values, Some(cursor.id.to_string()));
        let op = if descending { "<" } else { ">" };
        conditions.push_str(&format!(
            " AND (t.{s}, t.id) {op} ({pv}::text::{sort_type}, {pid}::text::uuid)",
            s = quote(&sort)
        ));
    }
    let sql = list_sql(resource.def.table, &sort, descending, &conditions, values.len() + 3);

    let hidden = resource.hidden_keys();
    let fetch = limit + 1;
    let mut args: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = vec![&t.ctx.tenant_id, &hidden];
    for v in &values {
        args.push(v);
    }
    args.push(&fetch);
    let rows = state.db.tenant_query(&t.ctx, &sql, &args).await?;
    let rows: Vec<(Value, String, Uuid)> = rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect();
    let page = Page::of(rows, limit, &sort, descending, |(_, value, id)| (value.clone(), *id));
    Ok(Json(Page { items: page.items.into_iter().map(|(item, _, _)| item).collect(), next_cursor: page.next_cursor }))
}

/// A page of a list: `$1` the tenant, `$2` the hidden keys, then the parameters of
/// `conditions`, then the number of rows (`$limit_parameter`): every value a
/// parameter, so the text depends only on the filters' names and the sort.
/// Public so that `tenantbase bench` runs the API's exact SQL.
pub fn list_sql(table: &str, sort: &str, descending: bool, conditions: &str, limit_parameter: usize) -> String {
    let direction = if descending { "DESC" } else { "ASC" };
    format!(
        "SELECT to_jsonb(t) - $2::text[], t.{s}::text, t.id FROM {table} t WHERE t.tenant_id = $1{conditions} \
         ORDER BY t.{s} {direction}, t.id {direction} LIMIT ${limit_parameter}",
        s = quote(sort)
    )
}

/// A list's full-text search through the resource's `search.*` function, the
/// query the parameter `placeholder`.
pub fn search_condition(search: &str, placeholder: &str) -> String {
    format!(" AND t.id = ANY (ARRAY(SELECT s.id FROM {search}({placeholder}::text, 1000) s))")
}

/// One row by id: `$1` the tenant, `$2` the id, `$3` the hidden keys.
pub fn get_sql(table: &str) -> String {
    format!("SELECT to_jsonb(t) - $3::text[] FROM {table} t WHERE t.tenant_id = $1 AND t.id = $2")
}

/// An insert from a JSON object of `fields`: `$1` the tenant, `$2` the object, `$3` the hidden keys.
pub fn insert_sql(table: &str, fields: &[String]) -> String {
    let columns: Vec<String> = fields.iter().map(|f| quote(f)).collect();
    format!(
        "INSERT INTO {table} AS t (tenant_id{sep}{cols}) SELECT $1{sep}{picked} FROM jsonb_populate_record(NULL::{table}, $2::jsonb) p
         RETURNING to_jsonb(t) - $3::text[]",
        sep = if columns.is_empty() { "" } else { ", " },
        cols = columns.join(", "),
        picked = columns.iter().map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", "),
    )
}

/// A change of `fields` from a JSON object: `$1` the tenant, `$2` the id, `$3` the
/// object, `$4` the hidden keys, `$5` the row versions If-Match admits (NULL: any).
pub fn update_sql(table: &str, fields: &[String]) -> String {
    let columns: Vec<String> = fields.iter().map(|f| quote(f)).collect();
    format!(
        "UPDATE {table} t SET ({cols}) = (SELECT {picked} FROM jsonb_populate_record(t, $3::jsonb) p)
         WHERE t.tenant_id = $1 AND t.id = $2 AND ($5::int8[] IS NULL OR t.row_version = ANY ($5))
         RETURNING to_jsonb(t) - $4::text[]",
        cols = columns.join(", "),
        picked = columns.iter().map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", "),
    )
}

/// A delete by id: `$1` the tenant, `$2` the id, `$3` the row versions If-Match admits (NULL: any).
pub fn delete_sql(table: &str) -> String {
    format!("DELETE FROM {table} WHERE tenant_id = $1 AND id = $2 AND ($3::int8[] IS NULL OR row_version = ANY ($3)) RETURNING 1")
}

/// A query-string value as the JSON value its column expects, for validation.
fn query_value(column: &Column, raw: &str) -> Value {
    match column.type_name.as_str() {
        "bool" => raw.parse::<bool>().map(Value::Bool).unwrap_or(Value::String(raw.into())),
        "int2" | "int4" | "int8" => raw.parse::<i64>().map(Value::from).unwrap_or(Value::String(raw.into())),
        "numeric" | "float4" | "float8" => raw.parse::<f64>().map(Value::from).unwrap_or(Value::String(raw.into())),
        _ => Value::String(raw.into()),
    }
}

pub async fn get(
    State(state): State<AppState>,
    t: InTenant,
    ApiPath((_, name, id)): ApiPath<(String, String, String)>,
) -> ApiResult<Versioned> {
    let resource = state.resources.get(&name)?;
    let id = parse_id(&id)?;
    let sql = get_sql(resource.def.table);
    let rows = state.db.tenant_query(&t.ctx, &sql, &[&t.ctx.tenant_id, &id, &resource.hidden_keys()]).await?;
    rows.first().map(|r| Versioned(r.get(0))).ok_or(ApiError::NotFound)
}

pub async fn create(
    State(state): State<AppState>,
    t: InTenant,
    ApiPath((_, name)): ApiPath<(String, String)>,
    OriginalUri(uri): OriginalUri,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<(StatusCode, [(HeaderName, String); 1], Versioned)> {
    let resource = state.resources.get(&name)?;
    let mut fields = check_body(resource, &body, Write::Create)?;
    let mut body = body;
    if resource.def.sealed.is_some() {
        let id = Uuid::new_v4();
        body["id"] = Value::String(id.to_string());
        fields.push("id".into());
        fields.extend(seal_secret(&state, resource, t.ctx.tenant_id, id, &mut body)?);
    }
    let sql = insert_sql(resource.def.table, &fields);
    let mut tx = state.db.tenant_tx(&t.ctx).await?;
    let row: Value = tx.query_one(&sql, &[&t.ctx.tenant_id, &body, &resource.hidden_keys()]).await?.get(0);
    idempotency::commit_with_status(tx, StatusCode::CREATED, &row).await?;
    let location = format!("{}/{}", uri.path().trim_end_matches('/'), row["id"].as_str().unwrap_or_default());
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Versioned(row)))
}

pub async fn update(
    State(state): State<AppState>,
    t: InTenant,
    if_match: IfMatch,
    ApiPath((_, name, id)): ApiPath<(String, String, String)>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<Versioned> {
    let resource = state.resources.get(&name)?;
    let id = parse_id(&id)?;
    let mut fields = check_body(resource, &body, Write::Change)?;
    let mut body = body;
    fields.extend(seal_secret(&state, resource, t.ctx.tenant_id, id, &mut body)?);
    let sql = update_sql(resource.def.table, &fields);
    let mut tx = state.db.tenant_tx(&t.ctx).await?;
    let row = tx.query_opt(&sql, &[&t.ctx.tenant_id, &id, &body, &resource.hidden_keys(), &if_match.0]).await?;
    let Some(row) = row else { return Err(refusal(&mut tx, resource.def.table, "id", id, &if_match).await) };
    tx.commit().await?;
    Ok(Versioned(row.get(0)))
}

pub async fn delete(
    State(state): State<AppState>,
    t: InTenant,
    if_match: IfMatch,
    ApiPath((_, name, id)): ApiPath<(String, String, String)>,
) -> ApiResult<StatusCode> {
    let resource = state.resources.get(&name)?;
    if !resource.deletable {
        return Err(ApiError::MethodNotAllowed);
    }
    let id = parse_id(&id)?;
    let sql = delete_sql(resource.def.table);
    let mut tx = state.db.tenant_tx(&t.ctx).await?;
    let row = tx.query_opt(&sql, &[&t.ctx.tenant_id, &id, &if_match.0]).await.map_err(still_referenced)?;
    if row.is_none() {
        return Err(refusal(&mut tx, resource.def.table, "id", id, &if_match).await);
    }
    // Deferred references are checked at commit.
    tx.commit().await.map_err(still_referenced)?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn parse_id(id: &str) -> ApiResult<Uuid> {
    Uuid::parse_str(id).map_err(|_| ApiError::validation("id", "is not a UUID"))
}

/// A delete that other rows still refer to is a conflict with them (409), not bad input.
fn still_referenced(e: DbError) -> ApiError {
    let referenced = matches!(&e, DbError::Postgres(pg) if pg.code() == Some(&SqlState::FOREIGN_KEY_VIOLATION));
    if referenced {
        let by = e.constraint().map(|c| format!(" ({c})")).unwrap_or_default();
        return ApiError::Conflict(format!("other rows refer to this one{by}; delete or change them first"));
    }
    e.into()
}

/// The JSON Schema of a resource's rows (`write` None), or of the body of a write:
/// a create requires what the database requires; a change requires nothing.
pub fn row_schema(resource: &Resource, write: Option<Write>) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    let owned = super::lifecycle::action_owned(resource.def.name);
    let owned = |c: &Column| owned.contains(&c.name.as_str());
    // Action-owned states are set at creation, then only by the actions (PATCH refuses them).
    let shown = |c: &&Column| {
        resource.visible(c)
            && write.is_none_or(|w| resource.writable_in(c, w))
            && !(write == Some(Write::Change) && owned(c))
    };
    for column in resource.columns.iter().filter(shown) {
        let mut schema = column_schema(column);
        if write == Some(Write::Create) && owned(column) {
            schema["description"] = "the initial state; afterwards changed only by this resource's actions".into();
        }
        properties.insert(column.name.clone(), schema);
        if write == Some(Write::Create) && column.not_null && !column.has_default {
            required.push(Value::String(column.name.clone()));
        }
    }
    if let (Some(_), Some(sealed)) = (write, &resource.def.sealed) {
        properties.insert(
            sealed.field.into(),
            serde_json::json!({ "type": "object", "description": "sealed by the server; never returned" }),
        );
        if write == Some(Write::Create) {
            required.push(Value::String(sealed.field.into()));
        }
    }
    let mut schema = serde_json::json!({ "type": "object", "properties": properties });
    if write.is_some() {
        schema["additionalProperties"] = Value::Bool(false);
    } else {
        // A row always carries every visible column.
        required =
            resource.columns.iter().filter(|c| resource.visible(c)).map(|c| Value::String(c.name.clone())).collect();
    }
    if !required.is_empty() {
        schema["required"] = Value::Array(required);
    }
    schema
}

fn column_schema(column: &Column) -> Value {
    let mut base = match column.type_name.as_str() {
        "bool" => serde_json::json!({ "type": "boolean" }),
        "int2" | "int4" => serde_json::json!({ "type": "integer", "format": "int32" }),
        "int8" => serde_json::json!({ "type": "integer", "format": "int64" }),
        "numeric" | "float4" | "float8" => serde_json::json!({ "type": "number" }),
        "uuid" => serde_json::json!({ "type": "string", "format": "uuid" }),
        "timestamptz" | "timestamp" => serde_json::json!({ "type": "string", "format": "date-time" }),
        "date" => serde_json::json!({ "type": "string", "format": "date" }),
        "jsonb" | "json" => serde_json::json!({}),
        _ => match &column.enum_labels {
            Some(labels) => serde_json::json!({ "type": "string", "enum": labels }),
            None => serde_json::json!({ "type": "string" }),
        },
    };
    if let Some(max) = column.max_length {
        base["maxLength"] = Value::from(max);
    }
    if column.is_array {
        base = serde_json::json!({ "type": "array", "items": base });
    }
    // OpenAPI 3.1 is JSON Schema: a nullable value is a type array (or a oneOf with null).
    if !column.not_null {
        base = match base.get("type").cloned() {
            Some(Value::String(kind)) if base.get("enum").is_none() => {
                base["type"] = serde_json::json!([kind, "null"]);
                base
            }
            None => base,
            Some(_) => serde_json::json!({ "oneOf": [base, { "type": "null" }] }),
        };
    }
    base
}

#[cfg(test)]
#[path = "resources_tests.rs"]
mod tests;
