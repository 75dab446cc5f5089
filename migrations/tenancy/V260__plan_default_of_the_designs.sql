-- A new tenant's plan is the column's default, 'starter' (it was 'free', written
-- into platform.create_my_tenant). Why 'starter': docs/schema.md, "Vocabularies".
-- tenancy.plan already holds every design's plans, so no value is added here.

ALTER TABLE tenancy.tenants ALTER COLUMN plan SET DEFAULT 'starter';

-- A NULL plan takes the column's default, the one place that names it.
CREATE OR REPLACE FUNCTION platform.create_tenant(p_name text, p_slug citext, p_plan tenancy.plan, p_owner uuid)
    RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    new_id uuid;
BEGIN
    IF p_owner IS NULL THEN
        RAISE EXCEPTION 'a tenant needs an owner' USING ERRCODE = 'not_null_violation';
    END IF;
    IF p_plan IS NULL THEN
        INSERT INTO tenancy.tenants (name, slug, created_by) VALUES (p_name, p_slug, p_owner)
        RETURNING id INTO new_id;
    ELSE
        INSERT INTO tenancy.tenants (name, slug, plan, created_by) VALUES (p_name, p_slug, p_plan, p_owner)
        RETURNING id INTO new_id;
    END IF;
    INSERT INTO tenancy.memberships (tenant_id, user_id, role, status, joined_at)
    VALUES (new_id, p_owner, 'owner', 'active', now());
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION platform.create_tenant(text, citext, tenancy.plan, uuid) IS
    'Platform operators only: a tenant and its first owner, in one transaction; a NULL plan is the default plan.';

CREATE OR REPLACE FUNCTION platform.create_my_tenant(p_name text, p_slug citext)
    RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    acting uuid := tenancy.current_user_id();
BEGIN
    IF acting IS NULL OR NOT EXISTS (SELECT 1 FROM tenancy.users WHERE id = acting AND status = 'active') THEN
        RAISE EXCEPTION 'creating a tenant needs an active acting user' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN platform.create_tenant(p_name, p_slug, NULL, acting);
END
$$;
