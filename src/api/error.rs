//! One error type for the whole API, answered as `application/problem+json`
//! (RFC 9457) with a stable `type`. Nothing internal reaches the client: database
//! errors are mapped to what the client did wrong, and the rest is logged.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::time::Duration;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tokio_postgres::error::SqlState;

use crate::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{message}")]
    Validation { field: Option<String>, message: String },
    #[error("authentication required")]
    Unauthorized(&'static str),
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("not found")]
    NotFound,
    #[error("this path does not answer this method")]
    MethodNotAllowed,
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Gone(String),
    #[error("this tenant has moved to {0}")]
    Moved(String),
    #[error("this tenant is moving to another database; retry later")]
    Moving,
    #[error("the row changed since the version you name in If-Match (it is now {current})")]
    PreconditionFailed { current: String },
    #[error("the body is larger than the server accepts")]
    PayloadTooLarge,
    #[error("too many failed logins; retry later")]
    Throttled(Duration),
    #[error("the server is busy; retry later")]
    Busy(Duration),
    #[error("this tenant has as many requests in flight as its plan allows; retry later")]
    TenantBusy(Duration),
    #[error("the body did not arrive in time")]
    BodyTimeout,
    #[error("the request took longer than the server allows")]
    RequestTimeout,
    #[error("the service is unavailable")]
    Unavailable,
    #[error("{0}")]
    NotInstalled(&'static str),
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Validation { field: Some(field.into()), message: message.into() }
    }

    fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad-request", "Bad request"),
            ApiError::Validation { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "validation", "Invalid value"),
            ApiError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized", "Authentication required"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", "Forbidden"),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not-found", "Not found"),
            ApiError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict", "Conflict"),
            ApiError::Gone(_) => (StatusCode::GONE, "gone", "Gone"),
            ApiError::Moved(_) => (StatusCode::GONE, "moved", "Tenant moved"),
            ApiError::Moving => (StatusCode::SERVICE_UNAVAILABLE, "moving", "Tenant moving"),
            ApiError::PreconditionFailed { .. } => {
                (StatusCode::PRECONDITION_FAILED, "precondition-failed", "The row changed")
            }
            ApiError::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large", "Payload too large"),
            ApiError::Throttled(_) => (StatusCode::TOO_MANY_REQUESTS, "throttled", "Too many attempts"),
            ApiError::Busy(_) => (StatusCode::SERVICE_UNAVAILABLE, "busy", "Server busy"),
            ApiError::TenantBusy(_) => (StatusCode::TOO_MANY_REQUESTS, "tenant-busy", "Too many requests in flight"),
            ApiError::BodyTimeout => (StatusCode::REQUEST_TIMEOUT, "body-timeout", "Request body too slow"),
            ApiError::RequestTimeout => (StatusCode::SERVICE_UNAVAILABLE, "request-timeout", "Request too slow"),
            ApiError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "unavailable", "Service unavailable"),
            ApiError::NotInstalled(_) => (StatusCode::NOT_IMPLEMENTED, "not-installed", "Not installed here"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal", "Internal error"),
        }
    }
}

/// The problem document every error answers with.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Stable identifier of the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The request field at fault, for validation problems.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

pub const PROBLEM_BASE: &str = "https://tenantbase.dev/problems/";

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, slug, title) = self.parts();
        let detail = match &self {
            ApiError::Internal(e) => {
                tracing::error!(error = format!("{e:#}"), "internal error");
                "the server could not complete the request".to_string()
            }
            ApiError::Unauthorized(why) | ApiError::Forbidden(why) => why.to_string(),
            other => other.to_string(),
        };
        let field = match &self {
            ApiError::Validation { field, .. } => field.clone(),
            _ => None,
        };
        let problem = Problem {
            kind: format!("{PROBLEM_BASE}{slug}"),
            title: title.to_string(),
            status: status.as_u16(),
            detail,
            field,
        };
        let mut response = (status, axum::Json(problem)).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, "application/problem+json".parse().expect("a valid header"));
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, "Bearer".parse().expect("a valid header"));
        }
        if let ApiError::Unavailable | ApiError::RequestTimeout = self {
            // A database or pooler that went away usually answers again within seconds.
            response.headers_mut().insert(header::RETRY_AFTER, 2.into());
        }
        if let ApiError::Moved(location) = &self {
            // The location is an operator's URL; one that is no header value is still in the detail.
            if let Ok(value) = location.parse() {
                response.headers_mut().insert(header::LOCATION, value);
            }
        }
        if let ApiError::Moving = self {
            response.headers_mut().insert(header::RETRY_AFTER, 5.into());
        }
        if let ApiError::Throttled(wait) | ApiError::Busy(wait) | ApiError::TenantBusy(wait) = self {
            set_retry_after(&mut response, wait);
        }
        if let ApiError::PreconditionFailed { current } = &self {
            if let Ok(value) = current.parse() {
                response.headers_mut().insert(header::ETAG, value);
            }
        }
        response
    }
}

