//! Compiles the native context verifier (pgext/tenantbase_context.c) against the
//! server headers of the PostgreSQL that tenantbase runs (the newest one found,
//! as at run time), into OUT_DIR, where `db::verifier` embeds it. Without
//! headers or a C compiler the binary embeds none and `migrate` keeps the
//! PL/pgSQL verifier: same answers, slower.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::{env, fs};

const SOURCE: &str = "pgext/tenantbase_context.c";
/// Where Debian's postgresql-server-dev-<major> packages put their headers.
const HEADERS: &str = "/usr/include/postgresql";

fn main() {
    println!("cargo:rerun-if-changed={SOURCE}");
    // refinery embeds migrations/ at compile time: a new migration file must rebuild.
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-env-changed=TENANTBASE_PG_BIN");
    // Headers installed or upgraded later (scripts/install-deps.sh) rebuild it.
    if Path::new(HEADERS).exists() {
        println!("cargo:rerun-if-changed={HEADERS}");
    }
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("tenantbase_context.so");
    match build(&out) {
        Ok(version) => println!("cargo:rustc-env=TENANTBASE_VERIFIER_BUILT_FOR={version}"),
        Err(why) => {
            println!("cargo:warning=the native context verifier was not built ({why}); migrate keeps the PL/pgSQL one");
            println!("cargo:rustc-env=TENANTBASE_VERIFIER_BUILT_FOR=");
            fs::write(&out, b"").expect("writing to OUT_DIR");
        }
    }
}

/// Compiles the library; returns the PostgreSQL version it was built for.
fn build(out: &Path) -> Result<String, String> {
    let (include, version) =
        server_headers().ok_or("no PostgreSQL server headers: apt-get install postgresql-server-dev-<major>")?;
    let compiler = cc::Build::new().get_compiler();
    let status = compiler
        .to_command()
        .args(["-shared", "-fPIC", "-O2", "-Wall"])
        .arg("-I")
        .arg(&include)
        .arg("-o")
        .arg(out)
        .arg(SOURCE)
        .status()
        .map_err(|e| format!("running the C compiler: {e}"))?;
    if status.success() {
        Ok(version)
    } else {
        Err(format!("the C compiler failed: {status}"))
    }
}

/// The server headers and version of the pg_config that the run-time search would
/// pick: TENANTBASE_PG_BIN, then PATH, then the newest /usr/lib/postgresql/<major>.
fn server_headers() -> Option<(PathBuf, String)> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(bin) = env::var_os("TENANTBASE_PG_BIN") {
        candidates.push(PathBuf::from(bin).join("pg_config"));
    }
    candidates.push(PathBuf::from("pg_config"));
    let mut versioned: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin/pg_config"))))
        .collect();
    versioned.sort();
    candidates.extend(versioned.into_iter().rev().map(|(_, path)| path));
    candidates.into_iter().find_map(|pg_config| {
        let output = Command::new(&pg_config).args(["--includedir-server", "--version"]).output().ok()?;
        let stdout = String::from_utf8(output.stdout).ok()?;
        let mut lines = stdout.lines();
        let dir = PathBuf::from(lines.next()?.trim());
        let version = lines.next()?.trim().trim_start_matches("PostgreSQL ").to_string();
        (output.status.success() && dir.join("postgres.h").exists()).then_some((dir, version))
    })
}
