-- The trail, version 2: writers no longer build the hash chains. A change still
-- writes its entry in its own transaction (audit.log_pending, nothing is lost when
-- it commits, nothing kept when it rolls back), but takes no chain lock: writers of
-- one tenant no longer queue behind each other, nor deadlock through the chain.
-- audit.seal(), run by the platform (`tenantbase serve` continuously, or
-- `tenantbase audit seal`), chains the pending entries in batches, in transaction
-- order, and only below the oldest transaction still running: a long transaction
-- that commits late is sealed in its place, before every transaction that started
-- after it. Multi-row statements pay once per statement (statement-level triggers
-- over transition tables); Citus, which fires those per shard, gets the per-row form.
-- The chains hash a digest of each entry's payload (old and new values) rather than
-- the payload, so that a person's data can later be erased without breaking them.
-- Existing chains are kept as they are and continue (docs/audit.md).

-- When the change was written (the entry's occurred_at is when it was sealed), and
-- the digest the chain covers in place of the payload. NULL in entries of version 1.
ALTER TABLE audit.log
    ADD COLUMN written_at timestamptz,
    ADD COLUMN payload_digest bytea CONSTRAINT log_payload_digest_sha256 CHECK (length(payload_digest) = 32);
ALTER TABLE audit.platform_log ADD COLUMN written_at timestamptz;

-- Version 1 entries hash every column but the hash (the columns added above are left
-- out, so they hash as they always did). Version 2 entries: every column but the
-- hash and the payload, whose digest stands for it; written_at in UTC like occurred_at.
CREATE OR REPLACE FUNCTION audit.entry_content(entry anyelement) RETURNS text
    LANGUAGE sql STABLE
    AS $$
    SELECT (CASE WHEN j ->> 'written_at' IS NULL THEN j - 'hash' - 'written_at' - 'payload_digest'
                 ELSE j - 'hash' - 'old_values' - 'new_values'
                      || jsonb_build_object('written_at', to_char((j ->> 'written_at')::timestamptz AT TIME ZONE 'UTC',
                                                                  'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')) END
            || jsonb_build_object('occurred_at', to_char((j ->> 'occurred_at')::timestamptz AT TIME ZONE 'UTC',
                                                         'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')))::text
    FROM to_jsonb(entry) AS j
$$;

-- What an entry's payload digest covers: its old and new values.
CREATE FUNCTION audit.payload_digest(old_values jsonb, new_values jsonb) RETURNS bytea
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT public.digest(convert_to(jsonb_build_array(old_values, new_values)::text, 'UTF8'), 'sha256') $$;

-- Entries written but not yet chained. The key is the order they are chained in:
-- by transaction (top-level xid, assigned at its first write), then as written.
CREATE SEQUENCE audit.pending_seq CACHE 64;
CREATE TABLE audit.log_pending (
    xact_id           xid8 NOT NULL,
    seq               bigint NOT NULL DEFAULT nextval('audit.pending_seq'),
    -- The tenant (not called tenant_id: this is no table of the tenant's, nobody but the sealer reads it).
    chain_id          uuid NOT NULL,
    written_at        timestamptz NOT NULL,
    event_type        audit.event_type NOT NULL,
    event_action      text NOT NULL,
    event_description text,
    table_name        text,
    operation         audit.operation,
    row_key           jsonb,
    old_values        jsonb,
    new_values        jsonb,
    target_type       text,
    target_id         uuid,
    project_id        uuid,
    user_id           uuid,
    impersonated_by   uuid,
    api_key_id        uuid,
    request_id        text,
    ip_address        inet,
    user_agent        text,
    db_role           text NOT NULL,
    metadata          jsonb NOT NULL,
    PRIMARY KEY (xact_id, seq)
);
COMMENT ON TABLE audit.log_pending IS 'Tenant audit entries written and not yet sealed into their chain (audit.seal).';
CREATE TABLE audit.platform_pending (
    xact_id           xid8 NOT NULL,
    seq               bigint NOT NULL DEFAULT nextval('audit.pending_seq'),
    written_at        timestamptz NOT NULL,
    event_type        audit.event_type NOT NULL,
    event_action      text NOT NULL,
    event_description text,
    subject_tenant_id uuid,
    target_type       text,
    target_id         uuid,
    user_id           uuid,
    impersonated_by   uuid,
    api_key_id        uuid,
    request_id        text,
    ip_address        inet,
    user_agent        text,
    db_role           text NOT NULL,
    metadata          jsonb NOT NULL,
    PRIMARY KEY (xact_id, seq)
);
COMMENT ON TABLE audit.platform_pending IS 'Platform audit events written and not yet sealed into the platform chain (audit.seal).';
ALTER TABLE audit.log_pending ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE audit.platform_pending ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
-- A transaction reads its own entries before they are sealed (its tenant's, with the
-- permission that reading the log takes); nobody else's.
GRANT SELECT ON audit.log_pending TO tenantbase_app;
CREATE POLICY own_transaction ON audit.log_pending FOR SELECT TO tenantbase_app
    USING (xact_id = pg_current_xact_id_if_assigned() AND chain_id = (SELECT tenancy.current_tenant_id())
           AND (SELECT tenancy.has_permission('audit', 'read')));
GRANT INSERT ON audit.log_pending, audit.platform_pending TO tenantbase_audit;
GRANT SELECT, DELETE ON audit.log_pending, audit.platform_pending TO tenantbase_audit;
GRANT USAGE ON SEQUENCE audit.pending_seq TO tenantbase_audit;

-- Queues the entries of one statement's changes (or one row's): old_rows and
-- new_rows side by side, as jsonb. args: the table, its target type, its event
-- type, its tenant column, then its primary key's columns. A row deleted with its
-- tenant (the cascade of a tenant's deletion) is not recorded: the trail goes with
-- the tenant, the deletion is on the platform chain.
CREATE FUNCTION audit.queue_changes(args text[], op audit.operation, old_rows jsonb[], new_rows jsonb[]) RETURNS void
    LANGUAGE sql
    AS $$
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
    WHERE op <> 'delete' OR EXISTS (SELECT 1 FROM tenancy.tenants t WHERE t.id = c.tenant)
$$;

-- The statement-level trigger (one per command: PostgreSQL allows transition tables
-- on single-event triggers only). The old and new transition tables of an update
-- hold the rows in the same order, which pairs them.
CREATE FUNCTION audit.record_changes() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM audit.queue_changes(TG_ARGV[0:TG_NARGS - 1], 'insert', NULL, ARRAY(SELECT to_jsonb(n) FROM new_rows n));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM audit.queue_changes(TG_ARGV[0:TG_NARGS - 1], 'update', ARRAY(SELECT to_jsonb(o) FROM old_rows o),
                                    ARRAY(SELECT to_jsonb(n) FROM new_rows n));
    ELSE
        PERFORM audit.queue_changes(TG_ARGV[0:TG_NARGS - 1], 'delete', ARRAY(SELECT to_jsonb(o) FROM old_rows o), NULL);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION audit.record_changes() IS
    'tenantbase:platform The audit trigger on every tenant table (per statement): queues each changed row on its own tenant''s chain. An AFTER trigger, it sees only rows that passed the policies or were written by guarded definer code.';

-- The per-row form, where statement-level transition tables do not fit (Citus).
CREATE OR REPLACE FUNCTION audit.record_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    PERFORM audit.queue_changes(TG_ARGV[0:TG_NARGS - 1], lower(TG_OP)::audit.operation,
                                CASE WHEN TG_OP <> 'INSERT' THEN ARRAY[to_jsonb(OLD)] END,
                                CASE WHEN TG_OP <> 'DELETE' THEN ARRAY[to_jsonb(NEW)] END);
    RETURN NULL;
END
$$;

-- Platform events are queued too; the returned number is the entry's place in the
-- queue (its position on the chain is given when it is sealed).
CREATE OR REPLACE FUNCTION audit.record_platform_event(p_event_type audit.event_type, p_action text, p_description text,
                                                       p_subject_tenant uuid DEFAULT NULL, p_target_type text DEFAULT NULL,
                                                       p_target_id uuid DEFAULT NULL, p_metadata jsonb DEFAULT '{}')
    RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    queued bigint;
BEGIN
    INSERT INTO audit.platform_pending (xact_id, written_at, event_type, event_action, event_description, subject_tenant_id,
                                        target_type, target_id, user_id, impersonated_by, api_key_id, request_id,
                                        ip_address, user_agent, db_role, metadata)
    SELECT r.xact_id, clock_timestamp(), p_event_type, p_action, p_description, p_subject_tenant, p_target_type, p_target_id,
           r.user_id, r.impersonated_by, r.api_key_id, r.request_id, r.ip_address, r.user_agent, r.db_role,
           coalesce(p_metadata, '{}')
    FROM audit.current_request() AS r
    RETURNING seq INTO queued;
    RETURN queued;
END
$$;

-- A tenant's deletion sums up its chain by its sealed head; its entries not sealed
-- yet go with it (counted here, dropped by the sealer). No chain lock: a sealer that
-- has sealed entries of the tenant holds its row (the log's foreign key) until it
-- commits, and one that comes second fails on that foreign key and seals again.
-- The pending entries are left to the sealer: taking them here could deadlock with it.
CREATE OR REPLACE FUNCTION audit.record_tenant_lifecycle() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    head record;
    unsealed bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM audit.record_platform_event('system_event', 'tenant.created', format('tenant %s created', NEW.slug),
                                            NEW.id, 'tenants', NEW.id,
                                            jsonb_build_object('slug', NEW.slug, 'name', NEW.name, 'plan', NEW.plan));
        RETURN NEW;
    END IF;
    SELECT c.head_id, c.head_hash INTO head FROM audit.chains c WHERE c.chain_id = OLD.id;
    SELECT count(*) INTO unsealed FROM audit.log_pending WHERE chain_id = OLD.id;
    DELETE FROM audit.chains WHERE chain_id = OLD.id;
    DELETE FROM audit.chain_bases WHERE chain_id = OLD.id;
    PERFORM audit.record_platform_event('system_event', 'tenant.deleted', format('tenant %s deleted', OLD.slug),
                                        OLD.id, 'tenants', OLD.id,
                                        jsonb_build_object('slug', OLD.slug, 'name', OLD.name,
                                                           'final_entry', coalesce(head.head_id, 0),
                                                           'final_hash', encode(coalesce(head.head_hash, decode(repeat('00', 32), 'hex')), 'hex'),
                                                           'unsealed_entries', unsealed));
    RETURN OLD;
END
$$;

-- Below this transaction id, every transaction of this database has ended: its
-- entries are all visible, or gone with it. pg_snapshot_xmin would do, but it counts
-- the whole cluster's transactions: a long one in another database would hold the
-- sealer back. Those are told apart by their locks: a backend is connected to one
-- database, and holds its relation locks there (pg_stat_activity, which names the
-- database outright, is withheld from everyone but monitoring). A running id whose
-- holder is not seen holding locks in another database holds the horizon back.
CREATE FUNCTION audit.seal_horizon() RETURNS xid8
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    snap pg_snapshot := pg_current_snapshot();
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_snapshot_xip(snap)) THEN
        RETURN pg_snapshot_xmax(snap);
    END IF;
    RETURN coalesce(
        (WITH locks AS MATERIALIZED (SELECT pid, locktype, mode, granted, transactionid, database FROM pg_locks),
              elsewhere AS (
                  SELECT t.transactionid::text::bigint AS xid32 FROM locks t
                  WHERE t.locktype = 'transactionid' AND t.mode = 'ExclusiveLock' AND t.granted
                    AND EXISTS (SELECT 1 FROM locks o
                                WHERE o.pid = t.pid AND o.database <> 0
                                  AND o.database <> (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())))
         SELECT x FROM pg_snapshot_xip(snap) AS x
         WHERE (x::text::numeric % 4294967296)::bigint NOT IN (SELECT xid32 FROM elsewhere)
         ORDER BY x LIMIT 1),
        pg_snapshot_xmax(snap));
END
$$;

-- The sealer: chains up to max_entries pending entries of transactions that have
-- all ended (below pg_snapshot_xmin), by transaction and then as written; returns
-- how many it sealed (0 when another sealer is at work). Each chain's row in
-- audit.chains holds its exact head afterwards. Run by the platform, never by a writer.
CREATE FUNCTION audit.seal(max_entries integer DEFAULT 10000) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    horizon xid8;
    p record;
    e audit.log;
    pe audit.platform_log;
    entries audit.log[] := '{}';
    platform_entries audit.platform_log[] := '{}';
    chain uuid;
    alive boolean;
    head_id bigint;
    head_hash bytea;
    head_at timestamptz;
    heads audit.chains[] := '{}';
    sealed integer := 0;
BEGIN
    IF max_entries IS NULL OR max_entries < 1 THEN
        RAISE EXCEPTION 'max_entries must be positive' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT pg_try_advisory_xact_lock(hashtextextended('audit.seal', 0)) THEN
        RETURN 0;
    END IF;
    horizon := audit.seal_horizon();

    FOR p IN
        WITH taken AS (
            DELETE FROM audit.log_pending q
            USING (SELECT b.xact_id, b.seq FROM audit.log_pending b WHERE b.xact_id < horizon
                   ORDER BY b.xact_id, b.seq LIMIT max_entries) AS b
            WHERE (q.xact_id, q.seq) = (b.xact_id, b.seq)
            RETURNING q.*)
        SELECT * FROM taken ORDER BY chain_id, xact_id, seq
    LOOP
        IF p.chain_id IS DISTINCT FROM chain THEN
            IF alive THEN
                heads := heads || ROW(chain, head_id, head_hash, head_at, NULL)::audit.chains;
            END IF;
            chain := p.chain_id;
            alive := EXISTS (SELECT 1 FROM tenancy.tenants t WHERE t.id = chain);
            SELECT c.head_id, c.head_hash, c.head_at INTO head_id, head_hash, head_at FROM audit.chains c WHERE c.chain_id = chain;
            IF NOT FOUND THEN
                head_id := 0; head_hash := decode(repeat('00', 32), 'hex'); head_at := '-infinity';
            END IF;
        END IF;
        -- A deleted tenant's entries go with it.
        CONTINUE WHEN NOT alive;
        e.tenant_id := p.chain_id;
        e.id := head_id + 1;
        e.occurred_at := greatest(clock_timestamp(), head_at);
        e.event_type := p.event_type;
        e.event_action := p.event_action;
        e.event_description := p.event_description;
        e.table_name := p.table_name;
        e.operation := p.operation;
        e.row_key := p.row_key;
        e.old_values := p.old_values;
        e.new_values := p.new_values;
        e.target_type := p.target_type;
        e.target_id := p.target_id;
        e.project_id := p.project_id;
        e.user_id := p.user_id;
        e.impersonated_by := p.impersonated_by;
        e.api_key_id := p.api_key_id;
        e.request_id := p.request_id;
        e.ip_address := p.ip_address;
        e.user_agent := p.user_agent;
        e.db_role := p.db_role;
        e.xact_id := p.xact_id;
        e.metadata := p.metadata;
        e.written_at := p.written_at;
        e.payload_digest := audit.payload_digest(p.old_values, p.new_values);
        e.hash := NULL;
        e.hash := audit.entry_hash(head_hash, e);
        entries := entries || e;
        head_id := e.id; head_hash := e.hash; head_at := e.occurred_at;
        sealed := sealed + 1;
    END LOOP;
    IF alive THEN
        heads := heads || ROW(chain, head_id, head_hash, head_at, NULL)::audit.chains;
    END IF;
    INSERT INTO audit.log SELECT * FROM unnest(entries);

    -- The platform chain, in the same order.
    SELECT c.head_id, c.head_hash, c.head_at INTO head_id, head_hash, head_at
    FROM audit.chains c WHERE c.chain_id = audit.platform_chain();
    IF NOT FOUND THEN
        head_id := 0; head_hash := decode(repeat('00', 32), 'hex'); head_at := '-infinity';
    END IF;
    FOR p IN
        WITH taken AS (
            DELETE FROM audit.platform_pending q
            USING (SELECT b.xact_id, b.seq FROM audit.platform_pending b WHERE b.xact_id < horizon
                   ORDER BY b.xact_id, b.seq LIMIT max_entries) AS b
            WHERE (q.xact_id, q.seq) = (b.xact_id, b.seq)
            RETURNING q.*)
        SELECT * FROM taken ORDER BY xact_id, seq
    LOOP
        pe.id := head_id + 1;
        pe.occurred_at := greatest(clock_timestamp(), head_at);
        pe.event_type := p.event_type;
        pe.event_action := p.event_action;
        pe.event_description := p.event_description;
        pe.subject_tenant_id := p.subject_tenant_id;
        pe.target_type := p.target_type;
        pe.target_id := p.target_id;
        pe.user_id := p.user_id;
        pe.impersonated_by := p.impersonated_by;
        pe.api_key_id := p.api_key_id;
        pe.request_id := p.request_id;
        pe.ip_address := p.ip_address;
        pe.user_agent := p.user_agent;
        pe.db_role := p.db_role;
        pe.xact_id := p.xact_id;
        pe.metadata := p.metadata;
        pe.written_at := p.written_at;
        pe.hash := NULL;
        pe.hash := audit.entry_hash(head_hash, pe);
        platform_entries := platform_entries || pe;
        head_id := pe.id; head_hash := pe.hash; head_at := pe.occurred_at;
        sealed := sealed + 1;
    END LOOP;
    IF cardinality(platform_entries) > 0 THEN
        INSERT INTO audit.platform_log SELECT * FROM unnest(platform_entries);
        heads := heads || ROW(audit.platform_chain(), head_id, head_hash, head_at, NULL)::audit.chains;
    END IF;

    INSERT INTO audit.chains (chain_id, head_id, head_hash, head_at)
    SELECT h.chain_id, h.head_id, h.head_hash, h.head_at FROM unnest(heads) AS h
    ON CONFLICT (chain_id) DO UPDATE
    SET head_id = EXCLUDED.head_id, head_hash = EXCLUDED.head_hash, head_at = EXCLUDED.head_at, holder = NULL;
    RETURN sealed;
END
$$;
COMMENT ON FUNCTION audit.seal(integer) IS
    'tenantbase:platform The sealer: chains the pending audit entries of ended transactions, every tenant''s; answers only a count.';

-- How far the sealer is behind: the entries waiting, and when the oldest was written.
CREATE FUNCTION audit.seal_lag(OUT unsealed bigint, OUT oldest_written_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT (SELECT count(*) FROM audit.log_pending) + (SELECT count(*) FROM audit.platform_pending),
           least((SELECT min(written_at) FROM audit.log_pending), (SELECT min(written_at) FROM audit.platform_pending))
$$;
COMMENT ON FUNCTION audit.seal_lag() IS
    'tenantbase:platform How many audit entries wait to be sealed, and when the oldest was written; no tenant data.';

-- Attaches the writer to a table: per statement, or per row under Citus.
CREATE OR REPLACE FUNCTION audit.track_changes(tbl regclass, resource text, tenant_column name) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    rel record;
    args text;
    event_type audit.event_type := CASE
        WHEN resource IN ('members', 'roles') THEN 'authorization'
        WHEN resource = 'api_keys' THEN 'security_event'
        WHEN resource = 'tenant' THEN 'configuration_change'
        ELSE 'data_change' END;
BEGIN
    SELECT n.nspname, c.relname, c.relispartition INTO STRICT rel
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid = tbl;
    IF rel.nspname = 'audit' OR rel.relispartition THEN
        RETURN;
    END IF;
    SELECT format('%L, %L, %L, %L, ', format('%I.%I', rel.nspname, rel.relname), rel.relname, event_type, tenant_column)
           || string_agg(quote_literal(a.attname), ', ' ORDER BY k.ord) INTO args
    FROM pg_constraint con
    CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k (attnum, ord)
    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
    WHERE con.conrelid = tbl AND con.contype = 'p';
    IF args IS NULL THEN
        RAISE EXCEPTION '% has no primary key: audit entries name rows by it', tbl;
    END IF;
    EXECUTE format('DROP TRIGGER IF EXISTS audit_change ON %1$s; DROP TRIGGER IF EXISTS audit_insert ON %1$s;
                    DROP TRIGGER IF EXISTS audit_update ON %1$s; DROP TRIGGER IF EXISTS audit_delete ON %1$s', tbl);
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        EXECUTE format('CREATE TRIGGER audit_change AFTER INSERT OR UPDATE OR DELETE ON %s
                        FOR EACH ROW EXECUTE FUNCTION audit.record_change(%s)', tbl, args);
    ELSE
        EXECUTE format('CREATE TRIGGER audit_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes(%s)', tbl, args);
        EXECUTE format('CREATE TRIGGER audit_update AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes(%s)', tbl, args);
        EXECUTE format('CREATE TRIGGER audit_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes(%s)', tbl, args);
    END IF;
    EXECUTE format('CREATE OR REPLACE TRIGGER audit_truncate AFTER TRUNCATE ON %s
                    FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate(%L)',
                   tbl, format('%I.%I', rel.nspname, rel.relname));
    -- ALWAYS: session_replication_role = replica does not silence the audit trail.
    PERFORM audit.switch_triggers(tbl, true);
END
$$;

-- Switches a table's audit triggers, whichever form they have.
CREATE FUNCTION audit.switch_triggers(tbl regclass, enabled boolean) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    trigger_name name;
BEGIN
    FOR trigger_name IN
        SELECT t.tgname FROM pg_trigger t
        WHERE t.tgrelid = tbl AND t.tgparentid = 0
          AND t.tgname IN ('audit_change', 'audit_insert', 'audit_update', 'audit_delete', 'audit_truncate')
    LOOP
        EXECUTE format('ALTER TABLE %s %s TRIGGER %I', tbl, CASE WHEN enabled THEN 'ENABLE ALWAYS' ELSE 'DISABLE' END,
                       trigger_name);
    END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION audit.audited_tables() RETURNS TABLE (table_name regclass, enabled boolean)
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT t.tgrelid::regclass, bool_and(t.tgenabled <> 'D')
    FROM pg_trigger t
    WHERE t.tgname IN ('audit_change', 'audit_insert', 'audit_update', 'audit_delete') AND t.tgparentid = 0
    GROUP BY t.tgrelid
    ORDER BY t.tgrelid::regclass::text
$$;

CREATE OR REPLACE FUNCTION audit.set_auditing(enabled boolean) RETURNS integer
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    tbl regclass;
    switched integer := 0;
BEGIN
    FOR tbl IN SELECT a.table_name FROM audit.audited_tables() a LOOP
        PERFORM audit.switch_triggers(tbl, enabled);
        switched := switched + 1;
    END LOOP;
    PERFORM audit.record_platform_event('security_event', CASE WHEN enabled THEN 'audit.enabled' ELSE 'audit.disabled' END,
                                        format('recording %s on %s tables', CASE WHEN enabled THEN 'on' ELSE 'off' END, switched));
    RETURN switched;
END
$$;

-- Upgrading in place. The chains' writers of version 1 are done (altering the log
-- above waited for them and holds them off): each chain's row gets its exact head,
-- where the new entries continue; every audited table gets the new writer, with
-- its switch (on or off) kept.
LOCK TABLE audit.chains IN EXCLUSIVE MODE;
-- The owner reads and corrects every chain: exempt from the forced RLS until the FORCE below.
ALTER TABLE audit.log NO FORCE ROW LEVEL SECURITY;
ALTER TABLE audit.platform_log NO FORCE ROW LEVEL SECURITY;
ALTER TABLE audit.chains NO FORCE ROW LEVEL SECURITY;
ALTER TABLE audit.chain_bases NO FORCE ROW LEVEL SECURITY;
UPDATE audit.chains c
SET head_id = l.id, head_hash = l.hash, head_at = l.occurred_at, holder = NULL
FROM (SELECT DISTINCT ON (tenant_id) tenant_id, id, hash, occurred_at FROM audit.log
      ORDER BY tenant_id, occurred_at DESC, id DESC) AS l
WHERE l.tenant_id = c.chain_id AND l.id >= c.head_id;
UPDATE audit.chains c
SET head_id = b.last_id, head_hash = b.last_hash, head_at = b.last_at, holder = NULL
FROM audit.chain_bases b
WHERE b.chain_id = c.chain_id AND b.last_id > c.head_id;
UPDATE audit.chains c
SET head_id = l.id, head_hash = l.hash, head_at = l.occurred_at, holder = NULL
FROM (SELECT id, hash, occurred_at FROM audit.platform_log ORDER BY id DESC LIMIT 1) AS l
WHERE c.chain_id = audit.platform_chain() AND l.id >= c.head_id;
ALTER TABLE audit.log FORCE ROW LEVEL SECURITY;
ALTER TABLE audit.platform_log FORCE ROW LEVEL SECURITY;
ALTER TABLE audit.chains FORCE ROW LEVEL SECURITY;
ALTER TABLE audit.chain_bases FORCE ROW LEVEL SECURITY;

DO $$
DECLARE
    t record;
BEGIN
    FOR t IN
        SELECT tg.tgrelid::regclass AS tbl, tg.tgenabled <> 'D' AS enabled,
               string_to_array(encode(tg.tgargs, 'escape'), '\000') AS args
        FROM pg_trigger tg
        WHERE tg.tgname = 'audit_change' AND tg.tgparentid = 0
    LOOP
        -- The resource chose only the event type, which the old trigger's arguments carry.
        PERFORM audit.track_changes(t.tbl, CASE t.args[3] WHEN 'authorization' THEN 'members'
                                                          WHEN 'security_event' THEN 'api_keys'
                                                          WHEN 'configuration_change' THEN 'tenant' ELSE 'data' END,
                                    t.args[4]);
        IF NOT t.enabled THEN
            PERFORM audit.switch_triggers(t.tbl, false);
        END IF;
    END LOOP;
END
$$;

-- The version 1 writer's lock helper is no longer called.
DROP FUNCTION audit.chain_tail(uuid);

GRANT CREATE ON SCHEMA audit TO tenantbase_audit;
ALTER FUNCTION audit.record_changes() OWNER TO tenantbase_audit;
ALTER FUNCTION audit.seal(integer) OWNER TO tenantbase_audit;
ALTER FUNCTION audit.seal_lag() OWNER TO tenantbase_audit;
REVOKE CREATE ON SCHEMA audit FROM tenantbase_audit;
REVOKE ALL ON FUNCTION audit.queue_changes(text[], audit.operation, jsonb[], jsonb[]), audit.seal(integer), audit.seal_lag(),
                      audit.seal_horizon(),
                      audit.switch_triggers(regclass, boolean), audit.payload_digest(jsonb, jsonb)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit.queue_changes(text[], audit.operation, jsonb[], jsonb[]), audit.payload_digest(jsonb, jsonb),
                          audit.seal_horizon()
    TO tenantbase_audit;
-- The platform runs the sealer (the server's account pool) and reads its lag.
GRANT USAGE ON SCHEMA audit TO tenantbase_account;
GRANT EXECUTE ON FUNCTION audit.seal(integer), audit.seal_lag() TO tenantbase_platform, tenantbase_account;
