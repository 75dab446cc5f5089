//! A Unix-socket proxy in front of PostgreSQL that counts round trips: each time
//! the client sends after the server answered is one flight. `tenantbase bench`
//! reports the context's round trips with it and the tests assert them; the tests
//! also play a database outage with it (`down` drops every connection and refuses
//! new ones until it is cleared), and read every SQL text a client sent
//! ([`FlightCounter::sql_texts`]) to prove no request value is ever part of one.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{UnixListener, UnixStream};

pub struct FlightCounter {
    pub flights: AtomicUsize,
    pub server_spoke_last: AtomicBool,
    pub down: AtomicBool,
    /// What each client connection sent, in order.
    sent: Mutex<Vec<Vec<u8>>>,
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

    /// Every SQL text the clients sent: simple queries and the statements they parsed.
    pub fn sql_texts(&self) -> Vec<String> {
        self.sent.lock().expect("the proxy never panics holding it").iter().flat_map(|s| frontend_sql(s)).collect()
    }
}

/// The SQL texts in a client's side of a connection: the startup packet, then
/// messages of a type byte and a length; Query ('Q') carries its text, Parse ('P')
/// a statement name and then its text.
pub fn frontend_sql(stream: &[u8]) -> Vec<String> {
    let length = |at: usize| stream.get(at..at + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize);
    let cstring = |from: usize, end: usize| {
        let text = &stream[from.min(end)..end];
        let stop = text.iter().position(|&b| b == 0).unwrap_or(text.len());
        (String::from_utf8_lossy(&text[..stop]).into_owned(), from + stop + 1)
    };
    let mut texts = Vec::new();
    let Some(startup) = length(0) else { return texts };
    let mut at = startup;
    while let Some(len) = length(at + 1) {
        let (kind, body, end) = (stream[at], at + 5, (at + 1 + len).min(stream.len()));
        match kind {
            b'Q' => texts.push(cstring(body, end).0),
            b'P' => {
                let (_, after_name) = cstring(body, end);
                texts.push(cstring(after_name, end).0);
            }
            _ => {}
        }
        at = at + 1 + len;
    }
    texts
}

/// Listens as `<dir>/.s.PGSQL.<port>` (a libpq socket name, so clients reach it
/// with host=`dir`) and forwards to the server's socket `real_socket`.
pub fn start_proxy(real_socket: PathBuf, dir: &Path, port: u16) -> std::io::Result<Arc<FlightCounter>> {
    let counter = Arc::new(FlightCounter {
        flights: AtomicUsize::new(0),
        server_spoke_last: AtomicBool::new(true),
        down: AtomicBool::new(false),
        sent: Mutex::new(Vec::new()),
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
            let connection = {
                let mut sent = up.sent.lock().expect("the proxy never panics holding it");
                sent.push(Vec::new());
                sent.len() - 1
            };
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                while let Ok(n) = client_read.read(&mut buf).await {
                    if n == 0 || up.down.load(Ordering::SeqCst) {
                        break;
                    }
                    up.sent.lock().expect("the proxy never panics holding it")[connection].extend_from_slice(&buf[..n]);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn message(kind: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![kind];
        out.extend_from_slice(&((body.len() + 4) as u32).to_be_bytes());
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn the_sql_a_client_sent_is_read_from_its_query_and_parse_messages() {
        let mut stream = 8u32.to_be_bytes().to_vec();
        stream.extend_from_slice(&196608u32.to_be_bytes());
        stream.extend(message(b'Q', b"BEGIN; SET LOCAL app.context = 'v2.x.y'\0"));
        stream.extend(message(b'P', b"s1\0SELECT $1 -- planted 'marker'\0\0\0"));
        stream.extend(message(b'B', b"\0s1\0\0\0\0\x01\0\0\0\x06marker\0\0"));
        stream.extend(message(b'S', b""));
        let texts = frontend_sql(&stream);
        assert_eq!(texts, ["BEGIN; SET LOCAL app.context = 'v2.x.y'", "SELECT $1 -- planted 'marker'"]);
        assert!(texts.iter().any(|t| t.contains("marker")), "a value written into SQL text is found");
    }
}
