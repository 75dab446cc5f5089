-- The coming months' partitions are counted from a day the caller gives (its
-- clock), not from the database's now(): retention and partition upkeep then
-- behave the same whatever day they run, and tests set the day.

DROP FUNCTION audit.ensure_partitions(integer);

CREATE FUNCTION audit.ensure_partitions(p_today date, months_ahead integer DEFAULT 3) RETURNS SETOF text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    this_month date := date_trunc('month', p_today::timestamp)::date;
    created text;
BEGIN
    IF p_today IS NULL THEN
        RAISE EXCEPTION 'p_today is required' USING ERRCODE = 'null_value_not_allowed';
    END IF;
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
COMMENT ON FUNCTION audit.ensure_partitions(date, integer) IS
    'Creates the partitions of p_today''s month and the next months_ahead months (UTC) that do not exist yet; returns their names.';
REVOKE ALL ON FUNCTION audit.ensure_partitions(date, integer) FROM PUBLIC;
