use std::path::Path;

use sha2::{Digest, Sha256};
use tenantbase::db::migrate;

use crate::common::{column, TestDb};

#[tokio::test]
async fn migrate_twice_on_an_empty_database_changes_nothing_the_second_time() {
    let db = TestDb::empty().await;
    let first = migrate::migrate(&db.target).await.unwrap();
    assert_eq!(first.applied_migrations().len(), migrate::embedded_migrations().len());
    let schema_before = schema_fingerprint(&db).await;
    let second = migrate::migrate(&db.target).await.unwrap();
    assert!(second.applied_migrations().is_empty(), "second run applied {:?}", second.applied_migrations());
    assert_eq!(schema_before, schema_fingerprint(&db).await);
    let applied = migrate::applied(&db.target).await.unwrap();
    let embedded: Vec<String> = migrate::embedded_migrations().iter().map(|m| m.name().to_string()).collect();
    assert_eq!(applied, embedded);
}

#[tokio::test]
async fn a_changed_applied_migration_is_refused() {
    let db = TestDb::new().await;
    let mut migrations = migrate::embedded_migrations();
    let changed = migrations[1].clone();
    migrations[1] = refinery::Migration::unapplied(
        &format!("V{}__{}", changed.version(), changed.name()),
        &format!("{}\n-- edited after it was applied", changed.sql().unwrap()),
    )
    .unwrap();
    let mut client = db.admin().await;
    let err = migrate::run(&mut client, &migrations).await.unwrap_err().to_string();
    assert!(err.contains("migration refused") && err.contains(changed.name()), "{err}");
}

#[tokio::test]
async fn a_missing_applied_migration_is_refused() {
    let db = TestDb::new().await;
    let mut migrations = migrate::embedded_migrations();
    let removed = migrations.remove(0);
    let mut client = db.admin().await;
    let err = migrate::run(&mut client, &migrations).await.unwrap_err().to_string();
    assert!(err.contains("migration refused") && err.contains(removed.name()), "{err}");
}

#[tokio::test]
async fn concurrent_migrators_are_serialized() {
    let db = TestDb::empty().await;
    let (a, b, c) =
        tokio::join!(migrate::migrate(&db.target), migrate::migrate(&db.target), migrate::migrate(&db.target));
    let applied: usize = [a, b, c].into_iter().map(|r| r.unwrap().applied_migrations().len()).sum();
    assert_eq!(applied, migrate::embedded_migrations().len(), "each migration applied exactly once");
    assert_eq!(migrate::applied(&db.target).await.unwrap().len(), migrate::embedded_migrations().len());
}

#[tokio::test]
async fn the_app_role_owns_nothing_bypasses_nothing_and_holds_only_dml() {
    let db = TestDb::new().await;
    let admin = db.admin().await;
    let role = admin
        .query_one(
            "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolinherit FROM pg_roles WHERE rolname = 'tenantbase_app'",
            &[],
        )
        .await
        .unwrap();
    for i in 0..5 {
        assert!(!role.get::<_, bool>(i), "tenantbase_app attribute {i} must be off");
    }
    let owned: i64 = admin
        .query_one(
            "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = 'tenantbase_app'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(owned, 0);
    let forbidden: Vec<String> = column(
        &admin,
        "SELECT table_schema || '.' || table_name || ' ' || privilege_type
             FROM information_schema.role_table_grants
             WHERE grantee = 'tenantbase_app' AND privilege_type IN ('TRUNCATE', 'REFERENCES', 'TRIGGER')",
        &[],
    )
    .await;
    assert!(forbidden.is_empty(), "{forbidden:?}");
    let can_create: bool = admin
        .query_one(
            "SELECT has_database_privilege('tenantbase_app', current_database(), 'CREATE')
                 OR has_schema_privilege('tenantbase_app', 'public', 'CREATE')
                 OR has_schema_privilege('tenantbase_app', 'tenancy', 'CREATE')",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(!can_create, "the app role must not run DDL");
}

async fn schema_fingerprint(db: &TestDb) -> Vec<String> {
    column(&db.admin().await, "SELECT c.oid::regclass::text || ':' || c.relkind::text || ':' || c.relrowsecurity || ':' || c.relforcerowsecurity
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname IN ('tenancy', 'platform') ORDER BY 1", &[]).await
}

#[tokio::test]
async fn with_database_url_the_binary_uses_that_server() {
    let db = TestDb::empty().await;
    let url = tenantbase::db::url_of(&db.target.admin);
    let run = |args: &'static [&'static str]| {
        let url = url.clone();
        async move {
            let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_tenantbase"))
                .args(args)
                .env("DATABASE_URL", url)
                .env("TENANTBASE_DATA_DIR", "/nonexistent/never-used")
                .output()
                .await
                .unwrap();
            (
                out.status.success(),
                String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr),
            )
        }
    };
    let (ok, out) = run(&["migrate"]).await;
    assert!(ok && out.contains("applied V10__extensions_and_context"), "{out}");
    let (ok, out) = run(&["migrate"]).await;
    assert!(ok && out.contains("up to date"), "{out}");
    let (ok, out) = run(&["seed", "demo"]).await;
    assert!(ok, "{out}");
    let (ok, out) = run(&["db", "start"]).await;
    assert!(!ok && out.contains("DATABASE_URL is set"), "{out}");
}

/// Where the released migrations' checksums are kept, relative to the migrations folder.
const RELEASED: &str = "released.sha256";

/// What is wrong with `dir` against its released list: a released file edited,
/// removed or renamed, a new file not yet listed or numbered below a released one.
fn released_drift(dir: &Path) -> Vec<String> {
    let listed = std::fs::read_to_string(dir.join(RELEASED)).expect("migrations/released.sha256");
    let released: Vec<(&str, &str)> = listed
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| line.split_once("  ").expect("lines are `<sha256>  <module>/<file>`"))
        .collect();
    let highest = released.iter().map(|(_, file)| version(file)).max().unwrap_or(0);
    let new_one = format!("add a new migration numbered above V{highest} instead");
    let mut drift = Vec::new();
    for (sha256, file) in &released {
        match std::fs::read(dir.join(file)) {
            Ok(text) if hex::encode(Sha256::digest(&text)) == *sha256 => {}
            Ok(_) => drift.push(format!("{file} was released and has been edited: restore it and {new_one}")),
            Err(_) => drift.push(format!("{file} was released and is gone: restore it and {new_one}")),
        }
    }
    for file in migration_files(dir) {
        if released.iter().any(|(_, listed)| *listed == file) {
            continue;
        }
        let text = std::fs::read(dir.join(&file)).unwrap();
        if version(&file) <= highest {
            drift.push(format!(
                "{file} is new but numbered at or below V{highest}, which databases have passed: {new_one}"
            ));
        } else {
            drift.push(format!(
                "{file} is not listed in migrations/{RELEASED}; once it is final, add the line\n{}  {file}",
                hex::encode(Sha256::digest(&text))
            ));
        }
    }
    drift
}