/// How long a client is asked to wait after a 503 or 429 that names no wait of its own.
pub const RETRY_AFTER_DEFAULT: Duration = Duration::from_secs(1);

fn set_retry_after(response: &mut Response, wait: Duration) {
    // Whole seconds, never 0: "retry at once" is what the answer says not to do.
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    response.headers_mut().insert(header::RETRY_AFTER, seconds.max(1).into());
}

/// Every 503 and 429 the server sends carries `Retry-After`, whoever produced it
/// (a handler, a timeout, a load shedder, the readiness probe): the outermost layer
/// adds [`RETRY_AFTER_DEFAULT`] where an answer has none.
pub async fn ensure_retry_after(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let mut response = next.run(request).await;
    let status = response.status();
    if (status == StatusCode::SERVICE_UNAVAILABLE || status == StatusCode::TOO_MANY_REQUESTS)
        && !response.headers().contains_key(header::RETRY_AFTER)
    {
        set_retry_after(&mut response, RETRY_AFTER_DEFAULT);
    }
    response
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        let DbError::Postgres(pg) = &e else {
            return match e {
                DbError::Pool(_) | DbError::Timeout(_) | DbError::ConnectionDropped => ApiError::Unavailable,
                other => ApiError::Internal(other.into()),
            };
        };
        let Some(db) = pg.as_db_error() else {
            // The connection broke: the database is down or restarting.
            return ApiError::Unavailable;
        };
        let rule = db.constraint().map(short_rule);
        let field = || db.column().map(str::to_string).or_else(|| db.constraint().and_then(constraint_field));
        match db.code() {
            c if *c == SqlState::INSUFFICIENT_PRIVILEGE => ApiError::Forbidden("your role does not allow this"),
            c if *c == SqlState::UNIQUE_VIOLATION => {
                ApiError::Conflict(format!("a row with the same {} exists", rule.unwrap_or_else(|| "key".into())))
            }
            c if *c == SqlState::NOT_NULL_VIOLATION => {
                ApiError::Validation { field: db.column().map(str::to_string), message: "is required".into() }
            }
            c if *c == SqlState::FOREIGN_KEY_VIOLATION => ApiError::Validation {
                field: field(),
                message: format!("refers to a row that does not exist ({})", rule.unwrap_or_default()),
            },
            // A lifecycle's refusal (tenancy.refuse_illegal_transition): the row's state, not the input, is at odds.
            c if *c == SqlState::CHECK_VIOLATION && db.constraint().is_some_and(|c| c.ends_with("_lifecycle")) => {
                ApiError::Conflict(db.message().to_string())
            }
            c if *c == SqlState::CHECK_VIOLATION || *c == SqlState::EXCLUSION_VIOLATION => ApiError::Validation {
                field: field(),
                message: format!("breaks the rule {}", rule.unwrap_or_else(|| db.message().to_string())),
            },
            c if *c == SqlState::RAISE_EXCEPTION => {
                ApiError::Validation { field: field(), message: db.message().to_string() }
            }
            // Class 22, data exceptions: a value the database cannot take (NUL in text,
            // an offset out of range, a number too large...). The input's fault, not ours.
            c if c.code().starts_with("22") => ApiError::Validation {
                field: db.column().map(str::to_string),
                message: "a value has the wrong form".into(),
            },
            c if *c == SqlState::T_R_SERIALIZATION_FAILURE => {
                ApiError::Conflict("a concurrent change interfered; retry".into())
            }
            // Logged inside the request's span, so with its request id: a deadlock left is a lock order to fix.
            c if *c == SqlState::T_R_DEADLOCK_DETECTED => {
                tracing::warn!(detail = db.detail().unwrap_or_default(), "deadlock detected");
                ApiError::Conflict("a concurrent change interfered; retry".into())
            }
            // lock_timeout (the app role's setting): the row stayed held by another write.
            c if *c == SqlState::LOCK_NOT_AVAILABLE => {
                ApiError::Conflict("another change holds this row; retry".into())
            }
            // The connection, a pooler in front of it, the server's resources or its
            // own time limit (57014, statement_timeout): the service, not the request.
            c if c.code().starts_with("08")
                || c.code().starts_with("53")
                || c.code().starts_with("57P")
                || *c == SqlState::QUERY_CANCELED =>
            {
                ApiError::Unavailable
            }
            _ => ApiError::Internal(e.into()),
        }
    }
}

