-- The log's monthly partitions (UTC months). There is no default partition: an
-- entry whose month has no partition is refused, and so is the change it records,
-- rather than kept where retention cannot reach it. Partitions are created ahead of
-- time by audit.ensure_partitions, which `tenantbase migrate`, `tenantbase audit prune`
-- and `tenantbase audit verify` call; run prune daily (docs/audit.md).

CREATE FUNCTION audit.create_partition(p_month date) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    first_day date := date_trunc('month', p_month)::date;
    partition_name text := 'log_' || to_char(first_day, 'YYYY_MM');
BEGIN
    -- Concurrent callers (migrators, prune) create each partition once.
    PERFORM pg_advisory_xact_lock(hashtextextended('audit.create_partition', 0));
    IF to_regclass('audit.' || partition_name) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE format('CREATE TABLE audit.%I PARTITION OF audit.log FOR VALUES FROM (%L) TO (%L)', partition_name,
                   first_day::timestamp AT TIME ZONE 'UTC', (first_day + interval '1 month') AT TIME ZONE 'UTC');
    -- Reached only through the log and its policies: directly, by nobody that is subject to RLS.
    EXECUTE format('ALTER TABLE audit.%I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', partition_name);
    -- The log's row triggers are cloned to the partition; its TRUNCATE trigger is not.
    EXECUTE format('CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON audit.%I
                    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()', partition_name);
    RETURN partition_name;
END
$$;
COMMENT ON FUNCTION audit.create_partition(date) IS
    'Creates the log''s partition for the month of p_month (UTC) unless it exists; returns its name, or NULL.';

CREATE FUNCTION audit.ensure_partitions(months_ahead integer DEFAULT 3) RETURNS SETOF text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    this_month date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
    created text;
BEGIN
    IF months_ahead NOT BETWEEN 0 AND 24 THEN
        RAISE EXCEPTION 'months_ahead must be between 0 and 24, not %', months_ahead USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR i IN 0..months_ahead LOOP
        created := audit.create_partition((this_month + make_interval(months => i))::date);
        IF created IS NOT NULL THEN
            RETURN NEXT created;
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION audit.ensure_partitions(integer) IS
    'Creates the partitions of this month and the next months_ahead months (UTC) that do not exist yet; returns their names.';

-- The partitions and the time each covers, oldest first.
CREATE FUNCTION audit.partitions() RETURNS TABLE (partition regclass, from_at timestamptz, to_at timestamptz)
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT c.oid::regclass, bounds[1]::timestamptz, bounds[2]::timestamptz
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    CROSS JOIN LATERAL regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \(''([^'']+)''\) TO \(''([^'']+)''\)') AS bounds
    WHERE i.inhparent = 'audit.log'::regclass
    ORDER BY 2
$$;

SELECT audit.ensure_partitions();
