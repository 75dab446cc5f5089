//! The binary's private cluster: start, find the running one, survive a crash, stop.

use std::process::Command;

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
