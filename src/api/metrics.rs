//! `/metrics` in the OpenMetrics text format that Prometheus reads (the `prometheus-client` crate, one
//! registry per server, no global state). Served on a listener of its own
//! (`serve --metrics-listen`), never on the API's: it names routes, tenants and
//! pool sizes, which the API's clients have no business reading.
//!
//! Label values are bounded: routes are the router's templates (`/v1/tenants/:tenant/:resource`),
//! never the path sent; tenants get their own label only for answers below 400
//! (a member's request), and only the first [`TENANT_LABELS`] of them, the rest
//! counting as `other`.

use std::collections::HashSet;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use tokio::time::Instant;
use uuid::Uuid;

use super::AppState;

/// Tenants counted under their own label; the others count as `other`.
pub const TENANT_LABELS: usize = 100;

/// How long a scrape waits for the database's answer before reporting it down.
const PING_BUDGET: Duration = Duration::from_secs(1);

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TenantLabels {
    tenant: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    pool: &'static str,
    state: &'static str,
}

type HistogramFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// The server's metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: HistogramFamily,
    tenant_requests: Family<TenantLabels, Counter>,
    labelled_tenants: Mutex<HashSet<Uuid>>,
    pool: Family<PoolLabels, Gauge>,
    database_up: Gauge,
    unsealed: Gauge,
    seal_lag: Gauge<f64, AtomicU64>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("tenantbase");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "Requests answered, by route template and status", requests.clone());
        let durations: HistogramFamily =
            Family::new_with_constructor(|| Histogram::new(exponential_buckets(0.001, 2.0, 16)));
        registry.register("http_request_duration_seconds", "Time to answer, by route template", durations.clone());
        let tenant_requests = Family::<TenantLabels, Counter>::default();
        registry.register(
            "tenant_requests",
            "Requests answered below 400, by tenant (the first 100 tenants; the rest as other)",
            tenant_requests.clone(),
        );
        let pool = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "db_pool_connections",
            "Connections of a pool: open, idle, max, and requests waiting for one (waiting)",
            pool.clone(),
        );
        let database_up = Gauge::default();
        registry.register("db_up", "1 when the database answered the app role at the scrape", database_up.clone());
        let unsealed = Gauge::default();
        registry.register("audit_unsealed_entries", "Audit entries written and not yet sealed", unsealed.clone());
        let seal_lag = Gauge::<f64, AtomicU64>::default();
        registry.register(
            "audit_seal_lag_seconds",
            "Age of the oldest unsealed audit entry (0 when none waits)",
            seal_lag.clone(),
        );
        Metrics {
            registry,
            requests,
            durations,
            tenant_requests,
            labelled_tenants: Mutex::new(HashSet::new()),
            pool,
            database_up,
            unsealed,
            seal_lag,
        }
    }
}

impl Metrics {
    fn record(&self, method: &str, route: &str, status: StatusCode, seconds: f64, tenant: Option<Uuid>) {
        let (method, route) = (method.to_string(), route.to_string());
        self.durations.get_or_create(&RouteLabels { method: method.clone(), route: route.clone() }).observe(seconds);
        self.requests.get_or_create(&RequestLabels { method, route, status: status.as_u16() }).inc();
        if let Some(tenant) = tenant.filter(|_| status.as_u16() < 400) {
            let label = {
                let mut labelled = self.labelled_tenants.lock().expect("never poisoned");
                if labelled.contains(&tenant) || labelled.len() < TENANT_LABELS {
                    labelled.insert(tenant);
                    tenant.to_string()
                } else {
                    "other".to_string()
                }
            };
            self.tenant_requests.get_or_create(&TenantLabels { tenant: label }).inc();
        }
    }

    /// The text exposition, with the pools and the database read now.
    async fn render(&self, state: &AppState) -> String {
        for (pool, status) in [("app", state.db.status()), ("account", state.accounts.status())] {
            for (name, value) in [
                ("open", status.size),
                ("idle", status.available),
                ("max", status.max_size),
                ("waiting", status.waiting),
            ] {
                self.pool.get_or_create(&PoolLabels { pool, state: name }).set(value as i64);
            }
        }
        let up = matches!(tokio::time::timeout(PING_BUDGET, state.db.ping()).await, Ok(Ok(())));
        self.database_up.set(i64::from(up));
        // Left at its last value when the database does not answer (db_up says so).
        if let Ok(Ok(lag)) = tokio::time::timeout(PING_BUDGET, crate::audit::lag_via(&state.accounts)).await {
            self.unsealed.set(lag.unsealed);
            self.seal_lag.set(lag.age(state.accounts.clock().now()).as_secs_f64());
        }
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry).expect("writing to a String");
        text
    }
}

/// Middleware: counts and times every answer under its route template.
pub async fn track(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let response = next.run(request).await;
    // `/v1/tenants/:tenant`: braces in a label value trip some text-format parsers.
    let route = response.extensions().get::<MatchedPath>().map(|p| p.as_str().replace('{', ":").replace('}', ""));
    let tenant = response.extensions().get::<RouteTenant>().map(|t| t.0);
    metrics.record(
        &method,
        route.as_deref().unwrap_or("unmatched"),
        response.status(),
        started.elapsed().as_secs_f64(),
        tenant,
    );
    response
}

/// The tenant a routed request named in its path.
#[derive(Clone, Copy)]
struct RouteTenant(Uuid);

/// Route middleware: hands the matched route (and its tenant) to [`track`], outside the router.
pub async fn tag_route(matched: MatchedPath, request: Request, next: Next) -> Response {
    let tenant = matched
        .as_str()
        .starts_with("/v1/tenants/{tenant}")
        .then(|| request.uri().path().split('/').nth(3).and_then(|t| Uuid::parse_str(t).ok()))
        .flatten();
    let mut response = next.run(request).await;
    response.extensions_mut().insert(matched);
    if let Some(tenant) = tenant {
        response.extensions_mut().insert(RouteTenant(tenant));
    }
    response
}

/// The router of the metrics listener.
pub fn router(state: AppState) -> Router {
    Router::new().route("/metrics", get(metrics)).with_state(state)
}

async fn metrics(State(state): State<AppState>) -> Response {
    let text = state.metrics.render(&state).await;
    ([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], text).into_response()
}
