-- Chain edits take their locks in one order. The guards of parent chains
-- (tenancy.guard_parent_chain) and of task dependencies share-lock the rows
-- above the new parent AFTER the statement has locked the rows it changes, so
-- two opposing edits (A under B, B under A) each held their own row and waited
-- for the other's: a deadlock, broken only after deadlock_timeout. Now every
-- statement that can change a chain first takes its tenant's lock for that
-- table (a transaction advisory lock, BEFORE the statement locks any row):
-- chain edits of one tenant and table run one after the other and never hold
-- a row another chain edit waits for; other tenants never wait on it.
CREATE FUNCTION tenancy.serialize_chain_edits() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    -- Without a tenant (platform maintenance), one lock for the table.
    PERFORM pg_advisory_xact_lock(hashtextextended(
        'chain:' || TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME || ':' || coalesce(tenancy.current_tenant_id()::text, ''), 0));
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION tenancy.serialize_chain_edits() IS
    'Statement trigger: takes the acting tenant''s advisory lock for a table''s chain edits before any row is locked (attached by tenancy.chain_edits_in_order).';
SELECT tenancy.give_to_platform('tenancy.serialize_chain_edits()');

CREATE FUNCTION tenancy.chain_edits_in_order(tbl regclass, columns name[]) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    EXECUTE format('CREATE OR REPLACE TRIGGER chain_edits_in_order BEFORE INSERT OR UPDATE OF %s ON %s
                    FOR EACH STATEMENT EXECUTE FUNCTION tenancy.serialize_chain_edits()',
                   (SELECT string_agg(quote_ident(c), ', ') FROM unnest(columns) AS c), tbl);
END
$$;
COMMENT ON FUNCTION tenancy.chain_edits_in_order(regclass, name[]) IS
    'Makes every INSERT and every UPDATE of the chain columns of a table take the tenant''s chain lock first; call it for each guarded chain.';
REVOKE EXECUTE ON FUNCTION tenancy.chain_edits_in_order(regclass, name[]) FROM tenantbase_app, tenantbase_readonly, tenantbase_platform;

SELECT tenancy.chain_edits_in_order('work.tasks', ARRAY['parent_task_id']);
SELECT tenancy.chain_edits_in_order('work.requirements', ARRAY['parent_requirement_id', 'previous_version_id']);
SELECT tenancy.chain_edits_in_order('work.architecture_decisions', ARRAY['superseded_by']);
SELECT tenancy.chain_edits_in_order('agents.tasks', ARRAY['parent_task_id']);
SELECT tenancy.chain_edits_in_order('agents.task_dependencies', ARRAY['task_id', 'depends_on_id']);
