//! The binary's private cluster: start, find the running one, survive a crash, stop;
//! reachable and readable by its owner only.

use std::fs::{self, Permissions};
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nix::unistd::Uid;
use tenantbase::db::cluster::{Cluster, Durability};

fn tenantbase(data_dir: &std::path::Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tenantbase"))
        .args(args)
        .env("TENANTBASE_DATA_DIR", data_dir)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn the_private_cluster_starts_once_survives_a_crash_and_stops() {
    let dir = tempfile::Builder::new().prefix("tenantbase-cli-").tempdir().unwrap();
    let data = dir.path().join("data");

    let (ok, out) = tenantbase(&data, &["db", "start"]);
    assert!(ok, "{out}");
    let (ok, again) = tenantbase(&data, &["db", "start"]);
    assert!(ok, "{again}");
    assert_eq!(out, again, "a second start finds the running cluster");
    let (ok, status) = tenantbase(&data, &["db", "status"]);
    assert!(ok && status.starts_with("running"), "{status}");

    // Crash: kill the postmaster without letting it clean up its pid file.
    let pid: i32 =
        std::fs::read_to_string(data.join("pg/postmaster.pid")).unwrap().lines().next().unwrap().parse().unwrap();
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), nix::sys::signal::Signal::SIGKILL).unwrap();
    for _ in 0..100 {
        if !std::path::Path::new(&format!("/proc/{pid}")).exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(data.join("pg/postmaster.pid").exists(), "the crash leaves a stale pid file");
    let (ok, status) = tenantbase(&data, &["db", "status"]);
    assert!(ok && status.starts_with("stopped"), "{status}");
    let (ok, out) = tenantbase(&data, &["db", "start"]);
    assert!(ok, "restart after a crash: {out}");
    let (ok, out) = tenantbase(&data, &["migrate"]);
    assert!(ok, "{out}");
    let (ok, url) = tenantbase(&data, &["db", "url", "--role", "app"]);
    assert!(ok && url.contains("user=tenantbase_app"), "{url}");

    let (ok, out) = tenantbase(&data, &["db", "stop"]);
    assert!(ok && out.contains("stopped"), "{out}");
    let (ok, out) = tenantbase(&data, &["db", "stop"]);
    assert!(ok && out.contains("was not running"), "{out}");
}

#[test]
fn without_postgresql_binaries_it_names_the_package_to_install() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tenantbase"))
        .args(["db", "start"])
        .env("TENANTBASE_DATA_DIR", dir.path())
        .env("TENANTBASE_PG_BIN", "/nonexistent")
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("apt-get install -y postgresql"), "{err}");
}

/// Stops the cluster even when an assertion fails, before its directory is removed.
struct StopOnDrop<'a>(&'a Path);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        tenantbase(self.0, &["db", "stop"]);
    }
}

