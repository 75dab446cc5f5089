-- The chains' sealed heads, for the checkpoints the server's sealer signs outside
-- the database (src/audit/checkpoints.rs). Ids and hashes only: no tenant data.
CREATE FUNCTION audit.chain_heads(OUT chain_id uuid, OUT head_id bigint, OUT head_hash bytea)
    RETURNS SETOF record
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ SELECT c.chain_id, c.head_id, c.head_hash FROM audit.chains c WHERE c.head_id > 0 ORDER BY c.chain_id $$;
COMMENT ON FUNCTION audit.chain_heads() IS
    'tenantbase:platform Every audit chain''s sealed head (id and hash), for signed checkpoints; no tenant data.';
GRANT CREATE ON SCHEMA audit TO tenantbase_audit;
ALTER FUNCTION audit.chain_heads() OWNER TO tenantbase_audit;
REVOKE CREATE ON SCHEMA audit FROM tenantbase_audit;
REVOKE ALL ON FUNCTION audit.chain_heads() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit.chain_heads() TO tenantbase_platform, tenantbase_account;
