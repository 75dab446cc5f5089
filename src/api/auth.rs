//! Who is calling, and may they act in this tenant.
//!
//! Bearer tokens are opaque: a session token (`tbs_…`) from login, or an API key
//! (`tbk_<tenant>_<prefix>_<secret>`). Only their SHA-256 is stored. A verified
//! token and a membership are cached for [`CACHE_TTL`]: a revoked key, an ended
//! session or a removed member stops working within that window, and a hot
//! request path costs no authentication round trip.

use std::collections::HashMap;
use std::time::Duration;

use axum::extract::{FromRef, FromRequestParts, MatchedPath, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use moka::future::Cache;
use rand::RngCore;
use sha2::{Digest, Sha256};
use tower_http::request_id::RequestId;
use uuid::Uuid;

use super::client_address::ClientAddress;
use super::error::{ApiError, ApiResult};
use super::AppState;
use crate::db::{AccountDb, RequestMeta, TenantCtx};

/// How long a verified token or membership is trusted without asking the database.
pub const CACHE_TTL: Duration = Duration::from_secs(5);

const SESSION_PREFIX: &str = "tbs_";
const API_KEY_PREFIX: &str = "tbk_";
const INVITATION_PREFIX: &str = "tbi_";

/// What an API key may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Read,
    Write,
    Admin,
}

impl Scope {
    /// Each scope includes the ones before it: admin > write > read.
    fn rank(name: &str) -> u8 {
        match name {
            "admin" => 2,
            "write" => 1,
            _ => 0,
        }
    }

    fn required_rank(self) -> u8 {
        match self {
            Scope::Read => 0,
            Scope::Write => 1,
            Scope::Admin => 2,
        }
    }
}

/// A verified caller.
#[derive(Clone, Debug)]
pub enum Principal {
    Session { user_id: Uuid, session_id: Uuid },
    ApiKey { user_id: Uuid, key_id: Uuid, tenant_id: Uuid, scopes: Vec<String> },
}

impl Principal {
    pub fn user_id(&self) -> Uuid {
        match self {
            Principal::Session { user_id, .. } | Principal::ApiKey { user_id, .. } => *user_id,
        }
    }
}

/// Short-lived caches of verified tokens and memberships.
#[derive(Clone)]
pub struct AuthCache {
    tokens: Cache<[u8; 32], Principal>,
    memberships: Cache<(Uuid, Uuid), Option<String>>,
    /// (user, slug) -> the id of that user's tenant with this slug.
    slugs: Cache<(Uuid, String), Option<Uuid>>,
    /// Tenants found not moving: a move is seen within the TTL (the database refuses
    /// the tenant's context at once; only the answer waits).
    not_moving: Cache<Uuid, ()>,
}

impl Default for AuthCache {
    fn default() -> Self {
        AuthCache {
            tokens: Cache::builder().time_to_live(CACHE_TTL).max_capacity(100_000).build(),
            memberships: Cache::builder().time_to_live(CACHE_TTL).max_capacity(100_000).build(),
            slugs: Cache::builder().time_to_live(CACHE_TTL).max_capacity(100_000).build(),
            not_moving: Cache::builder().time_to_live(CACHE_TTL).max_capacity(100_000).build(),
        }
    }
}

impl AuthCache {
    /// Forget a token at once (logout, revocation through this server).
    pub async fn forget_token(&self, token_hash: &[u8; 32]) {
        self.tokens.invalidate(token_hash).await;
    }

    /// Forget a membership at once (role change or removal through this server).
    pub async fn forget_membership(&self, tenant_id: Uuid, user_id: Uuid) {
        self.memberships.invalidate(&(tenant_id, user_id)).await;
    }
}

pub fn hash_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buf);
    hex::encode(buf)
}

pub fn new_session_token() -> String {
    format!("{SESSION_PREFIX}{}", random_hex(32))
}

/// A new invitation token: handed to the inviter once, stored only as its hash.
pub fn new_invitation_token() -> String {
    format!("{INVITATION_PREFIX}{}", random_hex(32))
}

/// A new API key for a tenant: (the token to hand out once, its public prefix).
pub fn new_api_key(tenant_id: Uuid) -> (String, String) {
    let prefix = random_hex(6);
    let token = format!("{API_KEY_PREFIX}{}_{prefix}_{}", tenant_id.simple(), random_hex(32));
    (token, prefix)
}

