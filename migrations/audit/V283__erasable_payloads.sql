-- Erasing a person's data from the trail without breaking it. Sealed entries hash
-- a digest of their payload (old and new values), not the payload (V280): the
-- payload can be replaced by a tombstone and the chain still verifies. Each erasure
-- is itself an entry on the chain it erased from, listing the entries it erased,
-- which `audit verify` requires of every tombstone. Entries sealed before V280 hash
-- their payload itself and are left as they are (counted, not erased).

CREATE FUNCTION audit.tombstone() RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT '{"erased": true}'::jsonb $$;

-- Only the erasure functions below change an entry, and only its payload, into a tombstone.
CREATE OR REPLACE FUNCTION audit.refuse_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_NARGS = 1
       AND NOT EXISTS (SELECT 1 FROM tenancy.tenants WHERE id = (to_jsonb(OLD) ->> TG_ARGV[0])::uuid) THEN
        RETURN OLD;
    END IF;
    -- Nested: NEW is unassigned in a DELETE, and only the tenant log (TG_NARGS = 1) has payload columns.
    IF TG_OP = 'UPDATE' AND TG_NARGS = 1 AND current_setting('audit.erasing', true) = 'on' THEN
        IF (to_jsonb(NEW) - 'old_values' - 'new_values') = (to_jsonb(OLD) - 'old_values' - 'new_values')
           AND coalesce(to_jsonb(NEW) -> 'old_values', 'null') IN ('null', audit.tombstone())
           AND coalesce(to_jsonb(NEW) -> 'new_values', 'null') IN ('null', audit.tombstone()) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit entries cannot be changed or removed'
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Retention drops whole partitions: tenantbase audit prune. Payloads are erased with tenantbase audit erase.';
END
$$;

-- Replaces with tombstones the payloads of the sealed entries of version 2 (and of
-- the entries waiting to be sealed) of `p_tenant` (every tenant when NULL) whose
-- payload contains one of `p_terms` (every entry when NULL), and queues one
-- 'audit.payloads_erased' entry per chain it erased from. Returns how many entries it erased.
CREATE FUNCTION audit.erase_payloads(p_tenant uuid, p_terms text[], p_reason text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    erased bigint := 0;
    chain record;
BEGIN
    PERFORM set_config('audit.erasing', 'on', true);
    FOR chain IN
        WITH hit AS (
            UPDATE audit.log l
            SET old_values = CASE WHEN l.old_values IS NOT NULL THEN audit.tombstone() END,
                new_values = CASE WHEN l.new_values IS NOT NULL THEN audit.tombstone() END
            WHERE (p_tenant IS NULL OR l.tenant_id = p_tenant)
              AND l.payload_digest IS NOT NULL
              AND (l.old_values IS NOT NULL OR l.new_values IS NOT NULL)
              AND NOT (coalesce(l.old_values, audit.tombstone()) = audit.tombstone()
                       AND coalesce(l.new_values, audit.tombstone()) = audit.tombstone())
              AND (p_terms IS NULL OR EXISTS (SELECT 1 FROM unnest(p_terms) AS t
                                              WHERE position(lower(t) IN lower(concat(l.old_values::text, l.new_values::text))) > 0))
            RETURNING l.tenant_id, l.id)
        SELECT tenant_id, array_agg(id ORDER BY id) AS ids FROM hit GROUP BY tenant_id
    LOOP
        INSERT INTO audit.log_pending (xact_id, chain_id, written_at, event_type, event_action, event_description,
                                       user_id, impersonated_by, api_key_id, request_id, ip_address, user_agent,
                                       db_role, metadata)
        SELECT r.xact_id, chain.tenant_id, clock_timestamp(), 'system_event', 'audit.payloads_erased',
               format('payloads of %s entries erased: %s', cardinality(chain.ids), p_reason),
               r.user_id, r.impersonated_by, r.api_key_id, r.request_id, r.ip_address, r.user_agent, r.db_role,
               jsonb_build_object('entries', to_jsonb(chain.ids), 'reason', p_reason)
        FROM audit.current_request() AS r;
        erased := erased + cardinality(chain.ids);
    END LOOP;
    -- Entries not sealed yet are sealed with their tombstones.
    UPDATE audit.log_pending p
    SET old_values = CASE WHEN p.old_values IS NOT NULL THEN audit.tombstone() END,
        new_values = CASE WHEN p.new_values IS NOT NULL THEN audit.tombstone() END
    WHERE (p_tenant IS NULL OR p.chain_id = p_tenant) AND p.event_action <> 'audit.payloads_erased'
      AND (p_terms IS NULL OR EXISTS (SELECT 1 FROM unnest(p_terms) AS t
                                      WHERE position(lower(t) IN lower(concat(p.old_values::text, p.new_values::text))) > 0));
    PERFORM set_config('audit.erasing', 'off', true);
    RETURN erased;
END
$$;
COMMENT ON FUNCTION audit.erase_payloads(uuid, text[], text) IS
    'tenantbase:platform Erases personal data from audit payloads (tombstones), recording the erasure on each chain; platform only.';

-- A person's data: every payload that names their id or their email.
CREATE FUNCTION audit.erase_user_payloads(p_user uuid, p_email text) RETURNS bigint
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ SELECT audit.erase_payloads(NULL, array_remove(ARRAY[p_user::text, nullif(p_email, '')], NULL), 'a user''s erasure') $$;
COMMENT ON FUNCTION audit.erase_user_payloads(uuid, text) IS
    'tenantbase:platform Erases from every chain the payloads naming a user (id or email); platform only.';

-- A tenant's data, for a tenant's erasure: every payload of its chain.
CREATE FUNCTION audit.erase_tenant_payloads(p_tenant uuid) RETURNS bigint
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ SELECT audit.erase_payloads(p_tenant, NULL, 'the tenant''s erasure') $$;
COMMENT ON FUNCTION audit.erase_tenant_payloads(uuid) IS
    'tenantbase:platform Erases every payload of a tenant''s chain; platform only.';

GRANT UPDATE (old_values, new_values) ON audit.log TO tenantbase_audit;
GRANT UPDATE (old_values, new_values) ON audit.log_pending TO tenantbase_audit;
GRANT CREATE ON SCHEMA audit TO tenantbase_audit;
ALTER FUNCTION audit.erase_payloads(uuid, text[], text) OWNER TO tenantbase_audit;
ALTER FUNCTION audit.erase_user_payloads(uuid, text) OWNER TO tenantbase_audit;
ALTER FUNCTION audit.erase_tenant_payloads(uuid) OWNER TO tenantbase_audit;
REVOKE CREATE ON SCHEMA audit FROM tenantbase_audit;
REVOKE ALL ON FUNCTION audit.erase_payloads(uuid, text[], text), audit.erase_user_payloads(uuid, text),
                      audit.erase_tenant_payloads(uuid), audit.tombstone() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit.tombstone() TO tenantbase_audit;
GRANT EXECUTE ON FUNCTION audit.erase_user_payloads(uuid, text), audit.erase_tenant_payloads(uuid) TO tenantbase_platform;
