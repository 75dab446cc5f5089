//! The catalog linter: reads the live catalog and reports every object whose
//! isolation is incomplete, with the rule it breaks and how to fix it. Each rule
//! is one SQL query over the catalog (never a hand-kept list of tables), so a
//! table, view or function added by any module is checked the day it lands.
//!
//! The roles it guards are the login roles of [`ROLES`], which must stay under
//! RLS: `tenantbase_app`, `tenantbase_account` and `tenantbase_readonly`.
//! Documented exceptions are comments on the object: an index or constraint
//! commented `tenantbase:<why>` (e.g. one covering a foreign key to a global
//! table), a SECURITY DEFINER function commented `tenantbase:platform <why>`
//! (platform work that is not tenant-scoped by design).

use std::fmt;

use anyhow::{Context, Result};
use serde::Serialize;
use tokio_postgres::Client;

use super::catalog::TENANT_TABLES_SQL;

/// One rule: a query returning `(object, problem, fix)` for every violation.
pub struct Rule {
    pub name: &'static str,
    pub summary: &'static str,
    sql: &'static str,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub object: String,
    pub rule: String,
    pub problem: String,
    pub fix: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]\n    {}\n    fix: {}", self.object, self.rule, self.problem, self.fix)
    }
}

/// A role of src/db/roles.sql and the attributes its job hinges on.
#[derive(Clone, Copy, Debug)]
pub struct Role {
    pub name: &'static str,
    /// The login roles are the guarded ones: whoever holds their connections stays under RLS.
    pub login: bool,
    pub bypass_rls: bool,
    /// Its job reads or writes tenant tables (the account role's goes through definer functions only).
    pub tenant_sql: bool,
}

/// The roles tenantbase expects in the cluster.
pub const ROLES: &[Role] = &[
    Role { name: "tenantbase_owner", login: false, bypass_rls: false, tenant_sql: false },
    Role { name: "tenantbase_platform", login: false, bypass_rls: true, tenant_sql: false },
    Role { name: "tenantbase_audit", login: false, bypass_rls: true, tenant_sql: false },
    Role { name: "tenantbase_app", login: true, bypass_rls: false, tenant_sql: true },
    Role { name: "tenantbase_account", login: true, bypass_rls: false, tenant_sql: false },
    Role { name: "tenantbase_readonly", login: true, bypass_rls: false, tenant_sql: true },
];

