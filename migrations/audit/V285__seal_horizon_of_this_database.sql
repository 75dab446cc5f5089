-- The sealer's horizon (V280) held back while another database's transaction held
-- locks on shared catalogs only (CREATE DATABASE copying a template, for seconds):
-- it was taken for one of this database's. A transaction is now counted as this
-- database's when it holds a lock here, or no lock on any database's object yet
-- (it has just begun); one that holds locks elsewhere and none here is another
-- database's. (One of this database's that has so far touched only shared catalogs
-- would have its later entries sealed after younger ones: in a later place, never lost.)
CREATE OR REPLACE FUNCTION audit.seal_horizon() RETURNS xid8
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    snap pg_snapshot := pg_current_snapshot();
    here oid := (SELECT d.oid FROM pg_database d WHERE d.datname = current_database());
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_snapshot_xip(snap)) THEN
        RETURN pg_snapshot_xmax(snap);
    END IF;
    RETURN coalesce(
        (WITH locks AS MATERIALIZED (SELECT pid, locktype, mode, granted, transactionid, database FROM pg_locks),
              elsewhere AS (
                  SELECT t.transactionid::text::bigint AS xid32 FROM locks t
                  WHERE t.locktype = 'transactionid' AND t.mode = 'ExclusiveLock' AND t.granted
                    AND EXISTS (SELECT 1 FROM locks o WHERE o.pid = t.pid AND o.database IS NOT NULL)
                    AND NOT EXISTS (SELECT 1 FROM locks o WHERE o.pid = t.pid AND o.database = here))
         SELECT x FROM pg_snapshot_xip(snap) AS x
         WHERE (x::text::numeric % 4294967296)::bigint NOT IN (SELECT xid32 FROM elsewhere)
         ORDER BY x LIMIT 1),
        pg_snapshot_xmax(snap));
END
$$;
