-- Writing the trail: one generic trigger (audit.record_change) that tenancy.isolate
-- attaches to every tenant table through audit.track_changes, the platform's events,
-- and the hash chains both are appended to. See docs/audit.md.

-- The chain of platform events (the nil uuid; tenants' chains use their tenant's id).
CREATE FUNCTION audit.platform_chain() RETURNS uuid
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT '00000000-0000-0000-0000-000000000000'::uuid $$;

-- What an entry's hash covers: every column but the hash, as jsonb text (keys in
-- jsonb's fixed order), its time rendered in UTC so that no session setting changes
-- it. Used to write and to verify; the columns of the logs are therefore part of
-- the hashed content (docs/audit.md says how to add one). Called by SECURITY DEFINER
-- functions with a fixed search_path, or by a verifying superuser; everything is qualified.
CREATE FUNCTION audit.entry_content(entry anyelement) RETURNS text
    LANGUAGE sql STABLE
    AS $$
    SELECT (j - 'hash' || jsonb_build_object('occurred_at', to_char((j ->> 'occurred_at')::timestamptz AT TIME ZONE 'UTC',
                                                                    'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')))::text
    FROM to_jsonb(entry) AS j
$$;

CREATE FUNCTION audit.entry_hash(previous bytea, entry anyelement) RETURNS bytea
    LANGUAGE sql STABLE
    AS $$ SELECT public.digest(previous || convert_to(audit.entry_content(entry), 'UTF8'), 'sha256') $$;

CREATE FUNCTION audit.uuid_or_null(value text) RETURNS uuid
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT CASE WHEN value ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN value::uuid END
$$;

-- The request facts src/db/pool.rs sets transaction-locally with the tenant
-- context. Recorded, never trusted: the policies do not read them. (PL/pgSQL,
-- whose plans are kept: an SQL function called this way is planned at every row.)
CREATE FUNCTION audit.current_request(OUT user_id uuid, OUT impersonated_by uuid, OUT api_key_id uuid,
                                      OUT request_id text, OUT ip_address inet, OUT user_agent text,
                                      OUT db_role text, OUT xact_id xid8)
    LANGUAGE plpgsql
    AS $$
BEGIN
    user_id := tenancy.current_user_id();
    impersonated_by := nullif(current_setting('app.impersonated_by', true), '')::uuid;
    api_key_id := nullif(current_setting('app.api_key_id', true), '')::uuid;
    request_id := left(nullif(current_setting('app.request_id', true), ''), 200);
    ip_address := nullif(current_setting('app.client_ip', true), '')::inet;
    user_agent := left(nullif(current_setting('app.user_agent', true), ''), 512);
    db_role := session_user;
    xact_id := pg_current_xact_id();
END
$$;

-- The last entry of a chain, for the entry about to follow it. The first call in a
-- transaction locks the chain's row until commit (waiting for the previous holder),
-- so writers of one chain append one transaction after the other while other chains
-- go on in parallel; it records the head it found. Later calls in the same
-- transaction find their predecessor in the log, so the row is written once per
-- transaction, not once per entry. Under REPEATABLE READ a writer that started
-- before the previous holder committed gets a serialization failure (retry it).
CREATE FUNCTION audit.chain_tail(p_chain uuid, OUT last_id bigint, OUT last_hash bytea, OUT last_at timestamptz)
    LANGUAGE plpgsql
    AS $$
DECLARE
    me xid8 := pg_current_xact_id();
    c audit.chains;
