//! The signed tenant context: only the server's signature makes a context, so SQL
//! running as the app role cannot become another tenant by setting variables.

use std::process::Command;
use std::time::{Duration, SystemTime};

use tenantbase::clock::Clock;
use tenantbase::db::verifier::{self, Verifier};
use tenantbase::db::{connect, url_of, ContextKey, Signer, TenantCtx};

use crate::common::TestDb;

const MEMBERSHIPS: &str = "SELECT count(*) FROM tenancy.memberships";

/// BEGIN and `ctx` signed with `key`, valid from now.
fn begin(key: &ContextKey, ctx: &TenantCtx) -> String {
    Signer::new(key.clone(), Clock::system()).begin_sql(ctx)
}

async fn count_after(app: &tokio_postgres::Client, begin: &str, sql: &str) -> i64 {
    app.batch_execute(begin).await.unwrap();
    let n = app.query_one(sql, &[]).await.unwrap().get(0);
    app.batch_execute("ROLLBACK").await.unwrap();
    n
}

#[tokio::test]
async fn only_a_context_signed_with_the_key_sees_rows() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let app = connect(&db.target.app).await.unwrap();
    let (acme, techstartup) = (seeded.tenant("acme"), seeded.tenant("tech-startup"));
    let olivia = TenantCtx::new(acme, seeded.user("olivia@acme.com"));
    let key = db.context_key();
    let later = SystemTime::now() + Duration::from_secs(60);

    assert_eq!(
        count_after(&app, &begin(&key, &olivia), MEMBERSHIPS).await,
        4,
        "the signed context sees Acme's members"
    );

    let unsigned = format!(
        "BEGIN; SET LOCAL app.tenant_id = '{acme}'; SET LOCAL app.user_id = '{}'",
        seeded.user("olivia@acme.com")
    );
    assert_eq!(count_after(&app, &unsigned, MEMBERSHIPS).await, 0, "SET LOCAL without a signature");

    let other_key = format!("BEGIN; {}", olivia.context_sql(&ContextKey::generate(), later));
    assert_eq!(count_after(&app, &other_key, MEMBERSHIPS).await, 0, "signed with another key");

    let expired = format!("BEGIN; {}", olivia.context_sql(&key, SystemTime::now() - Duration::from_secs(1)));
    assert_eq!(count_after(&app, &expired, MEMBERSHIPS).await, 0, "expired");

    for forge in [
        format!("SELECT set_config('app.tenant_id', '{techstartup}', true)"),
        format!("SET LOCAL app.tenant_id = '{techstartup}'"),
    ] {
        app.batch_execute(&begin(&key, &olivia)).await.unwrap();
        app.batch_execute(&forge).await.unwrap();
        let n: i64 = app.query_one(MEMBERSHIPS, &[]).await.unwrap().get(0);
        app.batch_execute("ROLLBACK").await.unwrap();
        assert_eq!(n, 0, "{forge} inside Acme's signed transaction");
    }

    app.batch_execute(&begin(&key, &olivia)).await.unwrap();
    let denied = app.query("SELECT key FROM platform.context_keys", &[]).await.unwrap_err();
    assert_eq!(denied.code().unwrap().code(), "42501", "the app role cannot read the key");
    app.batch_execute("ROLLBACK").await.unwrap();
    let denied = app.query("SELECT query FROM pg_stat_activity", &[]).await.unwrap_err();
    assert_eq!(denied.code().unwrap().code(), "42501", "the app role cannot read other sessions' signed contexts");
}

#[tokio::test]
async fn the_context_command_prints_a_context_psql_can_use() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let out = Command::new(env!("CARGO_BIN_EXE_tenantbase"))
        .args(["context", "--tenant", "acme", "--user", "victor@acme.com"])
        .env("DATABASE_URL", url_of(&db.target.admin))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let begin = String::from_utf8(out.stdout).unwrap();
    let app = connect(&db.target.app).await.unwrap();
    app.batch_execute(&begin).await.unwrap();
    let row = app
        .query_one(
            "SELECT tenancy.current_tenant_id(), tenancy.current_user_id(), tenancy.current_member_role()::text",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, uuid::Uuid>(0), seeded.tenant("acme"));
    assert_eq!(row.get::<_, uuid::Uuid>(1), seeded.user("victor@acme.com"));
    assert_eq!(row.get::<_, String>(2), "viewer");
}

#[tokio::test]
async fn migrate_installs_a_configured_key_and_keeps_a_generated_one() {
    let db = TestDb::empty().await;
    tenantbase::db::migrate::migrate(&db.target).await.unwrap();
    let admin = db.admin().await;
    assert_eq!(ContextKey::fetch(&admin).await.unwrap(), db.context_key(), "the configured key is installed");

    let mut unconfigured = db.target.clone();
    unconfigured.context_key = None;
    tenantbase::db::migrate::migrate(&unconfigured).await.unwrap();
    assert_eq!(ContextKey::fetch(&admin).await.unwrap(), db.context_key(), "without configuration the key stays");

    let rotated = ContextKey::generate();
    let mut reconfigured = db.target.clone();
    reconfigured.context_key = Some(rotated.clone());
    tenantbase::db::migrate::migrate(&reconfigured).await.unwrap();
    assert_eq!(ContextKey::fetch(&admin).await.unwrap(), rotated, "a newly configured key replaces the old one");
}

