-- Isolation, done once: tenancy.isolate() gives any tenant table forced RLS,
-- one policy per command built from the helpers below, the updated_at trigger
-- and the role grants. Every tenant table of every module goes through it.

INSERT INTO tenancy.permissions (resource, action, description) VALUES
    ('*', '*', 'everything'),
    ('*', 'read', 'read everything'),
    ('tenant', 'update', 'change the tenant profile'),
    ('members', '*', 'manage members'),
    ('roles', '*', 'manage custom roles'),
    ('api_keys', '*', 'manage API keys'),
    ('content', '*', 'manage content'),
    ('content', 'publish', 'publish content'),
    ('work', '*', 'manage projects and their work'),
    ('work', 'approve', 'answer approval requests'),
    ('agents', '*', 'manage AI tasks and conversations'),
    ('agents', 'run', 'run AI agents'),
    ('commerce', '*', 'manage stores, products, customers and orders'),
    ('analytics', '*', 'record and read analytics'),
    ('audit', 'read', 'read the audit log');

INSERT INTO tenancy.system_role_permissions (role, permission_id)
SELECT r.role::tenancy.member_role, p.id
FROM (VALUES ('owner', '*', '*'), ('admin', '*', '*'),
             ('member', '*', 'read'), ('member', 'content', '*'), ('member', 'work', '*'),
             ('member', 'agents', '*'), ('member', 'commerce', '*'), ('member', 'analytics', '*'),
             ('viewer', '*', 'read')) AS r (role, resource, action)
JOIN tenancy.permissions p USING (resource, action);

CREATE FUNCTION tenancy.current_member_role() RETURNS tenancy.member_role
    LANGUAGE sql STABLE
    AS $$
    SELECT m.role FROM tenancy.memberships m
    WHERE m.tenant_id = tenancy.current_tenant_id()
      AND m.user_id = tenancy.current_user_id()
      AND m.status = 'active'
$$;
COMMENT ON FUNCTION tenancy.current_member_role() IS
    'The acting user''s role in the acting tenant, NULL when not an active member.';

CREATE FUNCTION tenancy.has_permission(p_resource text, p_action text) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
    SELECT EXISTS (
        SELECT 1
        FROM tenancy.memberships m
        WHERE m.tenant_id = tenancy.current_tenant_id()
          AND m.user_id = tenancy.current_user_id()
          AND m.status = 'active'
          AND (EXISTS (SELECT 1
                       FROM tenancy.system_role_permissions s
                       JOIN tenancy.permissions p ON p.id = s.permission_id
                       WHERE s.role = m.role
                         AND p.resource IN (p_resource, '*') AND p.action IN (p_action, '*'))
               OR EXISTS (SELECT 1
                          FROM tenancy.user_roles ur
                          JOIN tenancy.role_permissions rp ON (rp.tenant_id, rp.role_id) = (ur.tenant_id, ur.role_id)
                          JOIN tenancy.permissions p ON p.id = rp.permission_id
                          WHERE ur.tenant_id = m.tenant_id AND ur.user_id = m.user_id
                            AND p.resource IN (p_resource, '*') AND p.action IN (p_action, '*'))))
$$;
COMMENT ON FUNCTION tenancy.has_permission(text, text) IS
    'Whether the acting user may do p_action on p_resource in the acting tenant, through its membership role or a custom role.';

CREATE FUNCTION tenancy.isolate(tbl regclass, resource text, tenant_column name DEFAULT 'tenant_id') RETURNS void
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

    -- Every change is recorded in the audit log (not the log's own, nor a partition's twice).
    PERFORM audit.track_changes(tbl, resource, tenant_column);

    IF NOT is_partition THEN
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO tenantbase_app, tenantbase_platform', tbl);
        EXECUTE format('GRANT SELECT ON %s TO tenantbase_readonly', tbl);
    END IF;
END
$$;
COMMENT ON FUNCTION tenancy.isolate(regclass, text, name) IS
    'Applies tenant isolation to a table: forced RLS, one policy per command, updated_at trigger, grants.';
REVOKE EXECUTE ON FUNCTION tenancy.isolate(regclass, text, name) FROM tenantbase_app, tenantbase_readonly, tenantbase_platform;

SELECT tenancy.isolate('tenancy.tenants', 'tenant', 'id');
SELECT tenancy.isolate('tenancy.memberships', 'members');
SELECT tenancy.isolate('tenancy.roles', 'roles');
SELECT tenancy.isolate('tenancy.role_permissions', 'roles');
SELECT tenancy.isolate('tenancy.user_roles', 'roles');
SELECT tenancy.isolate('tenancy.api_keys', 'api_keys');

