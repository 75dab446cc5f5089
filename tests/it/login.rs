//! Logins under abuse: failed logins throttled without locking anyone out,
//! one answer for every kind of failed login, argon2 work bounded, and slow
//! clients dropped. Time moves by the server's clock, never by waiting: the
//! throttle's windows by a manual clock, the connection deadlines by the server
//! closing the socket (the tests' own timeouts only stop a hang).

use std::time::Duration;

use chrono::Utc;
use reqwest::header::{HeaderMap, RETRY_AFTER, WWW_AUTHENTICATE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tenantbase::api::client_address::TrustedProxies;
use tenantbase::api::throttle::{Limit, LoginPolicy, LoginThrottle};
use tenantbase::api::{AppState, ServerLimits};
use tenantbase::clock::{Clock, ManualClock};
use tenantbase::credentials::hashing::HashingPool;
use tenantbase::seed::demo::DEMO_PASSWORD;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::api::{problem_type, Server};
use crate::common::TestDb;

/// Where Bob logs in from, and where strangers try his password.
const HOME: &str = "192.0.2.10";
const STRANGER: &str = "198.51.100.66";

/// Longer than any deadline a test sets: reaching it means the server kept a connection it should have closed.
const HANG: Duration = Duration::from_secs(30);

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

impl Answer {
    fn retry_after(&self) -> Option<&str> {
        self.headers.get(RETRY_AFTER).and_then(|v| v.to_str().ok())
    }
}

/// Logs in as sent from `address` through the server's trusted proxy (the tests' loopback).
async fn login_from(s: &Server, address: &str, email: &str, password: &str) -> Answer {
    let response = s
        .http
        .post(format!("{}/v1/auth/login", s.base))
        .header("x-forwarded-for", address)
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let body = response.json().await.unwrap_or(Value::Null);
    Answer { status, headers, body }
}

/// A server behind a trusted proxy (the loopback), on a manual clock, configured further by `configure`.
async fn server(configure: impl FnOnce(&mut AppState)) -> (Server, ManualClock) {
    let mut db = TestDb::new().await;
    // Started at the real time, as sessions' start is stamped by the database; moved only by hand.
    let (clock, hand) = Clock::manual(Utc::now());
    db.target.clock = clock;
    let pool = db.app_pool(4);
    let accounts = db.account_pool();
    let s = Server::start_configured(db, pool, accounts, |state| {
        state.trusted_proxies = TrustedProxies::new(vec!["127.0.0.1".parse().unwrap()]);
        configure(state);
    })
    .await;
    (s, hand)
}

#[tokio::test]
async fn failed_logins_wait_after_five_per_address_and_the_wait_expires_with_the_clock() {
    let hashing = HashingPool::new(2, 8);
    let (s, clock) = server(|state| state.hashing = hashing.clone()).await;
    for attempt in 1..=5 {
        let answer = login_from(&s, STRANGER, "bob@acme.com", "guess").await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "attempt {attempt}: {}", answer.body);
    }
    let verified = hashing.completed();
    let answer = login_from(&s, STRANGER, "bob@acme.com", "guess").await;
    assert_eq!((answer.status, problem_type(&answer.body)), (StatusCode::TOO_MANY_REQUESTS, "throttled"));
    assert_eq!(answer.retry_after(), Some("60"));
    let answer = login_from(&s, STRANGER, "bob@acme.com", DEMO_PASSWORD).await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    assert_eq!(hashing.completed(), verified, "a throttled attempt checks no password");

    let answer = login_from(&s, HOME, "bob@acme.com", DEMO_PASSWORD).await;
    assert_eq!(answer.status, StatusCode::OK, "Bob's own address is not held back: {}", answer.body);

    clock.advance(chrono::Duration::seconds(60));
    let answer = login_from(&s, STRANGER, "bob@acme.com", "guess").await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "the wait is over: {}", answer.body);
    let answer = login_from(&s, STRANGER, "bob@acme.com", "guess").await;
    assert_eq!((answer.status, answer.retry_after()), (StatusCode::TOO_MANY_REQUESTS, Some("120")), "doubled");

    // Six failures fade one per 10 minutes.
    clock.advance(chrono::Duration::minutes(60));
    for attempt in 1..=5 {
        let answer = login_from(&s, STRANGER, "bob@acme.com", "guess").await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "attempt {attempt} after an hour: {}", answer.body);
    }
    let answer = login_from(&s, STRANGER, "bob@acme.com", DEMO_PASSWORD).await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    clock.advance(chrono::Duration::seconds(60));
    let answer = login_from(&s, STRANGER, "bob@acme.com", DEMO_PASSWORD).await;
    assert_eq!(answer.status, StatusCode::OK, "whoever has the password gets in once the wait is over");
}