/// migrate swaps the compiled verifier (pgext/tenantbase_context.c) in for the
/// PL/pgSQL one of V55 on the private cluster: it must answer exactly what the
/// PL/pgSQL one answers, for good tokens and for every malformed one.
#[tokio::test]
async fn the_compiled_verifier_answers_what_the_plpgsql_one_answers() {
    let db = TestDb::new().await;
    let admin = db.admin().await;
    assert!(
        matches!(verifier::installed(&admin).await.unwrap(), Verifier::Native(_)),
        "the private cluster runs the compiled verifier"
    );
    let v55 = include_str!("../../migrations/tenancy/V55__signed_context.sql");
    let start = v55.find("CREATE FUNCTION platform.context_is_signed()").unwrap();
    let end = start + v55[start..].find("\n$$;").unwrap() + 4;
    admin
        .batch_execute(&v55[start..end].replace("platform.context_is_signed()", "pg_temp.plpgsql_verifier()"))
        .await
        .unwrap();

    let key = db.context_key();
    let (tenant, user) = (uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string());
    let soon = SystemTime::now() + Duration::from_secs(60);
    let good = key.sign(&tenant, &user, soon);
    let (expires, signature) = good[3..].split_once(':').unwrap();
    let far = SystemTime::UNIX_EPOCH + Duration::from_secs(999_999_999_999);
    let other = uuid::Uuid::new_v4().to_string();
    let cases: Vec<(&str, String, String, Option<String>, bool)> = vec![
        ("signed", tenant.clone(), user.clone(), Some(good.clone()), true),
        ("no user", tenant.clone(), String::new(), Some(key.sign(&tenant, "", soon)), true),
        ("twelve-digit expiry", tenant.clone(), user.clone(), Some(key.sign(&tenant, &user, far)), true),
        ("a further colon part", tenant.clone(), user.clone(), Some(format!("{good}:more")), true),
        ("no token", tenant.clone(), user.clone(), None, false),
        ("empty token", tenant.clone(), user.clone(), Some(String::new()), false),
        ("another tenant", uuid::Uuid::new_v4().to_string(), user.clone(), Some(good.clone()), false),
        ("another user", tenant.clone(), uuid::Uuid::new_v4().to_string(), Some(good.clone()), false),
        ("another key", tenant.clone(), user.clone(), Some(ContextKey::generate().sign(&tenant, &user, soon)), false),
        (
            "expired",
            tenant.clone(),
            user.clone(),
            Some(key.sign(&tenant, &user, SystemTime::now() - Duration::from_secs(1))),
            false,
        ),
        ("v2", tenant.clone(), user.clone(), Some(format!("v2{}", &good[2..])), false),
        (
            "upper-case hex",
            tenant.clone(),
            user.clone(),
            Some(format!("v1:{expires}:{}", signature.to_uppercase())),
            false,
        ),
        ("short signature", tenant.clone(), user.clone(), Some(good[..good.len() - 1].to_string()), false),
        ("long signature", tenant.clone(), user.clone(), Some(format!("{good}0")), false),
        ("non-hex signature", tenant.clone(), user.clone(), Some(format!("v1:{expires}:g{}", &signature[1..])), false),
        ("no expiry", tenant.clone(), user.clone(), Some(format!("v1::{signature}")), false),
        ("signed expiry", tenant.clone(), user.clone(), Some(format!("v1:+{expires}:{signature}")), false),
        ("thirteen-digit expiry", tenant.clone(), user.clone(), Some(format!("v1:0{expires}0:{signature}")), false),
        ("letters in the expiry", tenant.clone(), user.clone(), Some(format!("v1:{expires}a:{signature}")), false),
        ("prefix only", tenant.clone(), user.clone(), Some("v1:".into()), false),
        // The compiled verifier remembers the last authentic context: a newline
        // moved between its settings must not pass for it.
        ("a further part naming another tenant", tenant.clone(), user.clone(), Some(format!("{good}:\n{other}")), true),
        (
            "that tenant, the rest moved into the user",
            other.clone(),
            format!("{tenant}\n{user}"),
            Some(format!("{good}:")),
            false,
        ),
        ("the remembered context again", tenant.clone(), user.clone(), Some(format!("{good}:\n{other}")), true),
        ("its token with another tenant", other.clone(), user.clone(), Some(format!("{good}:\n{other}")), false),
    ];
    for (case, tenant, user, token, expected) in cases {
        admin.batch_execute("BEGIN").await.unwrap();
        admin
            .execute(
                "SELECT set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true),
                        set_config('app.context_token', coalesce($3, ''), true)",
                &[&tenant, &user, &token],
            )
            .await
            .unwrap();
        if token.is_none() {
            admin.batch_execute("RESET app.context_token").await.unwrap();
        }
        let row =
            admin.query_one("SELECT platform.context_is_signed(), pg_temp.plpgsql_verifier()", &[]).await.unwrap();
        admin.batch_execute("ROLLBACK").await.unwrap();
        let (compiled, plpgsql): (bool, bool) = (row.get(0), row.get(1));
        assert_eq!(compiled, plpgsql, "{case}: compiled and PL/pgSQL disagree");
        assert_eq!(compiled, expected, "{case}");
    }
}

/// The compiled verifier keeps the key (and its last authentic context) per
/// backend for at most a second: after a rotation, a connection that verified
/// with the old key refuses it and accepts the new one.
#[tokio::test]
async fn a_rotated_key_takes_over_within_a_second_on_a_connection_that_used_the_old_one() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let app = connect(&db.target.app).await.unwrap();
    let olivia = TenantCtx::new(seeded.tenant("acme"), seeded.user("olivia@acme.com"));
    let old = db.context_key();
    assert_eq!(count_after(&app, &begin(&old, &olivia), MEMBERSHIPS).await, 4);

    let rotated = ContextKey::generate();
    ContextKey::provision(&db.admin().await, Some(&rotated)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(count_after(&app, &begin(&old, &olivia), MEMBERSHIPS).await, 0, "the old key no longer signs");
    assert_eq!(count_after(&app, &begin(&rotated, &olivia), MEMBERSHIPS).await, 4, "the new key does");
}
