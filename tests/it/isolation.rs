//! Tenant isolation, table by table, with the table list read from the catalog.

use tenantbase::db::TenantCtx;
use tenantbase::isolation::attack::{self, Actors, Verdict};
use tenantbase::isolation::catalog;

use crate::common::{column, sqlstate, TestDb};

async fn acme_vs_techstartup(db: &TestDb) -> Actors {
    let seeded = db.seeded().await;
    Actors {
        tenant_a: seeded.tenant("acme"),
        owner_a: seeded.user("olivia@acme.com"),
        viewer_a: seeded.user("victor@acme.com"),
        tenant_b: seeded.tenant("tech-startup"),
    }
}

#[tokio::test]
async fn every_tenant_table_blocks_every_vector_from_another_tenant() {
    let db = TestDb::new().await;
    let actors = acme_vs_techstartup(&db).await;
    let admin = db.admin().await;
    let findings = attack::run(&admin, &db.target.app, &db.signer(), actors).await.unwrap();

    let tables = catalog::tenant_tables(&admin).await.unwrap();
    assert!(tables.len() >= 6, "the catalog lists the tenancy tables: {tables:?}");
    let required = [
        "select_foreign",
        "select_all",
        "update_foreign",
        "delete_foreign",
        "returning_foreign",
        "insert_foreign_tenant",
        "insert_on_conflict",
        "update_tenant_to_foreign",
        "copy_out",
        "copy_in",
        "no_context",
        "empty_context",
        "forged_set_config",
        "forged_set_local",
        "forged_unsigned",
        "forged_token",
        "expired_context",
        "viewer_update",
        "viewer_delete",
        "viewer_insert",
    ];
    // A partition is reached only through its parent: directly, every command must be refused.
    let required_of_partitions = ["partition_select", "partition_update", "partition_delete", "partition_insert"];
    for table in &tables {
        let required: &[&str] = if table.is_partition { &required_of_partitions } else { &required };
        for vector in required {
            assert!(
                findings.iter().any(|f| f.table == table.name && f.vector == *vector),
                "{} was not attacked with {vector}",
                table.name
            );
        }
    }
    let failures: Vec<String> =
        findings.iter().filter(|f| f.verdict != Verdict::Blocked).map(|f| f.to_string()).collect();
    assert!(failures.is_empty(), "isolation failures:\n{}", failures.join("\n"));
}

#[tokio::test]
async fn the_attack_suite_reports_a_planted_leak() {
    let db = TestDb::new().await;
    let actors = acme_vs_techstartup(&db).await;
    let admin = db.admin().await;
    admin.batch_execute("CREATE POLICY planted_leak ON tenancy.roles FOR SELECT USING (true)").await.unwrap();
    let findings = attack::run(&admin, &db.target.app, &db.signer(), actors).await.unwrap();
    let leaks: Vec<_> = findings.iter().filter(|f| f.verdict != Verdict::Blocked).collect();
    assert!(leaks.iter().any(|f| f.table == "tenancy.roles" && f.vector == "select_foreign"), "{leaks:?}");
    assert!(leaks.iter().all(|f| f.table == "tenancy.roles"), "only the planted table leaks: {leaks:?}");
}