fn version(file: &str) -> u32 {
    let name = file.rsplit('/').next().unwrap();
    name.trim_start_matches('V').split("__").next().and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// `<module>/<file>` of every migration under `dir`, sorted.
fn migration_files(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    for module in std::fs::read_dir(dir).unwrap().flatten().filter(|e| e.path().is_dir()) {
        for file in std::fs::read_dir(module.path()).unwrap().flatten() {
            let name = file.file_name().to_string_lossy().into_owned();
            if name.starts_with('V') && name.ends_with(".sql") {
                files.push(format!("{}/{name}", module.file_name().to_string_lossy()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn released_migrations_are_never_edited() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let drift = released_drift(&dir);
    assert!(drift.is_empty(), "\n{}", drift.join("\n"));
}

#[test]
fn an_edited_removed_or_misnumbered_migration_is_reported_with_the_way_out() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let copy = tempfile::tempdir().unwrap();
    std::fs::copy(source.join(RELEASED), copy.path().join(RELEASED)).unwrap();
    let listed = std::fs::read_to_string(source.join(RELEASED)).unwrap();
    for file in migration_files(&source).into_iter().filter(|f| listed.contains(&format!("  {f}\n"))) {
        std::fs::create_dir_all(copy.path().join(file.split('/').next().unwrap())).unwrap();
        std::fs::copy(source.join(&file), copy.path().join(&file)).unwrap();
    }
    assert_eq!(released_drift(copy.path()), Vec::<String>::new());

    let files = migration_files(copy.path());
    let (edited, removed) = (&files[0], &files[1]);
    let mut text = std::fs::read_to_string(copy.path().join(edited)).unwrap();
    text.push_str("\n-- a comment is an edit too\n");
    std::fs::write(copy.path().join(edited), text).unwrap();
    std::fs::remove_file(copy.path().join(removed)).unwrap();
    std::fs::write(copy.path().join("tenancy/V11__squeezed_in.sql"), "SELECT 1;\n").unwrap();
    std::fs::write(copy.path().join("tenancy/V9999__next.sql"), "SELECT 1;\n").unwrap();
    let drift = released_drift(copy.path());
    assert_eq!(drift.len(), 4, "{drift:#?}");
    assert!(drift[0].starts_with(&format!("{edited} was released and has been edited")), "{}", drift[0]);
    assert!(drift[1].starts_with(&format!("{removed} was released and is gone")), "{}", drift[1]);
    assert!(drift[..3].iter().all(|d| d.contains("add a new migration numbered above V")), "{drift:#?}");
    assert!(drift[2].starts_with("tenancy/V11__squeezed_in.sql is new but numbered at or below"), "{}", drift[2]);
    assert!(drift[3].contains("add the line\n") && drift[3].ends_with("  tenancy/V9999__next.sql"), "{}", drift[3]);
}
