//! Serving connections within bounds. axum::serve has no timeout and no
//! connection limit: 3,000 half-sent requests all stayed open. Here the accept
//! loop holds one permit per open connection, and every phase in which a client
//! could hold a connection has a deadline: its first request's headers
//! (`header_timeout` from the accept, and from the first byte of every later
//! one), the wait between requests (`idle_timeout`), each pause in a body
//! (`body_timeout`) and the whole request (`request_timeout`). A connection past
//! the header or idle deadline is closed without an answer; a body too slow
//! answers 408, a request too slow 503.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::{pin, Pin};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use tower::ServiceExt;
use tower_http::timeout::TimeoutBody;

use super::error::ApiError;
use super::{router, AppState};

/// How long and how many clients may hold the server (flags of `serve` and `demo`).
#[derive(Clone, Copy, Debug)]
pub struct ServerLimits {
    /// Open connections; past it, new ones wait in the kernel's accept queue.
    pub max_connections: usize,
    /// From a connection's accept (or a later request's first byte) to the end of the headers.
    pub header_timeout: Duration,
    /// The longest pause while a body arrives.
    pub body_timeout: Duration,
    /// From the headers to the answer.
    pub request_timeout: Duration,
    /// The longest wait for the next request on a kept-alive connection.
    pub idle_timeout: Duration,
    /// From SIGTERM to the listener's close: `/readyz` answers 503, requests are still served.
    pub drain_period: Duration,
    /// From SIGTERM to the exit, whatever is still in flight.
    pub shutdown_deadline: Duration,
}

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits {
            max_connections: 512,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            drain_period: Duration::from_secs(5),
            shutdown_deadline: Duration::from_secs(30),
        }
    }
}

/// Serves until Ctrl-C or SIGTERM, then drains ([`super::shutdown`]).
pub async fn serve(listener: TcpListener, state: AppState) -> anyhow::Result<()> {
    serve_until(listener, state, super::shutdown::signal()).await
}

/// Serves until `shutdown` completes; then `/readyz` answers 503 at once, new
/// connections are still served for the drain period, the listener closes, and
/// the requests in flight finish, or are abandoned at the shutdown deadline.
pub async fn serve_until(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    tracing::info!(addr = %listener.local_addr()?, "serving");
    let limits = state.limits;
    let draining = state.draining.clone();
    let app = router(state);
    let open = Arc::new(Semaphore::new(limits.max_connections));
    let (stop, stopping) = watch::channel(false);
    let accepting = Accepting { listener: &listener, open: open.clone(), app, limits, stopping };
    accepting.until(shutdown).await?;
    let signalled = Instant::now();
    draining.start();
    tracing::info!(drain = ?limits.drain_period, "draining: /readyz answers 503, still serving");
    accepting.until(tokio::time::sleep(limits.drain_period)).await?;
    drop(listener);
    tracing::info!("listener closed; finishing requests in flight");
    let _ = stop.send(true);
    // Each connection holds its permit until it closes.
    let all_closed = open.acquire_many(limits.max_connections as u32);
    match tokio::time::timeout_at(signalled + limits.shutdown_deadline, all_closed).await {
        Ok(closed) => drop(closed?),
        Err(_) => tracing::warn!(
            open = limits.max_connections - open.available_permits(),
            "shutdown deadline passed with connections open; exiting anyway"
        ),
    }
    Ok(())
}

/// The accept loop's parts.
struct Accepting<'a> {
    listener: &'a TcpListener,
    open: Arc<Semaphore>,
    app: Router,
    limits: ServerLimits,
    stopping: watch::Receiver<bool>,
}

impl Accepting<'_> {
    /// Accepts and serves connections until `end` completes.
    async fn until(&self, end: impl Future<Output = ()>) -> anyhow::Result<()> {
        let mut end = pin!(end);
        loop {
            let permit = tokio::select! {
                permit = self.open.clone().acquire_owned() => permit?,
                () = &mut end => return Ok(()),
            };
            let accepted = tokio::select! {
                accepted = self.listener.accept() => accepted,
                () = &mut end => return Ok(()),
            };
            match accepted {
                Ok((stream, peer)) => {
                    let connection =
                        serve_connection(stream, peer, self.app.clone(), self.limits, permit, self.stopping.clone());
                    tokio::spawn(connection);
                }
                // Out of file descriptors, or the client gave up before the accept: wait a little, go on.
                Err(e) => {
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }
}

async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    limits: ServerLimits,
    _open: OwnedSemaphorePermit,
    mut stopping: watch::Receiver<bool>,
) {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched { stream, activity: activity.clone() });
    let serving = activity.clone();
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let mut request = request.map(|body| Body::new(TimeoutBody::new(limits.body_timeout, body)));
        request.extensions_mut().insert(ConnectInfo(peer));
        let busy = serving.busy();
        let app = app.clone();
        async move {
            let response = app.oneshot(request).await;
            drop(busy);
            response
        }
    });
    let mut connection = pin!(hyper::server::conn::http1::Builder::new().serve_connection(io, service));
    let mut draining = false;
    loop {
        let deadline = activity.deadline(&limits);
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, %peer, "connection ended with an error");
                }
                return;
            }
            () = activity.changed.notified() => {}
            // Dropping the connection closes the socket.
            () = tokio::time::sleep_until(deadline.unwrap_or_else(Instant::now)), if deadline.is_some() => {
                if activity.deadline(&limits).is_some_and(|d| d <= Instant::now()) {
                    tracing::debug!(%peer, "closing a connection past its deadline");
                    return;
                }
            }
            _ = stopping.changed(), if !draining => {
                draining = true;
                connection.as_mut().graceful_shutdown();
            }
        }
    }
}

/// What a connection is doing, which decides its deadline.
#[derive(Clone, Copy, Debug)]
enum Phase {
    /// Receiving a request's headers since then.
    Headers(Instant),
    /// A request is being answered: the request timeout bounds it.
    Busy,
    /// Waiting for the next request since then.
    Idle(Instant),
}

struct Activity {
    phase: Mutex<Phase>,
    changed: Notify,
}

impl Activity {
    fn new() -> Self {
        Activity { phase: Mutex::new(Phase::Headers(Instant::now())), changed: Notify::new() }
    }

    fn set(&self, phase: Phase) {
        *self.phase.lock().expect("a phase's lock is never poisoned") = phase;
        self.changed.notify_one();
    }

    fn phase(&self) -> Phase {
        *self.phase.lock().expect("a phase's lock is never poisoned")
    }

    /// Bytes arrived: on an idle connection, they start the next request's headers.
    fn received(&self) {
        if let Phase::Idle(_) = self.phase() {
            self.set(Phase::Headers(Instant::now()));
        }
    }

    /// Busy until the returned guard is dropped (answered, or abandoned).
    fn busy(self: &Arc<Self>) -> BusyGuard {
        self.set(Phase::Busy);
        BusyGuard(self.clone())
    }

    fn deadline(&self, limits: &ServerLimits) -> Option<Instant> {
        match self.phase() {
            Phase::Headers(since) => Some(since + limits.header_timeout),
            Phase::Busy => None,
            Phase::Idle(since) => Some(since + limits.idle_timeout),
        }
    }
}

struct BusyGuard(Arc<Activity>);

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.0.set(Phase::Idle(Instant::now()));
    }
}

/// The connection's socket, telling its [`Activity`] when bytes arrive.
struct Watched {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.received();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// Middleware: a request not answered within `limit` answers 503 (its work is dropped).
pub async fn answer_within(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::RequestTimeout.into_response(),
    }
}
