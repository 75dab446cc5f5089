//! One tenant's life: soft delete refused by the database, restore, erasure after
//! the window (injected clock), the trail kept 90 days, the erasure ledger.

use chrono::{DateTime, Duration, Utc};
use indicatif::ProgressBar;
use reqwest::{Method, StatusCode};
use serde_json::json;
use tenantbase::db::{backup, TenantCtx};
use tenantbase::lifecycle::{self, LedgerEntry};
use tenantbase::signing::OperatorKey;
use tenantbase::transfer;
use uuid::Uuid;

use crate::api::Server;
use crate::common::{seal_everything, TestDb};

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// Rows of `tenant` in every tenant table (the trail aside), and the users named.
async fn rows_left(admin: &tokio_postgres::Client, tenant: Uuid, users: &[Uuid]) -> i64 {
    let tables: i64 = lifecycle::tenant_sums(admin, tenant).await.unwrap().iter().map(|t| t.rows).sum();
    let users: i64 =
        admin.query_one("SELECT count(*) FROM tenancy.users WHERE id = ANY ($1)", &[&users]).await.unwrap().get(0);
    tables + users
}

async fn assert_chains_intact(admin: &mut tokio_postgres::Client) {
    seal_everything(admin).await;
    let report =
        tenantbase::audit::verify(admin, None, at("2026-01-01T00:00:00Z").date_naive(), &ProgressBar::hidden())
            .await
            .unwrap();
    let broken: Vec<String> = report.broken().map(|c| c.to_string()).collect();
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[tokio::test]
async fn a_deleted_tenant_is_refused_restored_whole_then_erased_after_its_window_and_its_trail_after_90_days() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let mut admin = db.admin().await;
    let tenant = seeded.tenant("healthcare-co");
    let (hana, diana) = (seeded.user("hana@healthcare.com"), seeded.user("diana@healthcare.com"));
    let before = lifecycle::tenant_sums(&admin, tenant).await.unwrap();
    assert!(before.iter().map(|t| t.rows).sum::<i64>() > 10, "the demo tenant has rows: {before:?}");
    let t0 = at("2026-03-01T12:00:00Z");

    assert!(lifecycle::delete(&admin, tenant, "acme", t0, Duration::days(30)).await.is_err(), "the slug confirms");
    let until = lifecycle::delete(&admin, tenant, "healthcare-co", t0, Duration::days(30)).await.unwrap();
    assert_eq!(until, t0 + Duration::days(30));

    // The database itself refuses the deleted tenant's context: no row, no write.
    let app = db.app_pool(1);
    let ctx = TenantCtx::new(tenant, hana);
    let seen = app.tenant_query(&ctx, "SELECT count(*) FROM tenancy.memberships", &[]).await.unwrap();
    assert_eq!(seen[0].get::<_, i64>(0), 0);
    let write = app
        .tenant_query(&ctx, "INSERT INTO work.projects (tenant_id, name) VALUES ($1, 'x') RETURNING id", &[&tenant])
        .await;
    assert!(write.is_err(), "a deleted tenant's context writes nothing");
    let live = app
        .tenant_query(
            &TenantCtx::new(seeded.tenant("acme"), seeded.user("olivia@acme.com")),
            "SELECT count(*) FROM tenancy.memberships",
            &[],
        )
        .await
        .unwrap();
    assert!(live[0].get::<_, i64>(0) > 0, "other tenants are untouched");

    // Restored within the window: every row back (the tenant's own row changed state, so its version).
    lifecycle::restore(&admin, tenant).await.unwrap();
    let after = lifecycle::tenant_sums(&admin, tenant).await.unwrap();
    let without_profile = |sums: &[tenantbase::db::backup::TableSum]| -> Vec<_> {
        sums.iter().filter(|t| t.table != "tenancy.tenants").cloned().collect()
    };
    assert_eq!(without_profile(&after), without_profile(&before));
    assert_eq!(after.iter().map(|t| t.rows).sum::<i64>(), before.iter().map(|t| t.rows).sum::<i64>());
    let seen = app.tenant_query(&ctx, "SELECT count(*) FROM tenancy.memberships", &[]).await.unwrap();
    assert_eq!(seen[0].get::<_, i64>(0), 2);

    // Deleted again; the window passes on the injected clock.
    let deleted = t0 + Duration::days(1);
    lifecycle::delete(&admin, tenant, "healthcare-co", deleted, Duration::days(30)).await.unwrap();
    let early = lifecycle::purge(&admin, deleted + Duration::days(29)).await.unwrap();
    assert!(early.erased.is_empty() && early.audit_erased.is_empty());
    let report = lifecycle::purge(&admin, deleted + Duration::days(31)).await.unwrap();
    assert_eq!(report.erased.len(), 1);
    let erasure = &report.erased[0];
    assert_eq!((erasure.tenant, erasure.deleted_at), (tenant, deleted));
    let mut lone = erasure.users.clone();
    lone.sort();
    let mut expected = vec![hana, diana];
    expected.sort();
    assert_eq!(lone, expected, "its users of no other tenant go with it");
    assert_eq!(rows_left(&admin, tenant, &expected).await, 0, "no row of it anywhere");
    assert!(lifecycle::restore(&admin, tenant).await.is_err(), "an erased tenant does not come back");

    // The receipt is on the platform chain; the trail stays, every payload a tombstone.
    let (receipt_id, _) = erasure.receipt.clone().expect("a sealed receipt");
    let action: String = admin
        .query_one("SELECT event_action FROM audit.platform_log WHERE id = $1", &[&receipt_id])
        .await
        .unwrap()
        .get(0);
    assert_eq!(action, "tenant.erased");
    assert_chains_intact(&mut admin).await;
    let kept: i64 =
        admin.query_one("SELECT count(*) FROM audit.log WHERE tenant_id = $1", &[&tenant]).await.unwrap().get(0);
    let payloads: i64 = admin
        .query_one(
            "SELECT count(*) FROM audit.log WHERE tenant_id = $1
               AND (coalesce(old_values, audit.tombstone()) <> audit.tombstone()
                    OR coalesce(new_values, audit.tombstone()) <> audit.tombstone())",
            &[&tenant],
        )
        .await
        .unwrap()
        .get(0);
    assert!(kept > 0, "the trail outlives the erasure");
    assert_eq!(payloads, 0, "every payload of the kept trail is a tombstone");
    let removal = admin.execute("DELETE FROM audit.log WHERE tenant_id = $1", &[&tenant]).await;
    assert!(removal.is_err(), "nobody removes the trail before its time");

    // 89 days after the deletion the trail is kept; after 90 it goes, with a receipt.
    let kept_report = lifecycle::purge(&admin, deleted + Duration::days(89)).await.unwrap();
    assert!(kept_report.audit_erased.is_empty());
    let gone = lifecycle::purge(&admin, deleted + Duration::days(91)).await.unwrap();
    assert_eq!(gone.audit_erased, vec![(tenant, kept)]);
    let left: i64 = admin
        .query_one(
            "SELECT (SELECT count(*) FROM audit.log WHERE tenant_id = $1) + (SELECT count(*) FROM audit.chains WHERE chain_id = $1)",
            &[&tenant],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(left, 0);
    assert!(lifecycle::receipt(&admin, tenant, "tenant.audit_erased").await.unwrap().is_some());
    assert_chains_intact(&mut admin).await;
}

#[tokio::test]
async fn owners_delete_with_confirmation_and_restore_through_the_api() {
    let server = Server::start().await;
    let acme = server.seeded.tenant("acme");
    let (owner, admin) = (server.login("olivia@acme.com").await, server.login("alice@acme.com").await);
    let path = format!("/v1/tenants/{acme}");

    let (status, _) = server.call(Method::DELETE, &path, Some(&admin), Some(json!({ "confirm": "acme" }))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "an admin is not an owner");
    let (status, body) = server.call(Method::DELETE, &path, Some(&owner), Some(json!({ "confirm": "acm" }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = server.call(Method::DELETE, &path, Some(&owner), Some(json!({ "confirm": "acme" }))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["restorable_until"].is_string());

    let (status, _) = server.call(Method::GET, &format!("{path}/projects"), Some(&owner), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a deleted tenant is not served");
    let (status, _) = server.call(Method::POST, &format!("{path}/restore"), Some(&admin), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "only an owner restores");
    let (status, body) = server.call(Method::POST, &format!("{path}/restore"), Some(&owner), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["slug"], "acme");
    let (status, body) = server.call(Method::GET, &format!("{path}/projects"), Some(&owner), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn restoring_a_backup_older_than_an_erasure_keeps_the_tenant_erased() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let admin = db.admin().await;
    let dir = tempfile::tempdir().unwrap();
    let key = OperatorKey::generate();
    let taken = dir.path().join("backup");
    backup::backup(&db.target, &key, None, "not needed here", &taken, &ProgressBar::hidden()).await.unwrap();

    let tenant = seeded.tenant("tech-startup");
    let erasure = lifecycle::erase(&admin, tenant, at("2026-05-01T00:00:00Z")).await.unwrap();
    assert_eq!(rows_left(&admin, tenant, &erasure.users).await, 0);
    let ledger = dir.path().join("erasure-ledger.jsonl");
    let entry = LedgerEntry::Erased {
        tenant,
        users: erasure.users.clone(),
        deleted_at: erasure.deleted_at,
        erased_at: erasure.erased_at,
    };
    lifecycle::append_ledger(&ledger, &key, &entry).unwrap();
    assert!(lifecycle::read_ledger(&ledger, &OperatorKey::generate().public()).is_err(), "another key's ledger");
    let entries = lifecycle::read_ledger(&ledger, &key.public()).unwrap();
    assert_eq!(entries, vec![entry]);

    let mut restored = TestDb::empty().await;
    // The backup brings its own context key.
    restored.target.context_key = None;
    let report =
        backup::restore(&restored.target, &key.public(), &taken, None, &entries, &ProgressBar::hidden()).await.unwrap();
    assert_eq!(report.replayed.tenants_erased, vec![tenant]);
    let restored_admin = restored.admin().await;
    assert_eq!(rows_left(&restored_admin, tenant, &erasure.users).await, 0, "the erased tenant stays erased");
    let acme: i64 =
        lifecycle::tenant_sums(&restored_admin, seeded.tenant("acme")).await.unwrap().iter().map(|t| t.rows).sum();
    assert!(acme > 0, "the other tenants are restored");
}

#[tokio::test]
async fn export_erase_import_gives_identical_checksums_and_an_import_elsewhere_takes_a_new_id() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let mut admin = db.admin().await;
    let tenant = seeded.tenant("acme");
    let dir = tempfile::tempdir().unwrap();
    let key = OperatorKey::generate();
    let exported = dir.path().join("acme");
    let manifest = transfer::export(&mut admin, &key, tenant, &exported, db.target.clock.now()).await.unwrap();
    assert!(manifest.tables.iter().map(|t| t.rows).sum::<i64>() > 10);
    assert!(manifest.chain_head.is_some());
    assert!(transfer::verify(&exported, &OperatorKey::generate().public()).is_err(), "another key's manifest");

    let erasure = lifecycle::erase(&admin, tenant, at("2026-06-01T00:00:00Z")).await.unwrap();
    assert_eq!(rows_left(&admin, tenant, &erasure.users).await, 0, "the erase leaves no row of it");
    let imported = transfer::import(&mut admin, &exported, &key.public(), None).await.unwrap();
    assert_eq!(imported.tenant, tenant);
    assert_eq!(lifecycle::tenant_sums(&admin, tenant).await.unwrap(), manifest.tables, "identical per-table checksums");

    // Into another database, as a new tenant.
    let other = TestDb::new().await;
    let mut other_admin = other.admin().await;
    let new_id = Uuid::new_v4();
    let moved =
        transfer::import(&mut other_admin, &exported, &key.public(), Some((new_id, "acme-copy"))).await.unwrap();
    let counts = |sums: Vec<tenantbase::db::backup::TableSum>| -> Vec<(String, i64)> {
        sums.into_iter().map(|t| (t.table, t.rows)).collect()
    };
    assert_eq!(counts(lifecycle::tenant_sums(&other_admin, new_id).await.unwrap()), counts(manifest.tables.clone()));
    assert_eq!(moved.rows, imported.rows);

    // A file altered after signing is refused before any database is touched.
    let file = exported.join(&manifest.files[1].sum.name);
    std::fs::write(&file, b"").unwrap();
    assert!(transfer::import(&mut other_admin, &exported, &key.public(), Some((Uuid::new_v4(), "x"))).await.is_err());
}

/// Creates projects in `tenant` through the API until the server answers 410; returns
/// the ids it acknowledged and the refusals (503) it saw meanwhile.
async fn write_until_gone(server: &Server, tenant: Uuid, token: &str, name: &str) -> (Vec<Uuid>, Vec<StatusCode>) {
    let path = format!("/v1/tenants/{tenant}/projects");
    let (mut acknowledged, mut refused) = (Vec::new(), Vec::new());
    for i in 0..20_000 {
        let (status, body) =
            server.call(Method::POST, &path, Some(token), Some(json!({ "name": format!("{name} {i}") }))).await;
        if status.is_success() {
            acknowledged.push(body["id"].as_str().unwrap().parse().unwrap());
        } else if status == StatusCode::GONE {
            return (acknowledged, refused);
        } else {
            assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "a moving tenant: {body}");
            refused.push(status);
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }
    panic!("the tenant never answered 410");
}

#[tokio::test]
async fn a_tenant_moved_while_written_keeps_every_acknowledged_write_and_answers_410_with_its_location() {
    let server = Server::start().await;
    let (acme, other) = (server.tenant("acme"), server.tenant("healthcare-co"));
    let (olivia, alice) = (server.login("olivia@acme.com").await, server.login("alice@acme.com").await);
    let mut source = server.db.admin().await;
    let other_before = lifecycle::tenant_sums(&source, other).await.unwrap();
    let dest_db = TestDb::new().await;
    let mut dest = dest_db.admin().await;
    let dir = tempfile::tempdir().unwrap();
    let key = OperatorKey::generate();
    let location = "https://eu.tenantbase.example";

    let mover = async {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        transfer::move_tenant(
            &mut source,
            &mut dest,
            &key,
            acme,
            location,
            &dir.path().join("acme"),
            at("2026-05-01T00:00:00Z"),
        )
        .await
        .unwrap()
    };
    let (moved, (mut acknowledged, refused_a), (more, refused_b)) = tokio::join!(
        mover,
        write_until_gone(&server, acme, &olivia, "by olivia"),
        write_until_gone(&server, acme, &alice, "by alice")
    );
    acknowledged.extend(more);
    assert!(acknowledged.len() > 2, "the writers wrote before the move: {}", acknowledged.len());
    let at_dest: Vec<Uuid> = dest
        .query("SELECT id FROM work.projects WHERE tenant_id = $1", &[&acme])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let lost: Vec<&Uuid> = acknowledged.iter().filter(|id| !at_dest.contains(id)).collect();
    assert!(lost.is_empty(), "acknowledged writes missing at the destination: {lost:?}");
    assert_eq!(lifecycle::tenant_sums(&dest, acme).await.unwrap(), moved.manifest.tables, "identical checksums");
    let mut refused = std::collections::BTreeMap::<u16, usize>::new();
    for status in refused_a.iter().chain(&refused_b) {
        *refused.entry(status.as_u16()).or_default() += 1;
    }
    eprintln!("{} writes acknowledged; refused while the tenant moved: {refused:?}", acknowledged.len());

    // The source answers 410 with the location, on every path of the tenant.
    for path in
        [format!("/v1/tenants/{acme}"), format!("/v1/tenants/{acme}/projects"), "/v1/tenants/acme/members".to_string()]
    {
        let response = server.http.get(format!("{}{path}", server.base)).bearer_auth(&olivia).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::GONE, "{path}");
        assert_eq!(response.headers()["location"], location);
    }
    // The database refuses the moved tenant's context whatever the server does.
    let app = server.db.app_pool(1);
    let seen = app
        .tenant_query(
            &TenantCtx::new(acme, server.seeded.user("olivia@acme.com")),
            "SELECT count(*) FROM work.projects",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(seen[0].get::<_, i64>(0), 0);

    let again = transfer::export(&mut source, &key, acme, &dir.path().join("again"), at("2026-05-01T00:00:00Z")).await;
    assert!(again.unwrap_err().to_string().contains(location), "a moved tenant's export names where it went");

    // The other tenants are untouched and served.
    assert_eq!(lifecycle::tenant_sums(&source, other).await.unwrap(), other_before);
    let hana = server.login("hana@healthcare.com").await;
    let (status, body) = server.call(Method::GET, &format!("/v1/tenants/{other}/projects"), Some(&hana), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
