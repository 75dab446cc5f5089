-- Failed logins and the lockouts they cause on the platform chain, and the epoch
-- entry a restore appends to its tenant's chain.
--
-- A failed login is queued like every entry (V280): no lock, so logins of every
-- tenant's users never wait for each other. The server counts failures in its
-- memory (src/api/throttle.rs); a failure that makes an email or an address wait
-- is a lockout, recorded with the wait. Attempts turned away while waiting cost no
-- database work and leave no entry. By user id only: an unknown email has none.
CREATE FUNCTION audit.record_login_failure(p_user uuid, p_ip inet, p_user_agent text, p_locked_for_seconds integer)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    INSERT INTO audit.platform_pending (xact_id, written_at, event_type, event_action, event_description, target_type,
                                        target_id, user_id, db_role, ip_address, user_agent, metadata)
    SELECT pg_current_xact_id(), clock_timestamp(), 'authentication', e.action, e.description,
           CASE WHEN p_user IS NOT NULL THEN 'users' END, p_user, p_user, session_user, p_ip, left(p_user_agent, 512),
           e.metadata
    FROM (VALUES (1, 'login.failed', 'a login failed', '{}'::jsonb),
                 (2, 'login.locked_out', 'failed logins wait before the next attempt',
                  jsonb_build_object('wait_seconds', p_locked_for_seconds))) AS e (n, action, description, metadata)
    WHERE e.n = 1 OR p_locked_for_seconds IS NOT NULL
    ORDER BY e.n;
END
$$;
COMMENT ON FUNCTION audit.record_login_failure(uuid, inet, text, integer) IS
    'tenantbase:platform Records a failed login (and the lockout it caused) on the platform chain; the server''s account role only.';

-- Restores are entries, never rewinds. A restore or import of a tenant's data calls
-- this in its own transaction: it queues one 'audit.epoch' entry on the tenant's
-- chain, which goes on from its current head (every checkpoint taken before stays
-- valid, and the ones after cover it). metadata says what was restored (the point
-- restored to, the manifest's hash, table counts); the chain's sealed head at that
-- moment is added. Returns the entry's place in the queue. For the platform only.
CREATE FUNCTION audit.record_epoch(p_tenant uuid, p_description text, p_metadata jsonb DEFAULT '{}')
    RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    head record;
    queued bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM tenancy.tenants t WHERE t.id = p_tenant) THEN
        RAISE EXCEPTION 'no tenant %', p_tenant USING ERRCODE = 'no_data_found';
    END IF;
    IF p_metadata IS NULL OR jsonb_typeof(p_metadata) <> 'object' THEN
        RAISE EXCEPTION 'an epoch''s metadata is a JSON object' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT c.head_id, c.head_hash INTO head FROM audit.chains c WHERE c.chain_id = p_tenant;
    INSERT INTO audit.log_pending (xact_id, chain_id, written_at, event_type, event_action, event_description,
                                   user_id, impersonated_by, api_key_id, request_id, ip_address, user_agent,
                                   db_role, metadata)
    SELECT r.xact_id, p_tenant, clock_timestamp(), 'system_event', 'audit.epoch',
           coalesce(nullif(p_description, ''), 'a restore'),
           r.user_id, r.impersonated_by, r.api_key_id, r.request_id, r.ip_address, r.user_agent, r.db_role,
           p_metadata || jsonb_build_object(
               'sealed_head', coalesce(head.head_id, 0),
               'sealed_head_hash', encode(coalesce(head.head_hash, decode(repeat('00', 32), 'hex')), 'hex'))
    FROM audit.current_request() AS r
    RETURNING seq INTO queued;
    RETURN queued;
END
$$;
COMMENT ON FUNCTION audit.record_epoch(uuid, text, jsonb) IS
    'tenantbase:platform Appends a restore''s epoch entry to a tenant''s chain (never a rewind); platform only.';

GRANT CREATE ON SCHEMA audit TO tenantbase_audit;
ALTER FUNCTION audit.record_login_failure(uuid, inet, text, integer) OWNER TO tenantbase_audit;
ALTER FUNCTION audit.record_epoch(uuid, text, jsonb) OWNER TO tenantbase_audit;
REVOKE CREATE ON SCHEMA audit FROM tenantbase_audit;
REVOKE ALL ON FUNCTION audit.record_login_failure(uuid, inet, text, integer), audit.record_epoch(uuid, text, jsonb)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit.record_login_failure(uuid, inet, text, integer) TO tenantbase_account;
GRANT EXECUTE ON FUNCTION audit.record_epoch(uuid, text, jsonb) TO tenantbase_platform;