async fn verify(accounts: &AccountDb, cache: &AuthCache, token: &str) -> ApiResult<Principal> {
    let hash = hash_token(token);
    if let Some(principal) = cache.tokens.get(&hash).await {
        return Ok(principal);
    }
    let principal = if token.starts_with(SESSION_PREFIX) {
        let now = accounts.clock().now();
        let rows = accounts
            .call("SELECT session_id, user_id FROM platform.authenticate_session($1, $2)", &[&hash.as_slice(), &now])
            .await?;
        let row = rows.first().ok_or(ApiError::Unauthorized("the session is unknown, ended or expired"))?;
        Principal::Session { session_id: row.get(0), user_id: row.get(1) }
    } else if let Some(rest) = token.strip_prefix(API_KEY_PREFIX) {
        let mut parts = rest.splitn(3, '_');
        let (Some(tenant), Some(prefix), Some(_secret)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(ApiError::Unauthorized("malformed API key"));
        };
        let tenant_id = Uuid::parse_str(tenant).map_err(|_| ApiError::Unauthorized("malformed API key"))?;
        let rows = accounts
            .call(
                "SELECT key_id, key_hash, scopes, acting_user FROM platform.authenticate_api_key($1, $2, $3)",
                &[&tenant_id, &prefix, &accounts.clock().now()],
            )
            .await?;
        let row = rows.first().ok_or(ApiError::Unauthorized("the API key is unknown, revoked or expired"))?;
        let stored: Vec<u8> = row.get(1);
        if !constant_time_eq(&stored, &hash) {
            return Err(ApiError::Unauthorized("the API key is unknown, revoked or expired"));
        }
        Principal::ApiKey { key_id: row.get(0), scopes: row.get(2), user_id: row.get(3), tenant_id }
    } else {
        return Err(ApiError::Unauthorized("unknown token kind"));
    };
    cache.tokens.insert(hash, principal.clone()).await;
    Ok(principal)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// An authenticated request, with the facts recorded alongside its changes.
pub struct Caller {
    pub principal: Principal,
    pub token_hash: [u8; 32],
    pub meta: RequestMeta,
}

impl<S> FromRequestParts<S> for Caller
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(ApiError::Unauthorized("send Authorization: Bearer <session token or API key>"))?;
        let principal = verify(&state.accounts, &state.auth, token).await?;
        let mut meta = request_meta(parts);
        if let Principal::ApiKey { key_id, .. } = &principal {
            meta.api_key_id = Some(*key_id);
        }
        Ok(Caller { principal, token_hash: hash_token(token), meta })
    }
}

/// The request facts of an unauthenticated request (login).
pub struct Meta(pub RequestMeta);

impl<S: Send + Sync> FromRequestParts<S> for Meta {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Meta(request_meta(parts)))
    }
}

/// Request id (set by the request-id layer), client address (behind trusted proxies, the
/// one they forwarded) and user agent.
pub fn request_meta(parts: &Parts) -> RequestMeta {
    RequestMeta {
        request_id: parts
            .extensions
            .get::<RequestId>()
            .and_then(|id| id.header_value().to_str().ok())
            .map(str::to_string),
        api_key_id: None,
        client_ip: parts.extensions.get::<ClientAddress>().map(|c| c.0),
        user_agent: parts.headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_string),
        impersonated_by: None,
    }
}

/// The id of the caller's tenant with this slug: only the caller's own tenants are
/// looked at, so a slug of someone else's tenant answers like one that does not exist.
async fn tenant_by_slug(app: &AppState, user_id: Uuid, slug: &str) -> ApiResult<Option<Uuid>> {
    if slug.is_empty() || slug.len() > 100 {
        return Ok(None);
    }
    let key = (user_id, slug.to_string());
    if let Some(found) = app.auth.slugs.get(&key).await {
        return Ok(found);
    }
    let rows = app
        .db
        .tenant_query(
            &TenantCtx::for_user(user_id),
            "SELECT tenant_id FROM platform.my_tenants() WHERE slug = $1::text::citext",
            &[&slug],
        )
        .await?;
    let found = rows.first().map(|r| r.get(0));
    app.auth.slugs.insert(key, found).await;
    Ok(found)
}

/// A caller acting in the tenant named by the path's `{tenant}` (its id or its slug): authenticated,
/// an active member (else 404, exactly like a tenant that does not exist), and
/// carrying the context every transaction of this request runs under.
pub struct InTenant {
    pub ctx: TenantCtx,
    pub role: String,
    pub caller: Caller,
    pub method: Method,
}