#[tokio::test]
async fn the_attack_suite_reports_a_leaking_view_and_leaking_functions() {
    let db = TestDb::new().await;
    let actors = acme_vs_techstartup(&db).await;
    let admin = db.admin().await;
    let before = attack::run(&admin, &db.target.app, &db.signer(), actors).await.unwrap();
    let functions = before.iter().filter(|f| f.vector == "function_call").count();
    assert!(functions >= 5, "every function the app may execute is called: {before:?}");
    assert!(before.iter().any(|f| f.table == "platform.my_tenants()"), "{before:?}");

    // Owned by the superuser: the view reads past RLS, the functions bypass it.
    admin
        .batch_execute(
            "CREATE SCHEMA scratch;
             GRANT USAGE ON SCHEMA scratch TO tenantbase_app;
             CREATE VIEW scratch.all_roles AS SELECT * FROM tenancy.roles;
             GRANT SELECT ON scratch.all_roles TO tenantbase_app;
             CREATE FUNCTION scratch.role_ids(p_tenant uuid) RETURNS SETOF uuid
                 LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
                 AS $$ SELECT id FROM tenancy.roles WHERE tenant_id = p_tenant $$;
             CREATE FUNCTION scratch.describe_role(p_role uuid, p_description text) RETURNS void
                 LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
                 AS $$ UPDATE tenancy.roles SET description = p_description WHERE id = p_role $$;
             GRANT EXECUTE ON FUNCTION scratch.role_ids(uuid), scratch.describe_role(uuid, text) TO tenantbase_app;",
        )
        .await
        .unwrap();
    let findings = attack::run(&admin, &db.target.app, &db.signer(), actors).await.unwrap();
    let verdict = |object: &str, vector: &str| {
        findings.iter().find(|f| f.table == object && f.vector == vector).map(|f| f.verdict.clone())
    };
    assert_eq!(verdict("scratch.all_roles", "view_select"), Some(Verdict::Leak), "{findings:?}");
    assert_eq!(verdict("scratch.role_ids(uuid)", "function_call"), Some(Verdict::Leak), "returns B's rows");
    assert_eq!(verdict("scratch.describe_role(uuid,text)", "function_call"), Some(Verdict::Leak), "changes B's rows");
    let others: Vec<_> =
        findings.iter().filter(|f| f.verdict != Verdict::Blocked && !f.table.starts_with("scratch.")).collect();
    assert!(others.is_empty(), "only the planted objects leak: {others:?}");
    let untouched: i64 = admin
        .query_one("SELECT count(*) FROM tenancy.roles WHERE description = 'tech-startup'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(untouched, 0, "the attack rolls its calls back");
}

#[tokio::test]
async fn the_attack_command_prints_the_matrix_and_exits_1_on_a_leak() {
    let db = TestDb::new().await;
    db.seeded().await;
    let attack = |json: bool| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tenantbase"))
            .arg("attack")
            .args(if json { &["--json"][..] } else { &[][..] })
            .env("DATABASE_URL", tenantbase::db::url_of(&db.target.admin))
            .output()
            .unwrap()
    };
    let clean = attack(false);
    let text = String::from_utf8_lossy(&clean.stdout);
    assert_eq!(clean.status.code(), Some(0), "{text}{}", String::from_utf8_lossy(&clean.stderr));
    assert!(text.contains("forged_set_config") && text.contains("tenancy.memberships"), "{text}");
    assert!(text.contains(" 0 LEAK, 0 inconclusive."), "{text}");

    db.admin()
        .await
        .batch_execute("CREATE POLICY planted_leak ON tenancy.api_keys FOR SELECT USING (true)")
        .await
        .unwrap();
    let leaking = attack(true);
    assert_eq!(leaking.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&leaking.stdout).unwrap();
    let leaks: Vec<&serde_json::Value> =
        report["findings"].as_array().unwrap().iter().filter(|f| f["verdict"] == "leak").collect();
    assert!(leaks.iter().any(|f| f["table"] == "tenancy.api_keys" && f["vector"] == "select_foreign"), "{leaks:?}");
}

#[tokio::test]
async fn a_composite_foreign_key_refuses_a_cross_tenant_reference_even_for_a_superuser() {
    let db = TestDb::new().await;
    let actors = acme_vs_techstartup(&db).await;
    let admin = db.admin().await;
    let result = admin
        .execute(
            "INSERT INTO tenancy.role_permissions (tenant_id, role_id, permission_id)
             SELECT $1, r.id, p.id FROM tenancy.roles r, tenancy.permissions p
             WHERE r.tenant_id = $2 LIMIT 1",
            &[&actors.tenant_a, &actors.tenant_b],
        )
        .await;
    assert_eq!(sqlstate(result), "23503");
}

