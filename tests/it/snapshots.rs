//! Project snapshots: platform maintenance writes every project's figures of the
//! day (the orchestrator's project_analytics), and `analytics.analytics_summary`
//! reads the latest of them under the caller's policies.

use std::process::Command;

use chrono::Duration;
use tenantbase::db::{url_of, TenantCtx};
use uuid::Uuid;

use crate::common::TestDb;

#[tokio::test]
async fn the_daily_snapshot_matches_the_projects_and_the_summary_shows_the_acting_tenants() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let admin = db.admin().await;
    let accounts = db.account_pool();
    let today = db.target.clock.today();
    let projects: i64 = admin.query_one("SELECT count(*) FROM work.projects", &[]).await.unwrap().get(0);

    // The server's daily run: one snapshot per project, then nothing new the same day.
    let week_ago = today - Duration::days(7);
    assert_eq!(accounts.snapshot_projects(week_ago).await.unwrap(), projects);
    assert_eq!(accounts.snapshot_projects(today).await.unwrap(), projects);
    assert_eq!(accounts.snapshot_projects(today).await.unwrap(), 0, "unchanged figures write nothing");

    let acme = seeded.tenant("acme");
    let pool = db.app_pool(1);
    let mut tx = pool.tenant_tx(&TenantCtx::new(acme, seeded.user("bob@acme.com"))).await.unwrap();
    // The snapshot holds the figures the live dashboard computes.
    let mismatched: i64 = tx
        .query_one(
            "SELECT count(*) FROM analytics.project_dashboard d
             JOIN analytics.project_analytics a ON a.project_id = d.project_id AND a.snapshot_date = $1
             WHERE (a.total_tasks, a.completed_tasks, a.in_progress_tasks, a.blocked_tasks,
                    a.total_estimated_hours, a.total_actual_hours, a.risk_score)
                   IS DISTINCT FROM
                   (d.total_tasks::int, d.completed_tasks::int, d.in_progress_tasks::int, d.blocked_tasks::int,
                    d.estimated_hours, d.actual_hours, d.highest_risk_score)",
            &[&today],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(mismatched, 0);

    // A task completed today shows in the next run, and as progress over the week.
    // Through the lifecycle: a pending task starts before it completes.
    let task: Uuid = tx
        .query_one("SELECT id FROM work.tasks WHERE status IN ('pending', 'in_progress') ORDER BY id LIMIT 1", &[])
        .await
        .unwrap()
        .get(0);
    tx.execute("UPDATE work.tasks SET status = 'in_progress' WHERE id = $1 AND status = 'pending'", &[&task])
        .await
        .unwrap();
    tx.execute("UPDATE work.tasks SET status = 'completed', completed_at = now() WHERE id = $1", &[&task])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(accounts.snapshot_projects(today).await.unwrap(), 1, "only the changed project");
    let mut tx = pool.tenant_tx(&TenantCtx::new(acme, seeded.user("bob@acme.com"))).await.unwrap();
    let summary = tx
        .query("SELECT tenant_id, snapshot_date, completed_in_7_days FROM analytics.analytics_summary", &[])
        .await
        .unwrap();
    let acme_projects: i64 =
        admin.query_one("SELECT count(*) FROM work.projects WHERE tenant_id = $1", &[&acme]).await.unwrap().get(0);
    assert_eq!(summary.len() as i64, acme_projects, "one row per project of the acting tenant");
    assert!(summary.iter().all(|r| r.get::<_, Uuid>(0) == acme && r.get::<_, chrono::NaiveDate>(1) == today));
    let progress: i32 = summary.iter().map(|r| r.get::<_, Option<i32>>(2).unwrap_or_default()).sum();
    assert_eq!(progress, 1, "the task completed since the week-old snapshot");
}

#[tokio::test]
async fn the_snapshot_command_writes_the_days_snapshots() {
    let db = TestDb::new().await;
    db.seeded().await;
    let out = Command::new(env!("CARGO_BIN_EXE_tenantbase"))
        .args(["snapshot", "--day", "2024-02-29"])
        .env("DATABASE_URL", url_of(&db.target.admin))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    let written: i64 = db
        .admin()
        .await
        .query_one("SELECT count(*) FROM analytics.project_analytics WHERE snapshot_date = '2024-02-29'", &[])
        .await
        .unwrap()
        .get(0);
    assert!(written > 0 && text.contains(&format!("{written} project snapshots written for 2024-02-29")), "{text}");
}
