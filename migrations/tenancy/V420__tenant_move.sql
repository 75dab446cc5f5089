-- `tenantbase tenant move` (docs/tenant-lifecycle.md): active → moving → moved.
-- Moving: the database refuses the tenant's context (as for a deleted tenant) while it is
-- exported and imported elsewhere, so no write can land after the snapshot. Moved: the
-- same, for good, with the location that now serves it; the rows are kept, unreachable,
-- until the operator erases them. Kept apart from tenancy.tenants so that an export
-- (which carries the tenant's row) never carries the move with it.
CREATE TABLE platform.tenant_moves (
    moved_tenant uuid PRIMARY KEY,
    moved_to     text NOT NULL CHECK (moved_to <> ''),
    began_at     timestamptz NOT NULL,
    moved_at     timestamptz CHECK (moved_at >= began_at)
);
COMMENT ON TABLE platform.tenant_moves IS
    'Tenants moving (moved_at NULL) or moved to another tenantbase database (moved_to: where it is served now).';
ALTER TABLE platform.tenant_moves ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
REVOKE ALL ON platform.tenant_moves FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON platform.tenant_moves TO tenantbase_platform;

-- A moving or moved tenant's context is no context: every policy fails closed.
CREATE OR REPLACE FUNCTION platform.context_tenant_in_use() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT t.id FROM tenancy.tenants t
    WHERE t.id = nullif(platform.context_field(1), '')::uuid AND t.deleted_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM platform.tenant_moves m WHERE m.moved_tenant = t.id)
$$;
COMMENT ON FUNCTION platform.context_tenant_in_use() IS
    'tenantbase:platform The caller''s own verified tenant unless it is deleted, moving or moved; answers about no other tenant.';

-- The move begins: from here on the tenant's context matches no row. Again with the same
-- destination, it resumes an interrupted move.
CREATE FUNCTION platform.begin_tenant_move(p_tenant uuid, p_to text, p_now timestamptz) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    t record;
    m platform.tenant_moves;
BEGIN
    SELECT id, slug, deleted_at INTO t FROM tenancy.tenants WHERE id = p_tenant FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such tenant' USING ERRCODE = 'no_data_found';
    END IF;
    IF t.deleted_at IS NOT NULL THEN
        RAISE EXCEPTION 'a deleted tenant does not move' USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    SELECT * INTO m FROM platform.tenant_moves WHERE moved_tenant = p_tenant;
    IF FOUND AND (m.moved_at IS NOT NULL OR m.moved_to <> p_to) THEN
        RAISE EXCEPTION 'the tenant is already moving or moved to %', m.moved_to
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF NOT FOUND THEN
        INSERT INTO platform.tenant_moves (moved_tenant, moved_to, began_at) VALUES (p_tenant, p_to, p_now);
        PERFORM audit.record_platform_event('system_event', 'tenant.moving', format('tenant %s moving', t.slug),
                                            p_tenant, 'tenants', p_tenant, jsonb_build_object('to', p_to));
    END IF;
END
$$;
ALTER FUNCTION platform.begin_tenant_move(uuid, text, timestamptz) OWNER TO tenantbase_platform;
REVOKE ALL ON FUNCTION platform.begin_tenant_move(uuid, text, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION platform.begin_tenant_move(uuid, text, timestamptz) IS
    'tenantbase:platform Platform operators only: a tenant starts moving to another database; its context matches no row from now on.';

CREATE FUNCTION platform.finish_tenant_move(p_tenant uuid, p_now timestamptz) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    m platform.tenant_moves;
BEGIN
    UPDATE platform.tenant_moves SET moved_at = p_now WHERE moved_tenant = p_tenant AND moved_at IS NULL
    RETURNING * INTO m;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the tenant is not moving' USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    PERFORM audit.record_platform_event('system_event', 'tenant.moved', 'tenant moved to another database',
                                        p_tenant, 'tenants', p_tenant, jsonb_build_object('to', m.moved_to));
END
$$;
ALTER FUNCTION platform.finish_tenant_move(uuid, timestamptz) OWNER TO tenantbase_platform;
REVOKE ALL ON FUNCTION platform.finish_tenant_move(uuid, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION platform.finish_tenant_move(uuid, timestamptz) IS
    'tenantbase:platform Platform operators only: a moving tenant is moved; its location is answered from now on.';

-- Request path (account role): where a tenant the caller belongs to has gone, if it moves.
-- A non-member learns nothing: NULL, as for a tenant that does not move.
CREATE FUNCTION platform.tenant_move_of(p_tenant uuid, p_user uuid, OUT moved_to text, OUT moved boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT m.moved_to, m.moved_at IS NOT NULL FROM platform.tenant_moves m
    WHERE m.moved_tenant = p_tenant
      AND EXISTS (SELECT 1 FROM tenancy.memberships s WHERE s.tenant_id = p_tenant AND s.user_id = p_user)
$$;
ALTER FUNCTION platform.tenant_move_of(uuid, uuid) OWNER TO tenantbase_platform;
REVOKE ALL ON FUNCTION platform.tenant_move_of(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.tenant_move_of(uuid, uuid) TO tenantbase_account;
COMMENT ON FUNCTION platform.tenant_move_of(uuid, uuid) IS
    'tenantbase:platform Request path (account role): a member''s tenant that is moving (moved false) or moved, and where to.';
