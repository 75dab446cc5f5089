//! `Idempotency-Key` on every create and action (POST under a tenant): a retry
//! with the same key and the same request gets the first answer, byte for
//! byte, and changes nothing; the same key with another request answers 422.
//! Keys are per tenant (`tenancy.idempotency_keys`, under RLS) and expire
//! after [`KEY_TTL`], by the server's clock.
//!
//! Retries reaching this server while the first is running wait for it (one
//! lock per tenant and key), then replay its answer. On another server
//! instance they find the key reserved and answer 409 until the first is done.
//! An answer of 5xx or 429 is not kept: nothing was done, the key is released.
//!
//! Work done in one tenant transaction (creates, actions) keeps its answer under
//! the key in that same transaction ([`commit_answering`]): the work and its
//! record commit together or not at all, so a crash in between cannot leave
//! work that a retry would do again once the reservation lapses. Other work has
//! its answer kept after it, by the middleware.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::{to_bytes, Body};
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::auth::InTenant;
use super::error::{ApiError, ApiResult};
use super::AppState;
use crate::db::TenantTx;

pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// Set on an answer replayed from a key.
pub const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");
/// How long a key and its answer are kept.
pub const KEY_TTL: chrono::Duration = chrono::Duration::hours(24);

/// One key's lock: its retries on this server wait for the first.
type KeyLock = Arc<tokio::sync::Mutex<()>>;

/// The locks of the keys in use on this server.
#[derive(Clone, Default)]
pub struct Keys(Arc<Mutex<HashMap<(Uuid, String), KeyLock>>>);

impl Keys {
    fn lock_of(&self, tenant: Uuid, key: &str) -> KeyLock {
        let mut keys = self.0.lock().expect("the key map's lock is never poisoned");
        keys.entry((tenant, key.to_string())).or_default().clone()
    }

    /// Forgets a key's lock once no request holds it.
    fn release(&self, tenant: Uuid, key: &str, lock: KeyLock) {
        let mut keys = self.0.lock().expect("the key map's lock is never poisoned");
        // The map's reference and ours: nobody else waits.
        if Arc::strong_count(&lock) == 2 {
            keys.remove(&(tenant, key.to_string()));
        }
    }
}

/// The key of the request being run, for its work transaction to keep the answer in.
struct Pending {
    tenant: Uuid,
    key: String,
    /// Set once the work's transaction, holding the answer, was sent its COMMIT.
    committed: AtomicBool,
}

tokio::task_local! {
    static PENDING: Arc<Pending>;
}

/// Commits the work's transaction, keeping `answer` under the request's
/// Idempotency-Key in it when there is one; answers 200 with `answer`.
pub async fn commit_answering(tx: TenantTx, answer: Value) -> ApiResult<Json<Value>> {
    commit_with_status(tx, StatusCode::OK, &answer).await?;
    Ok(Json(answer))
}

/// Commits the work's transaction, keeping the answer (`status`, `body` as JSON,
/// serialised as the response will be) under the request's key when there is one.
pub async fn commit_with_status(mut tx: TenantTx, status: StatusCode, body: &Value) -> ApiResult<()> {
    let pending = PENDING.try_with(Arc::clone).ok().filter(|p| p.tenant == tx.tenant_id());
    let Some(pending) = pending else { return Ok(tx.commit().await?) };
    let bytes = serde_json::to_vec(body).map_err(|e| ApiError::Internal(e.into()))?;
    let kept = tx
        .execute(
            "UPDATE tenancy.idempotency_keys SET status_code = $3, content_type = 'application/json',
                 response_body = $4
             WHERE tenant_id = $1 AND key = $2 AND status_code IS NULL",
            &[&pending.tenant, &pending.key, &i32::from(status.as_u16()), &bytes],
        )
        .await?;
    if kept == 0 {
        // Another server took the lapsed reservation over and answered first: the work is undone.
        tx.rollback().await?;
        return Err(ApiError::Conflict("a request with this Idempotency-Key was answered meanwhile".into()));
    }
    pending.committed.store(true, Ordering::SeqCst);
    Ok(tx.commit().await?)
}

