-- Embeddings: client-supplied vectors for content, messages and tasks, searched by
-- similarity inside the acting tenant. They need the pgvector extension, which not
-- every server has: this file is the same everywhere (its checksum never depends on
-- the machine) and only defines the schema and embeddings.install(dimension);
-- `tenantbase migrate` creates the extension and calls install whenever the server
-- offers `vector` (pg_available_extensions), on this run or on any later one.
CREATE SCHEMA embeddings;
GRANT USAGE ON SCHEMA embeddings TO tenantbase_app, tenantbase_readonly, tenantbase_platform;

CREATE FUNCTION embeddings.install(dimension integer) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    installed integer;
    parent record;
    tbl text;
BEGIN
    IF to_regtype('embeddings.vector') IS NULL THEN
        RAISE EXCEPTION 'embeddings.install: the vector extension is not in schema embeddings';
    END IF;
    -- HNSW indexes vectors of at most 2000 dimensions.
    IF dimension IS NULL OR dimension NOT BETWEEN 1 AND 2000 THEN
        RAISE EXCEPTION 'embeddings.install: a dimension between 1 and 2000, not %', dimension;
    END IF;
    -- The dimension is fixed per deployment: the first install sets it.
    SELECT a.atttypmod INTO installed FROM pg_attribute a
    WHERE a.attrelid = to_regclass('embeddings.content_projects') AND a.attname = 'embedding';
    IF installed IS NOT NULL THEN
        IF installed <> dimension THEN
            RAISE EXCEPTION 'embeddings.install: this database''s embeddings have % dimensions, not %', installed, dimension;
        END IF;
        RETURN;
    END IF;

    FOR parent IN
        SELECT * FROM (VALUES ('content.content_projects'::regclass, 'content_projects', 'content'),
                              ('agents.messages'::regclass, 'messages', 'agents'),
                              ('work.tasks'::regclass, 'tasks', 'work')) AS p (rel, name, resource)
    LOOP
        tbl := format('embeddings.%I', parent.name);
        -- One embedding per row of the parent, in the parent's tenant (composite key).
        EXECUTE format(
            'CREATE TABLE %s (
                 tenant_id  uuid NOT NULL,
                 id         uuid NOT NULL,
                 embedding  embeddings.vector(%s) NOT NULL,
                 model      text CONSTRAINT %I CHECK (btrim(model) <> %L),
                 updated_at timestamptz NOT NULL DEFAULT now(),
                 PRIMARY KEY (tenant_id, id),
                 FOREIGN KEY (tenant_id, id) REFERENCES %s (tenant_id, id) ON DELETE CASCADE
             )', tbl, dimension, parent.name || '_model_not_blank', '', parent.rel);
        -- HNSW takes one vector column: it cannot lead with tenant_id. The tenant is a
        -- filter during its iterative scan (see the search function).
        EXECUTE format('CREATE INDEX %I ON %s USING hnsw (embedding embeddings.vector_cosine_ops)',
                       parent.name || '_embedding_idx', tbl);
        EXECUTE format('COMMENT ON INDEX embeddings.%I IS %L', parent.name || '_embedding_idx',
                       'tenantbase:an HNSW index takes one vector column; the search functions filter by tenant during its iterative scan, and search small tenants exactly through the primary key');
        PERFORM tenancy.isolate(tbl::regclass, parent.resource);
        EXECUTE format('COMMENT ON TABLE %s IS %L', tbl,
                       format('Client-supplied embeddings of %s rows (cosine distance), one per row.', parent.rel));

        -- Similarity search as the caller (SECURITY INVOKER: RLS applies to both tables).
        -- filter: equalities on the parent's columns, combined (to_jsonb(row) @> filter),
        -- as a correlated EXISTS skipped when empty: a join with the parent would let the
        -- planner scan the whole parent rather than walk the HNSW index.
        -- A tenant with few embeddings is searched exactly through the tenant-leading
        -- primary key (recall 1); a larger one through the HNSW index with iterative
        -- scans (set LOCAL: transaction-scoped, never left on a pooled connection), so a
        -- tenant that is a small part of a large table still gets max_rows rows.
        -- relaxed_order may return neighbours slightly out of order: re-sorted.
        EXECUTE format(
            'CREATE FUNCTION embeddings.%I(query embeddings.vector, max_rows integer DEFAULT 10, filter jsonb DEFAULT %L)
                 RETURNS TABLE (id uuid, distance double precision)
                 LANGUAGE plpgsql STABLE
                 SET search_path = pg_catalog, pg_temp
                 AS $body$
                 #variable_conflict use_column
                 DECLARE
                     acting_tenant uuid := tenancy.current_tenant_id();
                     wanted integer := least(greatest(coalesce(max_rows, 10), 1), 100);
                     conditions jsonb := coalesce(filter, %L);
                     stored integer;
                 BEGIN
                     IF acting_tenant IS NULL OR query IS NULL THEN
                         RETURN;
                     END IF;
                     SELECT count(*) INTO stored
                     FROM (SELECT 1 FROM %s e WHERE e.tenant_id = acting_tenant LIMIT 1000) AS few;
                     IF stored < 1000 THEN
                         -- "+ 0": an ordering the HNSW index cannot serve, so the exact plan.
                         RETURN QUERY
                         SELECT e.id, (e.embedding OPERATOR(embeddings.<=>) query) + 0 AS distance
                         FROM %s e
                         WHERE e.tenant_id = acting_tenant
                           AND (conditions = %L OR EXISTS (SELECT 1 FROM %s p WHERE p.tenant_id = e.tenant_id
                                                           AND p.id = e.id AND to_jsonb(p) @> conditions))
                         ORDER BY 2
                         LIMIT wanted;
                     ELSE
                         -- SET LOCAL, once pgvector is loaded (the query vector was read): a SET
                         -- clause on the function is checked before, against a placeholder.
                         PERFORM set_config(''hnsw.iterative_scan'', ''relaxed_order'', true),
                                 set_config(''hnsw.ef_search'', ''100'', true);
                         RETURN QUERY
                         WITH nearest AS MATERIALIZED (
                             SELECT e.id, e.embedding OPERATOR(embeddings.<=>) query AS distance
                             FROM %s e
                             WHERE e.tenant_id = acting_tenant
                               AND (conditions = %L OR EXISTS (SELECT 1 FROM %s p WHERE p.tenant_id = e.tenant_id
                                                               AND p.id = e.id AND to_jsonb(p) @> conditions))
                             ORDER BY e.embedding OPERATOR(embeddings.<=>) query
                             LIMIT wanted)
                         SELECT n.id, n.distance FROM nearest n ORDER BY n.distance;
                     END IF;
                 END
                 $body$',
            'similar_' || parent.name, '{}', '{}', tbl, tbl, '{}', parent.rel, tbl, '{}', parent.rel);
        EXECUTE format('REVOKE EXECUTE ON FUNCTION embeddings.%I(embeddings.vector, integer, jsonb) FROM PUBLIC',
                       'similar_' || parent.name);
        EXECUTE format('GRANT EXECUTE ON FUNCTION embeddings.%I(embeddings.vector, integer, jsonb) TO tenantbase_app, tenantbase_readonly',
                       'similar_' || parent.name);
        EXECUTE format('COMMENT ON FUNCTION embeddings.%I(embeddings.vector, integer, jsonb) IS %L', 'similar_' || parent.name,
                       format('The acting tenant''s %s rows nearest to the query (cosine distance), whose columns match filter; at most 100.', parent.rel));
    END LOOP;
END
$$;
COMMENT ON FUNCTION embeddings.install(integer) IS
    'Creates the embedding tables, their HNSW indexes and search functions with vectors of the given dimension; idempotent, refuses another dimension. Run by tenantbase migrate where pgvector is available.';
REVOKE EXECUTE ON FUNCTION embeddings.install(integer) FROM PUBLIC;
