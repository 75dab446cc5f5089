-- The API lists a resource newest first by default (created_at, then id), and
-- the app role plans once for every tenant (plan_cache_mode = force_generic_plan):
-- without an index in exactly that order, the generic plan reads and sorts the
-- whole tenant's rows for one page, which the largest tenant of a skewed
-- population pays in full. Every tenant table with a creation time gets
-- (tenant_id, created_at, id), so that a page is an index range; an index on
-- (tenant_id, created_at) alone is superseded by it and dropped.
DO $$
DECLARE
    t record;
    old record;
BEGIN
    FOR t IN
        SELECT c.oid, n.nspname, c.relname
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relrowsecurity
          AND n.nspname IN ('tenancy', 'audit', 'content', 'work', 'agents', 'commerce', 'analytics')
          AND (SELECT count(*) FROM pg_attribute a
               WHERE a.attrelid = c.oid AND a.attname IN ('tenant_id', 'created_at', 'id') AND NOT a.attisdropped) = 3
          AND NOT EXISTS (
              SELECT 1 FROM pg_index i
              WHERE i.indrelid = c.oid AND i.indpred IS NULL AND i.indnkeyatts >= 3
                AND (SELECT array_agg(a.attname::text ORDER BY k.n)
                     FROM unnest(i.indkey[0:2]) WITH ORDINALITY AS k(attnum, n)
                     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum)
                    = ARRAY['tenant_id', 'created_at', 'id'])
        ORDER BY 2, 3
    LOOP
        FOR old IN
            SELECT ic.relname
            FROM pg_index i
            JOIN pg_class ic ON ic.oid = i.indexrelid
            WHERE i.indrelid = t.oid AND i.indpred IS NULL AND NOT i.indisunique AND i.indnkeyatts = 2
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
              AND (SELECT array_agg(a.attname::text ORDER BY k.n)
                   FROM unnest(i.indkey[0:1]) WITH ORDINALITY AS k(attnum, n)
                   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum)
                  = ARRAY['tenant_id', 'created_at']
        LOOP
            EXECUTE format('DROP INDEX %I.%I', t.nspname, old.relname);
        END LOOP;
        EXECUTE format('CREATE INDEX %I ON %I.%I (tenant_id, created_at, id)',
                       left(t.relname, 40) || '_tenant_created_idx', t.nspname, t.relname);
    END LOOP;
END
$$;