BEGIN
    SELECT * INTO c FROM audit.chains WHERE chain_id = p_chain;
    IF NOT FOUND THEN
        INSERT INTO audit.chains (chain_id) VALUES (p_chain) ON CONFLICT DO NOTHING;
    END IF;
    IF c.holder IS DISTINCT FROM me THEN
        SELECT * INTO STRICT c FROM audit.chains WHERE chain_id = p_chain FOR UPDATE;
    END IF;

    -- The newest entry from the recorded head on: the previous holder's last, then this
    -- transaction's. (A chain's entries are in time order: see audit.log's primary key.)
    IF p_chain = audit.platform_chain() THEN
        SELECT l.id, l.hash, l.occurred_at INTO last_id, last_hash, last_at
        FROM audit.platform_log l
        WHERE l.id > c.head_id
        ORDER BY l.id DESC LIMIT 1;
    ELSE
        SELECT l.id, l.hash, l.occurred_at INTO last_id, last_hash, last_at
        FROM audit.log l
        WHERE l.tenant_id = p_chain AND l.occurred_at >= c.head_at
        ORDER BY l.occurred_at DESC, l.id DESC LIMIT 1;
    END IF;
    IF last_id IS NULL THEN
        -- Nothing from the head on: retention dropped it, or the chain has no entry yet.
        SELECT b.last_id, b.last_hash, b.last_at INTO last_id, last_hash, last_at
        FROM audit.chain_bases b
        WHERE b.chain_id = p_chain AND b.last_id > c.head_id;
        IF NOT FOUND THEN
            SELECT c.head_id, c.head_hash, c.head_at INTO last_id, last_hash, last_at;
        END IF;
    END IF;

    IF c.holder IS DISTINCT FROM me THEN
        UPDATE audit.chains
        SET head_id = last_id, head_hash = last_hash, head_at = last_at, holder = me
        WHERE chain_id = p_chain;
    END IF;
END
$$;

-- The one trigger on every tenant table (attached by audit.track_changes). Its
-- arguments: the table, its target type, its event type, its tenant column, then
-- its primary key's columns.
CREATE FUNCTION audit.record_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    old_row jsonb;
    new_row jsonb;
    subject jsonb;
    tail record;
    e audit.log;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        old_row := to_jsonb(OLD);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_row := to_jsonb(NEW);
    END IF;
    subject := coalesce(new_row, old_row);
    e.tenant_id := (subject ->> TG_ARGV[3])::uuid;
    -- Deleting a tenant erases its trail with it (the log's foreign key cascades);
    -- the deletion itself goes on the platform chain (audit.record_tenant_lifecycle).
    IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM tenancy.tenants WHERE id = e.tenant_id) THEN
        RETURN NULL;
    END IF;

    e.table_name := TG_ARGV[0];
    e.target_type := TG_ARGV[1];
    e.event_type := TG_ARGV[2]::audit.event_type;
    e.operation := lower(TG_OP)::audit.operation;
    e.row_key := (SELECT jsonb_object_agg(k, subject -> k) FROM unnest(TG_ARGV[4:]) AS k);
    IF TG_OP = 'UPDATE' THEN
        SELECT coalesce(jsonb_object_agg(n.key, old_row -> n.key), '{}'), coalesce(jsonb_object_agg(n.key, n.value), '{}')
        INTO e.old_values, e.new_values
        FROM jsonb_each(new_row) AS n
        WHERE n.value IS DISTINCT FROM old_row -> n.key;
        e.event_description := 'changed: '
            || coalesce((SELECT string_agg(k, ', ' ORDER BY k) FROM jsonb_object_keys(e.new_values) AS k), 'nothing');
    ELSE
        e.old_values := old_row;
        e.new_values := new_row;
    END IF;
    e.event_action := e.target_type || '.'
        || CASE TG_OP WHEN 'INSERT' THEN 'created' WHEN 'UPDATE' THEN 'updated' ELSE 'deleted' END;
    e.target_id := audit.uuid_or_null(subject ->> 'id');
    e.project_id := audit.uuid_or_null(subject ->> 'project_id');
    SELECT r.user_id, r.impersonated_by, r.api_key_id, r.request_id, r.ip_address, r.user_agent, r.db_role, r.xact_id
    INTO e.user_id, e.impersonated_by, e.api_key_id, e.request_id, e.ip_address, e.user_agent, e.db_role, e.xact_id
    FROM audit.current_request() AS r;
    -- Changes made by a cascade or another trigger say so.
    e.metadata := CASE WHEN pg_trigger_depth() > 1 THEN jsonb_build_object('trigger_depth', pg_trigger_depth())
                       ELSE '{}' END;

    tail := audit.chain_tail(e.tenant_id);
    e.id := tail.last_id + 1;
    e.occurred_at := greatest(clock_timestamp(), tail.last_at);
    e.hash := audit.entry_hash(tail.last_hash, e);
    INSERT INTO audit.log VALUES (e.*);
    RETURN NULL;
END
$$;

