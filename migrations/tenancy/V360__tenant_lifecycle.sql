-- One tenant's life, enforced here (docs/tenant-lifecycle.md):
--   active → deleted (deleted_at set; restorable until erase_after; no context of it matches a row)
--          → erased (every row gone, users of no other tenant with it; the trail kept, payloads tombstoned)
--          → audit erased (at least 90 days after the deletion; its trail gone, a receipt on the platform chain).
-- The erasure ledger (platform.erasures) records each erasure without personal data: ids and times.

ALTER TABLE tenancy.tenants ADD COLUMN erase_after timestamptz;
ALTER TABLE tenancy.tenants ADD CONSTRAINT tenants_deletion_window
    CHECK ((deleted_at IS NULL) = (erase_after IS NULL) AND (erase_after IS NULL OR erase_after >= deleted_at));
COMMENT ON COLUMN tenancy.tenants.erase_after IS
    'A deleted tenant is restorable until then, and erased by `tenantbase tenant purge` after: the window promised at its deletion.';

-- A deleted tenant's context is no context: every policy compares with NULL and fails
-- closed, writes are refused, whatever the server or a pooled connection still holds.
CREATE FUNCTION platform.context_tenant_in_use() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT t.id FROM tenancy.tenants t
    WHERE t.id = nullif(platform.context_field(1), '')::uuid AND t.deleted_at IS NULL
$$;
ALTER FUNCTION platform.context_tenant_in_use() OWNER TO tenantbase_platform;
REVOKE ALL ON FUNCTION platform.context_tenant_in_use() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.context_tenant_in_use() TO tenantbase_app, tenantbase_readonly;
COMMENT ON FUNCTION platform.context_tenant_in_use() IS
    'tenantbase:platform The caller''s own verified tenant unless it is deleted; answers about no other tenant.';

CREATE OR REPLACE FUNCTION tenancy.current_tenant_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT platform.context_tenant_in_use() $$;
COMMENT ON FUNCTION tenancy.current_tenant_id() IS
    'The tenant this transaction acts in, when its context is signed by the server and the tenant is not deleted; else NULL (no context matches no row).';

CREATE TABLE platform.erasures (
    erased_tenant    uuid PRIMARY KEY,
    deleted_at       timestamptz NOT NULL,
    erased_at        timestamptz,
    audit_kept_until timestamptz NOT NULL,
    audit_erased_at  timestamptz,
    -- The users who belonged to no other tenant, erased with it.
    users            uuid[] NOT NULL DEFAULT '{}',
    CONSTRAINT erasures_audit_kept_90_days CHECK (audit_kept_until >= deleted_at + interval '90 days'),
    CONSTRAINT erasures_erased_after_deletion CHECK (erased_at IS NULL OR erased_at >= deleted_at),
    CONSTRAINT erasures_audit_after_erasure CHECK (audit_erased_at IS NULL
                                                   OR (erased_at IS NOT NULL AND audit_erased_at >= audit_kept_until))
);
COMMENT ON TABLE platform.erasures IS
    'The erasure ledger: each erased tenant, when it was deleted, erased and its trail erased; ids only, no personal data.';
ALTER TABLE platform.erasures ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
REVOKE ALL ON platform.erasures FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON platform.erasures TO tenantbase_platform;
GRANT SELECT ON platform.erasures TO tenantbase_audit;

-- Soft delete: the tenant stays whole, unusable, until erase_after.
CREATE FUNCTION platform.delete_tenant(p_tenant uuid, p_confirm citext, p_now timestamptz, p_window interval)
    RETURNS timestamptz
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    t record;
BEGIN
    SELECT id, slug, deleted_at INTO t FROM tenancy.tenants WHERE id = p_tenant FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such tenant' USING ERRCODE = 'no_data_found';
    END IF;
    IF p_confirm IS DISTINCT FROM t.slug THEN
        RAISE EXCEPTION 'the confirmation must repeat the tenant''s slug' USING ERRCODE = 'check_violation';
    END IF;
    IF t.deleted_at IS NOT NULL THEN
        RAISE EXCEPTION 'the tenant is already deleted' USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF p_now IS NULL OR p_window IS NULL OR p_window < interval '0' THEN
        RAISE EXCEPTION 'a deletion needs a time and a window of zero or more' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    UPDATE tenancy.tenants SET deleted_at = p_now, erase_after = p_now + p_window WHERE id = p_tenant;
    PERFORM audit.record_platform_event('system_event', 'tenant.soft_deleted', format('tenant %s deleted', t.slug),
                                        p_tenant, 'tenants', p_tenant,
                                        jsonb_build_object('deleted_at', p_now, 'erase_after', p_now + p_window));
    RETURN p_now + p_window;