/// Named constraints of the schema -> the first column each constrains (tenant_id
/// aside), read from the catalog at start-up: a refused write names its field.
static CONSTRAINT_FIELDS: OnceLock<HashMap<String, String>> = OnceLock::new();

/// Reads which column each named constraint of the tenant schemas constrains.
pub async fn learn_constraint_fields(db: &crate::db::Db) -> Result<(), DbError> {
    if CONSTRAINT_FIELDS.get().is_some() {
        return Ok(());
    }
    let rows = db
        .read_catalog(
            "SELECT k.conname::text, a.attname::text
             FROM pg_constraint k
             JOIN LATERAL unnest(k.conkey) WITH ORDINALITY u(n, i) ON true
             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n AND a.attname <> 'tenant_id'
             JOIN pg_namespace s ON s.oid = k.connamespace
             WHERE s.nspname NOT IN ('pg_catalog', 'information_schema')
             ORDER BY k.conname, u.i",
            &[],
        )
        .await?;
    let mut fields = HashMap::new();
    for row in &rows {
        fields.entry(row.get(0)).or_insert_with(|| row.get(1));
    }
    let _ = CONSTRAINT_FIELDS.set(fields);
    Ok(())
}

fn constraint_field(constraint: &str) -> Option<String> {
    CONSTRAINT_FIELDS.get()?.get(constraint).cloned()
}

/// `orders_valid_total_amount` -> `valid_total_amount`: the rule, without the table.
fn short_rule(constraint: &str) -> String {
    constraint.split_once('_').map(|(_, rest)| rest).unwrap_or(constraint).to_string()
}

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::JsonRejection) -> Self {
        use axum::extract::rejection::JsonRejection::*;
        match rejection {
            JsonDataError(e) => ApiError::Validation { field: None, message: data_error_text(&e.body_text()) },
            JsonSyntaxError(_) => ApiError::BadRequest("the body is not valid JSON".into()),
            MissingJsonContentType(_) => ApiError::BadRequest("send the body as application/json".into()),
            BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
            other if caused_by::<tower_http::timeout::TimeoutError>(&other) => ApiError::BodyTimeout,
            _ => ApiError::BadRequest("the body could not be read".into()),
        }
    }
}

/// Whether `error` or one of its sources is an `E`.
fn caused_by<E: std::error::Error + 'static>(error: &(dyn std::error::Error + 'static)) -> bool {
    std::iter::successors(Some(error), |e| e.source()).any(|e| e.is::<E>())
}

/// serde's message without axum's prefix: "unknown field `x`, expected ...".
fn data_error_text(text: &str) -> String {
    text.rsplit_once(": ").map(|(_, tail)| tail).unwrap_or(text).to_string()
}

impl From<axum::extract::rejection::PathRejection> for ApiError {
    fn from(_: axum::extract::rejection::PathRejection) -> Self {
        ApiError::Validation { field: None, message: "a path parameter is not a valid UUID".into() }
    }
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(_: axum::extract::rejection::QueryRejection) -> Self {
        ApiError::BadRequest("the query string could not be read".into())
    }
}
