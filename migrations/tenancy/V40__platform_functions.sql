-- Platform work crosses tenants: creating a tenant with its first owner, signing
-- up a user, listing a user's tenants. It runs only through these SECURITY
-- DEFINER functions, owned by tenantbase_platform (BYPASSRLS, NOLOGIN); each
-- checks its caller's context itself. The app role never bypasses RLS.

GRANT CREATE ON SCHEMA platform TO tenantbase_platform;

CREATE FUNCTION platform.create_user(p_email citext, p_full_name text, p_password_hash text)
    RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    new_id uuid;
BEGIN
    -- An invited (pending) user claims its account by signing up.
    INSERT INTO tenancy.users AS u (email, full_name, password_hash, status)
    VALUES (p_email, p_full_name, p_password_hash,
            CASE WHEN p_password_hash IS NULL THEN 'pending' ELSE 'active' END::tenancy.user_status)
    ON CONFLICT (email) DO UPDATE
        SET full_name = coalesce(EXCLUDED.full_name, u.full_name), password_hash = EXCLUDED.password_hash,
            status = EXCLUDED.status, password_changed_at = now()
        WHERE u.status = 'pending' AND EXCLUDED.password_hash IS NOT NULL
    RETURNING id INTO new_id;
    IF new_id IS NULL THEN
        RAISE EXCEPTION 'a user with this email exists' USING ERRCODE = 'unique_violation', CONSTRAINT = 'users_email_key';
    END IF;
    UPDATE tenancy.memberships SET status = 'active', joined_at = now()
    WHERE user_id = new_id AND status = 'invited' AND p_password_hash IS NOT NULL;
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION platform.create_user(citext, text, text) IS
    'tenantbase:platform Sign-up: a new global identity (pending until it has a password); an invited user claims its account.';

CREATE FUNCTION platform.create_tenant(p_name text, p_slug citext, p_plan tenancy.plan, p_owner uuid)
    RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    new_id uuid;
BEGIN
    IF p_owner IS NULL THEN
        RAISE EXCEPTION 'a tenant needs an owner' USING ERRCODE = 'not_null_violation';
    END IF;
    INSERT INTO tenancy.tenants (name, slug, plan, created_by)
    VALUES (p_name, p_slug, p_plan, p_owner)
    RETURNING id INTO new_id;
    INSERT INTO tenancy.memberships (tenant_id, user_id, role, status, joined_at)
    VALUES (new_id, p_owner, 'owner', 'active', now());
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION platform.create_tenant(text, citext, tenancy.plan, uuid) IS
    'Platform operators only: a tenant and its first owner, in one transaction.';

CREATE FUNCTION platform.create_my_tenant(p_name text, p_slug citext)
    RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    acting uuid := tenancy.current_user_id();
BEGIN
    IF acting IS NULL OR NOT EXISTS (SELECT 1 FROM tenancy.users WHERE id = acting AND status = 'active') THEN
        RAISE EXCEPTION 'creating a tenant needs an active acting user' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN platform.create_tenant(p_name, p_slug, 'free', acting);
END
$$;
COMMENT ON FUNCTION platform.create_my_tenant(text, citext) IS
    'The acting user creates a tenant and becomes its owner.';

CREATE FUNCTION platform.my_tenants()
    RETURNS TABLE (tenant_id uuid, name text, slug citext, role tenancy.member_role)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT t.id, t.name, t.slug, m.role
    FROM tenancy.memberships m
    JOIN tenancy.tenants t ON t.id = m.tenant_id
    WHERE m.user_id = tenancy.current_user_id()
      AND m.status = 'active'
      AND t.deleted_at IS NULL
    ORDER BY t.name
$$;
COMMENT ON FUNCTION platform.my_tenants() IS
    'The tenants the acting user is an active member of: the one cross-tenant read a user may make.';

ALTER FUNCTION platform.create_user(citext, text, text) OWNER TO tenantbase_platform;
ALTER FUNCTION platform.create_tenant(text, citext, tenancy.plan, uuid) OWNER TO tenantbase_platform;
ALTER FUNCTION platform.create_my_tenant(text, citext) OWNER TO tenantbase_platform;
ALTER FUNCTION platform.my_tenants() OWNER TO tenantbase_platform;
REVOKE ALL ON FUNCTION platform.create_user(citext, text, text), platform.create_tenant(text, citext, tenancy.plan, uuid),
                       platform.create_my_tenant(text, citext), platform.my_tenants() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.create_user(citext, text, text), platform.create_my_tenant(text, citext),
                          platform.my_tenants() TO tenantbase_app;
