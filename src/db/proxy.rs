//! A Unix-socket proxy in front of PostgreSQL that counts round trips: each time
//! the client sends after the server answered is one flight. `tenantbase bench`
//! reports the context's round trips with it and the tests assert them; the tests
//! also play a database outage with it (`down` drops every connection and refuses
//! new ones until it is cleared).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{UnixListener, UnixStream};

pub struct FlightCounter {
    pub flights: AtomicUsize,
    pub server_spoke_last: AtomicBool,
    pub down: AtomicBool,
}

impl FlightCounter {
    /// Round trips taken by `work`, counted once the connection is idle.
    pub async fn count<T, F: std::future::Future<Output = T>>(&self, work: F) -> (usize, T) {
        tokio::time::sleep(Duration::from_millis(50)).await;
        self.server_spoke_last.store(true, Ordering::SeqCst);
        let before = self.flights.load(Ordering::SeqCst);
        let out = work.await;
        (self.flights.load(Ordering::SeqCst) - before, out)
    }
}

/// Listens as `<dir>/.s.PGSQL.<port>` (a libpq socket name, so clients reach it
/// with host=`dir`) and forwards to the server's socket `real_socket`.
pub fn start_proxy(real_socket: PathBuf, dir: &Path, port: u16) -> std::io::Result<Arc<FlightCounter>> {
    let counter = Arc::new(FlightCounter {
        flights: AtomicUsize::new(0),
        server_spoke_last: AtomicBool::new(true),
        down: AtomicBool::new(false),
    });
    let listener = UnixListener::bind(dir.join(format!(".s.PGSQL.{port}")))?;
    let shared = counter.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            if shared.down.load(Ordering::SeqCst) {
                continue;
            }
            let Ok(server) = UnixStream::connect(&real_socket).await else { continue };
            let (mut client_read, mut client_write) = client.into_split();
            let (mut server_read, mut server_write) = server.into_split();
            let up = shared.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                while let Ok(n) = client_read.read(&mut buf).await {
                    if n == 0 || up.down.load(Ordering::SeqCst) {
                        break;
                    }
                    if up.server_spoke_last.swap(false, Ordering::SeqCst) {
                        up.flights.fetch_add(1, Ordering::SeqCst);
                    }
                    if server_write.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
            });
            let down = shared.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                loop {
                    let read = tokio::time::timeout(Duration::from_millis(100), server_read.read(&mut buf)).await;
                    if down.down.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(read) = read else { continue };
                    let Ok(n) = read else { break };
                    if n == 0 {
                        break;
                    }
                    down.server_spoke_last.store(true, Ordering::SeqCst);
                    if client_write.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    Ok(counter)
}
