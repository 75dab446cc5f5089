//! The platform design's RLS test, written for every role: each role of a tenant
//! (owner, admin, member, viewer, and a viewer holding a custom role) runs every
//! command on every tenant table, and each answer of the database is the one
//! `tenancy.user_has_permission` gives for that user, the table's resource and the
//! command's action (where the app role holds no privilege for the command, every
//! role is refused). The design's roles map to these: org_admin is admin,
//! org_member member, super_admin a platform operator (outside any tenant).

use tenantbase::db::{Db, DbError, TenantCtx, APP_ROLE};
use tenantbase::isolation::catalog::{self, TenantTable};
use tokio_postgres::error::SqlState;
use tokio_postgres::Client;
use uuid::Uuid;

use crate::common::TestDb;

/// A tenant table, with what the statements of the matrix need.
struct Table {
    name: String,
    tenant_column: String,
    /// The resource its policies check (`tenancy.has_permission('<resource>', ...)`).
    resource: String,
    /// The columns the app may insert, and one it may update.
    insert_columns: Vec<String>,
    update_column: Option<String>,
}

const COMMANDS: [(&str, &str); 4] =
    [("SELECT", "read"), ("INSERT", "create"), ("UPDATE", "update"), ("DELETE", "delete")];

impl Table {
    async fn of(admin: &Client, table: &TenantTable) -> Table {
        let resource: String = admin
            .query_one(
                "SELECT (regexp_match(string_agg(concat(pg_get_expr(polqual, polrelid), pg_get_expr(polwithcheck, polrelid)), ' '),
                                      'has_permission\\(''([a-z_*]+)'''))[1]
                 FROM pg_policy WHERE polrelid = $1::text::regclass",
                &[&table.name],
            )
            .await
            .unwrap()
            .try_get(0)
            .unwrap_or_else(|_| panic!("{}: no policy checks a permission", table.name));
        let privileged = |privilege: &'static str| async move {
            admin
                .query(
                    "SELECT quote_ident(attname) FROM pg_attribute
                     WHERE attrelid = $1::text::regclass AND attnum > 0 AND NOT attisdropped
                       AND attgenerated = '' AND attidentity <> 'a'
                       AND has_column_privilege($2::text, attrelid, attnum, $3)
                     ORDER BY attnum",
                    &[&table.name, &APP_ROLE, &privilege],
                )
                .await
                .unwrap()
                .iter()
                .map(|r| r.get::<_, String>(0))
                .collect::<Vec<_>>()
        };
        Table {
            name: table.name.clone(),
            tenant_column: table.tenant_column.clone(),
            resource,
            insert_columns: privileged("INSERT").await,
            update_column: privileged("UPDATE").await.into_iter().find(|c| *c != table.tenant_column),
        }
    }

    /// The statement running `command` on the acting tenant's rows: a copy of one of
    /// its rows for INSERT (a fresh id), a no-op update, a delete of them all.
    fn statement(&self, command: &str) -> String {
        let (t, tenant) = (&self.name, &self.tenant_column);
        match command {
            "SELECT" => format!("SELECT count(*) FROM {t}"),
            "INSERT" if self.insert_columns.is_empty() => format!("INSERT INTO {t} DEFAULT VALUES"),
            "INSERT" => {
                let columns = self.insert_columns.join(", ");
                let values: Vec<&str> =
                    self.insert_columns.iter().map(|c| if c == "id" { "gen_random_uuid()" } else { c }).collect();
                format!("INSERT INTO {t} ({columns}) SELECT {} FROM {t} LIMIT 1", values.join(", "))
            }
            "UPDATE" => {
                let column = self.update_column.as_ref().unwrap_or(tenant);
                format!("UPDATE {t} SET {column} = {column}")
            }
            _ => format!("DELETE FROM {t}"),
        }
    }
}

/// One cell of the matrix: did the statement reach the tenant's rows, and what it said.
struct Answer {
    reached: bool,
    said: String,
}

/// Refused: a privilege the app role lacks, or a policy (a WITH CHECK refuses with an
/// error, a USING lets no row through). Reached: it touched (for SELECT, saw) the
/// tenant's rows, or a rule the policy let it reach refused the change (a foreign
/// key, a unique key, a trigger such as "only an owner removes an owner").
fn judge(command: &str, result: Result<u64, DbError>, tenant_rows: i64) -> Answer {
    match result {
        Ok(n) if command == "SELECT" => {
            Answer { reached: n as i64 == tenant_rows, said: format!("saw {n} of {tenant_rows} rows") }
        }
        Ok(0) => Answer { reached: false, said: "no row".into() },
        Ok(n) => Answer { reached: true, said: format!("{n} rows") },
        Err(e) => {
            let message = match &e {
                DbError::Postgres(pg) => pg.as_db_error().map(|d| d.message().to_string()).unwrap_or_default(),
                other => other.to_string(),
            };
            let refused = e.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE)
                && (message.starts_with("permission denied") || message.contains("row-level security policy"));
            Answer { reached: !refused, said: if refused { message } else { format!("admitted, then {message}") } }
        }
    }
}

