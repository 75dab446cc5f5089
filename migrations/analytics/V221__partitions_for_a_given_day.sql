-- The analytics partitions are counted from a day the caller gives (its clock),
-- not from the database's now(), like the audit log's (audit/V220).

DROP FUNCTION analytics.ensure_partitions(integer, integer);

CREATE FUNCTION analytics.ensure_partitions(p_today date, months_ahead integer DEFAULT 3, months_back integer DEFAULT 0)
    RETURNS SETOF regclass
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    parent record;
    month_start timestamptz;
    partition_name text;
    offset_months integer;
BEGIN
    IF p_today IS NULL THEN
        RAISE EXCEPTION 'p_today is required' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF months_ahead NOT BETWEEN 0 AND 24 OR months_back NOT BETWEEN 0 AND 120 THEN
        RAISE EXCEPTION 'partitions are created at most 24 months ahead and 120 months back'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR parent IN
        SELECT c.oid::regclass AS tbl, c.relname
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'analytics' AND c.relkind = 'p'
        ORDER BY c.relname
    LOOP
        FOR offset_months IN -months_back .. months_ahead LOOP
            month_start := (date_trunc('month', p_today::timestamp) + make_interval(months => offset_months)) AT TIME ZONE 'UTC';
            partition_name := format('%s_y%sm%s', parent.relname,
                                     to_char(month_start AT TIME ZONE 'UTC', 'YYYY'), to_char(month_start AT TIME ZONE 'UTC', 'MM'));
            CONTINUE WHEN to_regclass(format('analytics.%I', partition_name)) IS NOT NULL;
            EXECUTE format('CREATE TABLE analytics.%I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)',
                           partition_name, parent.tbl, month_start, month_start + interval '1 month');
            PERFORM tenancy.isolate(format('analytics.%I', partition_name)::regclass, 'analytics');
            RETURN NEXT format('analytics.%I', partition_name)::regclass;
        END LOOP;
    END LOOP;
END
$$;
COMMENT ON FUNCTION analytics.ensure_partitions(date, integer, integer) IS
    'tenantbase:platform Creates the missing monthly partitions of the analytics time series around p_today''s month; returns the new ones. It reads and writes no tenant data.';
REVOKE ALL ON FUNCTION analytics.ensure_partitions(date, integer, integer) FROM PUBLIC;
-- The API server creates next months' partitions itself (once a day): DDL
-- through this one function only, bounded and idempotent.
GRANT EXECUTE ON FUNCTION analytics.ensure_partitions(date, integer, integer) TO tenantbase_app;
