//! Accounts: sign up, log in (argon2id on the bounded pool, failures throttled
//! per email and client address: [`super::throttle`]), log out, and who am I.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::auth::{hash_token, new_session_token, Caller, Meta, Principal};
use super::error::{ApiError, ApiResult, Problem};
use super::page::{created, Created};
use super::{ApiJson, AppState};
use crate::credentials::hashing::{self, Busy};
use crate::credentials::{hash_password_in, verify_password_in};
use crate::db::TenantCtx;

/// How long a session lives.
pub const SESSION_TTL: Duration = Duration::from_secs(30 * 24 * 3600);

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignUp {
    pub email: String,
    /// At least 10 characters.
    pub password: String,
    pub full_name: Option<String>,
}

/// A new account, signed in: its first session comes with it.
#[derive(Serialize, ToSchema)]
pub struct SignedUp {
    pub id: Uuid,
    pub email: String,
    pub full_name: Option<String>,
    /// The bearer token of a new session: send it as `Authorization: Bearer <token>`. Shown once.
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

#[utoipa::path(post, path = "/v1/auth/signup", tag = "auth", request_body = SignUp,
    responses((status = 201, body = SignedUp), (status = 409, body = Problem), (status = 422, body = Problem),
        (status = 503, body = Problem, headers(("Retry-After" = u64, description = "Seconds to wait.")),
            description = "Every password hashing place is taken: the server is busy.")))]
pub async fn signup(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ApiJson(body): ApiJson<SignUp>,
) -> ApiResult<Created<Json<SignedUp>>> {
    let email = email_address(&body.email)?;
    if body.password.chars().count() < 10 || body.password.len() > 1024 {
        return Err(ApiError::validation("password", "needs 10 to 1024 characters"));
    }
    let place = state.hashing.reserve().map_err(|Busy| ApiError::Busy(hashing::RETRY_AFTER))?;
    let hash = place
        .run(move |memory| hash_password_in(memory, &body.password))
        .await
        .map_err(ApiError::Internal)?
        .map_err(ApiError::Internal)?;
    let rows = state
        .accounts
        .call("SELECT platform.create_user($1::text::citext, $2, $3)", &[&email, &body.full_name, &hash])
        .await
        .map_err(|e| match ApiError::from(e) {
            ApiError::Conflict(_) => ApiError::Conflict("a user with this email exists".into()),
            other => other,
        })?;
    let id: Uuid = rows[0].get(0);
    let session = start_session(&state, id, &meta).await?;
    let (token, expires_at) = (session.token, session.expires_at);
    Ok(created("/v1/me".into(), Json(SignedUp { id, email, full_name: body.full_name, token, expires_at })))
}

/// An email address as stored: trimmed, lowercase, plausibly shaped (the database checks its form).
pub fn email_address(raw: &str) -> ApiResult<String> {
    let email = raw.trim().to_lowercase();
    if !email.contains('@') || email.len() > 320 || email.chars().any(char::is_whitespace) {
        return Err(ApiError::validation("email", "is not an email address"));
    }
    Ok(email)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Login {
    pub email: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct SessionOut {
    /// The bearer token: send it as `Authorization: Bearer <token>`. Shown once.
    pub token: String,
    pub user_id: Uuid,
    pub expires_at: DateTime<Utc>,
}

#[utoipa::path(post, path = "/v1/auth/login", tag = "auth", request_body = Login,
    responses(
        (status = 200, body = SessionOut),
        (status = 401, body = Problem,
            description = "The same answer, in the same time, for an unknown email, an account without a usable password and a wrong one."),
        (status = 429, body = Problem, headers(("Retry-After" = u64, description = "Seconds to wait.")),
            description = "Too many failed logins for this email from this address, from this address, or for this email."),
        (status = 503, body = Problem, headers(("Retry-After" = u64, description = "Seconds to wait.")),
            description = "Every password check is taken: the server is busy."),
    ))]
