-- A tenant context that SQL alone cannot mint. Any SQL running as the app role
-- can SET app.tenant_id, so the policies no longer trust it alone: the server
-- signs each transaction's context with a key the app role can never read,
--   SET LOCAL app.context_token = 'v1:<expires, unix seconds>:<hex HMAC-SHA256>'
-- over 'v1:<app.tenant_id>:<app.user_id>:<expires>', and the context helpers
-- return the tenant and user only while that signature verifies (else NULL:
-- no row matches). Policies call the helpers as InitPlans, so the signature is
-- checked once per statement. Expiry is compared with the transaction's start.

-- One key. HMAC's padded keys are stored beside it so that verifying costs two
-- sha256() calls (built in, no extension needed). Only superusers write it and
-- only tenantbase_platform (which owns the verifier) reads it: FORCE RLS with no
-- policy keeps even its owner out.
CREATE TABLE platform.context_keys (
    id         smallint PRIMARY KEY DEFAULT 1 CONSTRAINT context_keys_single CHECK (id = 1),
    key        bytea NOT NULL CONSTRAINT context_keys_key_length CHECK (length(key) = 32),
    inner_pad  bytea NOT NULL CONSTRAINT context_keys_inner_pad_length CHECK (length(inner_pad) = 64),
    outer_pad  bytea NOT NULL CONSTRAINT context_keys_outer_pad_length CHECK (length(outer_pad) = 64),
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE platform.context_keys IS
    'The key that signs tenant contexts (tenantbase migrate installs it). Readable by tenantbase_platform only.';
ALTER TABLE platform.context_keys ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
REVOKE ALL ON platform.context_keys FROM PUBLIC;
GRANT SELECT ON platform.context_keys TO tenantbase_platform;

-- Installs a 32-byte key: when none exists, or replacing the current one when
-- p_replace (a key given by configuration). Returns whether it wrote the key.
CREATE FUNCTION platform.install_context_key(p_key bytea, p_replace boolean) RETURNS boolean
    LANGUAGE sql
    AS $$
    INSERT INTO platform.context_keys AS k (id, key, inner_pad, outer_pad)
    SELECT 1, p_key,
           decode(string_agg(lpad(to_hex(get_byte(padded, i) # 54), 2, '0'), '' ORDER BY i), 'hex'),
           decode(string_agg(lpad(to_hex(get_byte(padded, i) # 92), 2, '0'), '' ORDER BY i), 'hex')
    FROM (SELECT p_key || decode(repeat('00', 64 - length(p_key)), 'hex') AS padded) AS key_block,
         generate_series(0, 63) AS i
    GROUP BY padded
    ON CONFLICT (id) DO UPDATE
        SET key = EXCLUDED.key, inner_pad = EXCLUDED.inner_pad, outer_pad = EXCLUDED.outer_pad, created_at = now()
        WHERE p_replace AND k.key <> EXCLUDED.key
    RETURNING true
$$;
REVOKE EXECUTE ON FUNCTION platform.install_context_key(bytea, boolean) FROM PUBLIC;

CREATE FUNCTION platform.context_is_signed() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT coalesce(
        CASE WHEN t.token ~ '^v1:[0-9]{1,12}:[0-9a-f]{64}$' THEN
            split_part(t.token, ':', 2)::bigint > extract(epoch FROM now())
            AND sha256(k.outer_pad || sha256(k.inner_pad || convert_to(
                    concat('v1:', current_setting('app.tenant_id', true), ':', current_setting('app.user_id', true),
                           ':', split_part(t.token, ':', 2)), 'UTF8')))
                = decode(split_part(t.token, ':', 3), 'hex')
        END, false)
    FROM (SELECT current_setting('app.context_token', true) AS token) AS t
    LEFT JOIN platform.context_keys k ON true
$$;
COMMENT ON FUNCTION platform.context_is_signed() IS
    'tenantbase:platform verifies the caller''s own context token with a key the caller cannot read; it reveals only whether that token is authentic.';
ALTER FUNCTION platform.context_is_signed() OWNER TO tenantbase_platform;
-- Every role acting under RLS needs the answer (the app, reporting, platform
-- functions, triggers run by whoever writes).
GRANT EXECUTE ON FUNCTION platform.context_is_signed() TO PUBLIC;

CREATE OR REPLACE FUNCTION tenancy.current_tenant_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN platform.context_is_signed() THEN nullif(current_setting('app.tenant_id', true), '')::uuid END $$;
COMMENT ON FUNCTION tenancy.current_tenant_id() IS
    'The tenant this transaction acts in, when its context is signed by the server; else NULL (no context matches no row).';

CREATE OR REPLACE FUNCTION tenancy.current_user_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN platform.context_is_signed() THEN nullif(current_setting('app.user_id', true), '')::uuid END $$;
COMMENT ON FUNCTION tenancy.current_user_id() IS
    'The user this transaction acts for, when its context is signed by the server; else NULL.';
