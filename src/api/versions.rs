//! Safe concurrent edits. Every tenant row carries a `row_version` the database keeps
//! (`tenancy.keep_row_version`: 1 when inserted, one more at each update). A read
//! answers it as the `ETag`; a write with `If-Match` changes the row only if its
//! version is still one of those named, in the same statement as the change, and
//! a stale write answers 412 with the current `ETag`.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

use super::error::ApiError;

/// The strong entity tag of a row version: `"7"`.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// A JSON row answered with its `ETag` (from its `row_version` field, when it has one).
pub struct Versioned(pub Value);

impl IntoResponse for Versioned {
    fn into_response(self) -> Response {
        let version = self.0.get("row_version").and_then(Value::as_i64);
        let mut response = Json(self.0).into_response();
        if let Some(value) = version.and_then(|v| HeaderValue::from_str(&etag(v)).ok()) {
            response.headers_mut().insert(header::ETAG, value);
        }
        response
    }
}

/// The request's `If-Match`: `None` without the header or with `*` (any current
/// row); otherwise the versions its strong tags name. Tags that name no version
/// of ours (weak ones included: If-Match compares strongly) match nothing, so a
/// write carrying only those is stale.
pub struct IfMatch(pub Option<Vec<i64>>);

impl IfMatch {
    /// Whether `version` satisfies the precondition.
    pub fn admits(&self, version: i64) -> bool {
        self.0.as_ref().is_none_or(|versions| versions.contains(&version))
    }

    /// The refusal of a write whose row is now at `current`.
    pub fn stale(current: i64) -> ApiError {
        ApiError::PreconditionFailed { current: etag(current) }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let mut values = parts.headers.get_all(header::IF_MATCH).iter().peekable();
        if values.peek().is_none() {
            return Ok(IfMatch(None));
        }
        let mut versions = Vec::new();
        for value in values {
            let text = value.to_str().map_err(|_| ApiError::validation("If-Match", "is not a list of entity tags"))?;
            for tag in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                if tag == "*" {
                    return Ok(IfMatch(None));
                }
                if let Some(version) =
                    tag.strip_prefix('"').and_then(|t| t.strip_suffix('"')).and_then(|t| t.parse().ok())
                {
                    versions.push(version);
                }
            }
        }
        Ok(IfMatch(Some(versions)))
    }
}

/// `WHERE` the acting tenant (`$1`) and `key = $2`: a lookup names its tenant
/// like every query. The tenants table is keyed by the tenant itself.
pub fn by_tenant_and(table: &str, key: &str) -> String {
    let tenant_column = if table == "tenancy.tenants" { "id" } else { "tenant_id" };
    format!("WHERE {tenant_column} = $1 AND {key} = $2")
}

/// Why a write guarded by `If-Match` touched no row of `table` keyed `key = id`
/// (under the caller's policies): invisible is 404, a version the precondition
/// refuses is 412 (before anything else), otherwise the policy refused it (403).
pub async fn refusal(
    tx: &mut crate::db::TenantTx,
    table: &str,
    key: &str,
    id: uuid::Uuid,
    if_match: &IfMatch,
) -> ApiError {
    let sql = format!("SELECT row_version FROM {table} {}", by_tenant_and(table, key));
    let tenant = tx.tenant_id();
    let found = tx.query_opt(&sql, &[&tenant, &id]).await;
    match found {
        Err(e) => e.into(),
        Ok(None) => ApiError::NotFound,
        Ok(Some(row)) if !if_match.admits(row.get(0)) => IfMatch::stale(row.get(0)),
        Ok(Some(_)) => ApiError::Forbidden("your role does not allow this"),
    }
}
