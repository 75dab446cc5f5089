-- Invitations that must be accepted. Before, inviting an email made a pending user
-- with an 'invited' membership that sign-up activated: whoever registered that
-- email first became a member with the invited role (an admin, say) and could mint
-- an admin API key. Now an invitation is a row of its own carrying the SHA-256 of a
-- random token that the inviter receives once and delivers out of band; only the
-- holder of the token joins, by accepting it through platform.accept_invitation
-- (the account role only). An email alone grants nothing.

CREATE TABLE tenancy.invitations (
    tenant_id   uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    -- Where the inviter sends the token; whoever holds the token may accept it.
    email       citext NOT NULL
                CONSTRAINT invitations_email_format CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' AND length(email) <= 320),
    role        tenancy.member_role NOT NULL,
    -- Never the token itself.
    token_hash  bytea NOT NULL CONSTRAINT invitations_token_hash_sha256 CHECK (length(token_hash) = 32),
    invited_by  uuid NOT NULL REFERENCES tenancy.users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    accepted_at timestamptz,
    accepted_by uuid REFERENCES tenancy.users (id),
    revoked_at  timestamptz,
    revoked_by  uuid REFERENCES tenancy.users (id),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT invitations_token_hash_key UNIQUE (token_hash),
    CONSTRAINT invitations_valid_expiry CHECK (expires_at > created_at),
    CONSTRAINT invitations_accepted_by_someone CHECK ((accepted_at IS NULL) = (accepted_by IS NULL)),
    CONSTRAINT invitations_revoked_by_someone CHECK ((revoked_at IS NULL) = (revoked_by IS NULL)),
    CONSTRAINT invitations_accepted_or_revoked CHECK (accepted_at IS NULL OR revoked_at IS NULL),
    CONSTRAINT invitations_accepted_before_expiry CHECK (accepted_at IS NULL OR accepted_at < expires_at)
);
COMMENT ON TABLE tenancy.invitations IS
    'Invitations to join a tenant: the SHA-256 of a one-time token, accepted by its holder (platform.accept_invitation).';
COMMENT ON INDEX tenancy.invitations_token_hash_key IS
    'tenantbase:an invitation is found by its token alone (its acceptor is no member yet); the SHA-256 of a 256-bit random token names nothing, and only its holder can present it';
-- The open invitations a tenant lists.
CREATE INDEX invitations_open_idx ON tenancy.invitations (tenant_id, created_at)
    WHERE accepted_at IS NULL AND revoked_at IS NULL;

SELECT tenancy.isolate('tenancy.invitations', 'members');
-- invited_by is stamped from the verified context; every user column names a member.
SELECT tenancy.members_only('tenancy.invitations');

-- The app creates pending invitations and revokes them; accepting is the platform
-- function's alone, and an invitation is history, never deleted.
REVOKE INSERT, UPDATE, DELETE ON tenancy.invitations FROM tenantbase_app;
GRANT INSERT (tenant_id, email, role, token_hash, expires_at) ON tenancy.invitations TO tenantbase_app;
GRANT UPDATE (revoked_at, revoked_by) ON tenancy.invitations TO tenantbase_app;

-- Accepting creates the membership as the platform, past tenancy.guard_owners: only
-- an owner may invite an owner.
CREATE FUNCTION tenancy.guard_owner_invitations() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.role = 'owner' AND NOT tenancy.acting_as_operator()
       AND tenancy.current_member_role() IS DISTINCT FROM 'owner' THEN
        RAISE EXCEPTION 'only an owner can invite an owner'
            USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'invitations_owner_grant';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION tenancy.guard_owner_invitations() IS
    'Trigger: refuses an invitation as owner unless the acting user is an owner of the tenant (or an operator acts).';
REVOKE EXECUTE ON FUNCTION tenancy.guard_owner_invitations() FROM tenantbase_app, tenantbase_readonly, tenantbase_platform;
CREATE TRIGGER guard_owner_invitations BEFORE INSERT ON tenancy.invitations
    FOR EACH ROW EXECUTE FUNCTION tenancy.guard_owner_invitations();