-- An event on the platform chain: tenant lifecycle, retention, auditing switched
-- off or on. Returns the entry's id.
CREATE FUNCTION audit.record_platform_event(p_event_type audit.event_type, p_action text, p_description text,
                                            p_subject_tenant uuid DEFAULT NULL, p_target_type text DEFAULT NULL,
                                            p_target_id uuid DEFAULT NULL, p_metadata jsonb DEFAULT '{}')
    RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    tail record;
    e audit.platform_log;
BEGIN
    e.event_type := p_event_type;
    e.event_action := p_action;
    e.event_description := p_description;
    e.subject_tenant_id := p_subject_tenant;
    e.target_type := p_target_type;
    e.target_id := p_target_id;
    e.metadata := coalesce(p_metadata, '{}');
    SELECT r.user_id, r.impersonated_by, r.api_key_id, r.request_id, r.ip_address, r.user_agent, r.db_role, r.xact_id
    INTO e.user_id, e.impersonated_by, e.api_key_id, e.request_id, e.ip_address, e.user_agent, e.db_role, e.xact_id
    FROM audit.current_request() AS r;

    tail := audit.chain_tail(audit.platform_chain());
    e.id := tail.last_id + 1;
    e.occurred_at := greatest(clock_timestamp(), tail.last_at);
    e.hash := audit.entry_hash(tail.last_hash, e);
    INSERT INTO audit.platform_log VALUES (e.*);
    RETURN e.id;
END
$$;

-- A tenant's creation and deletion, on the platform chain. Before the deletion, so
-- that the tenant's chain (erased with it) can still be summed up by its final entry.
CREATE FUNCTION audit.record_tenant_lifecycle() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    tail record;
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM audit.record_platform_event('system_event', 'tenant.created', format('tenant %s created', NEW.slug),
                                            NEW.id, 'tenants', NEW.id,
                                            jsonb_build_object('slug', NEW.slug, 'name', NEW.name, 'plan', NEW.plan));
        RETURN NEW;
    END IF;
    -- The tenant's chain first (waiting for its writers), then the platform's: the
    -- order every transaction that touches both takes them in.
    tail := audit.chain_tail(OLD.id);
    DELETE FROM audit.chains WHERE chain_id = OLD.id;
    DELETE FROM audit.chain_bases WHERE chain_id = OLD.id;
    PERFORM audit.record_platform_event('system_event', 'tenant.deleted', format('tenant %s deleted', OLD.slug),
                                        OLD.id, 'tenants', OLD.id,
                                        jsonb_build_object('slug', OLD.slug, 'name', OLD.name,
                                                           'final_entry', tail.last_id,
                                                           'final_hash', encode(tail.last_hash, 'hex')));
    RETURN OLD;
END
$$;
CREATE TRIGGER audit_tenant_lifecycle BEFORE INSERT OR DELETE ON tenancy.tenants
    FOR EACH ROW EXECUTE FUNCTION audit.record_tenant_lifecycle();

-- A TRUNCATE empties a table for every tenant at once, row triggers unfired: it
-- goes on the platform chain. (The app role holds no TRUNCATE privilege.)
CREATE FUNCTION audit.record_truncate() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    PERFORM audit.record_platform_event('data_change', 'table.truncated', format('%s truncated, every tenant''s rows', TG_ARGV[0]),
                                        p_target_type => 'table', p_metadata => jsonb_build_object('table', TG_ARGV[0]));
    RETURN NULL;
END
$$;

