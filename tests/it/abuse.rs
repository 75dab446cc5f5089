//! The server under abuse: argon2 work bounded, and slow clients dropped. The
//! connection deadlines are judged by the server closing the socket (the tests'
//! own timeouts only stop a hang).

use std::time::Duration;

use reqwest::header::RETRY_AFTER;
use reqwest::{Method, StatusCode};
use serde_json::json;
use tenantbase::api::{AppState, ServerLimits};
use tenantbase::auth::hashing::HashingPool;
use tenantbase::seed::demo::DEMO_PASSWORD;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::api::{problem_type, Server};
use crate::common::TestDb;

/// Longer than any deadline a test sets: reaching it means the server kept a connection it should have closed.
const HANG: Duration = Duration::from_secs(30);

/// A server configured further by `configure`.
async fn server(configure: impl FnOnce(&mut AppState)) -> Server {
    let db = TestDb::new().await;
    let pool = db.app_pool(4);
    let accounts = db.account_pool();
    Server::start_configured(db, pool, accounts, configure).await
}

/// A login's status and Retry-After header.
async fn login(s: &Server, email: &str, password: &str) -> (StatusCode, Option<String>, serde_json::Value) {
    let response = s
        .http
        .post(format!("{}/v1/auth/login", s.base))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let retry_after = response.headers().get(RETRY_AFTER).and_then(|v| v.to_str().ok()).map(str::to_string);
    (status, retry_after, response.json().await.unwrap_or_default())
}

#[tokio::test]
async fn logins_beyond_the_hashing_queue_answer_503_with_retry_after_at_once() {
    let hashing = HashingPool::new(1, 1);
    let s = server(|state| state.hashing = hashing.clone()).await;
    let (release, released) = std::sync::mpsc::channel::<()>();
    let running = tokio::spawn(hashing.reserve().unwrap().run(move |_| released.recv()));
    let waiting = hashing.reserve().unwrap();

    let (status, retry_after, body) = login(&s, "bob@acme.com", DEMO_PASSWORD).await;
    assert_eq!((status, problem_type(&body)), (StatusCode::SERVICE_UNAVAILABLE, "busy"));
    assert_eq!(retry_after.as_deref(), Some("1"));
    let (status, body) = s
        .call(
            Method::POST,
            "/v1/auth/signup",
            None,
            Some(json!({ "email": "zoe@example.com", "password": "correct horse battery" })),
        )
        .await;
    assert_eq!((status, problem_type(&body)), (StatusCode::SERVICE_UNAVAILABLE, "busy"), "sign-up hashes too");

    drop(waiting);
    release.send(()).unwrap();
    running.await.unwrap().unwrap().unwrap();
    assert_eq!(login(&s, "bob@acme.com", DEMO_PASSWORD).await.0, StatusCode::OK);
}

/// Limits short enough for a test; `configure` changes them further.
fn short_limits() -> ServerLimits {
    ServerLimits {
        max_connections: 16,
        header_timeout: Duration::from_millis(300),
        body_timeout: Duration::from_millis(300),
        request_timeout: Duration::from_secs(5),
        idle_timeout: Duration::from_millis(300),
    }
}

async fn connect(s: &Server) -> TcpStream {
    TcpStream::connect(s.base.trim_start_matches("http://")).await.unwrap()
}

/// Everything the server sends until it closes the connection (a reset counts as closing).
async fn until_closed(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    tokio::time::timeout(HANG, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await
    .expect("the server closes the connection");
    String::from_utf8_lossy(&received).into_owned()
}

#[tokio::test]
async fn connections_that_send_nothing_or_half_their_headers_are_closed_unanswered() {
    let s = server(|state| state.limits = short_limits()).await;
    let mut silent = connect(&s).await;
    let mut half = connect(&s).await;
    half.write_all(b"POST /v1/auth/login HTTP/1.1\r\nHost: tenantbase\r\nContent-Type: application/json\r\n")
        .await
        .unwrap();
    assert_eq!(until_closed(&mut silent).await, "");
    assert_eq!(until_closed(&mut half).await, "");
}

#[tokio::test]
async fn a_body_that_stops_halfway_answers_408_and_the_connection_closes() {
    let s = server(|state| state.limits = short_limits()).await;
    let mut stream = connect(&s).await;
    stream
        .write_all(
            b"POST /v1/auth/login HTTP/1.1\r\nHost: tenantbase\r\nContent-Type: application/json\r\n\
              Content-Length: 100\r\n\r\n{\"email\": \"bob@",
        )
        .await
        .unwrap();
    let answer = until_closed(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("body-timeout"), "{answer}");
}

#[tokio::test]
async fn a_kept_alive_connection_left_idle_is_closed_after_its_answer() {
    let s = server(|state| state.limits = short_limits()).await;
    let mut stream = connect(&s).await;
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: tenantbase\r\n\r\n").await.unwrap();
    let answer = until_closed(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("{\"status\":\"ok\"}"), "one answer, then the server closed: {answer}");
}

#[tokio::test]
async fn past_the_connection_limit_a_new_connection_waits_for_a_free_one() {
    let s = server(|state| {
        state.limits = ServerLimits { max_connections: 2, header_timeout: HANG * 2, ..short_limits() };
    })
    .await;
    let first = connect(&s).await;
    let _second = connect(&s).await;
    let mut third = connect(&s).await;
    third.write_all(b"GET /healthz HTTP/1.1\r\nHost: tenantbase\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut byte = [0u8; 1];
    let early = tokio::time::timeout(Duration::from_millis(500), third.read(&mut byte)).await;
    assert!(early.is_err(), "the third connection is not served while two are open");
    drop(first);
    let mut answer = Vec::new();
    tokio::time::timeout(HANG, third.read_to_end(&mut answer)).await.expect("served once one closed").unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn a_request_past_its_time_answers_503() {
    let hashing = HashingPool::new(1, 1);
    let s = server(|state| {
        state.hashing = hashing.clone();
        state.limits = ServerLimits { request_timeout: Duration::from_millis(300), ..ServerLimits::default() };
    })
    .await;
    let (release, released) = std::sync::mpsc::channel::<()>();
    let running = tokio::spawn(hashing.reserve().unwrap().run(move |_| released.recv()));
    // The login waits behind the blocked job until its time is up.
    let (status, _, body) = login(&s, "bob@acme.com", DEMO_PASSWORD).await;
    assert_eq!((status, problem_type(&body)), (StatusCode::SERVICE_UNAVAILABLE, "request-timeout"));
    release.send(()).unwrap();
    running.await.unwrap().unwrap().unwrap();
}
