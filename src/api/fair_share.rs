//! Fair sharing: one tenant holds at most its plan's number of requests in
//! flight on this server, so it can never take the whole connection pool (a
//! request holds at most one connection at a time) nor the server's workers.
//! A request beyond its tenant's share answers 429 with Retry-After at once;
//! other tenants are not affected. Counted only after authentication, so that
//! nobody can spend a tenant's share by naming it.
//!
//! Limits per plan come from `TENANTBASE_TENANT_IN_FLIGHT` (`free=2,enterprise=32,*=8`);
//! without an entry, a quarter of the app pool (at least 1): a storm of one
//! tenant's conflicting writes, all queuing on one row while holding their
//! connections, then keeps its wait and its CPU within a few connections and
//! leaves the rest of the pool to the others.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use tokio::sync::Semaphore;
use uuid::Uuid;

use super::auth::InTenant;
use super::error::{ApiError, ApiResult};
use super::AppState;

pub const ENV: &str = "TENANTBASE_TENANT_IN_FLIGHT";
/// What a refused request is told to wait.
pub const RETRY_AFTER: Duration = Duration::from_secs(1);
/// How long a tenant's plan is trusted before it is read again.
const PLAN_TTL: chrono::Duration = chrono::Duration::seconds(60);

#[derive(Clone)]
pub struct FairShare(Arc<Inner>);

struct Inner {
    /// Per plan; `*` for any other plan.
    limits: HashMap<String, usize>,
    tenants: Mutex<HashMap<Uuid, Share>>,
}

struct Share {
    plan: String,
    read_at: DateTime<Utc>,
    limit: usize,
    slots: Arc<Semaphore>,
}

impl FairShare {
    /// `limits`: per plan, `*` for the rest.
    pub fn new(limits: HashMap<String, usize>) -> Self {
        FairShare(Arc::new(Inner { limits, tenants: Mutex::default() }))
    }

    /// From `TENANTBASE_TENANT_IN_FLIGHT`, else a quarter of a pool of `pool_size`.
    pub fn from_env(pool_size: usize) -> anyhow::Result<Self> {
        let mut limits = match std::env::var(ENV) {
            Ok(text) => parse(&text)?,
            Err(_) => HashMap::new(),
        };
        limits.entry("*".into()).or_insert((pool_size / 4).max(1));
        Ok(FairShare::new(limits))
    }

    fn limit_of(&self, plan: &str) -> usize {
        self.0.limits.get(plan).or_else(|| self.0.limits.get("*")).copied().unwrap_or(1)
    }

    /// The tenant's slots, when its plan is still fresh.
    fn slots(&self, tenant: Uuid, now: DateTime<Utc>) -> Option<Arc<Semaphore>> {
        let tenants = self.0.tenants.lock().expect("the shares' lock is never poisoned");
        tenants.get(&tenant).filter(|s| now - s.read_at < PLAN_TTL).map(|s| s.slots.clone())
    }

    /// Records the tenant's plan; a new limit takes effect for new requests.
    fn plan_read(&self, tenant: Uuid, plan: String, now: DateTime<Utc>) -> Arc<Semaphore> {
        let limit = self.limit_of(&plan);
        let mut tenants = self.0.tenants.lock().expect("the shares' lock is never poisoned");
        let share = tenants.entry(tenant).or_insert_with(|| Share {
            plan: plan.clone(),
            read_at: now,
            limit,
            slots: Arc::new(Semaphore::new(limit)),
        });
        if share.plan != plan || share.limit != limit {
            *share = Share { plan, read_at: now, limit, slots: Arc::new(Semaphore::new(limit)) };
        }
        share.read_at = now;
        share.slots.clone()
    }
}

/// `free=2,enterprise=32,*=8`.
fn parse(text: &str) -> anyhow::Result<HashMap<String, usize>> {
    text.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|pair| {
            let (plan, n) =
                pair.split_once('=').ok_or_else(|| anyhow::anyhow!("{ENV}: `{pair}` is not plan=number"))?;
            let n: usize = n.trim().parse().map_err(|_| anyhow::anyhow!("{ENV}: `{n}` is not a number"))?;
            anyhow::ensure!(n >= 1, "{ENV}: a plan's limit is at least 1");
            Ok((plan.trim().to_string(), n))
        })
        .collect()
}

/// Middleware: a request under a tenant takes one of its slots for its whole run.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let under_a_tenant = request.extensions().get::<MatchedPath>().is_some_and(|p| p.as_str().contains("{tenant}"));
    if !under_a_tenant {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let t = match InTenant::from_request_parts(&mut parts, &state).await {
        Ok(t) => t,
        Err(e) => return e.into_response(),
    };
    let slots = match slots_of(&state, &t).await {
        Ok(slots) => slots,
        Err(e) => return e.into_response(),
    };
    let Ok(_slot) = slots.try_acquire_owned() else {
        return ApiError::TenantBusy(RETRY_AFTER).into_response();
    };
    next.run(Request::from_parts(parts, body)).await
}

async fn slots_of(state: &AppState, t: &InTenant) -> ApiResult<Arc<Semaphore>> {
    let now = state.db.clock().now();
    if let Some(slots) = state.fair_share.slots(t.ctx.tenant_id, now) {
        return Ok(slots);
    }
    let rows = state
        .db
        .tenant_query(&t.ctx, "SELECT plan::text FROM tenancy.tenants WHERE id = $1", &[&t.ctx.tenant_id])
        .await?;
    let plan: String = rows.first().map(|r| r.get(0)).ok_or(ApiError::NotFound)?;
    Ok(state.fair_share.plan_read(t.ctx.tenant_id, plan, now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_parse_per_plan_with_a_default() {
        let limits = parse("free=2, enterprise=32,*=8").unwrap();
        let share = FairShare::new(limits);
        assert_eq!((share.limit_of("free"), share.limit_of("enterprise"), share.limit_of("pro")), (2, 32, 8));
        assert!(parse("free").is_err());
        assert!(parse("free=0").is_err());
    }
}
