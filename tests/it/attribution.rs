//! Who did it is the server's to say: the columns naming the acting user come
//! from the verified context, whatever the statement says, and a tenant row names
//! only members of its tenant.

use tenantbase::db::TenantCtx;
use uuid::Uuid;

use crate::common::{sqlstate, TestDb};

const NEW_PROJECT: &str = "INSERT INTO work.projects (tenant_id, name, created_by) VALUES ($1, $2, $3)
                           RETURNING id, created_by";

#[tokio::test]
async fn the_acting_user_columns_are_the_verified_users_on_insert_and_never_change() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let (acme, olivia, bob) = (seeded.tenant("acme"), seeded.user("olivia@acme.com"), seeded.user("bob@acme.com"));
    let tom = seeded.user("tom@techstartup.io");
    let pool = db.app_pool(1);

    for claimed in [bob, tom, Uuid::new_v4()] {
        let row = pool
            .tenant_query(&TenantCtx::new(acme, olivia), NEW_PROJECT, &[&acme, &"claimed by another", &claimed])
            .await
            .unwrap();
        assert_eq!(row[0].get::<_, Uuid>(1), olivia, "created_by {claimed} becomes the acting user");
    }

    let mut tx = pool.tenant_tx(&TenantCtx::new(acme, olivia)).await.unwrap();
    let id: Uuid = tx.query_one(NEW_PROJECT, &[&acme, &"mine", &olivia]).await.unwrap().get(0);
    let kept: Uuid = tx
        .query_one(
            "UPDATE work.projects SET created_by = $2 WHERE tenant_id = $1 AND id = $3 RETURNING created_by",
            &[&acme, &bob, &id],
        )
        .await
        .unwrap()
        .get(0);
    tx.commit().await.unwrap();
    assert_eq!(kept, olivia, "an update keeps who created the row");

    let without_user = TenantCtx { user_id: None, ..TenantCtx::new(acme, olivia) };
    let refused = pool.tenant_query(&without_user, NEW_PROJECT, &[&acme, &"nobody's", &olivia]).await.unwrap_err();
    assert!(["42501", "23502"].contains(&refused.code().unwrap().code()), "no acting user, no row: {refused:?}");
}

#[tokio::test]
async fn a_tenant_row_names_only_members_of_its_tenant() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let (acme, olivia) = (seeded.tenant("acme"), seeded.user("olivia@acme.com"));
    let (tom, stranger) = (seeded.user("tom@techstartup.io"), Uuid::new_v4());
    let pool = db.app_pool(1);
    let assign = "INSERT INTO work.tasks (tenant_id, project_id, title, assigned_to)
                  SELECT $1, id, 'assigned', $2 FROM work.projects WHERE tenant_id = $1 LIMIT 1";
    for outsider in [tom, stranger] {
        let refused = pool.tenant_query(&TenantCtx::new(acme, olivia), assign, &[&acme, &outsider]).await.unwrap_err();
        assert_eq!(refused.code().unwrap().code(), "23503", "{outsider} is no member of acme");
    }
    let admin = db.admin().await;
    let outsiders: i64 = admin
        .query_one(
            "SELECT count(*) FROM work.tasks t WHERE t.assigned_to IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM tenancy.memberships m WHERE m.tenant_id = t.tenant_id AND m.user_id = t.assigned_to)",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(outsiders, 0);
    // Even a superuser cannot name an outsider: the key is the database's.
    let direct = admin.execute("UPDATE work.tasks SET assigned_to = $2 WHERE tenant_id = $1", &[&acme, &tom]).await;
    assert_eq!(sqlstate(direct), "23503");
}

#[tokio::test]
async fn a_member_who_leaves_keeps_the_history_that_names_them_and_loses_every_permission() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let (acme, olivia, bob) = (seeded.tenant("acme"), seeded.user("olivia@acme.com"), seeded.user("bob@acme.com"));
    let pool = db.app_pool(1);
    let created: Uuid =
        pool.tenant_query(&TenantCtx::new(acme, bob), NEW_PROJECT, &[&acme, &"bob's", &bob]).await.unwrap()[0].get(0);
    let admin = db.admin().await;
    let refused =
        admin.execute("DELETE FROM tenancy.memberships WHERE tenant_id = $1 AND user_id = $2", &[&acme, &bob]).await;
    assert_eq!(sqlstate(refused), "23503", "a membership that rows name is not deleted");
    pool.tenant_query(
        &TenantCtx::new(acme, olivia),
        "UPDATE tenancy.memberships SET status = 'left', left_at = now() WHERE tenant_id = $1 AND user_id = $2",
        &[&acme, &bob],
    )
    .await
    .unwrap();
    let still: Uuid = admin
        .query_one("SELECT created_by FROM work.projects WHERE tenant_id = $1 AND id = $2", &[&acme, &created])
        .await
        .unwrap()
        .get(0);
    assert_eq!(still, bob);
    let writes = pool.tenant_query(&TenantCtx::new(acme, bob), NEW_PROJECT, &[&acme, &"after leaving", &bob]).await;
    assert!(writes.is_err(), "a former member holds no permission");
}