END
$$;
ALTER FUNCTION platform.delete_tenant(uuid, citext, timestamptz, interval) OWNER TO tenantbase_platform;
REVOKE ALL ON FUNCTION platform.delete_tenant(uuid, citext, timestamptz, interval) FROM PUBLIC;
COMMENT ON FUNCTION platform.delete_tenant(uuid, citext, timestamptz, interval) IS
    'tenantbase:platform Platform operators only: soft-deletes a tenant (p_confirm repeats its slug), restorable for p_window.';

-- The acting owner deletes their own tenant; the window is at least a day.
CREATE FUNCTION platform.delete_my_tenant(p_confirm citext, p_now timestamptz, p_window interval) RETURNS timestamptz
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    acting uuid := tenancy.current_tenant_id();
BEGIN
    IF acting IS NULL OR tenancy.current_member_role() IS DISTINCT FROM 'owner' THEN
        RAISE EXCEPTION 'only an owner deletes a tenant' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN platform.delete_tenant(acting, p_confirm, p_now, greatest(p_window, interval '1 day'));
END
$$;
ALTER FUNCTION platform.delete_my_tenant(citext, timestamptz, interval) OWNER TO tenantbase_platform;
REVOKE ALL ON FUNCTION platform.delete_my_tenant(citext, timestamptz, interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.delete_my_tenant(citext, timestamptz, interval) TO tenantbase_app;
COMMENT ON FUNCTION platform.delete_my_tenant(citext, timestamptz, interval) IS
    'The verified tenant''s owner soft-deletes it (p_confirm repeats its slug); restorable for at least a day.';

-- Restore: a deleted tenant whose erasure has not begun comes back whole.
CREATE FUNCTION platform.restore_tenant(p_tenant uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    t record;
BEGIN
    SELECT id, slug, deleted_at INTO t FROM tenancy.tenants WHERE id = p_tenant FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such tenant (an erased tenant does not come back)' USING ERRCODE = 'no_data_found';
    END IF;
    IF t.deleted_at IS NULL THEN
        RAISE EXCEPTION 'the tenant is not deleted' USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF EXISTS (SELECT 1 FROM platform.erasures WHERE erased_tenant = p_tenant) THEN
        RAISE EXCEPTION 'the tenant''s erasure has begun' USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    UPDATE tenancy.tenants SET deleted_at = NULL, erase_after = NULL WHERE id = p_tenant;
    PERFORM audit.record_platform_event('system_event', 'tenant.restored', format('tenant %s restored', t.slug),
                                        p_tenant, 'tenants', p_tenant, jsonb_build_object('deleted_at', t.deleted_at));
END
$$;
ALTER FUNCTION platform.restore_tenant(uuid) OWNER TO tenantbase_platform;
REVOKE ALL ON FUNCTION platform.restore_tenant(uuid) FROM PUBLIC;
COMMENT ON FUNCTION platform.restore_tenant(uuid) IS
    'tenantbase:platform Platform operators only: restores a deleted tenant whose erasure has not begun.';

-- The account role restores for an authenticated user who is an active owner of the
-- deleted tenant (its context no longer works: the request path passes the user).
CREATE FUNCTION platform.restore_my_tenant(p_tenant uuid, p_user uuid) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM tenancy.memberships m JOIN tenancy.tenants t ON t.id = m.tenant_id
                   WHERE m.tenant_id = p_tenant AND m.user_id = p_user AND m.role = 'owner' AND m.status = 'active'
                     AND t.deleted_at IS NOT NULL) THEN
        RETURN false;
    END IF;
    PERFORM platform.restore_tenant(p_tenant);
    RETURN true;
END
$$;
ALTER FUNCTION platform.restore_my_tenant(uuid, uuid) OWNER TO tenantbase_platform;
REVOKE ALL ON FUNCTION platform.restore_my_tenant(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.restore_my_tenant(uuid, uuid) TO tenantbase_account;
COMMENT ON FUNCTION platform.restore_my_tenant(uuid, uuid) IS
    'tenantbase:platform Request path (account role): an active owner of a deleted tenant restores it; false for anyone else.';

-- Erasure, first step: the tenant is deleted (now, if it was not) and enters the
-- ledger with the users who belong to no other tenant. Returns them. The payloads
-- are erased next (audit.erase_*_payloads, while the chain is alive), then the rows.
CREATE FUNCTION platform.begin_erasure(p_tenant uuid, p_now timestamptz) RETURNS uuid[]
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    t record;
    alone uuid[];
BEGIN
    SELECT id, slug, deleted_at INTO t FROM tenancy.tenants WHERE id = p_tenant FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such tenant' USING ERRCODE = 'no_data_found';
    END IF;
    IF t.deleted_at IS NULL THEN
        PERFORM platform.delete_tenant(p_tenant, t.slug, p_now, interval '0');
        t.deleted_at := p_now;
    END IF;
    SELECT coalesce(array_agg(m.user_id ORDER BY m.user_id), '{}') INTO alone
    FROM tenancy.memberships m
    WHERE m.tenant_id = p_tenant
      AND NOT EXISTS (SELECT 1 FROM tenancy.memberships o WHERE o.user_id = m.user_id AND o.tenant_id <> p_tenant);
    INSERT INTO platform.erasures (erased_tenant, deleted_at, audit_kept_until, users)
    VALUES (p_tenant, t.deleted_at, t.deleted_at + interval '90 days', alone)
    ON CONFLICT (erased_tenant) DO UPDATE SET users = EXCLUDED.users;
    RETURN alone;
END
$$;
ALTER FUNCTION platform.begin_erasure(uuid, timestamptz) OWNER TO tenantbase_platform;
REVOKE ALL ON FUNCTION platform.begin_erasure(uuid, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION platform.begin_erasure(uuid, timestamptz) IS
    'tenantbase:platform Platform operators only: a tenant''s erasure begins (deleted, in the ledger); returns the users of no other tenant.';

-- Erasure, last step: the tenant's rows (every tenant table cascades from it) and its
-- lone users go; the receipt is recorded by audit.record_tenant_lifecycle.
CREATE FUNCTION platform.finish_erasure(p_tenant uuid, p_now timestamptz) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    e platform.erasures;
BEGIN
    SELECT * INTO e FROM platform.erasures WHERE erased_tenant = p_tenant FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the tenant''s erasure has not begun' USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    UPDATE platform.erasures SET erased_at = greatest(p_now, e.deleted_at) WHERE erased_tenant = p_tenant;
    DELETE FROM tenancy.tenants WHERE id = p_tenant;
    DELETE FROM tenancy.users u WHERE u.id = ANY (e.users)
       AND NOT EXISTS (SELECT 1 FROM tenancy.memberships o WHERE o.user_id = u.id);
END
$$;
ALTER FUNCTION platform.finish_erasure(uuid, timestamptz) OWNER TO tenantbase_platform;
REVOKE ALL ON FUNCTION platform.finish_erasure(uuid, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION platform.finish_erasure(uuid, timestamptz) IS
    'tenantbase:platform Platform operators only: removes an erased tenant''s rows and its lone users; the receipt goes on the platform chain.';

-- The trail of an erased tenant goes at least 90 days after its deletion.
CREATE FUNCTION platform.erase_tenant_audit(p_tenant uuid, p_now timestamptz) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    e platform.erasures;
    head record;
    removed bigint;
BEGIN
    SELECT * INTO e FROM platform.erasures WHERE erased_tenant = p_tenant FOR UPDATE;
    IF NOT FOUND OR e.erased_at IS NULL THEN
        RAISE EXCEPTION 'the tenant is not erased' USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF e.audit_erased_at IS NOT NULL THEN
        RETURN 0;
    END IF;
    IF p_now < e.audit_kept_until THEN
        RAISE EXCEPTION 'the trail is kept until %', e.audit_kept_until USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    UPDATE platform.erasures SET audit_erased_at = p_now WHERE erased_tenant = p_tenant;
    SELECT c.head_id, c.head_hash INTO head FROM audit.chains c WHERE c.chain_id = p_tenant;
    DELETE FROM audit.log WHERE tenant_id = p_tenant;
    GET DIAGNOSTICS removed = ROW_COUNT;
    DELETE FROM audit.log_pending WHERE chain_id = p_tenant;
    DELETE FROM audit.chains WHERE chain_id = p_tenant;
    DELETE FROM audit.chain_bases WHERE chain_id = p_tenant;
    PERFORM audit.record_platform_event('system_event', 'tenant.audit_erased',
                                        format('the trail of an erased tenant: %s entries erased', removed),
                                        p_tenant, 'tenants', p_tenant,
                                        jsonb_build_object('entries', removed, 'deleted_at', e.deleted_at,
                                                           'final_entry', coalesce(head.head_id, 0),
                                                           'final_hash', encode(coalesce(head.head_hash, decode(repeat('00', 32), 'hex')), 'hex')));
    RETURN removed;
END
$$;
ALTER FUNCTION platform.erase_tenant_audit(uuid, timestamptz) OWNER TO tenantbase_platform;
REVOKE ALL ON FUNCTION platform.erase_tenant_audit(uuid, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION platform.erase_tenant_audit(uuid, timestamptz) IS
    'tenantbase:platform Platform operators only: removes an erased tenant''s trail once kept 90 days past its deletion; receipt on the platform chain.';
GRANT SELECT, DELETE ON audit.log, audit.log_pending, audit.chains, audit.chain_bases TO tenantbase_platform;

-- The trail no longer cascades from its tenant: it outlives an erasure (and a hard
-- DELETE) by at least 90 days.
ALTER TABLE audit.log DROP CONSTRAINT log_tenant_id_fkey;
COMMENT ON TABLE audit.log IS
    'tenantbase:outlives its tenant (kept 90 days past a deletion, written only by the sealer). Every change to every tenant table: one hash chain per tenant, partitioned by month, append-only.';

-- A tenant's entries are removed only by platform.erase_tenant_audit.
CREATE OR REPLACE FUNCTION audit.refuse_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_NARGS = 1
       AND NOT EXISTS (SELECT 1 FROM tenancy.tenants WHERE id = (to_jsonb(OLD) ->> TG_ARGV[0])::uuid)
       AND EXISTS (SELECT 1 FROM platform.erasures
                   WHERE erased_tenant = (to_jsonb(OLD) ->> TG_ARGV[0])::uuid AND audit_erased_at IS NOT NULL) THEN
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

-- A deleted tenant's chain stays (verifiable) until its trail is erased; an erasure's
-- receipt names the ledger's facts.
CREATE OR REPLACE FUNCTION audit.record_tenant_lifecycle() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    head record;
    unsealed bigint;
    erasure record;
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM audit.record_platform_event('system_event', 'tenant.created', format('tenant %s created', NEW.slug),
                                            NEW.id, 'tenants', NEW.id,
                                            jsonb_build_object('slug', NEW.slug, 'name', NEW.name, 'plan', NEW.plan));
        RETURN NEW;
    END IF;
    SELECT c.head_id, c.head_hash INTO head FROM audit.chains c WHERE c.chain_id = OLD.id;
    SELECT count(*) INTO unsealed FROM audit.log_pending WHERE chain_id = OLD.id;
    SELECT * INTO erasure FROM platform.erasures WHERE erased_tenant = OLD.id;
    IF FOUND THEN
        PERFORM audit.record_platform_event('system_event', 'tenant.erased', 'a tenant erased',
                                            OLD.id, 'tenants', OLD.id,
                                            jsonb_build_object('deleted_at', erasure.deleted_at,
                                                               'erased_at', erasure.erased_at,
                                                               'users_erased', cardinality(erasure.users),
                                                               'audit_kept_until', erasure.audit_kept_until,
                                                               'final_entry', coalesce(head.head_id, 0),
                                                               'final_hash', encode(coalesce(head.head_hash, decode(repeat('00', 32), 'hex')), 'hex')));
        RETURN OLD;
    END IF;
    PERFORM audit.record_platform_event('system_event', 'tenant.deleted', format('tenant %s deleted', OLD.slug),
                                        OLD.id, 'tenants', OLD.id,
                                        jsonb_build_object('slug', OLD.slug, 'name', OLD.name,
                                                           'final_entry', coalesce(head.head_id, 0),
                                                           'final_hash', encode(coalesce(head.head_hash, decode(repeat('00', 32), 'hex')), 'hex'),
                                                           'unsealed_entries', unsealed));
    RETURN OLD;
END
$$;
