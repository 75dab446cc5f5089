-- The signed context, version 2: one setting instead of eight. The server opens
-- every tenant transaction with a single
--   SET LOCAL app.context = 'v2.<payload>.<signature>'
-- whose text is base64url and dots only: no quoting mode (standard_conforming_strings
-- off included) can make any part of it SQL, and no request value is ever written
-- into SQL text. <payload> encodes eight fields joined by a newline: tenant, user,
-- expires (unix seconds), API key, impersonator, request id, client address, user
-- agent. <signature> is the base64url HMAC-SHA256 of 'v2.<payload>'. Everything
-- the database knows about a request (who acts, in which tenant, on whose behalf,
-- from where) is therefore as unforgeable as the tenant: injected SQL can neither
-- choose the tenant nor put words in the audit trail's mouth. One SET LOCAL is
-- also what Citus propagates to its workers (set_config() is not).

-- Field n of the verified context, or NULL when the transaction carries none,
-- a forged one, or one expired at its start. PL/pgSQL, SECURITY DEFINER (it reads
-- the key): pgext/tenantbase_context.c gives the same answers, compiled, and
-- `tenantbase migrate` puts it in place where the server can load it.
CREATE FUNCTION platform.context_field(p_field integer) RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    token     text := current_setting('app.context', true);
    parts     text[];
    payload   bytea;
    fields    text[];
    inner_pad bytea;
    outer_pad bytea;
BEGIN
    -- Plain checks before any decode, so a malformed token is NULL, not an error.
    IF p_field IS NULL OR p_field NOT BETWEEN 1 AND 8 OR token IS NULL OR length(token) > 4096
       OR left(token, 3) <> 'v2.' THEN
        RETURN NULL;
    END IF;
    parts := string_to_array(token, '.');
    IF cardinality(parts) <> 3 OR length(parts[2]) = 0 OR length(parts[3]) <> 43
       OR parts[2] !~ '^[A-Za-z0-9_-]+$' OR length(parts[2]) % 4 = 1 THEN
        RETURN NULL;
    END IF;
    SELECT k.inner_pad, k.outer_pad INTO inner_pad, outer_pad FROM platform.context_keys k;
    IF rtrim(translate(encode(sha256(outer_pad || sha256(inner_pad || convert_to('v2.' || parts[2], 'UTF8'))), 'base64'),
                       '+/', '-_'), '=') IS DISTINCT FROM parts[3] THEN
        RETURN NULL;
    END IF;
    payload := decode(rpad(translate(parts[2], '-_', '+/'), (length(parts[2]) + 3) / 4 * 4, '='), 'base64');
    fields := string_to_array(convert_from(payload, 'UTF8'), E'\n');
    IF cardinality(fields) <> 8 OR fields[3] !~ '^[0-9]+$' OR length(fields[3]) > 12
       OR fields[3]::bigint <= extract(epoch FROM now()) THEN
        RETURN NULL;
    END IF;
    RETURN fields[p_field];
END
$$;
COMMENT ON FUNCTION platform.context_field(integer) IS
    'tenantbase:platform verifies the caller''s own context with a key the caller cannot read and answers one of its fields (1 tenant, 2 user, 3 expires, 4 API key, 5 impersonator, 6 request id, 7 client address, 8 user agent); NULL unless authentic and unexpired.';
ALTER FUNCTION platform.context_field(integer) OWNER TO tenantbase_platform;
REVOKE ALL ON FUNCTION platform.context_field(integer) FROM PUBLIC;
-- Every role acting under RLS needs the answer (the app, reporting, the account
-- role, platform functions, triggers run by whoever writes).
GRANT EXECUTE ON FUNCTION platform.context_field(integer) TO PUBLIC;

-- Kept for whoever asks only whether the transaction carries an authentic context.
CREATE OR REPLACE FUNCTION platform.context_is_signed() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    AS $$ SELECT platform.context_field(3) IS NOT NULL $$;
COMMENT ON FUNCTION platform.context_is_signed() IS
    'tenantbase:platform Whether this transaction carries an authentic, unexpired context (platform.context_field).';

CREATE OR REPLACE FUNCTION tenancy.current_tenant_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(platform.context_field(1), '')::uuid $$;
COMMENT ON FUNCTION tenancy.current_tenant_id() IS
    'The tenant this transaction acts in, when its context is signed by the server; else NULL (no context matches no row).';

CREATE OR REPLACE FUNCTION tenancy.current_user_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(platform.context_field(2), '')::uuid $$;
COMMENT ON FUNCTION tenancy.current_user_id() IS
    'The user this transaction acts for, when its context is signed by the server; else NULL.';

-- The request facts recorded with every change: from the signed context only.
CREATE OR REPLACE FUNCTION audit.current_request(OUT user_id uuid, OUT impersonated_by uuid, OUT api_key_id uuid,
                                                 OUT request_id text, OUT ip_address inet, OUT user_agent text,
                                                 OUT db_role text, OUT xact_id xid8)
    LANGUAGE plpgsql
    AS $$
BEGIN
    user_id := tenancy.current_user_id();
    impersonated_by := nullif(platform.context_field(5), '')::uuid;
    api_key_id := nullif(platform.context_field(4), '')::uuid;
    request_id := left(nullif(platform.context_field(6), ''), 200);
    ip_address := nullif(platform.context_field(7), '')::inet;
    user_agent := left(nullif(platform.context_field(8), ''), 512);
    db_role := session_user;
    xact_id := pg_current_xact_id();
END
$$;

-- The permission check reads the verified user (it read the plain setting beside
-- the verified tenant, which the old signature covered together).
CREATE OR REPLACE FUNCTION tenancy.has_permission(p_resource text, p_action text) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    acting_tenant uuid := tenancy.current_tenant_id();
    acting_user uuid := tenancy.current_user_id();
BEGIN
    IF acting_tenant IS NULL OR acting_user IS NULL THEN
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
