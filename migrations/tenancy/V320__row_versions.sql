-- Row versions: every tenant row the app may change carries a `row_version` the
-- database keeps (1 when inserted, one more at every update, whoever writes), so
-- a client can say "change it only if it is still the row I read" (the API's
-- ETag and If-Match). Not xmin: a version survives dump and restore and VACUUM
-- FREEZE, and says "changed since" rather than "which transaction wrote". Named
-- row_version: requirements and decisions have a `version` of their own (an edition).

CREATE FUNCTION tenancy.bump_version() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.row_version := OLD.row_version + 1;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION tenancy.bump_version() IS
    'Trigger: the row''s version is one more than the version it replaces, whatever the UPDATE set.';

CREATE FUNCTION tenancy.keep_row_version(tbl regclass) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ADD COLUMN IF NOT EXISTS row_version bigint NOT NULL DEFAULT 1', tbl);
    EXECUTE format('CREATE OR REPLACE TRIGGER bump_version BEFORE UPDATE ON %s
                    FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version()', tbl);
END
$$;
COMMENT ON FUNCTION tenancy.keep_row_version(regclass) IS
    'Gives a table the row_version column the database maintains (tenancy.bump_version); called by tenancy.isolate.';
REVOKE EXECUTE ON FUNCTION tenancy.bump_version() FROM tenantbase_app, tenantbase_readonly, tenantbase_platform;
REVOKE EXECUTE ON FUNCTION tenancy.keep_row_version(regclass) FROM tenantbase_app, tenantbase_readonly, tenantbase_platform;

-- tenancy.isolate, as before, now also keeping the row version of the tables it isolates.
CREATE OR REPLACE FUNCTION tenancy.isolate(tbl regclass, resource text, tenant_column name DEFAULT 'tenant_id') RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    same_tenant text := format('%I = (SELECT tenancy.current_tenant_id())', tenant_column);
    may text := 'AND (SELECT tenancy.has_permission(%L, %L))';
    -- A partition gets the same policies, but no trigger (its parent's is cloned onto it)
    -- and no grants: the app reaches partitions only through their parent.
    is_partition boolean := (SELECT relispartition FROM pg_class WHERE oid = tbl);
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', tbl);

    EXECUTE format('DROP POLICY IF EXISTS tenant_select ON %s', tbl);
    EXECUTE format('DROP POLICY IF EXISTS tenant_insert ON %s', tbl);
    EXECUTE format('DROP POLICY IF EXISTS tenant_update ON %s', tbl);
    EXECUTE format('DROP POLICY IF EXISTS tenant_delete ON %s', tbl);
    EXECUTE format('CREATE POLICY tenant_select ON %s FOR SELECT USING (%s)', tbl, same_tenant);
    EXECUTE format('CREATE POLICY tenant_insert ON %s FOR INSERT WITH CHECK (%s %s)',
                   tbl, same_tenant, format(may, resource, 'create'));
    EXECUTE format('CREATE POLICY tenant_update ON %s FOR UPDATE USING (%s %s) WITH CHECK (%s)',
                   tbl, same_tenant, format(may, resource, 'update'), same_tenant);
    EXECUTE format('CREATE POLICY tenant_delete ON %s FOR DELETE USING (%s %s)',
                   tbl, same_tenant, format(may, resource, 'delete'));

    IF NOT is_partition AND EXISTS (SELECT 1 FROM pg_attribute
                                    WHERE attrelid = tbl AND attname = 'updated_at' AND NOT attisdropped) THEN
        EXECUTE format('CREATE OR REPLACE TRIGGER touch_updated_at BEFORE UPDATE ON %s
                        FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at()', tbl);
    END IF;

    -- The audit log is append-only and its entries are hashed whole: no version there.
    IF NOT is_partition AND (SELECT n.nspname <> 'audit' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                             WHERE c.oid = tbl) THEN
        PERFORM tenancy.keep_row_version(tbl);
    END IF;

    -- Every change is recorded in the audit log (not the log's own, nor a partition's twice).
    PERFORM audit.track_changes(tbl, resource, tenant_column);

    IF NOT is_partition THEN
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO tenantbase_app, tenantbase_platform', tbl);
        EXECUTE format('GRANT SELECT ON %s TO tenantbase_readonly', tbl);
    END IF;
END
$$;
COMMENT ON FUNCTION tenancy.isolate(regclass, text, name) IS
    'Applies tenant isolation to a table: forced RLS, one policy per command, updated_at trigger, row version, grants.';

-- Every table isolated so far, as tenancy.isolate now does it.
SELECT tenancy.keep_row_version(c.oid)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname <> 'audit'
  AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_select')
ORDER BY c.oid::regclass::text;