#[tokio::test]
async fn a_user_sees_itself_and_the_members_of_its_tenant_only() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let pool = db.app_pool(2);
    let alice = TenantCtx::new(seeded.tenant("acme"), seeded.user("alice@acme.com"));
    let mut tx = pool.tenant_tx(&alice).await.unwrap();
    let emails: Vec<String> = tx
        .query("SELECT email::text FROM tenancy.users ORDER BY email", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(emails, ["alice@acme.com", "bob@acme.com", "olivia@acme.com", "victor@acme.com"]);
    let denied = tx.query("SELECT password_hash FROM tenancy.users", &[]).await.unwrap_err();
    assert_eq!(denied.code().unwrap().code(), "42501", "password hashes are not readable by the app");
}

#[tokio::test]
async fn a_user_sees_and_changes_only_its_own_sessions() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let admin = db.admin().await;
    for email in ["alice@acme.com", "bob@acme.com"] {
        admin
            .execute(
                "INSERT INTO tenancy.sessions (user_id, token_hash) VALUES ($1, sha256(gen_random_uuid()::text::bytea))",
                &[&seeded.user(email)],
            )
            .await
            .unwrap();
    }
    let pool = db.app_pool(2);
    let alice = TenantCtx::new(seeded.tenant("acme"), seeded.user("alice@acme.com"));
    let mut tx = pool.tenant_tx(&alice).await.unwrap();
    let owners: Vec<uuid::Uuid> =
        tx.query("SELECT user_id FROM tenancy.sessions", &[]).await.unwrap().iter().map(|r| r.get(0)).collect();
    assert_eq!(owners, [seeded.user("alice@acme.com")]);
    let ended = tx
        .execute("UPDATE tenancy.sessions SET ended_at = now() WHERE user_id = $1", &[&seeded.user("bob@acme.com")])
        .await
        .unwrap();
    assert_eq!(ended, 0);
    tx.rollback().await.unwrap();
}

#[tokio::test]
async fn a_viewer_cannot_write_and_a_member_cannot_manage_members() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let acme = seeded.tenant("acme");
    let pool = db.app_pool(2);

    let mut tx = pool.tenant_tx(&TenantCtx::new(acme, seeded.user("victor@acme.com"))).await.unwrap();
    assert_eq!(tx.execute("UPDATE tenancy.roles SET description = 'x'", &[]).await.unwrap(), 0);
    assert_eq!(tx.execute("DELETE FROM tenancy.api_keys", &[]).await.unwrap(), 0);
    let refused =
        tx.execute("INSERT INTO tenancy.roles (tenant_id, name) VALUES ($1, 'sneaky')", &[&acme]).await.unwrap_err();
    assert_eq!(refused.code().unwrap().code(), "42501");
    drop(tx);

    let mut tx = pool.tenant_tx(&TenantCtx::new(acme, seeded.user("bob@acme.com"))).await.unwrap();
    let promoted = tx
        .execute("UPDATE tenancy.memberships SET role = 'admin' WHERE user_id = $1", &[&seeded.user("bob@acme.com")])
        .await
        .unwrap();
    assert_eq!(promoted, 0, "a member cannot promote itself");
    tx.rollback().await.unwrap();

    let mut tx = pool.tenant_tx(&TenantCtx::new(acme, seeded.user("alice@acme.com"))).await.unwrap();
    let err = tx
        .execute("UPDATE tenancy.memberships SET role = 'owner' WHERE user_id = $1", &[&seeded.user("alice@acme.com")])
        .await
        .unwrap_err();
    assert_eq!(err.constraint(), Some("memberships_owner_grant"), "an admin cannot make an owner");
}

