-- Account work moves out of the tenant role's reach. Looking a user up by email,
-- opening a session for a user id, answering any (tenant, user) membership and
-- counting login failures act on whoever the arguments name: SQL injected into a
-- tenant request could call them (tenant A's viewer became tenant B's owner by
-- looking B's owner up and opening a session for them). They now belong to
-- tenantbase_account, a login role of their own that the server uses on a pool
-- of its own for fixed statements only, never for tenant SQL. tenantbase_app
-- keeps the functions that act for its verified user alone (platform.my_tenants,
-- platform.create_my_tenant).
--
-- The functions that read the time take it as an argument (the server's clock),
-- so lockout windows and session lifetimes are tested without waiting.

GRANT USAGE ON SCHEMA tenancy, platform, analytics TO tenantbase_account;

-- After p_max_failures consecutive failures the account locks for p_lock. A
-- failure after a lock has expired starts the count again.
CREATE FUNCTION platform.record_login_failure(p_user uuid, p_max_failures integer, p_lock interval, p_now timestamptz)
    RETURNS timestamptz
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    WITH counted AS (
        SELECT id, CASE WHEN locked_until <= p_now THEN 1 ELSE failed_login_attempts + 1 END AS failures
        FROM tenancy.users WHERE id = p_user
        FOR UPDATE)
    UPDATE tenancy.users u
    SET failed_login_attempts = c.failures,
        locked_until = CASE WHEN c.failures >= p_max_failures THEN p_now + p_lock
                            WHEN u.locked_until <= p_now THEN NULL
                            ELSE u.locked_until END
    FROM counted c
    WHERE u.id = c.id
    RETURNING u.locked_until
$$;
COMMENT ON FUNCTION platform.record_login_failure(uuid, integer, interval, timestamptz) IS
    'tenantbase:platform Login (account role): count a failed attempt and lock the account past the limit.';
DROP FUNCTION platform.record_login_failure(uuid, integer, interval);

CREATE FUNCTION platform.start_session(p_user uuid, p_token_hash bytea, p_ttl interval, p_ip inet, p_user_agent text,
                                       p_now timestamptz)
    RETURNS TABLE (session_id uuid, expires_at timestamptz)
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    UPDATE tenancy.users SET failed_login_attempts = 0, locked_until = NULL, last_login_at = p_now WHERE id = p_user;
    INSERT INTO tenancy.sessions (user_id, token_hash, expires_at, ip_address, user_agent, activity_data)
    VALUES (p_user, p_token_hash, p_now + p_ttl, p_ip, p_user_agent, jsonb_build_object('logins', 1))
    RETURNING id, expires_at
$$;
COMMENT ON FUNCTION platform.start_session(uuid, bytea, interval, inet, text, timestamptz) IS
    'tenantbase:platform Login (account role): after the server verified the password, open a session.';
DROP FUNCTION platform.start_session(uuid, bytea, interval, inet, text);

CREATE FUNCTION platform.authenticate_session(p_token_hash bytea, p_now timestamptz)
    RETURNS TABLE (session_id uuid, user_id uuid, expires_at timestamptz)
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    UPDATE tenancy.sessions s SET last_seen_at = p_now
    FROM tenancy.users u
    WHERE s.token_hash = p_token_hash AND s.ended_at IS NULL AND s.expires_at > p_now
      AND u.id = s.user_id AND u.status = 'active' AND u.deleted_at IS NULL
    RETURNING s.id, s.user_id, s.expires_at
$$;
COMMENT ON FUNCTION platform.authenticate_session(bytea, timestamptz) IS
    'tenantbase:platform Request path (account role): the live session a token hash names, if any; records when it was last seen.';
DROP FUNCTION platform.authenticate_session(bytea);

CREATE FUNCTION platform.end_session(p_token_hash bytea, p_now timestamptz)
    RETURNS boolean
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    WITH ended AS (
        UPDATE tenancy.sessions SET ended_at = p_now
        WHERE token_hash = p_token_hash AND ended_at IS NULL
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM ended)
$$;
COMMENT ON FUNCTION platform.end_session(bytea, timestamptz) IS 'tenantbase:platform Logout (account role).';
DROP FUNCTION platform.end_session(bytea);

CREATE FUNCTION platform.authenticate_api_key(p_tenant uuid, p_prefix text, p_now timestamptz)
    RETURNS TABLE (key_id uuid, key_hash bytea, scopes text[], acting_user uuid)
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    UPDATE tenancy.api_keys k SET last_used_at = p_now
    FROM tenancy.memberships m
    WHERE k.tenant_id = p_tenant AND k.prefix = p_prefix
      AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > p_now)
      AND m.tenant_id = k.tenant_id AND m.user_id = k.created_by AND m.status = 'active'
    RETURNING k.id, k.key_hash, k.scopes, k.created_by
$$;
COMMENT ON FUNCTION platform.authenticate_api_key(uuid, text, timestamptz) IS
    'tenantbase:platform Request path (account role): a live API key of a tenant by its public prefix; it acts as its creator, who must still be a member.';
DROP FUNCTION platform.authenticate_api_key(uuid, text);

DO $$
DECLARE
    fn regprocedure;
BEGIN
    FOREACH fn IN ARRAY ARRAY[
        'platform.record_login_failure(uuid, integer, interval, timestamptz)',
        'platform.start_session(uuid, bytea, interval, inet, text, timestamptz)',
        'platform.authenticate_session(bytea, timestamptz)', 'platform.end_session(bytea, timestamptz)',
        'platform.authenticate_api_key(uuid, text, timestamptz)']::regprocedure[]
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO tenantbase_platform', fn);
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', fn);
    END LOOP;
END
$$;

-- Account work: the account role only.
REVOKE EXECUTE ON FUNCTION platform.login_lookup(citext), platform.membership_role(uuid, uuid),
                           platform.user_for_invite(citext), platform.create_user(citext, text, text),
                           analytics.ensure_partitions(date, integer, integer)
    FROM tenantbase_app;
GRANT EXECUTE ON FUNCTION platform.login_lookup(citext), platform.membership_role(uuid, uuid),
                          platform.user_for_invite(citext), platform.create_user(citext, text, text),
                          platform.record_login_failure(uuid, integer, interval, timestamptz),
                          platform.start_session(uuid, bytea, interval, inet, text, timestamptz),
                          platform.authenticate_session(bytea, timestamptz), platform.end_session(bytea, timestamptz),
                          platform.authenticate_api_key(uuid, text, timestamptz),
                          analytics.ensure_partitions(date, integer, integer)
    TO tenantbase_account;

COMMENT ON FUNCTION platform.login_lookup(citext) IS
    'tenantbase:platform Login (account role): the credentials of one email, for the server to verify.';
COMMENT ON FUNCTION platform.membership_role(uuid, uuid) IS
    'tenantbase:platform Request path (account role): may this user act in this tenant, and as what.';
COMMENT ON FUNCTION platform.create_user(citext, text, text) IS
    'tenantbase:platform Sign-up (account role): a new global identity (pending until it has a password); an invited user claims its account.';
COMMENT ON FUNCTION platform.user_for_invite(citext) IS
    'Invitations (account role, in a signed context that may add members): the user an email names, created pending if new.';
COMMENT ON FUNCTION platform.my_tenants() IS
    'tenantbase:platform The tenants the verified acting user is an active member of: the one cross-tenant read a user may make, of its own memberships.';
COMMENT ON FUNCTION platform.create_my_tenant(text, citext) IS
    'tenantbase:platform The verified acting user creates a tenant and becomes its owner.';