/// The matrix for one user: every table × every command, each answer against the
/// user's permission. Returns the mismatches and the number of cells reached.
async fn matrix(db: &Db, admin: &Client, tenant: Uuid, user: Uuid, tables: &[Table]) -> (Vec<String>, usize) {
    let (mut mismatches, mut reached) = (Vec::new(), 0);
    for table in tables {
        let tenant_rows: i64 = admin
            .query_one(&format!("SELECT count(*) FROM {} WHERE {} = $1", table.name, table.tenant_column), &[&tenant])
            .await
            .unwrap()
            .get(0);
        assert!(tenant_rows > 0, "{}: the demo seed gives the tenant rows", table.name);
        for (command, action) in COMMANDS {
            let privileged: bool = admin
                .query_one(
                    "SELECT CASE $3 WHEN 'DELETE' THEN has_table_privilege($1::text, $2::text::regclass, 'DELETE')
                                    ELSE has_any_column_privilege($1::text, $2::text::regclass, $3) END",
                    &[&APP_ROLE, &table.name, &command],
                )
                .await
                .unwrap()
                .get(0);
            let mut tx = db.tenant_tx(&TenantCtx::new(tenant, user)).await.unwrap();
            let permitted: Option<bool> = tx
                .query_one("SELECT tenancy.user_has_permission($1, $2, $3)", &[&user, &table.resource, &action])
                .await
                .unwrap()
                .get(0);
            let sql = table.statement(command);
            let result = if command == "SELECT" {
                tx.query_one(&sql, &[]).await.map(|r| r.get::<_, i64>(0) as u64)
            } else {
                tx.execute(&sql, &[]).await
            };
            let answer = judge(command, result, tenant_rows);
            let _ = tx.rollback().await;
            let expected = privileged && permitted == Some(true);
            reached += usize::from(answer.reached);
            if answer.reached != expected {
                mismatches.push(format!(
                    "{} {command}: user_has_permission({}, {action}) = {permitted:?}, app privilege {privileged}, \
                     but the database {} ({})\n    {sql}",
                    table.name,
                    table.resource,
                    if answer.reached { "let it through" } else { "refused" },
                    answer.said
                ));
            }
        }
    }
    (mismatches, reached)
}

#[tokio::test]
async fn every_role_on_every_table_and_command_is_answered_as_user_has_permission_says() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let admin = db.admin().await;
    let pool = db.app_pool(2);
    let acme = seeded.tenant("acme");
    let mut tables = Vec::new();
    for table in catalog::tenant_tables(&admin).await.unwrap().iter().filter(|t| !t.is_partition) {
        tables.push(Table::of(&admin, table).await);
    }
    assert!(tables.len() > 30, "every tenant table of every module");

    let (owner, viewer) = (seeded.user("olivia@acme.com"), seeded.user("victor@acme.com"));
    let mut reached = Vec::new();
    for (role, email) in [
        ("owner", "olivia@acme.com"),
        ("admin", "alice@acme.com"),
        ("member", "bob@acme.com"),
        ("viewer", "victor@acme.com"),
    ] {
        let (mismatches, n) = matrix(&pool, &admin, acme, seeded.user(email), &tables).await;
        assert!(mismatches.is_empty(), "{role}:\n{}", mismatches.join("\n"));
        reached.push((role, n));
    }

    // A custom role: the viewer becomes a content editor.
    let mut tx = pool.tenant_tx(&TenantCtx::new(acme, owner)).await.unwrap();
    let editor: Uuid = tx
        .query_one("INSERT INTO tenancy.roles (tenant_id, name) VALUES ($1, 'content_editor') RETURNING id", &[&acme])
        .await
        .unwrap()
        .get(0);
    tx.execute(
        "INSERT INTO tenancy.role_permissions (tenant_id, role_id, permission_id)
         SELECT $1, $2, id FROM tenancy.permissions WHERE (resource, action) = ('content', '*')",
        &[&acme, &editor],
    )
    .await
    .unwrap();
    tx.execute(
        "INSERT INTO tenancy.user_roles (tenant_id, user_id, role_id) VALUES ($1, $2, $3)",
        &[&acme, &viewer, &editor],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let (mismatches, n) = matrix(&pool, &admin, acme, viewer, &tables).await;
    assert!(mismatches.is_empty(), "viewer with content_editor:\n{}", mismatches.join("\n"));
    reached.push(("viewer + content_editor", n));

    // The roles are ordered by what they reach, and the custom role adds to the viewer's.
    let counts: Vec<usize> = reached.iter().map(|(_, n)| *n).collect();
    assert!(counts[0] >= counts[1] && counts[1] > counts[2] && counts[2] > counts[3], "{reached:?}");
    assert!(counts[4] > counts[3], "{reached:?}");
}

