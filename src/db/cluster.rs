//! The private PostgreSQL cluster: tenantbase's own server under a data directory,
//! so a newcomer needs nothing but PostgreSQL's packages.
//!
//! Layout of the data directory:
//! `pg/` (PGDATA), `run/` (the Unix socket), `postgres.log`, `port` (last port used),
//! `cluster.lock` (serializes init and start between processes).
//! Beside it, `<data-dir>-wal-archive/`: the write-ahead log, archived continuously
//! (durable clusters), so that it outlives the data directory (docs/backup.md).
//!
//! Local connections are trusted, so the socket is the door: it and its directory
//! are the server's user's alone (root passes anyway, so tenantbase run as root
//! still connects and no `unix_socket_group` is needed), as are the log and PGDATA.

use std::fs::{self, File};
use std::io::Write;
use std::net::TcpListener;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anyhow::{bail, Context, Result};
use nix::fcntl::{Flock, FlockArg};
use nix::unistd::{Gid, Uid, User};

/// The superuser of a private cluster.
pub const SUPERUSER: &str = "postgres";
const MIN_MAJOR: u32 = 14;
/// Passed with `-c` at every start: the command line outranks postgresql.conf and
/// ALTER SYSTEM, and clusters created by older versions get them on their next start.
/// No statement text in the log: a failed statement's text is logged by default, and
/// the server's transaction-opening batch carries a signed context token (`SET LOCAL`).
const PRIVATE_SETTINGS: &[&str] = &[
    "unix_socket_permissions=0700",
    "log_min_error_statement=panic",
    "log_statement=none",
    "log_min_duration_statement=-1",
];
const INSTALL_HINT: &str = "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found.\n\
     Install PostgreSQL 14 or newer, e.g. on Debian/Ubuntu: apt-get install -y postgresql postgresql-contrib\n\
     (or run scripts/install-deps.sh), or point DATABASE_URL at an existing server.";

/// How the cluster should trade durability for speed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// The default: a real database that survives a crash.
    Durable,
    /// For test clusters that are thrown away: no fsync.
    Ephemeral,
}

/// A private cluster rooted at a data directory.
#[derive(Clone, Debug)]
pub struct Cluster {
    root: PathBuf,
    bin_dir: PathBuf,
    durability: Durability,
    wal_archive: Option<PathBuf>,
}

/// Where the write-ahead log is archived: `off`, or a directory.
pub const WAL_ARCHIVE_ENV: &str = "TENANTBASE_WAL_ARCHIVE";
/// Included by postgresql.conf, rewritten at every start from the cluster's settings.
const ARCHIVE_CONF: &str = "tenantbase-archive.conf";

/// Where a running cluster can be reached.
#[derive(Clone, Debug)]
pub struct Running {
    pub pid: i32,
    pub port: u16,
    pub socket_dir: PathBuf,
}

impl Cluster {
    /// Locates the PostgreSQL binaries; fails with the package to install when there are none.
    pub fn new(root: impl Into<PathBuf>, durability: Durability) -> Result<Self> {
        let root = root.into();
        let root = if root.is_absolute() { root } else { std::env::current_dir()?.join(root) };
        let wal_archive = match (durability, std::env::var_os(WAL_ARCHIVE_ENV)) {
            (Durability::Ephemeral, _) => None,
            (Durability::Durable, Some(setting)) if setting == "off" => None,
            (Durability::Durable, Some(dir)) => Some(std::env::current_dir()?.join(dir)),
            (Durability::Durable, None) => {
                let mut name = root.file_name().unwrap_or_default().to_os_string();
                name.push("-wal-archive");
                Some(root.with_file_name(name))
            }
        };
        Ok(Cluster { root, bin_dir: find_bin_dir()?, durability, wal_archive })
    }

