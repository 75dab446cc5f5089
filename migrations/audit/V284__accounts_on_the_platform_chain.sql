-- Accounts on the trail: sign-ups, logins (a session started), session ends and
-- lockouts set by an operator, on the platform chain. They are queued like every
-- entry (V280), so logins of every tenant's users append without waiting for each
-- other. Per-row triggers with WHEN conditions: the updates that are none of these
-- (a session seen again on every request, a login's timestamp) call nothing.
-- Failed logins are not written to the database (the server throttles them in its
-- memory), and API key use is on the tenant's chain already (api_keys.last_used_at).
CREATE FUNCTION audit.record_account_event() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    row_json jsonb := to_jsonb(NEW);
BEGIN
    INSERT INTO audit.platform_pending (xact_id, written_at, event_type, event_action, event_description, target_type,
                                        target_id, user_id, impersonated_by, api_key_id, request_id, ip_address,
                                        user_agent, db_role, metadata)
    SELECT r.xact_id, clock_timestamp(), 'authentication', TG_ARGV[0], TG_ARGV[1], TG_TABLE_NAME, NEW.id,
           -- The account's user: the row itself, or the session's.
           coalesce((row_json ->> 'user_id')::uuid, NEW.id),
           r.impersonated_by, r.api_key_id, r.request_id,
           coalesce(r.ip_address, (row_json ->> 'ip_address')::inet),
           coalesce(r.user_agent, left(row_json ->> 'user_agent', 512)), r.db_role, '{}'
    FROM audit.current_request() AS r;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION audit.record_account_event() IS
    'tenantbase:platform Records sign-ups, logins, session ends and lockouts on the platform chain (ids only, no email).';
GRANT CREATE ON SCHEMA audit TO tenantbase_audit;
ALTER FUNCTION audit.record_account_event() OWNER TO tenantbase_audit;
REVOKE CREATE ON SCHEMA audit FROM tenantbase_audit;
REVOKE ALL ON FUNCTION audit.record_account_event() FROM PUBLIC;

CREATE TRIGGER audit_signed_up AFTER INSERT ON tenancy.users
    FOR EACH ROW EXECUTE FUNCTION audit.record_account_event('account.signed_up', 'a user signed up');
CREATE TRIGGER audit_locked AFTER UPDATE OF locked_until ON tenancy.users
    FOR EACH ROW WHEN (NEW.locked_until IS NOT NULL AND NEW.locked_until IS DISTINCT FROM OLD.locked_until)
    EXECUTE FUNCTION audit.record_account_event('account.locked', 'logins refused until a set time');
CREATE TRIGGER audit_session_started AFTER INSERT ON tenancy.sessions
    FOR EACH ROW EXECUTE FUNCTION audit.record_account_event('session.started', 'a user logged in');
CREATE TRIGGER audit_session_ended AFTER UPDATE OF ended_at ON tenancy.sessions
    FOR EACH ROW WHEN (OLD.ended_at IS NULL AND NEW.ended_at IS NOT NULL)
    EXECUTE FUNCTION audit.record_account_event('session.ended', 'a session ended');
ALTER TABLE tenancy.users ENABLE ALWAYS TRIGGER audit_signed_up, ENABLE ALWAYS TRIGGER audit_locked;
ALTER TABLE tenancy.sessions ENABLE ALWAYS TRIGGER audit_session_started, ENABLE ALWAYS TRIGGER audit_session_ended;
