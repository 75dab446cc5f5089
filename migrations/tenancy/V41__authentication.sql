-- citext's operators live in schema public, outside these functions' fixed
-- search_path: comparisons name them (OPERATOR(public.=)) to stay case-insensitive.
--
-- Authentication happens before any tenant context exists, so it runs through
-- platform functions that see only what one login step needs. Secrets are never
-- stored: sessions and API keys keep the SHA-256 of their token.

CREATE FUNCTION platform.login_lookup(p_email citext)
    RETURNS TABLE (user_id uuid, password_hash text, status tenancy.user_status, locked_until timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT u.id, u.password_hash, u.status, u.locked_until
    FROM tenancy.users u
    WHERE u.email OPERATOR(public.=) p_email AND u.deleted_at IS NULL
$$;
COMMENT ON FUNCTION platform.login_lookup(citext) IS
    'tenantbase:platform Login: the credentials of one email, for the server to verify.';

-- After p_max_failures consecutive failures the account locks for p_lock.
CREATE FUNCTION platform.record_login_failure(p_user uuid, p_max_failures integer, p_lock interval)
    RETURNS timestamptz
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    UPDATE tenancy.users
    SET failed_login_attempts = failed_login_attempts + 1,
        locked_until = CASE WHEN failed_login_attempts + 1 >= p_max_failures THEN now() + p_lock ELSE locked_until END
    WHERE id = p_user
    RETURNING locked_until
$$;
COMMENT ON FUNCTION platform.record_login_failure(uuid, integer, interval) IS
    'tenantbase:platform Login: count a failed attempt and lock the account past the limit.';

CREATE FUNCTION platform.start_session(p_user uuid, p_token_hash bytea, p_ttl interval, p_ip inet, p_user_agent text)
    RETURNS TABLE (session_id uuid, expires_at timestamptz)
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    UPDATE tenancy.users SET failed_login_attempts = 0, locked_until = NULL, last_login_at = now() WHERE id = p_user;
    INSERT INTO tenancy.sessions (user_id, token_hash, expires_at, ip_address, user_agent, activity_data)
    VALUES (p_user, p_token_hash, now() + p_ttl, p_ip, p_user_agent, jsonb_build_object('logins', 1))
    RETURNING id, expires_at
$$;
COMMENT ON FUNCTION platform.start_session(uuid, bytea, interval, inet, text) IS
    'tenantbase:platform Login: after the server verified the password, open a session.';

CREATE FUNCTION platform.authenticate_session(p_token_hash bytea)
    RETURNS TABLE (session_id uuid, user_id uuid, expires_at timestamptz)
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    UPDATE tenancy.sessions s SET last_seen_at = now()
    FROM tenancy.users u
    WHERE s.token_hash = p_token_hash AND s.ended_at IS NULL AND s.expires_at > now()
      AND u.id = s.user_id AND u.status = 'active' AND u.deleted_at IS NULL
    RETURNING s.id, s.user_id, s.expires_at
$$;
COMMENT ON FUNCTION platform.authenticate_session(bytea) IS
    'tenantbase:platform The live session a token hash names, if any; records when it was last seen.';

CREATE FUNCTION platform.end_session(p_token_hash bytea)
    RETURNS boolean
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    WITH ended AS (
        UPDATE tenancy.sessions SET ended_at = now()
        WHERE token_hash = p_token_hash AND ended_at IS NULL
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM ended)
$$;
COMMENT ON FUNCTION platform.end_session(bytea) IS 'tenantbase:platform Logout.';

CREATE FUNCTION platform.authenticate_api_key(p_tenant uuid, p_prefix text)
    RETURNS TABLE (key_id uuid, key_hash bytea, scopes text[], acting_user uuid)
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    UPDATE tenancy.api_keys k SET last_used_at = now()
    FROM tenancy.memberships m
    WHERE k.tenant_id = p_tenant AND k.prefix = p_prefix
      AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
      AND m.tenant_id = k.tenant_id AND m.user_id = k.created_by AND m.status = 'active'
    RETURNING k.id, k.key_hash, k.scopes, k.created_by
$$;
COMMENT ON FUNCTION platform.authenticate_api_key(uuid, text) IS
    'tenantbase:platform A live API key of a tenant by its public prefix; it acts as its creator, who must still be a member.';

CREATE FUNCTION platform.membership_role(p_tenant uuid, p_user uuid)
    RETURNS tenancy.member_role
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT m.role FROM tenancy.memberships m JOIN tenancy.tenants t ON t.id = m.tenant_id
    WHERE m.tenant_id = p_tenant AND m.user_id = p_user AND m.status = 'active' AND t.deleted_at IS NULL
$$;
COMMENT ON FUNCTION platform.membership_role(uuid, uuid) IS
    'tenantbase:platform The request path: may this user act in this tenant, and as what.';

-- An invitation names an email; the invitee may not have signed up yet.
CREATE FUNCTION platform.user_for_invite(p_email citext, OUT user_id uuid, OUT pending boolean)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF tenancy.current_tenant_id() IS NULL OR NOT tenancy.has_permission('members', 'create') THEN
        RAISE EXCEPTION 'inviting needs the members:create permission in a tenant' USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT u.id, u.status = 'pending' INTO user_id, pending FROM tenancy.users u WHERE u.email OPERATOR(public.=) p_email;
    IF user_id IS NULL THEN
        INSERT INTO tenancy.users (email, status) VALUES (p_email, 'pending') RETURNING id INTO user_id;
        pending := true;
    END IF;
END
$$;
COMMENT ON FUNCTION platform.user_for_invite(citext) IS
    'The user an invitation by email names, created pending if new; only for those who may add members.';

DO $$
DECLARE
    fn regprocedure;
BEGIN
    FOREACH fn IN ARRAY ARRAY[
        'platform.login_lookup(citext)', 'platform.record_login_failure(uuid, integer, interval)',
        'platform.start_session(uuid, bytea, interval, inet, text)', 'platform.authenticate_session(bytea)',
        'platform.end_session(bytea)', 'platform.authenticate_api_key(uuid, text)',
        'platform.membership_role(uuid, uuid)', 'platform.user_for_invite(citext)']::regprocedure[]
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO tenantbase_platform', fn);
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', fn);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO tenantbase_app', fn);
    END LOOP;
END
$$;