#[tokio::test]
async fn a_tenant_keeps_its_last_owner() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let pool = db.app_pool(2);
    let olivia = seeded.user("olivia@acme.com");
    let mut tx = pool.tenant_tx(&TenantCtx::new(seeded.tenant("acme"), olivia)).await.unwrap();
    let err =
        tx.execute("UPDATE tenancy.memberships SET role = 'admin' WHERE user_id = $1", &[&olivia]).await.unwrap_err();
    assert_eq!(err.constraint(), Some("memberships_last_owner"));
}

#[tokio::test]
async fn platform_functions_create_a_tenant_with_its_owner_without_the_app_bypassing_rls() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let pool = db.app_pool(2);
    let bob = seeded.user("bob@acme.com");
    // Bob acts in Acme and creates his own tenant through the platform function.
    let mut tx = pool.tenant_tx(&TenantCtx::new(seeded.tenant("acme"), bob)).await.unwrap();
    let created: uuid::Uuid =
        tx.query_one("SELECT platform.create_my_tenant('Bob Labs', 'bob-labs')", &[]).await.unwrap().get(0);
    let mine: Vec<String> = tx
        .query("SELECT slug::text || ':' || role::text FROM platform.my_tenants() ORDER BY 1", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(mine, ["acme:member", "bob-labs:owner"]);
    tx.commit().await.unwrap();

    let mut tx = pool.tenant_tx(&TenantCtx::new(seeded.tenant("acme"), bob)).await.unwrap();
    let direct = tx.execute("INSERT INTO tenancy.tenants (name, slug) VALUES ('x', 'x')", &[]).await.unwrap_err();
    assert_eq!(direct.code().unwrap().code(), "42501", "the app cannot insert tenants directly");
    drop(tx);
    let mut tx = pool.tenant_tx(&TenantCtx::new(seeded.tenant("acme"), bob)).await.unwrap();
    let operator_only = tx.query("SELECT platform.create_tenant('y', 'y', 'free', $1)", &[&bob]).await.unwrap_err();
    assert_eq!(operator_only.code().unwrap().code(), "42501", "only operators create tenants for others");
    drop(tx);
    let mut tx = pool.tenant_tx(&TenantCtx::new(created, bob)).await.unwrap();
    let name: String = tx.query_one("SELECT name FROM tenancy.tenants", &[]).await.unwrap().get(0);
    assert_eq!(name, "Bob Labs");
}

/// One class of defect an attacker would exploit, planted in a fresh database:
/// the attack must report it on the object and vector named.
struct PlantedDefect {
    class: &'static str,
    sql: &'static str,
    object: &'static str,
    vector: &'static str,
}

const PLANTED_DEFECTS: &[PlantedDefect] = &[
    PlantedDefect {
        class: "a definer function without a tenant filter",
        sql: "CREATE FUNCTION public.project_names(p_tenant uuid) RETURNS SETOF text
                  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
                  AS $$ SELECT name FROM work.projects WHERE tenant_id = p_tenant $$;
              GRANT EXECUTE ON FUNCTION public.project_names(uuid) TO tenantbase_app;",
        object: "project_names(uuid)",
        vector: "function_call",
    },
    PlantedDefect {
        class: "a definer default",
        sql: "CREATE FUNCTION public.other_projects() RETURNS text
                  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
                  AS $$ SELECT string_agg(name, ', ') FROM work.projects
                        WHERE tenant_id IS DISTINCT FROM tenancy.current_tenant_id() $$;
              GRANT EXECUTE ON FUNCTION public.other_projects() TO tenantbase_app;
              ALTER TABLE work.projects ALTER COLUMN description SET DEFAULT public.other_projects();",
        object: "work.projects",
        vector: "insert_defaults",
    },
    PlantedDefect {
        class: "a definer BEFORE trigger without the guard",
        sql: "CREATE FUNCTION public.describe_tenant() RETURNS trigger
                  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
                  AS $$ BEGIN
                      IF NEW.name = 'never' THEN RETURN NEW; END IF;
                      RAISE EXCEPTION 'roles are frozen' USING
                          DETAIL = (SELECT to_jsonb(t)::text FROM tenancy.tenants t WHERE t.id = NEW.tenant_id);
                  END $$;
              CREATE TRIGGER describe_tenant BEFORE INSERT ON tenancy.roles
                  FOR EACH ROW EXECUTE FUNCTION public.describe_tenant();",
        object: "tenancy.roles",
        vector: "insert_foreign_tenant",
    },
    PlantedDefect {
        class: "an OR-ed policy",
        sql: "CREATE POLICY planted_public ON work.projects FOR SELECT
                  USING (tenant_id = (SELECT tenancy.current_tenant_id()) OR status = 'cancelled');",
        object: "work.projects",
        vector: "policy_conjunct(planted_public)",
    },
    PlantedDefect {
        class: "state carried on a pooled connection",
        sql: "GRANT EXECUTE ON FUNCTION pg_advisory_lock(bigint) TO tenantbase_app;",
        object: "pooled connection",
        vector: "carried_state",
    },
    PlantedDefect {
        class: "a platform function executable by the app role",
        sql: "GRANT EXECUTE ON FUNCTION platform.login_lookup(citext) TO tenantbase_app;",
        object: "platform.login_lookup(citext)",
        vector: "function_call",
    },
];