-- Append-only, even for the owner: entries leave only with their tenant (the
-- foreign key's cascade) or with their whole partition (retention). A superuser can
-- still switch triggers off; the hash chains are what reveal that (docs/audit.md).
-- The argument, when given, names the tenant column whose tenant's deletion may cascade.
CREATE FUNCTION audit.refuse_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_NARGS = 1
       AND NOT EXISTS (SELECT 1 FROM tenancy.tenants WHERE id = (to_jsonb(OLD) ->> TG_ARGV[0])::uuid) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit entries cannot be changed or removed'
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Retention drops whole partitions: tenantbase audit prune.';
END
$$;
CREATE TRIGGER refuse_change BEFORE UPDATE OR DELETE ON audit.log
    FOR EACH ROW EXECUTE FUNCTION audit.refuse_change('tenant_id');
CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON audit.log
    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER refuse_change BEFORE UPDATE OR DELETE ON audit.platform_log
    FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON audit.platform_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

-- Called by tenancy.isolate for every tenant table: attaches audit.record_change
-- with the table's facts as arguments, and audit.record_truncate. Not to the log
-- itself, and not to a partition: PostgreSQL clones a partitioned table's row
-- triggers to every partition, present and future, so a trigger of the
-- partition's own would fire twice.
CREATE FUNCTION audit.track_changes(tbl regclass, resource text, tenant_column name) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    rel record;
    key_columns text;
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
    SELECT string_agg(quote_literal(a.attname), ', ' ORDER BY k.ord) INTO key_columns
    FROM pg_constraint con
    CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k (attnum, ord)
    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
    WHERE con.conrelid = tbl AND con.contype = 'p';
    IF key_columns IS NULL THEN
        RAISE EXCEPTION '% has no primary key: audit entries name rows by it', tbl;
    END IF;
    EXECUTE format('CREATE OR REPLACE TRIGGER audit_change AFTER INSERT OR UPDATE OR DELETE ON %s
                    FOR EACH ROW EXECUTE FUNCTION audit.record_change(%L, %L, %L, %L, %s)',
                   tbl, format('%I.%I', rel.nspname, rel.relname), rel.relname, event_type, tenant_column, key_columns);
    EXECUTE format('CREATE OR REPLACE TRIGGER audit_truncate AFTER TRUNCATE ON %s
                    FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate(%L)',
                   tbl, format('%I.%I', rel.nspname, rel.relname));
    -- ALWAYS: session_replication_role = replica, which silences ordinary
    -- triggers and foreign keys, does not silence the audit trail.
    EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER audit_change, ENABLE ALWAYS TRIGGER audit_truncate', tbl);
END
$$;

-- The tables whose changes are recorded, and whether recording is on.
CREATE FUNCTION audit.audited_tables() RETURNS TABLE (table_name regclass, enabled boolean)
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT t.tgrelid::regclass, t.tgenabled <> 'D'
    FROM pg_trigger t
    WHERE t.tgname = 'audit_change' AND t.tgparentid = 0
    ORDER BY t.tgrelid::regclass::text
$$;

-- Switches recording off or on for every audited table (the benchmarks measure
-- writes both ways). Needs the tables' owner or a superuser, and leaves its own
-- entry on the platform chain. Returns the number of tables switched.
CREATE FUNCTION audit.set_auditing(enabled boolean) RETURNS integer
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    tbl regclass;
    switched integer := 0;
BEGIN
    FOR tbl IN SELECT a.table_name FROM audit.audited_tables() a LOOP
        EXECUTE format('ALTER TABLE %s %s TRIGGER audit_change, %2$s TRIGGER audit_truncate',
                       tbl, CASE WHEN enabled THEN 'ENABLE ALWAYS' ELSE 'DISABLE' END);
        switched := switched + 1;
    END LOOP;
    PERFORM audit.record_platform_event('security_event', CASE WHEN enabled THEN 'audit.enabled' ELSE 'audit.disabled' END,
                                        format('recording %s on %s tables', CASE WHEN enabled THEN 'on' ELSE 'off' END, switched));
    RETURN switched;
END
$$;

-- The writer's functions run as tenantbase_audit; ownership needs CREATE on the schema only while it is handed over.
GRANT CREATE ON SCHEMA audit TO tenantbase_audit;
ALTER FUNCTION audit.record_change() OWNER TO tenantbase_audit;
ALTER FUNCTION audit.record_platform_event(audit.event_type, text, text, uuid, text, uuid, jsonb) OWNER TO tenantbase_audit;
ALTER FUNCTION audit.record_tenant_lifecycle() OWNER TO tenantbase_audit;
ALTER FUNCTION audit.record_truncate() OWNER TO tenantbase_audit;
ALTER FUNCTION audit.refuse_change() OWNER TO tenantbase_audit;
REVOKE CREATE ON SCHEMA audit FROM tenantbase_audit;
GRANT EXECUTE ON FUNCTION audit.platform_chain(), audit.entry_content(anyelement), audit.entry_hash(bytea, anyelement),
                          audit.uuid_or_null(text), audit.current_request(), audit.chain_tail(uuid)
    TO tenantbase_audit;
-- Platform functions (tenant deletion, export) may record what they do.
GRANT EXECUTE ON FUNCTION audit.record_platform_event(audit.event_type, text, text, uuid, text, uuid, jsonb) TO tenantbase_platform;