#[tokio::test]
async fn an_address_failing_on_many_emails_waits_for_all_of_them() {
    let policy =
        LoginPolicy { per_address: Limit { burst: 3, ..LoginPolicy::default().per_address }, ..LoginPolicy::default() };
    let (s, clock) = server(|state| state.login_throttle = LoginThrottle::new(policy)).await;
    for email in ["bob@acme.com", "nobody@acme.com", "olivia@acme.com"] {
        assert_eq!(login_from(&s, STRANGER, email, "guess").await.status, StatusCode::UNAUTHORIZED);
    }
    let answer = login_from(&s, STRANGER, "alice@acme.com", DEMO_PASSWORD).await;
    assert_eq!((answer.status, answer.retry_after()), (StatusCode::TOO_MANY_REQUESTS, Some("60")));
    assert_eq!(login_from(&s, HOME, "alice@acme.com", DEMO_PASSWORD).await.status, StatusCode::OK);
    clock.advance(chrono::Duration::seconds(61));
    assert_eq!(login_from(&s, STRANGER, "alice@acme.com", DEMO_PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_per_email_ceiling_spares_the_address_the_user_logs_in_from() {
    let policy =
        LoginPolicy { per_email: Limit { burst: 4, ..LoginPolicy::default().per_email }, ..LoginPolicy::default() };
    let (s, _clock) = server(|state| state.login_throttle = LoginThrottle::new(policy)).await;
    assert_eq!(login_from(&s, HOME, "bob@acme.com", DEMO_PASSWORD).await.status, StatusCode::OK);
    // A distributed guesser: one try from each of many addresses.
    for n in 1..=4 {
        let answer = login_from(&s, &format!("198.51.100.{n}"), "bob@acme.com", "guess").await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.body);
    }
    let answer = login_from(&s, "198.51.100.5", "bob@acme.com", "guess").await;
    assert_eq!((answer.status, answer.retry_after()), (StatusCode::TOO_MANY_REQUESTS, Some("60")));
    let answer = login_from(&s, "203.0.113.9", "bob@acme.com", DEMO_PASSWORD).await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS, "a new address waits, for a minute");
    let answer = login_from(&s, HOME, "bob@acme.com", DEMO_PASSWORD).await;
    assert_eq!(answer.status, StatusCode::OK, "the address Bob logged in from is not held back: {}", answer.body);
}

#[tokio::test]
async fn unknown_pending_locked_and_wrong_passwords_answer_alike_after_one_verification_each() {
    let hashing = HashingPool::new(2, 8);
    let (s, _clock) = server(|state| state.hashing = hashing.clone()).await;
    let admin = s.db.admin().await;
    admin.execute("SELECT platform.create_user('pending@acme.com', 'Pending', NULL)", &[]).await.unwrap();
    let locked_until = s.db.target.clock.now() + chrono::Duration::hours(1);
    let lock = "UPDATE tenancy.users SET locked_until = $1 WHERE email = 'olivia@acme.com'";
    admin.execute(lock, &[&locked_until]).await.unwrap();
    admin.execute("UPDATE tenancy.users SET status = 'suspended' WHERE email = 'victor@acme.com'", &[]).await.unwrap();

    let mut answers = Vec::new();
    for (email, password) in [
        ("nobody@acme.com", "guess"),
        ("pending@acme.com", "guess"),
        ("olivia@acme.com", DEMO_PASSWORD),
        ("victor@acme.com", DEMO_PASSWORD),
        ("bob@acme.com", "guess"),
    ] {
        let before = hashing.completed();
        let answer = login_from(&s, HOME, email, password).await;
        assert_eq!(hashing.completed() - before, 1, "{email}: one argon2 verification, no more, no less");
        answers.push((email, answer));
    }
    let (_, first) = &answers[0];
    assert_eq!(first.status, StatusCode::UNAUTHORIZED);
    for (email, answer) in &answers {
        assert_eq!(answer.status, first.status, "{email}");
        assert_eq!(answer.body, first.body, "{email}");
        assert_eq!(answer.headers.get(WWW_AUTHENTICATE), first.headers.get(WWW_AUTHENTICATE), "{email}");
        assert_eq!(answer.headers.get(RETRY_AFTER), None, "{email}");
    }
}

#[tokio::test]
async fn logins_beyond_the_hashing_queue_answer_503_with_retry_after_at_once() {
    let hashing = HashingPool::new(1, 1);
    let (s, _clock) = server(|state| state.hashing = hashing.clone()).await;
    let (release, released) = std::sync::mpsc::channel::<()>();
    let running = tokio::spawn(hashing.reserve().unwrap().run(move |_| released.recv()));
    let waiting = hashing.reserve().unwrap();

    let answer = login_from(&s, HOME, "bob@acme.com", DEMO_PASSWORD).await;
    assert_eq!((answer.status, problem_type(&answer.body)), (StatusCode::SERVICE_UNAVAILABLE, "busy"));
    assert_eq!(answer.retry_after(), Some("1"));
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
    assert_eq!(login_from(&s, HOME, "bob@acme.com", DEMO_PASSWORD).await.status, StatusCode::OK);
}

/// Limits short enough for a test; `configure` changes them further.
fn short_limits() -> ServerLimits {
    ServerLimits {
        max_connections: 16,
        header_timeout: Duration::from_millis(300),
        body_timeout: Duration::from_millis(300),
        request_timeout: Duration::from_secs(5),
        idle_timeout: Duration::from_millis(300),
        ..ServerLimits::default()
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
    let (s, _clock) = server(|state| state.limits = short_limits()).await;
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
    let (s, _clock) = server(|state| state.limits = short_limits()).await;
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
    let (s, _clock) = server(|state| state.limits = short_limits()).await;
    let mut stream = connect(&s).await;
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: tenantbase\r\n\r\n").await.unwrap();
    let answer = until_closed(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("{\"status\":\"ok\"}"), "one answer, then the server closed: {answer}");
}

#[tokio::test]
async fn a_request_past_its_time_answers_503() {
    let hashing = HashingPool::new(1, 1);
    let (s, _clock) = server(|state| {
        state.hashing = hashing.clone();
        state.limits = ServerLimits { request_timeout: Duration::from_millis(300), ..ServerLimits::default() };
    })
    .await;
    let (release, released) = std::sync::mpsc::channel::<()>();
    let running = tokio::spawn(hashing.reserve().unwrap().run(move |_| released.recv()));
    // The login waits behind the blocked job until its time is up.
    let answer = login_from(&s, HOME, "bob@acme.com", DEMO_PASSWORD).await;
    assert_eq!((answer.status, problem_type(&answer.body)), (StatusCode::SERVICE_UNAVAILABLE, "request-timeout"));
    release.send(()).unwrap();
    running.await.unwrap().unwrap().unwrap();
}

#[tokio::test]
async fn past_the_connection_limit_a_new_connection_waits_for_a_free_one() {
    let (s, _clock) = server(|state| {
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
