-- The queue's writer was an SQL function, planned again at every call: about 2 ms
-- of every audited statement on the development machine. In PL/pgSQL its plan is
-- kept for the session.
CREATE OR REPLACE FUNCTION audit.queue_changes(args text[], op audit.operation, old_rows jsonb[], new_rows jsonb[]) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO audit.log_pending (xact_id, chain_id, written_at, event_type, event_action, event_description,
                                   table_name, operation, row_key, old_values, new_values, target_type, target_id,
                                   project_id, user_id, impersonated_by, api_key_id, request_id, ip_address,
                                   user_agent, db_role, metadata)
    SELECT r.xact_id, c.tenant, clock_timestamp(), args[3]::audit.event_type,
           args[2] || '.' || CASE op WHEN 'insert' THEN 'created' WHEN 'update' THEN 'updated' ELSE 'deleted' END,
           CASE WHEN op = 'update' THEN 'changed: ' || coalesce((SELECT string_agg(k, ', ' ORDER BY k)
                                                                 FROM jsonb_object_keys(d.new_values) AS k), 'nothing') END,
           args[1], op, (SELECT jsonb_object_agg(k, c.subject -> k) FROM unnest(args[5:]) AS k),
           d.old_values, d.new_values, args[2],
           audit.uuid_or_null(c.subject ->> 'id'), audit.uuid_or_null(c.subject ->> 'project_id'),
           r.user_id, r.impersonated_by, r.api_key_id, r.request_id, r.ip_address, r.user_agent, r.db_role,
           CASE WHEN pg_trigger_depth() > 1 THEN jsonb_build_object('trigger_depth', pg_trigger_depth()) ELSE '{}' END
    FROM unnest(old_rows, new_rows) AS u (o, n)
    CROSS JOIN LATERAL (SELECT coalesce(u.n, u.o) AS subject, (coalesce(u.n, u.o) ->> args[4])::uuid AS tenant) AS c
    -- For an update, only the changed columns, before and after.
    CROSS JOIN LATERAL (SELECT CASE WHEN op = 'update'
                                    THEN (SELECT coalesce(jsonb_object_agg(x.key, u.o -> x.key), '{}')
                                          FROM jsonb_each(u.n) AS x WHERE x.value IS DISTINCT FROM u.o -> x.key)
                                    ELSE u.o END,
                               CASE WHEN op = 'update'
                                    THEN (SELECT coalesce(jsonb_object_agg(x.key, x.value), '{}')
                                          FROM jsonb_each(u.n) AS x WHERE x.value IS DISTINCT FROM u.o -> x.key)
                                    ELSE u.n END) AS d (old_values, new_values)
    CROSS JOIN audit.current_request() AS r
    WHERE op <> 'delete' OR EXISTS (SELECT 1 FROM tenancy.tenants t WHERE t.id = c.tenant);
END
$$;