impl InTenant {
    /// API keys are limited by scope; sessions by their role (enforced by the database).
    pub fn require(&self, scope: Scope) -> ApiResult<()> {
        match &self.caller.principal {
            Principal::ApiKey { scopes, .. } if !scopes.iter().any(|s| Scope::rank(s) >= scope.required_rank()) => {
                Err(ApiError::Forbidden("the API key's scopes do not allow this"))
            }
            _ => Ok(()),
        }
    }

    /// Writes need the write scope; reads the read scope. A similarity search is a
    /// read that takes a body, so it is POSTed.
    pub fn require_for_method(&self, path: &str) -> ApiResult<()> {
        let reads = self.method == Method::GET || (self.method == Method::POST && path.ends_with("/similar"));
        self.require(if reads { Scope::Read } else { Scope::Write })
    }

    pub fn user_id(&self) -> Uuid {
        self.caller.principal.user_id()
    }
}

impl<S> FromRequestParts<S> for InTenant
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, state).await?;
        let app = AppState::from_ref(state);
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::BadRequest("invalid path".into()))?;
        let tenant = params.get("tenant").map(String::as_str).unwrap_or_default();
        let user_id = caller.principal.user_id();
        let tenant_id = match Uuid::parse_str(tenant) {
            Ok(id) => id,
            Err(_) => tenant_by_slug(&app, user_id, tenant).await?.ok_or(ApiError::NotFound)?,
        };
        if let Principal::ApiKey { tenant_id: key_tenant, .. } = &caller.principal {
            if *key_tenant != tenant_id {
                return Err(ApiError::NotFound);
            }
        }
        let key = (tenant_id, user_id);
        let role = match app.auth.memberships.get(&key).await {
            Some(role) => role,
            None => {
                let rows =
                    app.accounts.call("SELECT platform.membership_role($1, $2)::text", &[&tenant_id, &user_id]).await?;
                let role: Option<String> = rows.first().and_then(|r| r.get(0));
                app.auth.memberships.insert(key, role.clone()).await;
                role
            }
        };
        let role = role.ok_or(ApiError::NotFound)?;
        // A member learns where a moved tenant went; the database refuses its context meanwhile.
        if app.auth.not_moving.get(&tenant_id).await.is_none() {
            move_of(&app, tenant_id, user_id).await?;
        }
        let ctx = TenantCtx { tenant_id, user_id: Some(user_id), meta: caller.meta.clone() };
        let in_tenant = InTenant { ctx, role, caller, method: parts.method.clone() };
        in_tenant.require_for_method(parts.uri.path())?;
        Ok(in_tenant)
    }
}

/// Err(Moved or Moving) when the tenant moves; else remembers it is not moving.
async fn move_of(app: &AppState, tenant_id: Uuid, user_id: Uuid) -> ApiResult<()> {
    let rows = app.accounts.call("SELECT * FROM platform.tenant_move_of($1, $2)", &[&tenant_id, &user_id]).await?;
    match rows.first().map(|r| (r.get::<_, Option<String>>(0), r.get::<_, Option<bool>>(1))) {
        Some((Some(location), Some(true))) => Err(ApiError::Moved(location)),
        Some((Some(_), _)) => Err(ApiError::Moving),
        _ => {
            app.auth.not_moving.insert(tenant_id, ()).await;
            Ok(())
        }
    }
}

/// A tenant request the database refused is asked again, uncached, whether its tenant began
/// to move: the answer is then 503 (or 410), not the refusal the failed-closed context gave.
pub async fn answer_moves(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let under_a_tenant = request.extensions().get::<MatchedPath>().is_some_and(|p| p.as_str().contains("{tenant}"));
    if !under_a_tenant {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let t = match InTenant::from_request_parts(&mut parts, &state).await {
        Ok(t) => t,
        Err(e) => return e.into_response(),
    };
    let response = next.run(Request::from_parts(parts, body)).await;
    if !matches!(response.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::CONFLICT) {
        return response;
    }
    state.auth.not_moving.invalidate(&t.ctx.tenant_id).await;
    match move_of(&state, t.ctx.tenant_id, t.ctx.user_id.unwrap_or_default()).await {
        Ok(()) => response,
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
#[path = "auth_tests.rs"]
mod tests;
