//! The HTTP API (axum): thin handlers over tenant-scoped transactions. Errors are
//! `application/problem+json` ([`error`]); authentication and the tenant context
//! come from extractors ([`auth`]); plain CRUD is one generic path ([`resources`]).

pub mod account;
pub mod actions;
pub mod audit;
pub mod auth;
pub mod client_address;
pub mod docs;
pub mod embeddings;
pub mod error;
pub mod fair_share;
pub mod idempotency;
pub mod invitations;
pub mod lifecycle;
pub mod metrics;
pub mod openapi;
pub mod page;
pub mod resources;
pub mod server;
pub mod shutdown;
pub mod tenants;
pub mod throttle;
pub mod versions;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::credentials::hashing::HashingPool;
use crate::db::{AccountDb, Db};
use client_address::TrustedProxies;
use error::ApiError;
use resources::Resources;
pub use server::{serve, serve_until, ServerLimits};
use throttle::LoginThrottle;

/// Largest request body accepted, by default.
pub const DEFAULT_BODY_LIMIT: usize = 256 * 1024;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

#[derive(Clone)]
pub struct AppState {
    /// Tenant work: the app role's pool.
    pub db: Db,
    /// Account work (login, sessions, memberships by id): the account role's pool.
    pub accounts: AccountDb,
    pub auth: auth::AuthCache,
    pub resources: Resources,
    /// Checked against when an email has no usable password, so every login takes as long.
    pub dummy_hash: String,
    /// Where argon2 runs: a few threads and a bounded queue.
    pub hashing: HashingPool,
    /// Failed logins per email and client address.
    pub login_throttle: LoginThrottle,
    /// The proxies whose X-Forwarded-For names the client.
    pub trusted_proxies: TrustedProxies,
    /// Connections, timeouts.
    pub limits: ServerLimits,
    /// Set on SIGTERM: `/readyz` answers 503 from then on.
    pub draining: shutdown::Draining,
    /// What `/metrics` reports (on the metrics listener).
    pub metrics: Arc<metrics::Metrics>,
    pub openapi: Arc<Value>,
    pub body_limit: usize,
    /// Seals secrets (store credentials) before they reach the database; None
    /// when `TENANTBASE_SECRET_KEY` is not set, and then secrets are refused.
    pub sealer: Option<Arc<crate::secrets::Sealer>>,
    /// The Idempotency-Keys in use on this server.
    pub idempotency: idempotency::Keys,
    /// Each tenant's share of this server's requests in flight.
    pub fair_share: fair_share::FairShare,
    /// How long a tenant its owner deletes stays restorable.
    pub deletion_window: chrono::Duration,
}

impl AppState {
    /// Reads the resources from the catalog: the database must be up and migrated.
    pub async fn new(db: Db, accounts: AccountDb, sealer: Option<crate::secrets::Sealer>) -> anyhow::Result<Self> {
        let resources = Resources::load(&db).await?;
        error::learn_constraint_fields(&db).await?;
        let openapi = Arc::new(openapi::document(&resources));
        let fair_share = fair_share::FairShare::from_env(db.status().max_size)?;
        Ok(AppState {
            db,
            accounts,
            auth: auth::AuthCache::default(),
            resources,
            dummy_hash: crate::credentials::hash_password("not anyone's password")?,
            hashing: HashingPool::per_cpu(),
            login_throttle: LoginThrottle::default(),
            trusted_proxies: TrustedProxies::default(),
            limits: ServerLimits::default(),
            draining: shutdown::Draining::default(),
            metrics: Arc::default(),
            openapi,
            body_limit: DEFAULT_BODY_LIMIT,
            sealer: sealer.map(Arc::new),
            idempotency: idempotency::Keys::default(),
            fair_share,
            deletion_window: chrono::Duration::days(crate::lifecycle::DEFAULT_WINDOW_DAYS.into()),
        })
    }
}

/// JSON bodies whose rejections answer as problems.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// Path parameters whose rejections answer as problems.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// Query strings whose rejections answer as problems.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

