//! Embeddings over HTTP (docs/embeddings.md): a row's client-supplied vector and
//! similarity search through the RLS-safe `embeddings.similar_*` functions. The
//! routes exist on every server, so the OpenAPI document never depends on the
//! machine; where pgvector is not installed they answer 501.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use utoipa::ToSchema;
use uuid::Uuid;

use super::auth::InTenant;
use super::error::{ApiError, ApiResult, Problem};
use super::idempotency;
use super::resources::parse_id;
use super::{ApiJson, ApiPath, AppState};
use crate::db::TenantTx;

/// A resource with embeddings: its URL name, its parent table and its embeddings table
/// (whose RLS policies are the parent resource's, through tenancy.isolate()).
struct Embedded {
    parent: &'static str,
    table: &'static str,
    search: &'static str,
}

fn embedded(resource: &str) -> ApiResult<Embedded> {
    Ok(match resource {
        "content" => Embedded {
            parent: "content.content_projects",
            table: "embeddings.content_projects",
            search: "embeddings.similar_content_projects",
        },
        "messages" => {
            Embedded { parent: "agents.messages", table: "embeddings.messages", search: "embeddings.similar_messages" }
        }
        "tasks" => Embedded { parent: "work.tasks", table: "embeddings.tasks", search: "embeddings.similar_tasks" },
        _ => return Err(ApiError::NotFound),
    })
}

const NOT_INSTALLED: &str = "similarity search is not installed here (the server has no pgvector)";

/// The vector as pgvector's text form (bound, never in SQL text), after checking
/// it against the deployment's dimension.
async fn vector_text(tx: &mut TenantTx, table: &str, vector: &[f64]) -> ApiResult<String> {
    let dimension: Option<i32> = tx
        .query_opt(
            "SELECT atttypmod FROM pg_catalog.pg_attribute WHERE attrelid = pg_catalog.to_regclass($1) AND attname = 'embedding'",
            &[&table],
        )
        .await?
        .map(|r| r.get(0));
    let dimension = dimension.ok_or(ApiError::NotInstalled(NOT_INSTALLED))?;
    if vector.len() != dimension as usize {
        return Err(ApiError::validation(
            "vector",
            format!("must have {dimension} dimensions (this deployment's), not {}", vector.len()),
        ));
    }
    if vector.iter().any(|v| !v.is_finite() || v.abs() > f64::from(f32::MAX)) {
        return Err(ApiError::validation("vector", "must hold finite numbers within single precision"));
    }
    let values: Vec<String> = vector.iter().map(|v| (*v as f32).to_string()).collect();
    Ok(format!("[{}]", values.join(",")))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmbeddingInput {
    /// As many numbers as the deployment's dimension.
    pub vector: Vec<f64>,
    /// The model that made the vector, for the client's own bookkeeping.
    pub model: Option<String>,
}

/// Sets (or replaces) the embedding of a content project, message or task; the
/// parent's write rule applies.
#[utoipa::path(put, path = "/v1/tenants/{tenant}/{resource}/{id}/embedding", tag = "embeddings", request_body = EmbeddingInput, security(("bearer" = [])),
    params(("tenant" = String, Path), ("resource" = String, Path, description = "content, messages or tasks"), ("id" = Uuid, Path)),
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem),
              (status = 501, description = "pgvector is not installed on this server", body = Problem)))]
pub async fn put_embedding(
    State(state): State<AppState>,
    t: InTenant,
    ApiPath((_, resource, id)): ApiPath<(String, String, String)>,
    ApiJson(body): ApiJson<EmbeddingInput>,
) -> ApiResult<Json<Value>> {
    let target = embedded(&resource)?;
    let id = parse_id(&id)?;
    let mut tx = state.db.tenant_tx(&t.ctx).await?;
    let vector = vector_text(&mut tx, target.table, &body.vector).await?;
    let visible = tx
        .query_opt(
            &format!("SELECT 1 FROM {} WHERE tenant_id = $1 AND id = $2", target.parent),
            &[&t.ctx.tenant_id, &id],
        )
        .await?;
    visible.ok_or(ApiError::NotFound)?;
    tx.execute(
        &format!(
            "INSERT INTO {} (tenant_id, id, embedding, model) VALUES ($1, $2, $3::text::embeddings.vector, $4)
             ON CONFLICT (tenant_id, id) DO UPDATE SET embedding = excluded.embedding, model = excluded.model",
            target.table
        ),
        &[&t.ctx.tenant_id, &id, &vector, &body.model],
    )
    .await?;
    idempotency::commit_answering(tx, json!({ "id": id, "dimensions": body.vector.len(), "model": body.model })).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SimilarQuery {
    /// The query vector, of the deployment's dimension.
    pub vector: Vec<f64>,
    /// How many rows, nearest first (1 to 100, default 10).
    pub limit: Option<i32>,
    /// Equalities on the parent row's columns, all of which must hold.
    pub filter: Option<Map<String, Value>>,
}

/// The acting tenant's rows nearest to a vector (cosine distance), with the
/// parent's read rule; `items` holds each row's id and distance.
#[utoipa::path(post, path = "/v1/tenants/{tenant}/{resource}/similar", tag = "embeddings", request_body = SimilarQuery, security(("bearer" = [])),
    params(("tenant" = String, Path), ("resource" = String, Path, description = "content, messages or tasks")),
    responses((status = 200, body = Object), (status = 404, body = Problem), (status = 422, body = Problem),
              (status = 501, description = "pgvector is not installed on this server", body = Problem)))]
pub async fn similar(
    State(state): State<AppState>,
    t: InTenant,
    ApiPath((_, resource)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<SimilarQuery>,
) -> ApiResult<Json<Value>> {
    let target = embedded(&resource)?;
    let limit = body.limit.unwrap_or(10);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::validation("limit", "must be between 1 and 100"));
    }
    let filter = Value::Object(body.filter.unwrap_or_default());
    let mut tx = state.db.tenant_tx(&t.ctx).await?;
    let vector = vector_text(&mut tx, target.table, &body.vector).await?;
    let rows = tx
        .query(
            &format!("SELECT id, distance FROM {}($1::text::embeddings.vector, $2, $3)", target.search),
            &[&vector, &limit, &filter],
        )
        .await?;
    tx.commit().await?;
    let items: Vec<Value> =
        rows.iter().map(|r| json!({ "id": r.get::<_, Uuid>(0), "distance": r.get::<_, Option<f64>>(1) })).collect();
    Ok(Json(json!({ "items": items })))
}