#[tokio::test]
async fn every_planted_class_of_defect_makes_the_attack_fail() {
    let runs = PLANTED_DEFECTS.iter().map(|plant| async move {
        let db = TestDb::new().await;
        let actors = acme_vs_techstartup(&db).await;
        let admin = db.admin().await;
        admin.batch_execute(plant.sql).await.unwrap_or_else(|e| panic!("planting {}: {e}", plant.class));
        let findings = attack::run(&admin, &db.target.app, &db.signer(), actors).await.unwrap();
        let reported =
            findings.iter().any(|f| f.table == plant.object && f.vector == plant.vector && f.verdict == Verdict::Leak);
        let leaks: Vec<String> =
            findings.iter().filter(|f| f.verdict != Verdict::Blocked).map(|f| f.to_string()).collect();
        assert!(
            reported,
            "{}: expected a leak of {} {}, got:\n{}",
            plant.class,
            plant.object,
            plant.vector,
            leaks.join("\n")
        );
    });
    futures_util::future::join_all(runs).await;
}

/// Account work belongs to the account role: none of its functions answers the
/// app role, whatever it is called with.
#[tokio::test]
async fn the_app_role_calls_no_account_function() {
    let db = TestDb::new().await;
    let actors = acme_vs_techstartup(&db).await;
    let admin = db.admin().await;
    let account_functions: Vec<String> = column(
        &admin,
        "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND has_function_privilege('tenantbase_account', p.oid, 'EXECUTE')
               AND p.proacl::text LIKE '%tenantbase_account=X%'
             ORDER BY 1",
        &[],
    )
    .await;
    assert!(account_functions.len() >= 8, "{account_functions:?}");
    let app = tenantbase::db::connect(&db.target.app).await.unwrap();
    for function in &account_functions {
        app.batch_execute(&db.signer().begin_sql(&TenantCtx::new(actors.tenant_a, actors.owner_a))).await.unwrap();
        let allowed: bool = app
            .query_one("SELECT has_function_privilege(current_user, $1::text::regprocedure, 'EXECUTE')", &[function])
            .await
            .unwrap()
            .get(0);
        app.batch_execute("ROLLBACK").await.unwrap();
        assert!(!allowed, "the app role may execute {function}");
    }
    app.batch_execute(&db.signer().begin_sql(&TenantCtx::new(actors.tenant_a, actors.owner_a))).await.unwrap();
    let refused = app.query("SELECT * FROM platform.login_lookup('tom@techstartup.io')", &[]).await;
    assert_eq!(sqlstate(refused), "42501");
}
