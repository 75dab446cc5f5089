-- The generated search functions were LANGUAGE sql: a SECURITY DEFINER SQL
-- function is never inlined, so its query was planned anew on every call (the
-- benchmark saw the search forms cost 2-3 times the owner's plain query). Now
-- PL/pgSQL with one generic plan per session: planned once, with the tenant and
-- the search term as parameters, it serves every call from the tenant-leading GIN
-- index (custom plans, estimated for the one tenant's row count, would drift to
-- the tenant's btree index plus a filter, the plan this function exists to
-- avoid). The tenant is verified once, into a variable. Same names, arguments and
-- results; every existing search function is generated again.
CREATE OR REPLACE FUNCTION search.expose(tbl regclass) RETURNS SETOF regprocedure
    LANGUAGE plpgsql
    AS $$
DECLARE
    target record;
    ix record;
    key_defs text;
    key_cols text;
    fn text;
    argument text;
    signature text;
    predicate text;
    ranked boolean;
BEGIN
    SELECT n.nspname, c.relname INTO target
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl;

    -- The primary key without tenant_id identifies a row inside the tenant.
    SELECT string_agg(format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', ' ORDER BY k.ord),
           string_agg(format('t.%I', a.attname), ', ' ORDER BY k.ord)
    INTO key_defs, key_cols
    FROM pg_constraint con
    CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k (attnum, ord)
    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
    WHERE con.conrelid = tbl AND con.contype = 'p' AND a.attname <> 'tenant_id';
    IF key_defs IS NULL THEN
        RAISE EXCEPTION 'search.expose: % has no primary key besides tenant_id', tbl;
    END IF;

    FOR ix IN
        SELECT a.attname AS col, format_type(a.atttypid, a.atttypmod) AS typ, ty.typcategory AS category
        FROM pg_index i
        JOIN pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_am am ON am.oid = ic.relam
        JOIN pg_attribute lead ON lead.attrelid = i.indrelid AND lead.attnum = i.indkey[0]
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[1]
        JOIN pg_type ty ON ty.oid = a.atttypid
        WHERE i.indrelid = tbl AND am.amname = 'gin' AND i.indnatts = 2 AND lead.attname = 'tenant_id'
        ORDER BY ic.relname
    LOOP
        -- Parameters are referenced by position: a column may share a parameter's name.
        ranked := ix.typ = 'tsvector';
        IF ranked THEN
            fn := format('search.%I', target.nspname || '_' || target.relname);
            argument := 'phrase text';
            -- The condition keeps the call (the planner then chooses the GIN index);
            -- the ranking uses the query parsed once into a variable: in a generic
            -- plan, websearch_to_tsquery($1) inside ts_rank() runs for every match.
            predicate := format('t.%I @@ websearch_to_tsquery(''english''::regconfig, $1)', ix.col);
        ELSIF ix.typ = 'jsonb' THEN
            fn := format('search.%I', target.nspname || '_' || target.relname || '_' || ix.col || '_containing');
            argument := 'doc jsonb';
            predicate := format('t.%I @> $1', ix.col);
        ELSIF ix.category = 'A' THEN
            fn := format('search.%I', target.nspname || '_' || target.relname || '_' || ix.col || '_overlapping');
            argument := format('vals %s', ix.typ);
            predicate := format('t.%I && $1', ix.col);
        ELSE
            CONTINUE;
        END IF;
        signature := format('%s(%s, integer)', fn, regexp_replace(argument, '^[a-z_]+ ', ''));

        -- Result columns are PL/pgSQL variables too: use_column lets the query's
        -- (always qualified) columns win.
        EXECUTE format(
            'CREATE OR REPLACE FUNCTION %s(%s, max_rows integer DEFAULT 100) RETURNS TABLE (%s)
                 LANGUAGE plpgsql STABLE SECURITY DEFINER
                 SET search_path = pg_catalog, pg_temp SET plan_cache_mode = force_generic_plan
                 AS $body$
                 #variable_conflict use_column
                 DECLARE
                     acting_tenant uuid := tenancy.current_tenant_id();
                     %s
                 BEGIN
                     RETURN QUERY
                     SELECT %s
                     FROM %s t
                     WHERE t.tenant_id = acting_tenant AND %s
                     %s
                     LIMIT $2;
                 END
                 $body$',
            fn, argument,
            CASE WHEN ranked THEN key_defs || ', rank real' ELSE key_defs END,
            CASE WHEN ranked THEN 'parsed_query tsquery := websearch_to_tsquery(''english''::regconfig, $1);' ELSE '' END,
            CASE WHEN ranked THEN format('%s, ts_rank(t.%I, parsed_query) AS match_rank', key_cols, ix.col)
                 ELSE key_cols END,
            tbl,
            predicate,
            CASE WHEN ranked THEN 'ORDER BY match_rank DESC' ELSE '' END);
        PERFORM tenancy.give_to_platform(signature::regprocedure);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO tenantbase_app, tenantbase_readonly', signature);
        EXECUTE format('COMMENT ON FUNCTION %s IS %L', signature,
                       format('The acting tenant''s %s rows where %s, served by a tenant-leading GIN index (generated by search.expose).',
                              tbl, predicate));
        RETURN NEXT signature::regprocedure;
    END LOOP;
END
$$;

-- CREATE OR REPLACE keeps each function's identity, so its grants and callers stay.
SELECT search.expose(exposed.relid)
FROM (SELECT DISTINCT i.indrelid AS relid
      FROM pg_index i
      JOIN pg_class c ON c.oid = i.indrelid
      JOIN pg_class ic ON ic.oid = i.indexrelid
      JOIN pg_am am ON am.oid = ic.relam
      JOIN pg_attribute lead ON lead.attrelid = i.indrelid AND lead.attnum = i.indkey[0]
      WHERE am.amname = 'gin' AND i.indnatts = 2 AND lead.attname = 'tenant_id' AND NOT c.relispartition) AS exposed;
