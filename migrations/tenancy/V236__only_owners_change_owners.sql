-- Only an owner changes or removes an owner. An admin could demote or remove an
-- owner as long as another owner remained; the last-owner rule alone did not stop
-- an admin from taking the tenant over from all but one owner. (A tenant's own
-- deletion cascades to its memberships: its rows are gone by then, and the rules
-- do not apply.)
CREATE OR REPLACE FUNCTION tenancy.guard_owners() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    by_platform boolean := current_user = 'tenantbase_platform'
                           OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user);
    owner_touched boolean := TG_OP <> 'INSERT' AND OLD.role = 'owner'
                             AND (TG_OP = 'DELETE' OR NEW.role <> 'owner' OR NEW.status <> OLD.status);
BEGIN
    IF TG_OP <> 'DELETE' AND NEW.role = 'owner' AND (TG_OP = 'INSERT' OR OLD.role <> 'owner')
       AND NOT by_platform AND tenancy.current_member_role() IS DISTINCT FROM 'owner' THEN
        RAISE EXCEPTION 'only an owner can make an owner'
            USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'memberships_owner_grant';
    END IF;
    IF owner_touched AND NOT by_platform AND tenancy.current_member_role() IS DISTINCT FROM 'owner'
       AND EXISTS (SELECT 1 FROM tenancy.tenants WHERE id = OLD.tenant_id) THEN
        RAISE EXCEPTION 'only an owner can change or remove an owner'
            USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'memberships_owner_change';
    END IF;
    IF owner_touched AND OLD.status = 'active' THEN
        PERFORM tenancy.lock_tenant(OLD.tenant_id);
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
