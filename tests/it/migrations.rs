use tenantbase::db::migrate;

use crate::common::TestDb;

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
    let forbidden: Vec<String> = admin
        .query(
            "SELECT table_schema || '.' || table_name || ' ' || privilege_type
             FROM information_schema.role_table_grants
             WHERE grantee = 'tenantbase_app' AND privilege_type IN ('TRUNCATE', 'REFERENCES', 'TRIGGER')",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
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
    db.admin()
        .await
        .query(
            "SELECT c.oid::regclass::text || ':' || c.relkind::text || ':' || c.relrowsecurity || ':' || c.relforcerowsecurity
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname IN ('tenancy', 'platform') ORDER BY 1",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
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
