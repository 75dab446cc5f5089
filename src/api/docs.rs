//! The human side of the API: `/` says what the server is, `/docs` renders the
//! reference from `/openapi.json` with Redoc. Redoc's bundle comes from the npm
//! registry (scripts/vendor-docs.sh, version and integrity in
//! assets/docs/redoc.version) and is embedded in the binary: the page loads
//! nothing from anywhere but this server.

use axum::http::header;
use axum::response::{Html, IntoResponse};

const REDOC: &[u8] = include_bytes!("../../assets/docs/redoc.standalone.js");

const DOCS: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tenantbase API reference</title>
</head>
<body>
<div id="redoc"></div>
<script src="/docs/redoc.standalone.js"></script>
<script>Redoc.init("/openapi.json", { hideDownloadButton: false }, document.getElementById("redoc"));</script>
</body>
</html>
"#;

const HOME: &str = r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>tenantbase</title></head>
<body>
<h1>tenantbase</h1>
<p>The multi-tenant data layer: every tenant's data behind forced Row-Level Security in PostgreSQL, served over an authenticated HTTP API.</p>
<ul>
<li><a href="/docs">API reference</a></li>
<li><a href="/openapi.json">OpenAPI document</a></li>
<li><a href="/healthz">/healthz</a> and <a href="/readyz">/readyz</a></li>
</ul>
</body>
</html>
"#;

pub async fn home() -> Html<&'static str> {
    Html(HOME)
}

pub async fn docs() -> Html<&'static str> {
    Html(DOCS)
}

pub async fn redoc() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "application/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        REDOC,
    )
}
