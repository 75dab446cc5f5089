//! The catalog linter: clean on the migrated schema, and each class of defect,
//! planted in a scratch schema of a fresh database, is reported by its rule.

use std::process::Command;

use futures_util::future::join_all;
use tenantbase::db::url_of;
use tenantbase::isolation::check::{self, Finding, Role};

use crate::common::TestDb;

/// A tenant table made the one right way: `check` must find nothing in it.
const SCRATCH: &str = "
    CREATE SCHEMA scratch;
    CREATE TABLE scratch.notes (
        tenant_id uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
        id        uuid NOT NULL DEFAULT gen_random_uuid(),
        body      text,
        PRIMARY KEY (tenant_id, id)
    );
    SELECT tenancy.isolate('scratch.notes', 'content');
    CREATE TABLE scratch.events (
        tenant_id uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
        id        uuid NOT NULL DEFAULT gen_random_uuid(),
        at        timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, id, at)
    ) PARTITION BY RANGE (at);
    SELECT tenancy.isolate('scratch.events', 'analytics');";

struct Plant {
    defect: &'static str,
    sql: &'static str,
    object: &'static str,
    rule: &'static str,
}

const PLANTS: &[Plant] = &[
    Plant {
        defect: "RLS off",
        sql: "ALTER TABLE scratch.notes DISABLE ROW LEVEL SECURITY",
        object: "scratch.notes",
        rule: "rls_disabled",
    },
    Plant {
        defect: "RLS not forced",
        sql: "ALTER TABLE scratch.notes NO FORCE ROW LEVEL SECURITY",
        object: "scratch.notes",
        rule: "rls_not_forced",
    },
    Plant {
        defect: "a missing policy",
        sql: "DROP POLICY tenant_delete ON scratch.notes",
        object: "scratch.notes DELETE",
        rule: "command_without_policy",
    },
    Plant {
        defect: "an always-true policy",
        sql: "CREATE POLICY open ON scratch.notes FOR SELECT USING (true)",
        object: "scratch.notes policy open",
        rule: "policy_always_true",
    },
    Plant {
        defect: "a policy that ignores the tenant",
        sql: "CREATE POLICY with_body ON scratch.notes FOR SELECT USING (body IS NOT NULL)",
        object: "scratch.notes policy with_body",
        rule: "policy_not_tenant_bound",
    },
    Plant {
        defect: "a policy that ORs the tenant check away",
        sql: "CREATE POLICY either ON scratch.notes FOR SELECT
                  USING (tenant_id = (SELECT tenancy.current_tenant_id()) OR body = 'public')",
        object: "scratch.notes policy either",
        rule: "policy_not_tenant_bound",
    },
    Plant {
        defect: "a context helper called per row",
        sql: "CREATE POLICY per_row ON scratch.notes FOR SELECT USING (tenant_id = tenancy.current_tenant_id())",
        object: "scratch.notes policy per_row",
        rule: "policy_helper_per_row",
    },
    Plant {
        defect: "a unique key without tenant_id",
        sql: "ALTER TABLE scratch.notes ADD CONSTRAINT notes_body_key UNIQUE (body)",
        object: "scratch.notes_body_key",
        rule: "key_without_tenant",
    },
    Plant {
        defect: "a foreign key without tenant_id",
        sql: "ALTER TABLE scratch.notes ADD CONSTRAINT notes_id_key UNIQUE (id);
              COMMENT ON INDEX scratch.notes_id_key IS 'tenantbase:only the foreign key is under test here';
              CREATE TABLE scratch.comments (
                  tenant_id uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
                  id uuid NOT NULL, note_id uuid NOT NULL,
                  PRIMARY KEY (tenant_id, id),
                  CONSTRAINT comments_note_fkey FOREIGN KEY (note_id) REFERENCES scratch.notes (id));
              CREATE INDEX ON scratch.comments (note_id);
              SELECT tenancy.isolate('scratch.comments', 'content')",
        object: "scratch.comments comments_note_fkey",
        rule: "foreign_key_without_tenant",
    },
    Plant {
        defect: "a foreign key without a covering index",
        sql: "CREATE TABLE scratch.links (
                  tenant_id uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
                  id uuid NOT NULL, note_id uuid NOT NULL,
                  PRIMARY KEY (tenant_id, id),
                  CONSTRAINT links_note_fkey FOREIGN KEY (tenant_id, note_id) REFERENCES scratch.notes (tenant_id, id));
              SELECT tenancy.isolate('scratch.links', 'content')",
        object: "scratch.links links_note_fkey",
        rule: "foreign_key_without_index",
    },
    Plant {
        defect: "a foreign key covered only by a partial index that leaves out referencing rows",
        sql: "CREATE TABLE scratch.links (
                  tenant_id uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
                  id uuid NOT NULL, note_id uuid, archived boolean NOT NULL DEFAULT false,
                  PRIMARY KEY (tenant_id, id),
                  CONSTRAINT links_note_fkey FOREIGN KEY (tenant_id, note_id) REFERENCES scratch.notes (tenant_id, id));
              CREATE INDEX ON scratch.links (tenant_id, note_id) WHERE NOT archived;
              SELECT tenancy.isolate('scratch.links', 'content')",
        object: "scratch.links links_note_fkey",
        rule: "foreign_key_without_index",
    },
    Plant {
        defect: "an index not leading with tenant_id",
        sql: "CREATE INDEX notes_body_idx ON scratch.notes (body)",
        object: "scratch.notes_body_idx",
        rule: "index_not_tenant_leading",
    },
    Plant {
        defect: "a tenant column that may be NULL",
        sql: "CREATE TABLE scratch.loose (tenant_id uuid REFERENCES tenancy.tenants (id), id uuid PRIMARY KEY, UNIQUE (tenant_id, id));
              SELECT tenancy.isolate('scratch.loose', 'content')",
        object: "scratch.loose",
        rule: "tenant_column_unenforced",
    },
    Plant {
        defect: "a security-definer view",
        sql: "CREATE VIEW scratch.all_notes AS SELECT * FROM scratch.notes;
              GRANT SELECT ON scratch.all_notes TO tenantbase_app",
        object: "scratch.all_notes",
        rule: "view_not_security_invoker",
    },
    Plant {
        defect: "a materialized view the app can read",
        sql: "CREATE MATERIALIZED VIEW scratch.note_counts AS SELECT tenant_id, count(*) FROM scratch.notes GROUP BY tenant_id;
              GRANT SELECT ON scratch.note_counts TO tenantbase_app",
        object: "scratch.note_counts",
        rule: "unprotected_relation_readable",
    },
    Plant {
        defect: "a SECURITY DEFINER function with a mutable search_path",
        sql: "CREATE FUNCTION scratch.my_note_count() RETURNS bigint LANGUAGE sql SECURITY DEFINER
              AS $$ SELECT count(*) FROM scratch.notes WHERE tenant_id = tenancy.current_tenant_id() $$",
        object: "scratch.my_note_count()",
        rule: "definer_search_path",
    },
    Plant {
        defect: "a SECURITY DEFINER function without a tenant check",
        sql: "CREATE FUNCTION scratch.note_count() RETURNS bigint LANGUAGE sql SECURITY DEFINER
              SET search_path = pg_catalog, pg_temp AS $$ SELECT count(*) FROM scratch.notes $$;
              GRANT EXECUTE ON FUNCTION scratch.note_count() TO tenantbase_app",
        object: "scratch.note_count()",
        rule: "definer_without_tenant_check",
    },
    Plant {
        defect: "a SECURITY DEFINER trigger without a tenant check",
        sql: "CREATE FUNCTION scratch.fill_body() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
              SET search_path = pg_catalog, pg_temp
              AS $$ BEGIN NEW.body := (SELECT count(*) FROM scratch.notes)::text; RETURN NEW; END $$;
              CREATE TRIGGER fill_body BEFORE INSERT ON scratch.notes FOR EACH ROW EXECUTE FUNCTION scratch.fill_body()",
        object: "scratch.fill_body()",
        rule: "definer_without_tenant_check",
    },
    Plant {
        defect: "a SECURITY DEFINER column default without a tenant check",
        sql: "CREATE FUNCTION scratch.next_label() RETURNS text LANGUAGE sql SECURITY DEFINER
              SET search_path = pg_catalog, pg_temp AS $$ SELECT 'note ' || count(*) FROM scratch.notes $$;
              ALTER TABLE scratch.notes ADD COLUMN label text DEFAULT scratch.next_label()",
        object: "scratch.next_label()",
        rule: "definer_without_tenant_check",
    },
    Plant {
        defect: "a function owned by the superuser",
        sql: "RESET ROLE; CREATE FUNCTION scratch.as_superuser() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$",
        object: "function scratch.as_superuser()",
        rule: "owned_by_superuser",
    },
    Plant {
        defect: "an account role that may read a tenant table",
        sql: "GRANT SELECT ON scratch.notes TO tenantbase_account",
        object: "scratch.notes",
        rule: "role_reaches_tenant_table",
    },
    Plant {
        defect: "a database open to PUBLIC",
        sql: "GRANT CONNECT, TEMPORARY ON DATABASE {database} TO PUBLIC",
        object: "database {database}",
        rule: "database_open_to_public",
    },
    Plant {
        defect: "an app role that may create temporary objects",
        sql: "GRANT TEMPORARY ON DATABASE {database} TO tenantbase_app",
        object: "database {database}",
        rule: "role_excess_privilege",
    },
    Plant {
        defect: "an app role that owns a table",
        sql: "CREATE TABLE scratch.owned (id int); RESET ROLE; ALTER TABLE scratch.owned OWNER TO tenantbase_app",
        object: "table scratch.owned",
        rule: "role_owns_object",
    },
    Plant {
        defect: "an app role that may TRUNCATE",
        sql: "GRANT TRUNCATE ON scratch.notes TO tenantbase_app",
        object: "scratch.notes",
        rule: "role_excess_privilege",
    },
    Plant {
        defect: "an app role that may run DDL in a schema",
        sql: "GRANT CREATE ON SCHEMA scratch TO tenantbase_app",
        object: "schema scratch",
        rule: "role_excess_privilege",
    },
    Plant {
        defect: "a partition without RLS",
        sql: "CREATE TABLE scratch.events_2025_01 PARTITION OF scratch.events FOR VALUES FROM ('2025-01-01') TO ('2025-02-01')",
        object: "scratch.events_2025_01",
        rule: "rls_disabled",
    },
    Plant {
        defect: "a privilege on a partition",
        sql: "CREATE TABLE scratch.events_2025_02 PARTITION OF scratch.events FOR VALUES FROM ('2025-02-01') TO ('2025-03-01');
              ALTER TABLE scratch.events_2025_02 ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
              GRANT SELECT ON scratch.events_2025_02 TO tenantbase_app",
        object: "scratch.events_2025_02",
        rule: "role_reaches_partition",
    },
    Plant {
        defect: "a table without RLS the app can write",
        sql: "CREATE TABLE scratch.globals (id int); GRANT INSERT ON scratch.globals TO tenantbase_app",
        object: "scratch.globals",
        rule: "writable_without_rls",
    },
    Plant {
        defect: "other sessions' SQL readable by the app",
        sql: "RESET ROLE; GRANT EXECUTE ON FUNCTION pg_catalog.pg_stat_get_activity(integer) TO PUBLIC",
        object: "tenantbase_app",
        rule: "session_sql_readable",
    },
];

