//! A private PgBouncer in transaction mode in front of a cluster's socket: how the
//! tests and `bench` run the server behind a pooler, as production would.
//! Debian's package (1.18) tracks no prepared statements, which is what the pool
//! is built for (unnamed statements, settings pinned per transaction).

use std::fs;
use std::net::TcpListener;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

const INSTALL_HINT: &str = "pgbouncer was not found: apt-get install -y pgbouncer (or run scripts/install-deps.sh)";

/// A running PgBouncer, stopped when dropped.
pub struct PgBouncer {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl PgBouncer {
    /// Starts PgBouncer on a free loopback port, in transaction mode, trusting
    /// `users` (loopback only) and forwarding every database to the cluster whose
    /// socket is in `socket_dir` at `port`; `pool_size` server connections per
    /// user and database. Runs as the owner of `socket_dir` (it refuses root, and
    /// the socket is that user's alone); `dir` holds its files.
    pub fn start(socket_dir: &Path, port: u16, users: &[&str], pool_size: usize, dir: &Path) -> Result<Self> {
        let binary = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"]
            .into_iter()
            .map(PathBuf::from)
            .find(|p| p.exists())
            .context(INSTALL_HINT)?;
        let owner = fs::metadata(socket_dir).with_context(|| format!("reading {}", socket_dir.display()))?;
        fs::create_dir_all(dir)?;
        let listen = TcpListener::bind(("127.0.0.1", 0))?.local_addr()?.port();
        let auth: String = users.iter().map(|u| format!("\"{u}\" \"\"\n")).collect();
        fs::write(dir.join("users.txt"), auth)?;
        let ini = format!(
            "[databases]\n* = host={socket} port={port}\n\n[pgbouncer]\nlisten_addr = 127.0.0.1\n\
             listen_port = {listen}\nunix_socket_dir =\nauth_type = trust\nauth_file = {dir}/users.txt\n\
             pool_mode = transaction\ndefault_pool_size = {pool_size}\nmax_client_conn = 1000\n\
             logfile = {dir}/pgbouncer.log\npidfile = {dir}/pgbouncer.pid\n",
            socket = socket_dir.display(),
            dir = dir.display(),
        );
        fs::write(dir.join("pgbouncer.ini"), ini)?;
        let mut command = Command::new(binary);
        command.arg(dir.join("pgbouncer.ini")).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
        if nix::unistd::Uid::effective().is_root() {
            for entry in fs::read_dir(dir)? {
                std::os::unix::fs::chown(entry?.path(), Some(owner.uid()), Some(owner.gid()))?;
            }
            std::os::unix::fs::chown(dir, Some(owner.uid()), Some(owner.gid()))?;
            command.uid(owner.uid()).gid(owner.gid()).current_dir(dir);
        }
        let child = command.spawn().context(INSTALL_HINT)?;
        let mut bouncer = PgBouncer { child, port: listen, dir: dir.to_path_buf() };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", listen)).is_err() {
            if let Some(status) = bouncer.child.try_wait()? {
                bail!("pgbouncer exited ({status}):\n{}", bouncer.log());
            }
            if Instant::now() > deadline {
                bail!("pgbouncer did not listen within 10 s:\n{}", bouncer.log());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(bouncer)
    }

    /// Its process (the tests freeze it with SIGSTOP to play a frozen database).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// A connection config for `user` on `database` through this PgBouncer.
    pub fn config(&self, user: &str, database: &str) -> tokio_postgres::Config {
        let mut config = tokio_postgres::Config::new();
        config.host("127.0.0.1").port(self.port).user(user).dbname(database);
        config
    }

    /// Its log, for a failure's message.
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.join("pgbouncer.log")).unwrap_or_default()
    }
}

impl Drop for PgBouncer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