    /// Where the server archives its write-ahead log; None when it does not.
    pub fn wal_archive(&self) -> Option<&Path> {
        self.wal_archive.as_deref()
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether initdb ran here: commands other than `db start`, `migrate` and `demo` use a cluster, never create one.
    pub fn exists(&self) -> bool {
        self.pgdata().join("PG_VERSION").exists()
    }

    /// What to do when no cluster lives at this data directory.
    pub fn missing_hint(&self) -> String {
        // Versions before the default data directory kept the cluster in ./.tenantbase.
        let older = std::env::current_dir()
            .map(|cwd| cwd.join(".tenantbase"))
            .ok()
            .filter(|old| old.join("pg/PG_VERSION").exists() && *old != self.root)
            .map(|old| {
                format!(
                    "\nA cluster made by an older tenantbase is in {0}: TENANTBASE_DATA_DIR={0} uses it.",
                    old.display()
                )
            })
            .unwrap_or_default();
        format!(
            "no tenantbase cluster in {root}.\n\
             Create one there with `tenantbase db start` (or `tenantbase demo`), or point at an existing one with\n\
             --data-dir DIR or TENANTBASE_DATA_DIR=DIR (DATABASE_URL for a server of your own).{older}",
            root = self.root.display()
        )
    }

    fn pgdata(&self) -> PathBuf {
        self.root.join("pg")
    }

    pub fn socket_dir(&self) -> PathBuf {
        self.root.join("run")
    }

    fn log_file(&self) -> PathBuf {
        self.root.join("postgres.log")
    }

    pub fn bin(&self, name: &str) -> PathBuf {
        self.bin_dir.join(name)
    }

    /// Starts the cluster (creating it on first use) or finds it already running.
    pub fn start(&self) -> Result<Running> {
        fs::create_dir_all(&self.root).with_context(|| format!("creating {}", self.root.display()))?;
        let _lock = self.lock()?;
        let server_user = ServerUser::resolve()?;
        // Before looking for a running server: closing run/ shuts an older one's socket too.
        self.restrict_access(&server_user)?;
        if let Some(running) = self.running()? {
            return Ok(running);
        }
        if !self.pgdata().join("PG_VERSION").exists() {
            self.init(&server_user)?;
        }
        self.remove_stale_pid_file()?;
        self.configure_archiving(&server_user)?;
        let port = self.choose_port()?;
        let log = self.log_file();
        let options = std::iter::once(format!("-p {port}"))
            .chain(PRIVATE_SETTINGS.iter().map(|setting| format!("-c {setting}")))
            .collect::<Vec<_>>()
            .join(" ");
        let out = self.run_as(
            &server_user,
            Command::new(self.bin("pg_ctl"))
                .arg("-D")
                .arg(self.pgdata())
                .arg("-l")
                .arg(&log)
                .args(["-w", "-t", "60", "-o"])
                .arg(options)
                .arg("start"),
        )?;
        if !out.status.success() {
            bail!(
                "PostgreSQL did not start: {}\n{}\nlast lines of {}:\n{}",
                String::from_utf8_lossy(&out.stdout).trim(),
                String::from_utf8_lossy(&out.stderr).trim(),
                log.display(),
                tail(&log, 20)
            );
        }
        fs::write(self.root.join("port"), port.to_string())?;
        self.running()?.context("PostgreSQL reported started but its pid file is missing")
    }

    /// Stops the cluster cleanly; a stopped cluster is left as it is.
    pub fn stop(&self) -> Result<bool> {
        let _lock = self.lock()?;
        if self.running()?.is_none() {
            self.remove_stale_pid_file()?;
            return Ok(false);
        }
        let server_user = ServerUser::resolve()?;
        let out = self.run_as(
            &server_user,
            Command::new(self.bin("pg_ctl")).arg("-D").arg(self.pgdata()).args(["-m", "fast", "-w", "stop"]),
        )?;
        if !out.status.success() {
            bail!("pg_ctl stop failed: {}", String::from_utf8_lossy(&out.stderr).trim());
        }
        Ok(true)
    }

    /// Stops without waiting for clients: for test clusters at process exit.
    pub fn stop_immediately(&self) {
        if let Ok(user) = ServerUser::resolve() {
            let _ = self.run_as(
                &user,
                Command::new(self.bin("pg_ctl")).arg("-D").arg(self.pgdata()).args(["-m", "immediate", "-w", "stop"]),
            );
        }
    }

    /// The running server, if its pid file names a live postgres process.
    pub fn running(&self) -> Result<Option<Running>> {
        let pid_file = self.pgdata().join("postmaster.pid");
        let Ok(text) = fs::read_to_string(&pid_file) else { return Ok(None) };
        let lines: Vec<&str> = text.lines().collect();
        let (Some(pid), Some(port), Some(socket_dir)) = (
            lines.first().and_then(|l| l.trim().parse::<i32>().ok()),
            lines.get(3).and_then(|l| l.trim().parse::<u16>().ok()),
            lines.get(4).map(|l| PathBuf::from(l.trim())),
        ) else {
            return Ok(None);
        };
        if !is_postgres_process(pid) {
            return Ok(None);
        }
        Ok(Some(Running { pid, port, socket_dir }))
    }

    fn init(&self, user: &ServerUser) -> Result<()> {
        let pgdata = self.pgdata();
        fs::create_dir_all(&pgdata)?;
        fs::set_permissions(&pgdata, fs::Permissions::from_mode(0o700))?;
        user.own(&pgdata)?;
        let out = self.run_as(
            user,
            Command::new(self.bin("initdb"))
                .arg("-D")
                .arg(&pgdata)
                .args(["-U", SUPERUSER, "--auth-local=trust", "--auth-host=scram-sha-256"])
                .args(["-E", "UTF8", "--no-locale", "--no-instructions"]),
        )?;
        if !out.status.success() {
            let _ = fs::remove_dir_all(&pgdata);
            bail!("initdb failed: {}\n{}", String::from_utf8_lossy(&out.stderr).trim(), access_hint(&self.root, user));
        }
        let socket_dir = self.socket_dir();
        let mut conf = fs::OpenOptions::new().append(true).open(pgdata.join("postgresql.conf"))?;
        writeln!(conf, "\n# tenantbase private cluster")?;
        writeln!(conf, "listen_addresses = '127.0.0.1'")?;
        writeln!(conf, "unix_socket_directories = '{}'", socket_dir.display())?;
        writeln!(conf, "max_connections = 300")?;
        writeln!(conf, "shared_preload_libraries = 'pg_stat_statements'")?;
        writeln!(conf, "log_min_messages = warning")?;
        if self.durability == Durability::Ephemeral {
            writeln!(conf, "fsync = off\nsynchronous_commit = off\nfull_page_writes = off")?;
        }
        Ok(())
    }

    /// Continuous archiving of the write-ahead log into [`Cluster::wal_archive`]
    /// (a segment is copied once full, never overwritten), or none; takes effect
    /// at this start. The base a later point-in-time restore replays onto a backup.
    fn configure_archiving(&self, user: &ServerUser) -> Result<()> {
        let conf = match &self.wal_archive {
            None => "archive_mode = off\n".to_string(),
            Some(dir) => {
                let dir_text = dir.to_str().context("the WAL archive's path is not valid UTF-8")?;
                if dir_text.contains(['\'', '\\', '\n']) {
                    bail!("the WAL archive's path may not contain quotes, backslashes or newlines: {dir_text}");
                }
                fs::DirBuilder::new().recursive(true).create(dir)?;
                user.own(dir)?;
                fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
                // The shell's single quotes, each doubled inside postgresql.conf's string.
                format!(
                    "archive_mode = on\narchive_command = 'test ! -f ''{dir_text}/%f'' && cp %p ''{dir_text}/%f'''\n"
                )
            }
        };
        let path = self.pgdata().join(ARCHIVE_CONF);
        fs::write(&path, format!("# written by tenantbase at every start ({WAL_ARCHIVE_ENV})\n{conf}"))?;
        user.own(&path)?;
        let main = self.pgdata().join("postgresql.conf");
        let include = format!("include_if_exists = '{ARCHIVE_CONF}'");
        if !fs::read_to_string(&main)?.contains(&include) {
            writeln!(fs::OpenOptions::new().append(true).open(&main)?, "{include}")?;
        }
        Ok(())
    }

    /// Modes for the data directory and what the server keeps outside PGDATA, set on
    /// every start so that older, looser clusters are tightened.
    fn restrict_access(&self, user: &ServerUser) -> Result<()> {
        // Nobody else lists the root; a server running as another user must traverse it.
        let root_mode = if user.ids.is_some() { 0o711 } else { 0o700 };
        fs::set_permissions(&self.root, fs::Permissions::from_mode(root_mode))?;
        let socket_dir = self.socket_dir();
        fs::create_dir_all(&socket_dir)?;
        user.own(&socket_dir)?;
        fs::set_permissions(&socket_dir, fs::Permissions::from_mode(0o700))?;
        let log = self.log_file();
        fs::OpenOptions::new()
            .append(true)
            .create(true)
            .mode(0o600)
            .open(&log)
            .with_context(|| format!("creating {}", log.display()))?;
        user.own(&log)?;
        fs::set_permissions(&log, fs::Permissions::from_mode(0o600))?;
        Ok(())
    }

    /// A pid file whose process is gone (a crash, a reboot) would block the next start.
    fn remove_stale_pid_file(&self) -> Result<()> {
        let pid_file = self.pgdata().join("postmaster.pid");
        if pid_file.exists() && self.running()?.is_none() {
            fs::remove_file(&pid_file).context("removing a stale postmaster.pid")?;
        }
        Ok(())
    }

    /// The last port if it is still free, else a fresh free loopback port.
    fn choose_port(&self) -> Result<u16> {
        if let Some(port) = fs::read_to_string(self.root.join("port")).ok().and_then(|p| p.trim().parse().ok()) {
            if TcpListener::bind(("127.0.0.1", port)).is_ok() {
                return Ok(port);
            }
        }
        Ok(TcpListener::bind(("127.0.0.1", 0))?.local_addr()?.port())
    }

    fn lock(&self) -> Result<Flock<File>> {
        let file = File::create(self.root.join("cluster.lock"))?;
        Flock::lock(file, FlockArg::LockExclusive).map_err(|(_, e)| anyhow::anyhow!("locking the cluster: {e}"))
    }

    fn run_as(&self, user: &ServerUser, cmd: &mut Command) -> Result<Output> {
        if let Some((uid, gid)) = user.ids {
            cmd.uid(uid.as_raw()).gid(gid.as_raw());
            // postgres looks up its home and cwd; the root's may be closed to it.
            cmd.current_dir(&self.root).env("HOME", &self.root);
        }
        cmd.output().with_context(|| format!("running {:?}", cmd.get_program()))
    }
}

/// PostgreSQL refuses to run as root; as root we run it as an unprivileged user.
struct ServerUser {
    ids: Option<(Uid, Gid)>,
}

impl ServerUser {
    fn resolve() -> Result<Self> {
        if !Uid::effective().is_root() {
            return Ok(ServerUser { ids: None });
        }
        for name in ["postgres", "tenantbase"] {
            if let Some(user) = User::from_name(name)? {
                return Ok(ServerUser { ids: Some((user.uid, user.gid)) });
            }
        }
        let status = Command::new("useradd")
            .args(["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "tenantbase"])
            .status()
            .context("running useradd to create a user for PostgreSQL (it refuses to run as root)")?;
        if !status.success() {
            bail!("could not create the system user 'tenantbase' to run PostgreSQL as (it refuses to run as root)");
        }
        let user = User::from_name("tenantbase")?.context("user 'tenantbase' missing after useradd")?;
        Ok(ServerUser { ids: Some((user.uid, user.gid)) })
    }

    fn own(&self, path: &Path) -> Result<()> {
        if let Some((uid, gid)) = self.ids {
            nix::unistd::chown(path, Some(uid), Some(gid)).with_context(|| format!("chown {}", path.display()))?;
        }
        Ok(())
    }
}

/// The data directory when none is given, the same from every working directory:
/// `$XDG_DATA_HOME/tenantbase`, else `/var/lib/tenantbase` for root (PostgreSQL then
/// runs as another user, who cannot enter root's home), else `~/.local/share/tenantbase`.
pub fn default_data_dir() -> PathBuf {
    if let Some(base) = std::env::var_os("XDG_DATA_HOME").filter(|b| !b.is_empty()) {
        return PathBuf::from(base).join("tenantbase");
    }
    if Uid::effective().is_root() {
        return PathBuf::from("/var/lib/tenantbase");
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("."));
    home.join(".local/share/tenantbase")
}

fn access_hint(root: &Path, user: &ServerUser) -> String {
    match user.ids {
        Some(_) => format!(
            "PostgreSQL runs as an unprivileged user, which must be able to reach {}; \
             choose a data directory outside a private home (--data-dir or TENANTBASE_DATA_DIR).",
            root.display()
        ),
        None => String::new(),
    }
}

fn is_postgres_process(pid: i32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/comm")).map(|comm| comm.trim().starts_with("postgres")).unwrap_or(false)
}

fn tail(path: &Path, lines: usize) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// A client tool (pg_dump, pg_restore) of the PostgreSQL binaries a private cluster would use.
pub fn find_tool(name: &str) -> Result<PathBuf> {
    Ok(find_bin_dir()?.join(name))
}

/// Finds initdb/pg_ctl/postgres of PostgreSQL 14+: `TENANTBASE_PG_BIN` alone when
/// set, else `pg_config --bindir`, then PATH, then Debian's
/// `/usr/lib/postgresql/<major>/bin` (newest first).
fn find_bin_dir() -> Result<PathBuf> {
    let mut candidates = Vec::new();
    if let Some(dir) = std::env::var_os("TENANTBASE_PG_BIN") {
        candidates.push(PathBuf::from(dir));
        return first_usable(candidates);
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        if out.status.success() {
            candidates.push(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
        }
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let initdb = dir.join("initdb");
            if initdb.exists() {
                candidates.push(
                    fs::canonicalize(&initdb).ok().and_then(|p| p.parent().map(Path::to_path_buf)).unwrap_or(dir),
                );
            }
        }
    }
    let mut debian: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .collect();
    debian.sort_by_key(|b| std::cmp::Reverse(b.0));
    candidates.extend(debian.into_iter().map(|(_, p)| p));
    first_usable(candidates)
}

fn first_usable(candidates: Vec<PathBuf>) -> Result<PathBuf> {
    for dir in candidates {
        if ["initdb", "pg_ctl", "postgres"].iter().all(|b| dir.join(b).exists())
            && major_version(&dir) >= Some(MIN_MAJOR)
        {
            return Ok(dir);
        }
    }
    bail!(INSTALL_HINT)
}

fn major_version(bin_dir: &Path) -> Option<u32> {
    let out = Command::new(bin_dir.join("postgres")).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let version = text.split_whitespace().find(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))?;
    version.split('.').next()?.parse().ok()
}
