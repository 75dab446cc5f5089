//! `/metrics` on its own listener, read with a Prometheus text-format parser:
//! the request counters are the requests sent, under their route templates.

use prometheus_parse::{Sample, Scrape, Value};
use reqwest::Method;
use tenantbase::api::{self, AppState};

use crate::api::Server;

#[tokio::test]
async fn metrics_count_the_requests_sent_by_route_template_status_and_tenant() {
    let db = crate::common::TestDb::new().await;
    let pool = db.app_pool(8);
    let accounts = db.account_pool();
    let mut kept: Option<AppState> = None;
    let s = Server::start_configured(db, pool, accounts, |state| kept = Some(state.clone())).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let metrics_url = format!("http://{}/metrics", listener.local_addr().unwrap());
    tokio::spawn(std::future::IntoFuture::into_future(axum::serve(listener, api::metrics::router(kept.unwrap()))));

    let token = s.login("olivia@acme.com").await;
    let (acme, tech) = (s.tenant("acme"), s.tenant("tech-startup"));
    for _ in 0..3 {
        assert_eq!(s.call(Method::GET, "/healthz", None, None).await.0, 200);
    }
    for _ in 0..2 {
        assert_eq!(s.call(Method::GET, &format!("/v1/tenants/{acme}"), Some(&token), None).await.0, 200);
    }
    assert_eq!(s.call(Method::GET, &format!("/v1/tenants/{tech}"), Some(&token), None).await.0, 404);
    assert_eq!(s.call(Method::GET, "/no/such/path", None, None).await.0, 404);
    assert_eq!(s.call(Method::GET, "/metrics", None, None).await.0, 404, "not on the API's listener");

    let text = reqwest::get(&metrics_url).await.unwrap().text().await.unwrap();
    let scrape = Scrape::parse(text.lines().map(|l| Ok(l.to_string()))).unwrap();
    let requests = |route: &str, status: &str| {
        value(
            &scrape.samples,
            "tenantbase_http_requests_total",
            &[("method", "GET"), ("route", route), ("status", status)],
        )
    };
    assert_eq!(requests("/healthz", "200"), Some(3.0));
    assert_eq!(requests("/v1/tenants/:tenant", "200"), Some(2.0));
    assert_eq!(requests("/v1/tenants/:tenant", "404"), Some(1.0));
    assert_eq!(requests("unmatched", "404"), Some(2.0));
    assert_eq!(
        value(&scrape.samples, "tenantbase_http_requests_total", &[("method", "POST"), ("route", "/v1/auth/login")]),
        Some(1.0)
    );
    let total: f64 =
        scrape.samples.iter().filter(|s| s.metric == "tenantbase_http_requests_total").map(|s| number(&s.value)).sum();
    assert_eq!(total, 9.0, "every request sent, once");
    assert_eq!(
        value(&scrape.samples, "tenantbase_http_request_duration_seconds_count", &[("route", "/healthz")]),
        Some(3.0)
    );
    let acme_label = acme.to_string();
    assert_eq!(value(&scrape.samples, "tenantbase_tenant_requests_total", &[("tenant", &acme_label)]), Some(2.0));
    let tech_label = tech.to_string();
    assert_eq!(value(&scrape.samples, "tenantbase_tenant_requests_total", &[("tenant", &tech_label)]), None);
    assert_eq!(value(&scrape.samples, "tenantbase_db_up", &[]), Some(1.0));
    assert_eq!(
        value(&scrape.samples, "tenantbase_db_pool_connections", &[("pool", "app"), ("state", "max")]),
        Some(8.0)
    );

    // The login queued its session.started entry and no sealer runs here: the lag shows it until sealed.
    assert!(value(&scrape.samples, "tenantbase_audit_unsealed_entries", &[]).unwrap() >= 1.0);
    assert!(value(&scrape.samples, "tenantbase_audit_seal_lag_seconds", &[]).unwrap() > 0.0);
    crate::common::seal_everything(&s.db.admin().await).await;
    let text = reqwest::get(&metrics_url).await.unwrap().text().await.unwrap();
    let scrape = Scrape::parse(text.lines().map(|l| Ok(l.to_string()))).unwrap();
    assert_eq!(value(&scrape.samples, "tenantbase_audit_unsealed_entries", &[]), Some(0.0));
    assert_eq!(value(&scrape.samples, "tenantbase_audit_seal_lag_seconds", &[]), Some(0.0));
}

/// The one sample of `metric` with these labels (others may be present).
fn value(samples: &[Sample], metric: &str, labels: &[(&str, &str)]) -> Option<f64> {
    let found: Vec<f64> = samples
        .iter()
        .filter(|s| s.metric == metric && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
        .map(|s| number(&s.value))
        .collect();
    assert!(found.len() <= 1, "{metric} {labels:?} matched {} samples", found.len());
    found.first().copied()
}

fn number(value: &Value) -> f64 {
    match value {
        Value::Counter(v) | Value::Gauge(v) | Value::Untyped(v) => *v,
        other => panic!("not a number: {other:?}"),
    }
}