#[tokio::test]
async fn user_has_permission_answers_about_members_of_the_acting_tenant_only() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let pool = db.app_pool(1);
    let acme = seeded.tenant("acme");
    let bob = seeded.user("bob@acme.com");
    let mut tx = pool.tenant_tx(&TenantCtx::new(acme, bob)).await.unwrap();
    let ask = "SELECT tenancy.user_has_permission($1, $2, $3)";
    let answer = |row: tokio_postgres::Row| row.get::<_, Option<bool>>(0);
    for (email, resource, action, expected) in [
        ("olivia@acme.com", "members", "update", Some(true)),
        ("bob@acme.com", "work", "create", Some(true)),
        ("bob@acme.com", "members", "update", Some(false)),
        ("victor@acme.com", "content", "read", Some(true)),
        ("victor@acme.com", "content", "create", Some(false)),
        // Tech Startup's owner, and a user of no tenant: not Acme's to say.
        ("tom@techstartup.io", "members", "update", None),
        ("hana@healthcare.com", "content", "read", None),
    ] {
        let got = answer(tx.query_one(ask, &[&seeded.user(email), &resource, &action]).await.unwrap());
        assert_eq!(got, expected, "{email} {resource}:{action}");
    }
    // The acting user's own answer is the policies' (tenancy.has_permission).
    for (resource, action) in [("work", "create"), ("members", "update"), ("audit", "read")] {
        let row = tx
            .query_one(
                "SELECT tenancy.user_has_permission($1, $2, $3), tenancy.has_permission($2, $3)",
                &[&bob, &resource, &action],
            )
            .await
            .unwrap();
        assert_eq!(row.get::<_, Option<bool>>(0), Some(row.get::<_, bool>(1)), "{resource}:{action}");
    }
    tx.rollback().await.unwrap();
    // Acting in no tenant: nobody's.
    let mut tx = pool.tenant_tx(&TenantCtx::for_user(bob)).await.unwrap();
    assert_eq!(answer(tx.query_one(ask, &[&bob, &"work", &"read"]).await.unwrap()), None);
}

#[tokio::test]
async fn admins_see_every_members_permissions_and_others_their_own() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let pool = db.app_pool(1);
    let acme = seeded.tenant("acme");
    let view = "SELECT DISTINCT user_id, resource, action, granted_through, custom_role FROM tenancy.user_permissions";
    for (email, sees) in [("alice@acme.com", 4), ("bob@acme.com", 1), ("victor@acme.com", 1)] {
        let me = seeded.user(email);
        let mut tx = pool.tenant_tx(&TenantCtx::new(acme, me)).await.unwrap();
        let rows = tx.query(view, &[]).await.unwrap();
        let mut users: Vec<Uuid> = rows.iter().map(|r| r.get(0)).collect();
        users.dedup();
        users.sort();
        users.dedup();
        assert_eq!(users.len(), sees, "{email} sees {sees} members' permissions");
        if sees == 1 {
            assert_eq!(users, [me]);
        }
        for row in &rows {
            let (user, resource, action): (Uuid, String, String) = (row.get(0), row.get(1), row.get(2));
            let holds: Option<bool> = tx
                .query_one("SELECT tenancy.user_has_permission($1, $2, $3)", &[&user, &resource, &action])
                .await
                .unwrap()
                .get(0);
            assert_eq!(holds, Some(true), "{user} {resource}:{action} listed, so held");
        }
        let custom: Vec<String> =
            rows.iter().filter(|r| r.get::<_, bool>(4) && r.get::<_, Uuid>(0) == me).map(|r| r.get(3)).collect();
        // Every demo member but the viewer holds the design's agent_user role.
        assert_eq!(!custom.is_empty(), email != "victor@acme.com", "{email}: {custom:?}");
        tx.rollback().await.unwrap();
    }
}