pub async fn login(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ApiJson(body): ApiJson<Login>,
) -> ApiResult<Json<SessionOut>> {
    let (clock, throttle) = (state.accounts.clock(), &state.login_throttle);
    throttle.check(&body.email, meta.client_ip, clock.now()).map_err(ApiError::Throttled)?;
    // Taken before the lookup, so a flood turned away costs no database work.
    let place = state.hashing.reserve().map_err(|Busy| ApiError::Busy(hashing::RETRY_AFTER))?;
    let attempt = throttle.admit(&body.email, meta.client_ip, clock.now()).map_err(ApiError::Throttled)?;
    let rows = state
        .accounts
        .call(
            "SELECT user_id, password_hash, status::text, locked_until FROM platform.login_lookup($1::text::citext)",
            &[&body.email.trim()],
        )
        .await?;
    let now = clock.now();
    let account = rows.first().map(|row| {
        let (user_id, hash, status, locked_until): (Uuid, Option<String>, String, Option<DateTime<Utc>>) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        let usable = status == "active" && locked_until.is_none_or(|until| until <= now);
        (user_id, hash, usable)
    });
    let known_user = account.as_ref().map(|(user_id, _, _)| *user_id);
    // Exactly one argon2 verification, whatever the account: its time is the answer's time.
    let (hash, user_id) = match account {
        Some((user_id, Some(hash), usable)) => (hash, usable.then_some(user_id)),
        _ => (state.dummy_hash.clone(), None),
    };
    let verified =
        place.run(move |memory| verify_password_in(memory, &body.password, &hash)).await.map_err(ApiError::Internal)?;
    let Some(user_id) = user_id.filter(|_| verified) else {
        let locked_for = attempt.failed(clock.now()).map(|wait| wait.as_secs() as i32);
        // Queued on the platform chain like any entry: failed logins wait for no one.
        state
            .accounts
            .call(
                "SELECT audit.record_login_failure($1, $2, $3, $4)",
                &[&known_user, &meta.client_ip, &meta.user_agent, &locked_for],
            )
            .await?;
        return Err(ApiError::Unauthorized("invalid email or password"));
    };
    attempt.succeeded(clock.now());
    Ok(Json(start_session(&state, user_id, &meta).await?))
}

/// A new session of `user_id`: its token is handed out once, only its hash stored.
async fn start_session(state: &AppState, user_id: Uuid, meta: &crate::db::RequestMeta) -> ApiResult<SessionOut> {
    let token = new_session_token();
    let hash = hash_token(&token);
    let now = state.accounts.clock().now();
    let rows = state
        .accounts
        .call(
            "SELECT expires_at FROM platform.start_session($1, $2, make_interval(secs => $3), $4, $5, $6)",
            &[&user_id, &hash.as_slice(), &(SESSION_TTL.as_secs() as f64), &meta.client_ip, &meta.user_agent, &now],
        )
        .await?;
    Ok(SessionOut { token, user_id, expires_at: rows[0].get(0) })
}

#[utoipa::path(post, path = "/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem)))]
pub async fn logout(State(state): State<AppState>, caller: Caller) -> ApiResult<StatusCode> {
    if !matches!(caller.principal, Principal::Session { .. }) {
        return Err(ApiError::BadRequest("an API key is revoked, not logged out".into()));
    }
    let now = state.accounts.clock().now();
    state.accounts.call("SELECT platform.end_session($1, $2)", &[&caller.token_hash.as_slice(), &now]).await?;
    state.auth.forget_token(&caller.token_hash).await;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct MembershipOut {
    /// The tenant's id.
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub role: String,
}

#[derive(Serialize, ToSchema)]
pub struct MeOut {
    pub id: Uuid,
    pub email: String,
    pub full_name: Option<String>,
    pub tenants: Vec<MembershipOut>,
}

#[utoipa::path(get, path = "/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = MeOut), (status = 401, body = Problem)))]
pub async fn me(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<MeOut>> {
    let ctx = TenantCtx::for_user(caller.principal.user_id()).with_meta(caller.meta.clone());
    let mut tx = state.db.tenant_tx(&ctx).await?;
    let user =
        tx.query_one("SELECT id, email::text, full_name FROM tenancy.users WHERE id = $1", &[&ctx.user_id]).await?;
    let tenants = super::tenants::caller_tenants(&mut tx, &caller).await?;
    tx.commit().await?;
    Ok(Json(MeOut { id: user.get(0), email: user.get(1), full_name: user.get(2), tenants }))
}
