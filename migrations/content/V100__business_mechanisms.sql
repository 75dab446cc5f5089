-- Mechanisms shared by the business modules (content, work, agents, commerce,
-- analytics). They live in the first business migration because every module
-- after it uses them: tenant-leading GIN indexes (btree_gin), the search
-- functions generated from those indexes, and the guard against cycles in a
-- parent chain.

-- btree_gin lets a GIN index lead with tenant_id: GIN (tenant_id, search_vector).
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- The few SECURITY DEFINER functions that must act beyond the caller's rights
-- (write credits, decisions, metrics) run as tenantbase_platform (BYPASSRLS,
-- NOLOGIN), as in V40. Ownership moves only to a role allowed to create in the
-- function's schema: that right is lent for the hand-over and taken back.
CREATE FUNCTION tenancy.give_to_platform(fn regprocedure) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    schema_name name := (SELECT n.nspname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.oid = fn);
    lend boolean := NOT has_schema_privilege('tenantbase_platform', schema_name, 'CREATE');
BEGIN
    IF lend THEN
        EXECUTE format('GRANT CREATE ON SCHEMA %I TO tenantbase_platform', schema_name);
    END IF;
    EXECUTE format('ALTER FUNCTION %s OWNER TO tenantbase_platform', fn);
    IF lend THEN
        EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM tenantbase_platform', schema_name);
    END IF;
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', fn);
END
$$;
COMMENT ON FUNCTION tenancy.give_to_platform(regprocedure) IS
    'Makes tenantbase_platform the owner of a function (it then runs SECURITY DEFINER as platform); revokes PUBLIC execute.';
REVOKE EXECUTE ON FUNCTION tenancy.give_to_platform(regprocedure) FROM tenantbase_app, tenantbase_readonly, tenantbase_platform;

-- Search under RLS. A policy's qual runs before any non-LEAKPROOF operator
-- (full-text @@, JSONB @>, array &&), so below a policy those operators cannot
-- use their GIN index: the planner reads the tenant's whole posting list and
-- filters. Each function here runs the same query with an explicit
-- `tenant_id = tenancy.current_tenant_id()`, the policy's own condition, as
-- tenantbase_platform (BYPASSRLS), so both conditions become index conditions of
-- one tenant-leading GIN index. They return keys only: the caller reads the rows
-- back through RLS and its own column privileges.
CREATE SCHEMA search;
COMMENT ON SCHEMA search IS 'Generated index-served search functions (search.expose), one per tenant-leading GIN index.';
GRANT USAGE ON SCHEMA search TO tenantbase_app, tenantbase_readonly, tenantbase_platform;

CREATE FUNCTION search.expose(tbl regclass) RETURNS SETOF regprocedure
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

        EXECUTE format(
            'CREATE OR REPLACE FUNCTION %s(%s, max_rows integer DEFAULT 100) RETURNS TABLE (%s)
                 LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
                 AS $body$
                 SELECT %s
                 FROM %s t
                 WHERE t.tenant_id = tenancy.current_tenant_id() AND %s
                 %s
                 LIMIT $2
                 $body$',
            fn, argument,
            CASE WHEN ranked THEN key_defs || ', rank real' ELSE key_defs END,
            CASE WHEN ranked THEN format('%s, ts_rank(t.%I, websearch_to_tsquery(''english''::regconfig, $1)) AS match_rank',
                                         key_cols, ix.col)
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
COMMENT ON FUNCTION search.expose(regclass) IS
    'Generates one SECURITY DEFINER search function per GIN (tenant_id, column) index of a table: full-text (tsvector), containment (jsonb) or overlap (arrays).';
REVOKE EXECUTE ON FUNCTION search.expose(regclass) FROM PUBLIC;

-- A parent chain (task -> parent task, decision -> superseding decision) must
-- never loop back. tenancy.guard_parent_chain(table, parent column, rule)
-- generates one trigger function per chain, with static SQL so that its plans
-- are cached (a bulk load runs it for every row), and attaches it as an AFTER
-- trigger.
-- The chain above the new parent is share-locked as it is read, then read
-- again, until every row read is locked. From then on no other transaction can
-- change a parent in the chain before this one ends, and a change made before
-- the locks were granted is either seen by the last read (READ COMMITTED: a new
-- statement, a new snapshot) or makes the lock fail to serialize (REPEATABLE
-- READ and SERIALIZABLE). Two concurrent edits closing a loop can therefore
-- never both commit: one sees the other's edge, or fails, or they deadlock.
-- The generated functions are SECURITY DEFINER (platform, BYPASSRLS) so that
-- the walk sees and locks every ancestor whatever the acting user's update
-- permission; they stay in NEW's tenant, and an AFTER trigger only sees rows
-- that passed the table's policies.
CREATE FUNCTION tenancy.guard_parent_chain(tbl regclass, parent_column name, rule text) RETURNS void
    LANGUAGE plpgsql
    AS $guard$
DECLARE
    target record;
    fn text;
    -- The new parent and its ancestors, stopping at NEW (UNION ends a loop).
    chain text;
BEGIN
    SELECT n.nspname, c.relname INTO target
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl;
    fn := format('%I.%I', target.nspname, target.relname || '_' || parent_column || '_acyclic');
    chain := format(
        'WITH RECURSIVE up (id) AS (
             SELECT NEW.%1$I
             UNION
             SELECT p.%1$I FROM up JOIN %2$s p ON p.tenant_id = NEW.tenant_id AND p.id = up.id
             WHERE up.id <> NEW.id AND p.%1$I IS NOT NULL)
         SELECT id FROM up',
        parent_column, tbl);
    EXECUTE format(
        $f$CREATE OR REPLACE FUNCTION %1$s() RETURNS trigger
               LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
               AS $body$
           DECLARE
               ancestors uuid[];
               locked uuid[] := '{}';
           BEGIN
               LOOP
                   SELECT array_agg(id) INTO ancestors
                   FROM (SELECT id FROM %2$s WHERE tenant_id = NEW.tenant_id AND id = ANY (ARRAY(%3$s))
                         ORDER BY id FOR SHARE) AS locked_now;
                   locked := locked || ancestors;
                   SELECT array_agg(id) INTO ancestors FROM (%3$s) AS read_again;
                   IF NEW.id = ANY (ancestors) THEN
                       RAISE EXCEPTION 'a row of %2$s cannot be its own ancestor'
                           USING ERRCODE = 'check_violation', CONSTRAINT = %4$L,
                                 SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, COLUMN = %5$L;
                   END IF;
                   EXIT WHEN ancestors <@ locked;
               END LOOP;
               RETURN NULL;
           END
           $body$
        $f$,
        fn, tbl, chain, rule, parent_column);
    PERFORM tenancy.give_to_platform(format('%s()', fn)::regprocedure);
    EXECUTE format('COMMENT ON FUNCTION %s() IS %L', fn,
                   format('Trigger: refuses a %s.%s chain that loops back (generated by tenancy.guard_parent_chain).', tbl, parent_column));
    EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER INSERT OR UPDATE OF %I ON %s
                    FOR EACH ROW WHEN (NEW.%I IS NOT NULL) EXECUTE FUNCTION %s()',
                   parent_column || '_acyclic', parent_column, tbl, parent_column, fn);
END
$guard$;
COMMENT ON FUNCTION tenancy.guard_parent_chain(regclass, name, text) IS
    'Refuses, under concurrency, any change that would make a row its own ancestor through parent_column; errors name the rule.';
REVOKE EXECUTE ON FUNCTION tenancy.guard_parent_chain(regclass, name, text) FROM tenantbase_app, tenantbase_readonly, tenantbase_platform;