fn run(command: &mut Command) -> (bool, String) {
    let out = command.current_dir("/").output().unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

fn as_nobody(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut command = Command::new("runuser");
    command.args(["-u", "nobody", "--"]).arg(program);
    command
}

/// psql through the cluster's socket as its superuser, as `command` runs it.
fn psql(mut command: Command, data: &Path, sql: &str) -> (bool, String) {
    let port = fs::read_to_string(data.join("port")).unwrap();
    run(command
        .args(["-X", "-w", "-qAt", "-U", "postgres", "-d", "postgres", "-p", port.trim(), "-h"])
        .arg(data.join("run"))
        .args(["-c", sql]))
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o777
}

fn assert_mode(path: &Path, expected: u32, what: &str) {
    assert_eq!(format!("{:o}", mode(path)), format!("{expected:o}"), "{what}: {}", path.display());
}

/// The modes the cluster keeps, and the server's user owning its socket directory and log.
fn assert_modes(data: &Path, scope: &str) {
    let root_mode = if Uid::effective().is_root() { 0o711 } else { 0o700 };
    assert_mode(data, root_mode, &format!("the data directory is not listable by others {scope}"));
    assert_mode(&data.join("pg"), 0o700, &format!("PGDATA {scope}"));
    assert_mode(&data.join("run"), 0o700, &format!("the socket directory {scope}"));
    assert_mode(&data.join("postgres.log"), 0o600, &format!("postgres.log {scope}"));
    let server_uid = fs::metadata(data.join("pg")).unwrap().uid();
    for owned in ["run", "postgres.log"] {
        assert_eq!(fs::metadata(data.join(owned)).unwrap().uid(), server_uid, "{owned} is the server's user's {scope}");
    }
    let port = fs::read_to_string(data.join("port")).unwrap();
    let socket = data.join(format!("run/.s.PGSQL.{}", port.trim()));
    assert!(fs::metadata(&socket).unwrap().file_type().is_socket(), "{} is the server's socket", socket.display());
    assert_mode(&socket, 0o700, &format!("unix_socket_permissions {scope}"));
}

/// Another local user (`nobody`) reaches the data directory but can neither list it,
/// connect through its socket nor read its log; the owner does both.
fn assert_owner_only(data: &Path, psql_bin: &Path) {
    let (ok, out) = run(as_nobody("stat").arg(data.join("run")).arg(data.join("postgres.log")));
    assert!(ok, "nobody reaches the data directory, so the denials below come from the cluster's modes: {out}");
    let (ok, out) = run(as_nobody("ls").arg(data));
    assert!(!ok && out.contains("Permission denied"), "nobody lists the data directory: {out}");
    let (ok, out) = psql(as_nobody(psql_bin), data, "SELECT 1");
    assert!(!ok && out.contains("Permission denied"), "nobody connects through the socket: {out}");
    let (ok, out) = run(as_nobody("cat").arg(data.join("postgres.log")));
    assert!(!ok && out.contains("Permission denied"), "nobody reads postgres.log: {out}");
    let (ok, out) = psql(Command::new(psql_bin), data, "SELECT 1");
    assert!(ok && out.trim() == "1", "the owner connects through the socket: {out}");
    fs::read_to_string(data.join("postgres.log")).expect("the owner reads postgres.log");
}

/// The settings every start enforces, as the server reports them.
fn assert_private_settings(data: &Path, psql_bin: &Path) {
    for (setting, value) in [
        ("unix_socket_permissions", "0700"),
        ("log_min_error_statement", "panic"),
        ("log_statement", "none"),
        ("log_min_duration_statement", "-1"),
    ] {
        let (ok, out) = psql(Command::new(psql_bin), data, &format!("SHOW {setting}"));
        assert!(ok && out.trim() == value, "{setting}: {out}");
    }
}

/// As root the test tries another user's access for real; otherwise it cannot switch
/// users and checks the modes only (CI runs as root).
#[test]
fn the_private_cluster_is_its_owners_alone_and_its_log_holds_no_statement() {
    let is_root = Uid::effective().is_root();
    let scope = if is_root {
        "(as root; another user's access is tried as nobody)"
    } else {
        "(not root: only file modes and socket permissions are checked, another user's access is not tried)"
    };
    let dir = tempfile::Builder::new().prefix("tenantbase-private-").tempdir().unwrap();
    fs::set_permissions(dir.path(), Permissions::from_mode(0o711)).unwrap();
    let data = dir.path().join("data");
    let _stop = StopOnDrop(&data);
    let psql_bin = Cluster::new(&data, Durability::Durable).unwrap().bin("psql");

    let (ok, out) = tenantbase(&data, &["migrate"]);
    assert!(ok, "the owner migrates through the socket: {out}");
    assert_modes(&data, scope);
    if is_root {
        assert_owner_only(&data, &psql_bin);
    }
    assert_private_settings(&data, &psql_bin);
    if !tenantbase::db::verifier::BUILT_FOR.is_empty() {
        assert_eq!(mode(&data.join("lib")) & 0o022, 0, "lib/ is not writable by others {scope}");
        for library in fs::read_dir(data.join("lib")).unwrap() {
            let library = library.unwrap().path();
            assert_eq!(mode(&library) & 0o022, 0, "{} is not writable by others {scope}", library.display());
        }
    }

    // The server creates secret.key when it first seals a secret.
    let mut server = Command::new(env!("CARGO_BIN_EXE_tenantbase"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("TENANTBASE_DATA_DIR", &data)
        .env_remove("DATABASE_URL")
        .env_remove("TENANTBASE_SECRET_KEY")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !data.join("secret.key").exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(data.join("secret.key").exists(), "the server created secret.key within a minute");
    assert_mode(&data.join("secret.key"), 0o600, &format!("secret.key {scope}"));

    // A failed statement is logged without its text, which may carry a signed context.
    let marker = format!("tb-marker-{}", std::process::id());
    let (ok, out) =
        psql(Command::new(&psql_bin), &data, &format!("BEGIN; SET LOCAL app.context_token = '{marker}'; SELECT 1/0"));
    assert!(!ok && out.contains("division by zero"), "{out}");
    let log = fs::read_to_string(data.join("postgres.log")).unwrap();
    assert!(log.contains("division by zero"), "the error itself is logged: {log}");
    assert!(!log.contains(&marker), "the failed statement's text is not logged: {log}");

    // An older cluster: looser modes and a configuration asking for an open socket and logged statements.
    let (ok, out) = tenantbase(&data, &["db", "stop"]);
    assert!(ok, "{out}");
    for (path, loose) in [("", 0o755), ("run", 0o755), ("postgres.log", 0o644)] {
        fs::set_permissions(data.join(path), Permissions::from_mode(loose)).unwrap();
    }
    let mut conf = fs::OpenOptions::new().append(true).open(data.join("pg/postgresql.conf")).unwrap();
    std::io::Write::write_all(&mut conf, b"unix_socket_permissions = 0777\nlog_min_error_statement = error\n").unwrap();
    let (ok, out) = tenantbase(&data, &["db", "start"]);
    assert!(ok, "{out}");
    assert_modes(&data, scope);
    if is_root {
        assert_owner_only(&data, &psql_bin);
    }
    assert_private_settings(&data, &psql_bin);
}

/// The binary run from `cwd` with the default data directory under `xdg` (no TENANTBASE_DATA_DIR).
fn tenantbase_from(cwd: &Path, xdg: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tenantbase"))
        .args(args)
        .current_dir(cwd)
        .env("XDG_DATA_HOME", xdg)
        .env_remove("TENANTBASE_DATA_DIR")
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn every_directory_finds_the_same_cluster_and_only_start_creates_one() {
    let dir = tempfile::Builder::new().prefix("tenantbase-default-").tempdir().unwrap();
    let (xdg, here, elsewhere) = (dir.path().join("xdg"), dir.path().join("here"), dir.path().join("elsewhere"));
    fs::create_dir_all(&here).unwrap();
    fs::create_dir_all(&elsewhere).unwrap();
    let data = xdg.join("tenantbase");

    // No cluster yet: a command that needs one says where it looked and how to get one, and creates nothing.
    for args in [&["db", "status"][..], &["db", "url"], &["check"], &["context", "--tenant", "acme"]] {
        let (ok, out) = tenantbase_from(&elsewhere, &xdg, args);
        assert!(out.contains(&format!("no tenantbase cluster in {}", data.display())), "{args:?}: {out}");
        assert!(out.contains("tenantbase db start") && out.contains("TENANTBASE_DATA_DIR"), "{args:?}: {out}");
        assert_eq!(ok, args == ["db", "status"], "{args:?}: only status succeeds: {out}");
        assert!(!data.join("pg").exists(), "{args:?} created a cluster");
    }

    let (ok, out) = tenantbase_from(&here, &xdg, &["db", "start"]);
    assert!(ok, "{out}");
    let _stop = StopOnDrop(&data);
    let (ok, status) = tenantbase_from(&elsewhere, &xdg, &["db", "status"]);
    assert!(ok && status.starts_with("running") && status.contains(&format!("data {}", data.display())), "{status}");
    assert!(!here.join(".tenantbase").exists() && !elsewhere.join(".tenantbase").exists());
}

#[test]
fn a_busy_port_names_the_way_out() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let (ok, out) = tenantbase(&dir.path().join("none"), &["serve", "--listen", &address]);
    assert!(!ok);
    assert!(out.contains(&format!("{address} is already in use")) && out.contains("--listen"), "{out}");
}

#[test]
fn bad_arguments_are_refused_before_anything_runs() {
    use clap::Parser;
    use tenantbase::cli::Cli;
    let refused = |args: &[&str]| {
        Cli::try_parse_from(std::iter::once("tenantbase").chain(args.iter().copied())).unwrap_err().to_string()
    };
    let negative = refused(&["credits", "add", "--tenant", "acme", "--amount", "-100"]);
    assert!(negative.contains("invalid value '-100' for '--amount <AMOUNT>'"), "{negative}");
    let zero_pool = refused(&["serve", "--pool-size", "0"]);
    assert!(zero_pool.contains("invalid value '0' for '--pool-size <POOL_SIZE>'"), "{zero_pool}");
    let month = refused(&["credits", "reset-monthly", "--month", "01/2026"]);
    assert!(month.contains("01/2026 is not a month written YYYY-MM"), "{month}");
    assert!(Cli::try_parse_from(["tenantbase", "credits", "add", "--tenant", "acme", "--amount", "100"]).is_ok());
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    // `true` has exited when tenantbase writes: the write meets a closed pipe.
    let out = Command::new("bash")
        .args([
            "-o",
            "pipefail",
            "-c",
            &format!("{{ sleep 0.3; {} check --rules; }} | true", env!("CARGO_BIN_EXE_tenantbase")),
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}
