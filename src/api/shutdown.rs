//! Stopping without dropping requests: on SIGTERM `/readyz` answers 503 at once
//! so a load balancer stops sending new requests, the server keeps serving for a
//! drain period while it notices, then closes its listener and lets the requests
//! in flight finish; past a deadline it exits anyway (a frozen database must not
//! hold a deployment hostage).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Whether the server is draining, shared by the accept loop and `/readyz`.
#[derive(Clone, Debug, Default)]
pub struct Draining(Arc<AtomicBool>);

impl Draining {
    pub fn start(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_draining(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Ctrl-C or SIGTERM.
pub async fn signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    let mut term =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("a SIGTERM handler");
    tokio::select! {
        _ = ctrl_c => {},
        _ = term.recv() => {},
    }
}
