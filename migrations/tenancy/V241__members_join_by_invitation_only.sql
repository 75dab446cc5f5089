-- A membership is created only by accepting an invitation (V240) or with a new
-- tenant's owner (platform.create_tenant). Before, an admin added any existing
-- account at once (INSERT into memberships), and sign-up activated the 'invited'
-- memberships of the email it registered.

-- The app changes a member's role and status, nothing else: no new rows, and a row
-- never moves to another user.
REVOKE INSERT, UPDATE ON tenancy.memberships FROM tenantbase_app;
GRANT UPDATE (role, status, left_at) ON tenancy.memberships TO tenantbase_app;
-- The app can no longer write invited_by at all; the platform functions that create
-- memberships say who invited (accepting: the invitation's inviter).
DROP TRIGGER stamp_acting_user ON tenancy.memberships;

-- Nor does a member who left come back by a status change: coming back is accepting
-- a new invitation. ('invited' rows are the old invitations: nothing activates them.)
CREATE FUNCTION tenancy.guard_membership_status() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF OLD.status IN ('left', 'invited') AND NEW.status NOT IN (OLD.status, 'left')
       AND current_user <> 'tenantbase_platform' AND NOT tenancy.acting_as_operator() THEN
        RAISE EXCEPTION 'a member joins, or comes back, by accepting an invitation'
            USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'memberships_joined_by_invitation';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION tenancy.guard_membership_status() IS
    'Trigger: refuses reactivating a membership that left (or was only invited) unless the platform does it (platform.accept_invitation).';
REVOKE EXECUTE ON FUNCTION tenancy.guard_membership_status() FROM tenantbase_app, tenantbase_readonly, tenantbase_platform;
CREATE TRIGGER guard_membership_status BEFORE UPDATE OF status ON tenancy.memberships
    FOR EACH ROW EXECUTE FUNCTION tenancy.guard_membership_status();

-- Invitations no longer create users.
DROP FUNCTION platform.user_for_invite(citext);

-- Sign-up grants nothing. It no longer activates 'invited' memberships, and it claims
-- a pending identity (one without a password) only when that identity is a member of
-- nothing: an operator's pending user that owns a tenant is not anyone's to register.
CREATE OR REPLACE FUNCTION platform.create_user(p_email citext, p_full_name text, p_password_hash text)
    RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    new_id uuid;
BEGIN
    INSERT INTO tenancy.users AS u (email, full_name, password_hash, status)
    VALUES (p_email, p_full_name, p_password_hash,
            CASE WHEN p_password_hash IS NULL THEN 'pending' ELSE 'active' END::tenancy.user_status)
    ON CONFLICT (email) DO UPDATE
        SET full_name = coalesce(EXCLUDED.full_name, u.full_name), password_hash = EXCLUDED.password_hash,
            status = EXCLUDED.status, password_changed_at = now()
        WHERE u.status = 'pending' AND EXCLUDED.password_hash IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM tenancy.memberships m
                          WHERE m.user_id = u.id AND m.status NOT IN ('left', 'invited'))
    RETURNING id INTO new_id;
    IF new_id IS NULL THEN
        RAISE EXCEPTION 'a user with this email exists' USING ERRCODE = 'unique_violation', CONSTRAINT = 'users_email_key';
    END IF;
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION platform.create_user(citext, text, text) IS
    'tenantbase:platform Sign-up (account role): a new global identity (pending until it has a password); it grants no membership and reads no tenant data.';