pub fn router(state: AppState) -> Router {
    let v1 = Router::new()
        .route("/auth/signup", post(account::signup))
        .route("/auth/login", post(account::login))
        .route("/auth/logout", post(account::logout))
        .route("/me", get(account::me))
        .route("/permissions", get(tenants::permissions))
        .route("/tenants", get(tenants::my_tenants).post(tenants::create_tenant))
        .route(
            "/tenants/{tenant}",
            get(tenants::get_tenant).patch(tenants::patch_tenant).delete(tenants::delete_tenant),
        )
        .route("/invitations/accept", post(invitations::accept_invitation))
        .route("/tenants/{tenant}/members", get(tenants::list_members))
        .route("/tenants/{tenant}/audit", get(audit::list_entries))
        .route(
            "/tenants/{tenant}/members/{user_id}",
            axum::routing::patch(tenants::change_member).delete(tenants::remove_member),
        )
        .route("/tenants/{tenant}/members/{user_id}/roles/{role_id}", post(tenants::assign_role))
        .route("/tenants/{tenant}/invitations", get(invitations::list_invitations).post(invitations::invite))
        .route("/tenants/{tenant}/invitations/{invitation_id}", axum::routing::delete(invitations::revoke_invitation))
        .route("/tenants/{tenant}/roles/{role_id}/permissions", post(tenants::grant_permission))
        .route("/tenants/{tenant}/api-keys", get(tenants::list_api_keys).post(tenants::create_api_key))
        .route("/tenants/{tenant}/api-keys/{key_id}", axum::routing::delete(tenants::revoke_api_key))
        .route("/tenants/{tenant}/ai-tasks/{id}/complete", post(actions::complete_ai_task))
        .route("/tenants/{tenant}/ai-tasks/{id}/fail", post(actions::fail_ai_task))
        .route("/tenants/{tenant}/content/{id}/publish", post(actions::publish_content))
        .route("/tenants/{tenant}/approval-requests/{id}/responses", post(actions::respond_to_approval))
        .merge(lifecycle::routes())
        .route("/tenants/{tenant}/{resource}/similar", post(embeddings::similar))
        .route("/tenants/{tenant}/{resource}/{id}/embedding", axum::routing::put(embeddings::put_embedding))
        .route("/tenants/{tenant}/{resource}", get(resources::list).post(resources::create))
        .route(
            "/tenants/{tenant}/{resource}/{id}",
            get(resources::get).patch(resources::update).delete(resources::delete),
        )
        .route_layer(middleware::from_fn_with_state(state.clone(), idempotency::guard))
        .route_layer(middleware::from_fn_with_state(state.clone(), fair_share::guard))
        .route_layer(middleware::from_fn_with_state(state.clone(), auth::answer_moves))
        // A deleted tenant is no tenant to act in: its owner restores it outside the guards above.
        .route("/tenants/{tenant}/restore", post(tenants::restore_tenant));
    let body_limit = state.body_limit;
    let request_timeout = state.limits.request_timeout;
    let trusted_proxies = state.trusted_proxies.clone();
    let metrics = state.metrics.clone();
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/openapi.json", get(openapi_json))
        .route("/", get(docs::home))
        .route("/docs", get(docs::docs))
        .route("/docs/redoc.standalone.js", get(docs::redoc))
        .nest("/v1", v1)
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .route_layer(middleware::from_fn(metrics::tag_route))
        .with_state(state)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(middleware::from_fn_with_state(request_timeout, server::answer_within))
        .layer(middleware::from_fn_with_state(metrics, metrics::track))
        .layer(middleware::from_fn_with_state(trusted_proxies, client_address::resolve))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(middleware::from_fn(drop_unusable_request_id))
        .layer(middleware::from_fn(error::ensure_retry_after))
}

/// A client's request id is kept when it is a plain token; anything else is
/// replaced by a fresh one rather than logged and stored.
async fn drop_unusable_request_id(mut request: Request, next: Next) -> Response {
    let usable = |v: &HeaderValue| {
        v.to_str().is_ok_and(|s| {
            (1..=128).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
        })
    };
    if request.headers().get(REQUEST_ID).is_some_and(|v| !usable(v)) {
        request.headers_mut().remove(REQUEST_ID);
    }
    next.run(request).await
}

/// The process is up.
async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// The process can serve: not draining, and the database answers as the app role.
async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    if state.draining.is_draining() {
        return (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "draining" })));
    }
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, Json(json!({ "status": "ready" }))),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "database unavailable" })))
        }
    }
}

async fn openapi_json(State(state): State<AppState>) -> Json<Value> {
    Json((*state.openapi).clone())
}
