//! The signed tenant context: only the server's signature makes a context, so SQL
//! running as the app role cannot become another tenant by setting variables.

use std::process::Command;
use std::time::{Duration, SystemTime};

use tenantbase::clock::Clock;
use tenantbase::db::verifier::{self, Verifier};
use tenantbase::db::{connect, url_of, ContextKey, RequestMeta, Signer, TenantCtx};

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

    // A context for Tech Startup, made by SQL without the key: a well-formed
    // token whose signature is A's, one signed with a key of its own, an expired one.
    let as_techstartup = TenantCtx::new(techstartup, seeded.user("olivia@acme.com"));
    let signed_for_acme = key.sign_context(&olivia, later);
    let techstartup_payload = key.sign_context(&as_techstartup, later);
    let spliced =
        format!("{}.{}", techstartup_payload.rsplit_once('.').unwrap().0, signed_for_acme.rsplit_once('.').unwrap().1);
    let forged = [
        ("Acme's signature on Tech Startup's payload", format!("BEGIN; SET LOCAL app.context = '{spliced}'")),
        ("signed with another key", format!("BEGIN; {}", as_techstartup.context_sql(&ContextKey::generate(), later))),
        ("expired", format!("BEGIN; {}", olivia.context_sql(&key, SystemTime::now() - Duration::from_secs(1)))),
        ("the old settings", format!("BEGIN; SET LOCAL app.tenant_id = '{techstartup}'; SET LOCAL app.user_id = ''")),
    ];
    for (case, begin) in forged {
        assert_eq!(count_after(&app, &begin, MEMBERSHIPS).await, 0, "{case}");
    }

    for forge in [
        format!("SELECT set_config('app.context', '{spliced}', true)"),
        format!("SET LOCAL app.context = '{spliced}'"),
        "SET LOCAL app.context = ''".to_string(),
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

fn context_command(db: &TestDb, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tenantbase"))
        .arg("context")
        .args(args)
        .env("DATABASE_URL", url_of(&db.target.admin))
        .output()
        .unwrap()
}

/// A context is signed only for an active member of the tenant; an operator who
/// names themselves may act for anyone, and every change then records them.
#[tokio::test]
async fn the_context_command_signs_only_for_members_unless_an_operator_answers_for_it() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let refused = context_command(&db, &["--tenant", "acme", "--user", "tom@techstartup.io"]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("not an active member of acme") && stderr.contains("--operator"), "{stderr}");
    assert!(refused.stdout.is_empty(), "nothing signed");

    let out = context_command(&db, &["--tenant", "acme", "--user", "olivia@acme.com", "--operator", "alice@acme.com"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let app = connect(&db.target.app).await.unwrap();
    app.batch_execute(&String::from_utf8(out.stdout).unwrap()).await.unwrap();
    app.execute("INSERT INTO tenancy.roles (tenant_id, name) VALUES ($1, 'support_fix')", &[&seeded.tenant("acme")])
        .await
        .unwrap();
    app.batch_execute("COMMIT").await.unwrap();
    let admin = db.admin().await;
    crate::common::seal_everything(&admin).await;
    let row = admin
        .query_one(
            "SELECT user_id, impersonated_by, request_id FROM audit.log
             WHERE table_name = 'tenancy.roles' AND new_values ->> 'name' = 'support_fix'",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, Option<uuid::Uuid>>(0), Some(seeded.user("olivia@acme.com")));
    assert_eq!(row.get::<_, Option<uuid::Uuid>>(1), Some(seeded.user("alice@acme.com")), "the operator is recorded");
    assert!(row.get::<_, String>(2).starts_with("cli-context-"));

    let as_outsider =
        context_command(&db, &["--tenant", "acme", "--user", "tom@techstartup.io", "--operator", "alice@acme.com"]);
    assert!(as_outsider.status.success(), "{}", String::from_utf8_lossy(&as_outsider.stderr));
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
/// PL/pgSQL one of V350 on the private cluster: it must answer exactly what the
/// PL/pgSQL one answers, field by field, for good tokens and every malformed one.
#[tokio::test]
async fn the_compiled_verifier_answers_what_the_plpgsql_one_answers() {
    let db = TestDb::new().await;
    let admin = db.admin().await;
    assert!(
        matches!(verifier::installed(&admin).await.unwrap(), Verifier::Native(_)),
        "the private cluster runs the compiled verifier"
    );
    let v350 = include_str!("../../migrations/tenancy/V350__context_key_rotation.sql");
    let start = v350.find("CREATE OR REPLACE FUNCTION platform.context_field(").unwrap();
    let end = start + v350[start..].find("\n$$;").unwrap() + 4;
    admin
        .batch_execute(&v350[start..end].replace("platform.context_field(", "pg_temp.plpgsql_context_field("))
        .await
        .unwrap();

    let key = db.context_key();
    let soon = SystemTime::now() + Duration::from_secs(60);
    let (tenant, user) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    let full = TenantCtx::new(tenant, user).with_meta(RequestMeta {
        request_id: Some("req-1".into()),
        api_key_id: Some(uuid::Uuid::new_v4()),
        client_ip: Some("2001:db8::1".parse().unwrap()),
        user_agent: Some("curl/8.5 (é)".into()),
        impersonated_by: Some(uuid::Uuid::new_v4()),
    });
    let good = key.sign_context(&full, soon);
    let (signed, signature) = good.rsplit_once('.').unwrap();
    let payload = signed.strip_prefix("v2.").unwrap();
    let expires = soon.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs();
    let fields = |n: usize| vec!["x"; n].join("\n");
    let mut tampered = payload.to_string().into_bytes();
    tampered[5] = if tampered[5] == b'A' { b'B' } else { b'A' };
    let cases: Vec<(&str, Option<String>, bool)> = vec![
        ("signed", Some(good.clone()), true),
        (
            "no user, no facts",
            Some(key.sign_context(&TenantCtx { user_id: None, ..TenantCtx::new(tenant, user) }, soon)),
            true,
        ),
        (
            "twelve-digit expiry",
            Some(key.sign_context(&full, SystemTime::UNIX_EPOCH + Duration::from_secs(999_999_999_999))),
            true,
        ),
        ("the same token again (remembered)", Some(good.clone()), true),
        ("no token", None, false),
        ("empty token", Some(String::new()), false),
        ("another key", Some(ContextKey::generate().sign_context(&full, soon)), false),
        ("expired", Some(key.sign_context(&full, SystemTime::now() - Duration::from_secs(1))), false),
        ("a changed payload", Some(format!("v2.{}.{signature}", String::from_utf8(tampered).unwrap())), false),
        ("v1", Some(format!("v1.{payload}.{signature}")), false),
        ("a fourth part", Some(format!("{good}.x")), false),
        ("short signature", Some(good[..good.len() - 1].to_string()), false),
        ("long signature", Some(format!("{good}A")), false),
        ("standard base64 in the payload", Some(format!("v2.+{}.{signature}", &payload[1..])), false),
        ("a payload with one more character", Some(format!("v2.{payload}A.{signature}")), false),
        ("seven fields, signed", Some(key.sign_payload(&format!("{tenant}\n{user}\n{expires}\n\n\n\n"))), false),
        ("nine fields, signed", Some(key.sign_payload(&format!("{tenant}\n{user}\n{expires}\n\n\n\n\n\n"))), false),
        (
            "letters in the expiry, signed",
            Some(key.sign_payload(&format!("{tenant}\n{user}\n{expires}a\n\n\n\n\n"))),
            false,
        ),
        (
            "thirteen-digit expiry, signed",
            Some(key.sign_payload(&format!("{tenant}\n{user}\n100{expires}\n\n\n\n\n"))),
            false,
        ),
        ("no expiry, signed", Some(key.sign_payload(&format!("{tenant}\n{user}\n\n\n\n\n\n"))), false),
        ("eight fields of text, signed, expiry not a number", Some(key.sign_payload(&fields(8))), false),
        ("prefix only", Some("v2.".into()), false),
        ("the good token once more after the others", Some(good.clone()), true),
    ];
    for (case, token, authentic) in cases {
        admin.batch_execute("BEGIN").await.unwrap();
        match &token {
            Some(token) => drop(admin.execute("SELECT set_config('app.context', $1, true)", &[token]).await.unwrap()),
            None => admin.batch_execute("RESET app.context").await.unwrap(),
        }
        let row = admin
            .query_one(
                "SELECT array(SELECT platform.context_field(n) FROM generate_series(0, 9) n ORDER BY n),
                        array(SELECT pg_temp.plpgsql_context_field(n) FROM generate_series(0, 9) n ORDER BY n)",
                &[],
            )
            .await
            .unwrap();
        admin.batch_execute("ROLLBACK").await.unwrap();
        let (compiled, plpgsql): (Vec<Option<String>>, Vec<Option<String>>) = (row.get(0), row.get(1));
        assert_eq!(compiled, plpgsql, "{case}: compiled and PL/pgSQL disagree");
        assert_eq!(compiled[3].is_some(), authentic, "{case}: {compiled:?}");
        assert!(compiled[0].is_none() && compiled[9].is_none(), "{case}: fields are 1 to 8");
    }
    // The fields of the full context, as the audit trail reads them.
    admin.batch_execute("BEGIN").await.unwrap();
    admin.execute("SELECT set_config('app.context', $1, true)", &[&good]).await.unwrap();
    let row = admin
        .query_one("SELECT array(SELECT platform.context_field(n) FROM generate_series(1, 8) n ORDER BY n)", &[])
        .await
        .unwrap();
    admin.batch_execute("ROLLBACK").await.unwrap();
    let got: Vec<String> = row.get(0);
    let meta = &full.meta;
    assert_eq!(
        got,
        [
            tenant.to_string(),
            user.to_string(),
            expires.to_string(),
            meta.api_key_id.unwrap().to_string(),
            meta.impersonated_by.unwrap().to_string(),
            "req-1".to_string(),
            "2001:db8::1".to_string(),
            "curl/8.5 (é)".to_string(),
        ]
    );
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

/// `keys rotate context`: the replaced key verifies during the overlap, so servers
/// still signing with it keep answering, and stops when it retires; with either
/// verifier. The app role can neither read a key nor install or rotate one.
#[tokio::test]
async fn a_rotated_out_context_key_verifies_until_it_retires_and_the_app_role_reaches_no_key() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let (admin, app) = (db.admin().await, connect(&db.target.app).await.unwrap());
    let olivia = TenantCtx::new(seeded.tenant("acme"), seeded.user("olivia@acme.com"));
    let old = db.context_key();
    let new = ContextKey::rotate(&admin, Duration::from_secs(600)).await.unwrap();
    assert_eq!(ContextKey::fetch(&admin).await.unwrap(), new, "the new key is the current one");
    assert_eq!(ContextKey::retiring(&admin).await.unwrap().len(), 1);

    for (verifier, wait) in [("compiled", Duration::from_millis(1100)), ("PL/pgSQL", Duration::ZERO)] {
        if verifier == "PL/pgSQL" {
            verifier::install_plpgsql(&admin).await.unwrap();
        }
        admin.batch_execute("UPDATE platform.context_keys SET retires_at = now() + interval '10 minutes' WHERE retires_at IS NOT NULL").await.unwrap();
        tokio::time::sleep(wait).await;
        assert_eq!(count_after(&app, &begin(&old, &olivia), MEMBERSHIPS).await, 4, "{verifier}: old key, overlap");
        assert_eq!(count_after(&app, &begin(&new, &olivia), MEMBERSHIPS).await, 4, "{verifier}: new key");
        admin
            .batch_execute("UPDATE platform.context_keys SET retires_at = now() WHERE retires_at IS NOT NULL")
            .await
            .unwrap();
        tokio::time::sleep(wait).await;
        assert_eq!(count_after(&app, &begin(&old, &olivia), MEMBERSHIPS).await, 0, "{verifier}: old key, retired");
        assert_eq!(count_after(&app, &begin(&new, &olivia), MEMBERSHIPS).await, 4, "{verifier}: new key");
    }

    let bytes = vec![7u8; 32];
    for (what, sql) in [
        ("read the keys", "SELECT key, inner_pad FROM platform.context_keys"),
        ("rotate", "SELECT platform.rotate_context_key($1, interval '1 hour')"),
        ("install", "SELECT platform.install_context_key($1, true)"),
        ("pad", "SELECT platform.context_key_pad($1, 54)"),
    ] {
        app.batch_execute(&begin(&new, &olivia)).await.unwrap();
        let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
            if sql.contains("$1") { vec![&bytes] } else { vec![] };
        let denied = app.query(sql, &params).await.unwrap_err();
        assert_eq!(denied.code().unwrap().code(), "42501", "the app role cannot {what}");
        app.batch_execute("ROLLBACK").await.unwrap();
    }
    let installed: Vec<String> =
        crate::common::column(&admin, "SELECT encode(key, 'hex') FROM platform.context_keys", &[]).await;
    assert_eq!(installed.len(), 2, "nothing the app role tried installed a key");

    // After a leak, no overlap: every key before the new one stops verifying.
    let leaked = ContextKey::rotate(&admin, Duration::from_secs(600)).await.unwrap();
    assert_eq!(ContextKey::retiring(&admin).await.unwrap().len(), 1);
    let fresh = ContextKey::rotate(&admin, Duration::ZERO).await.unwrap();
    assert_eq!(
        ContextKey::retiring(&admin).await.unwrap(),
        vec![],
        "{} retired with {}",
        leaked.key_id(),
        new.key_id()
    );
    assert_eq!(count_after(&app, &begin(&leaked, &olivia), MEMBERSHIPS).await, 0);
    assert_eq!(count_after(&app, &begin(&fresh, &olivia), MEMBERSHIPS).await, 4);
}
