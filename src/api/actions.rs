//! Business actions: the few writes that are more than CRUD. Each is one
//! statement whose consequences the database's rules carry out (credits,
//! customer metrics, approval decisions); the handler only names the change.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use super::auth::InTenant;
use super::error::{ApiError, ApiResult, Problem};
use super::idempotency;
use super::resources::parse_id;
use super::{ApiJson, ApiPath, AppState};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Completion {
    pub output: Option<Value>,
    /// In credits; the estimate is charged when absent.
    pub actual_cost: Option<i32>,
    pub quality_score: Option<f64>,
}

/// Completes an AI task: the tenant is charged its actual (else estimated) cost
/// once; a completion the tenant cannot pay for is parked in `awaiting_credits`.
#[utoipa::path(post, path = "/v1/tenants/{tenant}/ai-tasks/{id}/complete", tag = "actions", request_body = Completion, security(("bearer" = [])),
    params(("tenant" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn complete_ai_task(
    State(state): State<AppState>,
    t: InTenant,
    ApiPath((_, id)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<Completion>,
) -> ApiResult<Json<Value>> {
    let id = parse_id(&id)?;
    if body.actual_cost.is_some_and(|c| c < 0) {
        return Err(ApiError::validation("actual_cost", "must not be negative"));
    }
    let sql = "UPDATE agents.tasks t SET status = 'completed', output = coalesce($3, output),
                   actual_cost = coalesce($4, actual_cost), quality_score = coalesce($5::float8::numeric, quality_score)
               WHERE tenant_id = $1 AND id = $2 AND status NOT IN ('completed', 'awaiting_credits', 'cancelled', 'failed')
               RETURNING to_jsonb(t)";
    one_change(&state, &t, "agents.tasks", id, sql, &[&body.output, &body.actual_cost, &body.quality_score]).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Failure {
    pub error_details: Value,
}

#[utoipa::path(post, path = "/v1/tenants/{tenant}/ai-tasks/{id}/fail", tag = "actions", request_body = Failure, security(("bearer" = [])),
    params(("tenant" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn fail_ai_task(
    State(state): State<AppState>,
    t: InTenant,
    ApiPath((_, id)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<Failure>,
) -> ApiResult<Json<Value>> {
    let id = parse_id(&id)?;
    // Exclusive: a failed task fails once (then it is retried or cancelled).
    let sql = "UPDATE agents.tasks t SET status = 'failed', error_details = $3
               WHERE tenant_id = $1 AND id = $2 AND status NOT IN ('completed', 'awaiting_credits', 'cancelled', 'failed')
               RETURNING to_jsonb(t)";
    one_change(&state, &t, "agents.tasks", id, sql, &[&body.error_details]).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    #[serde(default)]
    pub published_urls: Vec<String>,
}

/// Publishes content; needs the content:publish permission, checked by the database.
#[utoipa::path(post, path = "/v1/tenants/{tenant}/content/{id}/publish", tag = "actions", request_body = Publication, security(("bearer" = [])),
    params(("tenant" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn publish_content(
    State(state): State<AppState>,
    t: InTenant,
    ApiPath((_, id)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<Publication>,
) -> ApiResult<Json<Value>> {
    let id = parse_id(&id)?;
    let sql = "UPDATE content.content_projects t SET status = 'published', publish_date = coalesce(publish_date, now()),
                   published_urls = (SELECT array(SELECT DISTINCT u FROM unnest(published_urls || $3::text[]) u))
               WHERE tenant_id = $1 AND id = $2 AND status <> 'published' AND (SELECT tenancy.has_permission('content', 'publish'))
               RETURNING to_jsonb(t)";
    one_change(&state, &t, "content.content_projects", id, sql, &[&body.published_urls]).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// approve, reject, approve_with_conditions or delegate.
    pub decision: String,
    pub comments: Option<String>,
    pub conditions: Option<String>,
}

/// The acting user answers an approval request; the database applies the
/// workflow (required approvals, sequential order) and records the decision.
#[utoipa::path(post, path = "/v1/tenants/{tenant}/approval-requests/{id}/responses", tag = "actions", request_body = Response, security(("bearer" = [])),
    params(("tenant" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn respond_to_approval(
    State(state): State<AppState>,
    t: InTenant,
    ApiPath((_, id)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<Response>,
) -> ApiResult<Json<Value>> {
    let id = parse_id(&id)?;
    if !matches!(body.decision.as_str(), "approve" | "reject" | "approve_with_conditions" | "delegate") {
        return Err(ApiError::validation("decision", "must be approve, reject, approve_with_conditions or delegate"));
    }
    let mut tx = state.db.tenant_tx(&t.ctx).await?;
    let exists = tx
        .query_opt("SELECT 1 FROM work.approval_requests WHERE tenant_id = $1 AND id = $2", &[&t.ctx.tenant_id, &id])
        .await?;
    exists.ok_or(ApiError::NotFound)?;
    tx.execute(
        "INSERT INTO work.approval_responses (tenant_id, request_id, approver_id, decision, comments, conditions)
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[&t.ctx.tenant_id, &id, &t.user_id(), &body.decision, &body.comments, &body.conditions],
    )
    .await
    .map_err(|e| {
        if e.constraint() == Some("approval_responses_request_open") {
            return ApiError::Conflict("the request is already decided".into());
        }
        match ApiError::from(e) {
            ApiError::Conflict(_) => ApiError::Conflict("you have already answered this request".into()),
            other => other,
        }
    })?;
    let row = tx
        .query_one(
            "SELECT to_jsonb(t) FROM work.approval_requests t WHERE tenant_id = $1 AND id = $2",
            &[&t.ctx.tenant_id, &id],
        )
        .await?;
    idempotency::commit_answering(tx, row.get(0)).await
}

/// Runs one state-changing UPDATE ($1 tenant, $2 id, then `params`): a row
/// that did not change is missing (404), refused by the policies (403), or not
/// in a state that allows the change (409).
pub(super) async fn one_change(
    state: &AppState,
    t: &InTenant,
    table: &str,
    id: Uuid,
    sql: &str,
    params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) -> ApiResult<Json<Value>> {
    let mut tx = state.db.tenant_tx(&t.ctx).await?;
    let mut args: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = vec![&t.ctx.tenant_id, &id];
    args.extend_from_slice(params);
    let row = tx.query_opt(sql, &args).await?;
    let Some(row) = row else {
        let key: &[&(dyn tokio_postgres::types::ToSql + Sync)] = &[&t.ctx.tenant_id, &id];
        let visible = tx.query_opt(&format!("SELECT 1 FROM {table} WHERE tenant_id = $1 AND id = $2"), key).await?;
        if visible.is_none() {
            return Err(ApiError::NotFound);
        }
        // FOR UPDATE sees only rows the UPDATE policy lets this user change.
        let changeable =
            tx.query_opt(&format!("SELECT 1 FROM {table} WHERE tenant_id = $1 AND id = $2 FOR UPDATE"), key).await?;
        if changeable.is_some() {
            return Err(ApiError::Conflict("the row is not in a state that allows this".into()));
        }
        // The lock waited for a delete that has committed meanwhile: missing, not forbidden.
        let still_there = tx.query_opt(&format!("SELECT 1 FROM {table} WHERE tenant_id = $1 AND id = $2"), key).await?;
        return Err(match still_there {
            Some(_) => ApiError::Forbidden("your role does not allow this"),
            None => ApiError::NotFound,
        });
    };
    idempotency::commit_answering(tx, row.get(0)).await
}
