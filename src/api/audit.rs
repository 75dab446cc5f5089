//! GET /v1/tenants/{tenant}/audit: the tenant's audit trail, newest first, with
//! filters (actor, table, operation, time range) and cursor pagination. Only
//! sealed entries are listed (each with its place on the chain and its hash);
//! reading takes the `audit` `read` permission, which the log's policy checks too.

use std::collections::HashMap;

use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use super::auth::{InTenant, Scope};
use super::error::{ApiError, ApiResult, Problem};
use super::page::MAX_LIMIT;
use super::{ApiQuery, AppState};

/// Every filter is a parameter, NULL when absent: one statement text for every request.
const ENTRIES_SQL: &str = "
    SELECT jsonb_build_object(
               'position', l.id, 'occurred_at', l.occurred_at, 'written_at', l.written_at,
               'event_type', l.event_type, 'event_action', l.event_action, 'event_description', l.event_description,
               'table_name', l.table_name, 'operation', l.operation, 'row_key', l.row_key,
               'old_values', l.old_values, 'new_values', l.new_values,
               'target_type', l.target_type, 'target_id', l.target_id, 'project_id', l.project_id,
               'user_id', l.user_id, 'impersonated_by', l.impersonated_by, 'api_key_id', l.api_key_id,
               'request_id', l.request_id, 'ip_address', host(l.ip_address), 'user_agent', l.user_agent,
               'metadata', l.metadata, 'hash', encode(l.hash, 'hex'), 'sealed', true),
           l.id
    FROM audit.log l
    WHERE l.tenant_id = $1
      AND ($2::uuid IS NULL OR l.user_id = $2)
      AND ($3::text IS NULL OR l.table_name = $3)
      AND ($4::text IS NULL OR l.operation = $4::text::audit.operation)
      AND ($5::timestamptz IS NULL OR l.occurred_at >= $5)
      AND ($6::timestamptz IS NULL OR l.occurred_at < $6)
      AND ($7::bigint IS NULL OR l.id < $7)
    ORDER BY l.occurred_at DESC, l.id DESC
    LIMIT $8";

#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    /// Entries, newest first: `position` (on the tenant's chain), times, what changed and who did it,
    /// `hash`, and `sealed` (always true: entries appear once the sealer has chained them).
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<Value>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

fn time(params: &HashMap<String, String>, name: &str) -> ApiResult<Option<DateTime<Utc>>> {
    params
        .get(name)
        .map(|v| {
            DateTime::parse_from_rfc3339(v)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| ApiError::validation(name, "must be an RFC 3339 time, e.g. 2026-12-01T00:00:00Z"))
        })
        .transpose()
}

#[utoipa::path(get, path = "/v1/tenants/{tenant}/audit", tag = "audit", security(("bearer" = [])),
    params(("tenant" = Uuid, Path),
           ("actor" = Option<Uuid>, Query, description = "the acting user"),
           ("table" = Option<String>, Query, description = "a table, schema-qualified: tenancy.memberships"),
           ("operation" = Option<String>, Query, description = "insert, update or delete"),
           ("since" = Option<String>, Query, description = "sealed at or after (RFC 3339)"),
           ("until" = Option<String>, Query, description = "sealed before (RFC 3339)"),
           ("limit" = Option<i64>, Query, description = "1 to 200, default 50"),
           ("cursor" = Option<String>, Query)),
    responses((status = 200, body = AuditPage), (status = 403, body = Problem), (status = 422, body = Problem),
              (status = 404, body = Problem)))]
pub async fn list_entries(
    State(state): State<AppState>,
    t: InTenant,
    ApiQuery(params): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Json<AuditPage>> {
    t.require(Scope::Read)?;
    if let Some(unknown) = params
        .keys()
        .find(|k| !matches!(k.as_str(), "actor" | "table" | "operation" | "since" | "until" | "limit" | "cursor"))
    {
        return Err(ApiError::validation(unknown, "is not a filter; filters: actor, table, operation, since, until"));
    }
    let actor = params
        .get("actor")
        .map(|v| v.parse::<Uuid>().map_err(|_| ApiError::validation("actor", "must be a user id")))
        .transpose()?;
    let table = params.get("table").cloned();
    if table.as_ref().is_some_and(|t| t.is_empty() || t.len() > 200) {
        return Err(ApiError::validation("table", "needs 1 to 200 characters"));
    }
    let operation = params.get("operation").cloned();
    if operation.as_deref().is_some_and(|o| !matches!(o, "insert" | "update" | "delete")) {
        return Err(ApiError::validation("operation", "must be insert, update or delete"));
    }
    let (since, until) = (time(&params, "since")?, time(&params, "until")?);
    let limit: i64 = match params.get("limit") {
        Some(l) => l
            .parse()
            .ok()
            .filter(|l| (1..=MAX_LIMIT).contains(l))
            .ok_or_else(|| ApiError::validation("limit", format!("must be 1 to {MAX_LIMIT}")))?,
        None => 50,
    };
    let before = params
        .get("cursor")
        .map(|c| {
            c.parse::<i64>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| ApiError::validation("cursor", "is not a cursor of this listing"))
        })
        .transpose()?;

    let mut tx = state.db.tenant_tx(&t.ctx).await?;
    let allowed: bool = tx.query_one("SELECT tenancy.has_permission('audit', 'read')", &[]).await?.get(0);
    if !allowed {
        return Err(ApiError::Forbidden("reading the audit trail takes the audit:read permission"));
    }
    let fetch = limit + 1;
    let rows =
        tx.query(ENTRIES_SQL, &[&t.ctx.tenant_id, &actor, &table, &operation, &since, &until, &before, &fetch]).await?;
    tx.commit().await?;
    let more = rows.len() as i64 > limit;
    let rows = &rows[..rows.len().min(limit as usize)];
    let next_cursor = rows.last().filter(|_| more).map(|r| r.get::<_, i64>(1).to_string());
    Ok(Json(AuditPage { items: rows.iter().map(|r| r.get(0)).collect(), next_cursor }))
}
