-- tenancy.has_permission guards every write policy (and reading the audit log).
-- As an SQL function over RLS-protected tables it was planned anew in every
-- statement that called it, and each table it read verified the signed context
-- again through its own policy: about 0.7 ms per write statement (measured with
-- pgbench, one call per transaction). Now it is PL/pgSQL, whose plans live for
-- the session, and SECURITY DEFINER as tenantbase_platform: it verifies the
-- context once and reads the caller's own membership and roles with an
-- explicit tenant filter instead of through RLS.
CREATE OR REPLACE FUNCTION tenancy.has_permission(p_resource text, p_action text) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    acting_tenant uuid := tenancy.current_tenant_id();
    -- Verified together with the tenant: the signature covers both settings.
    acting_user uuid := CASE WHEN acting_tenant IS NOT NULL THEN nullif(current_setting('app.user_id', true), '')::uuid END;
BEGIN
    IF acting_user IS NULL THEN
        RETURN false;
    END IF;
    RETURN EXISTS (
        SELECT 1
        FROM tenancy.memberships m
        WHERE m.tenant_id = acting_tenant
          AND m.user_id = acting_user
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
                          WHERE ur.tenant_id = acting_tenant AND ur.user_id = acting_user
                            AND p.resource IN (p_resource, '*') AND p.action IN (p_action, '*'))));
END
$$;
COMMENT ON FUNCTION tenancy.has_permission(text, text) IS
    'Whether the acting user may do p_action on p_resource in the acting tenant, through its membership role or a custom role. Answers only about the caller''s own verified context.';
SELECT tenancy.give_to_platform('tenancy.has_permission(text, text)');
-- Every role acting under RLS evaluates the write policies that call it.
GRANT EXECUTE ON FUNCTION tenancy.has_permission(text, text) TO PUBLIC;