/// The findings in a fresh database once SCRATCH and `extra_sql` ran there, and
/// its name (`{database}` in `extra_sql`). Both run as the owner role, as
/// migrations do, so what they create is not the superuser's; a plant that needs
/// the superuser says RESET ROLE.
async fn findings_with(extra_sql: &str) -> (String, Vec<Finding>) {
    let db = TestDb::new().await;
    let database = db.target.database_name().to_string();
    let admin = db.admin().await;
    admin.batch_execute("SET ROLE tenantbase_owner").await.unwrap();
    admin.batch_execute(SCRATCH).await.unwrap();
    admin.batch_execute(&extra_sql.replace("{database}", &database)).await.unwrap();
    admin.batch_execute("RESET ROLE").await.unwrap();
    let findings = check::run(&admin).await.unwrap();
    (database, findings)
}

#[tokio::test]
async fn the_migrated_schema_and_a_correctly_isolated_scratch_table_pass() {
    let db = TestDb::new().await;
    db.seeded().await;
    let admin = db.admin().await;
    let clean = check::run(&admin).await.unwrap();
    assert!(clean.is_empty(), "the migrated schema has findings:\n{}", render(&clean));
    let (_, scratch) = findings_with("").await;
    assert!(scratch.is_empty(), "tenancy.isolate leaves findings:\n{}", render(&scratch));
}