-- Tenants are created and deleted by platform functions only; the app edits the
-- profile, never the credits (business rules own those).
REVOKE INSERT, UPDATE, DELETE ON tenancy.tenants FROM tenantbase_app;
GRANT UPDATE (name, description, website_url, domain, timezone, currency, branding_config, settings,
              ai_preferences, billing_email, billing_address) ON tenancy.tenants TO tenantbase_app;

-- Memberships: only an owner makes an owner, and a tenant keeps at least one active owner.
CREATE FUNCTION tenancy.guard_owners() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    by_platform boolean := current_user = 'tenantbase_platform'
                           OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user);
BEGIN
    IF TG_OP <> 'DELETE' AND NEW.role = 'owner' AND (TG_OP = 'INSERT' OR OLD.role <> 'owner')
       AND NOT by_platform AND tenancy.current_member_role() IS DISTINCT FROM 'owner' THEN
        RAISE EXCEPTION 'only an owner can make an owner'
            USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'memberships_owner_grant';
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.role = 'owner' AND OLD.status = 'active'
       AND (TG_OP = 'DELETE' OR NEW.role <> 'owner' OR NEW.status <> 'active') THEN
        PERFORM pg_advisory_xact_lock(hashtextextended(OLD.tenant_id::text, 0));
        IF EXISTS (SELECT 1 FROM tenancy.tenants WHERE id = OLD.tenant_id)
           AND NOT EXISTS (SELECT 1 FROM tenancy.memberships
                           WHERE tenant_id = OLD.tenant_id AND id <> OLD.id
                             AND role = 'owner' AND status = 'active') THEN
            RAISE EXCEPTION 'a tenant keeps at least one active owner'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'memberships_last_owner';
        END IF;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER guard_owners BEFORE INSERT OR UPDATE OR DELETE ON tenancy.memberships
    FOR EACH ROW EXECUTE FUNCTION tenancy.guard_owners();

-- Global tables have their own policies: a user sees itself and the members of
-- the acting tenant, and only its own sessions.
ALTER TABLE tenancy.users ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY users_select ON tenancy.users FOR SELECT USING (
    id = (SELECT tenancy.current_user_id())
    OR id IN (SELECT m.user_id FROM tenancy.memberships m
              WHERE m.tenant_id = (SELECT tenancy.current_tenant_id())));
CREATE POLICY users_insert ON tenancy.users FOR INSERT WITH CHECK (id = (SELECT tenancy.current_user_id()));
CREATE POLICY users_update ON tenancy.users FOR UPDATE
    USING (id = (SELECT tenancy.current_user_id())) WITH CHECK (id = (SELECT tenancy.current_user_id()));
CREATE POLICY users_delete ON tenancy.users FOR DELETE USING (id = (SELECT tenancy.current_user_id()));
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON tenancy.users
    FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();
-- No password hash or lockout state for the app: credentials go through platform functions.
GRANT SELECT (id, email, full_name, display_name, avatar_url, bio, timezone, status, onboarding_completed,
              is_verified, last_login_at, last_active_at, preferences, notification_settings,
              created_at, updated_at, deleted_at) ON tenancy.users TO tenantbase_app, tenantbase_readonly;
GRANT UPDATE (full_name, display_name, avatar_url, bio, timezone, onboarding_completed, last_active_at,
              preferences, notification_settings) ON tenancy.users TO tenantbase_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON tenancy.users TO tenantbase_platform;

ALTER TABLE tenancy.sessions ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY sessions_select ON tenancy.sessions FOR SELECT USING (user_id = (SELECT tenancy.current_user_id()));
CREATE POLICY sessions_insert ON tenancy.sessions FOR INSERT WITH CHECK (user_id = (SELECT tenancy.current_user_id()));
CREATE POLICY sessions_update ON tenancy.sessions FOR UPDATE
    USING (user_id = (SELECT tenancy.current_user_id())) WITH CHECK (user_id = (SELECT tenancy.current_user_id()));
CREATE POLICY sessions_delete ON tenancy.sessions FOR DELETE USING (user_id = (SELECT tenancy.current_user_id()));
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON tenancy.sessions
    FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();
GRANT SELECT (id, user_id, active_tenant_id, started_at, last_seen_at, expires_at, ended_at, ip_address,
              user_agent, activity_data, created_at, updated_at) ON tenancy.sessions TO tenantbase_app, tenantbase_readonly;
GRANT UPDATE (active_tenant_id, last_seen_at, ended_at, activity_data) ON tenancy.sessions TO tenantbase_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON tenancy.sessions TO tenantbase_platform;

-- Global catalogs hold no tenant data: readable, never writable, by the app.
GRANT SELECT ON tenancy.permissions, tenancy.system_role_permissions
    TO tenantbase_app, tenantbase_readonly, tenantbase_platform;