/// A key is printable ASCII without spaces, 1 to 255 characters (as the table's rule).
fn usable(key: &str) -> bool {
    (1..=255).contains(&key.len()) && key.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

/// Middleware: POSTs under a tenant with an Idempotency-Key go through the key
/// (elsewhere, as on sign-up or login, the header is ignored).
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let under_a_tenant = request.extensions().get::<MatchedPath>().is_some_and(|p| p.as_str().contains("{tenant}"));
    if request.method() != Method::POST || !under_a_tenant || !request.headers().contains_key(IDEMPOTENCY_KEY) {
        return next.run(request).await;
    }
    match keyed(state, request, next).await {
        Ok(response) | Err(response) => response,
    }
}

async fn keyed(state: AppState, request: Request, next: Next) -> Result<Response, Response> {
    let key = request.headers().get(IDEMPOTENCY_KEY).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    if !usable(&key) {
        return Err(
            ApiError::validation("Idempotency-Key", "must be 1 to 255 printable ASCII characters").into_response()
        );
    }
    let (mut parts, body) = request.into_parts();
    let t = InTenant::from_request_parts(&mut parts, &state).await.map_err(IntoResponse::into_response)?;
    let body = to_bytes(body, state.body_limit).await.map_err(|_| ApiError::PayloadTooLarge.into_response())?;
    let mut hash = Sha256::new();
    for part in
        [t.user_id().as_bytes().as_slice(), parts.method.as_str().as_bytes(), b"\0", parts.uri.path().as_bytes(), b"\0"]
    {
        hash.update(part);
    }
    hash.update(&body);
    let hash = hash.finalize().to_vec();

    let tenant = t.ctx.tenant_id;
    let lock = state.idempotency.lock_of(tenant, &key);
    let answer = {
        let _held = lock.lock().await;
        match reserve(&state, &t, &key, &hash).await.map_err(IntoResponse::into_response)? {
            Some(replay) => Ok(replay),
            None => {
                let pending = Arc::new(Pending { tenant, key: key.clone(), committed: AtomicBool::new(false) });
                let request = Request::from_parts(parts, Body::from(body));
                let response = PENDING.scope(pending.clone(), next.run(request)).await;
                if pending.committed.load(Ordering::SeqCst) {
                    // Kept with the work, or (a failed COMMIT) reserved until it lapses.
                    Ok(response)
                } else {
                    finish(&state, &t, &key, response).await
                }
            }
        }
    };
    state.idempotency.release(tenant, &key, lock);
    answer
}