#[tokio::test]
async fn every_planted_defect_is_reported_by_its_rule() {
    let results = join_all(PLANTS.iter().map(|plant| async move { (plant, findings_with(plant.sql).await) })).await;
    for (plant, (database, findings)) in results {
        let object = plant.object.replace("{database}", &database);
        assert!(
            findings.iter().any(|f| f.object == object && f.rule == plant.rule),
            "{}: expected {} on {}, got:\n{}",
            plant.defect,
            plant.rule,
            object,
            render(&findings)
        );
        assert!(
            findings.iter().all(|f| !f.fix.is_empty() && !f.problem.is_empty()),
            "{}: every finding says how to fix it",
            plant.defect
        );
    }
}

/// Definer code is named with every route that reaches it: where a default, check,
/// policy or view calls it, revoking EXECUTE would break the table rather than
/// close the hole, so the fix does not offer it.
#[tokio::test]
async fn definer_code_is_reported_with_every_route_that_reaches_it() {
    let (_, findings) = findings_with(
        "CREATE FUNCTION scratch.any_note() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
         SET search_path = pg_catalog, pg_temp AS $$ SELECT EXISTS (SELECT 1 FROM scratch.notes) $$;
         ALTER TABLE scratch.notes ADD COLUMN seen boolean DEFAULT scratch.any_note(),
                                   ADD CONSTRAINT notes_any CHECK (scratch.any_note() IS NOT NULL);
         CREATE POLICY any_note ON scratch.notes AS RESTRICTIVE FOR SELECT USING (scratch.any_note());
         CREATE VIEW scratch.note_flag WITH (security_invoker = true) AS SELECT scratch.any_note() AS flag;
         GRANT SELECT ON scratch.note_flag TO tenantbase_app;
         GRANT EXECUTE ON FUNCTION scratch.any_note() TO tenantbase_app",
    )
    .await;
    let finding = findings
        .iter()
        .find(|f| f.object == "scratch.any_note()" && f.rule == "definer_without_tenant_check")
        .unwrap_or_else(|| panic!("scratch.any_note() is reported:\n{}", render(&findings)));
    for route in [
        "EXECUTE (tenantbase_app)",
        "the default of scratch.notes.seen (tenantbase_app)",
        "constraint notes_any on scratch.notes (tenantbase_app)",
        "policy any_note on scratch.notes (tenantbase_app, tenantbase_readonly)",
        "view scratch.note_flag (tenantbase_app)",
    ] {
        assert!(finding.problem.contains(route), "{route} is named: {finding}");
    }
    assert!(!finding.fix.contains("REVOKE"), "revoking EXECUTE would break the table: {finding}");
}

