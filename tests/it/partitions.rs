//! Analytics for any month: an event of a month without a partition is accepted
//! into the default partition (no DDL on a tenant's insert), and platform
//! maintenance creates its month and moves it there, isolated like every partition.

use crate::common::column;
use std::process::Command;

use chrono::{Datelike, Months};
use reqwest::{Method, StatusCode};
use serde_json::json;
use tenantbase::db::{url_of, TenantCtx};
use tenantbase::isolation::check;
use tokio_postgres::Client;
use uuid::Uuid;

use crate::api::Server;

/// The analytics partitions, by name.
async fn partitions(admin: &Client) -> Vec<String> {
    column(
        admin,
        "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent IN ('analytics.analytics_events'::regclass, 'analytics.user_activities'::regclass)
             ORDER BY 1",
        &[],
    )
    .await
}

/// Where a row of `table` lives.
async fn home(admin: &Client, table: &str, id: Uuid) -> String {
    admin
        .query_one(&format!("SELECT tableoid::regclass::text FROM {table} WHERE id = $1"), &[&id])
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn an_event_two_years_old_is_accepted_and_lands_in_its_month_after_maintenance() {
    let s = Server::start().await;
    let acme = s.tenant("acme");
    let admin = s.db.admin().await;
    let today = s.db.target.clock.today();
    let then = today.checked_sub_months(Months::new(24)).unwrap();
    let month = format!("y{}m{:02}", then.year(), then.month());
    let occurred_at = format!("{then}T12:00:00Z");
    let before = partitions(&admin).await;
    assert!(!before.iter().any(|p| p.ends_with(&month)), "no partition yet for {month}: {before:?}");

    let bob = s.login("bob@acme.com").await;
    let body = json!({ "event_type": "page_view", "event_name": "Old page", "occurred_at": occurred_at });
    let (status, event) = s.call(Method::POST, &format!("/v1/tenants/{acme}/events"), Some(&bob), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{event}");
    let event: Uuid = event["id"].as_str().unwrap().parse().unwrap();
    let activity: Uuid = {
        let pool = s.db.app_pool(1);
        let mut tx = pool.tenant_tx(&TenantCtx::new(acme, s.seeded.user("bob@acme.com"))).await.unwrap();
        let id = tx
            .query_one(
                "INSERT INTO analytics.user_activities (tenant_id, user_id, activity_type, action, occurred_at)
                 VALUES ($1, $2, 'view', 'opened an old page', $3::text::timestamptz) RETURNING id",
                &[&acme, &s.seeded.user("bob@acme.com"), &occurred_at],
            )
            .await
            .unwrap()
            .get(0);
        tx.commit().await.unwrap();
        id
    };
    assert_eq!(partitions(&admin).await, before, "a tenant's insert creates no table");
    assert_eq!(home(&admin, "analytics.analytics_events", event).await, "analytics.analytics_events_default");
    assert_eq!(home(&admin, "analytics.user_activities", activity).await, "analytics.user_activities_default");

    // The server's daily maintenance, on the account pool.
    let created = s.db.account_pool().ensure_partitions(today, 3).await.unwrap();
    assert_eq!(created, 2, "the month of the waiting rows, for both time series");
    assert_eq!(home(&admin, "analytics.analytics_events", event).await, format!("analytics.analytics_events_{month}"));
    assert_eq!(home(&admin, "analytics.user_activities", activity).await, format!("analytics.user_activities_{month}"));
    let left: i64 = admin
        .query_one(
            "SELECT (SELECT count(*) FROM analytics.analytics_events_default)
                    + (SELECT count(*) FROM analytics.user_activities_default)",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(left, 0, "the default partitions are empty again");

    // Acme reads its event where it always did; Tech Startup never sees it.
    let (status, page) = s.call(Method::GET, &format!("/v1/tenants/{acme}/events/{event}"), Some(&bob), None).await;
    assert_eq!((status, page["event_name"].as_str()), (StatusCode::OK, Some("Old page")), "{page}");
    let tom = s.login("tom@techstartup.io").await;
    let techstartup = s.tenant("tech-startup");
    let (status, _) = s.call(Method::GET, &format!("/v1/tenants/{techstartup}/events/{event}"), Some(&tom), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Moved, not changed: one entry on the platform chain, none on Acme's.
    crate::common::seal_everything(&admin).await;
    let moves: i64 = admin
        .query_one("SELECT count(*) FROM audit.platform_log WHERE event_action = 'analytics.rows_moved'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(moves, 2);
    let deletions: i64 = admin
        .query_one(
            "SELECT count(*) FROM audit.log WHERE tenant_id = $1 AND operation = 'delete' AND target_id IN ($2, $3)",
            &[&acme, &event, &activity],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(deletions, 0);

    // Every partition, the defaults and the new months included, is isolated as check expects.
    let isolation = admin
        .query(
            "SELECT c.relname::text, c.relrowsecurity AND c.relforcerowsecurity,
                    has_table_privilege('tenantbase_app', c.oid, 'SELECT, INSERT, UPDATE, DELETE'),
                    (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid),
                    (SELECT string_agg(DISTINCT t.tgenabled::text, '') FROM pg_trigger t
                     WHERE t.tgrelid = i.inhparent AND t.tgname IN ('audit_insert', 'audit_update', 'audit_delete'))
             FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent IN ('analytics.analytics_events'::regclass, 'analytics.user_activities'::regclass)",
            &[],
        )
        .await
        .unwrap();
    for row in &isolation {
        let name: String = row.get(0);
        assert!(row.get::<_, bool>(1), "{name}: forced RLS");
        assert!(!row.get::<_, bool>(2), "{name}: no grant to the app");
        assert_eq!(row.get::<_, i64>(3), 4, "{name}: a policy per command");
        assert_eq!(
            row.get::<_, Option<String>>(4).as_deref(),
            Some("A"),
            "{name}: always audited (by its parent's statement triggers)"
        );
    }
    let findings = check::run(&admin).await.unwrap();
    assert!(findings.is_empty(), "check finds nothing: {findings:?}");
}

#[tokio::test]
async fn the_partitions_command_creates_months_ahead_and_behind() {
    let s = Server::start().await;
    let admin = s.db.admin().await;
    let today = s.db.target.clock.today();
    let name = |day: chrono::NaiveDate| format!("analytics_events_y{}m{:02}", day.year(), day.month());
    let far_back = name(today.checked_sub_months(Months::new(30)).unwrap());
    let far_ahead = name(today.checked_add_months(Months::new(8)).unwrap());
    let before = partitions(&admin).await;
    assert!(!before.contains(&far_back) && !before.contains(&far_ahead), "{before:?}");
    let out = Command::new(env!("CARGO_BIN_EXE_tenantbase"))
        .args(["partitions", "--months-ahead", "8", "--months-back", "30"])
        .env("DATABASE_URL", url_of(&s.db.target.admin))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    let after = partitions(&admin).await;
    assert!(after.contains(&far_back) && after.contains(&far_ahead), "{after:?}\n{text}");
    assert!(text.contains(&format!("created analytics.{far_back}")), "{text}");
}
