-- Moving rows out of a default partition switched the audit trigger of the
-- partition off (moved, not changed: one platform entry instead of a delete and an
-- insert per row). The trail's writer is now a statement-level trigger of the parent,
-- which a statement on the partition does not fire; only its per-row form (Citus) is
-- cloned onto partitions, and is switched as before.

CREATE OR REPLACE FUNCTION analytics.ensure_partitions(p_today date, months_ahead integer DEFAULT 3, months_back integer DEFAULT 0)
    RETURNS SETOF regclass
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    this_month timestamptz;
    parent record;
    fk record;
    month_start timestamptz;
    partition_name text;
    new_partition regclass;
    moved bigint;
BEGIN
    IF p_today IS NULL THEN
        RAISE EXCEPTION 'p_today is required' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF months_ahead NOT BETWEEN 0 AND 24 OR months_back NOT BETWEEN 0 AND 120 THEN
        RAISE EXCEPTION 'partitions are created at most 24 months ahead and 120 months back'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    this_month := date_trunc('month', p_today::timestamp) AT TIME ZONE 'UTC';
    FOR parent IN
        SELECT c.oid::regclass AS tbl, c.relname, p.partdefid::regclass AS default_partition,
               (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute a
                WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_partitioned_table p ON p.partrelid = c.oid
        WHERE n.nspname = 'analytics' AND c.relkind = 'p'
        ORDER BY c.relname
    LOOP
        -- Nothing to do, and no lock taken, on most days: the window's months exist and
        -- the default has never held a row (or vacuum has truncated it since).
        CONTINUE WHEN pg_relation_size(parent.default_partition) = 0
            AND NOT EXISTS (SELECT 1 FROM generate_series(-months_back, months_ahead) AS m
                            WHERE to_regclass(format('analytics.%I', parent.relname || '_y'
                                    || to_char((this_month + make_interval(months => m)) AT TIME ZONE 'UTC', 'YYYY"m"MM'))) IS NULL);
        -- The parent first, then the default, the order in which queries lock them.
        EXECUTE format('LOCK TABLE %s IN SHARE UPDATE EXCLUSIVE MODE', parent.tbl);
        -- The owner reads and moves every tenant's rows of the default: exempt from its
        -- RLS until the FORCE below, under ALTER TABLE's lock, held until commit.
        EXECUTE format('ALTER TABLE %s NO FORCE ROW LEVEL SECURITY', parent.default_partition);
        -- The audit trail's per-row form (under Citus) is cloned onto the partition; its
        -- statement-level form is the parent's alone and does not fire for the partition.
        IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = parent.default_partition AND tgname = 'audit_change') THEN
            EXECUTE format('ALTER TABLE %s DISABLE TRIGGER audit_change', parent.default_partition);
        END IF;
        FOR month_start IN EXECUTE format(
            'SELECT $1 + make_interval(months => m) FROM generate_series(-$2, $3) AS m
             UNION
             SELECT date_trunc(''month'', occurred_at AT TIME ZONE ''UTC'') AT TIME ZONE ''UTC'' FROM %s
             WHERE occurred_at >= $1 - interval ''120 months'' AND occurred_at < $1 + interval ''25 months''
             ORDER BY 1', parent.default_partition)
            USING this_month, months_back, months_ahead
        LOOP
            partition_name := parent.relname || '_y' || to_char(month_start AT TIME ZONE 'UTC', 'YYYY"m"MM');
            CONTINUE WHEN to_regclass(format('analytics.%I', partition_name)) IS NOT NULL;
            EXECUTE format('CREATE TABLE analytics.%I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)',
                           partition_name, parent.tbl);
            new_partition := format('analytics.%I', partition_name)::regclass;
            -- The parent's foreign keys, checked row by row as the rows arrive. Attaching
            -- adopts them; had it to add its own, it would validate them with one query
            -- as the owner, to which the referenced tables' forced RLS shows no row.
            FOR fk IN SELECT c.conname, pg_get_constraintdef(c.oid) AS definition FROM pg_constraint c
                      WHERE c.conrelid = parent.tbl AND c.contype = 'f' ORDER BY c.conname
            LOOP
                EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', new_partition, fk.conname, fk.definition);
            END LOOP;
            EXECUTE format('WITH moved AS (DELETE FROM %1$s WHERE occurred_at >= $1 AND occurred_at < $2 RETURNING %3$s)
                            INSERT INTO %2$s (%3$s) SELECT %3$s FROM moved',
                           parent.default_partition, new_partition, parent.columns)
                USING month_start, month_start + interval '1 month';
            GET DIAGNOSTICS moved = ROW_COUNT;
            EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s FOR VALUES FROM (%L) TO (%L)',
                           parent.tbl, new_partition, month_start, month_start + interval '1 month');
            PERFORM tenancy.isolate(new_partition, 'analytics');
            -- Moved, not changed: one platform entry instead of a delete and an insert per row.
            IF moved > 0 THEN
                PERFORM audit.record_platform_event('system_event', 'analytics.rows_moved',
                    format('moved %s rows of %s out of its default partition into %s', moved, parent.tbl, new_partition),
                    p_metadata => jsonb_build_object('table', parent.tbl::text, 'partition', new_partition::text, 'rows', moved));
            END IF;
            RETURN NEXT new_partition;
        END LOOP;
        EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', parent.default_partition);
        IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = parent.default_partition AND tgname = 'audit_change') THEN
            EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER audit_change', parent.default_partition);
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION analytics.ensure_partitions(date, integer, integer) IS
    'tenantbase:platform Creates the missing monthly partitions of the analytics time series around p_today''s month and for the rows waiting in their default partitions, and moves those rows in; returns the new partitions. It answers no tenant data.';