/// Roles are cluster-wide and the tests share one cluster: dropping or altering a
/// tenantbase role would break the tests running beside this one. So the rule is
/// proved the other way round, against an expected list that names a role the
/// cluster lacks and expects the platform role not to bypass RLS.
#[tokio::test]
async fn a_missing_role_and_a_wrong_attribute_are_reported() {
    let db = TestDb::new().await;
    let mut roles = check::ROLES.to_vec();
    roles.push(Role { name: "tenantbase_absent", login: false, bypass_rls: false, tenant_sql: false });
    roles.iter_mut().find(|r| r.name == "tenantbase_platform").unwrap().bypass_rls = false;
    let findings = check::run_expecting(&db.admin().await, &roles).await.unwrap();
    let found: Vec<_> = findings.iter().map(|f| (f.object.as_str(), f.rule.as_str(), f.problem.as_str())).collect();
    assert_eq!(
        found,
        [
            (
                "tenantbase_absent",
                "role_not_as_designed",
                "does not exist: its grants and the rules that guard it have nothing to apply to"
            ),
            (
                "tenantbase_platform",
                "role_not_as_designed",
                "is NOLOGIN BYPASSRLS, but its job needs NOLOGIN NOBYPASSRLS"
            ),
        ],
        "{}",
        render(&findings)
    );
}