/// The sets every rule reads. The rules run with `search_path = pg_catalog`, so
/// `pg_get_expr` and `::regclass` print every user object schema-qualified.
fn catalog_sql(roles: &[Role]) -> String {
    let expected = roles
        .iter()
        .map(|r| format!("('{}', {}, {}, {})", r.name.replace('\'', "''"), r.login, r.bypass_rls, r.tenant_sql))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "WITH expected_roles (rolname, login, bypass_rls, tenant_sql) AS (VALUES {expected}),
         tenant_tables AS ({TENANT_TABLES_SQL}),
         guarded_roles AS (
             SELECT r.oid, r.rolname::text AS rolname, e.tenant_sql
             FROM expected_roles e JOIN pg_roles r ON r.rolname = e.rolname WHERE e.login
         ),
         user_relations AS (
             SELECT c.oid, c.oid::regclass::text AS name, c.relkind, c.relispartition, c.relrowsecurity, c.reloptions
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'
               AND NOT EXISTS (SELECT 1 FROM pg_depend d
                               WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
         ),
         user_functions AS (
             SELECT p.oid, p.oid::regprocedure::text AS name, p.prosecdef, p.proconfig, p.prosrc, p.prorettype,
                    coalesce(obj_description(p.oid, 'pg_proc'), '') AS comment
             FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'
               AND NOT EXISTS (SELECT 1 FROM pg_depend d
                               WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
         ),
         -- The relations each guarded role may write, and every partition beneath
         -- them: a write through the parent fires the partition's triggers and defaults.
         guarded_writes AS (
             SELECT DISTINCT t.oid, g.rolname
             FROM user_relations r CROSS JOIN guarded_roles g
             CROSS JOIN LATERAL (SELECT r.oid UNION SELECT relid FROM pg_partition_tree(r.oid)) AS t (oid)
             WHERE r.relkind IN ('r', 'p', 'v', 'f')
               AND (has_any_column_privilege(g.oid, r.oid, 'INSERT, UPDATE') OR has_table_privilege(g.oid, r.oid, 'DELETE'))
         ),
         -- Indexes and tables whose exception is documented in their comment.
         documented_indexes AS (
             SELECT objoid AS oid FROM pg_description
             WHERE classoid = 'pg_class'::regclass AND objsubid = 0 AND description LIKE 'tenantbase:%'
         )
         "
    )
}

pub const RULES: &[Rule] = &[
    Rule {
        name: "rls_disabled",
        summary: "a table with tenant data (partitions included) without row-level security",
        sql: "SELECT name, format('holds tenant data (%s) but row-level security is off: every row is visible to anyone who may select', tenant_column),
                     CASE WHEN is_partition THEN format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;', name)
                          ELSE format('SELECT tenancy.isolate(%L, ''<resource>'');', name) END
              FROM tenant_tables WHERE NOT rls_enabled",
    },
    Rule {
        name: "rls_not_forced",
        summary: "row-level security enabled but not forced (the owner is exempt)",
        sql: "SELECT name, 'row-level security is enabled but not forced: the table''s owner is silently exempt',
                     format('ALTER TABLE %s FORCE ROW LEVEL SECURITY;', name)
              FROM tenant_tables WHERE rls_enabled AND NOT rls_forced",
    },
    Rule {
        name: "command_without_policy",
        summary: "a command a guarded role may run on a tenant table, with no policy for it",
        sql: "SELECT t.name || ' ' || cmd.name,
                     format('%s may run %s on it but no permissive policy covers %s', string_agg(g.rolname, ', '), cmd.name, cmd.name),
                     format('SELECT tenancy.isolate(%L, ''<resource>''); (a policy per command)', t.name)
              FROM tenant_tables t
              CROSS JOIN (VALUES ('SELECT', 'r'), ('INSERT', 'a'), ('UPDATE', 'w'), ('DELETE', 'd')) AS cmd (name, code)
              CROSS JOIN guarded_roles g
              WHERE NOT t.is_partition AND t.rls_enabled
                AND CASE cmd.name WHEN 'DELETE' THEN has_table_privilege(g.oid, t.oid, 'DELETE')
                                  ELSE has_any_column_privilege(g.oid, t.oid, cmd.name) END
                AND NOT EXISTS (SELECT 1 FROM pg_policy p
                                WHERE p.polrelid = t.oid AND p.polpermissive AND p.polcmd IN (cmd.code, '*')
                                  AND p.polroles && ARRAY[0::oid, g.oid])
              GROUP BY t.name, cmd.name, t.oid",
    },
    Rule {
        name: "policy_always_true",
        summary: "a permissive policy that does not depend on the row",
        sql: "SELECT format('%s policy %s', t.name, quote_ident(p.polname)),
                     format('%s (%s) does not depend on the row: whoever it admits reaches every tenant''s rows', e.clause, pg_get_expr(e.expr, p.polrelid)),
                     format('DROP POLICY %I ON %s; then SELECT tenancy.isolate(%L, ''<resource>'');', p.polname, t.name, t.name)
              FROM pg_policy p
              JOIN tenant_tables t ON t.oid = p.polrelid
              CROSS JOIN LATERAL (VALUES ('USING', p.polqual), ('WITH CHECK', p.polwithcheck)) AS e (clause, expr)
              WHERE p.polpermissive AND e.expr IS NOT NULL
                AND e.expr::text !~ '\\{VAR ' AND pg_get_expr(e.expr, p.polrelid) <> 'false'",
    },
    Rule {
        name: "policy_not_tenant_bound",
        summary: "a permissive policy that does not compare the tenant column with the context",
        sql: "SELECT format('%s policy %s', t.name, quote_ident(p.polname)),
                     format('%s (%s) does not require %s = (SELECT tenancy.current_tenant_id()) for every row it admits',
                            e.clause, pg_get_expr(e.expr, p.polrelid), t.tenant_column),
                     format('DROP POLICY %I ON %s; then SELECT tenancy.isolate(%L, ''<resource>''); (extra conditions go inside an AND)', p.polname, t.name, t.name)
              FROM pg_policy p
              JOIN tenant_tables t ON t.oid = p.polrelid
              CROSS JOIN LATERAL (VALUES ('USING', p.polqual), ('WITH CHECK', p.polwithcheck)) AS e (clause, expr)
              WHERE p.polpermissive AND e.expr IS NOT NULL AND e.expr::text ~ '\\{VAR '
                AND (e.expr::text !~ ('\\{VAR :varno 1 :varattno ' || t.tenant_attnum || ' [^}]*:varlevelsup 0 ')
                     OR e.expr::text !~ (':funcid ' || to_regprocedure('tenancy.current_tenant_id()')::oid || ' ')
                     OR e.expr::text ~ '^\\{BOOLEXPR :boolop or')",
    },
    Rule {
        name: "key_without_tenant",
        summary: "a primary key or unique constraint on tenant data without the tenant column",
        sql: "SELECT ic.oid::regclass::text,
                     format('%s is unique across all tenants: one tenant''s row collides with, and so reveals, another''s', pg_get_indexdef(i.indexrelid)),
                     format('make it UNIQUE (%s, ...), or document a global identity with COMMENT ON INDEX %s IS ''tenantbase:<why>'';', t.tenant_column, ic.oid::regclass)
              FROM pg_index i
              JOIN tenant_tables t ON t.oid = i.indrelid
              JOIN pg_class ic ON ic.oid = i.indexrelid
              WHERE NOT t.is_partition AND i.indisunique AND NOT (t.tenant_attnum = ANY (i.indkey::int2[]))
                AND i.indexrelid NOT IN (SELECT oid FROM documented_indexes)",
    },
    Rule {
        name: "foreign_key_without_tenant",
        summary: "a foreign key between tenant tables that does not include the tenant column",
        sql: "SELECT format('%s %s', t.name, quote_ident(con.conname)),
                     format('references tenant table %s without %s: a row can point into another tenant', pt.name, t.tenant_column),
                     format('make it FOREIGN KEY (%s, ...) REFERENCES %s (%s, ...)', t.tenant_column, pt.name, pt.tenant_column)
              FROM pg_constraint con
              JOIN tenant_tables t ON t.oid = con.conrelid
              JOIN tenant_tables pt ON pt.oid = con.confrelid
              WHERE con.contype = 'f' AND con.conparentid = 0 AND NOT t.is_partition
                AND NOT EXISTS (SELECT 1 FROM unnest(con.conkey, con.confkey) AS k (child, parent)
                                WHERE k.child = t.tenant_attnum AND k.parent = pt.tenant_attnum)
                AND coalesce(obj_description(con.oid, 'pg_constraint'), '') NOT LIKE 'tenantbase:%'",
    },
    Rule {
        name: "tenant_column_unenforced",
        summary: "a tenant column that may be NULL, or that no foreign key ties to a tenant",
        sql: "SELECT t.name,
                     CASE WHEN NOT t.tenant_not_null THEN format('%s may be NULL: such a row belongs to no tenant', t.tenant_column)
                          ELSE format('no foreign key ties %s to tenancy.tenants (directly or through a tenant table): a row can name a tenant that does not exist', t.tenant_column) END,
                     format('%s uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE; or, for a table that must outlive its tenant, COMMENT ON TABLE %s IS ''tenantbase:<why>'';', t.tenant_column, t.name)
              FROM tenant_tables t
              WHERE NOT t.is_partition AND t.oid <> to_regclass('tenancy.tenants')
                -- A table documented to outlive its tenant (the audit log, kept past an erasure).
                AND (NOT t.tenant_not_null OR t.oid NOT IN (SELECT oid FROM documented_indexes))
                AND (NOT t.tenant_not_null
                     OR NOT EXISTS (SELECT 1
                                    FROM pg_constraint con
                                    JOIN tenant_tables pt ON pt.oid = con.confrelid
                                    CROSS JOIN LATERAL unnest(con.conkey, con.confkey) AS k (child, parent)
                                    WHERE con.conrelid = t.oid AND con.contype = 'f'
                                      AND k.child = t.tenant_attnum AND k.parent = pt.tenant_attnum))",
    },
    Rule {
        name: "index_not_tenant_leading",
        summary: "an index on a tenant table that does not lead with the tenant column",
        sql: "SELECT ic.oid::regclass::text,
                     format('%s does not lead with %s: tenant queries cannot use it, and it orders rows across tenants', pg_get_indexdef(i.indexrelid), t.tenant_column),
                     format('lead with %s, or document it with COMMENT ON INDEX %s IS ''tenantbase:<why>''; (e.g. covering a foreign key to a global table)', t.tenant_column, ic.oid::regclass)
              FROM pg_index i
              JOIN tenant_tables t ON t.oid = i.indrelid
              JOIN pg_class ic ON ic.oid = i.indexrelid
              WHERE i.indkey[0] <> t.tenant_attnum
                AND NOT EXISTS (SELECT 1 FROM pg_inherits inh WHERE inh.inhrelid = i.indexrelid)
                AND i.indexrelid NOT IN (SELECT oid FROM documented_indexes)",
    },
    Rule {
        name: "foreign_key_without_index",
        summary: "a foreign key with no index leading with its columns",
        sql: "SELECT format('%s %s', r.name, quote_ident(con.conname)),
                     format('foreign key (%s) has no index leading with its columns: each delete or key update of the parent scans this table', cols.list),
                     format('CREATE INDEX ON %s (%s);', r.name, cols.list)
              FROM pg_constraint con
              JOIN user_relations r ON r.oid = con.conrelid
              CROSS JOIN LATERAL (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.i) AS list
                                  FROM unnest(con.conkey) WITH ORDINALITY AS k (attnum, i)
                                  JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS cols
              WHERE con.contype = 'f' AND con.conparentid = 0
                AND NOT EXISTS (SELECT 1 FROM pg_index i
                                WHERE i.indrelid = con.conrelid
                                  AND i.indnkeyatts >= cardinality(con.conkey)
                                  AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(con.conkey)] @> con.conkey
                                  -- Whole, or without the rows whose key has a NULL: with MATCH SIMPLE those
                                  -- reference nothing, and every lookup the key makes names a value.
                                  AND (i.indpred IS NULL
                                       OR (con.confmatchtype = 's'
                                           AND pg_get_expr(i.indpred, i.indrelid) IN (
                                               SELECT format('(%s IS NOT NULL)', quote_ident(a.attname)) FROM pg_attribute a
                                               WHERE a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey)))))",
    },
    Rule {
        name: "view_not_security_invoker",
        summary: "a view that checks RLS as its owner instead of its caller",
        sql: "SELECT name, 'not security_invoker: it reads its tables with its owner''s rights, so RLS is checked for the owner, not the caller',
                     format('ALTER VIEW %s SET (security_invoker = true);', name)
              FROM user_relations r
              WHERE relkind = 'v'
                AND NOT EXISTS (SELECT 1 FROM pg_options_to_table(r.reloptions) o
                                WHERE o.option_name = 'security_invoker' AND lower(o.option_value) IN ('true', 'on', 'yes', '1'))",
    },
    Rule {
        name: "unprotected_relation_readable",
        summary: "a materialized view or foreign table a guarded role can read",
        sql: "SELECT r.name,
                     format('%s can read this %s, which row-level security cannot protect', string_agg(g.rolname, ', '),
                            CASE r.relkind WHEN 'm' THEN 'materialized view' ELSE 'foreign table' END),
                     format('REVOKE ALL ON %s FROM %s; (serve it through a security_invoker view or a function that checks the tenant)',
                            r.name, string_agg(quote_ident(g.rolname), ', '))
              FROM user_relations r CROSS JOIN guarded_roles g
              WHERE r.relkind IN ('m', 'f') AND has_any_column_privilege(g.oid, r.oid, 'SELECT')
              GROUP BY r.name, r.relkind",
    },
    Rule {
        name: "definer_search_path",
        summary: "a SECURITY DEFINER function without a safe fixed search_path",
        sql: "SELECT f.name,
                     CASE WHEN sp.path IS NULL THEN 'SECURITY DEFINER without a fixed search_path: the caller''s search_path decides what its names mean'
                          ELSE format('SECURITY DEFINER whose search_path (%s) lets a guarded role plant objects it resolves', sp.path) END,
                     format('ALTER FUNCTION %s SET search_path = pg_catalog, pg_temp; (and qualify every name)', f.name)
              FROM user_functions f
              LEFT JOIN LATERAL (SELECT substr(c, 13) AS path FROM unnest(f.proconfig) c WHERE c LIKE 'search_path=%') sp ON true
              WHERE f.prosecdef
                AND (sp.path IS NULL
                     OR EXISTS (SELECT 1
                                FROM unnest(string_to_array(sp.path, ',')) WITH ORDINALITY AS s (schema, i)
                                CROSS JOIN guarded_roles g
                                WHERE (to_regnamespace(btrim(s.schema, ' \"')) IS NOT NULL
                                       AND has_schema_privilege(g.oid, to_regnamespace(btrim(s.schema, ' \"')), 'CREATE'))
                                   OR (has_database_privilege(g.oid, current_database(), 'TEMPORARY')
                                       AND NOT btrim(split_part(sp.path, ',', -1), ' \"') = 'pg_temp')))",
    },
    // Reached: called; fired by a trigger on a relation the role writes (a trigger
    // needs no EXECUTE privilege; a partition's clone is its parent's trigger); or
    // evaluated in a default, CHECK, policy or view on the role's path. Those run only
    // with the caller's EXECUTE, but count without it: the role's statements call
    // them, and the first fix for their 'permission denied' is to grant it.
    Rule {
        name: "definer_without_tenant_check",
        summary: "a SECURITY DEFINER function a guarded role reaches (calls, or runs through a trigger, default, check, policy or view) that never consults the tenant context",
        sql: "SELECT f.name,
                     format('SECURITY DEFINER (it bypasses the caller''s RLS) and its body never calls tenancy.require_tenant(), tenancy.current_tenant_id() or tenancy.current_user_id(), yet it is reached by %s',
                            string_agg(format('%s (%s)', r.via, r.roles), '; ' ORDER BY r.via)),
                     format('start its body with PERFORM tenancy.require_tenant(<the row''s tenant>), or filter by tenancy.current_tenant_id()%s; if it is platform work by design, say why: COMMENT ON FUNCTION %s IS ''tenantbase:platform <why>'';',
                            CASE WHEN bool_and(r.via = 'EXECUTE') THEN format(', or REVOKE EXECUTE ON FUNCTION %s FROM %s', f.name, max(r.quoted)) ELSE '' END,
                            f.name)
              FROM user_functions f
              JOIN (SELECT fn, via, string_agg(rolname, ', ' ORDER BY rolname) AS roles,
                           string_agg(quote_ident(rolname), ', ' ORDER BY rolname) AS quoted
                    FROM (SELECT uf.oid, 'EXECUTE', g.rolname
                          FROM user_functions uf CROSS JOIN guarded_roles g
                          WHERE uf.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype)
                            AND has_function_privilege(g.oid, uf.oid, 'EXECUTE')
                          UNION ALL
                          SELECT t.tgfoid, format('trigger %I on %s', t.tgname, t.tgrelid::regclass), w.rolname
                          FROM pg_trigger t JOIN guarded_writes w ON w.oid = t.tgrelid
                          WHERE t.tgparentid = 0
                          UNION ALL
                          SELECT d.refobjid, format('the default of %s.%I', ad.adrelid::regclass, a.attname), w.rolname
                          FROM pg_attrdef ad
                          JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
                          JOIN pg_depend d ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid AND d.refclassid = 'pg_proc'::regclass
                          JOIN guarded_writes w ON w.oid = ad.adrelid
                          UNION ALL
                          SELECT d.refobjid, format('constraint %I on %s', con.conname, con.conrelid::regclass), w.rolname
                          FROM pg_constraint con
                          JOIN pg_depend d ON d.classid = 'pg_constraint'::regclass AND d.objid = con.oid AND d.refclassid = 'pg_proc'::regclass
                          JOIN guarded_writes w ON w.oid = con.conrelid
                          WHERE con.contype = 'c'
                          UNION ALL
                          SELECT d.refobjid, format('policy %I on %s', p.polname, p.polrelid::regclass), g.rolname
                          FROM pg_policy p
                          JOIN pg_depend d ON d.classid = 'pg_policy'::regclass AND d.objid = p.oid AND d.refclassid = 'pg_proc'::regclass
                          CROSS JOIN guarded_roles g
                          WHERE p.polroles && ARRAY[0::oid, g.oid]
                            AND (has_any_column_privilege(g.oid, p.polrelid, 'SELECT, INSERT, UPDATE') OR has_table_privilege(g.oid, p.polrelid, 'DELETE'))
                          UNION ALL
                          SELECT d.refobjid, format('view %s', v.oid::regclass), g.rolname
                          FROM pg_rewrite rw
                          JOIN pg_class v ON v.oid = rw.ev_class AND v.relkind = 'v'
                          JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid AND d.refclassid = 'pg_proc'::regclass
                          CROSS JOIN guarded_roles g
                          WHERE has_any_column_privilege(g.oid, v.oid, 'SELECT')) AS reach (fn, via, rolname)
                    GROUP BY fn, via) r ON r.fn = f.oid
              WHERE f.prosecdef
                AND f.prosrc !~ '(current_(tenant|user)_id|require_tenant)\\s*\\('
                AND f.comment NOT LIKE 'tenantbase:platform%'
              GROUP BY f.name",
    },
    Rule {
        name: "policy_helper_per_row",
        summary: "a policy calling a context helper per row instead of once, as an InitPlan",
        sql: "SELECT format('%s policy %s', p.polrelid::regclass, quote_ident(p.polname)),
                     format('calls %s() directly: it runs once per row instead of once per statement', h.qualified),
                     format('write the call as (SELECT %s(...)) so the planner runs it once, as an InitPlan', h.qualified)
              FROM pg_policy p
              CROSS JOIN LATERAL (VALUES (p.polqual), (p.polwithcheck)) AS e (expr)
              CROSS JOIN (SELECT n.nspname || '.' || f.proname AS qualified
                          FROM pg_proc f JOIN pg_namespace n ON n.oid = f.pronamespace
                          WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
                            AND f.prosrc ~ '(current_setting\\s*\\(\\s*''app\\.|current_(tenant|user)_id\\s*\\(|context_(field|tenant_in_use)\\s*\\()') AS h
              WHERE e.expr IS NOT NULL
                AND regexp_replace(pg_get_expr(e.expr, p.polrelid), '\\(\\s*SELECT\\s+[\\w.]+\\([^()]*\\)(\\s+AS\\s+\\w+)?\\s*\\)', '', 'g')
                    ~ ('(^|[^\\w.])' || replace(h.qualified, '.', '\\.') || '\\(')
              GROUP BY p.polrelid, p.polname, h.qualified",
    },
    Rule {
        name: "role_not_as_designed",
        summary: "a tenantbase role that is missing, or whose LOGIN or BYPASSRLS does not fit its job",
        sql: "SELECT e.rolname,
                     CASE WHEN r.oid IS NULL THEN 'does not exist: its grants and the rules that guard it have nothing to apply to'
                          ELSE format('is %s %s, but its job needs %s %s',
                                      CASE WHEN r.rolcanlogin THEN 'LOGIN' ELSE 'NOLOGIN' END, CASE WHEN r.rolbypassrls THEN 'BYPASSRLS' ELSE 'NOBYPASSRLS' END,
                                      CASE WHEN e.login THEN 'LOGIN' ELSE 'NOLOGIN' END, CASE WHEN e.bypass_rls THEN 'BYPASSRLS' ELSE 'NOBYPASSRLS' END) END,
                     CASE WHEN r.oid IS NULL THEN 'tenantbase migrate (it creates the roles of src/db/roles.sql)'
                          ELSE format('ALTER ROLE %I %s %s; (tenantbase migrate sets the attributes of src/db/roles.sql)', e.rolname,
                                      CASE WHEN e.login THEN 'LOGIN' ELSE 'NOLOGIN' END, CASE WHEN e.bypass_rls THEN 'BYPASSRLS' ELSE 'NOBYPASSRLS' END) END
              FROM expected_roles e LEFT JOIN pg_roles r ON r.rolname = e.rolname
              -- A guarded (login) role with BYPASSRLS is role_bypasses_rls's finding.
              WHERE r.oid IS NULL OR r.rolcanlogin <> e.login OR (r.rolbypassrls <> e.bypass_rls AND NOT (r.rolbypassrls AND e.login))",
    },
    Rule {
        name: "role_superuser",
        summary: "a guarded role that is a superuser",
        sql: "SELECT rolname, 'is a superuser: row-level security never applies to it', format('ALTER ROLE %I NOSUPERUSER;', rolname)
              FROM pg_roles WHERE rolname IN (SELECT rolname FROM guarded_roles) AND rolsuper",
    },
    Rule {
        name: "role_bypasses_rls",
        summary: "a guarded role with BYPASSRLS",
        sql: "SELECT rolname, 'has BYPASSRLS: no policy applies to it', format('ALTER ROLE %I NOBYPASSRLS;', rolname)
              FROM pg_roles WHERE rolname IN (SELECT rolname FROM guarded_roles) AND rolbypassrls",
    },
    Rule {
        name: "role_admin_attributes",
        summary: "a guarded role that can create roles or databases, or replicate",
        sql: "SELECT rolname,
                     format('has %s: it can mint a role or a copy of the data that escapes RLS',
                            concat_ws(', ', CASE WHEN rolcreaterole THEN 'CREATEROLE' END, CASE WHEN rolcreatedb THEN 'CREATEDB' END,
                                      CASE WHEN rolreplication THEN 'REPLICATION' END)),
                     format('ALTER ROLE %I NOCREATEROLE NOCREATEDB NOREPLICATION;', rolname)
              FROM pg_roles WHERE rolname IN (SELECT rolname FROM guarded_roles) AND (rolcreaterole OR rolcreatedb OR rolreplication)",
    },
    Rule {
        name: "role_member_of_role",
        summary: "a guarded role that is a member of another role",
        sql: "SELECT g.rolname, format('is a member of %s: SET ROLE %s takes its rights, and any exemption it has', m.roleid::regrole, m.roleid::regrole),
                     format('REVOKE %s FROM %I;', m.roleid::regrole, g.rolname)
              FROM pg_auth_members m JOIN guarded_roles g ON g.oid = m.member",
    },
    Rule {
        name: "role_owns_object",
        summary: "a guarded role that owns an object",
        sql: "SELECT pg_describe_object(s.classid, s.objid, s.objsubid),
                     format('owned by %s: an owner can disable or drop the policies that bind it', g.rolname),
                     format('ALTER ... OWNER TO tenantbase_owner; (or REASSIGN OWNED BY %I TO tenantbase_owner;)', g.rolname)
              FROM pg_shdepend s JOIN guarded_roles g ON g.oid = s.refobjid
              WHERE s.deptype = 'o' AND s.dbid IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))",
    },
    Rule {
        name: "owned_by_superuser",
        summary: "a schema, table, view, sequence, function or type owned by a superuser",
        sql: "SELECT pg_describe_object(o.classid, o.objid, 0),
                     format('owned by the superuser %s: its definer code, and whatever that code reaches, runs with every right, beyond the grants of tenantbase_owner', o.owner::regrole),
                     format('ALTER %s %s OWNER TO tenantbase_owner; (tenantbase_platform for a platform definer function)', o.kind, o.name)
              FROM (SELECT 'pg_namespace'::regclass, oid, nspowner, oid, 'SCHEMA', quote_ident(nspname) FROM pg_namespace
                    UNION ALL
                    SELECT 'pg_class'::regclass, oid, relowner, relnamespace,
                           CASE relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE'
                                        WHEN 'S' THEN 'SEQUENCE' WHEN 'c' THEN 'TYPE' ELSE 'TABLE' END, oid::regclass::text
                    FROM pg_class WHERE relkind IN ('r', 'p', 'v', 'm', 'f', 'S', 'c')
                    UNION ALL
                    SELECT 'pg_proc'::regclass, oid, proowner, pronamespace,
                           CASE prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END, oid::regprocedure::text
                    FROM pg_proc
                    UNION ALL
                    SELECT 'pg_type'::regclass, oid, typowner, typnamespace, CASE typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, oid::regtype::text
                    FROM pg_type WHERE typtype IN ('d', 'e', 'r')) AS o (classid, objid, owner, namespace, kind, name)
              JOIN pg_namespace n ON n.oid = o.namespace
              JOIN pg_roles r ON r.oid = o.owner
              WHERE r.rolsuper AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'
                AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = o.classid AND d.objid = o.objid AND d.deptype = 'e')",
    },
    Rule {
        name: "role_excess_privilege",
        summary: "TRUNCATE, REFERENCES, TRIGGER or DDL (CREATE on the database or a schema, TEMPORARY) held by a guarded role",
        sql: "SELECT r.name, format('%s holds %s on it: %s', g.rolname, x.privileges, 'TRUNCATE ignores RLS, REFERENCES is an existence oracle, TRIGGER runs code as the writer'),
                     format('REVOKE %s ON %s FROM %I;', x.privileges, r.name, g.rolname)
              FROM user_relations r CROSS JOIN guarded_roles g
              CROSS JOIN LATERAL (SELECT string_agg(p, ', ') AS privileges FROM unnest(ARRAY['TRUNCATE', 'REFERENCES', 'TRIGGER']) p
                                  WHERE CASE p WHEN 'REFERENCES' THEN has_any_column_privilege(g.oid, r.oid, p)
                                               ELSE has_table_privilege(g.oid, r.oid, p) END) AS x
              WHERE r.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT r.relispartition AND x.privileges IS NOT NULL
              UNION ALL
              SELECT format('database %I', current_database()), format('%s may CREATE schemas in the database (DDL)', g.rolname),
                     format('REVOKE CREATE ON DATABASE %I FROM %I; (and from PUBLIC)', current_database(), g.rolname)
              FROM guarded_roles g WHERE has_database_privilege(g.oid, current_database(), 'CREATE')
              UNION ALL
              SELECT format('database %I', current_database()),
                     format('%s may create TEMPORARY objects (DDL): a temporary table shadows a real one wherever a search_path does not name pg_temp last', g.rolname),
                     format('REVOKE TEMPORARY ON DATABASE %I FROM %I; (and from PUBLIC)', current_database(), g.rolname)
              FROM guarded_roles g WHERE has_database_privilege(g.oid, current_database(), 'TEMPORARY')
              UNION ALL
              SELECT format('schema %I', n.nspname), format('%s may CREATE objects in it (DDL): a planted function or table shadows the real one', g.rolname),
                     format('REVOKE CREATE ON SCHEMA %I FROM %I; (and from PUBLIC)', n.nspname, g.rolname)
              FROM pg_namespace n CROSS JOIN guarded_roles g
              WHERE n.nspname NOT IN ('information_schema') AND n.nspname !~ '^pg_(toast|temp)'
                AND has_schema_privilege(g.oid, n.oid, 'CREATE')",
    },
    Rule {
        name: "role_reaches_partition",
        summary: "a privilege on a partition, which must be reached only through its parent",
        sql: "SELECT r.name, format('%s holds %s on this partition: its parent''s policies do not apply to direct access', g.rolname, x.privileges),
                     format('REVOKE ALL ON %s FROM %I;', r.name, g.rolname)
              FROM user_relations r CROSS JOIN guarded_roles g
              CROSS JOIN LATERAL (SELECT string_agg(p, ', ') AS privileges
                                  FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
                                  WHERE CASE WHEN p IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES') THEN has_any_column_privilege(g.oid, r.oid, p)
                                             ELSE has_table_privilege(g.oid, r.oid, p) END) AS x
              WHERE r.relispartition AND x.privileges IS NOT NULL",
    },
    Rule {
        name: "role_reaches_tenant_table",
        summary: "a privilege on a tenant table held by a guarded role whose job runs no tenant SQL (the account role)",
        sql: "SELECT t.name, format('%s holds %s on it, but its job runs no tenant SQL: it works through definer functions only', g.rolname, x.privileges),
                     format('REVOKE ALL ON %s FROM %I;', t.name, g.rolname)
              FROM tenant_tables t CROSS JOIN guarded_roles g
              CROSS JOIN LATERAL (SELECT string_agg(p, ', ') AS privileges
                                  FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
                                  WHERE CASE WHEN p IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES') THEN has_any_column_privilege(g.oid, t.oid, p)
                                             ELSE has_table_privilege(g.oid, t.oid, p) END) AS x
              WHERE NOT g.tenant_sql AND NOT t.is_partition AND x.privileges IS NOT NULL",
    },
    Rule {
        name: "writable_without_rls",
        summary: "a table without row-level security that a guarded role can write",
        sql: "SELECT r.name, format('%s can write it and it has no row-level security: nothing ties its rows to a tenant', string_agg(g.rolname, ', ')),
                     format('give it a tenant_id and SELECT tenancy.isolate(%L, ''<resource>''); or REVOKE INSERT, UPDATE, DELETE ON %s FROM %s;',
                            r.name, r.name, string_agg(quote_ident(g.rolname), ', '))
              FROM user_relations r CROSS JOIN guarded_roles g
              WHERE r.relkind IN ('r', 'p') AND NOT r.relispartition AND NOT r.relrowsecurity
                AND (has_any_column_privilege(g.oid, r.oid, 'INSERT') OR has_any_column_privilege(g.oid, r.oid, 'UPDATE')
                     OR has_table_privilege(g.oid, r.oid, 'DELETE'))
              GROUP BY r.name",
    },
    Rule {
        name: "database_open_to_public",
        summary: "a privilege on the database held by PUBLIC (CONNECT and TEMPORARY unless revoked)",
        sql: "SELECT format('database %I', d.datname),
                     format('PUBLIC holds %s on it: every role of the cluster does, not only tenantbase''s', string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type)),
                     format('REVOKE ALL ON DATABASE %I FROM PUBLIC; GRANT CONNECT ON DATABASE %I TO %s; (tenantbase migrate does)',
                            d.datname, d.datname, (SELECT string_agg(quote_ident(rolname), ', ' ORDER BY rolname) FROM guarded_roles))
              FROM pg_database d CROSS JOIN LATERAL aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
              WHERE d.datname = current_database() AND a.grantee = 0
              GROUP BY d.datname",
    },
    Rule {
        name: "session_sql_readable",
        summary: "a guarded role that can read other sessions' SQL (which carries their signed context)",
        sql: "SELECT g.rolname, 'can read the SQL text of other sessions (pg_stat_activity), which carries their signed tenant context',
                     'REVOKE EXECUTE ON FUNCTION pg_catalog.pg_stat_get_activity(integer), pg_catalog.pg_stat_get_backend_activity(integer) FROM PUBLIC; (tenantbase migrate does)'
              FROM guarded_roles g
              WHERE has_function_privilege(g.oid, 'pg_catalog.pg_stat_get_activity(integer)', 'EXECUTE')
                 OR has_function_privilege(g.oid, 'pg_catalog.pg_stat_get_backend_activity(integer)', 'EXECUTE')",
    },
    Rule {
        name: "context_key_readable",
        summary: "a guarded role that can read the key signing tenant contexts",
        sql: "SELECT 'platform.context_keys', format('%s can read the key that signs tenant contexts: it could act as any tenant', string_agg(g.rolname, ', ')),
                     format('REVOKE ALL ON platform.context_keys FROM %s;', string_agg(quote_ident(g.rolname), ', '))
              FROM guarded_roles g
              WHERE to_regclass('platform.context_keys') IS NOT NULL
                AND has_any_column_privilege(g.oid, to_regclass('platform.context_keys'), 'SELECT')
              HAVING count(*) > 0",
    },
    // One rule, one file: the rules below are SQL files under src/isolation/rules/.
    Rule {
        name: "verifier_library_missing",
        summary: "a C function (the compiled context verifier) whose library file this server cannot find",
        sql: include_str!("rules/verifier_library_missing.sql"),
    },
];

/// Runs every rule in one read-only transaction; findings sorted by object, then rule.
pub async fn run(client: &Client) -> Result<Vec<Finding>> {
    run_expecting(client, ROLES).await
}

/// [`run`] against another list of expected roles: roles are cluster-wide, so a
/// test proves `role_not_as_designed` by expecting what the cluster lacks.
pub async fn run_expecting(client: &Client, roles: &[Role]) -> Result<Vec<Finding>> {
    client.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL search_path = pg_catalog").await?;
    let catalog = catalog_sql(roles);
    let mut findings = Vec::new();
    for rule in RULES {
        let rows = client
            .query(&format!("{catalog}{}", rule.sql), &[])
            .await
            .with_context(|| format!("check rule {}", rule.name))?;
        findings.extend(rows.iter().map(|row| Finding {
            object: row.get(0),
            rule: rule.name.to_string(),
            problem: row.get(1),
            fix: row.get(2),
        }));
    }
    client.batch_execute("COMMIT").await?;
    findings.sort_by(|a, b| (&a.object, &a.rule).cmp(&(&b.object, &b.rule)));
    Ok(findings)
}
