//! Slow and idle clients, on a `tenantbase serve` of its own with a short header
//! timeout: many connections that send half a request's headers, or nothing, and
//! wait. The server must close every one of them within its timeout (judged by
//! each socket's end of stream), and still serve afterwards. This process raises
//! its open-file limit first (the server inherits it), so a thousand sockets on
//! each side fit.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use nix::sys::resource::{getrlimit, setrlimit, Resource};
use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::dataset::Dataset;
use super::http::Server;

/// The server's header timeout in this measurement, seconds.
const HEADER_TIMEOUT_S: u64 = 2;
/// What a connection may take beyond the timeout to be closed, for the verdict.
const GRACE_S: f64 = 2.0;

#[derive(Clone, Debug, Serialize)]
pub struct SlowClientsReport {
    pub connections: usize,
    pub header_timeout_s: u64,
    /// Connections the server closed (end of stream) before this process gave up waiting.
    pub closed: usize,
    /// When the last one was closed, seconds after it was opened and had sent its part.
    pub last_closed_after_s: f64,
    pub serves_afterwards: bool,
}

impl SlowClientsReport {
    pub fn meets_target(&self) -> bool {
        self.closed == self.connections
            && self.last_closed_after_s <= self.header_timeout_s as f64 + GRACE_S
            && self.serves_afterwards
    }
}

pub async fn measure(dataset: &Dataset, connections: usize) -> Result<SlowClientsReport> {
    let wanted = (connections as u64) * 2 + 256;
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE).context("reading the open-file limit")?;
    if soft < wanted {
        setrlimit(Resource::RLIMIT_NOFILE, wanted.min(hard), hard).context("raising the open-file limit")?;
    }
    let timeout = HEADER_TIMEOUT_S.to_string();
    let limit = (connections + 64).to_string();
    let server = Server::start(
        dataset,
        2,
        &[("TENANTBASE_HEADER_TIMEOUT", timeout.as_str()), ("TENANTBASE_MAX_CONNECTIONS", limit.as_str())],
    )
    .await?;
    let address = server.base.trim_start_matches("http://").to_string();
    let mut tasks = Vec::with_capacity(connections);
    for i in 0..connections {
        let address = address.clone();
        tasks.push(tokio::spawn(async move {
            let mut socket = TcpStream::connect(&address).await?;
            // Every other one sends half its headers; the rest send nothing at all.
            if i % 2 == 0 {
                socket.write_all(b"GET /healthz HTTP/1.1\r\nHost: bench\r\n").await?;
            }
            let opened = Instant::now();
            let mut buf = [0u8; 256];
            let give_up = Duration::from_secs(HEADER_TIMEOUT_S * 4 + 10);
            loop {
                match tokio::time::timeout(give_up, socket.read(&mut buf)).await {
                    Ok(Ok(0)) | Ok(Err(_)) => return anyhow::Ok(Some(opened.elapsed())),
                    Ok(Ok(_)) => continue,
                    Err(_) => return Ok(None),
                }
            }
        }));
    }
    let mut closed = Vec::with_capacity(connections);
    for task in tasks {
        if let Some(after) = task.await?? {
            closed.push(after);
        }
    }
    let serves_afterwards =
        reqwest::get(format!("{}/healthz", server.base)).await.is_ok_and(|r| r.status().is_success());
    server.stop().await?;
    Ok(SlowClientsReport {
        connections,
        header_timeout_s: HEADER_TIMEOUT_S,
        closed: closed.len(),
        last_closed_after_s: closed.iter().max().map(Duration::as_secs_f64).unwrap_or(0.0),
        serves_afterwards,
    })
}