/// The roles check expects are the ones migrate creates, with their LOGIN and BYPASSRLS.
#[test]
fn the_expected_roles_are_those_of_roles_sql() {
    let created: Vec<(String, bool, bool)> = include_str!("../../src/db/roles.sql")
        .lines()
        .filter(|line| line.trim_start().starts_with("('tenantbase_"))
        .map(|line| {
            let fields: Vec<&str> = line.split('\'').collect();
            let has = |attribute: &str| fields[3].split_whitespace().any(|a| a == attribute);
            (fields[1].to_string(), has("LOGIN"), has("BYPASSRLS"))
        })
        .collect();
    let expected: Vec<(String, bool, bool)> =
        check::ROLES.iter().map(|r| (r.name.to_string(), r.login, r.bypass_rls)).collect();
    assert_eq!(created, expected);
}

#[tokio::test]
async fn the_check_command_exits_0_when_clean_and_1_with_json_findings() {
    let db = TestDb::new().await;
    let url = url_of(&db.target.admin);
    let check = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_tenantbase"))
            .arg("check")
            .args(args)
            .env("DATABASE_URL", &url)
            .output()
            .unwrap()
    };
    let clean = check(&[]);
    assert_eq!(clean.status.code(), Some(0), "{}", String::from_utf8_lossy(&clean.stdout));

    db.admin().await.batch_execute("ALTER TABLE tenancy.roles NO FORCE ROW LEVEL SECURITY").await.unwrap();
    let out = check(&["--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{report}");
    assert_eq!(findings[0]["object"], "tenancy.roles");
    assert_eq!(findings[0]["rule"], "rls_not_forced");
    assert_eq!(findings[0]["fix"], "ALTER TABLE tenancy.roles FORCE ROW LEVEL SECURITY;");
}

fn render(findings: &[Finding]) -> String {
    findings.iter().map(|f| f.to_string()).collect::<Vec<_>>().join("\n")
}

/// What a restore from another cluster's dump left: the compiled verifier naming
/// a library this server does not have.
#[tokio::test]
async fn a_c_function_whose_library_is_missing_is_reported() {
    if tenantbase::db::verifier::BUILT_FOR.is_empty() {
        return;
    }
    let db = TestDb::new().await;
    let cluster = db.target.cluster.as_ref().expect("the test cluster is private");
    let library = cluster.root().join("lib").join(format!("planted-{}.so", db.target.database_name()));
    tenantbase::db::verifier::write_library(&library).unwrap();
    let admin = db.admin().await;
    admin
        .batch_execute(&format!(
            "CREATE FUNCTION public.planted_verifier(integer) RETURNS text LANGUAGE c STRICT
             AS '{}', 'tenantbase_context_field'",
            library.display()
        ))
        .await
        .unwrap();
    assert!(check::run(&admin).await.unwrap().iter().all(|f| f.rule != "verifier_library_missing"));
    std::fs::remove_file(&library).unwrap();
    let findings = check::run(&admin).await.unwrap();
    assert!(
        findings.iter().any(|f| f.rule == "verifier_library_missing" && f.object == "public.planted_verifier(integer)"),
        "{}",
        render(&findings)
    );
}
