//! docs/schema.sql is the schema as it is after every migration (later migrations re-create
//! earlier functions, so no migration file shows it): pg_dump of a freshly migrated database,
//! normalised. The committed copy must match; regenerate it with one command.

use std::process::Command;

use crate::common::TestDb;

const SNAPSHOT: &str = "docs/schema.sql";
const REGENERATE: &str = "UPDATE_SCHEMA=1 cargo test --test it schema_snapshot";

/// pg_dump's text without what differs between runs and servers: its version banner, session
/// settings, the `\restrict` keys of newer versions, the compiled verifier's path (under the
/// data directory, named after its build), the pgvector extension (installed on some machines
/// only; the embeddings schema it serves is left out of the dump), and empty lines repeated.
fn normalise(dump: &str) -> String {
    let mut out = String::from(
        "-- The schema of a freshly migrated tenantbase database: pg_dump --schema-only, normalised.\n\
         -- Generated; do not edit. Regenerate: UPDATE_SCHEMA=1 cargo test --test it schema_snapshot\n",
    );
    let mut blank = false;
    for line in dump.lines() {
        let skipped = line.starts_with("SET ")
            || line.starts_with("SELECT pg_catalog.set_config(")
            || line.starts_with("\\restrict")
            || line.starts_with("\\unrestrict")
            || line.starts_with("-- Dumped ")
            || line.starts_with("-- Name: vector; Type: EXTENSION")
            || line.starts_with("-- Name: EXTENSION vector;")
            || line.starts_with("CREATE EXTENSION IF NOT EXISTS vector ")
            || line.starts_with("COMMENT ON EXTENSION vector ");
        if skipped {
            continue;
        }
        let empty = line.trim().is_empty() || line == "--";
        if empty && blank {
            continue;
        }
        blank = empty;
        let line = match (line.find("AS '"), line.find(".so', ")) {
            (Some(start), Some(end)) if line.contains("tenantbase_context") => {
                format!("{}AS '<data-dir>/lib/tenantbase_context.so{}", &line[..start], &line[end + 3..])
            }
            _ => line.to_string(),
        };
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[tokio::test]
async fn schema_snapshot_matches_the_migrations() {
    let db = TestDb::new().await;
    let cluster = db.target.cluster.as_ref().expect("the test cluster is private");
    let socket_dir = db.socket().parent().unwrap().to_path_buf();
    // The monthly partitions are named after the months around today: the snapshot keeps
    // their parents and default partitions, which do not move with the calendar.
    let monthly = crate::common::column::<String>(
        &db.admin().await,
        "SELECT c.oid::regclass::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE c.relispartition AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT' ORDER BY 1",
        &[],
    )
    .await;
    let out = Command::new(cluster.bin("pg_dump"))
        .args(["--schema-only", "-U", "postgres", "-p", &db.port().to_string()])
        .args(["--exclude-schema", "embeddings"])
        .args(monthly.iter().flat_map(|table| ["--exclude-table".to_string(), table.clone()]))
        .arg("-h")
        .arg(&socket_dir)
        .arg(db.target.database_name())
        .output()
        .expect("pg_dump runs");
    assert!(out.status.success(), "pg_dump: {}", String::from_utf8_lossy(&out.stderr));
    let current = normalise(&String::from_utf8(out.stdout).unwrap());

    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(SNAPSHOT);
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &current).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != current {
        let first = committed.lines().zip(current.lines()).position(|(a, b)| a != b);
        panic!(
            "{SNAPSHOT} drifted from the migrations (first difference at line {}): run `{REGENERATE}` and commit it",
            first.map_or(committed.lines().count().min(current.lines().count()) + 1, |i| i + 1)
        );
    }
}