-- The holder of a token joins its tenant with the invited role. Account work across
-- tenants (the acceptor is no member yet): the account role calls it, with the
-- server's clock as p_now; the membership and the invitation's update are recorded
-- by the audit trigger, with the facts of the acceptor's signed context when there
-- is one. Each refusal raises before anything is written.
CREATE FUNCTION platform.accept_invitation(p_token_hash bytea, p_user uuid, p_now timestamptz)
    RETURNS TABLE (tenant_id uuid, name text, slug citext, role tenancy.member_role)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
#variable_conflict use_column
DECLARE
    invitation tenancy.invitations;
BEGIN
    -- Locked: of two acceptances of one token, the second finds it accepted.
    SELECT i.* INTO invitation
    FROM tenancy.invitations i JOIN tenancy.tenants t ON t.id = i.tenant_id
    WHERE i.token_hash = p_token_hash AND t.deleted_at IS NULL
    FOR UPDATE OF i;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no invitation has this token'
            USING ERRCODE = 'no_data_found', CONSTRAINT = 'invitations_token_known';
    END IF;
    IF invitation.accepted_at IS NOT NULL THEN
        RAISE EXCEPTION 'this invitation was already accepted'
            USING ERRCODE = 'object_not_in_prerequisite_state', CONSTRAINT = 'invitations_accepted_once';
    END IF;
    IF invitation.revoked_at IS NOT NULL THEN
        RAISE EXCEPTION 'this invitation was revoked'
            USING ERRCODE = 'object_not_in_prerequisite_state', CONSTRAINT = 'invitations_not_revoked';
    END IF;
    IF p_now >= invitation.expires_at THEN
        RAISE EXCEPTION 'this invitation has expired'
            USING ERRCODE = 'object_not_in_prerequisite_state', CONSTRAINT = 'invitations_not_expired';
    END IF;

    -- A former member (status 'left') comes back on the same membership row, and so
    -- does one invited the old way ('invited', which nothing activates any more).
    INSERT INTO tenancy.memberships AS m (tenant_id, user_id, role, status, invited_by, invited_at, joined_at)
    VALUES (invitation.tenant_id, p_user, invitation.role, 'active', invitation.invited_by, invitation.created_at, p_now)
    ON CONFLICT ON CONSTRAINT memberships_one_per_user DO UPDATE
        SET role = EXCLUDED.role, status = 'active', invited_by = EXCLUDED.invited_by,
            invited_at = EXCLUDED.invited_at, joined_at = EXCLUDED.joined_at, left_at = NULL
        WHERE m.status IN ('left', 'invited');
    IF NOT FOUND THEN
        RAISE EXCEPTION 'already a member of this tenant'
            USING ERRCODE = 'unique_violation', CONSTRAINT = 'memberships_one_per_user';
    END IF;
    UPDATE tenancy.invitations i SET accepted_at = p_now, accepted_by = p_user
    WHERE i.tenant_id = invitation.tenant_id AND i.id = invitation.id;

    RETURN QUERY SELECT t.id, t.name, t.slug, invitation.role FROM tenancy.tenants t WHERE t.id = invitation.tenant_id;
END
$$;
COMMENT ON FUNCTION platform.accept_invitation(bytea, uuid, timestamptz) IS
    'tenantbase:platform Invitations (account role): the holder of an open invitation''s token joins its tenant with the invited role; the token, not the caller''s tenant, is the authority.';
ALTER FUNCTION platform.accept_invitation(bytea, uuid, timestamptz) OWNER TO tenantbase_platform;
REVOKE ALL ON FUNCTION platform.accept_invitation(bytea, uuid, timestamptz) FROM PUBLIC, tenantbase_app, tenantbase_readonly;
GRANT EXECUTE ON FUNCTION platform.accept_invitation(bytea, uuid, timestamptz) TO tenantbase_account;