/// Reserves the key, or answers from it: the stored answer for the same
/// request, 422 for another, 409 while another server works on it.
async fn reserve(state: &AppState, t: &InTenant, key: &str, hash: &[u8]) -> Result<Option<Response>, ApiError> {
    let now = state.db.clock().now();
    let locked_until = now + chrono::Duration::from_std(state.limits.request_timeout).unwrap_or_default() * 2;
    let expires_at = now + KEY_TTL;
    let mut tx = state.db.tenant_tx(&t.ctx).await?;
    // Expired keys of the tenant go first (a few at a time), this one included.
    tx.execute(
        "DELETE FROM tenancy.idempotency_keys WHERE tenant_id = $1 AND ctid = ANY (ARRAY(
             SELECT ctid FROM tenancy.idempotency_keys WHERE tenant_id = $1 AND expires_at <= $2 LIMIT 100))",
        &[&t.ctx.tenant_id, &now],
    )
    .await?;
    // A reservation that lapsed (its server stopped) is taken over.
    let taken = tx
        .query_opt(
            "INSERT INTO tenancy.idempotency_keys AS k (tenant_id, key, request_hash, locked_until, expires_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (tenant_id, key) DO UPDATE SET request_hash = excluded.request_hash,
                 locked_until = excluded.locked_until, expires_at = excluded.expires_at
             WHERE k.status_code IS NULL AND k.locked_until <= $6
             RETURNING 1",
            &[&t.ctx.tenant_id, &key, &hash, &locked_until, &expires_at, &now],
        )
        .await?;
    if taken.is_some() {
        tx.commit().await?;
        return Ok(None);
    }
    let row = tx
        .query_one(
            "SELECT request_hash, status_code, content_type, response_body FROM tenancy.idempotency_keys
             WHERE tenant_id = $1 AND key = $2",
            &[&t.ctx.tenant_id, &key],
        )
        .await?;
    tx.commit().await?;
    let (stored_hash, status, content_type, body): (Vec<u8>, Option<i32>, Option<String>, Option<Vec<u8>>) =
        (row.get(0), row.get(1), row.get(2), row.get(3));
    if stored_hash != hash {
        return Err(ApiError::validation("Idempotency-Key", "was used with another request"));
    }
    let Some(status) = status else {
        return Err(ApiError::Conflict("a request with this Idempotency-Key is in progress; retry later".into()));
    };
    let mut response = Response::new(Body::from(body.unwrap_or_default()));
    *response.status_mut() = StatusCode::from_u16(status as u16).map_err(|e| ApiError::Internal(e.into()))?;
    if let Some(content_type) = content_type.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().insert(header::CONTENT_TYPE, content_type);
    }
    response.headers_mut().insert(REPLAYED, HeaderValue::from_static("true"));
    Ok(Some(response))
}

/// Keeps the answer under the key, or releases the key when nothing was done.
async fn finish(state: &AppState, t: &InTenant, key: &str, response: Response) -> Result<Response, Response> {
    let (parts, body) = response.into_parts();
    let body = to_bytes(body, usize::MAX).await.map_err(|e| ApiError::Internal(e.into()).into_response())?;
    let transient = parts.status.is_server_error() || parts.status == StatusCode::TOO_MANY_REQUESTS;
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
    let status = i32::from(parts.status.as_u16());
    let stored: Result<(), ApiError> = async {
        let mut tx = state.db.tenant_tx(&t.ctx).await?;
        if transient {
            tx.execute(
                "DELETE FROM tenancy.idempotency_keys WHERE tenant_id = $1 AND key = $2 AND status_code IS NULL",
                &[&t.ctx.tenant_id, &key],
            )
            .await?;
        } else {
            tx.execute(
                "UPDATE tenancy.idempotency_keys SET status_code = $3, content_type = $4, response_body = $5
                 WHERE tenant_id = $1 AND key = $2 AND status_code IS NULL",
                &[&t.ctx.tenant_id, &key, &status, &content_type, &body.to_vec()],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
    .await;
    if let Err(e) = stored {
        // The work is done and answered; a retry finds the key reserved until it lapses.
        tracing::warn!(error = %e, "an idempotency key's answer could not be kept");
    }
    Ok(Response::from_parts(parts, Body::from(body)))
}

/// The Idempotency-Key header on every POST under a tenant, in the OpenAPI document.
pub fn describe(doc: &mut serde_json::Value) {
    let header = serde_json::json!({
        "name": "Idempotency-Key", "in": "header", "required": false,
        "description": "A retry with the same key and request gets the first answer (header Idempotent-Replayed) and changes nothing; the same key with another request answers 422. Per tenant, kept 24 hours.",
        "schema": { "type": "string", "minLength": 1, "maxLength": 255 }
    });
    let Some(paths) = doc["paths"].as_object_mut() else { return };
    for (path, item) in paths.iter_mut() {
        if let (true, Some(post)) = (path.contains("{tenant}"), item.get_mut("post")) {
            match post["parameters"].as_array_mut() {
                Some(parameters) => parameters.push(header.clone()),
                None => post["parameters"] = serde_json::json!([header.clone()]),
            }
        }
    }
}
