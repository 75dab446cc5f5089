-- The schema of a freshly migrated tenantbase database: pg_dump --schema-only, normalised.
-- Generated; do not edit. Regenerate: UPDATE_SCHEMA=1 cargo test --test it schema_snapshot
--
-- PostgreSQL database dump
--
-- Name: agents; Type: SCHEMA; Schema: -; Owner: tenantbase_owner
--
CREATE SCHEMA agents;

ALTER SCHEMA agents OWNER TO tenantbase_owner;

-- Name: analytics; Type: SCHEMA; Schema: -; Owner: tenantbase_owner
--
CREATE SCHEMA analytics;

ALTER SCHEMA analytics OWNER TO tenantbase_owner;

-- Name: audit; Type: SCHEMA; Schema: -; Owner: tenantbase_owner
--
CREATE SCHEMA audit;

ALTER SCHEMA audit OWNER TO tenantbase_owner;

-- Name: commerce; Type: SCHEMA; Schema: -; Owner: tenantbase_owner
--
CREATE SCHEMA commerce;

ALTER SCHEMA commerce OWNER TO tenantbase_owner;

-- Name: content; Type: SCHEMA; Schema: -; Owner: tenantbase_owner
--
CREATE SCHEMA content;

ALTER SCHEMA content OWNER TO tenantbase_owner;

-- Name: lifecycle; Type: SCHEMA; Schema: -; Owner: tenantbase_owner
--
CREATE SCHEMA lifecycle;

ALTER SCHEMA lifecycle OWNER TO tenantbase_owner;

-- Name: platform; Type: SCHEMA; Schema: -; Owner: tenantbase_owner
--
CREATE SCHEMA platform;

ALTER SCHEMA platform OWNER TO tenantbase_owner;

-- Name: search; Type: SCHEMA; Schema: -; Owner: tenantbase_owner
--
CREATE SCHEMA search;

ALTER SCHEMA search OWNER TO tenantbase_owner;

-- Name: SCHEMA search; Type: COMMENT; Schema: -; Owner: tenantbase_owner
--
COMMENT ON SCHEMA search IS 'Generated index-served search functions (search.expose), one per tenant-leading GIN index.';

-- Name: tenancy; Type: SCHEMA; Schema: -; Owner: tenantbase_owner
--
CREATE SCHEMA tenancy;

ALTER SCHEMA tenancy OWNER TO tenantbase_owner;

-- Name: work; Type: SCHEMA; Schema: -; Owner: tenantbase_owner
--
CREATE SCHEMA work;

ALTER SCHEMA work OWNER TO tenantbase_owner;

-- Name: btree_gin; Type: EXTENSION; Schema: -; Owner: -
--
CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA public;

-- Name: EXTENSION btree_gin; Type: COMMENT; Schema: -; Owner:
--
COMMENT ON EXTENSION btree_gin IS 'support for indexing common datatypes in GIN';

-- Name: citext; Type: EXTENSION; Schema: -; Owner: -
--
CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;

-- Name: EXTENSION citext; Type: COMMENT; Schema: -; Owner:
--
COMMENT ON EXTENSION citext IS 'data type for case-insensitive character strings';

-- Name: pgcrypto; Type: EXTENSION; Schema: -; Owner: -
--
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;

-- Name: EXTENSION pgcrypto; Type: COMMENT; Schema: -; Owner:
--
COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';

-- Name: event_type; Type: TYPE; Schema: audit; Owner: tenantbase_owner
--
CREATE TYPE audit.event_type AS ENUM (
    'authentication',
    'authorization',
    'data_change',
    'configuration_change',
    'security_event',
    'system_event'
);

ALTER TYPE audit.event_type OWNER TO tenantbase_owner;

-- Name: operation; Type: TYPE; Schema: audit; Owner: tenantbase_owner
--
CREATE TYPE audit.operation AS ENUM (
    'insert',
    'update',
    'delete'
);

ALTER TYPE audit.operation OWNER TO tenantbase_owner;

-- Name: customer_metrics_delta; Type: TYPE; Schema: commerce; Owner: tenantbase_owner
--
CREATE TYPE commerce.customer_metrics_delta AS (
	tenant_id uuid,
	customer_id uuid,
	orders_delta integer,
	spent_delta numeric(12,2),
	newest_in timestamp with time zone,
	oldest_in timestamp with time zone,
	newest_out timestamp with time zone,
	oldest_out timestamp with time zone
);

ALTER TYPE commerce.customer_metrics_delta OWNER TO tenantbase_owner;

-- Name: member_role; Type: TYPE; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TYPE tenancy.member_role AS ENUM (
    'owner',
    'admin',
    'member',
    'viewer'
);

ALTER TYPE tenancy.member_role OWNER TO tenantbase_owner;

-- Name: membership_status; Type: TYPE; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TYPE tenancy.membership_status AS ENUM (
    'invited',
    'active',
    'inactive',
    'suspended',
    'left'
);

ALTER TYPE tenancy.membership_status OWNER TO tenantbase_owner;

-- Name: plan; Type: TYPE; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TYPE tenancy.plan AS ENUM (
    'free',
    'starter',
    'pro',
    'growth',
    'scale',
    'enterprise'
);

ALTER TYPE tenancy.plan OWNER TO tenantbase_owner;

-- Name: subscription_status; Type: TYPE; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TYPE tenancy.subscription_status AS ENUM (
    'active',
    'trial',
    'past_due',
    'suspended',
    'cancelled'
);

ALTER TYPE tenancy.subscription_status OWNER TO tenantbase_owner;

-- Name: tenant_status; Type: TYPE; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TYPE tenancy.tenant_status AS ENUM (
    'active',
    'trial',
    'suspended',
    'cancelled'
);

ALTER TYPE tenancy.tenant_status OWNER TO tenantbase_owner;

-- Name: user_status; Type: TYPE; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TYPE tenancy.user_status AS ENUM (
    'pending',
    'active',
    'inactive',
    'suspended',
    'deleted'
);

ALTER TYPE tenancy.user_status OWNER TO tenantbase_owner;

-- Name: complexity_level; Type: TYPE; Schema: work; Owner: tenantbase_owner
--
CREATE TYPE work.complexity_level AS ENUM (
    'simple',
    'moderate',
    'complex',
    'very_complex'
);

ALTER TYPE work.complexity_level OWNER TO tenantbase_owner;

-- Name: priority; Type: TYPE; Schema: work; Owner: tenantbase_owner
--
CREATE TYPE work.priority AS ENUM (
    'low',
    'medium',
    'high',
    'critical'
);

ALTER TYPE work.priority OWNER TO tenantbase_owner;

-- Name: risk_impact; Type: TYPE; Schema: work; Owner: tenantbase_owner
--
CREATE TYPE work.risk_impact AS ENUM (
    'very_low',
    'low',
    'medium',
    'high',
    'very_high'
);

ALTER TYPE work.risk_impact OWNER TO tenantbase_owner;

-- Name: risk_level; Type: TYPE; Schema: work; Owner: tenantbase_owner
--
CREATE TYPE work.risk_level AS ENUM (
    'very_low',
    'low',
    'medium',
    'high',
    'very_high'
);

ALTER TYPE work.risk_level OWNER TO tenantbase_owner;

-- Name: risk_probability; Type: TYPE; Schema: work; Owner: tenantbase_owner
--
CREATE TYPE work.risk_probability AS ENUM (
    'very_low',
    'low',
    'medium',
    'high',
    'very_high'
);

ALTER TYPE work.risk_probability OWNER TO tenantbase_owner;

-- Name: charge_completed_task(); Type: FUNCTION; Schema: agents; Owner: tenantbase_platform
--
CREATE FUNCTION agents.charge_completed_task() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    cost integer := coalesce(NEW.actual_cost, NEW.estimated_cost, 0);
    account record;
BEGIN
    PERFORM tenancy.require_tenant(NEW.tenant_id);
    IF EXISTS (SELECT 1 FROM agents.credit_ledger
               WHERE tenant_id = NEW.tenant_id AND task_id = NEW.id AND kind = 'charge') THEN
        RETURN NEW;
    END IF;

    UPDATE tenancy.tenants
    SET credits_balance = credits_balance - cost,
        credits_used_this_month = credits_used_this_month + cost
    WHERE id = NEW.tenant_id
      AND credits_balance >= cost
      AND credits_used_this_month + cost <= monthly_credit_limit
    RETURNING credits_balance, credits_used_this_month, low_credit_threshold INTO account;

    IF NOT FOUND THEN
        SELECT credits_balance, credits_used_this_month, monthly_credit_limit INTO account
        FROM tenancy.tenants WHERE id = NEW.tenant_id;
        NEW.status := 'awaiting_credits';
        INSERT INTO analytics.analytics_events (tenant_id, event_type, event_name, source, properties)
        VALUES (NEW.tenant_id, 'system', 'credits_insufficient', 'credits',
                jsonb_build_object('task_id', NEW.id, 'cost', cost, 'credits_balance', account.credits_balance,
                                   'credits_used_this_month', account.credits_used_this_month,
                                   'monthly_credit_limit', account.monthly_credit_limit));
        RETURN NEW;
    END IF;

    INSERT INTO agents.credit_ledger (tenant_id, kind, task_id, amount, balance_after, used_this_month_after)
    VALUES (NEW.tenant_id, 'charge', NEW.id, -cost, account.credits_balance, account.credits_used_this_month);
    -- Recorded once, when a charge takes the balance below the threshold.
    IF account.credits_balance < account.low_credit_threshold
       AND account.credits_balance + cost >= account.low_credit_threshold THEN
        INSERT INTO analytics.analytics_events (tenant_id, event_type, event_name, source, properties)
        VALUES (NEW.tenant_id, 'system', 'low_credits', 'credits',
                jsonb_build_object('task_id', NEW.id, 'credits_remaining', account.credits_balance,
                                   'low_credit_threshold', account.low_credit_threshold));
    END IF;
    RETURN NEW;
END
$$;

ALTER FUNCTION agents.charge_completed_task() OWNER TO tenantbase_platform;

-- Name: number_message(); Type: FUNCTION; Schema: agents; Owner: tenantbase_platform
--
CREATE FUNCTION agents.number_message() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    position integer;
BEGIN
    PERFORM tenancy.require_tenant(NEW.tenant_id);
    UPDATE agents.conversations
    SET message_count = message_count + 1, last_message_at = greatest(last_message_at, NEW.created_at)
    WHERE tenant_id = NEW.tenant_id AND id = NEW.conversation_id
    RETURNING message_count INTO position;
    IF FOUND THEN
        NEW.sequence := position;
    END IF;
    RETURN NEW;
END
$$;

ALTER FUNCTION agents.number_message() OWNER TO tenantbase_platform;

-- Name: refuse_charged_cost_change(); Type: FUNCTION; Schema: agents; Owner: tenantbase_owner
--
CREATE FUNCTION agents.refuse_charged_cost_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RAISE EXCEPTION 'the cost of a % task is final: the charge consumed it', OLD.status
        USING ERRCODE = 'check_violation', CONSTRAINT = 'tasks_cost_charged_lifecycle',
              SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME;
    RETURN NULL;
END
$$;

ALTER FUNCTION agents.refuse_charged_cost_change() OWNER TO tenantbase_owner;

-- Name: FUNCTION refuse_charged_cost_change(); Type: COMMENT; Schema: agents; Owner: tenantbase_owner
--
COMMENT ON FUNCTION agents.refuse_charged_cost_change() IS 'Trigger: refuses a change to the cost of a task the charge has consumed (completed or awaiting credits).';

-- Name: refuse_dependency_cycle(); Type: FUNCTION; Schema: agents; Owner: tenantbase_platform
--
CREATE FUNCTION agents.refuse_dependency_cycle() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    frontier uuid[] := ARRAY[NEW.depends_on_id];
    seen uuid[] := ARRAY[NEW.depends_on_id];
BEGIN
    PERFORM tenancy.require_tenant(NEW.tenant_id);
    UPDATE agents.tasks SET updated_at = now() WHERE tenant_id = NEW.tenant_id AND id = NEW.task_id;
    WHILE cardinality(frontier) > 0 LOOP
        IF NEW.task_id = ANY (frontier) THEN
            RAISE EXCEPTION 'task dependencies cannot form a cycle'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'task_dependencies_no_cycle',
                      SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME;
        END IF;
        PERFORM 1 FROM agents.tasks WHERE tenant_id = NEW.tenant_id AND id = ANY (frontier) ORDER BY id FOR SHARE;
        SELECT coalesce(array_agg(DISTINCT d.depends_on_id), '{}') INTO frontier
        FROM agents.task_dependencies d
        WHERE d.tenant_id = NEW.tenant_id AND d.task_id = ANY (frontier) AND NOT d.depends_on_id = ANY (seen);
        seen := seen || frontier;
    END LOOP;
    RETURN NULL;
END
$$;

ALTER FUNCTION agents.refuse_dependency_cycle() OWNER TO tenantbase_platform;

-- Name: tasks_parent_task_id_acyclic(); Type: FUNCTION; Schema: agents; Owner: tenantbase_platform
--
CREATE FUNCTION agents.tasks_parent_task_id_acyclic() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
           DECLARE
               ancestors uuid[];
               locked uuid[] := '{}';
           BEGIN
               PERFORM tenancy.require_tenant(NEW.tenant_id);
               LOOP
                   SELECT array_agg(id) INTO ancestors
                   FROM (SELECT id FROM agents.tasks WHERE tenant_id = NEW.tenant_id AND id = ANY (ARRAY(WITH RECURSIVE up (id) AS (
             SELECT NEW.parent_task_id
             UNION
             SELECT p.parent_task_id FROM up JOIN agents.tasks p ON p.tenant_id = NEW.tenant_id AND p.id = up.id
             WHERE up.id <> NEW.id AND p.parent_task_id IS NOT NULL)
         SELECT id FROM up))
                         ORDER BY id FOR SHARE) AS locked_now;
                   locked := locked || ancestors;
                   SELECT array_agg(id) INTO ancestors FROM (WITH RECURSIVE up (id) AS (
             SELECT NEW.parent_task_id
             UNION
             SELECT p.parent_task_id FROM up JOIN agents.tasks p ON p.tenant_id = NEW.tenant_id AND p.id = up.id
             WHERE up.id <> NEW.id AND p.parent_task_id IS NOT NULL)
         SELECT id FROM up) AS read_again;
                   IF NEW.id = ANY (ancestors) THEN
                       RAISE EXCEPTION 'a row of agents.tasks cannot be its own ancestor'
                           USING ERRCODE = 'check_violation', CONSTRAINT = 'tasks_no_ancestor_cycle',
                                 SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, COLUMN = 'parent_task_id';
                   END IF;
                   EXIT WHEN ancestors <@ locked;
               END LOOP;
               RETURN NULL;
           END
           $$;

ALTER FUNCTION agents.tasks_parent_task_id_acyclic() OWNER TO tenantbase_platform;

-- Name: FUNCTION tasks_parent_task_id_acyclic(); Type: COMMENT; Schema: agents; Owner: tenantbase_platform
--
COMMENT ON FUNCTION agents.tasks_parent_task_id_acyclic() IS 'Trigger: refuses a agents.tasks.parent_task_id chain that loops back (generated by tenancy.guard_parent_chain).';

-- Name: ensure_partitions(date, integer, integer); Type: FUNCTION; Schema: analytics; Owner: tenantbase_owner
--
CREATE FUNCTION analytics.ensure_partitions(p_today date, months_ahead integer DEFAULT 3, months_back integer DEFAULT 0) RETURNS SETOF regclass
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
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
$_$;

ALTER FUNCTION analytics.ensure_partitions(p_today date, months_ahead integer, months_back integer) OWNER TO tenantbase_owner;

-- Name: FUNCTION ensure_partitions(p_today date, months_ahead integer, months_back integer); Type: COMMENT; Schema: analytics; Owner: tenantbase_owner
--
COMMENT ON FUNCTION analytics.ensure_partitions(p_today date, months_ahead integer, months_back integer) IS 'tenantbase:platform Creates the missing monthly partitions of the analytics time series around p_today''s month and for the rows waiting in their default partitions, and moves those rows in; returns the new partitions. It answers no tenant data.';

-- Name: snapshot_projects(date); Type: FUNCTION; Schema: analytics; Owner: tenantbase_platform
--
CREATE FUNCTION analytics.snapshot_projects(p_day date) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    day_end timestamptz := (p_day + 1)::timestamp AT TIME ZONE 'UTC';
    written bigint;
BEGIN
    IF p_day IS NULL THEN
        RAISE EXCEPTION 'p_day is required' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    INSERT INTO analytics.project_analytics AS a
        (tenant_id, project_id, snapshot_date, total_tasks, completed_tasks, in_progress_tasks, blocked_tasks,
         total_estimated_hours, total_actual_hours, requirements_completeness, risk_score, active_team_members,
         collaboration_sessions_count)
    SELECT p.tenant_id, p.id, p_day, t.total, t.completed, t.in_progress, t.blocked, t.estimated, t.actual,
           r.completeness, k.highest, m.active, c.sessions
    FROM work.projects p
    CROSS JOIN LATERAL (
        SELECT count(*) AS total,
               count(*) FILTER (WHERE status = 'completed') AS completed,
               count(*) FILTER (WHERE status = 'in_progress') AS in_progress,
               count(*) FILTER (WHERE status = 'blocked') AS blocked,
               coalesce(sum(estimated_hours), 0) AS estimated,
               coalesce(sum(actual_hours), 0) AS actual
        FROM work.tasks WHERE tenant_id = p.tenant_id AND project_id = p.id) AS t
    CROSS JOIN LATERAL (
        SELECT round(count(*) FILTER (WHERE status IN ('approved', 'implemented', 'tested', 'accepted'))::numeric
                     / nullif(count(*), 0), 2) AS completeness
        FROM work.requirements WHERE tenant_id = p.tenant_id AND project_id = p.id AND is_current_version) AS r
    CROSS JOIN LATERAL (
        SELECT max(risk_score) AS highest
        FROM work.project_risks
        WHERE tenant_id = p.tenant_id AND project_id = p.id AND status NOT IN ('closed', 'mitigated')) AS k
    CROSS JOIN LATERAL (
        SELECT count(DISTINCT user_id) AS active
        FROM analytics.user_activities
        WHERE tenant_id = p.tenant_id AND project_id = p.id
          AND occurred_at >= day_end - interval '30 days' AND occurred_at < day_end) AS m
    CROSS JOIN LATERAL (
        SELECT count(*) AS sessions
        FROM work.collaboration_sessions
        WHERE tenant_id = p.tenant_id AND project_id = p.id
          AND scheduled_start >= day_end - interval '30 days' AND scheduled_start < day_end) AS c
    ON CONFLICT (tenant_id, project_id, snapshot_date) DO UPDATE
        SET total_tasks = EXCLUDED.total_tasks, completed_tasks = EXCLUDED.completed_tasks,
            in_progress_tasks = EXCLUDED.in_progress_tasks, blocked_tasks = EXCLUDED.blocked_tasks,
            total_estimated_hours = EXCLUDED.total_estimated_hours, total_actual_hours = EXCLUDED.total_actual_hours,
            requirements_completeness = EXCLUDED.requirements_completeness, risk_score = EXCLUDED.risk_score,
            active_team_members = EXCLUDED.active_team_members,
            collaboration_sessions_count = EXCLUDED.collaboration_sessions_count
        -- Unchanged figures write nothing (and leave nothing on the audit trail).
        WHERE (a.total_tasks, a.completed_tasks, a.in_progress_tasks, a.blocked_tasks, a.total_estimated_hours,
               a.total_actual_hours, a.requirements_completeness, a.risk_score, a.active_team_members,
               a.collaboration_sessions_count)
              IS DISTINCT FROM
              (EXCLUDED.total_tasks, EXCLUDED.completed_tasks, EXCLUDED.in_progress_tasks, EXCLUDED.blocked_tasks,
               EXCLUDED.total_estimated_hours, EXCLUDED.total_actual_hours, EXCLUDED.requirements_completeness,
               EXCLUDED.risk_score, EXCLUDED.active_team_members, EXCLUDED.collaboration_sessions_count);
    GET DIAGNOSTICS written = ROW_COUNT;
    RETURN written;
END
$$;

ALTER FUNCTION analytics.snapshot_projects(p_day date) OWNER TO tenantbase_platform;

-- Name: FUNCTION snapshot_projects(p_day date); Type: COMMENT; Schema: analytics; Owner: tenantbase_platform
--
COMMENT ON FUNCTION analytics.snapshot_projects(p_day date) IS 'tenantbase:platform Writes the day''s snapshot of every project of every tenant (platform maintenance: the account role''s daily run, operators); returns how many it wrote, no tenant data.';

-- Name: audited_tables(); Type: FUNCTION; Schema: audit; Owner: tenantbase_owner
--
CREATE FUNCTION audit.audited_tables() RETURNS TABLE(table_name regclass, enabled boolean)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT t.tgrelid::regclass, bool_and(t.tgenabled <> 'D')
    FROM pg_trigger t
    WHERE t.tgname IN ('audit_change', 'audit_insert', 'audit_update', 'audit_delete') AND t.tgparentid = 0
    GROUP BY t.tgrelid
    ORDER BY t.tgrelid::regclass::text
$$;

ALTER FUNCTION audit.audited_tables() OWNER TO tenantbase_owner;

-- Name: chain_heads(); Type: FUNCTION; Schema: audit; Owner: tenantbase_audit
--
CREATE FUNCTION audit.chain_heads(OUT chain_id uuid, OUT head_id bigint, OUT head_hash bytea) RETURNS SETOF record
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ SELECT c.chain_id, c.head_id, c.head_hash FROM audit.chains c WHERE c.head_id > 0 ORDER BY c.chain_id $$;

ALTER FUNCTION audit.chain_heads(OUT chain_id uuid, OUT head_id bigint, OUT head_hash bytea) OWNER TO tenantbase_audit;

-- Name: FUNCTION chain_heads(OUT chain_id uuid, OUT head_id bigint, OUT head_hash bytea); Type: COMMENT; Schema: audit; Owner: tenantbase_audit
--
COMMENT ON FUNCTION audit.chain_heads(OUT chain_id uuid, OUT head_id bigint, OUT head_hash bytea) IS 'tenantbase:platform Every audit chain''s sealed head (id and hash), for signed checkpoints; no tenant data.';

-- Name: create_partition(date); Type: FUNCTION; Schema: audit; Owner: tenantbase_owner
--
CREATE FUNCTION audit.create_partition(p_month date) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
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

ALTER FUNCTION audit.create_partition(p_month date) OWNER TO tenantbase_owner;

-- Name: FUNCTION create_partition(p_month date); Type: COMMENT; Schema: audit; Owner: tenantbase_owner
--
COMMENT ON FUNCTION audit.create_partition(p_month date) IS 'Creates the log''s partition for the month of p_month (UTC) unless it exists; returns its name, or NULL.';

-- Name: current_request(); Type: FUNCTION; Schema: audit; Owner: tenantbase_owner
--
CREATE FUNCTION audit.current_request(OUT user_id uuid, OUT impersonated_by uuid, OUT api_key_id uuid, OUT request_id text, OUT ip_address inet, OUT user_agent text, OUT db_role text, OUT xact_id xid8) RETURNS record
    LANGUAGE plpgsql
    AS $$
BEGIN
    user_id := tenancy.current_user_id();
    impersonated_by := nullif(platform.context_field(5), '')::uuid;
    api_key_id := nullif(platform.context_field(4), '')::uuid;
    request_id := left(nullif(platform.context_field(6), ''), 200);
    ip_address := nullif(platform.context_field(7), '')::inet;
    user_agent := left(nullif(platform.context_field(8), ''), 512);
    db_role := session_user;
    xact_id := pg_current_xact_id();
END
$$;

ALTER FUNCTION audit.current_request(OUT user_id uuid, OUT impersonated_by uuid, OUT api_key_id uuid, OUT request_id text, OUT ip_address inet, OUT user_agent text, OUT db_role text, OUT xact_id xid8) OWNER TO tenantbase_owner;

-- Name: ensure_partitions(date, integer); Type: FUNCTION; Schema: audit; Owner: tenantbase_owner
--
CREATE FUNCTION audit.ensure_partitions(p_today date, months_ahead integer DEFAULT 3) RETURNS SETOF text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
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

ALTER FUNCTION audit.ensure_partitions(p_today date, months_ahead integer) OWNER TO tenantbase_owner;

-- Name: FUNCTION ensure_partitions(p_today date, months_ahead integer); Type: COMMENT; Schema: audit; Owner: tenantbase_owner
--
COMMENT ON FUNCTION audit.ensure_partitions(p_today date, months_ahead integer) IS 'Creates the partitions of p_today''s month and the next months_ahead months (UTC) that do not exist yet; returns their names.';

-- Name: entry_content(anyelement); Type: FUNCTION; Schema: audit; Owner: tenantbase_owner
--
CREATE FUNCTION audit.entry_content(entry anyelement) RETURNS text
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

ALTER FUNCTION audit.entry_content(entry anyelement) OWNER TO tenantbase_owner;

-- Name: entry_hash(bytea, anyelement); Type: FUNCTION; Schema: audit; Owner: tenantbase_owner
--
CREATE FUNCTION audit.entry_hash(previous bytea, entry anyelement) RETURNS bytea
    LANGUAGE sql STABLE
    AS $$ SELECT public.digest(previous || convert_to(audit.entry_content(entry), 'UTF8'), 'sha256') $$;

ALTER FUNCTION audit.entry_hash(previous bytea, entry anyelement) OWNER TO tenantbase_owner;

-- Name: erase_payloads(uuid, text[], text); Type: FUNCTION; Schema: audit; Owner: tenantbase_audit
--
CREATE FUNCTION audit.erase_payloads(p_tenant uuid, p_terms text[], p_reason text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    erased bigint := 0;
    chain record;
BEGIN
    PERFORM set_config('audit.erasing', 'on', true);
    FOR chain IN
        WITH hit AS (
            UPDATE audit.log l
            SET old_values = CASE WHEN l.old_values IS NOT NULL THEN audit.tombstone() END,
                new_values = CASE WHEN l.new_values IS NOT NULL THEN audit.tombstone() END
            WHERE (p_tenant IS NULL OR l.tenant_id = p_tenant)
              AND l.payload_digest IS NOT NULL
              AND (l.old_values IS NOT NULL OR l.new_values IS NOT NULL)
              AND NOT (coalesce(l.old_values, audit.tombstone()) = audit.tombstone()
                       AND coalesce(l.new_values, audit.tombstone()) = audit.tombstone())
              AND (p_terms IS NULL OR EXISTS (SELECT 1 FROM unnest(p_terms) AS t
                                              WHERE position(lower(t) IN lower(concat(l.old_values::text, l.new_values::text))) > 0))
            RETURNING l.tenant_id, l.id)
        SELECT tenant_id, array_agg(id ORDER BY id) AS ids FROM hit GROUP BY tenant_id
    LOOP
        INSERT INTO audit.log_pending (xact_id, chain_id, written_at, event_type, event_action, event_description,
                                       user_id, impersonated_by, api_key_id, request_id, ip_address, user_agent,
                                       db_role, metadata)
        SELECT r.xact_id, chain.tenant_id, clock_timestamp(), 'system_event', 'audit.payloads_erased',
               format('payloads of %s entries erased: %s', cardinality(chain.ids), p_reason),
               r.user_id, r.impersonated_by, r.api_key_id, r.request_id, r.ip_address, r.user_agent, r.db_role,
               jsonb_build_object('entries', to_jsonb(chain.ids), 'reason', p_reason)
        FROM audit.current_request() AS r;
        erased := erased + cardinality(chain.ids);
    END LOOP;
    -- Entries not sealed yet are sealed with their tombstones.
    UPDATE audit.log_pending p
    SET old_values = CASE WHEN p.old_values IS NOT NULL THEN audit.tombstone() END,
        new_values = CASE WHEN p.new_values IS NOT NULL THEN audit.tombstone() END
    WHERE (p_tenant IS NULL OR p.chain_id = p_tenant) AND p.event_action <> 'audit.payloads_erased'
      AND (p_terms IS NULL OR EXISTS (SELECT 1 FROM unnest(p_terms) AS t
                                      WHERE position(lower(t) IN lower(concat(p.old_values::text, p.new_values::text))) > 0));
    PERFORM set_config('audit.erasing', 'off', true);
    RETURN erased;
END
$$;

ALTER FUNCTION audit.erase_payloads(p_tenant uuid, p_terms text[], p_reason text) OWNER TO tenantbase_audit;

-- Name: FUNCTION erase_payloads(p_tenant uuid, p_terms text[], p_reason text); Type: COMMENT; Schema: audit; Owner: tenantbase_audit
--
COMMENT ON FUNCTION audit.erase_payloads(p_tenant uuid, p_terms text[], p_reason text) IS 'tenantbase:platform Erases personal data from audit payloads (tombstones), recording the erasure on each chain; platform only.';

-- Name: erase_tenant_payloads(uuid); Type: FUNCTION; Schema: audit; Owner: tenantbase_audit
--
CREATE FUNCTION audit.erase_tenant_payloads(p_tenant uuid) RETURNS bigint
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ SELECT audit.erase_payloads(p_tenant, NULL, 'the tenant''s erasure') $$;

ALTER FUNCTION audit.erase_tenant_payloads(p_tenant uuid) OWNER TO tenantbase_audit;

-- Name: FUNCTION erase_tenant_payloads(p_tenant uuid); Type: COMMENT; Schema: audit; Owner: tenantbase_audit
--
COMMENT ON FUNCTION audit.erase_tenant_payloads(p_tenant uuid) IS 'tenantbase:platform Erases every payload of a tenant''s chain; platform only.';

-- Name: erase_user_payloads(uuid, text); Type: FUNCTION; Schema: audit; Owner: tenantbase_audit
--
CREATE FUNCTION audit.erase_user_payloads(p_user uuid, p_email text) RETURNS bigint
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ SELECT audit.erase_payloads(NULL, array_remove(ARRAY[p_user::text, nullif(p_email, '')], NULL), 'a user''s erasure') $$;

ALTER FUNCTION audit.erase_user_payloads(p_user uuid, p_email text) OWNER TO tenantbase_audit;

-- Name: FUNCTION erase_user_payloads(p_user uuid, p_email text); Type: COMMENT; Schema: audit; Owner: tenantbase_audit
--
COMMENT ON FUNCTION audit.erase_user_payloads(p_user uuid, p_email text) IS 'tenantbase:platform Erases from every chain the payloads naming a user (id or email); platform only.';

-- Name: partitions(); Type: FUNCTION; Schema: audit; Owner: tenantbase_owner
--
CREATE FUNCTION audit.partitions() RETURNS TABLE(partition regclass, from_at timestamp with time zone, to_at timestamp with time zone)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT c.oid::regclass, bounds[1]::timestamptz, bounds[2]::timestamptz
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    CROSS JOIN LATERAL regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \(''([^'']+)''\) TO \(''([^'']+)''\)') AS bounds
    WHERE i.inhparent = 'audit.log'::regclass
    ORDER BY 2
$$;

ALTER FUNCTION audit.partitions() OWNER TO tenantbase_owner;

-- Name: payload_digest(jsonb, jsonb); Type: FUNCTION; Schema: audit; Owner: tenantbase_owner
--
CREATE FUNCTION audit.payload_digest(old_values jsonb, new_values jsonb) RETURNS bytea
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT public.digest(convert_to(jsonb_build_array(old_values, new_values)::text, 'UTF8'), 'sha256') $$;

ALTER FUNCTION audit.payload_digest(old_values jsonb, new_values jsonb) OWNER TO tenantbase_owner;

-- Name: platform_chain(); Type: FUNCTION; Schema: audit; Owner: tenantbase_owner
--
CREATE FUNCTION audit.platform_chain() RETURNS uuid
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT '00000000-0000-0000-0000-000000000000'::uuid $$;

ALTER FUNCTION audit.platform_chain() OWNER TO tenantbase_owner;

-- Name: queue_changes(text[], audit.operation, jsonb[], jsonb[]); Type: FUNCTION; Schema: audit; Owner: tenantbase_owner
--
CREATE FUNCTION audit.queue_changes(args text[], op audit.operation, old_rows jsonb[], new_rows jsonb[]) RETURNS void
    LANGUAGE plpgsql
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
BEGIN
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
    WHERE op <> 'delete' OR EXISTS (SELECT 1 FROM tenancy.tenants t WHERE t.id = c.tenant);
END
$$;

ALTER FUNCTION audit.queue_changes(args text[], op audit.operation, old_rows jsonb[], new_rows jsonb[]) OWNER TO tenantbase_owner;

-- Name: record_account_event(); Type: FUNCTION; Schema: audit; Owner: tenantbase_audit
--
CREATE FUNCTION audit.record_account_event() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    row_json jsonb := to_jsonb(NEW);
BEGIN
    INSERT INTO audit.platform_pending (xact_id, written_at, event_type, event_action, event_description, target_type,
                                        target_id, user_id, impersonated_by, api_key_id, request_id, ip_address,
                                        user_agent, db_role, metadata)
    SELECT r.xact_id, clock_timestamp(), 'authentication', TG_ARGV[0], TG_ARGV[1], TG_TABLE_NAME, NEW.id,
           -- The account's user: the row itself, or the session's.
           coalesce((row_json ->> 'user_id')::uuid, NEW.id),
           r.impersonated_by, r.api_key_id, r.request_id,
           coalesce(r.ip_address, (row_json ->> 'ip_address')::inet),
           coalesce(r.user_agent, left(row_json ->> 'user_agent', 512)), r.db_role, '{}'
    FROM audit.current_request() AS r;
    RETURN NULL;
END
$$;

ALTER FUNCTION audit.record_account_event() OWNER TO tenantbase_audit;

-- Name: FUNCTION record_account_event(); Type: COMMENT; Schema: audit; Owner: tenantbase_audit
--
COMMENT ON FUNCTION audit.record_account_event() IS 'tenantbase:platform Records sign-ups, logins, session ends and lockouts on the platform chain (ids only, no email).';

-- Name: record_change(); Type: FUNCTION; Schema: audit; Owner: tenantbase_audit
--
CREATE FUNCTION audit.record_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    PERFORM audit.queue_changes(TG_ARGV[0:TG_NARGS - 1], lower(TG_OP)::audit.operation,
                                CASE WHEN TG_OP <> 'INSERT' THEN ARRAY[to_jsonb(OLD)] END,
                                CASE WHEN TG_OP <> 'DELETE' THEN ARRAY[to_jsonb(NEW)] END);
    RETURN NULL;
END
$$;

ALTER FUNCTION audit.record_change() OWNER TO tenantbase_audit;

-- Name: FUNCTION record_change(); Type: COMMENT; Schema: audit; Owner: tenantbase_audit
--
COMMENT ON FUNCTION audit.record_change() IS 'tenantbase:platform The audit trigger on every tenant table: appends the changed row to its own tenant''s chain. An AFTER trigger, it sees only rows that passed the policies or were written by guarded definer code.';

-- Name: record_changes(); Type: FUNCTION; Schema: audit; Owner: tenantbase_audit
--
CREATE FUNCTION audit.record_changes() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
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

ALTER FUNCTION audit.record_changes() OWNER TO tenantbase_audit;

-- Name: FUNCTION record_changes(); Type: COMMENT; Schema: audit; Owner: tenantbase_audit
--
COMMENT ON FUNCTION audit.record_changes() IS 'tenantbase:platform The audit trigger on every tenant table (per statement): queues each changed row on its own tenant''s chain. An AFTER trigger, it sees only rows that passed the policies or were written by guarded definer code.';

-- Name: record_epoch(uuid, text, jsonb); Type: FUNCTION; Schema: audit; Owner: tenantbase_audit
--
CREATE FUNCTION audit.record_epoch(p_tenant uuid, p_description text, p_metadata jsonb DEFAULT '{}'::jsonb) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    head record;
    queued bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM tenancy.tenants t WHERE t.id = p_tenant) THEN
        RAISE EXCEPTION 'no tenant %', p_tenant USING ERRCODE = 'no_data_found';
    END IF;
    IF p_metadata IS NULL OR jsonb_typeof(p_metadata) <> 'object' THEN
        RAISE EXCEPTION 'an epoch''s metadata is a JSON object' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT c.head_id, c.head_hash INTO head FROM audit.chains c WHERE c.chain_id = p_tenant;
    INSERT INTO audit.log_pending (xact_id, chain_id, written_at, event_type, event_action, event_description,
                                   user_id, impersonated_by, api_key_id, request_id, ip_address, user_agent,
                                   db_role, metadata)
    SELECT r.xact_id, p_tenant, clock_timestamp(), 'system_event', 'audit.epoch',
           coalesce(nullif(p_description, ''), 'a restore'),
           r.user_id, r.impersonated_by, r.api_key_id, r.request_id, r.ip_address, r.user_agent, r.db_role,
           p_metadata || jsonb_build_object(
               'sealed_head', coalesce(head.head_id, 0),
               'sealed_head_hash', encode(coalesce(head.head_hash, decode(repeat('00', 32), 'hex')), 'hex'))
    FROM audit.current_request() AS r
    RETURNING seq INTO queued;
    RETURN queued;
END
$$;

ALTER FUNCTION audit.record_epoch(p_tenant uuid, p_description text, p_metadata jsonb) OWNER TO tenantbase_audit;

-- Name: FUNCTION record_epoch(p_tenant uuid, p_description text, p_metadata jsonb); Type: COMMENT; Schema: audit; Owner: tenantbase_audit
--
COMMENT ON FUNCTION audit.record_epoch(p_tenant uuid, p_description text, p_metadata jsonb) IS 'tenantbase:platform Appends a restore''s epoch entry to a tenant''s chain (never a rewind); platform only.';

-- Name: record_login_failure(uuid, inet, text, integer); Type: FUNCTION; Schema: audit; Owner: tenantbase_audit
--
CREATE FUNCTION audit.record_login_failure(p_user uuid, p_ip inet, p_user_agent text, p_locked_for_seconds integer) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    INSERT INTO audit.platform_pending (xact_id, written_at, event_type, event_action, event_description, target_type,
                                        target_id, user_id, db_role, ip_address, user_agent, metadata)
    SELECT pg_current_xact_id(), clock_timestamp(), 'authentication', e.action, e.description,
           CASE WHEN p_user IS NOT NULL THEN 'users' END, p_user, p_user, session_user, p_ip, left(p_user_agent, 512),
           e.metadata
    FROM (VALUES (1, 'login.failed', 'a login failed', '{}'::jsonb),
                 (2, 'login.locked_out', 'failed logins wait before the next attempt',
                  jsonb_build_object('wait_seconds', p_locked_for_seconds))) AS e (n, action, description, metadata)
    WHERE e.n = 1 OR p_locked_for_seconds IS NOT NULL
    ORDER BY e.n;
END
$$;

ALTER FUNCTION audit.record_login_failure(p_user uuid, p_ip inet, p_user_agent text, p_locked_for_seconds integer) OWNER TO tenantbase_audit;

-- Name: FUNCTION record_login_failure(p_user uuid, p_ip inet, p_user_agent text, p_locked_for_seconds integer); Type: COMMENT; Schema: audit; Owner: tenantbase_audit
--
COMMENT ON FUNCTION audit.record_login_failure(p_user uuid, p_ip inet, p_user_agent text, p_locked_for_seconds integer) IS 'tenantbase:platform Records a failed login (and the lockout it caused) on the platform chain; the server''s account role only.';

-- Name: record_platform_event(audit.event_type, text, text, uuid, text, uuid, jsonb); Type: FUNCTION; Schema: audit; Owner: tenantbase_audit
--
CREATE FUNCTION audit.record_platform_event(p_event_type audit.event_type, p_action text, p_description text, p_subject_tenant uuid DEFAULT NULL::uuid, p_target_type text DEFAULT NULL::text, p_target_id uuid DEFAULT NULL::uuid, p_metadata jsonb DEFAULT '{}'::jsonb) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
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

ALTER FUNCTION audit.record_platform_event(p_event_type audit.event_type, p_action text, p_description text, p_subject_tenant uuid, p_target_type text, p_target_id uuid, p_metadata jsonb) OWNER TO tenantbase_audit;

-- Name: record_tenant_lifecycle(); Type: FUNCTION; Schema: audit; Owner: tenantbase_audit
--
CREATE FUNCTION audit.record_tenant_lifecycle() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    head record;
    unsealed bigint;
    erasure record;
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM audit.record_platform_event('system_event', 'tenant.created', format('tenant %s created', NEW.slug),
                                            NEW.id, 'tenants', NEW.id,
                                            jsonb_build_object('slug', NEW.slug, 'name', NEW.name, 'plan', NEW.plan));
        RETURN NEW;
    END IF;
    SELECT c.head_id, c.head_hash INTO head FROM audit.chains c WHERE c.chain_id = OLD.id;
    SELECT count(*) INTO unsealed FROM audit.log_pending WHERE chain_id = OLD.id;
    SELECT * INTO erasure FROM platform.erasures WHERE erased_tenant = OLD.id;
    IF FOUND THEN
        PERFORM audit.record_platform_event('system_event', 'tenant.erased', 'a tenant erased',
                                            OLD.id, 'tenants', OLD.id,
                                            jsonb_build_object('deleted_at', erasure.deleted_at,
                                                               'erased_at', erasure.erased_at,
                                                               'users_erased', cardinality(erasure.users),
                                                               'audit_kept_until', erasure.audit_kept_until,
                                                               'final_entry', coalesce(head.head_id, 0),
                                                               'final_hash', encode(coalesce(head.head_hash, decode(repeat('00', 32), 'hex')), 'hex')));
        RETURN OLD;
    END IF;
    PERFORM audit.record_platform_event('system_event', 'tenant.deleted', format('tenant %s deleted', OLD.slug),
                                        OLD.id, 'tenants', OLD.id,
                                        jsonb_build_object('slug', OLD.slug, 'name', OLD.name,
                                                           'final_entry', coalesce(head.head_id, 0),
                                                           'final_hash', encode(coalesce(head.head_hash, decode(repeat('00', 32), 'hex')), 'hex'),
                                                           'unsealed_entries', unsealed));
    RETURN OLD;
END
$$;

ALTER FUNCTION audit.record_tenant_lifecycle() OWNER TO tenantbase_audit;

-- Name: FUNCTION record_tenant_lifecycle(); Type: COMMENT; Schema: audit; Owner: tenantbase_audit
--
COMMENT ON FUNCTION audit.record_tenant_lifecycle() IS 'tenantbase:platform Records a tenant''s creation and deletion on the platform chain; tenants are created only through platform functions.';

-- Name: record_truncate(); Type: FUNCTION; Schema: audit; Owner: tenantbase_audit
--
CREATE FUNCTION audit.record_truncate() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    PERFORM audit.record_platform_event('data_change', 'table.truncated', format('%s truncated, every tenant''s rows', TG_ARGV[0]),
                                        p_target_type => 'table', p_metadata => jsonb_build_object('table', TG_ARGV[0]));
    RETURN NULL;
END
$$;

ALTER FUNCTION audit.record_truncate() OWNER TO tenantbase_audit;

-- Name: FUNCTION record_truncate(); Type: COMMENT; Schema: audit; Owner: tenantbase_audit
--
COMMENT ON FUNCTION audit.record_truncate() IS 'tenantbase:platform Records a TRUNCATE (which no app role may run) on the platform chain.';

-- Name: refuse_change(); Type: FUNCTION; Schema: audit; Owner: tenantbase_audit
--
CREATE FUNCTION audit.refuse_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_NARGS = 1
       AND NOT EXISTS (SELECT 1 FROM tenancy.tenants WHERE id = (to_jsonb(OLD) ->> TG_ARGV[0])::uuid)
       AND EXISTS (SELECT 1 FROM platform.erasures
                   WHERE erased_tenant = (to_jsonb(OLD) ->> TG_ARGV[0])::uuid AND audit_erased_at IS NOT NULL) THEN
        RETURN OLD;
    END IF;
    -- Nested: NEW is unassigned in a DELETE, and only the tenant log (TG_NARGS = 1) has payload columns.
    IF TG_OP = 'UPDATE' AND TG_NARGS = 1 AND current_setting('audit.erasing', true) = 'on' THEN
        IF (to_jsonb(NEW) - 'old_values' - 'new_values') = (to_jsonb(OLD) - 'old_values' - 'new_values')
           AND coalesce(to_jsonb(NEW) -> 'old_values', 'null') IN ('null', audit.tombstone())
           AND coalesce(to_jsonb(NEW) -> 'new_values', 'null') IN ('null', audit.tombstone()) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit entries cannot be changed or removed'
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Retention drops whole partitions: tenantbase audit prune. Payloads are erased with tenantbase audit erase.';
END
$$;

ALTER FUNCTION audit.refuse_change() OWNER TO tenantbase_audit;

-- Name: FUNCTION refuse_change(); Type: COMMENT; Schema: audit; Owner: tenantbase_audit
--
COMMENT ON FUNCTION audit.refuse_change() IS 'tenantbase:platform Refuses any change to the audit log; reads nothing.';

-- Name: seal(integer); Type: FUNCTION; Schema: audit; Owner: tenantbase_audit
--
CREATE FUNCTION audit.seal(max_entries integer DEFAULT 10000) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
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

ALTER FUNCTION audit.seal(max_entries integer) OWNER TO tenantbase_audit;

-- Name: FUNCTION seal(max_entries integer); Type: COMMENT; Schema: audit; Owner: tenantbase_audit
--
COMMENT ON FUNCTION audit.seal(max_entries integer) IS 'tenantbase:platform The sealer: chains the pending audit entries of ended transactions, every tenant''s; answers only a count.';

-- Name: seal_horizon(); Type: FUNCTION; Schema: audit; Owner: tenantbase_owner
--
CREATE FUNCTION audit.seal_horizon() RETURNS xid8
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
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

ALTER FUNCTION audit.seal_horizon() OWNER TO tenantbase_owner;

-- Name: seal_lag(); Type: FUNCTION; Schema: audit; Owner: tenantbase_audit
--
CREATE FUNCTION audit.seal_lag(OUT unsealed bigint, OUT oldest_written_at timestamp with time zone) RETURNS record
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT (SELECT count(*) FROM audit.log_pending) + (SELECT count(*) FROM audit.platform_pending),
           least((SELECT min(written_at) FROM audit.log_pending), (SELECT min(written_at) FROM audit.platform_pending))
$$;

ALTER FUNCTION audit.seal_lag(OUT unsealed bigint, OUT oldest_written_at timestamp with time zone) OWNER TO tenantbase_audit;

-- Name: FUNCTION seal_lag(OUT unsealed bigint, OUT oldest_written_at timestamp with time zone); Type: COMMENT; Schema: audit; Owner: tenantbase_audit
--
COMMENT ON FUNCTION audit.seal_lag(OUT unsealed bigint, OUT oldest_written_at timestamp with time zone) IS 'tenantbase:platform How many audit entries wait to be sealed, and when the oldest was written; no tenant data.';

-- Name: set_auditing(boolean); Type: FUNCTION; Schema: audit; Owner: tenantbase_owner
--
CREATE FUNCTION audit.set_auditing(enabled boolean) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
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

ALTER FUNCTION audit.set_auditing(enabled boolean) OWNER TO tenantbase_owner;

-- Name: switch_triggers(regclass, boolean); Type: FUNCTION; Schema: audit; Owner: tenantbase_owner
--
CREATE FUNCTION audit.switch_triggers(tbl regclass, enabled boolean) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
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

ALTER FUNCTION audit.switch_triggers(tbl regclass, enabled boolean) OWNER TO tenantbase_owner;

-- Name: tombstone(); Type: FUNCTION; Schema: audit; Owner: tenantbase_owner
--
CREATE FUNCTION audit.tombstone() RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT '{"erased": true}'::jsonb $$;

ALTER FUNCTION audit.tombstone() OWNER TO tenantbase_owner;

-- Name: track_changes(regclass, text, name); Type: FUNCTION; Schema: audit; Owner: tenantbase_owner
--
CREATE FUNCTION audit.track_changes(tbl regclass, resource text, tenant_column name) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
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
$_$;

ALTER FUNCTION audit.track_changes(tbl regclass, resource text, tenant_column name) OWNER TO tenantbase_owner;

-- Name: uuid_or_null(text); Type: FUNCTION; Schema: audit; Owner: tenantbase_owner
--
CREATE FUNCTION audit.uuid_or_null(value text) RETURNS uuid
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $_$
    SELECT CASE WHEN value ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN value::uuid END
$_$;

ALTER FUNCTION audit.uuid_or_null(value text) OWNER TO tenantbase_owner;

-- Name: maintain_customer_metrics(); Type: FUNCTION; Schema: commerce; Owner: tenantbase_platform
--
CREATE FUNCTION commerce.maintain_customer_metrics() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
    source text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT *, 1 AS sign FROM new_orders'
        WHEN 'DELETE' THEN 'SELECT *, -1 AS sign FROM old_orders'
        ELSE 'SELECT *, 1 AS sign FROM new_orders UNION ALL SELECT *, -1 AS sign FROM old_orders'
    END;
    deltas commerce.customer_metrics_delta[];
BEGIN
    -- An order updated without changing what the metrics read appears once in
    -- each transition table: its two rows cancel out.
    EXECUTE format($q$
        SELECT array_agg(delta)
        FROM (SELECT ROW(tenant_id, customer_id,
                         coalesce(sum(sign) FILTER (WHERE counted), 0),
                         coalesce(sum(sign * total_amount) FILTER (WHERE counted), 0),
                         max(order_date) FILTER (WHERE sign > 0), min(order_date) FILTER (WHERE sign > 0),
                         max(order_date) FILTER (WHERE sign < 0), min(order_date) FILTER (WHERE sign < 0)
                     )::commerce.customer_metrics_delta AS delta
              FROM (SELECT tenant_id, customer_id, total_amount, order_date, counted, sum(sign) AS sign
                    FROM (SELECT tenant_id, id, customer_id, total_amount, order_date, sign,
                                 status NOT IN ('cancelled', 'refunded') AS counted
                          FROM (%s) AS rows_changed
                          WHERE customer_id IS NOT NULL) AS c
                    GROUP BY tenant_id, id, customer_id, total_amount, order_date, counted
                    HAVING sum(sign) <> 0) AS changed
              GROUP BY tenant_id, customer_id) AS per_customer $q$, source)
    INTO deltas;
    IF deltas IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM tenancy.require_tenant(tenant) FROM (SELECT DISTINCT d.tenant_id AS tenant FROM unnest(deltas) d) AS changed;

    PERFORM 1
    FROM commerce.customers c
    JOIN unnest(deltas) d ON c.tenant_id = d.tenant_id AND c.id = d.customer_id
    ORDER BY c.tenant_id, c.id
    FOR NO KEY UPDATE OF c;

    UPDATE commerce.customers c
    SET total_orders = c.total_orders + d.orders_delta,
        total_spent = c.total_spent + d.spent_delta,
        last_order_at = CASE
            WHEN d.newest_out >= c.last_order_at THEN
                (SELECT max(o.order_date) FROM commerce.orders o WHERE o.tenant_id = c.tenant_id AND o.customer_id = c.id)
            ELSE greatest(c.last_order_at, d.newest_in) END,
        first_order_at = CASE
            WHEN d.oldest_out <= c.first_order_at THEN
                (SELECT min(o.order_date) FROM commerce.orders o WHERE o.tenant_id = c.tenant_id AND o.customer_id = c.id)
            ELSE least(c.first_order_at, d.oldest_in) END
    FROM unnest(deltas) d
    WHERE c.tenant_id = d.tenant_id AND c.id = d.customer_id;
    RETURN NULL;
END
$_$;

ALTER FUNCTION commerce.maintain_customer_metrics() OWNER TO tenantbase_platform;

-- Name: start_customer_metrics(); Type: FUNCTION; Schema: commerce; Owner: tenantbase_owner
--
CREATE FUNCTION commerce.start_customer_metrics() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.total_orders := 0;
    NEW.total_spent := 0;
    NEW.first_order_at := NULL;
    NEW.last_order_at := NULL;
    RETURN NEW;
END
$$;

ALTER FUNCTION commerce.start_customer_metrics() OWNER TO tenantbase_owner;

-- Name: ai_task_status(text, text); Type: FUNCTION; Schema: lifecycle; Owner: tenantbase_owner
--
CREATE FUNCTION lifecycle.ai_task_status(from_state text, to_state text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN COALESCE((((((((((((((((((((((((((from_state = 'pending'::text) AND (to_state = 'queued'::text)) OR ((from_state = 'pending'::text) AND (to_state = 'processing'::text))) OR ((from_state = 'pending'::text) AND (to_state = 'completed'::text))) OR ((from_state = 'pending'::text) AND (to_state = 'failed'::text))) OR ((from_state = 'pending'::text) AND (to_state = 'cancelled'::text))) OR ((from_state = 'pending'::text) AND (to_state = 'escalated'::text))) OR ((from_state = 'queued'::text) AND (to_state = 'pending'::text))) OR ((from_state = 'queued'::text) AND (to_state = 'processing'::text))) OR ((from_state = 'queued'::text) AND (to_state = 'completed'::text))) OR ((from_state = 'queued'::text) AND (to_state = 'failed'::text))) OR ((from_state = 'queued'::text) AND (to_state = 'cancelled'::text))) OR ((from_state = 'queued'::text) AND (to_state = 'escalated'::text))) OR ((from_state = 'processing'::text) AND (to_state = 'completed'::text))) OR ((from_state = 'processing'::text) AND (to_state = 'failed'::text))) OR ((from_state = 'processing'::text) AND (to_state = 'cancelled'::text))) OR ((from_state = 'processing'::text) AND (to_state = 'escalated'::text))) OR ((from_state = 'escalated'::text) AND (to_state = 'processing'::text))) OR ((from_state = 'escalated'::text) AND (to_state = 'completed'::text))) OR ((from_state = 'escalated'::text) AND (to_state = 'failed'::text))) OR ((from_state = 'escalated'::text) AND (to_state = 'cancelled'::text))) OR ((from_state = 'failed'::text) AND (to_state = 'pending'::text))) OR ((from_state = 'failed'::text) AND (to_state = 'cancelled'::text))) OR ((from_state = 'cancelled'::text) AND (to_state = 'pending'::text))) OR ((from_state = 'awaiting_credits'::text) AND (to_state = 'completed'::text))), false);

ALTER FUNCTION lifecycle.ai_task_status(from_state text, to_state text) OWNER TO tenantbase_owner;

-- Name: FUNCTION ai_task_status(from_state text, to_state text); Type: COMMENT; Schema: lifecycle; Owner: tenantbase_owner
--
COMMENT ON FUNCTION lifecycle.ai_task_status(from_state text, to_state text) IS 'Whether ai_task_status may go from from_state to to_state (generated by tenancy.define_lifecycle).';

-- Name: ai_task_status_transitions(); Type: FUNCTION; Schema: lifecycle; Owner: tenantbase_owner
--
CREATE FUNCTION lifecycle.ai_task_status_transitions() RETURNS TABLE(from_state text, to_state text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ VALUES ('pending', 'queued'), ('pending', 'processing'), ('pending', 'completed'), ('pending', 'failed'), ('pending', 'cancelled'), ('pending', 'escalated'), ('queued', 'pending'), ('queued', 'processing'), ('queued', 'completed'), ('queued', 'failed'), ('queued', 'cancelled'), ('queued', 'escalated'), ('processing', 'completed'), ('processing', 'failed'), ('processing', 'cancelled'), ('processing', 'escalated'), ('escalated', 'processing'), ('escalated', 'completed'), ('escalated', 'failed'), ('escalated', 'cancelled'), ('failed', 'pending'), ('failed', 'cancelled'), ('cancelled', 'pending'), ('awaiting_credits', 'completed') $$;

ALTER FUNCTION lifecycle.ai_task_status_transitions() OWNER TO tenantbase_owner;

-- Name: FUNCTION ai_task_status_transitions(); Type: COMMENT; Schema: lifecycle; Owner: tenantbase_owner
--
COMMENT ON FUNCTION lifecycle.ai_task_status_transitions() IS 'The transition table of ai_task_status (generated by tenancy.define_lifecycle).';

-- Name: approval_request_status(text, text); Type: FUNCTION; Schema: lifecycle; Owner: tenantbase_owner
--
CREATE FUNCTION lifecycle.approval_request_status(from_state text, to_state text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN COALESCE(((((((((((from_state = 'pending'::text) AND (to_state = 'in_review'::text)) OR ((from_state = 'pending'::text) AND (to_state = 'approved'::text))) OR ((from_state = 'pending'::text) AND (to_state = 'rejected'::text))) OR ((from_state = 'pending'::text) AND (to_state = 'cancelled'::text))) OR ((from_state = 'pending'::text) AND (to_state = 'expired'::text))) OR ((from_state = 'in_review'::text) AND (to_state = 'approved'::text))) OR ((from_state = 'in_review'::text) AND (to_state = 'rejected'::text))) OR ((from_state = 'in_review'::text) AND (to_state = 'cancelled'::text))) OR ((from_state = 'in_review'::text) AND (to_state = 'expired'::text))), false);

ALTER FUNCTION lifecycle.approval_request_status(from_state text, to_state text) OWNER TO tenantbase_owner;

-- Name: FUNCTION approval_request_status(from_state text, to_state text); Type: COMMENT; Schema: lifecycle; Owner: tenantbase_owner
--
COMMENT ON FUNCTION lifecycle.approval_request_status(from_state text, to_state text) IS 'Whether approval_request_status may go from from_state to to_state (generated by tenancy.define_lifecycle).';

-- Name: approval_request_status_transitions(); Type: FUNCTION; Schema: lifecycle; Owner: tenantbase_owner
--
CREATE FUNCTION lifecycle.approval_request_status_transitions() RETURNS TABLE(from_state text, to_state text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ VALUES ('pending', 'in_review'), ('pending', 'approved'), ('pending', 'rejected'), ('pending', 'cancelled'), ('pending', 'expired'), ('in_review', 'approved'), ('in_review', 'rejected'), ('in_review', 'cancelled'), ('in_review', 'expired') $$;

ALTER FUNCTION lifecycle.approval_request_status_transitions() OWNER TO tenantbase_owner;

-- Name: FUNCTION approval_request_status_transitions(); Type: COMMENT; Schema: lifecycle; Owner: tenantbase_owner
--
COMMENT ON FUNCTION lifecycle.approval_request_status_transitions() IS 'The transition table of approval_request_status (generated by tenancy.define_lifecycle).';

-- Name: content_status(text, text); Type: FUNCTION; Schema: lifecycle; Owner: tenantbase_owner
--
CREATE FUNCTION lifecycle.content_status(from_state text, to_state text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN COALESCE(((((((((((((((((((((from_state = 'draft'::text) AND (to_state = 'in_progress'::text)) OR ((from_state = 'draft'::text) AND (to_state = 'review'::text))) OR ((from_state = 'draft'::text) AND (to_state = 'approved'::text))) OR ((from_state = 'draft'::text) AND (to_state = 'published'::text))) OR ((from_state = 'draft'::text) AND (to_state = 'archived'::text))) OR ((from_state = 'in_progress'::text) AND (to_state = 'draft'::text))) OR ((from_state = 'in_progress'::text) AND (to_state = 'review'::text))) OR ((from_state = 'in_progress'::text) AND (to_state = 'published'::text))) OR ((from_state = 'in_progress'::text) AND (to_state = 'archived'::text))) OR ((from_state = 'review'::text) AND (to_state = 'draft'::text))) OR ((from_state = 'review'::text) AND (to_state = 'in_progress'::text))) OR ((from_state = 'review'::text) AND (to_state = 'approved'::text))) OR ((from_state = 'review'::text) AND (to_state = 'published'::text))) OR ((from_state = 'review'::text) AND (to_state = 'archived'::text))) OR ((from_state = 'approved'::text) AND (to_state = 'in_progress'::text))) OR ((from_state = 'approved'::text) AND (to_state = 'published'::text))) OR ((from_state = 'approved'::text) AND (to_state = 'archived'::text))) OR ((from_state = 'published'::text) AND (to_state = 'archived'::text))) OR ((from_state = 'archived'::text) AND (to_state = 'draft'::text))), false);

ALTER FUNCTION lifecycle.content_status(from_state text, to_state text) OWNER TO tenantbase_owner;

-- Name: FUNCTION content_status(from_state text, to_state text); Type: COMMENT; Schema: lifecycle; Owner: tenantbase_owner
--
COMMENT ON FUNCTION lifecycle.content_status(from_state text, to_state text) IS 'Whether content_status may go from from_state to to_state (generated by tenancy.define_lifecycle).';

-- Name: content_status_transitions(); Type: FUNCTION; Schema: lifecycle; Owner: tenantbase_owner
--
CREATE FUNCTION lifecycle.content_status_transitions() RETURNS TABLE(from_state text, to_state text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ VALUES ('draft', 'in_progress'), ('draft', 'review'), ('draft', 'approved'), ('draft', 'published'), ('draft', 'archived'), ('in_progress', 'draft'), ('in_progress', 'review'), ('in_progress', 'published'), ('in_progress', 'archived'), ('review', 'draft'), ('review', 'in_progress'), ('review', 'approved'), ('review', 'published'), ('review', 'archived'), ('approved', 'in_progress'), ('approved', 'published'), ('approved', 'archived'), ('published', 'archived'), ('archived', 'draft') $$;

ALTER FUNCTION lifecycle.content_status_transitions() OWNER TO tenantbase_owner;

-- Name: FUNCTION content_status_transitions(); Type: COMMENT; Schema: lifecycle; Owner: tenantbase_owner
--
COMMENT ON FUNCTION lifecycle.content_status_transitions() IS 'The transition table of content_status (generated by tenancy.define_lifecycle).';

-- Name: order_fulfillment_status(text, text); Type: FUNCTION; Schema: lifecycle; Owner: tenantbase_owner
--
CREATE FUNCTION lifecycle.order_fulfillment_status(from_state text, to_state text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN COALESCE((((((((from_state = 'pending'::text) AND (to_state = 'processing'::text)) OR ((from_state = 'pending'::text) AND (to_state = 'shipped'::text))) OR ((from_state = 'pending'::text) AND (to_state = 'cancelled'::text))) OR ((from_state = 'processing'::text) AND (to_state = 'shipped'::text))) OR ((from_state = 'processing'::text) AND (to_state = 'cancelled'::text))) OR ((from_state = 'shipped'::text) AND (to_state = 'delivered'::text))), false);

ALTER FUNCTION lifecycle.order_fulfillment_status(from_state text, to_state text) OWNER TO tenantbase_owner;

-- Name: FUNCTION order_fulfillment_status(from_state text, to_state text); Type: COMMENT; Schema: lifecycle; Owner: tenantbase_owner
--
COMMENT ON FUNCTION lifecycle.order_fulfillment_status(from_state text, to_state text) IS 'Whether order_fulfillment_status may go from from_state to to_state (generated by tenancy.define_lifecycle).';

-- Name: order_fulfillment_status_transitions(); Type: FUNCTION; Schema: lifecycle; Owner: tenantbase_owner
--
CREATE FUNCTION lifecycle.order_fulfillment_status_transitions() RETURNS TABLE(from_state text, to_state text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ VALUES ('pending', 'processing'), ('pending', 'shipped'), ('pending', 'cancelled'), ('processing', 'shipped'), ('processing', 'cancelled'), ('shipped', 'delivered') $$;

ALTER FUNCTION lifecycle.order_fulfillment_status_transitions() OWNER TO tenantbase_owner;

-- Name: FUNCTION order_fulfillment_status_transitions(); Type: COMMENT; Schema: lifecycle; Owner: tenantbase_owner
--
COMMENT ON FUNCTION lifecycle.order_fulfillment_status_transitions() IS 'The transition table of order_fulfillment_status (generated by tenancy.define_lifecycle).';

-- Name: order_payment_status(text, text); Type: FUNCTION; Schema: lifecycle; Owner: tenantbase_owner
--
CREATE FUNCTION lifecycle.order_payment_status(from_state text, to_state text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN COALESCE(((((((((from_state = 'pending'::text) AND (to_state = 'paid'::text)) OR ((from_state = 'pending'::text) AND (to_state = 'partially_paid'::text))) OR ((from_state = 'pending'::text) AND (to_state = 'voided'::text))) OR ((from_state = 'partially_paid'::text) AND (to_state = 'paid'::text))) OR ((from_state = 'partially_paid'::text) AND (to_state = 'refunded'::text))) OR ((from_state = 'partially_paid'::text) AND (to_state = 'voided'::text))) OR ((from_state = 'paid'::text) AND (to_state = 'refunded'::text))), false);

ALTER FUNCTION lifecycle.order_payment_status(from_state text, to_state text) OWNER TO tenantbase_owner;

-- Name: FUNCTION order_payment_status(from_state text, to_state text); Type: COMMENT; Schema: lifecycle; Owner: tenantbase_owner
--
COMMENT ON FUNCTION lifecycle.order_payment_status(from_state text, to_state text) IS 'Whether order_payment_status may go from from_state to to_state (generated by tenancy.define_lifecycle).';

-- Name: order_payment_status_transitions(); Type: FUNCTION; Schema: lifecycle; Owner: tenantbase_owner
--
CREATE FUNCTION lifecycle.order_payment_status_transitions() RETURNS TABLE(from_state text, to_state text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ VALUES ('pending', 'paid'), ('pending', 'partially_paid'), ('pending', 'voided'), ('partially_paid', 'paid'), ('partially_paid', 'refunded'), ('partially_paid', 'voided'), ('paid', 'refunded') $$;

ALTER FUNCTION lifecycle.order_payment_status_transitions() OWNER TO tenantbase_owner;

-- Name: FUNCTION order_payment_status_transitions(); Type: COMMENT; Schema: lifecycle; Owner: tenantbase_owner
--
COMMENT ON FUNCTION lifecycle.order_payment_status_transitions() IS 'The transition table of order_payment_status (generated by tenancy.define_lifecycle).';

-- Name: order_status(text, text); Type: FUNCTION; Schema: lifecycle; Owner: tenantbase_owner
--
CREATE FUNCTION lifecycle.order_status(from_state text, to_state text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN COALESCE((((((((((((((from_state = 'pending'::text) AND (to_state = 'confirmed'::text)) OR ((from_state = 'pending'::text) AND (to_state = 'processing'::text))) OR ((from_state = 'pending'::text) AND (to_state = 'cancelled'::text))) OR ((from_state = 'confirmed'::text) AND (to_state = 'processing'::text))) OR ((from_state = 'confirmed'::text) AND (to_state = 'cancelled'::text))) OR ((from_state = 'confirmed'::text) AND (to_state = 'refunded'::text))) OR ((from_state = 'processing'::text) AND (to_state = 'shipped'::text))) OR ((from_state = 'processing'::text) AND (to_state = 'cancelled'::text))) OR ((from_state = 'processing'::text) AND (to_state = 'refunded'::text))) OR ((from_state = 'shipped'::text) AND (to_state = 'delivered'::text))) OR ((from_state = 'shipped'::text) AND (to_state = 'refunded'::text))) OR ((from_state = 'delivered'::text) AND (to_state = 'refunded'::text))), false);

ALTER FUNCTION lifecycle.order_status(from_state text, to_state text) OWNER TO tenantbase_owner;

-- Name: FUNCTION order_status(from_state text, to_state text); Type: COMMENT; Schema: lifecycle; Owner: tenantbase_owner
--
COMMENT ON FUNCTION lifecycle.order_status(from_state text, to_state text) IS 'Whether order_status may go from from_state to to_state (generated by tenancy.define_lifecycle).';

-- Name: order_status_transitions(); Type: FUNCTION; Schema: lifecycle; Owner: tenantbase_owner
--
CREATE FUNCTION lifecycle.order_status_transitions() RETURNS TABLE(from_state text, to_state text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ VALUES ('pending', 'confirmed'), ('pending', 'processing'), ('pending', 'cancelled'), ('confirmed', 'processing'), ('confirmed', 'cancelled'), ('confirmed', 'refunded'), ('processing', 'shipped'), ('processing', 'cancelled'), ('processing', 'refunded'), ('shipped', 'delivered'), ('shipped', 'refunded'), ('delivered', 'refunded') $$;

ALTER FUNCTION lifecycle.order_status_transitions() OWNER TO tenantbase_owner;

-- Name: FUNCTION order_status_transitions(); Type: COMMENT; Schema: lifecycle; Owner: tenantbase_owner
--
COMMENT ON FUNCTION lifecycle.order_status_transitions() IS 'The transition table of order_status (generated by tenancy.define_lifecycle).';

-- Name: project_status(text, text); Type: FUNCTION; Schema: lifecycle; Owner: tenantbase_owner
--
CREATE FUNCTION lifecycle.project_status(from_state text, to_state text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN COALESCE(((((((((((((((((((((((((((((from_state = 'initiation'::text) AND (to_state = 'analysis'::text)) OR ((from_state = 'initiation'::text) AND (to_state = 'on_hold'::text))) OR ((from_state = 'initiation'::text) AND (to_state = 'cancelled'::text))) OR ((from_state = 'analysis'::text) AND (to_state = 'design'::text))) OR ((from_state = 'analysis'::text) AND (to_state = 'initiation'::text))) OR ((from_state = 'analysis'::text) AND (to_state = 'on_hold'::text))) OR ((from_state = 'analysis'::text) AND (to_state = 'cancelled'::text))) OR ((from_state = 'design'::text) AND (to_state = 'planning'::text))) OR ((from_state = 'design'::text) AND (to_state = 'analysis'::text))) OR ((from_state = 'design'::text) AND (to_state = 'on_hold'::text))) OR ((from_state = 'design'::text) AND (to_state = 'cancelled'::text))) OR ((from_state = 'planning'::text) AND (to_state = 'execution'::text))) OR ((from_state = 'planning'::text) AND (to_state = 'design'::text))) OR ((from_state = 'planning'::text) AND (to_state = 'on_hold'::text))) OR ((from_state = 'planning'::text) AND (to_state = 'cancelled'::text))) OR ((from_state = 'execution'::text) AND (to_state = 'completed'::text))) OR ((from_state = 'execution'::text) AND (to_state = 'planning'::text))) OR ((from_state = 'execution'::text) AND (to_state = 'on_hold'::text))) OR ((from_state = 'execution'::text) AND (to_state = 'cancelled'::text))) OR ((from_state = 'on_hold'::text) AND (to_state = 'initiation'::text))) OR ((from_state = 'on_hold'::text) AND (to_state = 'analysis'::text))) OR ((from_state = 'on_hold'::text) AND (to_state = 'design'::text))) OR ((from_state = 'on_hold'::text) AND (to_state = 'planning'::text))) OR ((from_state = 'on_hold'::text) AND (to_state = 'execution'::text))) OR ((from_state = 'on_hold'::text) AND (to_state = 'cancelled'::text))) OR ((from_state = 'completed'::text) AND (to_state = 'execution'::text))) OR ((from_state = 'cancelled'::text) AND (to_state = 'initiation'::text))), false);

ALTER FUNCTION lifecycle.project_status(from_state text, to_state text) OWNER TO tenantbase_owner;

-- Name: FUNCTION project_status(from_state text, to_state text); Type: COMMENT; Schema: lifecycle; Owner: tenantbase_owner
--
COMMENT ON FUNCTION lifecycle.project_status(from_state text, to_state text) IS 'Whether project_status may go from from_state to to_state (generated by tenancy.define_lifecycle).';

-- Name: project_status_transitions(); Type: FUNCTION; Schema: lifecycle; Owner: tenantbase_owner
--
CREATE FUNCTION lifecycle.project_status_transitions() RETURNS TABLE(from_state text, to_state text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ VALUES ('initiation', 'analysis'), ('initiation', 'on_hold'), ('initiation', 'cancelled'), ('analysis', 'design'), ('analysis', 'initiation'), ('analysis', 'on_hold'), ('analysis', 'cancelled'), ('design', 'planning'), ('design', 'analysis'), ('design', 'on_hold'), ('design', 'cancelled'), ('planning', 'execution'), ('planning', 'design'), ('planning', 'on_hold'), ('planning', 'cancelled'), ('execution', 'completed'), ('execution', 'planning'), ('execution', 'on_hold'), ('execution', 'cancelled'), ('on_hold', 'initiation'), ('on_hold', 'analysis'), ('on_hold', 'design'), ('on_hold', 'planning'), ('on_hold', 'execution'), ('on_hold', 'cancelled'), ('completed', 'execution'), ('cancelled', 'initiation') $$;

ALTER FUNCTION lifecycle.project_status_transitions() OWNER TO tenantbase_owner;

-- Name: FUNCTION project_status_transitions(); Type: COMMENT; Schema: lifecycle; Owner: tenantbase_owner
--
COMMENT ON FUNCTION lifecycle.project_status_transitions() IS 'The transition table of project_status (generated by tenancy.define_lifecycle).';

-- Name: requirement_status(text, text); Type: FUNCTION; Schema: lifecycle; Owner: tenantbase_owner
--
CREATE FUNCTION lifecycle.requirement_status(from_state text, to_state text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN COALESCE((((((((((((((((((from_state = 'draft'::text) AND (to_state = 'review'::text)) OR ((from_state = 'draft'::text) AND (to_state = 'rejected'::text))) OR ((from_state = 'draft'::text) AND (to_state = 'deprecated'::text))) OR ((from_state = 'review'::text) AND (to_state = 'draft'::text))) OR ((from_state = 'review'::text) AND (to_state = 'approved'::text))) OR ((from_state = 'review'::text) AND (to_state = 'rejected'::text))) OR ((from_state = 'approved'::text) AND (to_state = 'review'::text))) OR ((from_state = 'approved'::text) AND (to_state = 'implemented'::text))) OR ((from_state = 'approved'::text) AND (to_state = 'deprecated'::text))) OR ((from_state = 'implemented'::text) AND (to_state = 'tested'::text))) OR ((from_state = 'implemented'::text) AND (to_state = 'deprecated'::text))) OR ((from_state = 'tested'::text) AND (to_state = 'implemented'::text))) OR ((from_state = 'tested'::text) AND (to_state = 'accepted'::text))) OR ((from_state = 'tested'::text) AND (to_state = 'deprecated'::text))) OR ((from_state = 'accepted'::text) AND (to_state = 'deprecated'::text))) OR ((from_state = 'rejected'::text) AND (to_state = 'draft'::text))), false);

ALTER FUNCTION lifecycle.requirement_status(from_state text, to_state text) OWNER TO tenantbase_owner;

-- Name: FUNCTION requirement_status(from_state text, to_state text); Type: COMMENT; Schema: lifecycle; Owner: tenantbase_owner
--
COMMENT ON FUNCTION lifecycle.requirement_status(from_state text, to_state text) IS 'Whether requirement_status may go from from_state to to_state (generated by tenancy.define_lifecycle).';

-- Name: requirement_status_transitions(); Type: FUNCTION; Schema: lifecycle; Owner: tenantbase_owner
--
CREATE FUNCTION lifecycle.requirement_status_transitions() RETURNS TABLE(from_state text, to_state text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ VALUES ('draft', 'review'), ('draft', 'rejected'), ('draft', 'deprecated'), ('review', 'draft'), ('review', 'approved'), ('review', 'rejected'), ('approved', 'review'), ('approved', 'implemented'), ('approved', 'deprecated'), ('implemented', 'tested'), ('implemented', 'deprecated'), ('tested', 'implemented'), ('tested', 'accepted'), ('tested', 'deprecated'), ('accepted', 'deprecated'), ('rejected', 'draft') $$;

ALTER FUNCTION lifecycle.requirement_status_transitions() OWNER TO tenantbase_owner;

-- Name: FUNCTION requirement_status_transitions(); Type: COMMENT; Schema: lifecycle; Owner: tenantbase_owner
--
COMMENT ON FUNCTION lifecycle.requirement_status_transitions() IS 'The transition table of requirement_status (generated by tenancy.define_lifecycle).';

-- Name: work_task_status(text, text); Type: FUNCTION; Schema: lifecycle; Owner: tenantbase_owner
--
CREATE FUNCTION lifecycle.work_task_status(from_state text, to_state text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN COALESCE((((((((((((((((((((((from_state = 'pending'::text) AND (to_state = 'in_progress'::text)) OR ((from_state = 'pending'::text) AND (to_state = 'blocked'::text))) OR ((from_state = 'pending'::text) AND (to_state = 'cancelled'::text))) OR ((from_state = 'in_progress'::text) AND (to_state = 'pending'::text))) OR ((from_state = 'in_progress'::text) AND (to_state = 'blocked'::text))) OR ((from_state = 'in_progress'::text) AND (to_state = 'needs_review'::text))) OR ((from_state = 'in_progress'::text) AND (to_state = 'completed'::text))) OR ((from_state = 'in_progress'::text) AND (to_state = 'cancelled'::text))) OR ((from_state = 'blocked'::text) AND (to_state = 'pending'::text))) OR ((from_state = 'blocked'::text) AND (to_state = 'in_progress'::text))) OR ((from_state = 'blocked'::text) AND (to_state = 'cancelled'::text))) OR ((from_state = 'needs_review'::text) AND (to_state = 'in_progress'::text))) OR ((from_state = 'needs_review'::text) AND (to_state = 'approved'::text))) OR ((from_state = 'needs_review'::text) AND (to_state = 'rejected'::text))) OR ((from_state = 'approved'::text) AND (to_state = 'completed'::text))) OR ((from_state = 'approved'::text) AND (to_state = 'in_progress'::text))) OR ((from_state = 'rejected'::text) AND (to_state = 'in_progress'::text))) OR ((from_state = 'rejected'::text) AND (to_state = 'cancelled'::text))) OR ((from_state = 'completed'::text) AND (to_state = 'in_progress'::text))) OR ((from_state = 'cancelled'::text) AND (to_state = 'pending'::text))), false);

ALTER FUNCTION lifecycle.work_task_status(from_state text, to_state text) OWNER TO tenantbase_owner;

-- Name: FUNCTION work_task_status(from_state text, to_state text); Type: COMMENT; Schema: lifecycle; Owner: tenantbase_owner
--
COMMENT ON FUNCTION lifecycle.work_task_status(from_state text, to_state text) IS 'Whether work_task_status may go from from_state to to_state (generated by tenancy.define_lifecycle).';

-- Name: work_task_status_transitions(); Type: FUNCTION; Schema: lifecycle; Owner: tenantbase_owner
--
CREATE FUNCTION lifecycle.work_task_status_transitions() RETURNS TABLE(from_state text, to_state text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ VALUES ('pending', 'in_progress'), ('pending', 'blocked'), ('pending', 'cancelled'), ('in_progress', 'pending'), ('in_progress', 'blocked'), ('in_progress', 'needs_review'), ('in_progress', 'completed'), ('in_progress', 'cancelled'), ('blocked', 'pending'), ('blocked', 'in_progress'), ('blocked', 'cancelled'), ('needs_review', 'in_progress'), ('needs_review', 'approved'), ('needs_review', 'rejected'), ('approved', 'completed'), ('approved', 'in_progress'), ('rejected', 'in_progress'), ('rejected', 'cancelled'), ('completed', 'in_progress'), ('cancelled', 'pending') $$;

ALTER FUNCTION lifecycle.work_task_status_transitions() OWNER TO tenantbase_owner;

-- Name: FUNCTION work_task_status_transitions(); Type: COMMENT; Schema: lifecycle; Owner: tenantbase_owner
--
COMMENT ON FUNCTION lifecycle.work_task_status_transitions() IS 'The transition table of work_task_status (generated by tenancy.define_lifecycle).';

-- Name: accept_invitation(bytea, uuid, timestamp with time zone); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.accept_invitation(p_token_hash bytea, p_user uuid, p_now timestamp with time zone) RETURNS TABLE(tenant_id uuid, name text, slug public.citext, role tenancy.member_role)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_column
DECLARE
    invitation tenancy.invitations;
BEGIN
    -- Locked: of two acceptances of one token, the second finds it accepted.
    SELECT i.* INTO invitation
    FROM tenancy.invitations i JOIN tenancy.tenants t ON t.id = i.tenant_id
    WHERE i.token_hash = p_token_hash AND t.deleted_at IS NULL
    FOR UPDATE OF i;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no invitation has this token'
            USING ERRCODE = 'no_data_found', CONSTRAINT = 'invitations_token_known';
    END IF;
    IF invitation.accepted_at IS NOT NULL THEN
        RAISE EXCEPTION 'this invitation was already accepted'
            USING ERRCODE = 'object_not_in_prerequisite_state', CONSTRAINT = 'invitations_accepted_once';
    END IF;
    IF invitation.revoked_at IS NOT NULL THEN
        RAISE EXCEPTION 'this invitation was revoked'
            USING ERRCODE = 'object_not_in_prerequisite_state', CONSTRAINT = 'invitations_not_revoked';
    END IF;
    IF p_now >= invitation.expires_at THEN
        RAISE EXCEPTION 'this invitation has expired'
            USING ERRCODE = 'object_not_in_prerequisite_state', CONSTRAINT = 'invitations_not_expired';
    END IF;

    -- A former member (status 'left') comes back on the same membership row, and so
    -- does one invited the old way ('invited', which nothing activates any more).
    INSERT INTO tenancy.memberships AS m (tenant_id, user_id, role, status, invited_by, invited_at, joined_at)
    VALUES (invitation.tenant_id, p_user, invitation.role, 'active', invitation.invited_by, invitation.created_at, p_now)
    ON CONFLICT ON CONSTRAINT memberships_one_per_user DO UPDATE
        SET role = EXCLUDED.role, status = 'active', invited_by = EXCLUDED.invited_by,
            invited_at = EXCLUDED.invited_at, joined_at = EXCLUDED.joined_at, left_at = NULL
        WHERE m.status IN ('left', 'invited');
    IF NOT FOUND THEN
        RAISE EXCEPTION 'already a member of this tenant'
            USING ERRCODE = 'unique_violation', CONSTRAINT = 'memberships_one_per_user';
    END IF;
    UPDATE tenancy.invitations i SET accepted_at = p_now, accepted_by = p_user
    WHERE i.tenant_id = invitation.tenant_id AND i.id = invitation.id;

    RETURN QUERY SELECT t.id, t.name, t.slug, invitation.role FROM tenancy.tenants t WHERE t.id = invitation.tenant_id;
END
$$;

ALTER FUNCTION platform.accept_invitation(p_token_hash bytea, p_user uuid, p_now timestamp with time zone) OWNER TO tenantbase_platform;

-- Name: FUNCTION accept_invitation(p_token_hash bytea, p_user uuid, p_now timestamp with time zone); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.accept_invitation(p_token_hash bytea, p_user uuid, p_now timestamp with time zone) IS 'tenantbase:platform Invitations (account role): the holder of an open invitation''s token joins its tenant with the invited role; the token, not the caller''s tenant, is the authority.';

-- Name: add_credits(uuid, integer); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.add_credits(p_tenant uuid, p_amount integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    account record;
BEGIN
    IF p_amount IS NULL OR p_amount <= 0 THEN
        RAISE EXCEPTION 'credits are added in positive amounts'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_ledger_amount_sign';
    END IF;
    UPDATE tenancy.tenants SET credits_balance = credits_balance + p_amount
    WHERE id = p_tenant
    RETURNING credits_balance, credits_used_this_month INTO account;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such tenant' USING ERRCODE = 'no_data_found';
    END IF;
    INSERT INTO agents.credit_ledger (tenant_id, kind, amount, balance_after, used_this_month_after)
    VALUES (p_tenant, 'top_up', p_amount, account.credits_balance, account.credits_used_this_month);
    RETURN platform.release_parked_tasks(p_tenant);
END
$$;

ALTER FUNCTION platform.add_credits(p_tenant uuid, p_amount integer) OWNER TO tenantbase_platform;

-- Name: FUNCTION add_credits(p_tenant uuid, p_amount integer); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.add_credits(p_tenant uuid, p_amount integer) IS 'Platform operators: adds credits to a tenant, then completes its parked tasks; returns how many were released.';

-- Name: authenticate_api_key(uuid, text, timestamp with time zone); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.authenticate_api_key(p_tenant uuid, p_prefix text, p_now timestamp with time zone) RETURNS TABLE(key_id uuid, key_hash bytea, scopes text[], acting_user uuid)
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    UPDATE tenancy.api_keys k SET last_used_at = p_now
    FROM tenancy.memberships m
    WHERE k.tenant_id = p_tenant AND k.prefix = p_prefix
      AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > p_now)
      AND m.tenant_id = k.tenant_id AND m.user_id = k.created_by AND m.status = 'active'
    RETURNING k.id, k.key_hash, k.scopes, k.created_by
$$;

ALTER FUNCTION platform.authenticate_api_key(p_tenant uuid, p_prefix text, p_now timestamp with time zone) OWNER TO tenantbase_platform;

-- Name: FUNCTION authenticate_api_key(p_tenant uuid, p_prefix text, p_now timestamp with time zone); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.authenticate_api_key(p_tenant uuid, p_prefix text, p_now timestamp with time zone) IS 'tenantbase:platform Request path (account role): a live API key of a tenant by its public prefix; it acts as its creator, who must still be a member.';

-- Name: authenticate_session(bytea, timestamp with time zone); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.authenticate_session(p_token_hash bytea, p_now timestamp with time zone) RETURNS TABLE(session_id uuid, user_id uuid, expires_at timestamp with time zone)
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    UPDATE tenancy.sessions s SET last_seen_at = p_now
    FROM tenancy.users u
    WHERE s.token_hash = p_token_hash AND s.ended_at IS NULL AND s.expires_at > p_now
      AND u.id = s.user_id AND u.status = 'active' AND u.deleted_at IS NULL
    RETURNING s.id, s.user_id, s.expires_at
$$;

ALTER FUNCTION platform.authenticate_session(p_token_hash bytea, p_now timestamp with time zone) OWNER TO tenantbase_platform;

-- Name: FUNCTION authenticate_session(p_token_hash bytea, p_now timestamp with time zone); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.authenticate_session(p_token_hash bytea, p_now timestamp with time zone) IS 'tenantbase:platform Request path (account role): the live session a token hash names, if any; records when it was last seen.';

-- Name: begin_erasure(uuid, timestamp with time zone); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.begin_erasure(p_tenant uuid, p_now timestamp with time zone) RETURNS uuid[]
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    t record;
    alone uuid[];
BEGIN
    SELECT id, slug, deleted_at INTO t FROM tenancy.tenants WHERE id = p_tenant FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such tenant' USING ERRCODE = 'no_data_found';
    END IF;
    IF t.deleted_at IS NULL THEN
        PERFORM platform.delete_tenant(p_tenant, t.slug, p_now, interval '0');
        t.deleted_at := p_now;
    END IF;
    SELECT coalesce(array_agg(m.user_id ORDER BY m.user_id), '{}') INTO alone
    FROM tenancy.memberships m
    WHERE m.tenant_id = p_tenant
      AND NOT EXISTS (SELECT 1 FROM tenancy.memberships o WHERE o.user_id = m.user_id AND o.tenant_id <> p_tenant);
    INSERT INTO platform.erasures (erased_tenant, deleted_at, audit_kept_until, users)
    VALUES (p_tenant, t.deleted_at, t.deleted_at + interval '90 days', alone)
    ON CONFLICT (erased_tenant) DO UPDATE SET users = EXCLUDED.users;
    RETURN alone;
END
$$;

ALTER FUNCTION platform.begin_erasure(p_tenant uuid, p_now timestamp with time zone) OWNER TO tenantbase_platform;

-- Name: FUNCTION begin_erasure(p_tenant uuid, p_now timestamp with time zone); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.begin_erasure(p_tenant uuid, p_now timestamp with time zone) IS 'tenantbase:platform Platform operators only: a tenant''s erasure begins (deleted, in the ledger); returns the users of no other tenant.';

-- Name: begin_tenant_move(uuid, text, timestamp with time zone); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.begin_tenant_move(p_tenant uuid, p_to text, p_now timestamp with time zone) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    t record;
    m platform.tenant_moves;
BEGIN
    SELECT id, slug, deleted_at INTO t FROM tenancy.tenants WHERE id = p_tenant FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such tenant' USING ERRCODE = 'no_data_found';
    END IF;
    IF t.deleted_at IS NOT NULL THEN
        RAISE EXCEPTION 'a deleted tenant does not move' USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    SELECT * INTO m FROM platform.tenant_moves WHERE moved_tenant = p_tenant;
    IF FOUND AND (m.moved_at IS NOT NULL OR m.moved_to <> p_to) THEN
        RAISE EXCEPTION 'the tenant is already moving or moved to %', m.moved_to
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF NOT FOUND THEN
        INSERT INTO platform.tenant_moves (moved_tenant, moved_to, began_at) VALUES (p_tenant, p_to, p_now);
        PERFORM audit.record_platform_event('system_event', 'tenant.moving', format('tenant %s moving', t.slug),
                                            p_tenant, 'tenants', p_tenant, jsonb_build_object('to', p_to));
    END IF;
END
$$;

ALTER FUNCTION platform.begin_tenant_move(p_tenant uuid, p_to text, p_now timestamp with time zone) OWNER TO tenantbase_platform;

-- Name: FUNCTION begin_tenant_move(p_tenant uuid, p_to text, p_now timestamp with time zone); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.begin_tenant_move(p_tenant uuid, p_to text, p_now timestamp with time zone) IS 'tenantbase:platform Platform operators only: a tenant starts moving to another database; its context matches no row from now on.';

-- Name: context_field(integer); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.context_field(p_field integer) RETURNS text
    LANGUAGE c STABLE STRICT PARALLEL SAFE
    AS '<data-dir>/lib/tenantbase_context.so', 'tenantbase_context_field';

ALTER FUNCTION platform.context_field(p_field integer) OWNER TO tenantbase_platform;

-- Name: FUNCTION context_field(p_field integer); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.context_field(p_field integer) IS 'tenantbase:platform verifies the caller''s own context (native: pgext/tenantbase_context.c) with a key the caller cannot read and answers one of its fields (1 tenant, 2 user, 3 expires, 4 API key, 5 impersonator, 6 request id, 7 client address, 8 user agent); NULL unless authentic and unexpired.';

-- Name: context_is_signed(); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.context_is_signed() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ SELECT platform.context_field(3) IS NOT NULL $$;

ALTER FUNCTION platform.context_is_signed() OWNER TO tenantbase_platform;

-- Name: FUNCTION context_is_signed(); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.context_is_signed() IS 'tenantbase:platform Whether this transaction carries an authentic, unexpired context (platform.context_field).';

-- Name: context_key_pad(bytea, integer); Type: FUNCTION; Schema: platform; Owner: tenantbase_owner
--
CREATE FUNCTION platform.context_key_pad(p_key bytea, p_xor integer) RETURNS bytea
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT decode(string_agg(lpad(to_hex(get_byte(padded, i) # p_xor), 2, '0'), '' ORDER BY i), 'hex')
    FROM (SELECT p_key || decode(repeat('00', 64 - length(p_key)), 'hex') AS padded) AS key_block,
         generate_series(0, 63) AS i
$$;

ALTER FUNCTION platform.context_key_pad(p_key bytea, p_xor integer) OWNER TO tenantbase_owner;

-- Name: context_tenant_in_use(); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.context_tenant_in_use() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT t.id FROM tenancy.tenants t
    WHERE t.id = nullif(platform.context_field(1), '')::uuid AND t.deleted_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM platform.tenant_moves m WHERE m.moved_tenant = t.id)
$$;

ALTER FUNCTION platform.context_tenant_in_use() OWNER TO tenantbase_platform;

-- Name: FUNCTION context_tenant_in_use(); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.context_tenant_in_use() IS 'tenantbase:platform The caller''s own verified tenant unless it is deleted, moving or moved; answers about no other tenant.';

-- Name: create_my_tenant(text, public.citext); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.create_my_tenant(p_name text, p_slug public.citext) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    acting uuid := tenancy.current_user_id();
BEGIN
    IF acting IS NULL OR NOT EXISTS (SELECT 1 FROM tenancy.users WHERE id = acting AND status = 'active') THEN
        RAISE EXCEPTION 'creating a tenant needs an active acting user' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN platform.create_tenant(p_name, p_slug, NULL, acting);
END
$$;

ALTER FUNCTION platform.create_my_tenant(p_name text, p_slug public.citext) OWNER TO tenantbase_platform;

-- Name: FUNCTION create_my_tenant(p_name text, p_slug public.citext); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.create_my_tenant(p_name text, p_slug public.citext) IS 'tenantbase:platform The verified acting user creates a tenant and becomes its owner.';

-- Name: create_tenant(text, public.citext, tenancy.plan, uuid); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.create_tenant(p_name text, p_slug public.citext, p_plan tenancy.plan, p_owner uuid) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    new_id uuid;
BEGIN
    IF p_owner IS NULL THEN
        RAISE EXCEPTION 'a tenant needs an owner' USING ERRCODE = 'not_null_violation';
    END IF;
    IF p_plan IS NULL THEN
        INSERT INTO tenancy.tenants (name, slug, created_by) VALUES (p_name, p_slug, p_owner)
        RETURNING id INTO new_id;
    ELSE
        INSERT INTO tenancy.tenants (name, slug, plan, created_by) VALUES (p_name, p_slug, p_plan, p_owner)
        RETURNING id INTO new_id;
    END IF;
    INSERT INTO tenancy.memberships (tenant_id, user_id, role, status, joined_at)
    VALUES (new_id, p_owner, 'owner', 'active', now());
    RETURN new_id;
END
$$;

ALTER FUNCTION platform.create_tenant(p_name text, p_slug public.citext, p_plan tenancy.plan, p_owner uuid) OWNER TO tenantbase_platform;

-- Name: FUNCTION create_tenant(p_name text, p_slug public.citext, p_plan tenancy.plan, p_owner uuid); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.create_tenant(p_name text, p_slug public.citext, p_plan tenancy.plan, p_owner uuid) IS 'Platform operators only: a tenant and its first owner, in one transaction; a NULL plan is the default plan.';

-- Name: create_user(public.citext, text, text); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.create_user(p_email public.citext, p_full_name text, p_password_hash text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    new_id uuid;
BEGIN
    INSERT INTO tenancy.users AS u (email, full_name, password_hash, status)
    VALUES (p_email, p_full_name, p_password_hash,
            CASE WHEN p_password_hash IS NULL THEN 'pending' ELSE 'active' END::tenancy.user_status)
    ON CONFLICT (email) DO UPDATE
        SET full_name = coalesce(EXCLUDED.full_name, u.full_name), password_hash = EXCLUDED.password_hash,
            status = EXCLUDED.status, password_changed_at = now()
        WHERE u.status = 'pending' AND EXCLUDED.password_hash IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM tenancy.memberships m
                          WHERE m.user_id = u.id AND m.status NOT IN ('left', 'invited'))
    RETURNING id INTO new_id;
    IF new_id IS NULL THEN
        RAISE EXCEPTION 'a user with this email exists' USING ERRCODE = 'unique_violation', CONSTRAINT = 'users_email_key';
    END IF;
    RETURN new_id;
END
$$;

ALTER FUNCTION platform.create_user(p_email public.citext, p_full_name text, p_password_hash text) OWNER TO tenantbase_platform;

-- Name: FUNCTION create_user(p_email public.citext, p_full_name text, p_password_hash text); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.create_user(p_email public.citext, p_full_name text, p_password_hash text) IS 'tenantbase:platform Sign-up (account role): a new global identity (pending until it has a password); it grants no membership and reads no tenant data.';

-- Name: delete_my_tenant(public.citext, timestamp with time zone, interval); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.delete_my_tenant(p_confirm public.citext, p_now timestamp with time zone, p_window interval) RETURNS timestamp with time zone
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    acting uuid := tenancy.current_tenant_id();
BEGIN
    IF acting IS NULL OR tenancy.current_member_role() IS DISTINCT FROM 'owner' THEN
        RAISE EXCEPTION 'only an owner deletes a tenant' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN platform.delete_tenant(acting, p_confirm, p_now, greatest(p_window, interval '1 day'));
END
$$;

ALTER FUNCTION platform.delete_my_tenant(p_confirm public.citext, p_now timestamp with time zone, p_window interval) OWNER TO tenantbase_platform;

-- Name: FUNCTION delete_my_tenant(p_confirm public.citext, p_now timestamp with time zone, p_window interval); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.delete_my_tenant(p_confirm public.citext, p_now timestamp with time zone, p_window interval) IS 'The verified tenant''s owner soft-deletes it (p_confirm repeats its slug); restorable for at least a day.';

-- Name: delete_tenant(uuid, public.citext, timestamp with time zone, interval); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.delete_tenant(p_tenant uuid, p_confirm public.citext, p_now timestamp with time zone, p_window interval) RETURNS timestamp with time zone
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    t record;
BEGIN
    SELECT id, slug, deleted_at INTO t FROM tenancy.tenants WHERE id = p_tenant FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such tenant' USING ERRCODE = 'no_data_found';
    END IF;
    IF p_confirm IS DISTINCT FROM t.slug THEN
        RAISE EXCEPTION 'the confirmation must repeat the tenant''s slug' USING ERRCODE = 'check_violation';
    END IF;
    IF t.deleted_at IS NOT NULL THEN
        RAISE EXCEPTION 'the tenant is already deleted' USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF p_now IS NULL OR p_window IS NULL OR p_window < interval '0' THEN
        RAISE EXCEPTION 'a deletion needs a time and a window of zero or more' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    UPDATE tenancy.tenants SET deleted_at = p_now, erase_after = p_now + p_window WHERE id = p_tenant;
    PERFORM audit.record_platform_event('system_event', 'tenant.soft_deleted', format('tenant %s deleted', t.slug),
                                        p_tenant, 'tenants', p_tenant,
                                        jsonb_build_object('deleted_at', p_now, 'erase_after', p_now + p_window));
    RETURN p_now + p_window;
END
$$;

ALTER FUNCTION platform.delete_tenant(p_tenant uuid, p_confirm public.citext, p_now timestamp with time zone, p_window interval) OWNER TO tenantbase_platform;

-- Name: FUNCTION delete_tenant(p_tenant uuid, p_confirm public.citext, p_now timestamp with time zone, p_window interval); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.delete_tenant(p_tenant uuid, p_confirm public.citext, p_now timestamp with time zone, p_window interval) IS 'tenantbase:platform Platform operators only: soft-deletes a tenant (p_confirm repeats its slug), restorable for p_window.';

-- Name: end_session(bytea, timestamp with time zone); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.end_session(p_token_hash bytea, p_now timestamp with time zone) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    WITH ended AS (
        UPDATE tenancy.sessions SET ended_at = p_now
        WHERE token_hash = p_token_hash AND ended_at IS NULL
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM ended)
$$;

ALTER FUNCTION platform.end_session(p_token_hash bytea, p_now timestamp with time zone) OWNER TO tenantbase_platform;

-- Name: FUNCTION end_session(p_token_hash bytea, p_now timestamp with time zone); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.end_session(p_token_hash bytea, p_now timestamp with time zone) IS 'tenantbase:platform Logout (account role).';

-- Name: erase_tenant_audit(uuid, timestamp with time zone); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.erase_tenant_audit(p_tenant uuid, p_now timestamp with time zone) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    e platform.erasures;
    head record;
    removed bigint;
BEGIN
    SELECT * INTO e FROM platform.erasures WHERE erased_tenant = p_tenant FOR UPDATE;
    IF NOT FOUND OR e.erased_at IS NULL THEN
        RAISE EXCEPTION 'the tenant is not erased' USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF e.audit_erased_at IS NOT NULL THEN
        RETURN 0;
    END IF;
    IF p_now < e.audit_kept_until THEN
        RAISE EXCEPTION 'the trail is kept until %', e.audit_kept_until USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    UPDATE platform.erasures SET audit_erased_at = p_now WHERE erased_tenant = p_tenant;
    SELECT c.head_id, c.head_hash INTO head FROM audit.chains c WHERE c.chain_id = p_tenant;
    DELETE FROM audit.log WHERE tenant_id = p_tenant;
    GET DIAGNOSTICS removed = ROW_COUNT;
    DELETE FROM audit.log_pending WHERE chain_id = p_tenant;
    DELETE FROM audit.chains WHERE chain_id = p_tenant;
    DELETE FROM audit.chain_bases WHERE chain_id = p_tenant;
    PERFORM audit.record_platform_event('system_event', 'tenant.audit_erased',
                                        format('the trail of an erased tenant: %s entries erased', removed),
                                        p_tenant, 'tenants', p_tenant,
                                        jsonb_build_object('entries', removed, 'deleted_at', e.deleted_at,
                                                           'final_entry', coalesce(head.head_id, 0),
                                                           'final_hash', encode(coalesce(head.head_hash, decode(repeat('00', 32), 'hex')), 'hex')));
    RETURN removed;
END
$$;

ALTER FUNCTION platform.erase_tenant_audit(p_tenant uuid, p_now timestamp with time zone) OWNER TO tenantbase_platform;

-- Name: FUNCTION erase_tenant_audit(p_tenant uuid, p_now timestamp with time zone); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.erase_tenant_audit(p_tenant uuid, p_now timestamp with time zone) IS 'tenantbase:platform Platform operators only: removes an erased tenant''s trail once kept 90 days past its deletion; receipt on the platform chain.';

-- Name: finish_erasure(uuid, timestamp with time zone); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.finish_erasure(p_tenant uuid, p_now timestamp with time zone) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    e platform.erasures;
BEGIN
    SELECT * INTO e FROM platform.erasures WHERE erased_tenant = p_tenant FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the tenant''s erasure has not begun' USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    UPDATE platform.erasures SET erased_at = greatest(p_now, e.deleted_at) WHERE erased_tenant = p_tenant;
    DELETE FROM tenancy.tenants WHERE id = p_tenant;
    DELETE FROM tenancy.users u WHERE u.id = ANY (e.users)
       AND NOT EXISTS (SELECT 1 FROM tenancy.memberships o WHERE o.user_id = u.id);
END
$$;

ALTER FUNCTION platform.finish_erasure(p_tenant uuid, p_now timestamp with time zone) OWNER TO tenantbase_platform;

-- Name: FUNCTION finish_erasure(p_tenant uuid, p_now timestamp with time zone); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.finish_erasure(p_tenant uuid, p_now timestamp with time zone) IS 'tenantbase:platform Platform operators only: removes an erased tenant''s rows and its lone users; the receipt goes on the platform chain.';

-- Name: finish_tenant_move(uuid, timestamp with time zone); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.finish_tenant_move(p_tenant uuid, p_now timestamp with time zone) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    m platform.tenant_moves;
BEGIN
    UPDATE platform.tenant_moves SET moved_at = p_now WHERE moved_tenant = p_tenant AND moved_at IS NULL
    RETURNING * INTO m;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the tenant is not moving' USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    PERFORM audit.record_platform_event('system_event', 'tenant.moved', 'tenant moved to another database',
                                        p_tenant, 'tenants', p_tenant, jsonb_build_object('to', m.moved_to));
END
$$;

ALTER FUNCTION platform.finish_tenant_move(p_tenant uuid, p_now timestamp with time zone) OWNER TO tenantbase_platform;

-- Name: FUNCTION finish_tenant_move(p_tenant uuid, p_now timestamp with time zone); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.finish_tenant_move(p_tenant uuid, p_now timestamp with time zone) IS 'tenantbase:platform Platform operators only: a moving tenant is moved; its location is answered from now on.';

-- Name: install_context_key(bytea, boolean); Type: FUNCTION; Schema: platform; Owner: tenantbase_owner
--
CREATE FUNCTION platform.install_context_key(p_key bytea, p_replace boolean) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    LOCK TABLE platform.context_keys IN EXCLUSIVE MODE;
    IF EXISTS (SELECT 1 FROM platform.context_keys WHERE retires_at IS NULL AND (key = p_key OR NOT p_replace)) THEN
        RETURN false;
    END IF;
    DELETE FROM platform.context_keys;
    INSERT INTO platform.context_keys (key, inner_pad, outer_pad)
    VALUES (p_key, platform.context_key_pad(p_key, 54), platform.context_key_pad(p_key, 92));
    RETURN true;
END
$$;

ALTER FUNCTION platform.install_context_key(p_key bytea, p_replace boolean) OWNER TO tenantbase_owner;

-- Name: login_lookup(public.citext); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.login_lookup(p_email public.citext) RETURNS TABLE(user_id uuid, password_hash text, status tenancy.user_status, locked_until timestamp with time zone)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT u.id, u.password_hash, u.status, u.locked_until
    FROM tenancy.users u
    WHERE u.email OPERATOR(public.=) p_email AND u.deleted_at IS NULL
$$;

ALTER FUNCTION platform.login_lookup(p_email public.citext) OWNER TO tenantbase_platform;

-- Name: FUNCTION login_lookup(p_email public.citext); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.login_lookup(p_email public.citext) IS 'tenantbase:platform Login (account role): the credentials of one email, for the server to verify.';

-- Name: membership_role(uuid, uuid); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.membership_role(p_tenant uuid, p_user uuid) RETURNS tenancy.member_role
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT m.role FROM tenancy.memberships m JOIN tenancy.tenants t ON t.id = m.tenant_id
    WHERE m.tenant_id = p_tenant AND m.user_id = p_user AND m.status = 'active' AND t.deleted_at IS NULL
$$;

ALTER FUNCTION platform.membership_role(p_tenant uuid, p_user uuid) OWNER TO tenantbase_platform;

-- Name: FUNCTION membership_role(p_tenant uuid, p_user uuid); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.membership_role(p_tenant uuid, p_user uuid) IS 'tenantbase:platform Request path (account role): may this user act in this tenant, and as what.';

-- Name: my_tenants(); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.my_tenants() RETURNS TABLE(tenant_id uuid, name text, slug public.citext, role tenancy.member_role)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT t.id, t.name, t.slug, m.role
    FROM tenancy.memberships m
    JOIN tenancy.tenants t ON t.id = m.tenant_id
    WHERE m.user_id = tenancy.current_user_id()
      AND m.status = 'active'
      AND t.deleted_at IS NULL
    ORDER BY t.name
$$;

ALTER FUNCTION platform.my_tenants() OWNER TO tenantbase_platform;

-- Name: FUNCTION my_tenants(); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.my_tenants() IS 'tenantbase:platform The tenants the verified acting user is an active member of: the one cross-tenant read a user may make, of its own memberships.';

-- Name: release_parked_tasks(uuid); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.release_parked_tasks(p_tenant uuid) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    parked record;
    now_status text;
    released integer := 0;
BEGIN
    FOR parked IN
        SELECT id FROM agents.tasks
        WHERE tenant_id = p_tenant AND status = 'awaiting_credits'
        ORDER BY updated_at, id
    LOOP
        UPDATE agents.tasks SET status = 'completed'
        WHERE tenant_id = p_tenant AND id = parked.id AND status = 'awaiting_credits'
        RETURNING status INTO now_status;
        EXIT WHEN now_status IS DISTINCT FROM 'completed';
        released := released + 1;
    END LOOP;
    RETURN released;
END
$$;

ALTER FUNCTION platform.release_parked_tasks(p_tenant uuid) OWNER TO tenantbase_platform;

-- Name: FUNCTION release_parked_tasks(p_tenant uuid); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.release_parked_tasks(p_tenant uuid) IS 'Completes and charges a tenant''s tasks awaiting credits, oldest first, until its credits run out.';

-- Name: reset_monthly_credits(date); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.reset_monthly_credits(p_period date DEFAULT (date_trunc('month'::text, now()))::date) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    account record;
    reset integer := 0;
BEGIN
    IF p_period IS DISTINCT FROM date_trunc('month', p_period)::date THEN
        RAISE EXCEPTION 'a period is the first day of a month'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_ledger_period_is_month';
    END IF;
    -- One reset at a time; the next one sees what this one committed.
    PERFORM pg_advisory_xact_lock(hashtextextended('platform.reset_monthly_credits', 0));
    FOR account IN
        SELECT t.id FROM tenancy.tenants t
        WHERE NOT EXISTS (SELECT 1 FROM agents.credit_ledger l
                          WHERE l.tenant_id = t.id AND l.kind = 'monthly_reset' AND l.period = p_period)
        ORDER BY t.id
    LOOP
        WITH reset_tenant AS (
            UPDATE tenancy.tenants SET credits_used_this_month = 0 WHERE id = account.id
            RETURNING id, credits_balance)
        INSERT INTO agents.credit_ledger (tenant_id, kind, amount, balance_after, used_this_month_after, period)
        SELECT id, 'monthly_reset', 0, credits_balance, 0, p_period FROM reset_tenant;
        PERFORM platform.release_parked_tasks(account.id);
        reset := reset + 1;
    END LOOP;
    RETURN reset;
END
$$;

ALTER FUNCTION platform.reset_monthly_credits(p_period date) OWNER TO tenantbase_platform;

-- Name: FUNCTION reset_monthly_credits(p_period date); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.reset_monthly_credits(p_period date) IS 'Platform operators: resets each tenant''s monthly credit usage once for the period, then releases parked tasks.';

-- Name: restore_my_tenant(uuid, uuid); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.restore_my_tenant(p_tenant uuid, p_user uuid) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM tenancy.memberships m JOIN tenancy.tenants t ON t.id = m.tenant_id
                   WHERE m.tenant_id = p_tenant AND m.user_id = p_user AND m.role = 'owner' AND m.status = 'active'
                     AND t.deleted_at IS NOT NULL) THEN
        RETURN false;
    END IF;
    PERFORM platform.restore_tenant(p_tenant);
    RETURN true;
END
$$;

ALTER FUNCTION platform.restore_my_tenant(p_tenant uuid, p_user uuid) OWNER TO tenantbase_platform;

-- Name: FUNCTION restore_my_tenant(p_tenant uuid, p_user uuid); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.restore_my_tenant(p_tenant uuid, p_user uuid) IS 'tenantbase:platform Request path (account role): an active owner of a deleted tenant restores it; false for anyone else.';

-- Name: restore_tenant(uuid); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.restore_tenant(p_tenant uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    t record;
BEGIN
    SELECT id, slug, deleted_at INTO t FROM tenancy.tenants WHERE id = p_tenant FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such tenant (an erased tenant does not come back)' USING ERRCODE = 'no_data_found';
    END IF;
    IF t.deleted_at IS NULL THEN
        RAISE EXCEPTION 'the tenant is not deleted' USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF EXISTS (SELECT 1 FROM platform.erasures WHERE erased_tenant = p_tenant) THEN
        RAISE EXCEPTION 'the tenant''s erasure has begun' USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    UPDATE tenancy.tenants SET deleted_at = NULL, erase_after = NULL WHERE id = p_tenant;
    PERFORM audit.record_platform_event('system_event', 'tenant.restored', format('tenant %s restored', t.slug),
                                        p_tenant, 'tenants', p_tenant, jsonb_build_object('deleted_at', t.deleted_at));
END
$$;

ALTER FUNCTION platform.restore_tenant(p_tenant uuid) OWNER TO tenantbase_platform;

-- Name: FUNCTION restore_tenant(p_tenant uuid); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.restore_tenant(p_tenant uuid) IS 'tenantbase:platform Platform operators only: restores a deleted tenant whose erasure has not begun.';

-- Name: rotate_context_key(bytea, interval); Type: FUNCTION; Schema: platform; Owner: tenantbase_owner
--
CREATE FUNCTION platform.rotate_context_key(p_key bytea, p_overlap interval) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    LOCK TABLE platform.context_keys IN EXCLUSIVE MODE;
    IF EXISTS (SELECT 1 FROM platform.context_keys WHERE key = p_key) THEN
        RAISE EXCEPTION 'this context key is already installed';
    END IF;
    DELETE FROM platform.context_keys WHERE retires_at <= now();
    UPDATE platform.context_keys SET retires_at = now() + greatest(p_overlap, interval '0')
    WHERE retires_at IS NULL OR retires_at > now() + greatest(p_overlap, interval '0');
    INSERT INTO platform.context_keys (key, inner_pad, outer_pad)
    VALUES (p_key, platform.context_key_pad(p_key, 54), platform.context_key_pad(p_key, 92));
END
$$;

ALTER FUNCTION platform.rotate_context_key(p_key bytea, p_overlap interval) OWNER TO tenantbase_owner;

-- Name: start_session(uuid, bytea, interval, inet, text, timestamp with time zone); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.start_session(p_user uuid, p_token_hash bytea, p_ttl interval, p_ip inet, p_user_agent text, p_now timestamp with time zone) RETURNS TABLE(session_id uuid, expires_at timestamp with time zone)
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    UPDATE tenancy.users SET failed_login_attempts = 0, locked_until = NULL, last_login_at = p_now WHERE id = p_user;
    INSERT INTO tenancy.sessions (user_id, token_hash, expires_at, ip_address, user_agent, activity_data)
    VALUES (p_user, p_token_hash, p_now + p_ttl, p_ip, p_user_agent, jsonb_build_object('logins', 1))
    RETURNING id, expires_at
$$;

ALTER FUNCTION platform.start_session(p_user uuid, p_token_hash bytea, p_ttl interval, p_ip inet, p_user_agent text, p_now timestamp with time zone) OWNER TO tenantbase_platform;

-- Name: FUNCTION start_session(p_user uuid, p_token_hash bytea, p_ttl interval, p_ip inet, p_user_agent text, p_now timestamp with time zone); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.start_session(p_user uuid, p_token_hash bytea, p_ttl interval, p_ip inet, p_user_agent text, p_now timestamp with time zone) IS 'tenantbase:platform Login (account role): after the server verified the password, open a session.';

-- Name: tenant_move_of(uuid, uuid); Type: FUNCTION; Schema: platform; Owner: tenantbase_platform
--
CREATE FUNCTION platform.tenant_move_of(p_tenant uuid, p_user uuid, OUT moved_to text, OUT moved boolean) RETURNS record
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT m.moved_to, m.moved_at IS NOT NULL FROM platform.tenant_moves m
    WHERE m.moved_tenant = p_tenant
      AND EXISTS (SELECT 1 FROM tenancy.memberships s WHERE s.tenant_id = p_tenant AND s.user_id = p_user)
$$;

ALTER FUNCTION platform.tenant_move_of(p_tenant uuid, p_user uuid, OUT moved_to text, OUT moved boolean) OWNER TO tenantbase_platform;

-- Name: FUNCTION tenant_move_of(p_tenant uuid, p_user uuid, OUT moved_to text, OUT moved boolean); Type: COMMENT; Schema: platform; Owner: tenantbase_platform
--
COMMENT ON FUNCTION platform.tenant_move_of(p_tenant uuid, p_user uuid, OUT moved_to text, OUT moved boolean) IS 'tenantbase:platform Request path (account role): a member''s tenant that is moving (moved false) or moved, and where to.';

-- Name: agents_tasks_context_containing(jsonb, integer); Type: FUNCTION; Schema: search; Owner: tenantbase_platform
--
CREATE FUNCTION search.agents_tasks_context_containing(doc jsonb, max_rows integer DEFAULT 100) RETURNS TABLE(id uuid)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $_$
                 #variable_conflict use_column
                 DECLARE
                     acting_tenant uuid := tenancy.current_tenant_id();

                 BEGIN
                     RETURN QUERY
                     SELECT t.id
                     FROM agents.tasks t
                     WHERE t.tenant_id = acting_tenant AND t.context @> $1

                     LIMIT $2;
                 END
                 $_$;

ALTER FUNCTION search.agents_tasks_context_containing(doc jsonb, max_rows integer) OWNER TO tenantbase_platform;

-- Name: FUNCTION agents_tasks_context_containing(doc jsonb, max_rows integer); Type: COMMENT; Schema: search; Owner: tenantbase_platform
--
COMMENT ON FUNCTION search.agents_tasks_context_containing(doc jsonb, max_rows integer) IS 'The acting tenant''s agents.tasks rows where t.context @> $1, served by a tenant-leading GIN index (generated by search.expose).';

-- Name: agents_tasks_input_containing(jsonb, integer); Type: FUNCTION; Schema: search; Owner: tenantbase_platform
--
CREATE FUNCTION search.agents_tasks_input_containing(doc jsonb, max_rows integer DEFAULT 100) RETURNS TABLE(id uuid)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $_$
                 #variable_conflict use_column
                 DECLARE
                     acting_tenant uuid := tenancy.current_tenant_id();

                 BEGIN
                     RETURN QUERY
                     SELECT t.id
                     FROM agents.tasks t
                     WHERE t.tenant_id = acting_tenant AND t.input @> $1

                     LIMIT $2;
                 END
                 $_$;

ALTER FUNCTION search.agents_tasks_input_containing(doc jsonb, max_rows integer) OWNER TO tenantbase_platform;

-- Name: FUNCTION agents_tasks_input_containing(doc jsonb, max_rows integer); Type: COMMENT; Schema: search; Owner: tenantbase_platform
--
COMMENT ON FUNCTION search.agents_tasks_input_containing(doc jsonb, max_rows integer) IS 'The acting tenant''s agents.tasks rows where t.input @> $1, served by a tenant-leading GIN index (generated by search.expose).';

-- Name: agents_tasks_output_containing(jsonb, integer); Type: FUNCTION; Schema: search; Owner: tenantbase_platform
--
CREATE FUNCTION search.agents_tasks_output_containing(doc jsonb, max_rows integer DEFAULT 100) RETURNS TABLE(id uuid)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $_$
                 #variable_conflict use_column
                 DECLARE
                     acting_tenant uuid := tenancy.current_tenant_id();

                 BEGIN
                     RETURN QUERY
                     SELECT t.id
                     FROM agents.tasks t
                     WHERE t.tenant_id = acting_tenant AND t.output @> $1

                     LIMIT $2;
                 END
                 $_$;

ALTER FUNCTION search.agents_tasks_output_containing(doc jsonb, max_rows integer) OWNER TO tenantbase_platform;

-- Name: FUNCTION agents_tasks_output_containing(doc jsonb, max_rows integer); Type: COMMENT; Schema: search; Owner: tenantbase_platform
--
COMMENT ON FUNCTION search.agents_tasks_output_containing(doc jsonb, max_rows integer) IS 'The acting tenant''s agents.tasks rows where t.output @> $1, served by a tenant-leading GIN index (generated by search.expose).';

-- Name: agents_tasks_tags_overlapping(text[], integer); Type: FUNCTION; Schema: search; Owner: tenantbase_platform
--
CREATE FUNCTION search.agents_tasks_tags_overlapping(vals text[], max_rows integer DEFAULT 100) RETURNS TABLE(id uuid)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $_$
                 #variable_conflict use_column
                 DECLARE
                     acting_tenant uuid := tenancy.current_tenant_id();

                 BEGIN
                     RETURN QUERY
                     SELECT t.id
                     FROM agents.tasks t
                     WHERE t.tenant_id = acting_tenant AND t.tags && $1

                     LIMIT $2;
                 END
                 $_$;

ALTER FUNCTION search.agents_tasks_tags_overlapping(vals text[], max_rows integer) OWNER TO tenantbase_platform;

-- Name: FUNCTION agents_tasks_tags_overlapping(vals text[], max_rows integer); Type: COMMENT; Schema: search; Owner: tenantbase_platform
--
COMMENT ON FUNCTION search.agents_tasks_tags_overlapping(vals text[], max_rows integer) IS 'The acting tenant''s agents.tasks rows where t.tags && $1, served by a tenant-leading GIN index (generated by search.expose).';

-- Name: analytics_analytics_events_properties_containing(jsonb, integer); Type: FUNCTION; Schema: search; Owner: tenantbase_platform
--
CREATE FUNCTION search.analytics_analytics_events_properties_containing(doc jsonb, max_rows integer DEFAULT 100) RETURNS TABLE(occurred_at timestamp with time zone, id uuid)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $_$
                 #variable_conflict use_column
                 DECLARE
                     acting_tenant uuid := tenancy.current_tenant_id();

                 BEGIN
                     RETURN QUERY
                     SELECT t.occurred_at, t.id
                     FROM analytics.analytics_events t
                     WHERE t.tenant_id = acting_tenant AND t.properties @> $1

                     LIMIT $2;
                 END
                 $_$;

ALTER FUNCTION search.analytics_analytics_events_properties_containing(doc jsonb, max_rows integer) OWNER TO tenantbase_platform;

-- Name: FUNCTION analytics_analytics_events_properties_containing(doc jsonb, max_rows integer); Type: COMMENT; Schema: search; Owner: tenantbase_platform
--
COMMENT ON FUNCTION search.analytics_analytics_events_properties_containing(doc jsonb, max_rows integer) IS 'The acting tenant''s analytics.analytics_events rows where t.properties @> $1, served by a tenant-leading GIN index (generated by search.expose).';

-- Name: commerce_customers_tags_overlapping(text[], integer); Type: FUNCTION; Schema: search; Owner: tenantbase_platform
--
CREATE FUNCTION search.commerce_customers_tags_overlapping(vals text[], max_rows integer DEFAULT 100) RETURNS TABLE(id uuid)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $_$
                 #variable_conflict use_column
                 DECLARE
                     acting_tenant uuid := tenancy.current_tenant_id();

                 BEGIN
                     RETURN QUERY
                     SELECT t.id
                     FROM commerce.customers t
                     WHERE t.tenant_id = acting_tenant AND t.tags && $1

                     LIMIT $2;
                 END
                 $_$;

ALTER FUNCTION search.commerce_customers_tags_overlapping(vals text[], max_rows integer) OWNER TO tenantbase_platform;

-- Name: FUNCTION commerce_customers_tags_overlapping(vals text[], max_rows integer); Type: COMMENT; Schema: search; Owner: tenantbase_platform
--
COMMENT ON FUNCTION search.commerce_customers_tags_overlapping(vals text[], max_rows integer) IS 'The acting tenant''s commerce.customers rows where t.tags && $1, served by a tenant-leading GIN index (generated by search.expose).';

-- Name: commerce_products_tags_overlapping(text[], integer); Type: FUNCTION; Schema: search; Owner: tenantbase_platform
--
CREATE FUNCTION search.commerce_products_tags_overlapping(vals text[], max_rows integer DEFAULT 100) RETURNS TABLE(id uuid)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $_$
                 #variable_conflict use_column
                 DECLARE
                     acting_tenant uuid := tenancy.current_tenant_id();

                 BEGIN
                     RETURN QUERY
                     SELECT t.id
                     FROM commerce.products t
                     WHERE t.tenant_id = acting_tenant AND t.tags && $1

                     LIMIT $2;
                 END
                 $_$;

ALTER FUNCTION search.commerce_products_tags_overlapping(vals text[], max_rows integer) OWNER TO tenantbase_platform;

-- Name: FUNCTION commerce_products_tags_overlapping(vals text[], max_rows integer); Type: COMMENT; Schema: search; Owner: tenantbase_platform
--
COMMENT ON FUNCTION search.commerce_products_tags_overlapping(vals text[], max_rows integer) IS 'The acting tenant''s commerce.products rows where t.tags && $1, served by a tenant-leading GIN index (generated by search.expose).';

-- Name: content_content_projects(text, integer); Type: FUNCTION; Schema: search; Owner: tenantbase_platform
--
CREATE FUNCTION search.content_content_projects(phrase text, max_rows integer DEFAULT 100) RETURNS TABLE(id uuid, rank real)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $_$
                 #variable_conflict use_column
                 DECLARE
                     acting_tenant uuid := tenancy.current_tenant_id();
                     parsed_query tsquery := websearch_to_tsquery('english'::regconfig, $1);
                 BEGIN
                     RETURN QUERY
                     SELECT t.id, ts_rank(t.search_vector, parsed_query) AS match_rank
                     FROM content.content_projects t
                     WHERE t.tenant_id = acting_tenant AND t.search_vector @@ websearch_to_tsquery('english'::regconfig, $1)
                     ORDER BY match_rank DESC
                     LIMIT $2;
                 END
                 $_$;

ALTER FUNCTION search.content_content_projects(phrase text, max_rows integer) OWNER TO tenantbase_platform;

-- Name: FUNCTION content_content_projects(phrase text, max_rows integer); Type: COMMENT; Schema: search; Owner: tenantbase_platform
--
COMMENT ON FUNCTION search.content_content_projects(phrase text, max_rows integer) IS 'The acting tenant''s content.content_projects rows where t.search_vector @@ websearch_to_tsquery(''english''::regconfig, $1), served by a tenant-leading GIN index (generated by search.expose).';

-- Name: content_content_projects_tags_overlapping(text[], integer); Type: FUNCTION; Schema: search; Owner: tenantbase_platform
--
CREATE FUNCTION search.content_content_projects_tags_overlapping(vals text[], max_rows integer DEFAULT 100) RETURNS TABLE(id uuid)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $_$
                 #variable_conflict use_column
                 DECLARE
                     acting_tenant uuid := tenancy.current_tenant_id();

                 BEGIN
                     RETURN QUERY
                     SELECT t.id
                     FROM content.content_projects t
                     WHERE t.tenant_id = acting_tenant AND t.tags && $1

                     LIMIT $2;
                 END
                 $_$;

ALTER FUNCTION search.content_content_projects_tags_overlapping(vals text[], max_rows integer) OWNER TO tenantbase_platform;

-- Name: FUNCTION content_content_projects_tags_overlapping(vals text[], max_rows integer); Type: COMMENT; Schema: search; Owner: tenantbase_platform
--
COMMENT ON FUNCTION search.content_content_projects_tags_overlapping(vals text[], max_rows integer) IS 'The acting tenant''s content.content_projects rows where t.tags && $1, served by a tenant-leading GIN index (generated by search.expose).';

-- Name: content_content_projects_target_keywords_overlapping(text[], integer); Type: FUNCTION; Schema: search; Owner: tenantbase_platform
--
CREATE FUNCTION search.content_content_projects_target_keywords_overlapping(vals text[], max_rows integer DEFAULT 100) RETURNS TABLE(id uuid)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $_$
                 #variable_conflict use_column
                 DECLARE
                     acting_tenant uuid := tenancy.current_tenant_id();

                 BEGIN
                     RETURN QUERY
                     SELECT t.id
                     FROM content.content_projects t
                     WHERE t.tenant_id = acting_tenant AND t.target_keywords && $1

                     LIMIT $2;
                 END
                 $_$;

ALTER FUNCTION search.content_content_projects_target_keywords_overlapping(vals text[], max_rows integer) OWNER TO tenantbase_platform;

-- Name: FUNCTION content_content_projects_target_keywords_overlapping(vals text[], max_rows integer); Type: COMMENT; Schema: search; Owner: tenantbase_platform
--
COMMENT ON FUNCTION search.content_content_projects_target_keywords_overlapping(vals text[], max_rows integer) IS 'The acting tenant''s content.content_projects rows where t.target_keywords && $1, served by a tenant-leading GIN index (generated by search.expose).';

-- Name: expose(regclass); Type: FUNCTION; Schema: search; Owner: tenantbase_owner
--
CREATE FUNCTION search.expose(tbl regclass) RETURNS SETOF regprocedure
    LANGUAGE plpgsql
    AS $_$
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
            -- The condition keeps the call (the planner then chooses the GIN index);
            -- the ranking uses the query parsed once into a variable: in a generic
            -- plan, websearch_to_tsquery($1) inside ts_rank() runs for every match.
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

        -- Result columns are PL/pgSQL variables too: use_column lets the query's
        -- (always qualified) columns win.
        EXECUTE format(
            'CREATE OR REPLACE FUNCTION %s(%s, max_rows integer DEFAULT 100) RETURNS TABLE (%s)
                 LANGUAGE plpgsql STABLE SECURITY DEFINER
                 SET search_path = pg_catalog, pg_temp SET plan_cache_mode = force_generic_plan
                 AS $body$
                 #variable_conflict use_column
                 DECLARE
                     acting_tenant uuid := tenancy.current_tenant_id();
                     %s
                 BEGIN
                     RETURN QUERY
                     SELECT %s
                     FROM %s t
                     WHERE t.tenant_id = acting_tenant AND %s
                     %s
                     LIMIT $2;
                 END
                 $body$',
            fn, argument,
            CASE WHEN ranked THEN key_defs || ', rank real' ELSE key_defs END,
            CASE WHEN ranked THEN 'parsed_query tsquery := websearch_to_tsquery(''english''::regconfig, $1);' ELSE '' END,
            CASE WHEN ranked THEN format('%s, ts_rank(t.%I, parsed_query) AS match_rank', key_cols, ix.col)
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
$_$;

ALTER FUNCTION search.expose(tbl regclass) OWNER TO tenantbase_owner;

-- Name: FUNCTION expose(tbl regclass); Type: COMMENT; Schema: search; Owner: tenantbase_owner
--
COMMENT ON FUNCTION search.expose(tbl regclass) IS 'Generates one SECURITY DEFINER search function per GIN (tenant_id, column) index of a table: full-text (tsvector), containment (jsonb) or overlap (arrays).';

-- Name: work_architecture_decisions(text, integer); Type: FUNCTION; Schema: search; Owner: tenantbase_platform
--
CREATE FUNCTION search.work_architecture_decisions(phrase text, max_rows integer DEFAULT 100) RETURNS TABLE(id uuid, rank real)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $_$
                 #variable_conflict use_column
                 DECLARE
                     acting_tenant uuid := tenancy.current_tenant_id();
                     parsed_query tsquery := websearch_to_tsquery('english'::regconfig, $1);
                 BEGIN
                     RETURN QUERY
                     SELECT t.id, ts_rank(t.search_vector, parsed_query) AS match_rank
                     FROM work.architecture_decisions t
                     WHERE t.tenant_id = acting_tenant AND t.search_vector @@ websearch_to_tsquery('english'::regconfig, $1)
                     ORDER BY match_rank DESC
                     LIMIT $2;
                 END
                 $_$;

ALTER FUNCTION search.work_architecture_decisions(phrase text, max_rows integer) OWNER TO tenantbase_platform;

-- Name: FUNCTION work_architecture_decisions(phrase text, max_rows integer); Type: COMMENT; Schema: search; Owner: tenantbase_platform
--
COMMENT ON FUNCTION search.work_architecture_decisions(phrase text, max_rows integer) IS 'The acting tenant''s work.architecture_decisions rows where t.search_vector @@ websearch_to_tsquery(''english''::regconfig, $1), served by a tenant-leading GIN index (generated by search.expose).';

-- Name: work_projects(text, integer); Type: FUNCTION; Schema: search; Owner: tenantbase_platform
--
CREATE FUNCTION search.work_projects(phrase text, max_rows integer DEFAULT 100) RETURNS TABLE(id uuid, rank real)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $_$
                 #variable_conflict use_column
                 DECLARE
                     acting_tenant uuid := tenancy.current_tenant_id();
                     parsed_query tsquery := websearch_to_tsquery('english'::regconfig, $1);
                 BEGIN
                     RETURN QUERY
                     SELECT t.id, ts_rank(t.search_vector, parsed_query) AS match_rank
                     FROM work.projects t
                     WHERE t.tenant_id = acting_tenant AND t.search_vector @@ websearch_to_tsquery('english'::regconfig, $1)
                     ORDER BY match_rank DESC
                     LIMIT $2;
                 END
                 $_$;

ALTER FUNCTION search.work_projects(phrase text, max_rows integer) OWNER TO tenantbase_platform;

-- Name: FUNCTION work_projects(phrase text, max_rows integer); Type: COMMENT; Schema: search; Owner: tenantbase_platform
--
COMMENT ON FUNCTION search.work_projects(phrase text, max_rows integer) IS 'The acting tenant''s work.projects rows where t.search_vector @@ websearch_to_tsquery(''english''::regconfig, $1), served by a tenant-leading GIN index (generated by search.expose).';

-- Name: work_projects_settings_containing(jsonb, integer); Type: FUNCTION; Schema: search; Owner: tenantbase_platform
--
CREATE FUNCTION search.work_projects_settings_containing(doc jsonb, max_rows integer DEFAULT 100) RETURNS TABLE(id uuid)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $_$
                 #variable_conflict use_column
                 DECLARE
                     acting_tenant uuid := tenancy.current_tenant_id();

                 BEGIN
                     RETURN QUERY
                     SELECT t.id
                     FROM work.projects t
                     WHERE t.tenant_id = acting_tenant AND t.settings @> $1

                     LIMIT $2;
                 END
                 $_$;

ALTER FUNCTION search.work_projects_settings_containing(doc jsonb, max_rows integer) OWNER TO tenantbase_platform;

-- Name: FUNCTION work_projects_settings_containing(doc jsonb, max_rows integer); Type: COMMENT; Schema: search; Owner: tenantbase_platform
--
COMMENT ON FUNCTION search.work_projects_settings_containing(doc jsonb, max_rows integer) IS 'The acting tenant''s work.projects rows where t.settings @> $1, served by a tenant-leading GIN index (generated by search.expose).';

-- Name: work_requirements(text, integer); Type: FUNCTION; Schema: search; Owner: tenantbase_platform
--
CREATE FUNCTION search.work_requirements(phrase text, max_rows integer DEFAULT 100) RETURNS TABLE(id uuid, rank real)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $_$
                 #variable_conflict use_column
                 DECLARE
                     acting_tenant uuid := tenancy.current_tenant_id();
                     parsed_query tsquery := websearch_to_tsquery('english'::regconfig, $1);
                 BEGIN
                     RETURN QUERY
                     SELECT t.id, ts_rank(t.search_vector, parsed_query) AS match_rank
                     FROM work.requirements t
                     WHERE t.tenant_id = acting_tenant AND t.search_vector @@ websearch_to_tsquery('english'::regconfig, $1)
                     ORDER BY match_rank DESC
                     LIMIT $2;
                 END
                 $_$;

ALTER FUNCTION search.work_requirements(phrase text, max_rows integer) OWNER TO tenantbase_platform;

-- Name: FUNCTION work_requirements(phrase text, max_rows integer); Type: COMMENT; Schema: search; Owner: tenantbase_platform
--
COMMENT ON FUNCTION search.work_requirements(phrase text, max_rows integer) IS 'The acting tenant''s work.requirements rows where t.search_vector @@ websearch_to_tsquery(''english''::regconfig, $1), served by a tenant-leading GIN index (generated by search.expose).';

-- Name: work_tasks(text, integer); Type: FUNCTION; Schema: search; Owner: tenantbase_platform
--
CREATE FUNCTION search.work_tasks(phrase text, max_rows integer DEFAULT 100) RETURNS TABLE(id uuid, rank real)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $_$
                 #variable_conflict use_column
                 DECLARE
                     acting_tenant uuid := tenancy.current_tenant_id();
                     parsed_query tsquery := websearch_to_tsquery('english'::regconfig, $1);
                 BEGIN
                     RETURN QUERY
                     SELECT t.id, ts_rank(t.search_vector, parsed_query) AS match_rank
                     FROM work.tasks t
                     WHERE t.tenant_id = acting_tenant AND t.search_vector @@ websearch_to_tsquery('english'::regconfig, $1)
                     ORDER BY match_rank DESC
                     LIMIT $2;
                 END
                 $_$;

ALTER FUNCTION search.work_tasks(phrase text, max_rows integer) OWNER TO tenantbase_platform;

-- Name: FUNCTION work_tasks(phrase text, max_rows integer); Type: COMMENT; Schema: search; Owner: tenantbase_platform
--
COMMENT ON FUNCTION search.work_tasks(phrase text, max_rows integer) IS 'The acting tenant''s work.tasks rows where t.search_vector @@ websearch_to_tsquery(''english''::regconfig, $1), served by a tenant-leading GIN index (generated by search.expose).';

-- Name: work_tasks_custom_fields_containing(jsonb, integer); Type: FUNCTION; Schema: search; Owner: tenantbase_platform
--
CREATE FUNCTION search.work_tasks_custom_fields_containing(doc jsonb, max_rows integer DEFAULT 100) RETURNS TABLE(id uuid)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $_$
                 #variable_conflict use_column
                 DECLARE
                     acting_tenant uuid := tenancy.current_tenant_id();

                 BEGIN
                     RETURN QUERY
                     SELECT t.id
                     FROM work.tasks t
                     WHERE t.tenant_id = acting_tenant AND t.custom_fields @> $1

                     LIMIT $2;
                 END
                 $_$;

ALTER FUNCTION search.work_tasks_custom_fields_containing(doc jsonb, max_rows integer) OWNER TO tenantbase_platform;

-- Name: FUNCTION work_tasks_custom_fields_containing(doc jsonb, max_rows integer); Type: COMMENT; Schema: search; Owner: tenantbase_platform
--
COMMENT ON FUNCTION search.work_tasks_custom_fields_containing(doc jsonb, max_rows integer) IS 'The acting tenant''s work.tasks rows where t.custom_fields @> $1, served by a tenant-leading GIN index (generated by search.expose).';

-- Name: work_tasks_tags_overlapping(text[], integer); Type: FUNCTION; Schema: search; Owner: tenantbase_platform
--
CREATE FUNCTION search.work_tasks_tags_overlapping(vals text[], max_rows integer DEFAULT 100) RETURNS TABLE(id uuid)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $_$
                 #variable_conflict use_column
                 DECLARE
                     acting_tenant uuid := tenancy.current_tenant_id();

                 BEGIN
                     RETURN QUERY
                     SELECT t.id
                     FROM work.tasks t
                     WHERE t.tenant_id = acting_tenant AND t.tags && $1

                     LIMIT $2;
                 END
                 $_$;

ALTER FUNCTION search.work_tasks_tags_overlapping(vals text[], max_rows integer) OWNER TO tenantbase_platform;

-- Name: FUNCTION work_tasks_tags_overlapping(vals text[], max_rows integer); Type: COMMENT; Schema: search; Owner: tenantbase_platform
--
COMMENT ON FUNCTION search.work_tasks_tags_overlapping(vals text[], max_rows integer) IS 'The acting tenant''s work.tasks rows where t.tags && $1, served by a tenant-leading GIN index (generated by search.expose).';

-- Name: acting_as_operator(); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_owner
--
CREATE FUNCTION tenancy.acting_as_operator() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT coalesce((SELECT rolsuper OR rolbypassrls FROM pg_roles
                     WHERE rolname = CASE WHEN current_setting('role') = 'none' THEN session_user::text
                                          ELSE current_setting('role') END), false)
$$;

ALTER FUNCTION tenancy.acting_as_operator() OWNER TO tenantbase_owner;

-- Name: FUNCTION acting_as_operator(); Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON FUNCTION tenancy.acting_as_operator() IS 'Whether the session acts as a role that bypasses RLS (superuser or BYPASSRLS; its SET ROLE if any, else its login): platform work, not a tenant''s.';

-- Name: acting_user_columns(); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_owner
--
CREATE FUNCTION tenancy.acting_user_columns() RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ARRAY['created_by', 'requested_by', 'invited_by', 'granted_by'] $$;

ALTER FUNCTION tenancy.acting_user_columns() OWNER TO tenantbase_owner;

-- Name: bump_version(); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_owner
--
CREATE FUNCTION tenancy.bump_version() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.row_version := OLD.row_version + 1;
    RETURN NEW;
END
$$;

ALTER FUNCTION tenancy.bump_version() OWNER TO tenantbase_owner;

-- Name: FUNCTION bump_version(); Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON FUNCTION tenancy.bump_version() IS 'Trigger: the row''s version is one more than the version it replaces, whatever the UPDATE set.';

-- Name: chain_edits_in_order(regclass, name[]); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_owner
--
CREATE FUNCTION tenancy.chain_edits_in_order(tbl regclass, columns name[]) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    EXECUTE format('CREATE OR REPLACE TRIGGER chain_edits_in_order BEFORE INSERT OR UPDATE OF %s ON %s
                    FOR EACH STATEMENT EXECUTE FUNCTION tenancy.serialize_chain_edits()',
                   (SELECT string_agg(quote_ident(c), ', ') FROM unnest(columns) AS c), tbl);
END
$$;

ALTER FUNCTION tenancy.chain_edits_in_order(tbl regclass, columns name[]) OWNER TO tenantbase_owner;

-- Name: FUNCTION chain_edits_in_order(tbl regclass, columns name[]); Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON FUNCTION tenancy.chain_edits_in_order(tbl regclass, columns name[]) IS 'Makes every INSERT and every UPDATE of the chain columns of a table take the tenant''s chain lock first; call it for each guarded chain.';

-- Name: current_member_role(); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_owner
--
CREATE FUNCTION tenancy.current_member_role() RETURNS tenancy.member_role
    LANGUAGE sql STABLE
    AS $$
    SELECT m.role FROM tenancy.memberships m
    WHERE m.tenant_id = tenancy.current_tenant_id()
      AND m.user_id = tenancy.current_user_id()
      AND m.status = 'active'
$$;

ALTER FUNCTION tenancy.current_member_role() OWNER TO tenantbase_owner;

-- Name: FUNCTION current_member_role(); Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON FUNCTION tenancy.current_member_role() IS 'The acting user''s role in the acting tenant, NULL when not an active member.';

-- Name: current_tenant_id(); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_owner
--
CREATE FUNCTION tenancy.current_tenant_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT platform.context_tenant_in_use() $$;

ALTER FUNCTION tenancy.current_tenant_id() OWNER TO tenantbase_owner;

-- Name: FUNCTION current_tenant_id(); Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON FUNCTION tenancy.current_tenant_id() IS 'The tenant this transaction acts in, when its context is signed by the server and the tenant is not deleted; else NULL (no context matches no row).';

-- Name: current_user_id(); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_owner
--
CREATE FUNCTION tenancy.current_user_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(platform.context_field(2), '')::uuid $$;

ALTER FUNCTION tenancy.current_user_id() OWNER TO tenantbase_owner;

-- Name: FUNCTION current_user_id(); Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON FUNCTION tenancy.current_user_id() IS 'The user this transaction acts for, when its context is signed by the server; else NULL.';

-- Name: defer_member_references(); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_owner
--
CREATE FUNCTION tenancy.defer_member_references() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    SET CONSTRAINTS ALL DEFERRED;
    RETURN NULL;
END
$$;

ALTER FUNCTION tenancy.defer_member_references() OWNER TO tenantbase_owner;

-- Name: define_lifecycle(name, text[]); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_owner
--
CREATE FUNCTION tenancy.define_lifecycle(vocabulary name, transitions text[]) RETURNS void
    LANGUAGE plpgsql
    AS $_$
DECLARE
    pairs text;
BEGIN
    IF array_ndims(transitions) <> 2 OR array_length(transitions, 2) <> 2 THEN
        RAISE EXCEPTION 'transitions are an array of (from, to) pairs';
    END IF;
    SELECT string_agg(format('(%L, %L)', transitions[i][1], transitions[i][2]), ', ' ORDER BY i)
    INTO pairs FROM generate_subscripts(transitions, 1) AS i;
    EXECUTE format(
        'CREATE OR REPLACE FUNCTION lifecycle.%1$I(from_state text, to_state text) RETURNS boolean
             LANGUAGE sql IMMUTABLE PARALLEL SAFE
             RETURN coalesce((from_state, to_state) IN (%2$s), false)', vocabulary, pairs);
    EXECUTE format(
        'CREATE OR REPLACE FUNCTION lifecycle.%1$I() RETURNS TABLE (from_state text, to_state text)
             LANGUAGE sql IMMUTABLE PARALLEL SAFE
             AS $$ VALUES %2$s $$', vocabulary || '_transitions', pairs);
    EXECUTE format('COMMENT ON FUNCTION lifecycle.%I(text, text) IS %L', vocabulary,
                   format('Whether %s may go from from_state to to_state (generated by tenancy.define_lifecycle).', vocabulary));
    EXECUTE format('COMMENT ON FUNCTION lifecycle.%I() IS %L', vocabulary || '_transitions',
                   format('The transition table of %s (generated by tenancy.define_lifecycle).', vocabulary));
    EXECUTE format('GRANT EXECUTE ON FUNCTION lifecycle.%I(text, text), lifecycle.%I() TO tenantbase_app, tenantbase_readonly, tenantbase_platform',
                   vocabulary, vocabulary || '_transitions');
END
$_$;

ALTER FUNCTION tenancy.define_lifecycle(vocabulary name, transitions text[]) OWNER TO tenantbase_owner;

-- Name: FUNCTION define_lifecycle(vocabulary name, transitions text[]); Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON FUNCTION tenancy.define_lifecycle(vocabulary name, transitions text[]) IS 'Compiles a vocabulary''s (from, to) transitions into IMMUTABLE functions lifecycle.<vocabulary>(from, to) and lifecycle.<vocabulary>_transitions().';

-- Name: enforce_lifecycle(regclass, name, name); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_owner
--
CREATE FUNCTION tenancy.enforce_lifecycle(tbl regclass, col name, vocabulary name) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM format('lifecycle.%I(text, text)', vocabulary)::regprocedure;
    EXECUTE format('CREATE OR REPLACE TRIGGER %I BEFORE UPDATE OF %I ON %s
                    FOR EACH ROW WHEN (OLD.%I IS NOT NULL AND OLD.%I IS DISTINCT FROM NEW.%I)
                    EXECUTE FUNCTION tenancy.refuse_illegal_transition(%L, %L)',
                   '_lifecycle_' || col, col, tbl, col, col, col, col, vocabulary);
END
$$;

ALTER FUNCTION tenancy.enforce_lifecycle(tbl regclass, col name, vocabulary name) OWNER TO tenantbase_owner;

-- Name: FUNCTION enforce_lifecycle(tbl regclass, col name, vocabulary name); Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON FUNCTION tenancy.enforce_lifecycle(tbl regclass, col name, vocabulary name) IS 'Attaches tenancy.refuse_illegal_transition() to a column: its changes follow lifecycle.<vocabulary>.';

-- Name: give_to_platform(regprocedure); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_owner
--
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

ALTER FUNCTION tenancy.give_to_platform(fn regprocedure) OWNER TO tenantbase_owner;

-- Name: FUNCTION give_to_platform(fn regprocedure); Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON FUNCTION tenancy.give_to_platform(fn regprocedure) IS 'Makes tenantbase_platform the owner of a function (it then runs SECURITY DEFINER as platform); revokes PUBLIC execute.';

-- Name: guard_membership_status(); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_owner
--
CREATE FUNCTION tenancy.guard_membership_status() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF OLD.status IN ('left', 'invited') AND NEW.status NOT IN (OLD.status, 'left')
       AND current_user <> 'tenantbase_platform' AND NOT tenancy.acting_as_operator() THEN
        RAISE EXCEPTION 'a member joins, or comes back, by accepting an invitation'
            USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'memberships_joined_by_invitation';
    END IF;
    RETURN NEW;
END
$$;

ALTER FUNCTION tenancy.guard_membership_status() OWNER TO tenantbase_owner;

-- Name: FUNCTION guard_membership_status(); Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON FUNCTION tenancy.guard_membership_status() IS 'Trigger: refuses reactivating a membership that left (or was only invited) unless the platform does it (platform.accept_invitation).';

-- Name: guard_owner_invitations(); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_owner
--
CREATE FUNCTION tenancy.guard_owner_invitations() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.role = 'owner' AND NOT tenancy.acting_as_operator()
       AND tenancy.current_member_role() IS DISTINCT FROM 'owner' THEN
        RAISE EXCEPTION 'only an owner can invite an owner'
            USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'invitations_owner_grant';
    END IF;
    RETURN NEW;
END
$$;

ALTER FUNCTION tenancy.guard_owner_invitations() OWNER TO tenantbase_owner;

-- Name: FUNCTION guard_owner_invitations(); Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON FUNCTION tenancy.guard_owner_invitations() IS 'Trigger: refuses an invitation as owner unless the acting user is an owner of the tenant (or an operator acts).';

-- Name: guard_owners(); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_owner
--
CREATE FUNCTION tenancy.guard_owners() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    by_platform boolean := current_user = 'tenantbase_platform'
                           OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user);
    owner_touched boolean := TG_OP <> 'INSERT' AND OLD.role = 'owner'
                             AND (TG_OP = 'DELETE' OR NEW.role <> 'owner' OR NEW.status <> OLD.status);
BEGIN
    IF TG_OP <> 'DELETE' AND NEW.role = 'owner' AND (TG_OP = 'INSERT' OR OLD.role <> 'owner')
       AND NOT by_platform AND tenancy.current_member_role() IS DISTINCT FROM 'owner' THEN
        RAISE EXCEPTION 'only an owner can make an owner'
            USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'memberships_owner_grant';
    END IF;
    IF owner_touched AND NOT by_platform AND tenancy.current_member_role() IS DISTINCT FROM 'owner'
       AND EXISTS (SELECT 1 FROM tenancy.tenants WHERE id = OLD.tenant_id) THEN
        RAISE EXCEPTION 'only an owner can change or remove an owner'
            USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'memberships_owner_change';
    END IF;
    IF owner_touched AND OLD.status = 'active' THEN
        PERFORM tenancy.lock_tenant(OLD.tenant_id);
        IF EXISTS (SELECT 1 FROM tenancy.tenants WHERE id = OLD.tenant_id)
           AND NOT EXISTS (SELECT 1 FROM tenancy.memberships
                           WHERE tenant_id = OLD.tenant_id AND id <> OLD.id
                             AND role = 'owner' AND status = 'active') THEN
            RAISE EXCEPTION 'a tenant keeps at least one active owner'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'memberships_last_owner';
        END IF;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;

ALTER FUNCTION tenancy.guard_owners() OWNER TO tenantbase_owner;

-- Name: guard_parent_chain(regclass, name, text); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_owner
--
CREATE FUNCTION tenancy.guard_parent_chain(tbl regclass, parent_column name, rule text) RETURNS void
    LANGUAGE plpgsql
    AS $_$
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
               PERFORM tenancy.require_tenant(NEW.tenant_id);
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
$_$;

ALTER FUNCTION tenancy.guard_parent_chain(tbl regclass, parent_column name, rule text) OWNER TO tenantbase_owner;

-- Name: FUNCTION guard_parent_chain(tbl regclass, parent_column name, rule text); Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON FUNCTION tenancy.guard_parent_chain(tbl regclass, parent_column name, rule text) IS 'Refuses, under concurrency, any change that would make a row its own ancestor through parent_column; errors name the rule.';

-- Name: has_permission(text, text); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_platform
--
CREATE FUNCTION tenancy.has_permission(p_resource text, p_action text) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    acting_tenant uuid := tenancy.current_tenant_id();
    acting_user uuid := tenancy.current_user_id();
BEGIN
    IF acting_tenant IS NULL OR acting_user IS NULL THEN
        RETURN false;
    END IF;
    RETURN EXISTS (
        SELECT 1
        FROM tenancy.memberships m
        WHERE m.tenant_id = acting_tenant
          AND m.user_id = acting_user
          AND m.status = 'active'
          AND (EXISTS (SELECT 1
                       FROM tenancy.system_role_permissions s
                       JOIN tenancy.permissions p ON p.id = s.permission_id
                       WHERE s.role = m.role
                         AND p.resource IN (p_resource, '*') AND p.action IN (p_action, '*'))
               OR EXISTS (SELECT 1
                          FROM tenancy.user_roles ur
                          JOIN tenancy.role_permissions rp ON (rp.tenant_id, rp.role_id) = (ur.tenant_id, ur.role_id)
                          JOIN tenancy.permissions p ON p.id = rp.permission_id
                          WHERE ur.tenant_id = acting_tenant AND ur.user_id = acting_user
                            AND p.resource IN (p_resource, '*') AND p.action IN (p_action, '*'))));
END
$$;

ALTER FUNCTION tenancy.has_permission(p_resource text, p_action text) OWNER TO tenantbase_platform;

-- Name: FUNCTION has_permission(p_resource text, p_action text); Type: COMMENT; Schema: tenancy; Owner: tenantbase_platform
--
COMMENT ON FUNCTION tenancy.has_permission(p_resource text, p_action text) IS 'Whether the acting user may do p_action on p_resource in the acting tenant, through its membership role or a custom role. Answers only about the caller''s own verified context.';

-- Name: isolate(regclass, text, name); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_owner
--
CREATE FUNCTION tenancy.isolate(tbl regclass, resource text, tenant_column name DEFAULT 'tenant_id'::name) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    same_tenant text := format('%I = (SELECT tenancy.current_tenant_id())', tenant_column);
    may text := 'AND (SELECT tenancy.has_permission(%L, %L))';
    -- A partition gets the same policies, but no trigger (its parent's is cloned onto it)
    -- and no grants: the app reaches partitions only through their parent.
    is_partition boolean := (SELECT relispartition FROM pg_class WHERE oid = tbl);
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', tbl);

    EXECUTE format('DROP POLICY IF EXISTS tenant_select ON %s', tbl);
    EXECUTE format('DROP POLICY IF EXISTS tenant_insert ON %s', tbl);
    EXECUTE format('DROP POLICY IF EXISTS tenant_update ON %s', tbl);
    EXECUTE format('DROP POLICY IF EXISTS tenant_delete ON %s', tbl);
    EXECUTE format('CREATE POLICY tenant_select ON %s FOR SELECT USING (%s)', tbl, same_tenant);
    EXECUTE format('CREATE POLICY tenant_insert ON %s FOR INSERT WITH CHECK (%s %s)',
                   tbl, same_tenant, format(may, resource, 'create'));
    EXECUTE format('CREATE POLICY tenant_update ON %s FOR UPDATE USING (%s %s) WITH CHECK (%s)',
                   tbl, same_tenant, format(may, resource, 'update'), same_tenant);
    EXECUTE format('CREATE POLICY tenant_delete ON %s FOR DELETE USING (%s %s)',
                   tbl, same_tenant, format(may, resource, 'delete'));

    IF NOT is_partition AND EXISTS (SELECT 1 FROM pg_attribute
                                    WHERE attrelid = tbl AND attname = 'updated_at' AND NOT attisdropped) THEN
        EXECUTE format('CREATE OR REPLACE TRIGGER touch_updated_at BEFORE UPDATE ON %s
                        FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at()', tbl);
    END IF;

    -- The audit log is append-only and its entries are hashed whole: no version there.
    IF NOT is_partition AND (SELECT n.nspname <> 'audit' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                             WHERE c.oid = tbl) THEN
        PERFORM tenancy.keep_row_version(tbl);
    END IF;

    -- Every change is recorded in the audit log (not the log's own, nor a partition's twice).
    PERFORM audit.track_changes(tbl, resource, tenant_column);

    IF NOT is_partition THEN
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO tenantbase_app, tenantbase_platform', tbl);
        EXECUTE format('GRANT SELECT ON %s TO tenantbase_readonly', tbl);
    END IF;
END
$$;

ALTER FUNCTION tenancy.isolate(tbl regclass, resource text, tenant_column name) OWNER TO tenantbase_owner;

-- Name: FUNCTION isolate(tbl regclass, resource text, tenant_column name); Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON FUNCTION tenancy.isolate(tbl regclass, resource text, tenant_column name) IS 'Applies tenant isolation to a table: forced RLS, one policy per command, updated_at trigger, row version, grants.';

-- Name: keep_row_version(regclass); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_owner
--
CREATE FUNCTION tenancy.keep_row_version(tbl regclass) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ADD COLUMN IF NOT EXISTS row_version bigint NOT NULL DEFAULT 1', tbl);
    EXECUTE format('CREATE OR REPLACE TRIGGER bump_version BEFORE UPDATE ON %s
                    FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version()', tbl);
END
$$;

ALTER FUNCTION tenancy.keep_row_version(tbl regclass) OWNER TO tenantbase_owner;

-- Name: FUNCTION keep_row_version(tbl regclass); Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON FUNCTION tenancy.keep_row_version(tbl regclass) IS 'Gives a table the row_version column the database maintains (tenancy.bump_version); called by tenancy.isolate.';

-- Name: lock_tenant(uuid); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_platform
--
CREATE FUNCTION tenancy.lock_tenant(p_tenant uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    PERFORM tenancy.require_tenant(p_tenant);
    PERFORM pg_advisory_xact_lock(hashtextextended('tenant:' || p_tenant::text, 0));
END
$$;

ALTER FUNCTION tenancy.lock_tenant(p_tenant uuid) OWNER TO tenantbase_platform;

-- Name: FUNCTION lock_tenant(p_tenant uuid); Type: COMMENT; Schema: tenancy; Owner: tenantbase_platform
--
COMMENT ON FUNCTION tenancy.lock_tenant(p_tenant uuid) IS 'Takes the verified tenant''s transaction advisory lock (serializes the last-owner check); refuses any other tenant.';

-- Name: members_only(regclass, name); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_owner
--
CREATE FUNCTION tenancy.members_only(tbl regclass, tenant_column name DEFAULT 'tenant_id'::name) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    fk record;
    covering record;
    index_name text;
    stamped text[];
BEGIN
    FOR fk IN
        SELECT c.conname, a.attname AS col, a.attnum, c.confdeltype
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.conrelid = tbl AND c.contype = 'f' AND c.confrelid = 'tenancy.users'::regclass
          AND cardinality(c.conkey) = 1
          -- A membership's own user is the identity it joins to the tenant.
          AND NOT (tbl = 'tenancy.memberships'::regclass AND a.attname = 'user_id')
        ORDER BY a.attname
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', tbl, fk.conname);
        -- A row that names a member goes with the member's row only where it did
        -- with the user's (participants, activities, approvers); memberships are
        -- otherwise never deleted but with their tenant, which takes every row:
        -- deferrable, so that a tenant's deletion checks them once its cascades
        -- are done (tenancy.defer_member_references).
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I FOREIGN KEY (%I, %I)
                            REFERENCES tenancy.memberships (tenant_id, user_id)%s DEFERRABLE INITIALLY IMMEDIATE',
                       tbl, fk.conname, tenant_column, fk.col,
                       CASE WHEN fk.confdeltype = 'c' THEN ' ON DELETE CASCADE' ELSE '' END);
        -- The index that covered the key to users covers the key to memberships,
        -- now tenant-leading like every other tenant index.
        index_name := NULL;
        FOR covering IN
            SELECT i.indexrelid::regclass AS idx, c.relname
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid = tbl AND i.indnkeyatts = 1 AND i.indkey[0] = fk.attnum AND i.indpred IS NULL
        LOOP
            EXECUTE format('DROP INDEX %s', covering.idx);
            index_name := covering.relname;
        END LOOP;
        IF NOT EXISTS (SELECT 1 FROM pg_index i
                       JOIN pg_attribute t ON t.attrelid = tbl AND t.attname = tenant_column
                       WHERE i.indrelid = tbl AND i.indpred IS NULL AND i.indnkeyatts >= 2
                         AND i.indkey[0] = t.attnum AND i.indkey[1] = fk.attnum) THEN
            EXECUTE format('CREATE INDEX %I ON %s (%I, %I)', coalesce(index_name,
                           (SELECT relname FROM pg_class WHERE oid = tbl) || '_' || fk.col || '_idx'), tbl, tenant_column, fk.col);
        END IF;
    END LOOP;
    SELECT array_agg(a.attname::text ORDER BY a.attname) INTO stamped
    FROM pg_attribute a
    WHERE a.attrelid = tbl AND a.attnum > 0 AND NOT a.attisdropped AND a.attname = ANY (tenancy.acting_user_columns());
    IF stamped IS NOT NULL THEN
        EXECUTE format('CREATE OR REPLACE TRIGGER stamp_acting_user BEFORE INSERT OR UPDATE ON %s
                        FOR EACH ROW EXECUTE FUNCTION tenancy.stamp_acting_user(%s)',
                       tbl, (SELECT string_agg(quote_literal(s), ', ') FROM unnest(stamped) AS s));
    END IF;
END
$$;

ALTER FUNCTION tenancy.members_only(tbl regclass, tenant_column name) OWNER TO tenantbase_owner;

-- Name: FUNCTION members_only(tbl regclass, tenant_column name); Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON FUNCTION tenancy.members_only(tbl regclass, tenant_column name) IS 'Makes every user column of a tenant table name a member of the row''s tenant, and the acting-user columns the server''s to set.';

-- Name: refuse_illegal_transition(); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_owner
--
CREATE FUNCTION tenancy.refuse_illegal_transition() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
    from_state text := to_jsonb(OLD) ->> TG_ARGV[0];
    to_state text := to_jsonb(NEW) ->> TG_ARGV[0];
    allowed boolean;
BEGIN
    EXECUTE format('SELECT lifecycle.%I($1, $2)', TG_ARGV[1]) INTO allowed USING from_state, to_state;
    -- A word outside the vocabulary is its CHECK constraint's to name.
    IF NOT allowed AND to_state IS NOT NULL THEN
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM lifecycle.%I() WHERE $1 IN (from_state, to_state))', TG_ARGV[1] || '_transitions')
            INTO allowed USING to_state;
        allowed := NOT allowed;
    END IF;
    IF NOT allowed THEN
        RAISE EXCEPTION '% of % cannot go from % to %', TG_ARGV[0], TG_TABLE_NAME, from_state, coalesce(to_state, 'null')
            USING ERRCODE = 'check_violation', CONSTRAINT = TG_TABLE_NAME || '_' || TG_ARGV[0] || '_lifecycle',
                  SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, COLUMN = TG_ARGV[0];
    END IF;
    RETURN NEW;
END
$_$;

ALTER FUNCTION tenancy.refuse_illegal_transition() OWNER TO tenantbase_owner;

-- Name: FUNCTION refuse_illegal_transition(); Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON FUNCTION tenancy.refuse_illegal_transition() IS 'Trigger: refuses a change of a lifecycle column that its vocabulary''s transition table does not allow (attached by tenancy.enforce_lifecycle).';

-- Name: require_tenant(uuid); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_owner
--
CREATE FUNCTION tenancy.require_tenant(p_tenant uuid) RETURNS void
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    IF p_tenant IS NOT NULL AND p_tenant = tenancy.current_tenant_id() THEN
        RETURN;
    END IF;
    IF tenancy.acting_as_operator() THEN
        RETURN;
    END IF;
    RAISE EXCEPTION 'this row is outside the tenant this transaction acts in'
        USING ERRCODE = 'insufficient_privilege';
END
$$;

ALTER FUNCTION tenancy.require_tenant(p_tenant uuid) OWNER TO tenantbase_owner;

-- Name: FUNCTION require_tenant(p_tenant uuid); Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON FUNCTION tenancy.require_tenant(p_tenant uuid) IS 'The guard every SECURITY DEFINER trigger starts with: refuses a row of any tenant but the verified one (and any row without a verified context), unless the session is a platform operator''s.';

-- Name: serialize_chain_edits(); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_platform
--
CREATE FUNCTION tenancy.serialize_chain_edits() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    -- Without a tenant (platform maintenance), one lock for the table.
    PERFORM pg_advisory_xact_lock(hashtextextended(
        'chain:' || TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME || ':' || coalesce(tenancy.current_tenant_id()::text, ''), 0));
    RETURN NULL;
END
$$;

ALTER FUNCTION tenancy.serialize_chain_edits() OWNER TO tenantbase_platform;

-- Name: FUNCTION serialize_chain_edits(); Type: COMMENT; Schema: tenancy; Owner: tenantbase_platform
--
COMMENT ON FUNCTION tenancy.serialize_chain_edits() IS 'Statement trigger: takes the acting tenant''s advisory lock for a table''s chain edits before any row is locked (attached by tenancy.chain_edits_in_order).';

-- Name: stamp_acting_user(); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_owner
--
CREATE FUNCTION tenancy.stamp_acting_user() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    stamped jsonb := '{}';
    acting jsonb;
    col text;
BEGIN
    IF tenancy.acting_as_operator() THEN
        RETURN NEW;
    END IF;
    acting := to_jsonb(tenancy.current_user_id());
    FOREACH col IN ARRAY TG_ARGV LOOP
        stamped := stamped || jsonb_build_object(col, CASE WHEN TG_OP = 'INSERT' THEN acting ELSE to_jsonb(OLD) -> col END);
    END LOOP;
    NEW := jsonb_populate_record(NEW, stamped);
    RETURN NEW;
END
$$;

ALTER FUNCTION tenancy.stamp_acting_user() OWNER TO tenantbase_owner;

-- Name: FUNCTION stamp_acting_user(); Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON FUNCTION tenancy.stamp_acting_user() IS 'Trigger: sets the columns naming the acting user from the verified context on insert and keeps them on update (attached by tenancy.members_only).';

-- Name: touch_updated_at(); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_owner
--
CREATE FUNCTION tenancy.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

ALTER FUNCTION tenancy.touch_updated_at() OWNER TO tenantbase_owner;

-- Name: user_has_permission(uuid, text, text); Type: FUNCTION; Schema: tenancy; Owner: tenantbase_owner
--
CREATE FUNCTION tenancy.user_has_permission(p_user uuid, p_resource text, p_action text) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
    SELECT m.status = 'active'
           AND (EXISTS (SELECT 1
                        FROM tenancy.system_role_permissions s
                        JOIN tenancy.permissions p ON p.id = s.permission_id
                        WHERE s.role = m.role
                          AND p.resource IN (p_resource, '*') AND p.action IN (p_action, '*'))
                OR EXISTS (SELECT 1
                           FROM tenancy.user_roles ur
                           JOIN tenancy.role_permissions rp ON (rp.tenant_id, rp.role_id) = (ur.tenant_id, ur.role_id)
                           JOIN tenancy.permissions p ON p.id = rp.permission_id
                           WHERE ur.tenant_id = m.tenant_id AND ur.user_id = m.user_id
                             AND p.resource IN (p_resource, '*') AND p.action IN (p_action, '*')))
    FROM tenancy.memberships m
    WHERE m.tenant_id = (SELECT tenancy.current_tenant_id()) AND m.user_id = p_user
$$;

ALTER FUNCTION tenancy.user_has_permission(p_user uuid, p_resource text, p_action text) OWNER TO tenantbase_owner;

-- Name: FUNCTION user_has_permission(p_user uuid, p_resource text, p_action text); Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON FUNCTION tenancy.user_has_permission(p_user uuid, p_resource text, p_action text) IS 'Whether a member of the acting tenant may do p_action on p_resource there (membership role or custom roles); NULL for anyone else.';

-- Name: apply_approval_response(); Type: FUNCTION; Schema: work; Owner: tenantbase_platform
--
CREATE FUNCTION work.apply_approval_response() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    request record;
    workflow record;
    listed boolean;
    approvals integer;
    conditional boolean;
BEGIN
    PERFORM tenancy.require_tenant(NEW.tenant_id);
    -- Without a verified user only an operator may record a response.
    IF NOT tenancy.acting_as_operator() THEN
        IF NEW.approver_id IS DISTINCT FROM tenancy.current_user_id() THEN
            RAISE EXCEPTION 'a response is given by its approver'
                USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'approval_responses_by_the_approver';
        END IF;
        IF NOT tenancy.has_permission('work', 'approve') THEN
            RAISE EXCEPTION 'answering approval requests needs the work approve permission'
                USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'approval_responses_approver_may_approve';
        END IF;
    END IF;

    SELECT * INTO request FROM work.approval_requests
    WHERE tenant_id = NEW.tenant_id AND id = NEW.request_id
    FOR NO KEY UPDATE;
    IF request.status NOT IN ('pending', 'in_review') THEN
        RAISE EXCEPTION 'approval request is already %', request.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'approval_responses_request_open';
    END IF;
    SELECT * INTO workflow FROM work.approval_workflows WHERE tenant_id = NEW.tenant_id AND id = request.workflow_id;

    SELECT EXISTS (SELECT 1 FROM work.approval_workflow_approvers
                   WHERE tenant_id = NEW.tenant_id AND workflow_id = workflow.id)
    INTO listed;
    IF listed AND NOT EXISTS (SELECT 1 FROM work.approval_workflow_approvers
                              WHERE tenant_id = NEW.tenant_id AND workflow_id = workflow.id AND approver_id = NEW.approver_id) THEN
        RAISE EXCEPTION 'approver is not listed in the workflow'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'approval_responses_listed_approver';
    END IF;
    IF workflow.is_sequential AND listed AND EXISTS (
        SELECT 1
        FROM work.approval_workflow_approvers earlier
        JOIN work.approval_workflow_approvers mine
          ON mine.tenant_id = earlier.tenant_id AND mine.workflow_id = earlier.workflow_id AND mine.approver_id = NEW.approver_id
        WHERE earlier.tenant_id = NEW.tenant_id AND earlier.workflow_id = workflow.id AND earlier.position < mine.position
          AND NOT EXISTS (SELECT 1 FROM work.approval_responses r
                          WHERE r.tenant_id = NEW.tenant_id AND r.request_id = NEW.request_id
                            AND r.approver_id = earlier.approver_id
                            AND r.decision IN ('approve', 'approve_with_conditions'))) THEN
        RAISE EXCEPTION 'sequential approval: an earlier approver has not approved yet'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'approval_responses_in_sequence';
    END IF;

    IF NEW.decision = 'reject' THEN
        UPDATE work.approval_requests
        SET status = 'rejected', final_decision = 'reject', completed_at = greatest(NEW.responded_at, requested_at)
        WHERE tenant_id = NEW.tenant_id AND id = NEW.request_id;
        RETURN NULL;
    END IF;

    SELECT count(*) FILTER (WHERE decision IN ('approve', 'approve_with_conditions')),
           coalesce(bool_or(decision = 'approve_with_conditions'), false)
    INTO approvals, conditional
    FROM work.approval_responses
    WHERE tenant_id = NEW.tenant_id AND request_id = NEW.request_id;

    IF approvals >= workflow.required_approvals THEN
        UPDATE work.approval_requests
        SET status = 'approved',
            final_decision = CASE WHEN conditional THEN 'approve_with_conditions' ELSE 'approve' END,
            completed_at = greatest(NEW.responded_at, requested_at)
        WHERE tenant_id = NEW.tenant_id AND id = NEW.request_id;
    ELSE
        UPDATE work.approval_requests SET status = 'in_review'
        WHERE tenant_id = NEW.tenant_id AND id = NEW.request_id AND status = 'pending';
    END IF;
    RETURN NULL;
END
$$;

ALTER FUNCTION work.apply_approval_response() OWNER TO tenantbase_platform;

-- Name: architecture_decisions_superseded_by_acyclic(); Type: FUNCTION; Schema: work; Owner: tenantbase_platform
--
CREATE FUNCTION work.architecture_decisions_superseded_by_acyclic() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
           DECLARE
               ancestors uuid[];
               locked uuid[] := '{}';
           BEGIN
               PERFORM tenancy.require_tenant(NEW.tenant_id);
               LOOP
                   SELECT array_agg(id) INTO ancestors
                   FROM (SELECT id FROM work.architecture_decisions WHERE tenant_id = NEW.tenant_id AND id = ANY (ARRAY(WITH RECURSIVE up (id) AS (
             SELECT NEW.superseded_by
             UNION
             SELECT p.superseded_by FROM up JOIN work.architecture_decisions p ON p.tenant_id = NEW.tenant_id AND p.id = up.id
             WHERE up.id <> NEW.id AND p.superseded_by IS NOT NULL)
         SELECT id FROM up))
                         ORDER BY id FOR SHARE) AS locked_now;
                   locked := locked || ancestors;
                   SELECT array_agg(id) INTO ancestors FROM (WITH RECURSIVE up (id) AS (
             SELECT NEW.superseded_by
             UNION
             SELECT p.superseded_by FROM up JOIN work.architecture_decisions p ON p.tenant_id = NEW.tenant_id AND p.id = up.id
             WHERE up.id <> NEW.id AND p.superseded_by IS NOT NULL)
         SELECT id FROM up) AS read_again;
                   IF NEW.id = ANY (ancestors) THEN
                       RAISE EXCEPTION 'a row of work.architecture_decisions cannot be its own ancestor'
                           USING ERRCODE = 'check_violation', CONSTRAINT = 'architecture_decisions_no_supersession_cycle',
                                 SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, COLUMN = 'superseded_by';
                   END IF;
                   EXIT WHEN ancestors <@ locked;
               END LOOP;
               RETURN NULL;
           END
           $$;

ALTER FUNCTION work.architecture_decisions_superseded_by_acyclic() OWNER TO tenantbase_platform;

-- Name: FUNCTION architecture_decisions_superseded_by_acyclic(); Type: COMMENT; Schema: work; Owner: tenantbase_platform
--
COMMENT ON FUNCTION work.architecture_decisions_superseded_by_acyclic() IS 'Trigger: refuses a work.architecture_decisions.superseded_by chain that loops back (generated by tenancy.guard_parent_chain).';

-- Name: requirements_parent_requirement_id_acyclic(); Type: FUNCTION; Schema: work; Owner: tenantbase_platform
--
CREATE FUNCTION work.requirements_parent_requirement_id_acyclic() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
           DECLARE
               ancestors uuid[];
               locked uuid[] := '{}';
           BEGIN
               PERFORM tenancy.require_tenant(NEW.tenant_id);
               LOOP
                   SELECT array_agg(id) INTO ancestors
                   FROM (SELECT id FROM work.requirements WHERE tenant_id = NEW.tenant_id AND id = ANY (ARRAY(WITH RECURSIVE up (id) AS (
             SELECT NEW.parent_requirement_id
             UNION
             SELECT p.parent_requirement_id FROM up JOIN work.requirements p ON p.tenant_id = NEW.tenant_id AND p.id = up.id
             WHERE up.id <> NEW.id AND p.parent_requirement_id IS NOT NULL)
         SELECT id FROM up))
                         ORDER BY id FOR SHARE) AS locked_now;
                   locked := locked || ancestors;
                   SELECT array_agg(id) INTO ancestors FROM (WITH RECURSIVE up (id) AS (
             SELECT NEW.parent_requirement_id
             UNION
             SELECT p.parent_requirement_id FROM up JOIN work.requirements p ON p.tenant_id = NEW.tenant_id AND p.id = up.id
             WHERE up.id <> NEW.id AND p.parent_requirement_id IS NOT NULL)
         SELECT id FROM up) AS read_again;
                   IF NEW.id = ANY (ancestors) THEN
                       RAISE EXCEPTION 'a row of work.requirements cannot be its own ancestor'
                           USING ERRCODE = 'check_violation', CONSTRAINT = 'requirements_no_ancestor_cycle',
                                 SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, COLUMN = 'parent_requirement_id';
                   END IF;
                   EXIT WHEN ancestors <@ locked;
               END LOOP;
               RETURN NULL;
           END
           $$;

ALTER FUNCTION work.requirements_parent_requirement_id_acyclic() OWNER TO tenantbase_platform;

-- Name: FUNCTION requirements_parent_requirement_id_acyclic(); Type: COMMENT; Schema: work; Owner: tenantbase_platform
--
COMMENT ON FUNCTION work.requirements_parent_requirement_id_acyclic() IS 'Trigger: refuses a work.requirements.parent_requirement_id chain that loops back (generated by tenancy.guard_parent_chain).';

-- Name: requirements_previous_version_id_acyclic(); Type: FUNCTION; Schema: work; Owner: tenantbase_platform
--
CREATE FUNCTION work.requirements_previous_version_id_acyclic() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
           DECLARE
               ancestors uuid[];
               locked uuid[] := '{}';
           BEGIN
               PERFORM tenancy.require_tenant(NEW.tenant_id);
               LOOP
                   SELECT array_agg(id) INTO ancestors
                   FROM (SELECT id FROM work.requirements WHERE tenant_id = NEW.tenant_id AND id = ANY (ARRAY(WITH RECURSIVE up (id) AS (
             SELECT NEW.previous_version_id
             UNION
             SELECT p.previous_version_id FROM up JOIN work.requirements p ON p.tenant_id = NEW.tenant_id AND p.id = up.id
             WHERE up.id <> NEW.id AND p.previous_version_id IS NOT NULL)
         SELECT id FROM up))
                         ORDER BY id FOR SHARE) AS locked_now;
                   locked := locked || ancestors;
                   SELECT array_agg(id) INTO ancestors FROM (WITH RECURSIVE up (id) AS (
             SELECT NEW.previous_version_id
             UNION
             SELECT p.previous_version_id FROM up JOIN work.requirements p ON p.tenant_id = NEW.tenant_id AND p.id = up.id
             WHERE up.id <> NEW.id AND p.previous_version_id IS NOT NULL)
         SELECT id FROM up) AS read_again;
                   IF NEW.id = ANY (ancestors) THEN
                       RAISE EXCEPTION 'a row of work.requirements cannot be its own ancestor'
                           USING ERRCODE = 'check_violation', CONSTRAINT = 'requirements_no_version_cycle',
                                 SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, COLUMN = 'previous_version_id';
                   END IF;
                   EXIT WHEN ancestors <@ locked;
               END LOOP;
               RETURN NULL;
           END
           $$;

ALTER FUNCTION work.requirements_previous_version_id_acyclic() OWNER TO tenantbase_platform;

-- Name: FUNCTION requirements_previous_version_id_acyclic(); Type: COMMENT; Schema: work; Owner: tenantbase_platform
--
COMMENT ON FUNCTION work.requirements_previous_version_id_acyclic() IS 'Trigger: refuses a work.requirements.previous_version_id chain that loops back (generated by tenancy.guard_parent_chain).';

-- Name: retire_previous_version(); Type: FUNCTION; Schema: work; Owner: tenantbase_owner
--
CREATE FUNCTION work.retire_previous_version() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    UPDATE work.requirements SET is_current_version = false
    WHERE tenant_id = NEW.tenant_id AND id = NEW.previous_version_id AND is_current_version;
    RETURN NULL;
END
$$;

ALTER FUNCTION work.retire_previous_version() OWNER TO tenantbase_owner;

-- Name: tasks_parent_task_id_acyclic(); Type: FUNCTION; Schema: work; Owner: tenantbase_platform
--
CREATE FUNCTION work.tasks_parent_task_id_acyclic() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
           DECLARE
               ancestors uuid[];
               locked uuid[] := '{}';
           BEGIN
               PERFORM tenancy.require_tenant(NEW.tenant_id);
               LOOP
                   SELECT array_agg(id) INTO ancestors
                   FROM (SELECT id FROM work.tasks WHERE tenant_id = NEW.tenant_id AND id = ANY (ARRAY(WITH RECURSIVE up (id) AS (
             SELECT NEW.parent_task_id
             UNION
             SELECT p.parent_task_id FROM up JOIN work.tasks p ON p.tenant_id = NEW.tenant_id AND p.id = up.id
             WHERE up.id <> NEW.id AND p.parent_task_id IS NOT NULL)
         SELECT id FROM up))
                         ORDER BY id FOR SHARE) AS locked_now;
                   locked := locked || ancestors;
                   SELECT array_agg(id) INTO ancestors FROM (WITH RECURSIVE up (id) AS (
             SELECT NEW.parent_task_id
             UNION
             SELECT p.parent_task_id FROM up JOIN work.tasks p ON p.tenant_id = NEW.tenant_id AND p.id = up.id
             WHERE up.id <> NEW.id AND p.parent_task_id IS NOT NULL)
         SELECT id FROM up) AS read_again;
                   IF NEW.id = ANY (ancestors) THEN
                       RAISE EXCEPTION 'a row of work.tasks cannot be its own ancestor'
                           USING ERRCODE = 'check_violation', CONSTRAINT = 'tasks_no_ancestor_cycle',
                                 SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, COLUMN = 'parent_task_id';
                   END IF;
                   EXIT WHEN ancestors <@ locked;
               END LOOP;
               RETURN NULL;
           END
           $$;

ALTER FUNCTION work.tasks_parent_task_id_acyclic() OWNER TO tenantbase_platform;

-- Name: FUNCTION tasks_parent_task_id_acyclic(); Type: COMMENT; Schema: work; Owner: tenantbase_platform
--
COMMENT ON FUNCTION work.tasks_parent_task_id_acyclic() IS 'Trigger: refuses a work.tasks.parent_task_id chain that loops back (generated by tenancy.guard_parent_chain).';

-- Name: conversations; Type: TABLE; Schema: agents; Owner: tenantbase_owner
--
CREATE TABLE agents.conversations (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid,
    context text NOT NULL,
    status text DEFAULT 'active'::text NOT NULL,
    subject text,
    channel text DEFAULT 'chat'::text NOT NULL,
    message_count integer DEFAULT 0 NOT NULL,
    last_message_at timestamp with time zone,
    closed_at timestamp with time zone,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT conversations_channel_format CHECK ((channel ~ '^[a-z_]+$'::text)),
    CONSTRAINT conversations_closed_needs_time CHECK (((status <> 'closed'::text) OR (closed_at IS NOT NULL))),
    CONSTRAINT conversations_context_vocabulary CHECK ((context = ANY (ARRAY['support'::text, 'sales'::text]))),
    CONSTRAINT conversations_metadata_object CHECK ((jsonb_typeof(metadata) = 'object'::text)),
    CONSTRAINT conversations_status_vocabulary CHECK ((status = ANY (ARRAY['active'::text, 'waiting'::text, 'resolved'::text, 'closed'::text]))),
    CONSTRAINT conversations_valid_close CHECK (((closed_at IS NULL) OR (closed_at >= created_at))),
    CONSTRAINT conversations_valid_message_count CHECK ((message_count >= 0))
);

ALTER TABLE ONLY agents.conversations FORCE ROW LEVEL SECURITY;

ALTER TABLE agents.conversations OWNER TO tenantbase_owner;

-- Name: credit_ledger; Type: TABLE; Schema: agents; Owner: tenantbase_owner
--
CREATE TABLE agents.credit_ledger (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    kind text NOT NULL,
    task_id uuid,
    amount integer NOT NULL,
    balance_after integer NOT NULL,
    used_this_month_after integer NOT NULL,
    period date,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT credit_ledger_amount_sign CHECK (
CASE kind
    WHEN 'charge'::text THEN (amount <= 0)
    WHEN 'top_up'::text THEN (amount > 0)
    ELSE (amount = 0)
END),
    CONSTRAINT credit_ledger_kind_vocabulary CHECK ((kind = ANY (ARRAY['charge'::text, 'top_up'::text, 'monthly_reset'::text]))),
    CONSTRAINT credit_ledger_period_is_month CHECK ((period = (date_trunc('month'::text, (period)::timestamp with time zone))::date)),
    CONSTRAINT credit_ledger_reset_has_period CHECK (((kind = 'monthly_reset'::text) = (period IS NOT NULL))),
    CONSTRAINT credit_ledger_valid_balance CHECK ((balance_after >= 0)),
    CONSTRAINT credit_ledger_valid_usage CHECK ((used_this_month_after >= 0))
);

ALTER TABLE ONLY agents.credit_ledger FORCE ROW LEVEL SECURITY;

ALTER TABLE agents.credit_ledger OWNER TO tenantbase_owner;

-- Name: TABLE credit_ledger; Type: COMMENT; Schema: agents; Owner: tenantbase_owner
--
COMMENT ON TABLE agents.credit_ledger IS 'Every change to a tenant''s credits: charges (one per task), top-ups, monthly resets.';

-- Name: messages; Type: TABLE; Schema: agents; Owner: tenantbase_owner
--
CREATE TABLE agents.messages (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    conversation_id uuid NOT NULL,
    sequence integer DEFAULT 0 NOT NULL,
    author_type text NOT NULL,
    author_user_id uuid,
    content text NOT NULL,
    ai_model text,
    tokens_used integer,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT messages_ai_has_no_user CHECK (((author_type <> 'ai'::text) OR (author_user_id IS NULL))),
    CONSTRAINT messages_author_type_vocabulary CHECK ((author_type = ANY (ARRAY['ai'::text, 'human'::text, 'system'::text]))),
    CONSTRAINT messages_human_has_author CHECK (((author_type <> 'human'::text) OR (author_user_id IS NOT NULL))),
    CONSTRAINT messages_metadata_object CHECK ((jsonb_typeof(metadata) = 'object'::text)),
    CONSTRAINT messages_valid_tokens CHECK ((tokens_used >= 0))
);

ALTER TABLE ONLY agents.messages FORCE ROW LEVEL SECURITY;

ALTER TABLE agents.messages OWNER TO tenantbase_owner;

-- Name: task_dependencies; Type: TABLE; Schema: agents; Owner: tenantbase_owner
--
CREATE TABLE agents.task_dependencies (
    tenant_id uuid NOT NULL,
    task_id uuid NOT NULL,
    depends_on_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT task_dependencies_not_self CHECK ((task_id <> depends_on_id))
);

ALTER TABLE ONLY agents.task_dependencies FORCE ROW LEVEL SECURITY;

ALTER TABLE agents.task_dependencies OWNER TO tenantbase_owner;

-- Name: TABLE task_dependencies; Type: COMMENT; Schema: agents; Owner: tenantbase_owner
--
COMMENT ON TABLE agents.task_dependencies IS 'task_id waits for depends_on_id (the documents'' depends_on; blocks read backwards).';

-- Name: task_results; Type: TABLE; Schema: agents; Owner: tenantbase_owner
--
CREATE TABLE agents.task_results (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    task_id uuid NOT NULL,
    attempt integer NOT NULL,
    status text NOT NULL,
    output jsonb,
    error_details jsonb,
    ai_model text,
    ai_provider text,
    tokens_input integer,
    tokens_output integer,
    cost integer,
    processing_time_ms integer,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    completed_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT task_results_failure_explained CHECK (((status = 'succeeded'::text) OR (error_details IS NOT NULL))),
    CONSTRAINT task_results_status_vocabulary CHECK ((status = ANY (ARRAY['succeeded'::text, 'failed'::text, 'timed_out'::text, 'cancelled'::text]))),
    CONSTRAINT task_results_valid_attempt CHECK ((attempt >= 1)),
    CONSTRAINT task_results_valid_completion CHECK (((completed_at IS NULL) OR (completed_at >= started_at))),
    CONSTRAINT task_results_valid_cost CHECK ((cost >= 0)),
    CONSTRAINT task_results_valid_processing_time CHECK ((processing_time_ms >= 0)),
    CONSTRAINT task_results_valid_tokens_input CHECK ((tokens_input >= 0)),
    CONSTRAINT task_results_valid_tokens_output CHECK ((tokens_output >= 0))
);

ALTER TABLE ONLY agents.task_results FORCE ROW LEVEL SECURITY;

ALTER TABLE agents.task_results OWNER TO tenantbase_owner;

-- Name: TABLE task_results; Type: COMMENT; Schema: agents; Owner: tenantbase_owner
--
COMMENT ON TABLE agents.task_results IS 'Each execution attempt of a task (the platform''s agent_results).';

-- Name: tasks; Type: TABLE; Schema: agents; Owner: tenantbase_owner
--
CREATE TABLE agents.tasks (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    type text NOT NULL,
    category text NOT NULL,
    name text NOT NULL,
    description text,
    status text DEFAULT 'pending'::text NOT NULL,
    priority integer DEFAULT 5 NOT NULL,
    input jsonb NOT NULL,
    output jsonb,
    error_details jsonb,
    worker_type text DEFAULT 'ai'::text NOT NULL,
    ai_model text,
    ai_provider text,
    processing_time_ms integer,
    estimated_cost integer,
    actual_cost integer,
    cost_breakdown jsonb,
    created_by uuid,
    assigned_to uuid,
    parent_task_id uuid,
    workflow_id uuid,
    scheduled_for timestamp with time zone,
    started_at timestamp with time zone,
    completed_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    context jsonb DEFAULT '{}'::jsonb NOT NULL,
    tags text[] DEFAULT '{}'::text[] NOT NULL,
    quality_score numeric(3,2),
    user_feedback jsonb,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT tasks_category_vocabulary CHECK ((category = ANY (ARRAY['content'::text, 'ecommerce'::text, 'customer_service'::text, 'analytics'::text]))),
    CONSTRAINT tasks_context_object CHECK ((jsonb_typeof(context) = 'object'::text)),
    CONSTRAINT tasks_name_not_blank CHECK ((btrim(name) <> ''::text)),
    CONSTRAINT tasks_no_self_parent CHECK ((id <> parent_task_id)),
    CONSTRAINT tasks_status_vocabulary CHECK ((status = ANY (ARRAY['pending'::text, 'queued'::text, 'processing'::text, 'completed'::text, 'failed'::text, 'cancelled'::text, 'escalated'::text, 'awaiting_credits'::text]))),
    CONSTRAINT tasks_type_format CHECK ((type ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$'::text)),
    CONSTRAINT tasks_valid_actual_cost CHECK ((actual_cost >= 0)),
    CONSTRAINT tasks_valid_completion CHECK (((completed_at IS NULL) OR (started_at IS NULL) OR (completed_at >= started_at))),
    CONSTRAINT tasks_valid_estimated_cost CHECK ((estimated_cost >= 0)),
    CONSTRAINT tasks_valid_priority CHECK (((priority >= 1) AND (priority <= 10))),
    CONSTRAINT tasks_valid_processing_time CHECK ((processing_time_ms >= 0)),
    CONSTRAINT tasks_valid_quality_score CHECK (((quality_score >= (0)::numeric) AND (quality_score <= (5)::numeric))),
    CONSTRAINT tasks_worker_type_vocabulary CHECK ((worker_type = ANY (ARRAY['ai'::text, 'human'::text, 'integration'::text, 'webhook'::text])))
);

ALTER TABLE ONLY agents.tasks FORCE ROW LEVEL SECURITY;

ALTER TABLE agents.tasks OWNER TO tenantbase_owner;

-- Name: TABLE tasks; Type: COMMENT; Schema: agents; Owner: tenantbase_owner
--
COMMENT ON TABLE agents.tasks IS 'AI and human tasks (BizQ tasks, the platform''s agent_tasks), costed in credits.';

-- Name: analytics_events; Type: TABLE; Schema: analytics; Owner: tenantbase_owner
--
CREATE TABLE analytics.analytics_events (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    event_type text NOT NULL,
    event_name text NOT NULL,
    user_id uuid,
    session_id text,
    source text,
    properties jsonb DEFAULT '{}'::jsonb NOT NULL,
    revenue numeric(12,2),
    currency character(3) DEFAULT 'USD'::bpchar NOT NULL,
    product_id uuid,
    customer_id uuid,
    order_id uuid,
    task_id uuid,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT analytics_events_currency_format CHECK ((currency ~ '^[A-Z]{3}$'::text)),
    CONSTRAINT analytics_events_event_name_not_blank CHECK ((btrim(event_name) <> ''::text)),
    CONSTRAINT analytics_events_event_type_format CHECK ((event_type ~ '^[a-z][a-z0-9_.]*$'::text)),
    CONSTRAINT analytics_events_properties_object CHECK ((jsonb_typeof(properties) = 'object'::text))
)
PARTITION BY RANGE (occurred_at);

ALTER TABLE ONLY analytics.analytics_events FORCE ROW LEVEL SECURITY;

ALTER TABLE analytics.analytics_events OWNER TO tenantbase_owner;

-- Name: analytics_events_default; Type: TABLE; Schema: analytics; Owner: tenantbase_owner
--
CREATE TABLE analytics.analytics_events_default (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    event_type text NOT NULL,
    event_name text NOT NULL,
    user_id uuid,
    session_id text,
    source text,
    properties jsonb DEFAULT '{}'::jsonb NOT NULL,
    revenue numeric(12,2),
    currency character(3) DEFAULT 'USD'::bpchar NOT NULL,
    product_id uuid,
    customer_id uuid,
    order_id uuid,
    task_id uuid,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT analytics_events_currency_format CHECK ((currency ~ '^[A-Z]{3}$'::text)),
    CONSTRAINT analytics_events_event_name_not_blank CHECK ((btrim(event_name) <> ''::text)),
    CONSTRAINT analytics_events_event_type_format CHECK ((event_type ~ '^[a-z][a-z0-9_.]*$'::text)),
    CONSTRAINT analytics_events_properties_object CHECK ((jsonb_typeof(properties) = 'object'::text))
);

ALTER TABLE ONLY analytics.analytics_events_default FORCE ROW LEVEL SECURITY;

ALTER TABLE analytics.analytics_events_default OWNER TO tenantbase_owner;

-- Name: project_analytics; Type: TABLE; Schema: analytics; Owner: tenantbase_owner
--
CREATE TABLE analytics.project_analytics (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    project_id uuid NOT NULL,
    snapshot_date date DEFAULT CURRENT_DATE NOT NULL,
    total_tasks integer DEFAULT 0 NOT NULL,
    completed_tasks integer DEFAULT 0 NOT NULL,
    in_progress_tasks integer DEFAULT 0 NOT NULL,
    blocked_tasks integer DEFAULT 0 NOT NULL,
    total_estimated_hours numeric(10,2) DEFAULT 0 NOT NULL,
    total_actual_hours numeric(10,2) DEFAULT 0 NOT NULL,
    requirements_completeness numeric(3,2),
    architecture_coherence_score numeric(3,2),
    risk_score numeric(3,2),
    active_team_members integer DEFAULT 0 NOT NULL,
    collaboration_sessions_count integer DEFAULT 0 NOT NULL,
    custom_metrics jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT project_analytics_task_counts CHECK ((((completed_tasks + in_progress_tasks) + blocked_tasks) <= total_tasks)),
    CONSTRAINT project_analytics_valid_actual_hours CHECK ((total_actual_hours >= (0)::numeric)),
    CONSTRAINT project_analytics_valid_blocked_tasks CHECK ((blocked_tasks >= 0)),
    CONSTRAINT project_analytics_valid_coherence CHECK ((architecture_coherence_score >= (0)::numeric)),
    CONSTRAINT project_analytics_valid_completed_tasks CHECK ((completed_tasks >= 0)),
    CONSTRAINT project_analytics_valid_completeness CHECK (((requirements_completeness >= (0)::numeric) AND (requirements_completeness <= (1)::numeric))),
    CONSTRAINT project_analytics_valid_estimated_hours CHECK ((total_estimated_hours >= (0)::numeric)),
    CONSTRAINT project_analytics_valid_in_progress_tasks CHECK ((in_progress_tasks >= 0)),
    CONSTRAINT project_analytics_valid_risk_score CHECK ((risk_score >= (0)::numeric)),
    CONSTRAINT project_analytics_valid_sessions CHECK ((collaboration_sessions_count >= 0)),
    CONSTRAINT project_analytics_valid_team_members CHECK ((active_team_members >= 0))
);

ALTER TABLE ONLY analytics.project_analytics FORCE ROW LEVEL SECURITY;

ALTER TABLE analytics.project_analytics OWNER TO tenantbase_owner;

-- Name: projects; Type: TABLE; Schema: work; Owner: tenantbase_owner
--
CREATE TABLE work.projects (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name character varying(255) NOT NULL,
    description text,
    status text DEFAULT 'initiation'::text NOT NULL,
    complexity work.complexity_level DEFAULT 'moderate'::work.complexity_level NOT NULL,
    priority work.priority DEFAULT 'medium'::work.priority NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid NOT NULL,
    start_date date,
    target_end_date date,
    actual_end_date date,
    budget_allocated numeric(12,2),
    budget_used numeric(12,2),
    currency character(3) DEFAULT 'USD'::bpchar NOT NULL,
    settings jsonb DEFAULT '{}'::jsonb NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    search_vector tsvector GENERATED ALWAYS AS ((setweight(to_tsvector('english'::regconfig, (COALESCE(name, ''::character varying))::text), 'A'::"char") || setweight(to_tsvector('english'::regconfig, COALESCE(description, ''::text)), 'B'::"char"))) STORED,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT projects_currency_format CHECK ((currency ~ '^[A-Z]{3}$'::text)),
    CONSTRAINT projects_metadata_object CHECK ((jsonb_typeof(metadata) = 'object'::text)),
    CONSTRAINT projects_name_not_blank CHECK ((btrim((name)::text) <> ''::text)),
    CONSTRAINT projects_settings_object CHECK ((jsonb_typeof(settings) = 'object'::text)),
    CONSTRAINT projects_status_vocabulary CHECK ((status = ANY (ARRAY['initiation'::text, 'analysis'::text, 'design'::text, 'planning'::text, 'execution'::text, 'completed'::text, 'cancelled'::text, 'on_hold'::text]))),
    CONSTRAINT projects_valid_actual_end CHECK (((start_date IS NULL) OR (actual_end_date IS NULL) OR (start_date <= actual_end_date))),
    CONSTRAINT projects_valid_budget CHECK (((budget_allocated IS NULL) OR (budget_allocated >= (0)::numeric))),
    CONSTRAINT projects_valid_budget_used CHECK (((budget_used IS NULL) OR (budget_used >= (0)::numeric))),
    CONSTRAINT projects_valid_dates CHECK (((start_date IS NULL) OR (target_end_date IS NULL) OR (start_date <= target_end_date)))
);

ALTER TABLE ONLY work.projects FORCE ROW LEVEL SECURITY;

ALTER TABLE work.projects OWNER TO tenantbase_owner;

-- Name: analytics_summary; Type: VIEW; Schema: analytics; Owner: tenantbase_owner
--
CREATE VIEW analytics.analytics_summary WITH (security_invoker='true') AS
 SELECT p.tenant_id,
    p.id AS project_id,
    p.name,
    s.snapshot_date,
    s.total_tasks,
    s.completed_tasks,
        CASE
            WHEN (s.total_tasks > 0) THEN round(((s.completed_tasks)::numeric / (s.total_tasks)::numeric), 2)
            ELSE NULL::numeric
        END AS completion_ratio,
    (s.completed_tasks - w.completed_tasks) AS completed_in_7_days,
    (s.total_actual_hours - s.total_estimated_hours) AS hours_over_estimate,
    s.requirements_completeness,
    s.risk_score,
    s.active_team_members,
    s.collaboration_sessions_count
   FROM ((work.projects p
     CROSS JOIN LATERAL ( SELECT a.tenant_id,
            a.id,
            a.project_id,
            a.snapshot_date,
            a.total_tasks,
            a.completed_tasks,
            a.in_progress_tasks,
            a.blocked_tasks,
            a.total_estimated_hours,
            a.total_actual_hours,
            a.requirements_completeness,
            a.architecture_coherence_score,
            a.risk_score,
            a.active_team_members,
            a.collaboration_sessions_count,
            a.custom_metrics,
            a.created_at,
            a.updated_at
           FROM analytics.project_analytics a
          WHERE ((a.tenant_id = p.tenant_id) AND (a.project_id = p.id))
          ORDER BY a.snapshot_date DESC
         LIMIT 1) s)
     LEFT JOIN LATERAL ( SELECT a.completed_tasks
           FROM analytics.project_analytics a
          WHERE ((a.tenant_id = p.tenant_id) AND (a.project_id = p.id) AND (a.snapshot_date <= (s.snapshot_date - 7)))
          ORDER BY a.snapshot_date DESC
         LIMIT 1) w ON (true));

ALTER TABLE analytics.analytics_summary OWNER TO tenantbase_owner;

-- Name: VIEW analytics_summary; Type: COMMENT; Schema: analytics; Owner: tenantbase_owner
--
COMMENT ON VIEW analytics.analytics_summary IS 'The orchestrator''s analytics summary: each project''s latest snapshot, completion, progress over 7 days, hours over estimate and risk.';

-- Name: approval_requests; Type: TABLE; Schema: work; Owner: tenantbase_owner
--
CREATE TABLE work.approval_requests (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    workflow_id uuid NOT NULL,
    project_id uuid NOT NULL,
    title character varying(500) NOT NULL,
    description text NOT NULL,
    request_type text NOT NULL,
    subject_type character varying(50) NOT NULL,
    subject_id uuid NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    requested_at timestamp with time zone DEFAULT now() NOT NULL,
    due_date timestamp with time zone,
    completed_at timestamp with time zone,
    requested_by uuid NOT NULL,
    final_decision text,
    decision_notes text,
    context_data jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT approval_requests_decision_matches_status CHECK (
CASE status
    WHEN 'approved'::text THEN ((final_decision = ANY (ARRAY['approve'::text, 'approve_with_conditions'::text])) AND (completed_at IS NOT NULL))
    WHEN 'rejected'::text THEN ((final_decision = 'reject'::text) AND (completed_at IS NOT NULL))
    ELSE (final_decision IS NULL)
END),
    CONSTRAINT approval_requests_request_type_vocabulary CHECK ((request_type = ANY (ARRAY['requirement'::text, 'architecture'::text, 'design'::text, 'implementation'::text, 'deployment'::text, 'change_request'::text]))),
    CONSTRAINT approval_requests_status_vocabulary CHECK ((status = ANY (ARRAY['pending'::text, 'in_review'::text, 'approved'::text, 'rejected'::text, 'cancelled'::text, 'expired'::text]))),
    CONSTRAINT approval_requests_subject_type_format CHECK (((subject_type)::text ~ '^[a-z_]+$'::text)),
    CONSTRAINT approval_requests_title_not_blank CHECK ((btrim((title)::text) <> ''::text)),
    CONSTRAINT approval_requests_valid_completion CHECK (((completed_at IS NULL) OR (completed_at >= requested_at))),
    CONSTRAINT approval_requests_valid_due_date CHECK (((due_date IS NULL) OR (due_date > requested_at)))
);

ALTER TABLE ONLY work.approval_requests FORCE ROW LEVEL SECURITY;

ALTER TABLE work.approval_requests OWNER TO tenantbase_owner;

-- Name: project_risks; Type: TABLE; Schema: work; Owner: tenantbase_owner
--
CREATE TABLE work.project_risks (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    project_id uuid NOT NULL,
    title character varying(500) NOT NULL,
    description text NOT NULL,
    category text NOT NULL,
    probability work.risk_probability NOT NULL,
    impact work.risk_impact NOT NULL,
    risk_score numeric(3,2) GENERATED ALWAYS AS ((
CASE probability
    WHEN 'very_low'::work.risk_probability THEN 0.1
    WHEN 'low'::work.risk_probability THEN 0.3
    WHEN 'medium'::work.risk_probability THEN 0.5
    WHEN 'high'::work.risk_probability THEN 0.7
    WHEN 'very_high'::work.risk_probability THEN 0.9
    ELSE NULL::numeric
END * (
CASE impact
    WHEN 'very_low'::work.risk_impact THEN 1
    WHEN 'low'::work.risk_impact THEN 2
    WHEN 'medium'::work.risk_impact THEN 3
    WHEN 'high'::work.risk_impact THEN 4
    WHEN 'very_high'::work.risk_impact THEN 5
    ELSE NULL::integer
END)::numeric)) STORED,
    mitigation_strategy text,
    contingency_plan text,
    owner_id uuid,
    status text DEFAULT 'identified'::text NOT NULL,
    identified_at timestamp with time zone DEFAULT now() NOT NULL,
    mitigated_at timestamp with time zone,
    review_date date,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT project_risks_category_vocabulary CHECK ((category = ANY (ARRAY['technical'::text, 'business'::text, 'security'::text, 'performance'::text, 'resource'::text, 'schedule'::text, 'quality'::text, 'external'::text]))),
    CONSTRAINT project_risks_status_vocabulary CHECK ((status = ANY (ARRAY['identified'::text, 'assessed'::text, 'mitigated'::text, 'monitoring'::text, 'closed'::text, 'occurred'::text]))),
    CONSTRAINT project_risks_title_not_blank CHECK ((btrim((title)::text) <> ''::text)),
    CONSTRAINT project_risks_valid_mitigation CHECK (((mitigated_at IS NULL) OR (mitigated_at >= identified_at)))
);

ALTER TABLE ONLY work.project_risks FORCE ROW LEVEL SECURITY;

ALTER TABLE work.project_risks OWNER TO tenantbase_owner;

-- Name: requirements; Type: TABLE; Schema: work; Owner: tenantbase_owner
--
CREATE TABLE work.requirements (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    project_id uuid NOT NULL,
    parent_requirement_id uuid,
    title character varying(500) NOT NULL,
    description text NOT NULL,
    type text NOT NULL,
    priority work.priority DEFAULT 'medium'::work.priority NOT NULL,
    status text DEFAULT 'draft'::text NOT NULL,
    category character varying(100),
    source character varying(200),
    stakeholder_id uuid,
    complexity_score numeric(3,2),
    effort_estimate_hours numeric(8,2),
    risk_level work.risk_level DEFAULT 'medium'::work.risk_level NOT NULL,
    acceptance_criteria jsonb DEFAULT '[]'::jsonb NOT NULL,
    test_cases jsonb DEFAULT '[]'::jsonb NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    is_current_version boolean DEFAULT true NOT NULL,
    previous_version_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid NOT NULL,
    custom_attributes jsonb DEFAULT '{}'::jsonb NOT NULL,
    attachments jsonb DEFAULT '[]'::jsonb NOT NULL,
    search_vector tsvector GENERATED ALWAYS AS (((setweight(to_tsvector('english'::regconfig, (COALESCE(title, ''::character varying))::text), 'A'::"char") || setweight(to_tsvector('english'::regconfig, COALESCE(description, ''::text)), 'B'::"char")) || setweight(to_tsvector('english'::regconfig, (((COALESCE(category, ''::character varying))::text || ' '::text) || (COALESCE(source, ''::character varying))::text)), 'C'::"char"))) STORED,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT requirements_acceptance_criteria_array CHECK ((jsonb_typeof(acceptance_criteria) = 'array'::text)),
    CONSTRAINT requirements_attachments_array CHECK ((jsonb_typeof(attachments) = 'array'::text)),
    CONSTRAINT requirements_custom_attributes_object CHECK ((jsonb_typeof(custom_attributes) = 'object'::text)),
    CONSTRAINT requirements_no_self_parent CHECK ((id <> parent_requirement_id)),
    CONSTRAINT requirements_status_vocabulary CHECK ((status = ANY (ARRAY['draft'::text, 'review'::text, 'approved'::text, 'implemented'::text, 'tested'::text, 'accepted'::text, 'rejected'::text, 'deprecated'::text]))),
    CONSTRAINT requirements_test_cases_array CHECK ((jsonb_typeof(test_cases) = 'array'::text)),
    CONSTRAINT requirements_title_not_blank CHECK ((btrim((title)::text) <> ''::text)),
    CONSTRAINT requirements_type_vocabulary CHECK ((type = ANY (ARRAY['functional'::text, 'non_functional'::text, 'business'::text, 'technical'::text, 'security'::text, 'performance'::text, 'usability'::text, 'compliance'::text]))),
    CONSTRAINT requirements_valid_complexity_score CHECK ((complexity_score >= (0)::numeric)),
    CONSTRAINT requirements_valid_effort CHECK ((effort_estimate_hours >= (0)::numeric)),
    CONSTRAINT requirements_valid_version CHECK ((version >= 1)),
    CONSTRAINT requirements_versions_chain CHECK (((version = 1) = (previous_version_id IS NULL)))
);

ALTER TABLE ONLY work.requirements FORCE ROW LEVEL SECURITY;

ALTER TABLE work.requirements OWNER TO tenantbase_owner;

-- Name: tasks; Type: TABLE; Schema: work; Owner: tenantbase_owner
--
CREATE TABLE work.tasks (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    project_id uuid NOT NULL,
    parent_task_id uuid,
    title character varying(500) NOT NULL,
    description text,
    status text DEFAULT 'pending'::text NOT NULL,
    priority work.priority DEFAULT 'medium'::work.priority NOT NULL,
    complexity work.complexity_level DEFAULT 'moderate'::work.complexity_level NOT NULL,
    assigned_to uuid,
    assigned_at timestamp with time zone,
    assigned_by uuid,
    estimated_hours numeric(6,2),
    actual_hours numeric(6,2) DEFAULT 0 NOT NULL,
    started_at timestamp with time zone,
    completed_at timestamp with time zone,
    sequence_order integer,
    is_milestone boolean DEFAULT false NOT NULL,
    is_critical_path boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid NOT NULL,
    custom_fields jsonb DEFAULT '{}'::jsonb NOT NULL,
    attachments jsonb DEFAULT '[]'::jsonb NOT NULL,
    tags text[] DEFAULT '{}'::text[] NOT NULL,
    search_vector tsvector GENERATED ALWAYS AS ((setweight(to_tsvector('english'::regconfig, (COALESCE(title, ''::character varying))::text), 'A'::"char") || setweight(to_tsvector('english'::regconfig, COALESCE(description, ''::text)), 'B'::"char"))) STORED,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT tasks_attachments_array CHECK ((jsonb_typeof(attachments) = 'array'::text)),
    CONSTRAINT tasks_custom_fields_object CHECK ((jsonb_typeof(custom_fields) = 'object'::text)),
    CONSTRAINT tasks_no_self_reference CHECK ((id <> parent_task_id)),
    CONSTRAINT tasks_status_vocabulary CHECK ((status = ANY (ARRAY['pending'::text, 'in_progress'::text, 'completed'::text, 'blocked'::text, 'cancelled'::text, 'needs_review'::text, 'approved'::text, 'rejected'::text]))),
    CONSTRAINT tasks_title_not_blank CHECK ((btrim((title)::text) <> ''::text)),
    CONSTRAINT tasks_valid_actual_hours CHECK ((actual_hours >= (0)::numeric)),
    CONSTRAINT tasks_valid_completion CHECK (((completed_at IS NULL) OR (started_at IS NULL) OR (completed_at >= started_at))),
    CONSTRAINT tasks_valid_hours CHECK (((estimated_hours IS NULL) OR (estimated_hours >= (0)::numeric)))
);

ALTER TABLE ONLY work.tasks FORCE ROW LEVEL SECURITY;

ALTER TABLE work.tasks OWNER TO tenantbase_owner;

-- Name: project_dashboard; Type: VIEW; Schema: analytics; Owner: tenantbase_owner
--
CREATE VIEW analytics.project_dashboard WITH (security_invoker='true') AS
 SELECT p.tenant_id,
    p.id AS project_id,
    p.name,
    p.status,
    p.priority,
    p.start_date,
    p.target_end_date,
    p.budget_allocated,
    p.budget_used,
    p.currency,
    tasks.total_tasks,
    tasks.completed_tasks,
    tasks.in_progress_tasks,
    tasks.blocked_tasks,
        CASE
            WHEN (tasks.total_tasks > 0) THEN round(((tasks.completed_tasks)::numeric / (tasks.total_tasks)::numeric), 2)
            ELSE NULL::numeric
        END AS completion_ratio,
    tasks.estimated_hours,
    tasks.actual_hours,
    requirements.current_requirements,
    requirements.approved_requirements,
    risks.open_risks,
    risks.highest_risk_score,
    approvals.open_approval_requests,
    ((p.target_end_date < CURRENT_DATE) AND (p.status <> ALL (ARRAY['completed'::text, 'cancelled'::text]))) AS overdue
   FROM ((((work.projects p
     CROSS JOIN LATERAL ( SELECT count(*) AS total_tasks,
            count(*) FILTER (WHERE (tasks_1.status = 'completed'::text)) AS completed_tasks,
            count(*) FILTER (WHERE (tasks_1.status = 'in_progress'::text)) AS in_progress_tasks,
            count(*) FILTER (WHERE (tasks_1.status = 'blocked'::text)) AS blocked_tasks,
            COALESCE(sum(tasks_1.estimated_hours), (0)::numeric) AS estimated_hours,
            COALESCE(sum(tasks_1.actual_hours), (0)::numeric) AS actual_hours
           FROM work.tasks tasks_1
          WHERE ((tasks_1.tenant_id = p.tenant_id) AND (tasks_1.project_id = p.id))) tasks)
     CROSS JOIN LATERAL ( SELECT count(*) AS current_requirements,
            count(*) FILTER (WHERE (requirements_1.status = ANY (ARRAY['approved'::text, 'implemented'::text, 'tested'::text, 'accepted'::text]))) AS approved_requirements
           FROM work.requirements requirements_1
          WHERE ((requirements_1.tenant_id = p.tenant_id) AND (requirements_1.project_id = p.id) AND requirements_1.is_current_version)) requirements)
     CROSS JOIN LATERAL ( SELECT count(*) FILTER (WHERE (project_risks.status <> ALL (ARRAY['closed'::text, 'mitigated'::text]))) AS open_risks,
            max(project_risks.risk_score) FILTER (WHERE (project_risks.status <> ALL (ARRAY['closed'::text, 'mitigated'::text]))) AS highest_risk_score
           FROM work.project_risks
          WHERE ((project_risks.tenant_id = p.tenant_id) AND (project_risks.project_id = p.id))) risks)
     CROSS JOIN LATERAL ( SELECT count(*) AS open_approval_requests
           FROM work.approval_requests
          WHERE ((approval_requests.tenant_id = p.tenant_id) AND (approval_requests.project_id = p.id) AND (approval_requests.status = ANY (ARRAY['pending'::text, 'in_review'::text])))) approvals);

ALTER TABLE analytics.project_dashboard OWNER TO tenantbase_owner;

-- Name: VIEW project_dashboard; Type: COMMENT; Schema: analytics; Owner: tenantbase_owner
--
COMMENT ON VIEW analytics.project_dashboard IS 'The BDUF orchestrator''s project dashboard: progress, hours, requirements, risks and approvals per project.';

-- Name: task_performance; Type: VIEW; Schema: analytics; Owner: tenantbase_owner
--
CREATE VIEW analytics.task_performance WITH (security_invoker='true') AS
 SELECT tasks.tenant_id,
    tasks.type AS task_type,
    date_trunc('day'::text, tasks.created_at) AS date,
    count(*) AS total_executions,
    avg(tasks.processing_time_ms) AS avg_processing_time,
    avg(tasks.actual_cost) AS avg_cost,
    avg(tasks.quality_score) AS avg_quality_score,
    ((count(*) FILTER (WHERE (tasks.status = 'completed'::text)))::double precision / (count(*))::double precision) AS success_rate
   FROM agents.tasks
  WHERE (tasks.created_at >= (CURRENT_DATE - 30))
  GROUP BY tasks.tenant_id, tasks.type, (date_trunc('day'::text, tasks.created_at));

ALTER TABLE analytics.task_performance OWNER TO tenantbase_owner;

-- Name: VIEW task_performance; Type: COMMENT; Schema: analytics; Owner: tenantbase_owner
--
COMMENT ON VIEW analytics.task_performance IS 'BizQ''s task performance: per task type and day over the last 30 days.';

-- Name: orders; Type: TABLE; Schema: commerce; Owner: tenantbase_owner
--
CREATE TABLE commerce.orders (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    store_id uuid,
    customer_id uuid,
    external_id text NOT NULL,
    order_number text,
    total_amount numeric(12,2) NOT NULL,
    subtotal_amount numeric(12,2),
    tax_amount numeric(12,2) DEFAULT 0 NOT NULL,
    shipping_amount numeric(12,2) DEFAULT 0 NOT NULL,
    discount_amount numeric(12,2) DEFAULT 0 NOT NULL,
    currency character(3) DEFAULT 'USD'::bpchar NOT NULL,
    status text NOT NULL,
    fulfillment_status text,
    payment_status text,
    order_date timestamp with time zone NOT NULL,
    shipped_date timestamp with time zone,
    delivered_date timestamp with time zone,
    shipping_address jsonb,
    billing_address jsonb,
    shipping_method text,
    tracking_number text,
    tracking_url text,
    line_items jsonb NOT NULL,
    shipping_lines jsonb DEFAULT '[]'::jsonb NOT NULL,
    tax_lines jsonb DEFAULT '[]'::jsonb NOT NULL,
    discount_codes jsonb DEFAULT '[]'::jsonb NOT NULL,
    customer_email public.citext,
    customer_phone text,
    customer_notes text,
    processed_by text,
    processing_notes text,
    requires_attention boolean DEFAULT false NOT NULL,
    platform_data jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    synced_at timestamp with time zone,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT orders_currency_format CHECK ((currency ~ '^[A-Z]{3}$'::text)),
    CONSTRAINT orders_discount_codes_array CHECK ((jsonb_typeof(discount_codes) = 'array'::text)),
    CONSTRAINT orders_fulfillment_status_vocabulary CHECK ((fulfillment_status = ANY (ARRAY['pending'::text, 'processing'::text, 'shipped'::text, 'delivered'::text, 'cancelled'::text]))),
    CONSTRAINT orders_line_items_array CHECK ((jsonb_typeof(line_items) = 'array'::text)),
    CONSTRAINT orders_payment_status_vocabulary CHECK ((payment_status = ANY (ARRAY['pending'::text, 'paid'::text, 'partially_paid'::text, 'refunded'::text, 'voided'::text]))),
    CONSTRAINT orders_processed_by_vocabulary CHECK ((processed_by = ANY (ARRAY['ai'::text, 'human'::text, 'auto'::text]))),
    CONSTRAINT orders_shipping_lines_array CHECK ((jsonb_typeof(shipping_lines) = 'array'::text)),
    CONSTRAINT orders_status_vocabulary CHECK ((status = ANY (ARRAY['pending'::text, 'confirmed'::text, 'processing'::text, 'shipped'::text, 'delivered'::text, 'cancelled'::text, 'refunded'::text]))),
    CONSTRAINT orders_tax_lines_array CHECK ((jsonb_typeof(tax_lines) = 'array'::text)),
    CONSTRAINT orders_valid_delivered_date CHECK (((delivered_date IS NULL) OR (delivered_date >= COALESCE(shipped_date, order_date)))),
    CONSTRAINT orders_valid_discount_amount CHECK ((discount_amount >= (0)::numeric)),
    CONSTRAINT orders_valid_shipped_date CHECK (((shipped_date IS NULL) OR (shipped_date >= order_date))),
    CONSTRAINT orders_valid_shipping_amount CHECK ((shipping_amount >= (0)::numeric)),
    CONSTRAINT orders_valid_subtotal_amount CHECK ((subtotal_amount >= (0)::numeric)),
    CONSTRAINT orders_valid_tax_amount CHECK ((tax_amount >= (0)::numeric)),
    CONSTRAINT orders_valid_total_amount CHECK ((total_amount >= (0)::numeric))
);

ALTER TABLE ONLY commerce.orders FORCE ROW LEVEL SECURITY;

ALTER TABLE commerce.orders OWNER TO tenantbase_owner;

-- Name: products; Type: TABLE; Schema: commerce; Owner: tenantbase_owner
--
CREATE TABLE commerce.products (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    store_id uuid,
    external_id text,
    sku text,
    name text NOT NULL,
    description text,
    short_description text,
    price numeric(12,2),
    compare_at_price numeric(12,2),
    cost_price numeric(12,2),
    currency character(3) DEFAULT 'USD'::bpchar NOT NULL,
    inventory_quantity integer DEFAULT 0 NOT NULL,
    track_inventory boolean DEFAULT true NOT NULL,
    product_type text,
    vendor text,
    category text,
    tags text[] DEFAULT '{}'::text[] NOT NULL,
    status text DEFAULT 'active'::text NOT NULL,
    published_at timestamp with time zone,
    images jsonb DEFAULT '[]'::jsonb NOT NULL,
    featured_image text,
    seo_title text,
    seo_description text,
    handle text,
    has_variants boolean DEFAULT false NOT NULL,
    variant_options jsonb,
    ai_description_generated boolean DEFAULT false NOT NULL,
    ai_images_generated boolean DEFAULT false NOT NULL,
    ai_seo_optimized boolean DEFAULT false NOT NULL,
    ai_last_enhanced_at timestamp with time zone,
    platform_data jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    synced_at timestamp with time zone,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT products_currency_format CHECK ((currency ~ '^[A-Z]{3}$'::text)),
    CONSTRAINT products_handle_format CHECK ((handle ~ '^[a-z0-9]+(-[a-z0-9]+)*$'::text)),
    CONSTRAINT products_images_array CHECK ((jsonb_typeof(images) = 'array'::text)),
    CONSTRAINT products_name_not_blank CHECK ((btrim(name) <> ''::text)),
    CONSTRAINT products_status_vocabulary CHECK ((status = ANY (ARRAY['active'::text, 'inactive'::text, 'draft'::text, 'archived'::text]))),
    CONSTRAINT products_valid_compare_at_price CHECK ((compare_at_price >= (0)::numeric)),
    CONSTRAINT products_valid_cost_price CHECK ((cost_price >= (0)::numeric)),
    CONSTRAINT products_valid_inventory CHECK ((inventory_quantity >= 0)),
    CONSTRAINT products_valid_price CHECK ((price >= (0)::numeric))
);

ALTER TABLE ONLY commerce.products FORCE ROW LEVEL SECURITY;

ALTER TABLE commerce.products OWNER TO tenantbase_owner;

-- Name: tenants; Type: TABLE; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TABLE tenancy.tenants (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    slug public.citext NOT NULL,
    domain public.citext,
    description text,
    website_url text,
    status tenancy.tenant_status DEFAULT 'active'::tenancy.tenant_status NOT NULL,
    plan tenancy.plan DEFAULT 'starter'::tenancy.plan NOT NULL,
    subscription_status tenancy.subscription_status DEFAULT 'active'::tenancy.subscription_status NOT NULL,
    trial_ends_at timestamp with time zone,
    subscription_expires_at timestamp with time zone,
    credits_balance integer DEFAULT 100 NOT NULL,
    credits_used_this_month integer DEFAULT 0 NOT NULL,
    monthly_credit_limit integer DEFAULT 1000 NOT NULL,
    low_credit_threshold integer DEFAULT 10 NOT NULL,
    timezone text DEFAULT 'UTC'::text NOT NULL,
    currency character(3) DEFAULT 'USD'::bpchar NOT NULL,
    branding_config jsonb DEFAULT '{}'::jsonb NOT NULL,
    settings jsonb DEFAULT '{}'::jsonb NOT NULL,
    ai_preferences jsonb DEFAULT '{"quality_tier": "standard", "max_task_cost": 10.0, "cost_sensitivity": 0.5, "preferred_provider": "auto"}'::jsonb NOT NULL,
    billing_email public.citext,
    billing_address jsonb,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    row_version bigint DEFAULT 1 NOT NULL,
    erase_after timestamp with time zone,
    CONSTRAINT tenants_ai_preferences_check CHECK ((jsonb_typeof(ai_preferences) = 'object'::text)),
    CONSTRAINT tenants_branding_config_check CHECK ((jsonb_typeof(branding_config) = 'object'::text)),
    CONSTRAINT tenants_currency_format CHECK ((currency ~ '^[A-Z]{3}$'::text)),
    CONSTRAINT tenants_deletion_window CHECK ((((deleted_at IS NULL) = (erase_after IS NULL)) AND ((erase_after IS NULL) OR (erase_after >= deleted_at)))),
    CONSTRAINT tenants_domain_format CHECK ((domain OPERATOR(public.~) '^[a-z0-9.-]+\.[a-z]{2,}$'::public.citext)),
    CONSTRAINT tenants_low_credit_threshold_check CHECK ((low_credit_threshold >= 0)),
    CONSTRAINT tenants_name_check CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 255))),
    CONSTRAINT tenants_settings_check CHECK ((jsonb_typeof(settings) = 'object'::text)),
    CONSTRAINT tenants_slug_format CHECK ((slug OPERATOR(public.~) '^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$'::public.citext)),
    CONSTRAINT tenants_trial_needs_end CHECK (((subscription_status <> 'trial'::tenancy.subscription_status) OR (trial_ends_at IS NOT NULL))),
    CONSTRAINT tenants_valid_credits CHECK ((credits_balance >= 0)),
    CONSTRAINT tenants_valid_credits_used CHECK ((credits_used_this_month >= 0)),
    CONSTRAINT tenants_valid_monthly_limit CHECK ((monthly_credit_limit > 0))
);

ALTER TABLE ONLY tenancy.tenants FORCE ROW LEVEL SECURITY;

ALTER TABLE tenancy.tenants OWNER TO tenantbase_owner;

-- Name: TABLE tenants; Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON TABLE tenancy.tenants IS 'The isolation boundary: a company, workspace or organization.';

-- Name: COLUMN tenants.erase_after; Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON COLUMN tenancy.tenants.erase_after IS 'A deleted tenant is restorable until then, and erased by `tenantbase tenant purge` after: the window promised at its deletion.';

-- Name: tenant_dashboard; Type: VIEW; Schema: analytics; Owner: tenantbase_owner
--
CREATE VIEW analytics.tenant_dashboard WITH (security_invoker='true') AS
 SELECT t.id AS tenant_id,
    t.name AS tenant_name,
    t.plan,
    t.credits_balance,
    t.credits_used_this_month,
    tasks.pending_tasks,
    tasks.processing_tasks,
    tasks.awaiting_credits_tasks,
    tasks.tasks_completed_today,
    orders.revenue_30d,
    orders.orders_today,
    products.total_products,
    products.active_products
   FROM (((tenancy.tenants t
     CROSS JOIN LATERAL ( SELECT count(*) FILTER (WHERE (tasks_1.status = 'pending'::text)) AS pending_tasks,
            count(*) FILTER (WHERE (tasks_1.status = 'processing'::text)) AS processing_tasks,
            count(*) FILTER (WHERE (tasks_1.status = 'awaiting_credits'::text)) AS awaiting_credits_tasks,
            count(*) FILTER (WHERE ((tasks_1.status = 'completed'::text) AND (tasks_1.completed_at >= CURRENT_DATE))) AS tasks_completed_today
           FROM agents.tasks tasks_1
          WHERE (tasks_1.tenant_id = t.id)) tasks)
     CROSS JOIN LATERAL ( SELECT COALESCE(sum(orders_1.total_amount) FILTER (WHERE ((orders_1.order_date >= (CURRENT_DATE - 30)) AND (orders_1.status <> ALL (ARRAY['cancelled'::text, 'refunded'::text])))), (0)::numeric) AS revenue_30d,
            count(*) FILTER (WHERE (orders_1.order_date >= CURRENT_DATE)) AS orders_today
           FROM commerce.orders orders_1
          WHERE (orders_1.tenant_id = t.id)) orders)
     CROSS JOIN LATERAL ( SELECT count(*) AS total_products,
            count(*) FILTER (WHERE (products_1.status = 'active'::text)) AS active_products
           FROM commerce.products products_1
          WHERE (products_1.tenant_id = t.id)) products);

ALTER TABLE analytics.tenant_dashboard OWNER TO tenantbase_owner;

-- Name: VIEW tenant_dashboard; Type: COMMENT; Schema: analytics; Owner: tenantbase_owner
--
COMMENT ON VIEW analytics.tenant_dashboard IS 'BizQ''s workspace dashboard: credits, task queue, revenue and catalog of the acting tenant.';

-- Name: user_activities; Type: TABLE; Schema: analytics; Owner: tenantbase_owner
--
CREATE TABLE analytics.user_activities (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    project_id uuid,
    activity_type text NOT NULL,
    action character varying(100) NOT NULL,
    description text,
    entity_type character varying(50),
    entity_id uuid,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    ip_address inet,
    user_agent text,
    session_id character varying(255),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT user_activities_action_not_blank CHECK ((btrim((action)::text) <> ''::text)),
    CONSTRAINT user_activities_activity_type_vocabulary CHECK ((activity_type = ANY (ARRAY['create'::text, 'update'::text, 'delete'::text, 'view'::text, 'approve'::text, 'reject'::text, 'assign'::text, 'unassign'::text, 'comment'::text, 'collaborate'::text]))),
    CONSTRAINT user_activities_entity_pair CHECK (((entity_type IS NULL) = (entity_id IS NULL))),
    CONSTRAINT user_activities_metadata_object CHECK ((jsonb_typeof(metadata) = 'object'::text))
)
PARTITION BY RANGE (occurred_at);

ALTER TABLE ONLY analytics.user_activities FORCE ROW LEVEL SECURITY;

ALTER TABLE analytics.user_activities OWNER TO tenantbase_owner;

-- Name: user_activities_default; Type: TABLE; Schema: analytics; Owner: tenantbase_owner
--
CREATE TABLE analytics.user_activities_default (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    project_id uuid,
    activity_type text NOT NULL,
    action character varying(100) NOT NULL,
    description text,
    entity_type character varying(50),
    entity_id uuid,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    ip_address inet,
    user_agent text,
    session_id character varying(255),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT user_activities_action_not_blank CHECK ((btrim((action)::text) <> ''::text)),
    CONSTRAINT user_activities_activity_type_vocabulary CHECK ((activity_type = ANY (ARRAY['create'::text, 'update'::text, 'delete'::text, 'view'::text, 'approve'::text, 'reject'::text, 'assign'::text, 'unassign'::text, 'comment'::text, 'collaborate'::text]))),
    CONSTRAINT user_activities_entity_pair CHECK (((entity_type IS NULL) = (entity_id IS NULL))),
    CONSTRAINT user_activities_metadata_object CHECK ((jsonb_typeof(metadata) = 'object'::text))
);

ALTER TABLE ONLY analytics.user_activities_default FORCE ROW LEVEL SECURITY;

ALTER TABLE analytics.user_activities_default OWNER TO tenantbase_owner;

-- Name: chain_bases; Type: TABLE; Schema: audit; Owner: tenantbase_owner
--
CREATE TABLE audit.chain_bases (
    chain_id uuid NOT NULL,
    last_id bigint NOT NULL,
    last_hash bytea NOT NULL,
    last_at timestamp with time zone NOT NULL,
    pruned_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT chain_bases_last_hash_sha256 CHECK ((length(last_hash) = 32)),
    CONSTRAINT chain_bases_last_id_positive CHECK ((last_id > 0))
);

ALTER TABLE ONLY audit.chain_bases FORCE ROW LEVEL SECURITY;

ALTER TABLE audit.chain_bases OWNER TO tenantbase_owner;

-- Name: TABLE chain_bases; Type: COMMENT; Schema: audit; Owner: tenantbase_owner
--
COMMENT ON TABLE audit.chain_bases IS 'The last entry of each chain removed by retention: where verification starts.';

-- Name: chains; Type: TABLE; Schema: audit; Owner: tenantbase_owner
--
CREATE TABLE audit.chains (
    chain_id uuid NOT NULL,
    head_id bigint DEFAULT 0 NOT NULL,
    head_hash bytea DEFAULT decode(repeat('00'::text, 32), 'hex'::text) NOT NULL,
    head_at timestamp with time zone DEFAULT '-infinity'::timestamp with time zone NOT NULL,
    holder xid8,
    CONSTRAINT chains_head_hash_sha256 CHECK ((length(head_hash) = 32)),
    CONSTRAINT chains_head_id_non_negative CHECK ((head_id >= 0))
)
WITH (fillfactor='50');

ALTER TABLE ONLY audit.chains FORCE ROW LEVEL SECURITY;

ALTER TABLE audit.chains OWNER TO tenantbase_owner;

-- Name: TABLE chains; Type: COMMENT; Schema: audit; Owner: tenantbase_owner
--
COMMENT ON TABLE audit.chains IS 'Each hash chain''s lock and recorded head; written only by the audit trigger.';

-- Name: log; Type: TABLE; Schema: audit; Owner: tenantbase_owner
--
CREATE TABLE audit.log (
    tenant_id uuid NOT NULL,
    id bigint NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    event_type audit.event_type NOT NULL,
    event_action text NOT NULL,
    event_description text,
    table_name text,
    operation audit.operation,
    row_key jsonb,
    old_values jsonb,
    new_values jsonb,
    target_type text,
    target_id uuid,
    project_id uuid,
    user_id uuid,
    impersonated_by uuid,
    api_key_id uuid,
    request_id text,
    ip_address inet,
    user_agent text,
    db_role text NOT NULL,
    xact_id xid8 NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    hash bytea NOT NULL,
    written_at timestamp with time zone,
    payload_digest bytea,
    CONSTRAINT log_change_names_its_row CHECK ((((operation IS NULL) = (table_name IS NULL)) AND ((operation IS NULL) = (row_key IS NULL)))),
    CONSTRAINT log_event_action_length CHECK (((length(event_action) >= 1) AND (length(event_action) <= 100))),
    CONSTRAINT log_hash_sha256 CHECK ((length(hash) = 32)),
    CONSTRAINT log_id_positive CHECK ((id > 0)),
    CONSTRAINT log_metadata_object CHECK ((jsonb_typeof(metadata) = 'object'::text)),
    CONSTRAINT log_payload_digest_sha256 CHECK ((length(payload_digest) = 32)),
    CONSTRAINT log_request_id_length CHECK ((length(request_id) <= 200)),
    CONSTRAINT log_user_agent_length CHECK ((length(user_agent) <= 512))
)
PARTITION BY RANGE (occurred_at);

ALTER TABLE ONLY audit.log FORCE ROW LEVEL SECURITY;

ALTER TABLE audit.log OWNER TO tenantbase_owner;

-- Name: TABLE log; Type: COMMENT; Schema: audit; Owner: tenantbase_owner
--
COMMENT ON TABLE audit.log IS 'tenantbase:outlives its tenant (kept 90 days past a deletion, written only by the sealer). Every change to every tenant table: one hash chain per tenant, partitioned by month, append-only.';

-- Name: pending_seq; Type: SEQUENCE; Schema: audit; Owner: tenantbase_owner
--
CREATE SEQUENCE audit.pending_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 64;

ALTER TABLE audit.pending_seq OWNER TO tenantbase_owner;

-- Name: log_pending; Type: TABLE; Schema: audit; Owner: tenantbase_owner
--
CREATE TABLE audit.log_pending (
    xact_id xid8 NOT NULL,
    seq bigint DEFAULT nextval('audit.pending_seq'::regclass) NOT NULL,
    chain_id uuid NOT NULL,
    written_at timestamp with time zone NOT NULL,
    event_type audit.event_type NOT NULL,
    event_action text NOT NULL,
    event_description text,
    table_name text,
    operation audit.operation,
    row_key jsonb,
    old_values jsonb,
    new_values jsonb,
    target_type text,
    target_id uuid,
    project_id uuid,
    user_id uuid,
    impersonated_by uuid,
    api_key_id uuid,
    request_id text,
    ip_address inet,
    user_agent text,
    db_role text NOT NULL,
    metadata jsonb NOT NULL
);

ALTER TABLE ONLY audit.log_pending FORCE ROW LEVEL SECURITY;

ALTER TABLE audit.log_pending OWNER TO tenantbase_owner;

-- Name: TABLE log_pending; Type: COMMENT; Schema: audit; Owner: tenantbase_owner
--
COMMENT ON TABLE audit.log_pending IS 'Tenant audit entries written and not yet sealed into their chain (audit.seal).';

-- Name: platform_log; Type: TABLE; Schema: audit; Owner: tenantbase_owner
--
CREATE TABLE audit.platform_log (
    id bigint NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    event_type audit.event_type NOT NULL,
    event_action text NOT NULL,
    event_description text,
    subject_tenant_id uuid,
    target_type text,
    target_id uuid,
    user_id uuid,
    impersonated_by uuid,
    api_key_id uuid,
    request_id text,
    ip_address inet,
    user_agent text,
    db_role text NOT NULL,
    xact_id xid8 NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    hash bytea NOT NULL,
    written_at timestamp with time zone,
    CONSTRAINT platform_log_event_action_length CHECK (((length(event_action) >= 1) AND (length(event_action) <= 100))),
    CONSTRAINT platform_log_hash_sha256 CHECK ((length(hash) = 32)),
    CONSTRAINT platform_log_id_positive CHECK ((id > 0)),
    CONSTRAINT platform_log_metadata_object CHECK ((jsonb_typeof(metadata) = 'object'::text)),
    CONSTRAINT platform_log_request_id_length CHECK ((length(request_id) <= 200)),
    CONSTRAINT platform_log_user_agent_length CHECK ((length(user_agent) <= 512))
);

ALTER TABLE ONLY audit.platform_log FORCE ROW LEVEL SECURITY;

ALTER TABLE audit.platform_log OWNER TO tenantbase_owner;

-- Name: TABLE platform_log; Type: COMMENT; Schema: audit; Owner: tenantbase_owner
--
COMMENT ON TABLE audit.platform_log IS 'Platform events (tenants created and deleted, retention applied) on the platform''s own hash chain.';

-- Name: platform_pending; Type: TABLE; Schema: audit; Owner: tenantbase_owner
--
CREATE TABLE audit.platform_pending (
    xact_id xid8 NOT NULL,
    seq bigint DEFAULT nextval('audit.pending_seq'::regclass) NOT NULL,
    written_at timestamp with time zone NOT NULL,
    event_type audit.event_type NOT NULL,
    event_action text NOT NULL,
    event_description text,
    subject_tenant_id uuid,
    target_type text,
    target_id uuid,
    user_id uuid,
    impersonated_by uuid,
    api_key_id uuid,
    request_id text,
    ip_address inet,
    user_agent text,
    db_role text NOT NULL,
    metadata jsonb NOT NULL
);

ALTER TABLE ONLY audit.platform_pending FORCE ROW LEVEL SECURITY;

ALTER TABLE audit.platform_pending OWNER TO tenantbase_owner;

-- Name: TABLE platform_pending; Type: COMMENT; Schema: audit; Owner: tenantbase_owner
--
COMMENT ON TABLE audit.platform_pending IS 'Platform audit events written and not yet sealed into the platform chain (audit.seal).';

-- Name: customers; Type: TABLE; Schema: commerce; Owner: tenantbase_owner
--
CREATE TABLE commerce.customers (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    email public.citext NOT NULL,
    first_name text,
    last_name text,
    phone text,
    date_of_birth date,
    gender text,
    addresses jsonb DEFAULT '[]'::jsonb NOT NULL,
    default_address jsonb,
    total_orders integer DEFAULT 0 NOT NULL,
    total_spent numeric(12,2) DEFAULT 0 NOT NULL,
    average_order_value numeric(12,2) GENERATED ALWAYS AS (
CASE
    WHEN (total_orders > 0) THEN round((total_spent / (total_orders)::numeric), 2)
    ELSE (0)::numeric
END) STORED,
    lifetime_value numeric(12,2) DEFAULT 0 NOT NULL,
    currency character(3) DEFAULT 'USD'::bpchar NOT NULL,
    first_order_at timestamp with time zone,
    last_order_at timestamp with time zone,
    last_active_at timestamp with time zone,
    status text DEFAULT 'active'::text NOT NULL,
    accepts_marketing boolean DEFAULT false NOT NULL,
    customer_segment text,
    tags text[] DEFAULT '{}'::text[] NOT NULL,
    support_tickets integer DEFAULT 0 NOT NULL,
    support_satisfaction numeric(3,2),
    support_notes text,
    ai_insights jsonb DEFAULT '{}'::jsonb NOT NULL,
    customer_persona text,
    predicted_ltv numeric(12,2),
    churn_risk_score numeric(3,2),
    external_customer_ids jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT customers_addresses_array CHECK ((jsonb_typeof(addresses) = 'array'::text)),
    CONSTRAINT customers_currency_format CHECK ((currency ~ '^[A-Z]{3}$'::text)),
    CONSTRAINT customers_email_format CHECK ((email OPERATOR(public.~) '^[^@\s]+@[^@\s]+\.[^@\s]+$'::public.citext)),
    CONSTRAINT customers_status_vocabulary CHECK ((status = ANY (ARRAY['active'::text, 'inactive'::text, 'blocked'::text]))),
    CONSTRAINT customers_valid_birth_date CHECK ((date_of_birth > '1900-01-01'::date)),
    CONSTRAINT customers_valid_churn_risk CHECK (((churn_risk_score >= (0)::numeric) AND (churn_risk_score <= (1)::numeric))),
    CONSTRAINT customers_valid_lifetime_value CHECK ((lifetime_value >= (0)::numeric)),
    CONSTRAINT customers_valid_order_dates CHECK (((first_order_at IS NULL) OR (last_order_at IS NULL) OR (first_order_at <= last_order_at))),
    CONSTRAINT customers_valid_predicted_ltv CHECK ((predicted_ltv >= (0)::numeric)),
    CONSTRAINT customers_valid_support_satisfaction CHECK (((support_satisfaction >= (0)::numeric) AND (support_satisfaction <= (5)::numeric))),
    CONSTRAINT customers_valid_support_tickets CHECK ((support_tickets >= 0)),
    CONSTRAINT customers_valid_total_orders CHECK ((total_orders >= 0)),
    CONSTRAINT customers_valid_total_spent CHECK ((total_spent >= (0)::numeric))
);

ALTER TABLE ONLY commerce.customers FORCE ROW LEVEL SECURITY;

ALTER TABLE commerce.customers OWNER TO tenantbase_owner;

-- Name: product_content; Type: TABLE; Schema: commerce; Owner: tenantbase_owner
--
CREATE TABLE commerce.product_content (
    tenant_id uuid NOT NULL,
    product_id uuid NOT NULL,
    content_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL
);

ALTER TABLE ONLY commerce.product_content FORCE ROW LEVEL SECURITY;

ALTER TABLE commerce.product_content OWNER TO tenantbase_owner;

-- Name: TABLE product_content; Type: COMMENT; Schema: commerce; Owner: tenantbase_owner
--
COMMENT ON TABLE commerce.product_content IS 'Which content is about which product (content_projects.related_products).';

-- Name: product_variants; Type: TABLE; Schema: commerce; Owner: tenantbase_owner
--
CREATE TABLE commerce.product_variants (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    product_id uuid NOT NULL,
    external_id text,
    sku text,
    barcode text,
    option1 text,
    option2 text,
    option3 text,
    price numeric(12,2),
    compare_at_price numeric(12,2),
    cost_price numeric(12,2),
    inventory_quantity integer DEFAULT 0 NOT NULL,
    available boolean DEFAULT true NOT NULL,
    weight numeric(8,2),
    weight_unit text DEFAULT 'kg'::text NOT NULL,
    image_url text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT product_variants_valid_compare_at_price CHECK ((compare_at_price >= (0)::numeric)),
    CONSTRAINT product_variants_valid_cost_price CHECK ((cost_price >= (0)::numeric)),
    CONSTRAINT product_variants_valid_variant_inventory CHECK ((inventory_quantity >= 0)),
    CONSTRAINT product_variants_valid_variant_price CHECK ((price >= (0)::numeric)),
    CONSTRAINT product_variants_valid_weight CHECK ((weight >= (0)::numeric)),
    CONSTRAINT product_variants_weight_unit_vocabulary CHECK ((weight_unit = ANY (ARRAY['kg'::text, 'g'::text, 'lb'::text, 'oz'::text])))
);

ALTER TABLE ONLY commerce.product_variants FORCE ROW LEVEL SECURITY;

ALTER TABLE commerce.product_variants OWNER TO tenantbase_owner;

-- Name: stores; Type: TABLE; Schema: commerce; Owner: tenantbase_owner
--
CREATE TABLE commerce.stores (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    platform text NOT NULL,
    store_url text NOT NULL,
    credentials_sealed bytea NOT NULL,
    credentials_key_id text NOT NULL,
    api_version text,
    status text DEFAULT 'active'::text NOT NULL,
    last_sync_at timestamp with time zone,
    sync_status text DEFAULT 'pending'::text NOT NULL,
    sync_error text,
    sync_settings jsonb DEFAULT '{"auto_sync": true, "sync_orders": true, "sync_products": true, "sync_customers": true, "sync_frequency": "hourly"}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT stores_credentials_key_id_format CHECK ((credentials_key_id ~ '^[a-z0-9-]{1,64}$'::text)),
    CONSTRAINT stores_credentials_sealed CHECK ((length(credentials_sealed) > 28)),
    CONSTRAINT stores_error_explained CHECK (((sync_status <> 'error'::text) OR (sync_error IS NOT NULL))),
    CONSTRAINT stores_name_not_blank CHECK ((btrim(name) <> ''::text)),
    CONSTRAINT stores_platform_vocabulary CHECK ((platform = ANY (ARRAY['shopify'::text, 'woocommerce'::text, 'amazon'::text, 'etsy'::text, 'squarespace'::text, 'bigcommerce'::text]))),
    CONSTRAINT stores_status_vocabulary CHECK ((status = ANY (ARRAY['active'::text, 'inactive'::text, 'error'::text, 'setup'::text]))),
    CONSTRAINT stores_sync_settings_object CHECK ((jsonb_typeof(sync_settings) = 'object'::text)),
    CONSTRAINT stores_sync_status_vocabulary CHECK ((sync_status = ANY (ARRAY['pending'::text, 'syncing'::text, 'success'::text, 'error'::text]))),
    CONSTRAINT stores_url_format CHECK ((store_url ~ '^https?://'::text))
);

ALTER TABLE ONLY commerce.stores FORCE ROW LEVEL SECURITY;

ALTER TABLE commerce.stores OWNER TO tenantbase_owner;

-- Name: content_projects; Type: TABLE; Schema: content; Owner: tenantbase_owner
--
CREATE TABLE content.content_projects (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    description text,
    content_type text NOT NULL,
    status text DEFAULT 'draft'::text NOT NULL,
    title text,
    content text,
    excerpt text,
    meta_description text,
    target_keywords text[] DEFAULT '{}'::text[] NOT NULL,
    seo_score integer,
    readability_score integer,
    publish_date timestamp with time zone,
    published_urls text[] DEFAULT '{}'::text[] NOT NULL,
    ai_generated boolean DEFAULT false NOT NULL,
    ai_model_used text,
    ai_prompt text,
    ai_generation_cost integer,
    featured_image text,
    media_assets jsonb DEFAULT '[]'::jsonb NOT NULL,
    created_by uuid,
    assigned_to uuid,
    campaign_id uuid,
    view_count integer DEFAULT 0 NOT NULL,
    engagement_metrics jsonb DEFAULT '{}'::jsonb NOT NULL,
    tags text[] DEFAULT '{}'::text[] NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    search_vector tsvector GENERATED ALWAYS AS (((setweight(to_tsvector('english'::regconfig, ((COALESCE(name, ''::text) || ' '::text) || COALESCE(title, ''::text))), 'A'::"char") || setweight(to_tsvector('english'::regconfig, ((((COALESCE(excerpt, ''::text) || ' '::text) || COALESCE(meta_description, ''::text)) || ' '::text) || COALESCE(description, ''::text))), 'B'::"char")) || setweight(to_tsvector('english'::regconfig, COALESCE(content, ''::text)), 'C'::"char"))) STORED,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT content_projects_content_type_vocabulary CHECK ((content_type = ANY (ARRAY['blog_post'::text, 'product_description'::text, 'email_campaign'::text, 'social_post'::text, 'video_script'::text, 'ad_copy'::text, 'newsletter'::text, 'landing_page'::text, 'article'::text]))),
    CONSTRAINT content_projects_engagement_object CHECK ((jsonb_typeof(engagement_metrics) = 'object'::text)),
    CONSTRAINT content_projects_media_assets_array CHECK ((jsonb_typeof(media_assets) = 'array'::text)),
    CONSTRAINT content_projects_name_not_blank CHECK ((btrim(name) <> ''::text)),
    CONSTRAINT content_projects_published_needs_date CHECK (((status <> 'published'::text) OR (publish_date IS NOT NULL))),
    CONSTRAINT content_projects_status_vocabulary CHECK ((status = ANY (ARRAY['draft'::text, 'in_progress'::text, 'review'::text, 'approved'::text, 'published'::text, 'archived'::text]))),
    CONSTRAINT content_projects_valid_ai_cost CHECK ((ai_generation_cost >= 0)),
    CONSTRAINT content_projects_valid_readability_score CHECK (((readability_score >= 0) AND (readability_score <= 100))),
    CONSTRAINT content_projects_valid_seo_score CHECK (((seo_score >= 0) AND (seo_score <= 100))),
    CONSTRAINT content_projects_valid_view_count CHECK ((view_count >= 0))
);

ALTER TABLE ONLY content.content_projects FORCE ROW LEVEL SECURITY;

ALTER TABLE content.content_projects OWNER TO tenantbase_owner;

-- Name: TABLE content_projects; Type: COMMENT; Schema: content; Owner: tenantbase_owner
--
COMMENT ON TABLE content.content_projects IS 'Content to create and publish (BizQ content_projects; the starter''s content). related_products is commerce.product_content.';

-- Name: context_keys; Type: TABLE; Schema: platform; Owner: tenantbase_owner
--
CREATE TABLE platform.context_keys (
    id smallint NOT NULL,
    key bytea NOT NULL,
    inner_pad bytea NOT NULL,
    outer_pad bytea NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    retires_at timestamp with time zone,
    CONSTRAINT context_keys_inner_pad_length CHECK ((length(inner_pad) = 64)),
    CONSTRAINT context_keys_key_length CHECK ((length(key) = 32)),
    CONSTRAINT context_keys_outer_pad_length CHECK ((length(outer_pad) = 64))
);

ALTER TABLE ONLY platform.context_keys FORCE ROW LEVEL SECURITY;

ALTER TABLE platform.context_keys OWNER TO tenantbase_owner;

-- Name: TABLE context_keys; Type: COMMENT; Schema: platform; Owner: tenantbase_owner
--
COMMENT ON TABLE platform.context_keys IS 'The keys that sign tenant contexts: the current one (retires_at NULL) and those it replaced, accepted until retires_at. Readable by tenantbase_platform only.';

-- Name: context_keys_id_seq; Type: SEQUENCE; Schema: platform; Owner: tenantbase_owner
--
ALTER TABLE platform.context_keys ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME platform.context_keys_id_seq
    START WITH 2
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

-- Name: erasures; Type: TABLE; Schema: platform; Owner: tenantbase_owner
--
CREATE TABLE platform.erasures (
    erased_tenant uuid NOT NULL,
    deleted_at timestamp with time zone NOT NULL,
    erased_at timestamp with time zone,
    audit_kept_until timestamp with time zone NOT NULL,
    audit_erased_at timestamp with time zone,
    users uuid[] DEFAULT '{}'::uuid[] NOT NULL,
    CONSTRAINT erasures_audit_after_erasure CHECK (((audit_erased_at IS NULL) OR ((erased_at IS NOT NULL) AND (audit_erased_at >= audit_kept_until)))),
    CONSTRAINT erasures_audit_kept_90_days CHECK ((audit_kept_until >= (deleted_at + '90 days'::interval))),
    CONSTRAINT erasures_erased_after_deletion CHECK (((erased_at IS NULL) OR (erased_at >= deleted_at)))
);

ALTER TABLE ONLY platform.erasures FORCE ROW LEVEL SECURITY;

ALTER TABLE platform.erasures OWNER TO tenantbase_owner;

-- Name: TABLE erasures; Type: COMMENT; Schema: platform; Owner: tenantbase_owner
--
COMMENT ON TABLE platform.erasures IS 'The erasure ledger: each erased tenant, when it was deleted, erased and its trail erased; ids only, no personal data.';

-- Name: tenant_moves; Type: TABLE; Schema: platform; Owner: tenantbase_owner
--
CREATE TABLE platform.tenant_moves (
    moved_tenant uuid NOT NULL,
    moved_to text NOT NULL,
    began_at timestamp with time zone NOT NULL,
    moved_at timestamp with time zone,
    CONSTRAINT tenant_moves_check CHECK ((moved_at >= began_at)),
    CONSTRAINT tenant_moves_moved_to_check CHECK ((moved_to <> ''::text))
);

ALTER TABLE ONLY platform.tenant_moves FORCE ROW LEVEL SECURITY;

ALTER TABLE platform.tenant_moves OWNER TO tenantbase_owner;

-- Name: TABLE tenant_moves; Type: COMMENT; Schema: platform; Owner: tenantbase_owner
--
COMMENT ON TABLE platform.tenant_moves IS 'Tenants moving (moved_at NULL) or moved to another tenantbase database (moved_to: where it is served now).';

-- Name: refinery_schema_history; Type: TABLE; Schema: public; Owner: tenantbase_owner
--
CREATE TABLE public.refinery_schema_history (
    version integer NOT NULL,
    name character varying(255),
    applied_on character varying(255),
    checksum character varying(255)
);

ALTER TABLE public.refinery_schema_history OWNER TO tenantbase_owner;

-- Name: api_keys; Type: TABLE; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TABLE tenancy.api_keys (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    prefix text NOT NULL,
    key_hash bytea NOT NULL,
    scopes text[] DEFAULT '{read}'::text[] NOT NULL,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    last_used_at timestamp with time zone,
    expires_at timestamp with time zone,
    revoked_at timestamp with time zone,
    revoked_by uuid,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT api_keys_key_hash_check CHECK ((length(key_hash) = 32)),
    CONSTRAINT api_keys_known_scopes CHECK (((scopes <@ ARRAY['read'::text, 'write'::text, 'admin'::text]) AND (cardinality(scopes) > 0))),
    CONSTRAINT api_keys_name_check CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 200))),
    CONSTRAINT api_keys_prefix_check CHECK ((prefix ~ '^[a-z0-9]{8,16}$'::text)),
    CONSTRAINT api_keys_valid_expiry CHECK (((expires_at IS NULL) OR (expires_at > created_at)))
);

ALTER TABLE ONLY tenancy.api_keys FORCE ROW LEVEL SECURITY;

ALTER TABLE tenancy.api_keys OWNER TO tenantbase_owner;

-- Name: idempotency_keys; Type: TABLE; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TABLE tenancy.idempotency_keys (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    key text NOT NULL,
    request_hash bytea NOT NULL,
    status_code integer,
    content_type text,
    response_body bytea,
    locked_until timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT idempotency_keys_key_format CHECK ((key ~ '^[\x21-\x7e]{1,255}$'::text)),
    CONSTRAINT idempotency_keys_request_hash_length CHECK ((length(request_hash) = 32)),
    CONSTRAINT idempotency_keys_valid_expiry CHECK ((expires_at >= locked_until)),
    CONSTRAINT idempotency_keys_valid_status_code CHECK (((status_code >= 100) AND (status_code <= 599)))
);

ALTER TABLE ONLY tenancy.idempotency_keys FORCE ROW LEVEL SECURITY;

ALTER TABLE tenancy.idempotency_keys OWNER TO tenantbase_owner;

-- Name: TABLE idempotency_keys; Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON TABLE tenancy.idempotency_keys IS 'Idempotency-Key reservations and the answers they replay, per tenant, until they expire.';

-- Name: invitations; Type: TABLE; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TABLE tenancy.invitations (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    email public.citext NOT NULL,
    role tenancy.member_role NOT NULL,
    token_hash bytea NOT NULL,
    invited_by uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    accepted_at timestamp with time zone,
    accepted_by uuid,
    revoked_at timestamp with time zone,
    revoked_by uuid,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT invitations_accepted_before_expiry CHECK (((accepted_at IS NULL) OR (accepted_at < expires_at))),
    CONSTRAINT invitations_accepted_by_someone CHECK (((accepted_at IS NULL) = (accepted_by IS NULL))),
    CONSTRAINT invitations_accepted_or_revoked CHECK (((accepted_at IS NULL) OR (revoked_at IS NULL))),
    CONSTRAINT invitations_email_format CHECK (((email OPERATOR(public.~) '^[^@\s]+@[^@\s]+\.[^@\s]+$'::public.citext) AND (length((email)::text) <= 320))),
    CONSTRAINT invitations_revoked_by_someone CHECK (((revoked_at IS NULL) = (revoked_by IS NULL))),
    CONSTRAINT invitations_token_hash_sha256 CHECK ((length(token_hash) = 32)),
    CONSTRAINT invitations_valid_expiry CHECK ((expires_at > created_at))
);

ALTER TABLE ONLY tenancy.invitations FORCE ROW LEVEL SECURITY;

ALTER TABLE tenancy.invitations OWNER TO tenantbase_owner;

-- Name: TABLE invitations; Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON TABLE tenancy.invitations IS 'Invitations to join a tenant: the SHA-256 of a one-time token, accepted by its holder (platform.accept_invitation).';

-- Name: memberships; Type: TABLE; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TABLE tenancy.memberships (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    role tenancy.member_role DEFAULT 'member'::tenancy.member_role NOT NULL,
    status tenancy.membership_status DEFAULT 'active'::tenancy.membership_status NOT NULL,
    invited_by uuid,
    invited_at timestamp with time zone,
    joined_at timestamp with time zone DEFAULT now(),
    left_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT memberships_left_needs_time CHECK (((status <> 'left'::tenancy.membership_status) OR (left_at IS NOT NULL))),
    CONSTRAINT memberships_valid_dates CHECK (((left_at IS NULL) OR (joined_at IS NULL) OR (left_at >= joined_at)))
);

ALTER TABLE ONLY tenancy.memberships FORCE ROW LEVEL SECURITY;

ALTER TABLE tenancy.memberships OWNER TO tenantbase_owner;

-- Name: permissions; Type: TABLE; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TABLE tenancy.permissions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    resource text NOT NULL,
    action text NOT NULL,
    description text,
    CONSTRAINT permissions_action_check CHECK ((action = ANY (ARRAY['*'::text, 'read'::text, 'create'::text, 'update'::text, 'delete'::text, 'run'::text, 'approve'::text, 'publish'::text]))),
    CONSTRAINT permissions_resource_check CHECK ((resource ~ '^([a-z_]+|\*)$'::text))
);

ALTER TABLE tenancy.permissions OWNER TO tenantbase_owner;

-- Name: TABLE permissions; Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON TABLE tenancy.permissions IS 'Global catalog of grantable permissions (resource + action).';

-- Name: role_permissions; Type: TABLE; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TABLE tenancy.role_permissions (
    tenant_id uuid NOT NULL,
    role_id uuid NOT NULL,
    permission_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL
);

ALTER TABLE ONLY tenancy.role_permissions FORCE ROW LEVEL SECURITY;

ALTER TABLE tenancy.role_permissions OWNER TO tenantbase_owner;

-- Name: roles; Type: TABLE; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TABLE tenancy.roles (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    description text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT roles_name_check CHECK ((name ~ '^[a-z][a-z0-9_]{0,62}$'::text)),
    CONSTRAINT roles_not_a_system_role CHECK ((name <> ALL (ARRAY['owner'::text, 'admin'::text, 'member'::text, 'viewer'::text])))
);

ALTER TABLE ONLY tenancy.roles FORCE ROW LEVEL SECURITY;

ALTER TABLE tenancy.roles OWNER TO tenantbase_owner;

-- Name: sessions; Type: TABLE; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TABLE tenancy.sessions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    active_tenant_id uuid,
    token_hash bytea NOT NULL,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    last_seen_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone DEFAULT (now() + '30 days'::interval) NOT NULL,
    ended_at timestamp with time zone,
    ip_address inet,
    user_agent text,
    activity_data jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT sessions_activity_data_check CHECK ((jsonb_typeof(activity_data) = 'object'::text)),
    CONSTRAINT sessions_token_hash_check CHECK ((length(token_hash) = 32)),
    CONSTRAINT sessions_valid_end CHECK (((ended_at IS NULL) OR (ended_at >= started_at))),
    CONSTRAINT sessions_valid_expiry CHECK ((expires_at > started_at)),
    CONSTRAINT sessions_valid_last_seen CHECK ((last_seen_at >= started_at))
);

ALTER TABLE ONLY tenancy.sessions FORCE ROW LEVEL SECURITY;

ALTER TABLE tenancy.sessions OWNER TO tenantbase_owner;

-- Name: system_role_permissions; Type: TABLE; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TABLE tenancy.system_role_permissions (
    role tenancy.member_role NOT NULL,
    permission_id uuid NOT NULL
);

ALTER TABLE tenancy.system_role_permissions OWNER TO tenantbase_owner;

-- Name: user_roles; Type: TABLE; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TABLE tenancy.user_roles (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role_id uuid NOT NULL,
    granted_by uuid,
    granted_at timestamp with time zone DEFAULT now() NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL
);

ALTER TABLE ONLY tenancy.user_roles FORCE ROW LEVEL SECURITY;

ALTER TABLE tenancy.user_roles OWNER TO tenantbase_owner;

-- Name: users; Type: TABLE; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TABLE tenancy.users (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    email public.citext NOT NULL,
    full_name text,
    display_name text,
    avatar_url text,
    bio text,
    timezone text DEFAULT 'UTC'::text NOT NULL,
    password_hash text,
    status tenancy.user_status DEFAULT 'active'::tenancy.user_status NOT NULL,
    onboarding_completed boolean DEFAULT false NOT NULL,
    is_verified boolean DEFAULT false NOT NULL,
    last_login_at timestamp with time zone,
    last_active_at timestamp with time zone,
    password_changed_at timestamp with time zone,
    failed_login_attempts integer DEFAULT 0 NOT NULL,
    locked_until timestamp with time zone,
    preferences jsonb DEFAULT '{"theme": "system", "language": "en", "task_notifications": true, "email_notifications": true}'::jsonb NOT NULL,
    notification_settings jsonb DEFAULT '{"push": true, "email": true, "in_app": true, "digest_frequency": "daily"}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT users_active_needs_password CHECK (((status <> 'active'::tenancy.user_status) OR (password_hash IS NOT NULL))),
    CONSTRAINT users_display_name_check CHECK ((length(display_name) <= 200)),
    CONSTRAINT users_email_format CHECK (((email OPERATOR(public.~) '^[^@\s]+@[^@\s]+\.[^@\s]+$'::public.citext) AND (length((email)::text) <= 320))),
    CONSTRAINT users_failed_logins_non_negative CHECK ((failed_login_attempts >= 0)),
    CONSTRAINT users_full_name_check CHECK ((length(full_name) <= 200)),
    CONSTRAINT users_notification_settings_check CHECK ((jsonb_typeof(notification_settings) = 'object'::text)),
    CONSTRAINT users_preferences_check CHECK ((jsonb_typeof(preferences) = 'object'::text))
);

ALTER TABLE ONLY tenancy.users FORCE ROW LEVEL SECURITY;

ALTER TABLE tenancy.users OWNER TO tenantbase_owner;

-- Name: TABLE users; Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON TABLE tenancy.users IS 'Global identities: one email, one password, many tenants through memberships.';

-- Name: COLUMN users.failed_login_attempts; Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON COLUMN tenancy.users.failed_login_attempts IS 'No longer counted: failed logins are throttled in the server''s memory (src/api/throttle.rs).';

-- Name: COLUMN users.locked_until; Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON COLUMN tenancy.users.locked_until IS 'Set by an operator to refuse logins until then (answered like a wrong password); login itself never sets it.';

-- Name: user_permissions; Type: VIEW; Schema: tenancy; Owner: tenantbase_owner
--
CREATE VIEW tenancy.user_permissions WITH (security_invoker='true') AS
 SELECT m.tenant_id,
    m.user_id,
    u.email,
    m.role AS member_role,
    g.granted_through,
    g.custom_role,
    p.resource,
    p.action
   FROM (((tenancy.memberships m
     JOIN tenancy.users u ON ((u.id = m.user_id)))
     CROSS JOIN LATERAL ( SELECT (m.role)::text AS granted_through,
            false AS custom_role,
            s.permission_id
           FROM tenancy.system_role_permissions s
          WHERE (s.role = m.role)
        UNION ALL
         SELECT r.name,
            true,
            rp.permission_id
           FROM ((tenancy.user_roles ur
             JOIN tenancy.roles r ON (((r.tenant_id = ur.tenant_id) AND (r.id = ur.role_id))))
             JOIN tenancy.role_permissions rp ON (((rp.tenant_id = ur.tenant_id) AND (rp.role_id = ur.role_id))))
          WHERE ((ur.tenant_id = m.tenant_id) AND (ur.user_id = m.user_id))) g)
     JOIN tenancy.permissions p ON ((p.id = g.permission_id)))
  WHERE ((m.status = 'active'::tenancy.membership_status) AND ((m.user_id = ( SELECT tenancy.current_user_id() AS current_user_id)) OR ( SELECT tenancy.has_permission('members'::text, 'update'::text) AS has_permission)));

ALTER TABLE tenancy.user_permissions OWNER TO tenantbase_owner;

-- Name: VIEW user_permissions; Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON VIEW tenancy.user_permissions IS 'Each active member''s permissions in the acting tenant and the role granting each (all members for admins, one''s own for others).';

-- Name: approval_responses; Type: TABLE; Schema: work; Owner: tenantbase_owner
--
CREATE TABLE work.approval_responses (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    request_id uuid NOT NULL,
    approver_id uuid NOT NULL,
    decision text NOT NULL,
    comments text,
    conditions text,
    responded_at timestamp with time zone DEFAULT now() NOT NULL,
    approval_data jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT approval_responses_conditions_given CHECK (((decision <> 'approve_with_conditions'::text) OR (conditions IS NOT NULL))),
    CONSTRAINT approval_responses_decision_vocabulary CHECK ((decision = ANY (ARRAY['approve'::text, 'reject'::text, 'approve_with_conditions'::text, 'delegate'::text])))
);

ALTER TABLE ONLY work.approval_responses FORCE ROW LEVEL SECURITY;

ALTER TABLE work.approval_responses OWNER TO tenantbase_owner;

-- Name: approval_workflow_approvers; Type: TABLE; Schema: work; Owner: tenantbase_owner
--
CREATE TABLE work.approval_workflow_approvers (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    workflow_id uuid NOT NULL,
    approver_id uuid NOT NULL,
    "position" integer NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT approval_workflow_approvers_valid_position CHECK (("position" >= 1))
);

ALTER TABLE ONLY work.approval_workflow_approvers FORCE ROW LEVEL SECURITY;

ALTER TABLE work.approval_workflow_approvers OWNER TO tenantbase_owner;

-- Name: approval_workflows; Type: TABLE; Schema: work; Owner: tenantbase_owner
--
CREATE TABLE work.approval_workflows (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    project_id uuid NOT NULL,
    name character varying(255) NOT NULL,
    description text,
    workflow_type text NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    is_sequential boolean DEFAULT false NOT NULL,
    required_approvals integer DEFAULT 1 NOT NULL,
    trigger_conditions jsonb DEFAULT '{}'::jsonb NOT NULL,
    approval_criteria jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT approval_workflows_name_not_blank CHECK ((btrim((name)::text) <> ''::text)),
    CONSTRAINT approval_workflows_valid_required_approvals CHECK ((required_approvals >= 1)),
    CONSTRAINT approval_workflows_workflow_type_vocabulary CHECK ((workflow_type = ANY (ARRAY['requirement_approval'::text, 'architecture_approval'::text, 'design_approval'::text, 'implementation_approval'::text, 'release_approval'::text, 'change_request'::text])))
);

ALTER TABLE ONLY work.approval_workflows FORCE ROW LEVEL SECURITY;

ALTER TABLE work.approval_workflows OWNER TO tenantbase_owner;

-- Name: architecture_decisions; Type: TABLE; Schema: work; Owner: tenantbase_owner
--
CREATE TABLE work.architecture_decisions (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    project_id uuid NOT NULL,
    title character varying(500) NOT NULL,
    description text NOT NULL,
    context text,
    decision text NOT NULL,
    consequences text,
    category text NOT NULL,
    status text DEFAULT 'proposed'::text NOT NULL,
    options_considered jsonb DEFAULT '[]'::jsonb NOT NULL,
    evaluation_criteria jsonb DEFAULT '{}'::jsonb NOT NULL,
    risk_assessment jsonb DEFAULT '{}'::jsonb NOT NULL,
    trade_offs jsonb DEFAULT '{}'::jsonb NOT NULL,
    decided_by uuid,
    decided_at timestamp with time zone,
    review_date date,
    superseded_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    search_vector tsvector GENERATED ALWAYS AS (((setweight(to_tsvector('english'::regconfig, (COALESCE(title, ''::character varying))::text), 'A'::"char") || setweight(to_tsvector('english'::regconfig, COALESCE(decision, ''::text)), 'B'::"char")) || setweight(to_tsvector('english'::regconfig, ((((COALESCE(description, ''::text) || ' '::text) || COALESCE(context, ''::text)) || ' '::text) || COALESCE(consequences, ''::text))), 'C'::"char"))) STORED,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT architecture_decisions_category_vocabulary CHECK ((category = ANY (ARRAY['system'::text, 'component'::text, 'deployment'::text, 'security'::text, 'integration'::text, 'data'::text, 'ui_ux'::text, 'performance'::text]))),
    CONSTRAINT architecture_decisions_not_self_superseded CHECK ((id <> superseded_by)),
    CONSTRAINT architecture_decisions_options_array CHECK ((jsonb_typeof(options_considered) = 'array'::text)),
    CONSTRAINT architecture_decisions_status_vocabulary CHECK ((status = ANY (ARRAY['proposed'::text, 'review'::text, 'approved'::text, 'implemented'::text, 'superseded'::text, 'rejected'::text]))),
    CONSTRAINT architecture_decisions_superseded_status CHECK (((superseded_by IS NULL) OR (status = 'superseded'::text))),
    CONSTRAINT architecture_decisions_title_not_blank CHECK ((btrim((title)::text) <> ''::text)),
    CONSTRAINT architecture_decisions_valid_version CHECK ((version >= 1))
);

ALTER TABLE ONLY work.architecture_decisions FORCE ROW LEVEL SECURITY;

ALTER TABLE work.architecture_decisions OWNER TO tenantbase_owner;

-- Name: collaboration_sessions; Type: TABLE; Schema: work; Owner: tenantbase_owner
--
CREATE TABLE work.collaboration_sessions (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    project_id uuid NOT NULL,
    title character varying(500) NOT NULL,
    description text,
    session_type text NOT NULL,
    status text DEFAULT 'scheduled'::text NOT NULL,
    scheduled_start timestamp with time zone NOT NULL,
    scheduled_end timestamp with time zone NOT NULL,
    actual_start timestamp with time zone,
    actual_end timestamp with time zone,
    max_participants integer DEFAULT 20 NOT NULL,
    is_recording_enabled boolean DEFAULT false NOT NULL,
    recording_url text,
    facilitator_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid NOT NULL,
    settings jsonb DEFAULT '{}'::jsonb NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT collaboration_sessions_session_type_vocabulary CHECK ((session_type = ANY (ARRAY['requirements_review'::text, 'architecture_review'::text, 'planning'::text, 'standup'::text, 'retrospective'::text, 'design_session'::text, 'approval_meeting'::text]))),
    CONSTRAINT collaboration_sessions_settings_object CHECK ((jsonb_typeof(settings) = 'object'::text)),
    CONSTRAINT collaboration_sessions_status_vocabulary CHECK ((status = ANY (ARRAY['scheduled'::text, 'in_progress'::text, 'completed'::text, 'cancelled'::text, 'postponed'::text]))),
    CONSTRAINT collaboration_sessions_title_not_blank CHECK ((btrim((title)::text) <> ''::text)),
    CONSTRAINT collaboration_sessions_valid_actual_times CHECK (((actual_end IS NULL) OR (actual_start IS NULL) OR (actual_start <= actual_end))),
    CONSTRAINT collaboration_sessions_valid_max_participants CHECK ((max_participants > 0)),
    CONSTRAINT collaboration_sessions_valid_session_times CHECK ((scheduled_start < scheduled_end))
);

ALTER TABLE ONLY work.collaboration_sessions FORCE ROW LEVEL SECURITY;

ALTER TABLE work.collaboration_sessions OWNER TO tenantbase_owner;

-- Name: requirement_links; Type: TABLE; Schema: work; Owner: tenantbase_owner
--
CREATE TABLE work.requirement_links (
    tenant_id uuid NOT NULL,
    requirement_id uuid NOT NULL,
    related_requirement_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT requirement_links_not_self CHECK ((requirement_id <> related_requirement_id))
);

ALTER TABLE ONLY work.requirement_links FORCE ROW LEVEL SECURITY;

ALTER TABLE work.requirement_links OWNER TO tenantbase_owner;

-- Name: session_participants; Type: TABLE; Schema: work; Owner: tenantbase_owner
--
CREATE TABLE work.session_participants (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    session_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role text DEFAULT 'participant'::text NOT NULL,
    status text DEFAULT 'invited'::text NOT NULL,
    invited_at timestamp with time zone DEFAULT now() NOT NULL,
    joined_at timestamp with time zone,
    left_at timestamp with time zone,
    can_edit boolean DEFAULT false NOT NULL,
    can_moderate boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    row_version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT session_participants_role_vocabulary CHECK ((role = ANY (ARRAY['facilitator'::text, 'presenter'::text, 'participant'::text, 'observer'::text]))),
    CONSTRAINT session_participants_status_vocabulary CHECK ((status = ANY (ARRAY['invited'::text, 'accepted'::text, 'declined'::text, 'joined'::text, 'left'::text]))),
    CONSTRAINT session_participants_valid_times CHECK (((left_at IS NULL) OR (joined_at IS NULL) OR (left_at >= joined_at)))
);

ALTER TABLE ONLY work.session_participants FORCE ROW LEVEL SECURITY;

ALTER TABLE work.session_participants OWNER TO tenantbase_owner;

-- Name: analytics_events_default; Type: TABLE ATTACH; Schema: analytics; Owner: tenantbase_owner
--
ALTER TABLE ONLY analytics.analytics_events ATTACH PARTITION analytics.analytics_events_default DEFAULT;

-- Name: user_activities_default; Type: TABLE ATTACH; Schema: analytics; Owner: tenantbase_owner
--
ALTER TABLE ONLY analytics.user_activities ATTACH PARTITION analytics.user_activities_default DEFAULT;

-- Name: conversations conversations_pkey; Type: CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.conversations
    ADD CONSTRAINT conversations_pkey PRIMARY KEY (tenant_id, id);

-- Name: credit_ledger credit_ledger_one_charge_per_task; Type: CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.credit_ledger
    ADD CONSTRAINT credit_ledger_one_charge_per_task UNIQUE (tenant_id, task_id, kind);

-- Name: credit_ledger credit_ledger_one_reset_per_month; Type: CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.credit_ledger
    ADD CONSTRAINT credit_ledger_one_reset_per_month UNIQUE (tenant_id, period);

-- Name: credit_ledger credit_ledger_pkey; Type: CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.credit_ledger
    ADD CONSTRAINT credit_ledger_pkey PRIMARY KEY (tenant_id, id);

-- Name: messages messages_one_per_position; Type: CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.messages
    ADD CONSTRAINT messages_one_per_position UNIQUE (tenant_id, conversation_id, sequence);

-- Name: messages messages_pkey; Type: CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.messages
    ADD CONSTRAINT messages_pkey PRIMARY KEY (tenant_id, id);

-- Name: task_dependencies task_dependencies_pkey; Type: CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.task_dependencies
    ADD CONSTRAINT task_dependencies_pkey PRIMARY KEY (tenant_id, task_id, depends_on_id);

-- Name: task_results task_results_one_per_attempt; Type: CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.task_results
    ADD CONSTRAINT task_results_one_per_attempt UNIQUE (tenant_id, task_id, attempt);

-- Name: task_results task_results_pkey; Type: CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.task_results
    ADD CONSTRAINT task_results_pkey PRIMARY KEY (tenant_id, id);

-- Name: tasks tasks_pkey; Type: CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.tasks
    ADD CONSTRAINT tasks_pkey PRIMARY KEY (tenant_id, id);

-- Name: analytics_events analytics_events_pkey; Type: CONSTRAINT; Schema: analytics; Owner: tenantbase_owner
--
ALTER TABLE ONLY analytics.analytics_events
    ADD CONSTRAINT analytics_events_pkey PRIMARY KEY (tenant_id, occurred_at, id);

-- Name: analytics_events_default analytics_events_default_pkey; Type: CONSTRAINT; Schema: analytics; Owner: tenantbase_owner
--
ALTER TABLE ONLY analytics.analytics_events_default
    ADD CONSTRAINT analytics_events_default_pkey PRIMARY KEY (tenant_id, occurred_at, id);

-- Name: project_analytics project_analytics_one_per_day; Type: CONSTRAINT; Schema: analytics; Owner: tenantbase_owner
--
ALTER TABLE ONLY analytics.project_analytics
    ADD CONSTRAINT project_analytics_one_per_day UNIQUE (tenant_id, project_id, snapshot_date);

-- Name: project_analytics project_analytics_pkey; Type: CONSTRAINT; Schema: analytics; Owner: tenantbase_owner
--
ALTER TABLE ONLY analytics.project_analytics
    ADD CONSTRAINT project_analytics_pkey PRIMARY KEY (tenant_id, id);

-- Name: user_activities user_activities_pkey; Type: CONSTRAINT; Schema: analytics; Owner: tenantbase_owner
--
ALTER TABLE ONLY analytics.user_activities
    ADD CONSTRAINT user_activities_pkey PRIMARY KEY (tenant_id, occurred_at, id);

-- Name: user_activities_default user_activities_default_pkey; Type: CONSTRAINT; Schema: analytics; Owner: tenantbase_owner
--
ALTER TABLE ONLY analytics.user_activities_default
    ADD CONSTRAINT user_activities_default_pkey PRIMARY KEY (tenant_id, occurred_at, id);

-- Name: chain_bases chain_bases_pkey; Type: CONSTRAINT; Schema: audit; Owner: tenantbase_owner
--
ALTER TABLE ONLY audit.chain_bases
    ADD CONSTRAINT chain_bases_pkey PRIMARY KEY (chain_id);

-- Name: chains chains_pkey; Type: CONSTRAINT; Schema: audit; Owner: tenantbase_owner
--
ALTER TABLE ONLY audit.chains
    ADD CONSTRAINT chains_pkey PRIMARY KEY (chain_id);

-- Name: log_pending log_pending_pkey; Type: CONSTRAINT; Schema: audit; Owner: tenantbase_owner
--
ALTER TABLE ONLY audit.log_pending
    ADD CONSTRAINT log_pending_pkey PRIMARY KEY (xact_id, seq);

-- Name: log log_pkey; Type: CONSTRAINT; Schema: audit; Owner: tenantbase_owner
--
ALTER TABLE ONLY audit.log
    ADD CONSTRAINT log_pkey PRIMARY KEY (tenant_id, occurred_at, id);

-- Name: platform_log platform_log_pkey; Type: CONSTRAINT; Schema: audit; Owner: tenantbase_owner
--
ALTER TABLE ONLY audit.platform_log
    ADD CONSTRAINT platform_log_pkey PRIMARY KEY (id);

-- Name: platform_pending platform_pending_pkey; Type: CONSTRAINT; Schema: audit; Owner: tenantbase_owner
--
ALTER TABLE ONLY audit.platform_pending
    ADD CONSTRAINT platform_pending_pkey PRIMARY KEY (xact_id, seq);

-- Name: customers customers_one_per_email; Type: CONSTRAINT; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE ONLY commerce.customers
    ADD CONSTRAINT customers_one_per_email UNIQUE (tenant_id, email);

-- Name: customers customers_pkey; Type: CONSTRAINT; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE ONLY commerce.customers
    ADD CONSTRAINT customers_pkey PRIMARY KEY (tenant_id, id);

-- Name: orders orders_one_per_external_id; Type: CONSTRAINT; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE ONLY commerce.orders
    ADD CONSTRAINT orders_one_per_external_id UNIQUE (tenant_id, store_id, external_id);

-- Name: orders orders_pkey; Type: CONSTRAINT; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE ONLY commerce.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (tenant_id, id);

-- Name: product_content product_content_pkey; Type: CONSTRAINT; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE ONLY commerce.product_content
    ADD CONSTRAINT product_content_pkey PRIMARY KEY (tenant_id, product_id, content_id);

-- Name: product_variants product_variants_pkey; Type: CONSTRAINT; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE ONLY commerce.product_variants
    ADD CONSTRAINT product_variants_pkey PRIMARY KEY (tenant_id, id);

-- Name: products products_one_per_external_id; Type: CONSTRAINT; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE ONLY commerce.products
    ADD CONSTRAINT products_one_per_external_id UNIQUE (tenant_id, store_id, external_id);

-- Name: products products_pkey; Type: CONSTRAINT; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE ONLY commerce.products
    ADD CONSTRAINT products_pkey PRIMARY KEY (tenant_id, id);

-- Name: stores stores_one_per_platform_url; Type: CONSTRAINT; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE ONLY commerce.stores
    ADD CONSTRAINT stores_one_per_platform_url UNIQUE (tenant_id, platform, store_url);

-- Name: stores stores_pkey; Type: CONSTRAINT; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE ONLY commerce.stores
    ADD CONSTRAINT stores_pkey PRIMARY KEY (tenant_id, id);

-- Name: content_projects content_projects_pkey; Type: CONSTRAINT; Schema: content; Owner: tenantbase_owner
--
ALTER TABLE ONLY content.content_projects
    ADD CONSTRAINT content_projects_pkey PRIMARY KEY (tenant_id, id);

-- Name: context_keys context_keys_pkey; Type: CONSTRAINT; Schema: platform; Owner: tenantbase_owner
--
ALTER TABLE ONLY platform.context_keys
    ADD CONSTRAINT context_keys_pkey PRIMARY KEY (id);

-- Name: erasures erasures_pkey; Type: CONSTRAINT; Schema: platform; Owner: tenantbase_owner
--
ALTER TABLE ONLY platform.erasures
    ADD CONSTRAINT erasures_pkey PRIMARY KEY (erased_tenant);

-- Name: tenant_moves tenant_moves_pkey; Type: CONSTRAINT; Schema: platform; Owner: tenantbase_owner
--
ALTER TABLE ONLY platform.tenant_moves
    ADD CONSTRAINT tenant_moves_pkey PRIMARY KEY (moved_tenant);

-- Name: refinery_schema_history refinery_schema_history_pkey; Type: CONSTRAINT; Schema: public; Owner: tenantbase_owner
--
ALTER TABLE ONLY public.refinery_schema_history
    ADD CONSTRAINT refinery_schema_history_pkey PRIMARY KEY (version);

-- Name: api_keys api_keys_pkey; Type: CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.api_keys
    ADD CONSTRAINT api_keys_pkey PRIMARY KEY (tenant_id, id);

-- Name: api_keys api_keys_prefix_per_tenant; Type: CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.api_keys
    ADD CONSTRAINT api_keys_prefix_per_tenant UNIQUE (tenant_id, prefix);

-- Name: idempotency_keys idempotency_keys_one_per_key; Type: CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.idempotency_keys
    ADD CONSTRAINT idempotency_keys_one_per_key UNIQUE (tenant_id, key);

-- Name: idempotency_keys idempotency_keys_pkey; Type: CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.idempotency_keys
    ADD CONSTRAINT idempotency_keys_pkey PRIMARY KEY (tenant_id, id);

-- Name: invitations invitations_pkey; Type: CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.invitations
    ADD CONSTRAINT invitations_pkey PRIMARY KEY (tenant_id, id);

-- Name: invitations invitations_token_hash_key; Type: CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.invitations
    ADD CONSTRAINT invitations_token_hash_key UNIQUE (token_hash);

-- Name: memberships memberships_one_per_user; Type: CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.memberships
    ADD CONSTRAINT memberships_one_per_user UNIQUE (tenant_id, user_id);

-- Name: memberships memberships_pkey; Type: CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.memberships
    ADD CONSTRAINT memberships_pkey PRIMARY KEY (tenant_id, id);

-- Name: permissions permissions_pkey; Type: CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.permissions
    ADD CONSTRAINT permissions_pkey PRIMARY KEY (id);

-- Name: permissions permissions_resource_action_key; Type: CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.permissions
    ADD CONSTRAINT permissions_resource_action_key UNIQUE (resource, action);

-- Name: role_permissions role_permissions_pkey; Type: CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.role_permissions
    ADD CONSTRAINT role_permissions_pkey PRIMARY KEY (tenant_id, role_id, permission_id);

-- Name: roles roles_name_per_tenant; Type: CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.roles
    ADD CONSTRAINT roles_name_per_tenant UNIQUE (tenant_id, name);

-- Name: roles roles_pkey; Type: CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.roles
    ADD CONSTRAINT roles_pkey PRIMARY KEY (tenant_id, id);

-- Name: sessions sessions_pkey; Type: CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (id);

-- Name: sessions sessions_token_hash_key; Type: CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.sessions
    ADD CONSTRAINT sessions_token_hash_key UNIQUE (token_hash);

-- Name: system_role_permissions system_role_permissions_pkey; Type: CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.system_role_permissions
    ADD CONSTRAINT system_role_permissions_pkey PRIMARY KEY (role, permission_id);

-- Name: tenants tenants_domain_key; Type: CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.tenants
    ADD CONSTRAINT tenants_domain_key UNIQUE (domain);

-- Name: tenants tenants_pkey; Type: CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.tenants
    ADD CONSTRAINT tenants_pkey PRIMARY KEY (id);

-- Name: tenants tenants_slug_key; Type: CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.tenants
    ADD CONSTRAINT tenants_slug_key UNIQUE (slug);

-- Name: user_roles user_roles_pkey; Type: CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.user_roles
    ADD CONSTRAINT user_roles_pkey PRIMARY KEY (tenant_id, user_id, role_id);

-- Name: users users_email_key; Type: CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.users
    ADD CONSTRAINT users_email_key UNIQUE (email);

-- Name: users users_pkey; Type: CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

-- Name: approval_requests approval_requests_pkey; Type: CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.approval_requests
    ADD CONSTRAINT approval_requests_pkey PRIMARY KEY (tenant_id, id);

-- Name: approval_responses approval_responses_one_per_approver; Type: CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.approval_responses
    ADD CONSTRAINT approval_responses_one_per_approver UNIQUE (tenant_id, request_id, approver_id);

-- Name: approval_responses approval_responses_pkey; Type: CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.approval_responses
    ADD CONSTRAINT approval_responses_pkey PRIMARY KEY (tenant_id, id);

-- Name: approval_workflow_approvers approval_workflow_approvers_once; Type: CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.approval_workflow_approvers
    ADD CONSTRAINT approval_workflow_approvers_once UNIQUE (tenant_id, workflow_id, approver_id);

-- Name: approval_workflow_approvers approval_workflow_approvers_one_position; Type: CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.approval_workflow_approvers
    ADD CONSTRAINT approval_workflow_approvers_one_position UNIQUE (tenant_id, workflow_id, "position");

-- Name: approval_workflow_approvers approval_workflow_approvers_pkey; Type: CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.approval_workflow_approvers
    ADD CONSTRAINT approval_workflow_approvers_pkey PRIMARY KEY (tenant_id, id);

-- Name: approval_workflows approval_workflows_pkey; Type: CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.approval_workflows
    ADD CONSTRAINT approval_workflows_pkey PRIMARY KEY (tenant_id, id);

-- Name: architecture_decisions architecture_decisions_pkey; Type: CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.architecture_decisions
    ADD CONSTRAINT architecture_decisions_pkey PRIMARY KEY (tenant_id, id);

-- Name: collaboration_sessions collaboration_sessions_pkey; Type: CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.collaboration_sessions
    ADD CONSTRAINT collaboration_sessions_pkey PRIMARY KEY (tenant_id, id);

-- Name: project_risks project_risks_pkey; Type: CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.project_risks
    ADD CONSTRAINT project_risks_pkey PRIMARY KEY (tenant_id, id);

-- Name: projects projects_pkey; Type: CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.projects
    ADD CONSTRAINT projects_pkey PRIMARY KEY (tenant_id, id);

-- Name: requirement_links requirement_links_pkey; Type: CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.requirement_links
    ADD CONSTRAINT requirement_links_pkey PRIMARY KEY (tenant_id, requirement_id, related_requirement_id);

-- Name: requirements requirements_one_next_version; Type: CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.requirements
    ADD CONSTRAINT requirements_one_next_version UNIQUE (tenant_id, previous_version_id);

-- Name: requirements requirements_pkey; Type: CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.requirements
    ADD CONSTRAINT requirements_pkey PRIMARY KEY (tenant_id, id);

-- Name: session_participants session_participants_one_per_user; Type: CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.session_participants
    ADD CONSTRAINT session_participants_one_per_user UNIQUE (tenant_id, session_id, user_id);

-- Name: session_participants session_participants_pkey; Type: CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.session_participants
    ADD CONSTRAINT session_participants_pkey PRIMARY KEY (tenant_id, id);

-- Name: tasks tasks_pkey; Type: CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.tasks
    ADD CONSTRAINT tasks_pkey PRIMARY KEY (tenant_id, id);

-- Name: tasks tasks_project_task_key; Type: CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.tasks
    ADD CONSTRAINT tasks_project_task_key UNIQUE (tenant_id, project_id, id);

-- Name: conversations_status_idx; Type: INDEX; Schema: agents; Owner: tenantbase_owner
--
CREATE INDEX conversations_status_idx ON agents.conversations USING btree (tenant_id, status);

-- Name: conversations_tenant_created_idx; Type: INDEX; Schema: agents; Owner: tenantbase_owner
--
CREATE INDEX conversations_tenant_created_idx ON agents.conversations USING btree (tenant_id, created_at, id);

-- Name: conversations_user_conversations_idx; Type: INDEX; Schema: agents; Owner: tenantbase_owner
--
CREATE INDEX conversations_user_conversations_idx ON agents.conversations USING btree (tenant_id, user_id);

-- Name: credit_ledger_tenant_created_idx; Type: INDEX; Schema: agents; Owner: tenantbase_owner
--
CREATE INDEX credit_ledger_tenant_created_idx ON agents.credit_ledger USING btree (tenant_id, created_at, id);

-- Name: messages_author_idx; Type: INDEX; Schema: agents; Owner: tenantbase_owner
--
CREATE INDEX messages_author_idx ON agents.messages USING btree (tenant_id, author_user_id);

-- Name: messages_conversation_created_idx; Type: INDEX; Schema: agents; Owner: tenantbase_owner
--
CREATE INDEX messages_conversation_created_idx ON agents.messages USING btree (tenant_id, conversation_id, created_at);

-- Name: messages_tenant_created_idx; Type: INDEX; Schema: agents; Owner: tenantbase_owner
--
CREATE INDEX messages_tenant_created_idx ON agents.messages USING btree (tenant_id, created_at, id);

-- Name: task_dependencies_blocks_idx; Type: INDEX; Schema: agents; Owner: tenantbase_owner
--
CREATE INDEX task_dependencies_blocks_idx ON agents.task_dependencies USING btree (tenant_id, depends_on_id);

-- Name: task_results_tenant_created_idx; Type: INDEX; Schema: agents; Owner: tenantbase_owner
--
CREATE INDEX task_results_tenant_created_idx ON agents.task_results USING btree (tenant_id, created_at, id);

-- Name: tasks_assigned_to_idx; Type: INDEX; Schema: agents; Owner: tenantbase_owner
--
CREATE INDEX tasks_assigned_to_idx ON agents.tasks USING btree (tenant_id, assigned_to);

-- Name: tasks_category_idx; Type: INDEX; Schema: agents; Owner: tenantbase_owner
--
CREATE INDEX tasks_category_idx ON agents.tasks USING btree (tenant_id, category);

-- Name: tasks_context_idx; Type: INDEX; Schema: agents; Owner: tenantbase_owner
--
CREATE INDEX tasks_context_idx ON agents.tasks USING gin (tenant_id, context);

-- Name: tasks_created_by_idx; Type: INDEX; Schema: agents; Owner: tenantbase_owner
--
CREATE INDEX tasks_created_by_idx ON agents.tasks USING btree (tenant_id, created_by);

-- Name: tasks_input_idx; Type: INDEX; Schema: agents; Owner: tenantbase_owner
--
CREATE INDEX tasks_input_idx ON agents.tasks USING gin (tenant_id, input);

-- Name: tasks_output_idx; Type: INDEX; Schema: agents; Owner: tenantbase_owner
--
CREATE INDEX tasks_output_idx ON agents.tasks USING gin (tenant_id, output);

-- Name: tasks_parent_idx; Type: INDEX; Schema: agents; Owner: tenantbase_owner
--
CREATE INDEX tasks_parent_idx ON agents.tasks USING btree (tenant_id, parent_task_id);

-- Name: tasks_pending_idx; Type: INDEX; Schema: agents; Owner: tenantbase_owner
--
CREATE INDEX tasks_pending_idx ON agents.tasks USING btree (tenant_id, priority, created_at) WHERE (status = 'pending'::text);

-- Name: tasks_priority_status_idx; Type: INDEX; Schema: agents; Owner: tenantbase_owner
--
CREATE INDEX tasks_priority_status_idx ON agents.tasks USING btree (tenant_id, priority, status);

-- Name: tasks_scheduled_for_idx; Type: INDEX; Schema: agents; Owner: tenantbase_owner
--
CREATE INDEX tasks_scheduled_for_idx ON agents.tasks USING btree (tenant_id, scheduled_for);

-- Name: tasks_status_idx; Type: INDEX; Schema: agents; Owner: tenantbase_owner
--
CREATE INDEX tasks_status_idx ON agents.tasks USING btree (tenant_id, status);

-- Name: tasks_tags_idx; Type: INDEX; Schema: agents; Owner: tenantbase_owner
--
CREATE INDEX tasks_tags_idx ON agents.tasks USING gin (tenant_id, tags);

-- Name: tasks_tenant_created_idx; Type: INDEX; Schema: agents; Owner: tenantbase_owner
--
CREATE INDEX tasks_tenant_created_idx ON agents.tasks USING btree (tenant_id, created_at, id);

-- Name: tasks_type_idx; Type: INDEX; Schema: agents; Owner: tenantbase_owner
--
CREATE INDEX tasks_type_idx ON agents.tasks USING btree (tenant_id, type);

-- Name: tasks_workflow_idx; Type: INDEX; Schema: agents; Owner: tenantbase_owner
--
CREATE INDEX tasks_workflow_idx ON agents.tasks USING btree (tenant_id, workflow_id);

-- Name: analytics_events_customer_idx; Type: INDEX; Schema: analytics; Owner: tenantbase_owner
--
CREATE INDEX analytics_events_customer_idx ON ONLY analytics.analytics_events USING btree (tenant_id, customer_id);

-- Name: analytics_events_tenant_created_idx; Type: INDEX; Schema: analytics; Owner: tenantbase_owner
--
CREATE INDEX analytics_events_tenant_created_idx ON ONLY analytics.analytics_events USING btree (tenant_id, created_at, id);

-- Name: analytics_events_default_tenant_id_created_at_id_idx; Type: INDEX; Schema: analytics; Owner: tenantbase_owner
--
CREATE INDEX analytics_events_default_tenant_id_created_at_id_idx ON analytics.analytics_events_default USING btree (tenant_id, created_at, id);

-- Name: analytics_events_default_tenant_id_customer_id_idx; Type: INDEX; Schema: analytics; Owner: tenantbase_owner
--
CREATE INDEX analytics_events_default_tenant_id_customer_id_idx ON analytics.analytics_events_default USING btree (tenant_id, customer_id);

-- Name: analytics_events_type_idx; Type: INDEX; Schema: analytics; Owner: tenantbase_owner
--
CREATE INDEX analytics_events_type_idx ON ONLY analytics.analytics_events USING btree (tenant_id, event_type, occurred_at);

-- Name: analytics_events_default_tenant_id_event_type_occurred_at_idx; Type: INDEX; Schema: analytics; Owner: tenantbase_owner
--
CREATE INDEX analytics_events_default_tenant_id_event_type_occurred_at_idx ON analytics.analytics_events_default USING btree (tenant_id, event_type, occurred_at);

-- Name: analytics_events_order_idx; Type: INDEX; Schema: analytics; Owner: tenantbase_owner
--
CREATE INDEX analytics_events_order_idx ON ONLY analytics.analytics_events USING btree (tenant_id, order_id);

-- Name: analytics_events_default_tenant_id_order_id_idx; Type: INDEX; Schema: analytics; Owner: tenantbase_owner
--
CREATE INDEX analytics_events_default_tenant_id_order_id_idx ON analytics.analytics_events_default USING btree (tenant_id, order_id);

-- Name: analytics_events_product_idx; Type: INDEX; Schema: analytics; Owner: tenantbase_owner
--
CREATE INDEX analytics_events_product_idx ON ONLY analytics.analytics_events USING btree (tenant_id, product_id);

-- Name: analytics_events_default_tenant_id_product_id_idx; Type: INDEX; Schema: analytics; Owner: tenantbase_owner
--
CREATE INDEX analytics_events_default_tenant_id_product_id_idx ON analytics.analytics_events_default USING btree (tenant_id, product_id);

-- Name: analytics_events_properties_idx; Type: INDEX; Schema: analytics; Owner: tenantbase_owner
--
CREATE INDEX analytics_events_properties_idx ON ONLY analytics.analytics_events USING gin (tenant_id, properties);

-- Name: analytics_events_default_tenant_id_properties_idx; Type: INDEX; Schema: analytics; Owner: tenantbase_owner
--
CREATE INDEX analytics_events_default_tenant_id_properties_idx ON analytics.analytics_events_default USING gin (tenant_id, properties);

-- Name: analytics_events_task_idx; Type: INDEX; Schema: analytics; Owner: tenantbase_owner
--
CREATE INDEX analytics_events_task_idx ON ONLY analytics.analytics_events USING btree (tenant_id, task_id);

-- Name: analytics_events_default_tenant_id_task_id_idx; Type: INDEX; Schema: analytics; Owner: tenantbase_owner
--
CREATE INDEX analytics_events_default_tenant_id_task_id_idx ON analytics.analytics_events_default USING btree (tenant_id, task_id);

-- Name: analytics_events_user_idx; Type: INDEX; Schema: analytics; Owner: tenantbase_owner
--
CREATE INDEX analytics_events_user_idx ON ONLY analytics.analytics_events USING btree (tenant_id, user_id);

-- Name: analytics_events_default_tenant_id_user_id_idx; Type: INDEX; Schema: analytics; Owner: tenantbase_owner
--
CREATE INDEX analytics_events_default_tenant_id_user_id_idx ON analytics.analytics_events_default USING btree (tenant_id, user_id);

-- Name: project_analytics_date_project_idx; Type: INDEX; Schema: analytics; Owner: tenantbase_owner
--
CREATE INDEX project_analytics_date_project_idx ON analytics.project_analytics USING btree (tenant_id, snapshot_date DESC, project_id);

-- Name: project_analytics_tenant_created_idx; Type: INDEX; Schema: analytics; Owner: tenantbase_owner
--
CREATE INDEX project_analytics_tenant_created_idx ON analytics.project_analytics USING btree (tenant_id, created_at, id);

-- Name: user_activities_tenant_created_idx; Type: INDEX; Schema: analytics; Owner: tenantbase_owner
--
CREATE INDEX user_activities_tenant_created_idx ON ONLY analytics.user_activities USING btree (tenant_id, created_at, id);

-- Name: user_activities_default_tenant_id_created_at_id_idx; Type: INDEX; Schema: analytics; Owner: tenantbase_owner
--
CREATE INDEX user_activities_default_tenant_id_created_at_id_idx ON analytics.user_activities_default USING btree (tenant_id, created_at, id);

-- Name: user_activities_project_type_idx; Type: INDEX; Schema: analytics; Owner: tenantbase_owner
--
CREATE INDEX user_activities_project_type_idx ON ONLY analytics.user_activities USING btree (tenant_id, project_id, activity_type, occurred_at DESC);

-- Name: user_activities_default_tenant_id_project_id_activity_type__idx; Type: INDEX; Schema: analytics; Owner: tenantbase_owner
--
CREATE INDEX user_activities_default_tenant_id_project_id_activity_type__idx ON analytics.user_activities_default USING btree (tenant_id, project_id, activity_type, occurred_at DESC);

-- Name: user_activities_user_occurred_idx; Type: INDEX; Schema: analytics; Owner: tenantbase_owner
--
CREATE INDEX user_activities_user_occurred_idx ON ONLY analytics.user_activities USING btree (tenant_id, user_id, occurred_at DESC);

-- Name: user_activities_default_tenant_id_user_id_occurred_at_idx; Type: INDEX; Schema: analytics; Owner: tenantbase_owner
--
CREATE INDEX user_activities_default_tenant_id_user_id_occurred_at_idx ON analytics.user_activities_default USING btree (tenant_id, user_id, occurred_at DESC);

-- Name: log_target_idx; Type: INDEX; Schema: audit; Owner: tenantbase_owner
--
CREATE INDEX log_target_idx ON ONLY audit.log USING btree (tenant_id, target_type, target_id, occurred_at DESC);

-- Name: platform_log_subject_idx; Type: INDEX; Schema: audit; Owner: tenantbase_owner
--
CREATE INDEX platform_log_subject_idx ON audit.platform_log USING btree (subject_tenant_id, occurred_at);

-- Name: customers_last_order_at_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX customers_last_order_at_idx ON commerce.customers USING btree (tenant_id, last_order_at);

-- Name: customers_segment_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX customers_segment_idx ON commerce.customers USING btree (tenant_id, customer_segment);

-- Name: customers_status_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX customers_status_idx ON commerce.customers USING btree (tenant_id, status);

-- Name: customers_tags_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX customers_tags_idx ON commerce.customers USING gin (tenant_id, tags);

-- Name: customers_tenant_created_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX customers_tenant_created_idx ON commerce.customers USING btree (tenant_id, created_at, id);

-- Name: customers_total_spent_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX customers_total_spent_idx ON commerce.customers USING btree (tenant_id, total_spent);

-- Name: orders_customer_date_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX orders_customer_date_idx ON commerce.orders USING btree (tenant_id, customer_id, order_date);

-- Name: orders_external_id_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX orders_external_id_idx ON commerce.orders USING btree (tenant_id, external_id);

-- Name: orders_order_date_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX orders_order_date_idx ON commerce.orders USING btree (tenant_id, order_date);

-- Name: orders_requires_attention_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX orders_requires_attention_idx ON commerce.orders USING btree (tenant_id, order_date) WHERE requires_attention;

-- Name: orders_status_date_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX orders_status_date_idx ON commerce.orders USING btree (tenant_id, status, order_date);

-- Name: orders_tenant_created_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX orders_tenant_created_idx ON commerce.orders USING btree (tenant_id, created_at, id);

-- Name: product_content_content_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX product_content_content_idx ON commerce.product_content USING btree (tenant_id, content_id);

-- Name: product_variants_product_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX product_variants_product_idx ON commerce.product_variants USING btree (tenant_id, product_id);

-- Name: product_variants_sku_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX product_variants_sku_idx ON commerce.product_variants USING btree (tenant_id, sku);

-- Name: product_variants_tenant_created_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX product_variants_tenant_created_idx ON commerce.product_variants USING btree (tenant_id, created_at, id);

-- Name: products_ai_enhanced_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX products_ai_enhanced_idx ON commerce.products USING btree (tenant_id, ai_description_generated, ai_images_generated);

-- Name: products_external_id_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX products_external_id_idx ON commerce.products USING btree (tenant_id, external_id);

-- Name: products_product_type_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX products_product_type_idx ON commerce.products USING btree (tenant_id, product_type);

-- Name: products_sku_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX products_sku_idx ON commerce.products USING btree (tenant_id, sku);

-- Name: products_status_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX products_status_idx ON commerce.products USING btree (tenant_id, status);

-- Name: products_tags_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX products_tags_idx ON commerce.products USING gin (tenant_id, tags);

-- Name: products_tenant_created_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX products_tenant_created_idx ON commerce.products USING btree (tenant_id, created_at, id);

-- Name: stores_last_sync_at_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX stores_last_sync_at_idx ON commerce.stores USING btree (tenant_id, last_sync_at);

-- Name: stores_status_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX stores_status_idx ON commerce.stores USING btree (tenant_id, status);

-- Name: stores_tenant_created_idx; Type: INDEX; Schema: commerce; Owner: tenantbase_owner
--
CREATE INDEX stores_tenant_created_idx ON commerce.stores USING btree (tenant_id, created_at, id);

-- Name: content_projects_assigned_to_idx; Type: INDEX; Schema: content; Owner: tenantbase_owner
--
CREATE INDEX content_projects_assigned_to_idx ON content.content_projects USING btree (tenant_id, assigned_to);

-- Name: content_projects_created_by_idx; Type: INDEX; Schema: content; Owner: tenantbase_owner
--
CREATE INDEX content_projects_created_by_idx ON content.content_projects USING btree (tenant_id, created_by);

-- Name: content_projects_keywords_idx; Type: INDEX; Schema: content; Owner: tenantbase_owner
--
CREATE INDEX content_projects_keywords_idx ON content.content_projects USING gin (tenant_id, target_keywords);

-- Name: content_projects_publish_date_idx; Type: INDEX; Schema: content; Owner: tenantbase_owner
--
CREATE INDEX content_projects_publish_date_idx ON content.content_projects USING btree (tenant_id, publish_date);

-- Name: content_projects_search_idx; Type: INDEX; Schema: content; Owner: tenantbase_owner
--
CREATE INDEX content_projects_search_idx ON content.content_projects USING gin (tenant_id, search_vector);

-- Name: content_projects_status_idx; Type: INDEX; Schema: content; Owner: tenantbase_owner
--
CREATE INDEX content_projects_status_idx ON content.content_projects USING btree (tenant_id, status);

-- Name: content_projects_tags_idx; Type: INDEX; Schema: content; Owner: tenantbase_owner
--
CREATE INDEX content_projects_tags_idx ON content.content_projects USING gin (tenant_id, tags);

-- Name: content_projects_tenant_created_idx; Type: INDEX; Schema: content; Owner: tenantbase_owner
--
CREATE INDEX content_projects_tenant_created_idx ON content.content_projects USING btree (tenant_id, created_at, id);

-- Name: content_projects_type_idx; Type: INDEX; Schema: content; Owner: tenantbase_owner
--
CREATE INDEX content_projects_type_idx ON content.content_projects USING btree (tenant_id, content_type);

-- Name: context_keys_one_current; Type: INDEX; Schema: platform; Owner: tenantbase_owner
--
CREATE UNIQUE INDEX context_keys_one_current ON platform.context_keys USING btree ((true)) WHERE (retires_at IS NULL);

-- Name: api_keys_created_by_idx; Type: INDEX; Schema: tenancy; Owner: tenantbase_owner
--
CREATE INDEX api_keys_created_by_idx ON tenancy.api_keys USING btree (tenant_id, created_by);

-- Name: api_keys_revoked_by_idx; Type: INDEX; Schema: tenancy; Owner: tenantbase_owner
--
CREATE INDEX api_keys_revoked_by_idx ON tenancy.api_keys USING btree (tenant_id, revoked_by);

-- Name: api_keys_tenant_created_idx; Type: INDEX; Schema: tenancy; Owner: tenantbase_owner
--
CREATE INDEX api_keys_tenant_created_idx ON tenancy.api_keys USING btree (tenant_id, created_at, id);

-- Name: idempotency_keys_expires_idx; Type: INDEX; Schema: tenancy; Owner: tenantbase_owner
--
CREATE INDEX idempotency_keys_expires_idx ON tenancy.idempotency_keys USING btree (tenant_id, expires_at);

-- Name: idempotency_keys_tenant_created_idx; Type: INDEX; Schema: tenancy; Owner: tenantbase_owner
--
CREATE INDEX idempotency_keys_tenant_created_idx ON tenancy.idempotency_keys USING btree (tenant_id, created_at, id);

-- Name: invitations_accepted_by_idx; Type: INDEX; Schema: tenancy; Owner: tenantbase_owner
--
CREATE INDEX invitations_accepted_by_idx ON tenancy.invitations USING btree (tenant_id, accepted_by);

-- Name: invitations_invited_by_idx; Type: INDEX; Schema: tenancy; Owner: tenantbase_owner
--
CREATE INDEX invitations_invited_by_idx ON tenancy.invitations USING btree (tenant_id, invited_by);

-- Name: invitations_open_idx; Type: INDEX; Schema: tenancy; Owner: tenantbase_owner
--
CREATE INDEX invitations_open_idx ON tenancy.invitations USING btree (tenant_id, created_at) WHERE ((accepted_at IS NULL) AND (revoked_at IS NULL));

-- Name: invitations_revoked_by_idx; Type: INDEX; Schema: tenancy; Owner: tenantbase_owner
--
CREATE INDEX invitations_revoked_by_idx ON tenancy.invitations USING btree (tenant_id, revoked_by);

-- Name: invitations_tenant_created_idx; Type: INDEX; Schema: tenancy; Owner: tenantbase_owner
--
CREATE INDEX invitations_tenant_created_idx ON tenancy.invitations USING btree (tenant_id, created_at, id);

-- Name: INDEX invitations_token_hash_key; Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON INDEX tenancy.invitations_token_hash_key IS 'tenantbase:an invitation is found by its token alone (its acceptor is no member yet); the SHA-256 of a 256-bit random token names nothing, and only its holder can present it';

-- Name: memberships_invited_by_idx; Type: INDEX; Schema: tenancy; Owner: tenantbase_owner
--
CREATE INDEX memberships_invited_by_idx ON tenancy.memberships USING btree (tenant_id, invited_by);

-- Name: memberships_tenant_created_idx; Type: INDEX; Schema: tenancy; Owner: tenantbase_owner
--
CREATE INDEX memberships_tenant_created_idx ON tenancy.memberships USING btree (tenant_id, created_at, id);

-- Name: memberships_tenant_role_idx; Type: INDEX; Schema: tenancy; Owner: tenantbase_owner
--
CREATE INDEX memberships_tenant_role_idx ON tenancy.memberships USING btree (tenant_id, role);

-- Name: memberships_user_idx; Type: INDEX; Schema: tenancy; Owner: tenantbase_owner
--
CREATE INDEX memberships_user_idx ON tenancy.memberships USING btree (user_id, tenant_id);

-- Name: INDEX memberships_user_idx; Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON INDEX tenancy.memberships_user_idx IS 'tenantbase:cross-tenant lookup of a user''s own memberships';

-- Name: role_permissions_permission_idx; Type: INDEX; Schema: tenancy; Owner: tenantbase_owner
--
CREATE INDEX role_permissions_permission_idx ON tenancy.role_permissions USING btree (permission_id);

-- Name: INDEX role_permissions_permission_idx; Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON INDEX tenancy.role_permissions_permission_idx IS 'tenantbase:covers a foreign key to a global table';

-- Name: roles_tenant_created_idx; Type: INDEX; Schema: tenancy; Owner: tenantbase_owner
--
CREATE INDEX roles_tenant_created_idx ON tenancy.roles USING btree (tenant_id, created_at, id);

-- Name: sessions_active_tenant_idx; Type: INDEX; Schema: tenancy; Owner: tenantbase_owner
--
CREATE INDEX sessions_active_tenant_idx ON tenancy.sessions USING btree (active_tenant_id);

-- Name: sessions_user_idx; Type: INDEX; Schema: tenancy; Owner: tenantbase_owner
--
CREATE INDEX sessions_user_idx ON tenancy.sessions USING btree (user_id, started_at DESC);

-- Name: system_role_permissions_permission_idx; Type: INDEX; Schema: tenancy; Owner: tenantbase_owner
--
CREATE INDEX system_role_permissions_permission_idx ON tenancy.system_role_permissions USING btree (permission_id);

-- Name: tenants_created_by_idx; Type: INDEX; Schema: tenancy; Owner: tenantbase_owner
--
CREATE INDEX tenants_created_by_idx ON tenancy.tenants USING btree (created_by);

-- Name: INDEX tenants_created_by_idx; Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON INDEX tenancy.tenants_created_by_idx IS 'tenantbase:covers a foreign key to a global table';

-- Name: INDEX tenants_domain_key; Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON INDEX tenancy.tenants_domain_key IS 'tenantbase:a tenant''s domain names it globally (it routes requests), like a user''s email';

-- Name: tenants_plan_idx; Type: INDEX; Schema: tenancy; Owner: tenantbase_owner
--
CREATE INDEX tenants_plan_idx ON tenancy.tenants USING btree (plan);

-- Name: INDEX tenants_plan_idx; Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON INDEX tenancy.tenants_plan_idx IS 'tenantbase:platform-wide (billing by plan), read by operators only';

-- Name: INDEX tenants_slug_key; Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON INDEX tenancy.tenants_slug_key IS 'tenantbase:a tenant''s slug names it globally (it routes requests and sign-up picks it), like a user''s email';

-- Name: tenants_subscription_status_idx; Type: INDEX; Schema: tenancy; Owner: tenantbase_owner
--
CREATE INDEX tenants_subscription_status_idx ON tenancy.tenants USING btree (subscription_status);

-- Name: INDEX tenants_subscription_status_idx; Type: COMMENT; Schema: tenancy; Owner: tenantbase_owner
--
COMMENT ON INDEX tenancy.tenants_subscription_status_idx IS 'tenantbase:platform-wide (billing by subscription status), read by operators only';

-- Name: user_roles_granted_by_idx; Type: INDEX; Schema: tenancy; Owner: tenantbase_owner
--
CREATE INDEX user_roles_granted_by_idx ON tenancy.user_roles USING btree (tenant_id, granted_by);

-- Name: user_roles_role_idx; Type: INDEX; Schema: tenancy; Owner: tenantbase_owner
--
CREATE INDEX user_roles_role_idx ON tenancy.user_roles USING btree (tenant_id, role_id);

-- Name: approval_requests_pending_due_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX approval_requests_pending_due_idx ON work.approval_requests USING btree (tenant_id, status, due_date) WHERE (status = 'pending'::text);

-- Name: approval_requests_project_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX approval_requests_project_idx ON work.approval_requests USING btree (tenant_id, project_id, status);

-- Name: approval_requests_requested_by_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX approval_requests_requested_by_idx ON work.approval_requests USING btree (tenant_id, requested_by);

-- Name: approval_requests_tenant_created_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX approval_requests_tenant_created_idx ON work.approval_requests USING btree (tenant_id, created_at, id);

-- Name: approval_requests_workflow_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX approval_requests_workflow_idx ON work.approval_requests USING btree (tenant_id, workflow_id);

-- Name: approval_responses_approver_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX approval_responses_approver_idx ON work.approval_responses USING btree (tenant_id, approver_id);

-- Name: approval_responses_tenant_created_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX approval_responses_tenant_created_idx ON work.approval_responses USING btree (tenant_id, created_at, id);

-- Name: approval_workflow_approvers_approver_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX approval_workflow_approvers_approver_idx ON work.approval_workflow_approvers USING btree (tenant_id, approver_id);

-- Name: approval_workflow_approvers_tenant_created_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX approval_workflow_approvers_tenant_created_idx ON work.approval_workflow_approvers USING btree (tenant_id, created_at, id);

-- Name: approval_workflows_active_type_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX approval_workflows_active_type_idx ON work.approval_workflows USING btree (tenant_id, workflow_type) WHERE is_active;

-- Name: approval_workflows_created_by_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX approval_workflows_created_by_idx ON work.approval_workflows USING btree (tenant_id, created_by);

-- Name: approval_workflows_project_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX approval_workflows_project_idx ON work.approval_workflows USING btree (tenant_id, project_id);

-- Name: approval_workflows_tenant_created_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX approval_workflows_tenant_created_idx ON work.approval_workflows USING btree (tenant_id, created_at, id);

-- Name: architecture_decisions_created_by_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX architecture_decisions_created_by_idx ON work.architecture_decisions USING btree (tenant_id, created_by);

-- Name: architecture_decisions_decided_by_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX architecture_decisions_decided_by_idx ON work.architecture_decisions USING btree (tenant_id, decided_by);

-- Name: architecture_decisions_project_status_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX architecture_decisions_project_status_idx ON work.architecture_decisions USING btree (tenant_id, project_id, status);

-- Name: architecture_decisions_search_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX architecture_decisions_search_idx ON work.architecture_decisions USING gin (tenant_id, search_vector);

-- Name: architecture_decisions_superseded_by_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX architecture_decisions_superseded_by_idx ON work.architecture_decisions USING btree (tenant_id, superseded_by);

-- Name: architecture_decisions_tenant_created_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX architecture_decisions_tenant_created_idx ON work.architecture_decisions USING btree (tenant_id, created_at, id);

-- Name: collaboration_sessions_created_by_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX collaboration_sessions_created_by_idx ON work.collaboration_sessions USING btree (tenant_id, created_by);

-- Name: collaboration_sessions_facilitator_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX collaboration_sessions_facilitator_idx ON work.collaboration_sessions USING btree (tenant_id, facilitator_id);

-- Name: collaboration_sessions_project_scheduled_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX collaboration_sessions_project_scheduled_idx ON work.collaboration_sessions USING btree (tenant_id, project_id, scheduled_start);

-- Name: collaboration_sessions_tenant_created_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX collaboration_sessions_tenant_created_idx ON work.collaboration_sessions USING btree (tenant_id, created_at, id);

-- Name: project_risks_created_by_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX project_risks_created_by_idx ON work.project_risks USING btree (tenant_id, created_by);

-- Name: project_risks_owner_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX project_risks_owner_idx ON work.project_risks USING btree (tenant_id, owner_id);

-- Name: project_risks_project_status_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX project_risks_project_status_idx ON work.project_risks USING btree (tenant_id, project_id, status, risk_score DESC);

-- Name: project_risks_tenant_created_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX project_risks_tenant_created_idx ON work.project_risks USING btree (tenant_id, created_at, id);

-- Name: projects_created_by_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX projects_created_by_idx ON work.projects USING btree (tenant_id, created_by);

-- Name: projects_open_status_priority_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX projects_open_status_priority_idx ON work.projects USING btree (tenant_id, status, priority) WHERE (status <> 'completed'::text);

-- Name: projects_search_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX projects_search_idx ON work.projects USING gin (tenant_id, search_vector);

-- Name: projects_settings_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX projects_settings_idx ON work.projects USING gin (tenant_id, settings);

-- Name: projects_status_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX projects_status_idx ON work.projects USING btree (tenant_id, status);

-- Name: projects_tenant_created_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX projects_tenant_created_idx ON work.projects USING btree (tenant_id, created_at, id);

-- Name: requirement_links_related_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX requirement_links_related_idx ON work.requirement_links USING btree (tenant_id, related_requirement_id);

-- Name: requirements_created_by_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX requirements_created_by_idx ON work.requirements USING btree (tenant_id, created_by);

-- Name: requirements_current_version_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX requirements_current_version_idx ON work.requirements USING btree (tenant_id, project_id, type, status) WHERE is_current_version;

-- Name: requirements_parent_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX requirements_parent_idx ON work.requirements USING btree (tenant_id, parent_requirement_id);

-- Name: requirements_project_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX requirements_project_idx ON work.requirements USING btree (tenant_id, project_id);

-- Name: requirements_search_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX requirements_search_idx ON work.requirements USING gin (tenant_id, search_vector);

-- Name: requirements_stakeholder_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX requirements_stakeholder_idx ON work.requirements USING btree (tenant_id, stakeholder_id);

-- Name: requirements_tenant_created_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX requirements_tenant_created_idx ON work.requirements USING btree (tenant_id, created_at, id);

-- Name: session_participants_tenant_created_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX session_participants_tenant_created_idx ON work.session_participants USING btree (tenant_id, created_at, id);

-- Name: session_participants_user_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX session_participants_user_idx ON work.session_participants USING btree (tenant_id, user_id);

-- Name: tasks_assigned_by_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX tasks_assigned_by_idx ON work.tasks USING btree (tenant_id, assigned_by);

-- Name: tasks_assigned_status_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX tasks_assigned_status_idx ON work.tasks USING btree (tenant_id, assigned_to, status) WHERE (assigned_to IS NOT NULL);

-- Name: tasks_assigned_to_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX tasks_assigned_to_idx ON work.tasks USING btree (tenant_id, assigned_to);

-- Name: tasks_created_by_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX tasks_created_by_idx ON work.tasks USING btree (tenant_id, created_by);

-- Name: tasks_custom_fields_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX tasks_custom_fields_idx ON work.tasks USING gin (tenant_id, custom_fields);

-- Name: tasks_incomplete_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX tasks_incomplete_idx ON work.tasks USING btree (tenant_id, project_id, priority, created_at) WHERE (status = ANY (ARRAY['pending'::text, 'in_progress'::text, 'blocked'::text]));

-- Name: tasks_parent_sequence_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX tasks_parent_sequence_idx ON work.tasks USING btree (tenant_id, project_id, parent_task_id, sequence_order) WHERE (parent_task_id IS NOT NULL);

-- Name: tasks_project_status_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX tasks_project_status_idx ON work.tasks USING btree (tenant_id, project_id, status);

-- Name: tasks_search_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX tasks_search_idx ON work.tasks USING gin (tenant_id, search_vector);

-- Name: tasks_tags_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX tasks_tags_idx ON work.tasks USING gin (tenant_id, tags);

-- Name: tasks_tenant_created_idx; Type: INDEX; Schema: work; Owner: tenantbase_owner
--
CREATE INDEX tasks_tenant_created_idx ON work.tasks USING btree (tenant_id, created_at, id);

-- Name: analytics_events_default_pkey; Type: INDEX ATTACH; Schema: analytics; Owner: tenantbase_owner
--
ALTER INDEX analytics.analytics_events_pkey ATTACH PARTITION analytics.analytics_events_default_pkey;

-- Name: analytics_events_default_tenant_id_created_at_id_idx; Type: INDEX ATTACH; Schema: analytics; Owner: tenantbase_owner
--
ALTER INDEX analytics.analytics_events_tenant_created_idx ATTACH PARTITION analytics.analytics_events_default_tenant_id_created_at_id_idx;

-- Name: analytics_events_default_tenant_id_customer_id_idx; Type: INDEX ATTACH; Schema: analytics; Owner: tenantbase_owner
--
ALTER INDEX analytics.analytics_events_customer_idx ATTACH PARTITION analytics.analytics_events_default_tenant_id_customer_id_idx;

-- Name: analytics_events_default_tenant_id_event_type_occurred_at_idx; Type: INDEX ATTACH; Schema: analytics; Owner: tenantbase_owner
--
ALTER INDEX analytics.analytics_events_type_idx ATTACH PARTITION analytics.analytics_events_default_tenant_id_event_type_occurred_at_idx;

-- Name: analytics_events_default_tenant_id_order_id_idx; Type: INDEX ATTACH; Schema: analytics; Owner: tenantbase_owner
--
ALTER INDEX analytics.analytics_events_order_idx ATTACH PARTITION analytics.analytics_events_default_tenant_id_order_id_idx;

-- Name: analytics_events_default_tenant_id_product_id_idx; Type: INDEX ATTACH; Schema: analytics; Owner: tenantbase_owner
--
ALTER INDEX analytics.analytics_events_product_idx ATTACH PARTITION analytics.analytics_events_default_tenant_id_product_id_idx;

-- Name: analytics_events_default_tenant_id_properties_idx; Type: INDEX ATTACH; Schema: analytics; Owner: tenantbase_owner
--
ALTER INDEX analytics.analytics_events_properties_idx ATTACH PARTITION analytics.analytics_events_default_tenant_id_properties_idx;

-- Name: analytics_events_default_tenant_id_task_id_idx; Type: INDEX ATTACH; Schema: analytics; Owner: tenantbase_owner
--
ALTER INDEX analytics.analytics_events_task_idx ATTACH PARTITION analytics.analytics_events_default_tenant_id_task_id_idx;

-- Name: analytics_events_default_tenant_id_user_id_idx; Type: INDEX ATTACH; Schema: analytics; Owner: tenantbase_owner
--
ALTER INDEX analytics.analytics_events_user_idx ATTACH PARTITION analytics.analytics_events_default_tenant_id_user_id_idx;

-- Name: user_activities_default_pkey; Type: INDEX ATTACH; Schema: analytics; Owner: tenantbase_owner
--
ALTER INDEX analytics.user_activities_pkey ATTACH PARTITION analytics.user_activities_default_pkey;

-- Name: user_activities_default_tenant_id_created_at_id_idx; Type: INDEX ATTACH; Schema: analytics; Owner: tenantbase_owner
--
ALTER INDEX analytics.user_activities_tenant_created_idx ATTACH PARTITION analytics.user_activities_default_tenant_id_created_at_id_idx;

-- Name: user_activities_default_tenant_id_project_id_activity_type__idx; Type: INDEX ATTACH; Schema: analytics; Owner: tenantbase_owner
--
ALTER INDEX analytics.user_activities_project_type_idx ATTACH PARTITION analytics.user_activities_default_tenant_id_project_id_activity_type__idx;

-- Name: user_activities_default_tenant_id_user_id_occurred_at_idx; Type: INDEX ATTACH; Schema: analytics; Owner: tenantbase_owner
--
ALTER INDEX analytics.user_activities_user_occurred_idx ATTACH PARTITION analytics.user_activities_default_tenant_id_user_id_occurred_at_idx;

-- Name: tasks _lifecycle_status; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER _lifecycle_status BEFORE UPDATE OF status ON agents.tasks FOR EACH ROW WHEN (((old.status IS NOT NULL) AND (old.status IS DISTINCT FROM new.status))) EXECUTE FUNCTION tenancy.refuse_illegal_transition('status', 'ai_task_status');

-- Name: conversations audit_delete; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON agents.conversations REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('agents.conversations', 'conversations', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE agents.conversations ENABLE ALWAYS TRIGGER audit_delete;

-- Name: credit_ledger audit_delete; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON agents.credit_ledger REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('agents.credit_ledger', 'credit_ledger', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE agents.credit_ledger ENABLE ALWAYS TRIGGER audit_delete;

-- Name: messages audit_delete; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON agents.messages REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('agents.messages', 'messages', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE agents.messages ENABLE ALWAYS TRIGGER audit_delete;

-- Name: task_dependencies audit_delete; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON agents.task_dependencies REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('agents.task_dependencies', 'task_dependencies', 'data_change', 'tenant_id', 'tenant_id', 'task_id', 'depends_on_id');

ALTER TABLE agents.task_dependencies ENABLE ALWAYS TRIGGER audit_delete;

-- Name: task_results audit_delete; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON agents.task_results REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('agents.task_results', 'task_results', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE agents.task_results ENABLE ALWAYS TRIGGER audit_delete;

-- Name: tasks audit_delete; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON agents.tasks REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('agents.tasks', 'tasks', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE agents.tasks ENABLE ALWAYS TRIGGER audit_delete;

-- Name: conversations audit_insert; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON agents.conversations REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('agents.conversations', 'conversations', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE agents.conversations ENABLE ALWAYS TRIGGER audit_insert;

-- Name: credit_ledger audit_insert; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON agents.credit_ledger REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('agents.credit_ledger', 'credit_ledger', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE agents.credit_ledger ENABLE ALWAYS TRIGGER audit_insert;

-- Name: messages audit_insert; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON agents.messages REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('agents.messages', 'messages', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE agents.messages ENABLE ALWAYS TRIGGER audit_insert;

-- Name: task_dependencies audit_insert; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON agents.task_dependencies REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('agents.task_dependencies', 'task_dependencies', 'data_change', 'tenant_id', 'tenant_id', 'task_id', 'depends_on_id');

ALTER TABLE agents.task_dependencies ENABLE ALWAYS TRIGGER audit_insert;

-- Name: task_results audit_insert; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON agents.task_results REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('agents.task_results', 'task_results', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE agents.task_results ENABLE ALWAYS TRIGGER audit_insert;

-- Name: tasks audit_insert; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON agents.tasks REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('agents.tasks', 'tasks', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE agents.tasks ENABLE ALWAYS TRIGGER audit_insert;

-- Name: conversations audit_truncate; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON agents.conversations FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('agents.conversations');

ALTER TABLE agents.conversations ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: credit_ledger audit_truncate; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON agents.credit_ledger FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('agents.credit_ledger');

ALTER TABLE agents.credit_ledger ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: messages audit_truncate; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON agents.messages FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('agents.messages');

ALTER TABLE agents.messages ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: task_dependencies audit_truncate; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON agents.task_dependencies FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('agents.task_dependencies');

ALTER TABLE agents.task_dependencies ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: task_results audit_truncate; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON agents.task_results FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('agents.task_results');

ALTER TABLE agents.task_results ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: tasks audit_truncate; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON agents.tasks FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('agents.tasks');

ALTER TABLE agents.tasks ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: conversations audit_update; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON agents.conversations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('agents.conversations', 'conversations', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE agents.conversations ENABLE ALWAYS TRIGGER audit_update;

-- Name: credit_ledger audit_update; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON agents.credit_ledger REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('agents.credit_ledger', 'credit_ledger', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE agents.credit_ledger ENABLE ALWAYS TRIGGER audit_update;

-- Name: messages audit_update; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON agents.messages REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('agents.messages', 'messages', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE agents.messages ENABLE ALWAYS TRIGGER audit_update;

-- Name: task_dependencies audit_update; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON agents.task_dependencies REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('agents.task_dependencies', 'task_dependencies', 'data_change', 'tenant_id', 'tenant_id', 'task_id', 'depends_on_id');

ALTER TABLE agents.task_dependencies ENABLE ALWAYS TRIGGER audit_update;

-- Name: task_results audit_update; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON agents.task_results REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('agents.task_results', 'task_results', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE agents.task_results ENABLE ALWAYS TRIGGER audit_update;

-- Name: tasks audit_update; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON agents.tasks REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('agents.tasks', 'tasks', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE agents.tasks ENABLE ALWAYS TRIGGER audit_update;

-- Name: conversations bump_version; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON agents.conversations FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: credit_ledger bump_version; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON agents.credit_ledger FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: messages bump_version; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON agents.messages FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: task_dependencies bump_version; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON agents.task_dependencies FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: task_results bump_version; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON agents.task_results FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: tasks bump_version; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON agents.tasks FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: task_dependencies chain_edits_in_order; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER chain_edits_in_order BEFORE INSERT OR UPDATE OF task_id, depends_on_id ON agents.task_dependencies FOR EACH STATEMENT EXECUTE FUNCTION tenancy.serialize_chain_edits();

-- Name: tasks chain_edits_in_order; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER chain_edits_in_order BEFORE INSERT OR UPDATE OF parent_task_id ON agents.tasks FOR EACH STATEMENT EXECUTE FUNCTION tenancy.serialize_chain_edits();

-- Name: tasks charge_completed_task; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER charge_completed_task BEFORE INSERT OR UPDATE OF status ON agents.tasks FOR EACH ROW WHEN ((new.status = 'completed'::text)) EXECUTE FUNCTION agents.charge_completed_task();

-- Name: tasks lifecycle_charged_cost; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER lifecycle_charged_cost AFTER UPDATE OF actual_cost, estimated_cost ON agents.tasks FOR EACH ROW WHEN (((old.status = ANY (ARRAY['completed'::text, 'awaiting_credits'::text])) AND ((old.actual_cost IS DISTINCT FROM new.actual_cost) OR (old.estimated_cost IS DISTINCT FROM new.estimated_cost)))) EXECUTE FUNCTION agents.refuse_charged_cost_change();

-- Name: messages number_message; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER number_message BEFORE INSERT ON agents.messages FOR EACH ROW EXECUTE FUNCTION agents.number_message();

-- Name: tasks parent_task_id_acyclic; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER parent_task_id_acyclic AFTER INSERT OR UPDATE OF parent_task_id ON agents.tasks FOR EACH ROW WHEN ((new.parent_task_id IS NOT NULL)) EXECUTE FUNCTION agents.tasks_parent_task_id_acyclic();

-- Name: task_dependencies refuse_dependency_cycle; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER refuse_dependency_cycle AFTER INSERT OR UPDATE ON agents.task_dependencies FOR EACH ROW EXECUTE FUNCTION agents.refuse_dependency_cycle();

-- Name: tasks stamp_acting_user; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER stamp_acting_user BEFORE INSERT OR UPDATE ON agents.tasks FOR EACH ROW EXECUTE FUNCTION tenancy.stamp_acting_user('created_by');

-- Name: conversations touch_updated_at; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON agents.conversations FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: credit_ledger touch_updated_at; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON agents.credit_ledger FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: messages touch_updated_at; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON agents.messages FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: task_dependencies touch_updated_at; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON agents.task_dependencies FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: task_results touch_updated_at; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON agents.task_results FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: tasks touch_updated_at; Type: TRIGGER; Schema: agents; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON agents.tasks FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: analytics_events audit_delete; Type: TRIGGER; Schema: analytics; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON analytics.analytics_events REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('analytics.analytics_events', 'analytics_events', 'data_change', 'tenant_id', 'tenant_id', 'occurred_at', 'id');

ALTER TABLE analytics.analytics_events ENABLE ALWAYS TRIGGER audit_delete;

-- Name: project_analytics audit_delete; Type: TRIGGER; Schema: analytics; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON analytics.project_analytics REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('analytics.project_analytics', 'project_analytics', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE analytics.project_analytics ENABLE ALWAYS TRIGGER audit_delete;

-- Name: user_activities audit_delete; Type: TRIGGER; Schema: analytics; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON analytics.user_activities REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('analytics.user_activities', 'user_activities', 'data_change', 'tenant_id', 'tenant_id', 'occurred_at', 'id');

ALTER TABLE analytics.user_activities ENABLE ALWAYS TRIGGER audit_delete;

-- Name: analytics_events audit_insert; Type: TRIGGER; Schema: analytics; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON analytics.analytics_events REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('analytics.analytics_events', 'analytics_events', 'data_change', 'tenant_id', 'tenant_id', 'occurred_at', 'id');

ALTER TABLE analytics.analytics_events ENABLE ALWAYS TRIGGER audit_insert;

-- Name: project_analytics audit_insert; Type: TRIGGER; Schema: analytics; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON analytics.project_analytics REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('analytics.project_analytics', 'project_analytics', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE analytics.project_analytics ENABLE ALWAYS TRIGGER audit_insert;

-- Name: user_activities audit_insert; Type: TRIGGER; Schema: analytics; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON analytics.user_activities REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('analytics.user_activities', 'user_activities', 'data_change', 'tenant_id', 'tenant_id', 'occurred_at', 'id');

ALTER TABLE analytics.user_activities ENABLE ALWAYS TRIGGER audit_insert;

-- Name: analytics_events audit_truncate; Type: TRIGGER; Schema: analytics; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON analytics.analytics_events FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('analytics.analytics_events');

ALTER TABLE analytics.analytics_events ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: project_analytics audit_truncate; Type: TRIGGER; Schema: analytics; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON analytics.project_analytics FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('analytics.project_analytics');

ALTER TABLE analytics.project_analytics ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: user_activities audit_truncate; Type: TRIGGER; Schema: analytics; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON analytics.user_activities FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('analytics.user_activities');

ALTER TABLE analytics.user_activities ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: analytics_events audit_update; Type: TRIGGER; Schema: analytics; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON analytics.analytics_events REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('analytics.analytics_events', 'analytics_events', 'data_change', 'tenant_id', 'tenant_id', 'occurred_at', 'id');

ALTER TABLE analytics.analytics_events ENABLE ALWAYS TRIGGER audit_update;

-- Name: project_analytics audit_update; Type: TRIGGER; Schema: analytics; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON analytics.project_analytics REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('analytics.project_analytics', 'project_analytics', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE analytics.project_analytics ENABLE ALWAYS TRIGGER audit_update;

-- Name: user_activities audit_update; Type: TRIGGER; Schema: analytics; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON analytics.user_activities REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('analytics.user_activities', 'user_activities', 'data_change', 'tenant_id', 'tenant_id', 'occurred_at', 'id');

ALTER TABLE analytics.user_activities ENABLE ALWAYS TRIGGER audit_update;

-- Name: analytics_events bump_version; Type: TRIGGER; Schema: analytics; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON analytics.analytics_events FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: project_analytics bump_version; Type: TRIGGER; Schema: analytics; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON analytics.project_analytics FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: user_activities bump_version; Type: TRIGGER; Schema: analytics; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON analytics.user_activities FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: analytics_events touch_updated_at; Type: TRIGGER; Schema: analytics; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON analytics.analytics_events FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: project_analytics touch_updated_at; Type: TRIGGER; Schema: analytics; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON analytics.project_analytics FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: user_activities touch_updated_at; Type: TRIGGER; Schema: analytics; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON analytics.user_activities FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: log refuse_change; Type: TRIGGER; Schema: audit; Owner: tenantbase_owner
--
CREATE TRIGGER refuse_change BEFORE DELETE OR UPDATE ON audit.log FOR EACH ROW EXECUTE FUNCTION audit.refuse_change('tenant_id');

-- Name: platform_log refuse_change; Type: TRIGGER; Schema: audit; Owner: tenantbase_owner
--
CREATE TRIGGER refuse_change BEFORE DELETE OR UPDATE ON audit.platform_log FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();

-- Name: log refuse_truncate; Type: TRIGGER; Schema: audit; Owner: tenantbase_owner
--
CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON audit.log FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

-- Name: platform_log refuse_truncate; Type: TRIGGER; Schema: audit; Owner: tenantbase_owner
--
CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON audit.platform_log FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

-- Name: orders _lifecycle_fulfillment_status; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER _lifecycle_fulfillment_status BEFORE UPDATE OF fulfillment_status ON commerce.orders FOR EACH ROW WHEN (((old.fulfillment_status IS NOT NULL) AND (old.fulfillment_status IS DISTINCT FROM new.fulfillment_status))) EXECUTE FUNCTION tenancy.refuse_illegal_transition('fulfillment_status', 'order_fulfillment_status');

-- Name: orders _lifecycle_payment_status; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER _lifecycle_payment_status BEFORE UPDATE OF payment_status ON commerce.orders FOR EACH ROW WHEN (((old.payment_status IS NOT NULL) AND (old.payment_status IS DISTINCT FROM new.payment_status))) EXECUTE FUNCTION tenancy.refuse_illegal_transition('payment_status', 'order_payment_status');

-- Name: orders _lifecycle_status; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER _lifecycle_status BEFORE UPDATE OF status ON commerce.orders FOR EACH ROW WHEN (((old.status IS NOT NULL) AND (old.status IS DISTINCT FROM new.status))) EXECUTE FUNCTION tenancy.refuse_illegal_transition('status', 'order_status');

-- Name: customers audit_delete; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON commerce.customers REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('commerce.customers', 'customers', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE commerce.customers ENABLE ALWAYS TRIGGER audit_delete;

-- Name: orders audit_delete; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON commerce.orders REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('commerce.orders', 'orders', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE commerce.orders ENABLE ALWAYS TRIGGER audit_delete;

-- Name: product_content audit_delete; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON commerce.product_content REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('commerce.product_content', 'product_content', 'data_change', 'tenant_id', 'tenant_id', 'product_id', 'content_id');

ALTER TABLE commerce.product_content ENABLE ALWAYS TRIGGER audit_delete;

-- Name: product_variants audit_delete; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON commerce.product_variants REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('commerce.product_variants', 'product_variants', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE commerce.product_variants ENABLE ALWAYS TRIGGER audit_delete;

-- Name: products audit_delete; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON commerce.products REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('commerce.products', 'products', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE commerce.products ENABLE ALWAYS TRIGGER audit_delete;

-- Name: stores audit_delete; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON commerce.stores REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('commerce.stores', 'stores', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE commerce.stores ENABLE ALWAYS TRIGGER audit_delete;

-- Name: customers audit_insert; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON commerce.customers REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('commerce.customers', 'customers', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE commerce.customers ENABLE ALWAYS TRIGGER audit_insert;

-- Name: orders audit_insert; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON commerce.orders REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('commerce.orders', 'orders', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE commerce.orders ENABLE ALWAYS TRIGGER audit_insert;

-- Name: product_content audit_insert; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON commerce.product_content REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('commerce.product_content', 'product_content', 'data_change', 'tenant_id', 'tenant_id', 'product_id', 'content_id');

ALTER TABLE commerce.product_content ENABLE ALWAYS TRIGGER audit_insert;

-- Name: product_variants audit_insert; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON commerce.product_variants REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('commerce.product_variants', 'product_variants', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE commerce.product_variants ENABLE ALWAYS TRIGGER audit_insert;

-- Name: products audit_insert; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON commerce.products REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('commerce.products', 'products', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE commerce.products ENABLE ALWAYS TRIGGER audit_insert;

-- Name: stores audit_insert; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON commerce.stores REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('commerce.stores', 'stores', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE commerce.stores ENABLE ALWAYS TRIGGER audit_insert;

-- Name: customers audit_truncate; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON commerce.customers FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('commerce.customers');

ALTER TABLE commerce.customers ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: orders audit_truncate; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON commerce.orders FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('commerce.orders');

ALTER TABLE commerce.orders ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: product_content audit_truncate; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON commerce.product_content FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('commerce.product_content');

ALTER TABLE commerce.product_content ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: product_variants audit_truncate; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON commerce.product_variants FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('commerce.product_variants');

ALTER TABLE commerce.product_variants ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: products audit_truncate; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON commerce.products FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('commerce.products');

ALTER TABLE commerce.products ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: stores audit_truncate; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON commerce.stores FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('commerce.stores');

ALTER TABLE commerce.stores ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: customers audit_update; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON commerce.customers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('commerce.customers', 'customers', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE commerce.customers ENABLE ALWAYS TRIGGER audit_update;

-- Name: orders audit_update; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON commerce.orders REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('commerce.orders', 'orders', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE commerce.orders ENABLE ALWAYS TRIGGER audit_update;

-- Name: product_content audit_update; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON commerce.product_content REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('commerce.product_content', 'product_content', 'data_change', 'tenant_id', 'tenant_id', 'product_id', 'content_id');

ALTER TABLE commerce.product_content ENABLE ALWAYS TRIGGER audit_update;

-- Name: product_variants audit_update; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON commerce.product_variants REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('commerce.product_variants', 'product_variants', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE commerce.product_variants ENABLE ALWAYS TRIGGER audit_update;

-- Name: products audit_update; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON commerce.products REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('commerce.products', 'products', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE commerce.products ENABLE ALWAYS TRIGGER audit_update;

-- Name: stores audit_update; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON commerce.stores REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('commerce.stores', 'stores', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE commerce.stores ENABLE ALWAYS TRIGGER audit_update;

-- Name: customers bump_version; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON commerce.customers FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: orders bump_version; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON commerce.orders FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: product_content bump_version; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON commerce.product_content FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: product_variants bump_version; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON commerce.product_variants FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: products bump_version; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON commerce.products FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: stores bump_version; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON commerce.stores FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: orders maintain_customer_metrics_delete; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER maintain_customer_metrics_delete AFTER DELETE ON commerce.orders REFERENCING OLD TABLE AS old_orders FOR EACH STATEMENT EXECUTE FUNCTION commerce.maintain_customer_metrics();

-- Name: orders maintain_customer_metrics_insert; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER maintain_customer_metrics_insert AFTER INSERT ON commerce.orders REFERENCING NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION commerce.maintain_customer_metrics();

-- Name: orders maintain_customer_metrics_update; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER maintain_customer_metrics_update AFTER UPDATE ON commerce.orders REFERENCING OLD TABLE AS old_orders NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION commerce.maintain_customer_metrics();

-- Name: customers start_customer_metrics; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER start_customer_metrics BEFORE INSERT ON commerce.customers FOR EACH ROW EXECUTE FUNCTION commerce.start_customer_metrics();

-- Name: customers touch_updated_at; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON commerce.customers FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: orders touch_updated_at; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON commerce.orders FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: product_content touch_updated_at; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON commerce.product_content FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: product_variants touch_updated_at; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON commerce.product_variants FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: products touch_updated_at; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON commerce.products FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: stores touch_updated_at; Type: TRIGGER; Schema: commerce; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON commerce.stores FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: content_projects _lifecycle_status; Type: TRIGGER; Schema: content; Owner: tenantbase_owner
--
CREATE TRIGGER _lifecycle_status BEFORE UPDATE OF status ON content.content_projects FOR EACH ROW WHEN (((old.status IS NOT NULL) AND (old.status IS DISTINCT FROM new.status))) EXECUTE FUNCTION tenancy.refuse_illegal_transition('status', 'content_status');

-- Name: content_projects audit_delete; Type: TRIGGER; Schema: content; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON content.content_projects REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('content.content_projects', 'content_projects', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE content.content_projects ENABLE ALWAYS TRIGGER audit_delete;

-- Name: content_projects audit_insert; Type: TRIGGER; Schema: content; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON content.content_projects REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('content.content_projects', 'content_projects', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE content.content_projects ENABLE ALWAYS TRIGGER audit_insert;

-- Name: content_projects audit_truncate; Type: TRIGGER; Schema: content; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON content.content_projects FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('content.content_projects');

ALTER TABLE content.content_projects ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: content_projects audit_update; Type: TRIGGER; Schema: content; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON content.content_projects REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('content.content_projects', 'content_projects', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE content.content_projects ENABLE ALWAYS TRIGGER audit_update;

-- Name: content_projects bump_version; Type: TRIGGER; Schema: content; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON content.content_projects FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: content_projects stamp_acting_user; Type: TRIGGER; Schema: content; Owner: tenantbase_owner
--
CREATE TRIGGER stamp_acting_user BEFORE INSERT OR UPDATE ON content.content_projects FOR EACH ROW EXECUTE FUNCTION tenancy.stamp_acting_user('created_by');

-- Name: content_projects touch_updated_at; Type: TRIGGER; Schema: content; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON content.content_projects FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: api_keys audit_delete; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON tenancy.api_keys REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('tenancy.api_keys', 'api_keys', 'security_event', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE tenancy.api_keys ENABLE ALWAYS TRIGGER audit_delete;

-- Name: idempotency_keys audit_delete; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON tenancy.idempotency_keys REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('tenancy.idempotency_keys', 'idempotency_keys', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE tenancy.idempotency_keys ENABLE ALWAYS TRIGGER audit_delete;

-- Name: invitations audit_delete; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON tenancy.invitations REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('tenancy.invitations', 'invitations', 'authorization', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE tenancy.invitations ENABLE ALWAYS TRIGGER audit_delete;

-- Name: memberships audit_delete; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON tenancy.memberships REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('tenancy.memberships', 'memberships', 'authorization', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE tenancy.memberships ENABLE ALWAYS TRIGGER audit_delete;

-- Name: role_permissions audit_delete; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON tenancy.role_permissions REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('tenancy.role_permissions', 'role_permissions', 'authorization', 'tenant_id', 'tenant_id', 'role_id', 'permission_id');

ALTER TABLE tenancy.role_permissions ENABLE ALWAYS TRIGGER audit_delete;

-- Name: roles audit_delete; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON tenancy.roles REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('tenancy.roles', 'roles', 'authorization', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE tenancy.roles ENABLE ALWAYS TRIGGER audit_delete;

-- Name: tenants audit_delete; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON tenancy.tenants REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('tenancy.tenants', 'tenants', 'configuration_change', 'id', 'id');

ALTER TABLE tenancy.tenants ENABLE ALWAYS TRIGGER audit_delete;

-- Name: user_roles audit_delete; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON tenancy.user_roles REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('tenancy.user_roles', 'user_roles', 'authorization', 'tenant_id', 'tenant_id', 'user_id', 'role_id');

ALTER TABLE tenancy.user_roles ENABLE ALWAYS TRIGGER audit_delete;

-- Name: api_keys audit_insert; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON tenancy.api_keys REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('tenancy.api_keys', 'api_keys', 'security_event', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE tenancy.api_keys ENABLE ALWAYS TRIGGER audit_insert;

-- Name: idempotency_keys audit_insert; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON tenancy.idempotency_keys REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('tenancy.idempotency_keys', 'idempotency_keys', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE tenancy.idempotency_keys ENABLE ALWAYS TRIGGER audit_insert;

-- Name: invitations audit_insert; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON tenancy.invitations REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('tenancy.invitations', 'invitations', 'authorization', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE tenancy.invitations ENABLE ALWAYS TRIGGER audit_insert;

-- Name: memberships audit_insert; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON tenancy.memberships REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('tenancy.memberships', 'memberships', 'authorization', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE tenancy.memberships ENABLE ALWAYS TRIGGER audit_insert;

-- Name: role_permissions audit_insert; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON tenancy.role_permissions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('tenancy.role_permissions', 'role_permissions', 'authorization', 'tenant_id', 'tenant_id', 'role_id', 'permission_id');

ALTER TABLE tenancy.role_permissions ENABLE ALWAYS TRIGGER audit_insert;

-- Name: roles audit_insert; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON tenancy.roles REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('tenancy.roles', 'roles', 'authorization', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE tenancy.roles ENABLE ALWAYS TRIGGER audit_insert;

-- Name: tenants audit_insert; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON tenancy.tenants REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('tenancy.tenants', 'tenants', 'configuration_change', 'id', 'id');

ALTER TABLE tenancy.tenants ENABLE ALWAYS TRIGGER audit_insert;

-- Name: user_roles audit_insert; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON tenancy.user_roles REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('tenancy.user_roles', 'user_roles', 'authorization', 'tenant_id', 'tenant_id', 'user_id', 'role_id');

ALTER TABLE tenancy.user_roles ENABLE ALWAYS TRIGGER audit_insert;

-- Name: users audit_locked; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_locked AFTER UPDATE OF locked_until ON tenancy.users FOR EACH ROW WHEN (((new.locked_until IS NOT NULL) AND (new.locked_until IS DISTINCT FROM old.locked_until))) EXECUTE FUNCTION audit.record_account_event('account.locked', 'logins refused until a set time');

ALTER TABLE tenancy.users ENABLE ALWAYS TRIGGER audit_locked;

-- Name: sessions audit_session_ended; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_session_ended AFTER UPDATE OF ended_at ON tenancy.sessions FOR EACH ROW WHEN (((old.ended_at IS NULL) AND (new.ended_at IS NOT NULL))) EXECUTE FUNCTION audit.record_account_event('session.ended', 'a session ended');

ALTER TABLE tenancy.sessions ENABLE ALWAYS TRIGGER audit_session_ended;

-- Name: sessions audit_session_started; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_session_started AFTER INSERT ON tenancy.sessions FOR EACH ROW EXECUTE FUNCTION audit.record_account_event('session.started', 'a user logged in');

ALTER TABLE tenancy.sessions ENABLE ALWAYS TRIGGER audit_session_started;

-- Name: users audit_signed_up; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_signed_up AFTER INSERT ON tenancy.users FOR EACH ROW EXECUTE FUNCTION audit.record_account_event('account.signed_up', 'a user signed up');

ALTER TABLE tenancy.users ENABLE ALWAYS TRIGGER audit_signed_up;

-- Name: tenants audit_tenant_lifecycle; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_tenant_lifecycle BEFORE INSERT OR DELETE ON tenancy.tenants FOR EACH ROW EXECUTE FUNCTION audit.record_tenant_lifecycle();

-- Name: api_keys audit_truncate; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON tenancy.api_keys FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('tenancy.api_keys');

ALTER TABLE tenancy.api_keys ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: idempotency_keys audit_truncate; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON tenancy.idempotency_keys FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('tenancy.idempotency_keys');

ALTER TABLE tenancy.idempotency_keys ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: invitations audit_truncate; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON tenancy.invitations FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('tenancy.invitations');

ALTER TABLE tenancy.invitations ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: memberships audit_truncate; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON tenancy.memberships FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('tenancy.memberships');

ALTER TABLE tenancy.memberships ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: role_permissions audit_truncate; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON tenancy.role_permissions FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('tenancy.role_permissions');

ALTER TABLE tenancy.role_permissions ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: roles audit_truncate; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON tenancy.roles FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('tenancy.roles');

ALTER TABLE tenancy.roles ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: tenants audit_truncate; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON tenancy.tenants FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('tenancy.tenants');

ALTER TABLE tenancy.tenants ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: user_roles audit_truncate; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON tenancy.user_roles FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('tenancy.user_roles');

ALTER TABLE tenancy.user_roles ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: api_keys audit_update; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON tenancy.api_keys REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('tenancy.api_keys', 'api_keys', 'security_event', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE tenancy.api_keys ENABLE ALWAYS TRIGGER audit_update;

-- Name: idempotency_keys audit_update; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON tenancy.idempotency_keys REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('tenancy.idempotency_keys', 'idempotency_keys', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE tenancy.idempotency_keys ENABLE ALWAYS TRIGGER audit_update;

-- Name: invitations audit_update; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON tenancy.invitations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('tenancy.invitations', 'invitations', 'authorization', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE tenancy.invitations ENABLE ALWAYS TRIGGER audit_update;

-- Name: memberships audit_update; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON tenancy.memberships REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('tenancy.memberships', 'memberships', 'authorization', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE tenancy.memberships ENABLE ALWAYS TRIGGER audit_update;

-- Name: role_permissions audit_update; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON tenancy.role_permissions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('tenancy.role_permissions', 'role_permissions', 'authorization', 'tenant_id', 'tenant_id', 'role_id', 'permission_id');

ALTER TABLE tenancy.role_permissions ENABLE ALWAYS TRIGGER audit_update;

-- Name: roles audit_update; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON tenancy.roles REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('tenancy.roles', 'roles', 'authorization', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE tenancy.roles ENABLE ALWAYS TRIGGER audit_update;

-- Name: tenants audit_update; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON tenancy.tenants REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('tenancy.tenants', 'tenants', 'configuration_change', 'id', 'id');

ALTER TABLE tenancy.tenants ENABLE ALWAYS TRIGGER audit_update;

-- Name: user_roles audit_update; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON tenancy.user_roles REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('tenancy.user_roles', 'user_roles', 'authorization', 'tenant_id', 'tenant_id', 'user_id', 'role_id');

ALTER TABLE tenancy.user_roles ENABLE ALWAYS TRIGGER audit_update;

-- Name: api_keys bump_version; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON tenancy.api_keys FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: idempotency_keys bump_version; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON tenancy.idempotency_keys FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: invitations bump_version; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON tenancy.invitations FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: memberships bump_version; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON tenancy.memberships FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: role_permissions bump_version; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON tenancy.role_permissions FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: roles bump_version; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON tenancy.roles FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: tenants bump_version; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON tenancy.tenants FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: user_roles bump_version; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON tenancy.user_roles FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: tenants defer_member_references; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER defer_member_references BEFORE DELETE ON tenancy.tenants FOR EACH STATEMENT EXECUTE FUNCTION tenancy.defer_member_references();

-- Name: memberships guard_membership_status; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER guard_membership_status BEFORE UPDATE OF status ON tenancy.memberships FOR EACH ROW EXECUTE FUNCTION tenancy.guard_membership_status();

-- Name: invitations guard_owner_invitations; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER guard_owner_invitations BEFORE INSERT ON tenancy.invitations FOR EACH ROW EXECUTE FUNCTION tenancy.guard_owner_invitations();

-- Name: memberships guard_owners; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER guard_owners BEFORE INSERT OR DELETE OR UPDATE ON tenancy.memberships FOR EACH ROW EXECUTE FUNCTION tenancy.guard_owners();

-- Name: api_keys stamp_acting_user; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER stamp_acting_user BEFORE INSERT OR UPDATE ON tenancy.api_keys FOR EACH ROW EXECUTE FUNCTION tenancy.stamp_acting_user('created_by');

-- Name: invitations stamp_acting_user; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER stamp_acting_user BEFORE INSERT OR UPDATE ON tenancy.invitations FOR EACH ROW EXECUTE FUNCTION tenancy.stamp_acting_user('invited_by');

-- Name: user_roles stamp_acting_user; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER stamp_acting_user BEFORE INSERT OR UPDATE ON tenancy.user_roles FOR EACH ROW EXECUTE FUNCTION tenancy.stamp_acting_user('granted_by');

-- Name: api_keys touch_updated_at; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON tenancy.api_keys FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: idempotency_keys touch_updated_at; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON tenancy.idempotency_keys FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: memberships touch_updated_at; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON tenancy.memberships FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: roles touch_updated_at; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON tenancy.roles FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: sessions touch_updated_at; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON tenancy.sessions FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: tenants touch_updated_at; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON tenancy.tenants FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: users touch_updated_at; Type: TRIGGER; Schema: tenancy; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON tenancy.users FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: approval_requests _lifecycle_status; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER _lifecycle_status BEFORE UPDATE OF status ON work.approval_requests FOR EACH ROW WHEN (((old.status IS NOT NULL) AND (old.status IS DISTINCT FROM new.status))) EXECUTE FUNCTION tenancy.refuse_illegal_transition('status', 'approval_request_status');

-- Name: projects _lifecycle_status; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER _lifecycle_status BEFORE UPDATE OF status ON work.projects FOR EACH ROW WHEN (((old.status IS NOT NULL) AND (old.status IS DISTINCT FROM new.status))) EXECUTE FUNCTION tenancy.refuse_illegal_transition('status', 'project_status');

-- Name: requirements _lifecycle_status; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER _lifecycle_status BEFORE UPDATE OF status ON work.requirements FOR EACH ROW WHEN (((old.status IS NOT NULL) AND (old.status IS DISTINCT FROM new.status))) EXECUTE FUNCTION tenancy.refuse_illegal_transition('status', 'requirement_status');

-- Name: tasks _lifecycle_status; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER _lifecycle_status BEFORE UPDATE OF status ON work.tasks FOR EACH ROW WHEN (((old.status IS NOT NULL) AND (old.status IS DISTINCT FROM new.status))) EXECUTE FUNCTION tenancy.refuse_illegal_transition('status', 'work_task_status');

-- Name: approval_responses apply_approval_response; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER apply_approval_response AFTER INSERT ON work.approval_responses FOR EACH ROW EXECUTE FUNCTION work.apply_approval_response();

-- Name: approval_requests audit_delete; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON work.approval_requests REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.approval_requests', 'approval_requests', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.approval_requests ENABLE ALWAYS TRIGGER audit_delete;

-- Name: approval_responses audit_delete; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON work.approval_responses REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.approval_responses', 'approval_responses', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.approval_responses ENABLE ALWAYS TRIGGER audit_delete;

-- Name: approval_workflow_approvers audit_delete; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON work.approval_workflow_approvers REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.approval_workflow_approvers', 'approval_workflow_approvers', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.approval_workflow_approvers ENABLE ALWAYS TRIGGER audit_delete;

-- Name: approval_workflows audit_delete; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON work.approval_workflows REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.approval_workflows', 'approval_workflows', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.approval_workflows ENABLE ALWAYS TRIGGER audit_delete;

-- Name: architecture_decisions audit_delete; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON work.architecture_decisions REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.architecture_decisions', 'architecture_decisions', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.architecture_decisions ENABLE ALWAYS TRIGGER audit_delete;

-- Name: collaboration_sessions audit_delete; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON work.collaboration_sessions REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.collaboration_sessions', 'collaboration_sessions', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.collaboration_sessions ENABLE ALWAYS TRIGGER audit_delete;

-- Name: project_risks audit_delete; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON work.project_risks REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.project_risks', 'project_risks', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.project_risks ENABLE ALWAYS TRIGGER audit_delete;

-- Name: projects audit_delete; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON work.projects REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.projects', 'projects', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.projects ENABLE ALWAYS TRIGGER audit_delete;

-- Name: requirement_links audit_delete; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON work.requirement_links REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.requirement_links', 'requirement_links', 'data_change', 'tenant_id', 'tenant_id', 'requirement_id', 'related_requirement_id');

ALTER TABLE work.requirement_links ENABLE ALWAYS TRIGGER audit_delete;

-- Name: requirements audit_delete; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON work.requirements REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.requirements', 'requirements', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.requirements ENABLE ALWAYS TRIGGER audit_delete;

-- Name: session_participants audit_delete; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON work.session_participants REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.session_participants', 'session_participants', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.session_participants ENABLE ALWAYS TRIGGER audit_delete;

-- Name: tasks audit_delete; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_delete AFTER DELETE ON work.tasks REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.tasks', 'tasks', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.tasks ENABLE ALWAYS TRIGGER audit_delete;

-- Name: approval_requests audit_insert; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON work.approval_requests REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.approval_requests', 'approval_requests', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.approval_requests ENABLE ALWAYS TRIGGER audit_insert;

-- Name: approval_responses audit_insert; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON work.approval_responses REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.approval_responses', 'approval_responses', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.approval_responses ENABLE ALWAYS TRIGGER audit_insert;

-- Name: approval_workflow_approvers audit_insert; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON work.approval_workflow_approvers REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.approval_workflow_approvers', 'approval_workflow_approvers', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.approval_workflow_approvers ENABLE ALWAYS TRIGGER audit_insert;

-- Name: approval_workflows audit_insert; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON work.approval_workflows REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.approval_workflows', 'approval_workflows', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.approval_workflows ENABLE ALWAYS TRIGGER audit_insert;

-- Name: architecture_decisions audit_insert; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON work.architecture_decisions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.architecture_decisions', 'architecture_decisions', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.architecture_decisions ENABLE ALWAYS TRIGGER audit_insert;

-- Name: collaboration_sessions audit_insert; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON work.collaboration_sessions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.collaboration_sessions', 'collaboration_sessions', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.collaboration_sessions ENABLE ALWAYS TRIGGER audit_insert;

-- Name: project_risks audit_insert; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON work.project_risks REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.project_risks', 'project_risks', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.project_risks ENABLE ALWAYS TRIGGER audit_insert;

-- Name: projects audit_insert; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON work.projects REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.projects', 'projects', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.projects ENABLE ALWAYS TRIGGER audit_insert;

-- Name: requirement_links audit_insert; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON work.requirement_links REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.requirement_links', 'requirement_links', 'data_change', 'tenant_id', 'tenant_id', 'requirement_id', 'related_requirement_id');

ALTER TABLE work.requirement_links ENABLE ALWAYS TRIGGER audit_insert;

-- Name: requirements audit_insert; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON work.requirements REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.requirements', 'requirements', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.requirements ENABLE ALWAYS TRIGGER audit_insert;

-- Name: session_participants audit_insert; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON work.session_participants REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.session_participants', 'session_participants', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.session_participants ENABLE ALWAYS TRIGGER audit_insert;

-- Name: tasks audit_insert; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_insert AFTER INSERT ON work.tasks REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.tasks', 'tasks', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.tasks ENABLE ALWAYS TRIGGER audit_insert;

-- Name: approval_requests audit_truncate; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON work.approval_requests FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('work.approval_requests');

ALTER TABLE work.approval_requests ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: approval_responses audit_truncate; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON work.approval_responses FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('work.approval_responses');

ALTER TABLE work.approval_responses ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: approval_workflow_approvers audit_truncate; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON work.approval_workflow_approvers FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('work.approval_workflow_approvers');

ALTER TABLE work.approval_workflow_approvers ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: approval_workflows audit_truncate; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON work.approval_workflows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('work.approval_workflows');

ALTER TABLE work.approval_workflows ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: architecture_decisions audit_truncate; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON work.architecture_decisions FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('work.architecture_decisions');

ALTER TABLE work.architecture_decisions ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: collaboration_sessions audit_truncate; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON work.collaboration_sessions FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('work.collaboration_sessions');

ALTER TABLE work.collaboration_sessions ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: project_risks audit_truncate; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON work.project_risks FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('work.project_risks');

ALTER TABLE work.project_risks ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: projects audit_truncate; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON work.projects FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('work.projects');

ALTER TABLE work.projects ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: requirement_links audit_truncate; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON work.requirement_links FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('work.requirement_links');

ALTER TABLE work.requirement_links ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: requirements audit_truncate; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON work.requirements FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('work.requirements');

ALTER TABLE work.requirements ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: session_participants audit_truncate; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON work.session_participants FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('work.session_participants');

ALTER TABLE work.session_participants ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: tasks audit_truncate; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON work.tasks FOR EACH STATEMENT EXECUTE FUNCTION audit.record_truncate('work.tasks');

ALTER TABLE work.tasks ENABLE ALWAYS TRIGGER audit_truncate;

-- Name: approval_requests audit_update; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON work.approval_requests REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.approval_requests', 'approval_requests', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.approval_requests ENABLE ALWAYS TRIGGER audit_update;

-- Name: approval_responses audit_update; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON work.approval_responses REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.approval_responses', 'approval_responses', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.approval_responses ENABLE ALWAYS TRIGGER audit_update;

-- Name: approval_workflow_approvers audit_update; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON work.approval_workflow_approvers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.approval_workflow_approvers', 'approval_workflow_approvers', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.approval_workflow_approvers ENABLE ALWAYS TRIGGER audit_update;

-- Name: approval_workflows audit_update; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON work.approval_workflows REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.approval_workflows', 'approval_workflows', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.approval_workflows ENABLE ALWAYS TRIGGER audit_update;

-- Name: architecture_decisions audit_update; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON work.architecture_decisions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.architecture_decisions', 'architecture_decisions', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.architecture_decisions ENABLE ALWAYS TRIGGER audit_update;

-- Name: collaboration_sessions audit_update; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON work.collaboration_sessions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.collaboration_sessions', 'collaboration_sessions', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.collaboration_sessions ENABLE ALWAYS TRIGGER audit_update;

-- Name: project_risks audit_update; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON work.project_risks REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.project_risks', 'project_risks', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.project_risks ENABLE ALWAYS TRIGGER audit_update;

-- Name: projects audit_update; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON work.projects REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.projects', 'projects', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.projects ENABLE ALWAYS TRIGGER audit_update;

-- Name: requirement_links audit_update; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON work.requirement_links REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.requirement_links', 'requirement_links', 'data_change', 'tenant_id', 'tenant_id', 'requirement_id', 'related_requirement_id');

ALTER TABLE work.requirement_links ENABLE ALWAYS TRIGGER audit_update;

-- Name: requirements audit_update; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON work.requirements REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.requirements', 'requirements', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.requirements ENABLE ALWAYS TRIGGER audit_update;

-- Name: session_participants audit_update; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON work.session_participants REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.session_participants', 'session_participants', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.session_participants ENABLE ALWAYS TRIGGER audit_update;

-- Name: tasks audit_update; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER audit_update AFTER UPDATE ON work.tasks REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes('work.tasks', 'tasks', 'data_change', 'tenant_id', 'tenant_id', 'id');

ALTER TABLE work.tasks ENABLE ALWAYS TRIGGER audit_update;

-- Name: approval_requests bump_version; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON work.approval_requests FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: approval_responses bump_version; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON work.approval_responses FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: approval_workflow_approvers bump_version; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON work.approval_workflow_approvers FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: approval_workflows bump_version; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON work.approval_workflows FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: architecture_decisions bump_version; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON work.architecture_decisions FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: collaboration_sessions bump_version; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON work.collaboration_sessions FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: project_risks bump_version; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON work.project_risks FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: projects bump_version; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON work.projects FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: requirement_links bump_version; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON work.requirement_links FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: requirements bump_version; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON work.requirements FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: session_participants bump_version; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON work.session_participants FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: tasks bump_version; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER bump_version BEFORE UPDATE ON work.tasks FOR EACH ROW EXECUTE FUNCTION tenancy.bump_version();

-- Name: architecture_decisions chain_edits_in_order; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER chain_edits_in_order BEFORE INSERT OR UPDATE OF superseded_by ON work.architecture_decisions FOR EACH STATEMENT EXECUTE FUNCTION tenancy.serialize_chain_edits();

-- Name: requirements chain_edits_in_order; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER chain_edits_in_order BEFORE INSERT OR UPDATE OF parent_requirement_id, previous_version_id ON work.requirements FOR EACH STATEMENT EXECUTE FUNCTION tenancy.serialize_chain_edits();

-- Name: tasks chain_edits_in_order; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER chain_edits_in_order BEFORE INSERT OR UPDATE OF parent_task_id ON work.tasks FOR EACH STATEMENT EXECUTE FUNCTION tenancy.serialize_chain_edits();

-- Name: requirements parent_requirement_id_acyclic; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER parent_requirement_id_acyclic AFTER INSERT OR UPDATE OF parent_requirement_id ON work.requirements FOR EACH ROW WHEN ((new.parent_requirement_id IS NOT NULL)) EXECUTE FUNCTION work.requirements_parent_requirement_id_acyclic();

-- Name: tasks parent_task_id_acyclic; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER parent_task_id_acyclic AFTER INSERT OR UPDATE OF parent_task_id ON work.tasks FOR EACH ROW WHEN ((new.parent_task_id IS NOT NULL)) EXECUTE FUNCTION work.tasks_parent_task_id_acyclic();

-- Name: requirements previous_version_id_acyclic; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER previous_version_id_acyclic AFTER INSERT OR UPDATE OF previous_version_id ON work.requirements FOR EACH ROW WHEN ((new.previous_version_id IS NOT NULL)) EXECUTE FUNCTION work.requirements_previous_version_id_acyclic();

-- Name: requirements retire_previous_version; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER retire_previous_version AFTER INSERT ON work.requirements FOR EACH ROW WHEN ((new.previous_version_id IS NOT NULL)) EXECUTE FUNCTION work.retire_previous_version();

-- Name: approval_requests stamp_acting_user; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER stamp_acting_user BEFORE INSERT OR UPDATE ON work.approval_requests FOR EACH ROW EXECUTE FUNCTION tenancy.stamp_acting_user('requested_by');

-- Name: approval_workflows stamp_acting_user; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER stamp_acting_user BEFORE INSERT OR UPDATE ON work.approval_workflows FOR EACH ROW EXECUTE FUNCTION tenancy.stamp_acting_user('created_by');

-- Name: architecture_decisions stamp_acting_user; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER stamp_acting_user BEFORE INSERT OR UPDATE ON work.architecture_decisions FOR EACH ROW EXECUTE FUNCTION tenancy.stamp_acting_user('created_by');

-- Name: collaboration_sessions stamp_acting_user; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER stamp_acting_user BEFORE INSERT OR UPDATE ON work.collaboration_sessions FOR EACH ROW EXECUTE FUNCTION tenancy.stamp_acting_user('created_by');

-- Name: project_risks stamp_acting_user; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER stamp_acting_user BEFORE INSERT OR UPDATE ON work.project_risks FOR EACH ROW EXECUTE FUNCTION tenancy.stamp_acting_user('created_by');

-- Name: projects stamp_acting_user; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER stamp_acting_user BEFORE INSERT OR UPDATE ON work.projects FOR EACH ROW EXECUTE FUNCTION tenancy.stamp_acting_user('created_by');

-- Name: requirements stamp_acting_user; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER stamp_acting_user BEFORE INSERT OR UPDATE ON work.requirements FOR EACH ROW EXECUTE FUNCTION tenancy.stamp_acting_user('created_by');

-- Name: tasks stamp_acting_user; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER stamp_acting_user BEFORE INSERT OR UPDATE ON work.tasks FOR EACH ROW EXECUTE FUNCTION tenancy.stamp_acting_user('created_by');

-- Name: architecture_decisions superseded_by_acyclic; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER superseded_by_acyclic AFTER INSERT OR UPDATE OF superseded_by ON work.architecture_decisions FOR EACH ROW WHEN ((new.superseded_by IS NOT NULL)) EXECUTE FUNCTION work.architecture_decisions_superseded_by_acyclic();

-- Name: approval_requests touch_updated_at; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON work.approval_requests FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: approval_responses touch_updated_at; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON work.approval_responses FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: approval_workflow_approvers touch_updated_at; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON work.approval_workflow_approvers FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: approval_workflows touch_updated_at; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON work.approval_workflows FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: architecture_decisions touch_updated_at; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON work.architecture_decisions FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: collaboration_sessions touch_updated_at; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON work.collaboration_sessions FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: project_risks touch_updated_at; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON work.project_risks FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: projects touch_updated_at; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON work.projects FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: requirement_links touch_updated_at; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON work.requirement_links FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: requirements touch_updated_at; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON work.requirements FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: session_participants touch_updated_at; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON work.session_participants FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: tasks touch_updated_at; Type: TRIGGER; Schema: work; Owner: tenantbase_owner
--
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON work.tasks FOR EACH ROW EXECUTE FUNCTION tenancy.touch_updated_at();

-- Name: conversations conversations_tenant_id_fkey; Type: FK CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.conversations
    ADD CONSTRAINT conversations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: conversations conversations_user_id_fkey; Type: FK CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.conversations
    ADD CONSTRAINT conversations_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: credit_ledger credit_ledger_tenant_id_fkey; Type: FK CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.credit_ledger
    ADD CONSTRAINT credit_ledger_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: credit_ledger credit_ledger_tenant_id_task_id_fkey; Type: FK CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.credit_ledger
    ADD CONSTRAINT credit_ledger_tenant_id_task_id_fkey FOREIGN KEY (tenant_id, task_id) REFERENCES agents.tasks(tenant_id, id) ON DELETE SET NULL (task_id) DEFERRABLE INITIALLY DEFERRED;

-- Name: messages messages_author_user_id_fkey; Type: FK CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.messages
    ADD CONSTRAINT messages_author_user_id_fkey FOREIGN KEY (tenant_id, author_user_id) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: messages messages_tenant_id_conversation_id_fkey; Type: FK CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.messages
    ADD CONSTRAINT messages_tenant_id_conversation_id_fkey FOREIGN KEY (tenant_id, conversation_id) REFERENCES agents.conversations(tenant_id, id) ON DELETE CASCADE;

-- Name: messages messages_tenant_id_fkey; Type: FK CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.messages
    ADD CONSTRAINT messages_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: task_dependencies task_dependencies_tenant_id_depends_on_id_fkey; Type: FK CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.task_dependencies
    ADD CONSTRAINT task_dependencies_tenant_id_depends_on_id_fkey FOREIGN KEY (tenant_id, depends_on_id) REFERENCES agents.tasks(tenant_id, id) ON DELETE CASCADE;

-- Name: task_dependencies task_dependencies_tenant_id_fkey; Type: FK CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.task_dependencies
    ADD CONSTRAINT task_dependencies_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: task_dependencies task_dependencies_tenant_id_task_id_fkey; Type: FK CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.task_dependencies
    ADD CONSTRAINT task_dependencies_tenant_id_task_id_fkey FOREIGN KEY (tenant_id, task_id) REFERENCES agents.tasks(tenant_id, id) ON DELETE CASCADE;

-- Name: task_results task_results_tenant_id_fkey; Type: FK CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.task_results
    ADD CONSTRAINT task_results_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: task_results task_results_tenant_id_task_id_fkey; Type: FK CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.task_results
    ADD CONSTRAINT task_results_tenant_id_task_id_fkey FOREIGN KEY (tenant_id, task_id) REFERENCES agents.tasks(tenant_id, id) ON DELETE CASCADE;

-- Name: tasks tasks_assigned_to_fkey; Type: FK CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.tasks
    ADD CONSTRAINT tasks_assigned_to_fkey FOREIGN KEY (tenant_id, assigned_to) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: tasks tasks_created_by_fkey; Type: FK CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.tasks
    ADD CONSTRAINT tasks_created_by_fkey FOREIGN KEY (tenant_id, created_by) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: tasks tasks_tenant_id_fkey; Type: FK CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.tasks
    ADD CONSTRAINT tasks_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: tasks tasks_tenant_id_parent_task_id_fkey; Type: FK CONSTRAINT; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE ONLY agents.tasks
    ADD CONSTRAINT tasks_tenant_id_parent_task_id_fkey FOREIGN KEY (tenant_id, parent_task_id) REFERENCES agents.tasks(tenant_id, id);

-- Name: analytics_events analytics_events_tenant_id_customer_id_fkey; Type: FK CONSTRAINT; Schema: analytics; Owner: tenantbase_owner
--
ALTER TABLE analytics.analytics_events
    ADD CONSTRAINT analytics_events_tenant_id_customer_id_fkey FOREIGN KEY (tenant_id, customer_id) REFERENCES commerce.customers(tenant_id, id) ON DELETE SET NULL (customer_id);

-- Name: analytics_events analytics_events_tenant_id_fkey; Type: FK CONSTRAINT; Schema: analytics; Owner: tenantbase_owner
--
ALTER TABLE analytics.analytics_events
    ADD CONSTRAINT analytics_events_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: analytics_events analytics_events_tenant_id_order_id_fkey; Type: FK CONSTRAINT; Schema: analytics; Owner: tenantbase_owner
--
ALTER TABLE analytics.analytics_events
    ADD CONSTRAINT analytics_events_tenant_id_order_id_fkey FOREIGN KEY (tenant_id, order_id) REFERENCES commerce.orders(tenant_id, id) ON DELETE SET NULL (order_id);

-- Name: analytics_events analytics_events_tenant_id_product_id_fkey; Type: FK CONSTRAINT; Schema: analytics; Owner: tenantbase_owner
--
ALTER TABLE analytics.analytics_events
    ADD CONSTRAINT analytics_events_tenant_id_product_id_fkey FOREIGN KEY (tenant_id, product_id) REFERENCES commerce.products(tenant_id, id) ON DELETE SET NULL (product_id);

-- Name: analytics_events analytics_events_tenant_id_task_id_fkey; Type: FK CONSTRAINT; Schema: analytics; Owner: tenantbase_owner
--
ALTER TABLE analytics.analytics_events
    ADD CONSTRAINT analytics_events_tenant_id_task_id_fkey FOREIGN KEY (tenant_id, task_id) REFERENCES agents.tasks(tenant_id, id) ON DELETE SET NULL (task_id);

-- Name: analytics_events analytics_events_user_id_fkey; Type: FK CONSTRAINT; Schema: analytics; Owner: tenantbase_owner
--
ALTER TABLE analytics.analytics_events
    ADD CONSTRAINT analytics_events_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: project_analytics project_analytics_tenant_id_fkey; Type: FK CONSTRAINT; Schema: analytics; Owner: tenantbase_owner
--
ALTER TABLE ONLY analytics.project_analytics
    ADD CONSTRAINT project_analytics_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: project_analytics project_analytics_tenant_id_project_id_fkey; Type: FK CONSTRAINT; Schema: analytics; Owner: tenantbase_owner
--
ALTER TABLE ONLY analytics.project_analytics
    ADD CONSTRAINT project_analytics_tenant_id_project_id_fkey FOREIGN KEY (tenant_id, project_id) REFERENCES work.projects(tenant_id, id) ON DELETE CASCADE;

-- Name: user_activities user_activities_tenant_id_fkey; Type: FK CONSTRAINT; Schema: analytics; Owner: tenantbase_owner
--
ALTER TABLE analytics.user_activities
    ADD CONSTRAINT user_activities_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: user_activities user_activities_tenant_id_project_id_fkey; Type: FK CONSTRAINT; Schema: analytics; Owner: tenantbase_owner
--
ALTER TABLE analytics.user_activities
    ADD CONSTRAINT user_activities_tenant_id_project_id_fkey FOREIGN KEY (tenant_id, project_id) REFERENCES work.projects(tenant_id, id) ON DELETE CASCADE;

-- Name: user_activities user_activities_user_id_fkey; Type: FK CONSTRAINT; Schema: analytics; Owner: tenantbase_owner
--
ALTER TABLE analytics.user_activities
    ADD CONSTRAINT user_activities_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES tenancy.memberships(tenant_id, user_id) ON DELETE CASCADE DEFERRABLE;

-- Name: customers customers_tenant_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE ONLY commerce.customers
    ADD CONSTRAINT customers_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: orders orders_tenant_id_customer_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE ONLY commerce.orders
    ADD CONSTRAINT orders_tenant_id_customer_id_fkey FOREIGN KEY (tenant_id, customer_id) REFERENCES commerce.customers(tenant_id, id);

-- Name: orders orders_tenant_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE ONLY commerce.orders
    ADD CONSTRAINT orders_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: orders orders_tenant_id_store_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE ONLY commerce.orders
    ADD CONSTRAINT orders_tenant_id_store_id_fkey FOREIGN KEY (tenant_id, store_id) REFERENCES commerce.stores(tenant_id, id);

-- Name: product_content product_content_tenant_id_content_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE ONLY commerce.product_content
    ADD CONSTRAINT product_content_tenant_id_content_id_fkey FOREIGN KEY (tenant_id, content_id) REFERENCES content.content_projects(tenant_id, id) ON DELETE CASCADE;

-- Name: product_content product_content_tenant_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE ONLY commerce.product_content
    ADD CONSTRAINT product_content_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: product_content product_content_tenant_id_product_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE ONLY commerce.product_content
    ADD CONSTRAINT product_content_tenant_id_product_id_fkey FOREIGN KEY (tenant_id, product_id) REFERENCES commerce.products(tenant_id, id) ON DELETE CASCADE;

-- Name: product_variants product_variants_tenant_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE ONLY commerce.product_variants
    ADD CONSTRAINT product_variants_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: product_variants product_variants_tenant_id_product_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE ONLY commerce.product_variants
    ADD CONSTRAINT product_variants_tenant_id_product_id_fkey FOREIGN KEY (tenant_id, product_id) REFERENCES commerce.products(tenant_id, id) ON DELETE CASCADE;

-- Name: products products_tenant_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE ONLY commerce.products
    ADD CONSTRAINT products_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: products products_tenant_id_store_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE ONLY commerce.products
    ADD CONSTRAINT products_tenant_id_store_id_fkey FOREIGN KEY (tenant_id, store_id) REFERENCES commerce.stores(tenant_id, id) ON DELETE CASCADE;

-- Name: stores stores_tenant_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE ONLY commerce.stores
    ADD CONSTRAINT stores_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: content_projects content_projects_assigned_to_fkey; Type: FK CONSTRAINT; Schema: content; Owner: tenantbase_owner
--
ALTER TABLE ONLY content.content_projects
    ADD CONSTRAINT content_projects_assigned_to_fkey FOREIGN KEY (tenant_id, assigned_to) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: content_projects content_projects_created_by_fkey; Type: FK CONSTRAINT; Schema: content; Owner: tenantbase_owner
--
ALTER TABLE ONLY content.content_projects
    ADD CONSTRAINT content_projects_created_by_fkey FOREIGN KEY (tenant_id, created_by) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: content_projects content_projects_tenant_id_fkey; Type: FK CONSTRAINT; Schema: content; Owner: tenantbase_owner
--
ALTER TABLE ONLY content.content_projects
    ADD CONSTRAINT content_projects_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: api_keys api_keys_created_by_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.api_keys
    ADD CONSTRAINT api_keys_created_by_fkey FOREIGN KEY (tenant_id, created_by) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: api_keys api_keys_revoked_by_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.api_keys
    ADD CONSTRAINT api_keys_revoked_by_fkey FOREIGN KEY (tenant_id, revoked_by) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: api_keys api_keys_tenant_id_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.api_keys
    ADD CONSTRAINT api_keys_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: idempotency_keys idempotency_keys_tenant_id_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.idempotency_keys
    ADD CONSTRAINT idempotency_keys_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: invitations invitations_accepted_by_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.invitations
    ADD CONSTRAINT invitations_accepted_by_fkey FOREIGN KEY (tenant_id, accepted_by) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: invitations invitations_invited_by_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.invitations
    ADD CONSTRAINT invitations_invited_by_fkey FOREIGN KEY (tenant_id, invited_by) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: invitations invitations_revoked_by_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.invitations
    ADD CONSTRAINT invitations_revoked_by_fkey FOREIGN KEY (tenant_id, revoked_by) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: invitations invitations_tenant_id_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.invitations
    ADD CONSTRAINT invitations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: memberships memberships_invited_by_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.memberships
    ADD CONSTRAINT memberships_invited_by_fkey FOREIGN KEY (tenant_id, invited_by) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: memberships memberships_tenant_id_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.memberships
    ADD CONSTRAINT memberships_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: memberships memberships_user_id_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.memberships
    ADD CONSTRAINT memberships_user_id_fkey FOREIGN KEY (user_id) REFERENCES tenancy.users(id) ON DELETE CASCADE;

-- Name: role_permissions role_permissions_permission_id_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.role_permissions
    ADD CONSTRAINT role_permissions_permission_id_fkey FOREIGN KEY (permission_id) REFERENCES tenancy.permissions(id) ON DELETE CASCADE;

-- Name: role_permissions role_permissions_tenant_id_role_id_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.role_permissions
    ADD CONSTRAINT role_permissions_tenant_id_role_id_fkey FOREIGN KEY (tenant_id, role_id) REFERENCES tenancy.roles(tenant_id, id) ON DELETE CASCADE;

-- Name: roles roles_tenant_id_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.roles
    ADD CONSTRAINT roles_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: sessions sessions_active_tenant_id_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.sessions
    ADD CONSTRAINT sessions_active_tenant_id_fkey FOREIGN KEY (active_tenant_id) REFERENCES tenancy.tenants(id) ON DELETE SET NULL;

-- Name: sessions sessions_user_id_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.sessions
    ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES tenancy.users(id) ON DELETE CASCADE;

-- Name: system_role_permissions system_role_permissions_permission_id_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.system_role_permissions
    ADD CONSTRAINT system_role_permissions_permission_id_fkey FOREIGN KEY (permission_id) REFERENCES tenancy.permissions(id) ON DELETE CASCADE;

-- Name: tenants tenants_created_by_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.tenants
    ADD CONSTRAINT tenants_created_by_fkey FOREIGN KEY (created_by) REFERENCES tenancy.users(id) ON DELETE SET NULL;

-- Name: user_roles user_roles_granted_by_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.user_roles
    ADD CONSTRAINT user_roles_granted_by_fkey FOREIGN KEY (tenant_id, granted_by) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: user_roles user_roles_tenant_id_role_id_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.user_roles
    ADD CONSTRAINT user_roles_tenant_id_role_id_fkey FOREIGN KEY (tenant_id, role_id) REFERENCES tenancy.roles(tenant_id, id) ON DELETE CASCADE;

-- Name: user_roles user_roles_tenant_id_user_id_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE ONLY tenancy.user_roles
    ADD CONSTRAINT user_roles_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES tenancy.memberships(tenant_id, user_id) ON DELETE CASCADE;

-- Name: approval_requests approval_requests_requested_by_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.approval_requests
    ADD CONSTRAINT approval_requests_requested_by_fkey FOREIGN KEY (tenant_id, requested_by) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: approval_requests approval_requests_tenant_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.approval_requests
    ADD CONSTRAINT approval_requests_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: approval_requests approval_requests_tenant_id_project_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.approval_requests
    ADD CONSTRAINT approval_requests_tenant_id_project_id_fkey FOREIGN KEY (tenant_id, project_id) REFERENCES work.projects(tenant_id, id) ON DELETE CASCADE;

-- Name: approval_requests approval_requests_tenant_id_workflow_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.approval_requests
    ADD CONSTRAINT approval_requests_tenant_id_workflow_id_fkey FOREIGN KEY (tenant_id, workflow_id) REFERENCES work.approval_workflows(tenant_id, id);

-- Name: approval_responses approval_responses_approver_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.approval_responses
    ADD CONSTRAINT approval_responses_approver_id_fkey FOREIGN KEY (tenant_id, approver_id) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: approval_responses approval_responses_tenant_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.approval_responses
    ADD CONSTRAINT approval_responses_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: approval_responses approval_responses_tenant_id_request_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.approval_responses
    ADD CONSTRAINT approval_responses_tenant_id_request_id_fkey FOREIGN KEY (tenant_id, request_id) REFERENCES work.approval_requests(tenant_id, id) ON DELETE CASCADE;

-- Name: approval_workflow_approvers approval_workflow_approvers_approver_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.approval_workflow_approvers
    ADD CONSTRAINT approval_workflow_approvers_approver_id_fkey FOREIGN KEY (tenant_id, approver_id) REFERENCES tenancy.memberships(tenant_id, user_id) ON DELETE CASCADE DEFERRABLE;

-- Name: approval_workflow_approvers approval_workflow_approvers_tenant_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.approval_workflow_approvers
    ADD CONSTRAINT approval_workflow_approvers_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: approval_workflow_approvers approval_workflow_approvers_tenant_id_workflow_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.approval_workflow_approvers
    ADD CONSTRAINT approval_workflow_approvers_tenant_id_workflow_id_fkey FOREIGN KEY (tenant_id, workflow_id) REFERENCES work.approval_workflows(tenant_id, id) ON DELETE CASCADE;

-- Name: approval_workflows approval_workflows_created_by_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.approval_workflows
    ADD CONSTRAINT approval_workflows_created_by_fkey FOREIGN KEY (tenant_id, created_by) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: approval_workflows approval_workflows_tenant_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.approval_workflows
    ADD CONSTRAINT approval_workflows_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: approval_workflows approval_workflows_tenant_id_project_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.approval_workflows
    ADD CONSTRAINT approval_workflows_tenant_id_project_id_fkey FOREIGN KEY (tenant_id, project_id) REFERENCES work.projects(tenant_id, id) ON DELETE CASCADE;

-- Name: architecture_decisions architecture_decisions_created_by_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.architecture_decisions
    ADD CONSTRAINT architecture_decisions_created_by_fkey FOREIGN KEY (tenant_id, created_by) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: architecture_decisions architecture_decisions_decided_by_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.architecture_decisions
    ADD CONSTRAINT architecture_decisions_decided_by_fkey FOREIGN KEY (tenant_id, decided_by) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: architecture_decisions architecture_decisions_tenant_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.architecture_decisions
    ADD CONSTRAINT architecture_decisions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: architecture_decisions architecture_decisions_tenant_id_project_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.architecture_decisions
    ADD CONSTRAINT architecture_decisions_tenant_id_project_id_fkey FOREIGN KEY (tenant_id, project_id) REFERENCES work.projects(tenant_id, id) ON DELETE CASCADE;

-- Name: architecture_decisions architecture_decisions_tenant_id_superseded_by_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.architecture_decisions
    ADD CONSTRAINT architecture_decisions_tenant_id_superseded_by_fkey FOREIGN KEY (tenant_id, superseded_by) REFERENCES work.architecture_decisions(tenant_id, id) ON DELETE SET NULL (superseded_by);

-- Name: collaboration_sessions collaboration_sessions_created_by_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.collaboration_sessions
    ADD CONSTRAINT collaboration_sessions_created_by_fkey FOREIGN KEY (tenant_id, created_by) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: collaboration_sessions collaboration_sessions_facilitator_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.collaboration_sessions
    ADD CONSTRAINT collaboration_sessions_facilitator_id_fkey FOREIGN KEY (tenant_id, facilitator_id) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: collaboration_sessions collaboration_sessions_tenant_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.collaboration_sessions
    ADD CONSTRAINT collaboration_sessions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: collaboration_sessions collaboration_sessions_tenant_id_project_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.collaboration_sessions
    ADD CONSTRAINT collaboration_sessions_tenant_id_project_id_fkey FOREIGN KEY (tenant_id, project_id) REFERENCES work.projects(tenant_id, id) ON DELETE CASCADE;

-- Name: project_risks project_risks_created_by_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.project_risks
    ADD CONSTRAINT project_risks_created_by_fkey FOREIGN KEY (tenant_id, created_by) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: project_risks project_risks_owner_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.project_risks
    ADD CONSTRAINT project_risks_owner_id_fkey FOREIGN KEY (tenant_id, owner_id) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: project_risks project_risks_tenant_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.project_risks
    ADD CONSTRAINT project_risks_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: project_risks project_risks_tenant_id_project_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.project_risks
    ADD CONSTRAINT project_risks_tenant_id_project_id_fkey FOREIGN KEY (tenant_id, project_id) REFERENCES work.projects(tenant_id, id) ON DELETE CASCADE;

-- Name: projects projects_created_by_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.projects
    ADD CONSTRAINT projects_created_by_fkey FOREIGN KEY (tenant_id, created_by) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: projects projects_tenant_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.projects
    ADD CONSTRAINT projects_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: requirement_links requirement_links_tenant_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.requirement_links
    ADD CONSTRAINT requirement_links_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: requirement_links requirement_links_tenant_id_related_requirement_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.requirement_links
    ADD CONSTRAINT requirement_links_tenant_id_related_requirement_id_fkey FOREIGN KEY (tenant_id, related_requirement_id) REFERENCES work.requirements(tenant_id, id) ON DELETE CASCADE;

-- Name: requirement_links requirement_links_tenant_id_requirement_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.requirement_links
    ADD CONSTRAINT requirement_links_tenant_id_requirement_id_fkey FOREIGN KEY (tenant_id, requirement_id) REFERENCES work.requirements(tenant_id, id) ON DELETE CASCADE;

-- Name: requirements requirements_created_by_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.requirements
    ADD CONSTRAINT requirements_created_by_fkey FOREIGN KEY (tenant_id, created_by) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: requirements requirements_stakeholder_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.requirements
    ADD CONSTRAINT requirements_stakeholder_id_fkey FOREIGN KEY (tenant_id, stakeholder_id) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: requirements requirements_tenant_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.requirements
    ADD CONSTRAINT requirements_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: requirements requirements_tenant_id_parent_requirement_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.requirements
    ADD CONSTRAINT requirements_tenant_id_parent_requirement_id_fkey FOREIGN KEY (tenant_id, parent_requirement_id) REFERENCES work.requirements(tenant_id, id);

-- Name: requirements requirements_tenant_id_previous_version_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.requirements
    ADD CONSTRAINT requirements_tenant_id_previous_version_id_fkey FOREIGN KEY (tenant_id, previous_version_id) REFERENCES work.requirements(tenant_id, id);

-- Name: requirements requirements_tenant_id_project_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.requirements
    ADD CONSTRAINT requirements_tenant_id_project_id_fkey FOREIGN KEY (tenant_id, project_id) REFERENCES work.projects(tenant_id, id) ON DELETE CASCADE;

-- Name: session_participants session_participants_tenant_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.session_participants
    ADD CONSTRAINT session_participants_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: session_participants session_participants_tenant_id_session_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.session_participants
    ADD CONSTRAINT session_participants_tenant_id_session_id_fkey FOREIGN KEY (tenant_id, session_id) REFERENCES work.collaboration_sessions(tenant_id, id) ON DELETE CASCADE;

-- Name: session_participants session_participants_user_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.session_participants
    ADD CONSTRAINT session_participants_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES tenancy.memberships(tenant_id, user_id) ON DELETE CASCADE DEFERRABLE;

-- Name: tasks tasks_assigned_by_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.tasks
    ADD CONSTRAINT tasks_assigned_by_fkey FOREIGN KEY (tenant_id, assigned_by) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: tasks tasks_assigned_to_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.tasks
    ADD CONSTRAINT tasks_assigned_to_fkey FOREIGN KEY (tenant_id, assigned_to) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: tasks tasks_created_by_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.tasks
    ADD CONSTRAINT tasks_created_by_fkey FOREIGN KEY (tenant_id, created_by) REFERENCES tenancy.memberships(tenant_id, user_id) DEFERRABLE;

-- Name: tasks tasks_parent_in_same_project; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.tasks
    ADD CONSTRAINT tasks_parent_in_same_project FOREIGN KEY (tenant_id, project_id, parent_task_id) REFERENCES work.tasks(tenant_id, project_id, id) ON DELETE CASCADE;

-- Name: tasks tasks_tenant_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.tasks
    ADD CONSTRAINT tasks_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenancy.tenants(id) ON DELETE CASCADE;

-- Name: tasks tasks_tenant_id_project_id_fkey; Type: FK CONSTRAINT; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE ONLY work.tasks
    ADD CONSTRAINT tasks_tenant_id_project_id_fkey FOREIGN KEY (tenant_id, project_id) REFERENCES work.projects(tenant_id, id) ON DELETE CASCADE;

-- Name: conversations; Type: ROW SECURITY; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE agents.conversations ENABLE ROW LEVEL SECURITY;

-- Name: credit_ledger; Type: ROW SECURITY; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE agents.credit_ledger ENABLE ROW LEVEL SECURITY;

-- Name: messages; Type: ROW SECURITY; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE agents.messages ENABLE ROW LEVEL SECURITY;

-- Name: task_dependencies; Type: ROW SECURITY; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE agents.task_dependencies ENABLE ROW LEVEL SECURITY;

-- Name: task_results; Type: ROW SECURITY; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE agents.task_results ENABLE ROW LEVEL SECURITY;

-- Name: tasks; Type: ROW SECURITY; Schema: agents; Owner: tenantbase_owner
--
ALTER TABLE agents.tasks ENABLE ROW LEVEL SECURITY;

-- Name: conversations tenant_delete; Type: POLICY; Schema: agents; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON agents.conversations FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('agents'::text, 'delete'::text) AS has_permission)));

-- Name: credit_ledger tenant_delete; Type: POLICY; Schema: agents; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON agents.credit_ledger FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('agents'::text, 'delete'::text) AS has_permission)));

-- Name: messages tenant_delete; Type: POLICY; Schema: agents; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON agents.messages FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('agents'::text, 'delete'::text) AS has_permission)));

-- Name: task_dependencies tenant_delete; Type: POLICY; Schema: agents; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON agents.task_dependencies FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('agents'::text, 'delete'::text) AS has_permission)));

-- Name: task_results tenant_delete; Type: POLICY; Schema: agents; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON agents.task_results FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('agents'::text, 'delete'::text) AS has_permission)));

-- Name: tasks tenant_delete; Type: POLICY; Schema: agents; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON agents.tasks FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('agents'::text, 'delete'::text) AS has_permission)));

-- Name: conversations tenant_insert; Type: POLICY; Schema: agents; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON agents.conversations FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('agents'::text, 'create'::text) AS has_permission)));

-- Name: credit_ledger tenant_insert; Type: POLICY; Schema: agents; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON agents.credit_ledger FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('agents'::text, 'create'::text) AS has_permission)));

-- Name: messages tenant_insert; Type: POLICY; Schema: agents; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON agents.messages FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('agents'::text, 'create'::text) AS has_permission)));

-- Name: task_dependencies tenant_insert; Type: POLICY; Schema: agents; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON agents.task_dependencies FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('agents'::text, 'create'::text) AS has_permission)));

-- Name: task_results tenant_insert; Type: POLICY; Schema: agents; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON agents.task_results FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('agents'::text, 'create'::text) AS has_permission)));

-- Name: tasks tenant_insert; Type: POLICY; Schema: agents; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON agents.tasks FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('agents'::text, 'create'::text) AS has_permission)));

-- Name: conversations tenant_select; Type: POLICY; Schema: agents; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON agents.conversations FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: credit_ledger tenant_select; Type: POLICY; Schema: agents; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON agents.credit_ledger FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: messages tenant_select; Type: POLICY; Schema: agents; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON agents.messages FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: task_dependencies tenant_select; Type: POLICY; Schema: agents; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON agents.task_dependencies FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: task_results tenant_select; Type: POLICY; Schema: agents; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON agents.task_results FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: tasks tenant_select; Type: POLICY; Schema: agents; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON agents.tasks FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: conversations tenant_update; Type: POLICY; Schema: agents; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON agents.conversations FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('agents'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: credit_ledger tenant_update; Type: POLICY; Schema: agents; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON agents.credit_ledger FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('agents'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: messages tenant_update; Type: POLICY; Schema: agents; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON agents.messages FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('agents'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: task_dependencies tenant_update; Type: POLICY; Schema: agents; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON agents.task_dependencies FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('agents'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: task_results tenant_update; Type: POLICY; Schema: agents; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON agents.task_results FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('agents'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: tasks tenant_update; Type: POLICY; Schema: agents; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON agents.tasks FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('agents'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: analytics_events; Type: ROW SECURITY; Schema: analytics; Owner: tenantbase_owner
--
ALTER TABLE analytics.analytics_events ENABLE ROW LEVEL SECURITY;

-- Name: analytics_events_default; Type: ROW SECURITY; Schema: analytics; Owner: tenantbase_owner
--
ALTER TABLE analytics.analytics_events_default ENABLE ROW LEVEL SECURITY;

-- Name: project_analytics; Type: ROW SECURITY; Schema: analytics; Owner: tenantbase_owner
--
ALTER TABLE analytics.project_analytics ENABLE ROW LEVEL SECURITY;

-- Name: analytics_events tenant_delete; Type: POLICY; Schema: analytics; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON analytics.analytics_events FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('analytics'::text, 'delete'::text) AS has_permission)));

-- Name: analytics_events_default tenant_delete; Type: POLICY; Schema: analytics; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON analytics.analytics_events_default FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('analytics'::text, 'delete'::text) AS has_permission)));

-- Name: project_analytics tenant_delete; Type: POLICY; Schema: analytics; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON analytics.project_analytics FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('analytics'::text, 'delete'::text) AS has_permission)));

-- Name: user_activities tenant_delete; Type: POLICY; Schema: analytics; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON analytics.user_activities FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('analytics'::text, 'delete'::text) AS has_permission)));

-- Name: user_activities_default tenant_delete; Type: POLICY; Schema: analytics; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON analytics.user_activities_default FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('analytics'::text, 'delete'::text) AS has_permission)));

-- Name: analytics_events tenant_insert; Type: POLICY; Schema: analytics; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON analytics.analytics_events FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('analytics'::text, 'create'::text) AS has_permission)));

-- Name: analytics_events_default tenant_insert; Type: POLICY; Schema: analytics; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON analytics.analytics_events_default FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('analytics'::text, 'create'::text) AS has_permission)));

-- Name: project_analytics tenant_insert; Type: POLICY; Schema: analytics; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON analytics.project_analytics FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('analytics'::text, 'create'::text) AS has_permission)));

-- Name: user_activities tenant_insert; Type: POLICY; Schema: analytics; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON analytics.user_activities FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('analytics'::text, 'create'::text) AS has_permission)));

-- Name: user_activities_default tenant_insert; Type: POLICY; Schema: analytics; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON analytics.user_activities_default FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('analytics'::text, 'create'::text) AS has_permission)));

-- Name: analytics_events tenant_select; Type: POLICY; Schema: analytics; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON analytics.analytics_events FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: analytics_events_default tenant_select; Type: POLICY; Schema: analytics; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON analytics.analytics_events_default FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: project_analytics tenant_select; Type: POLICY; Schema: analytics; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON analytics.project_analytics FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: user_activities tenant_select; Type: POLICY; Schema: analytics; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON analytics.user_activities FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: user_activities_default tenant_select; Type: POLICY; Schema: analytics; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON analytics.user_activities_default FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: analytics_events tenant_update; Type: POLICY; Schema: analytics; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON analytics.analytics_events FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('analytics'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: analytics_events_default tenant_update; Type: POLICY; Schema: analytics; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON analytics.analytics_events_default FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('analytics'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: project_analytics tenant_update; Type: POLICY; Schema: analytics; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON analytics.project_analytics FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('analytics'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: user_activities tenant_update; Type: POLICY; Schema: analytics; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON analytics.user_activities FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('analytics'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: user_activities_default tenant_update; Type: POLICY; Schema: analytics; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON analytics.user_activities_default FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('analytics'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: user_activities; Type: ROW SECURITY; Schema: analytics; Owner: tenantbase_owner
--
ALTER TABLE analytics.user_activities ENABLE ROW LEVEL SECURITY;

-- Name: user_activities_default; Type: ROW SECURITY; Schema: analytics; Owner: tenantbase_owner
--
ALTER TABLE analytics.user_activities_default ENABLE ROW LEVEL SECURITY;

-- Name: chain_bases; Type: ROW SECURITY; Schema: audit; Owner: tenantbase_owner
--
ALTER TABLE audit.chain_bases ENABLE ROW LEVEL SECURITY;

-- Name: chains; Type: ROW SECURITY; Schema: audit; Owner: tenantbase_owner
--
ALTER TABLE audit.chains ENABLE ROW LEVEL SECURITY;

-- Name: log; Type: ROW SECURITY; Schema: audit; Owner: tenantbase_owner
--
ALTER TABLE audit.log ENABLE ROW LEVEL SECURITY;

-- Name: log_pending; Type: ROW SECURITY; Schema: audit; Owner: tenantbase_owner
--
ALTER TABLE audit.log_pending ENABLE ROW LEVEL SECURITY;

-- Name: log_pending own_transaction; Type: POLICY; Schema: audit; Owner: tenantbase_owner
--
CREATE POLICY own_transaction ON audit.log_pending FOR SELECT TO tenantbase_app USING (((xact_id = pg_current_xact_id_if_assigned()) AND (chain_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('audit'::text, 'read'::text) AS has_permission)));

-- Name: platform_log; Type: ROW SECURITY; Schema: audit; Owner: tenantbase_owner
--
ALTER TABLE audit.platform_log ENABLE ROW LEVEL SECURITY;

-- Name: platform_pending; Type: ROW SECURITY; Schema: audit; Owner: tenantbase_owner
--
ALTER TABLE audit.platform_pending ENABLE ROW LEVEL SECURITY;

-- Name: log tenant_delete; Type: POLICY; Schema: audit; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON audit.log FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('audit'::text, 'delete'::text) AS has_permission)));

-- Name: log tenant_insert; Type: POLICY; Schema: audit; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON audit.log FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('audit'::text, 'create'::text) AS has_permission)));

-- Name: log tenant_select; Type: POLICY; Schema: audit; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON audit.log FOR SELECT USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('audit'::text, 'read'::text) AS has_permission)));

-- Name: log tenant_update; Type: POLICY; Schema: audit; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON audit.log FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('audit'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: customers; Type: ROW SECURITY; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE commerce.customers ENABLE ROW LEVEL SECURITY;

-- Name: orders; Type: ROW SECURITY; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE commerce.orders ENABLE ROW LEVEL SECURITY;

-- Name: product_content; Type: ROW SECURITY; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE commerce.product_content ENABLE ROW LEVEL SECURITY;

-- Name: product_variants; Type: ROW SECURITY; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE commerce.product_variants ENABLE ROW LEVEL SECURITY;

-- Name: products; Type: ROW SECURITY; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE commerce.products ENABLE ROW LEVEL SECURITY;

-- Name: stores; Type: ROW SECURITY; Schema: commerce; Owner: tenantbase_owner
--
ALTER TABLE commerce.stores ENABLE ROW LEVEL SECURITY;

-- Name: customers tenant_delete; Type: POLICY; Schema: commerce; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON commerce.customers FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('commerce'::text, 'delete'::text) AS has_permission)));

-- Name: orders tenant_delete; Type: POLICY; Schema: commerce; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON commerce.orders FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('commerce'::text, 'delete'::text) AS has_permission)));

-- Name: product_content tenant_delete; Type: POLICY; Schema: commerce; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON commerce.product_content FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('commerce'::text, 'delete'::text) AS has_permission)));

-- Name: product_variants tenant_delete; Type: POLICY; Schema: commerce; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON commerce.product_variants FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('commerce'::text, 'delete'::text) AS has_permission)));

-- Name: products tenant_delete; Type: POLICY; Schema: commerce; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON commerce.products FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('commerce'::text, 'delete'::text) AS has_permission)));

-- Name: stores tenant_delete; Type: POLICY; Schema: commerce; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON commerce.stores FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('commerce'::text, 'delete'::text) AS has_permission)));

-- Name: customers tenant_insert; Type: POLICY; Schema: commerce; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON commerce.customers FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('commerce'::text, 'create'::text) AS has_permission)));

-- Name: orders tenant_insert; Type: POLICY; Schema: commerce; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON commerce.orders FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('commerce'::text, 'create'::text) AS has_permission)));

-- Name: product_content tenant_insert; Type: POLICY; Schema: commerce; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON commerce.product_content FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('commerce'::text, 'create'::text) AS has_permission)));

-- Name: product_variants tenant_insert; Type: POLICY; Schema: commerce; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON commerce.product_variants FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('commerce'::text, 'create'::text) AS has_permission)));

-- Name: products tenant_insert; Type: POLICY; Schema: commerce; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON commerce.products FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('commerce'::text, 'create'::text) AS has_permission)));

-- Name: stores tenant_insert; Type: POLICY; Schema: commerce; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON commerce.stores FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('commerce'::text, 'create'::text) AS has_permission)));

-- Name: customers tenant_select; Type: POLICY; Schema: commerce; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON commerce.customers FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: orders tenant_select; Type: POLICY; Schema: commerce; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON commerce.orders FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: product_content tenant_select; Type: POLICY; Schema: commerce; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON commerce.product_content FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: product_variants tenant_select; Type: POLICY; Schema: commerce; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON commerce.product_variants FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: products tenant_select; Type: POLICY; Schema: commerce; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON commerce.products FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: stores tenant_select; Type: POLICY; Schema: commerce; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON commerce.stores FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: customers tenant_update; Type: POLICY; Schema: commerce; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON commerce.customers FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('commerce'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: orders tenant_update; Type: POLICY; Schema: commerce; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON commerce.orders FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('commerce'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: product_content tenant_update; Type: POLICY; Schema: commerce; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON commerce.product_content FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('commerce'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: product_variants tenant_update; Type: POLICY; Schema: commerce; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON commerce.product_variants FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('commerce'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: products tenant_update; Type: POLICY; Schema: commerce; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON commerce.products FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('commerce'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: stores tenant_update; Type: POLICY; Schema: commerce; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON commerce.stores FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('commerce'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: content_projects; Type: ROW SECURITY; Schema: content; Owner: tenantbase_owner
--
ALTER TABLE content.content_projects ENABLE ROW LEVEL SECURITY;

-- Name: content_projects tenant_delete; Type: POLICY; Schema: content; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON content.content_projects FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('content'::text, 'delete'::text) AS has_permission)));

-- Name: content_projects tenant_insert; Type: POLICY; Schema: content; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON content.content_projects FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('content'::text, 'create'::text) AS has_permission)));

-- Name: content_projects tenant_select; Type: POLICY; Schema: content; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON content.content_projects FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: content_projects tenant_update; Type: POLICY; Schema: content; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON content.content_projects FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('content'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: context_keys; Type: ROW SECURITY; Schema: platform; Owner: tenantbase_owner
--
ALTER TABLE platform.context_keys ENABLE ROW LEVEL SECURITY;

-- Name: erasures; Type: ROW SECURITY; Schema: platform; Owner: tenantbase_owner
--
ALTER TABLE platform.erasures ENABLE ROW LEVEL SECURITY;

-- Name: tenant_moves; Type: ROW SECURITY; Schema: platform; Owner: tenantbase_owner
--
ALTER TABLE platform.tenant_moves ENABLE ROW LEVEL SECURITY;

-- Name: api_keys; Type: ROW SECURITY; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE tenancy.api_keys ENABLE ROW LEVEL SECURITY;

-- Name: idempotency_keys; Type: ROW SECURITY; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE tenancy.idempotency_keys ENABLE ROW LEVEL SECURITY;

-- Name: invitations; Type: ROW SECURITY; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE tenancy.invitations ENABLE ROW LEVEL SECURITY;

-- Name: memberships; Type: ROW SECURITY; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE tenancy.memberships ENABLE ROW LEVEL SECURITY;

-- Name: role_permissions; Type: ROW SECURITY; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE tenancy.role_permissions ENABLE ROW LEVEL SECURITY;

-- Name: roles; Type: ROW SECURITY; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE tenancy.roles ENABLE ROW LEVEL SECURITY;

-- Name: sessions; Type: ROW SECURITY; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE tenancy.sessions ENABLE ROW LEVEL SECURITY;

-- Name: sessions sessions_delete; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY sessions_delete ON tenancy.sessions FOR DELETE USING ((user_id = ( SELECT tenancy.current_user_id() AS current_user_id)));

-- Name: sessions sessions_insert; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY sessions_insert ON tenancy.sessions FOR INSERT WITH CHECK ((user_id = ( SELECT tenancy.current_user_id() AS current_user_id)));

-- Name: sessions sessions_select; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY sessions_select ON tenancy.sessions FOR SELECT USING ((user_id = ( SELECT tenancy.current_user_id() AS current_user_id)));

-- Name: sessions sessions_update; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY sessions_update ON tenancy.sessions FOR UPDATE USING ((user_id = ( SELECT tenancy.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT tenancy.current_user_id() AS current_user_id)));

-- Name: api_keys tenant_delete; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON tenancy.api_keys FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('api_keys'::text, 'delete'::text) AS has_permission)));

-- Name: idempotency_keys tenant_delete; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON tenancy.idempotency_keys FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('requests'::text, 'delete'::text) AS has_permission)));

-- Name: invitations tenant_delete; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON tenancy.invitations FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('members'::text, 'delete'::text) AS has_permission)));

-- Name: memberships tenant_delete; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON tenancy.memberships FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('members'::text, 'delete'::text) AS has_permission)));

-- Name: role_permissions tenant_delete; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON tenancy.role_permissions FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('roles'::text, 'delete'::text) AS has_permission)));

-- Name: roles tenant_delete; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON tenancy.roles FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('roles'::text, 'delete'::text) AS has_permission)));

-- Name: tenants tenant_delete; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON tenancy.tenants FOR DELETE USING (((id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('tenant'::text, 'delete'::text) AS has_permission)));

-- Name: user_roles tenant_delete; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON tenancy.user_roles FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('roles'::text, 'delete'::text) AS has_permission)));

-- Name: api_keys tenant_insert; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON tenancy.api_keys FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('api_keys'::text, 'create'::text) AS has_permission)));

-- Name: idempotency_keys tenant_insert; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON tenancy.idempotency_keys FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('requests'::text, 'create'::text) AS has_permission)));

-- Name: invitations tenant_insert; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON tenancy.invitations FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('members'::text, 'create'::text) AS has_permission)));

-- Name: memberships tenant_insert; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON tenancy.memberships FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('members'::text, 'create'::text) AS has_permission)));

-- Name: role_permissions tenant_insert; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON tenancy.role_permissions FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('roles'::text, 'create'::text) AS has_permission)));

-- Name: roles tenant_insert; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON tenancy.roles FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('roles'::text, 'create'::text) AS has_permission)));

-- Name: tenants tenant_insert; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON tenancy.tenants FOR INSERT WITH CHECK (((id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('tenant'::text, 'create'::text) AS has_permission)));

-- Name: user_roles tenant_insert; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON tenancy.user_roles FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('roles'::text, 'create'::text) AS has_permission)));

-- Name: api_keys tenant_select; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON tenancy.api_keys FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: idempotency_keys tenant_select; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON tenancy.idempotency_keys FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: invitations tenant_select; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON tenancy.invitations FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: memberships tenant_select; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON tenancy.memberships FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: role_permissions tenant_select; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON tenancy.role_permissions FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: roles tenant_select; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON tenancy.roles FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: tenants tenant_select; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON tenancy.tenants FOR SELECT USING ((id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: user_roles tenant_select; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON tenancy.user_roles FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: api_keys tenant_update; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON tenancy.api_keys FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('api_keys'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: idempotency_keys tenant_update; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON tenancy.idempotency_keys FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('requests'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: invitations tenant_update; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON tenancy.invitations FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('members'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: memberships tenant_update; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON tenancy.memberships FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('members'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: role_permissions tenant_update; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON tenancy.role_permissions FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('roles'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: roles tenant_update; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON tenancy.roles FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('roles'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: tenants tenant_update; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON tenancy.tenants FOR UPDATE USING (((id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('tenant'::text, 'update'::text) AS has_permission))) WITH CHECK ((id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: user_roles tenant_update; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON tenancy.user_roles FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('roles'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: tenants; Type: ROW SECURITY; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE tenancy.tenants ENABLE ROW LEVEL SECURITY;

-- Name: user_roles; Type: ROW SECURITY; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE tenancy.user_roles ENABLE ROW LEVEL SECURITY;

-- Name: users; Type: ROW SECURITY; Schema: tenancy; Owner: tenantbase_owner
--
ALTER TABLE tenancy.users ENABLE ROW LEVEL SECURITY;

-- Name: users users_delete; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY users_delete ON tenancy.users FOR DELETE USING ((id = ( SELECT tenancy.current_user_id() AS current_user_id)));

-- Name: users users_insert; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY users_insert ON tenancy.users FOR INSERT WITH CHECK ((id = ( SELECT tenancy.current_user_id() AS current_user_id)));

-- Name: users users_select; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY users_select ON tenancy.users FOR SELECT USING (((id = ( SELECT tenancy.current_user_id() AS current_user_id)) OR (id IN ( SELECT m.user_id
   FROM tenancy.memberships m
  WHERE (m.tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id))))));

-- Name: users users_update; Type: POLICY; Schema: tenancy; Owner: tenantbase_owner
--
CREATE POLICY users_update ON tenancy.users FOR UPDATE USING ((id = ( SELECT tenancy.current_user_id() AS current_user_id))) WITH CHECK ((id = ( SELECT tenancy.current_user_id() AS current_user_id)));

-- Name: approval_requests; Type: ROW SECURITY; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE work.approval_requests ENABLE ROW LEVEL SECURITY;

-- Name: approval_responses; Type: ROW SECURITY; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE work.approval_responses ENABLE ROW LEVEL SECURITY;

-- Name: approval_workflow_approvers; Type: ROW SECURITY; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE work.approval_workflow_approvers ENABLE ROW LEVEL SECURITY;

-- Name: approval_workflows; Type: ROW SECURITY; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE work.approval_workflows ENABLE ROW LEVEL SECURITY;

-- Name: architecture_decisions; Type: ROW SECURITY; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE work.architecture_decisions ENABLE ROW LEVEL SECURITY;

-- Name: collaboration_sessions; Type: ROW SECURITY; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE work.collaboration_sessions ENABLE ROW LEVEL SECURITY;

-- Name: project_risks; Type: ROW SECURITY; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE work.project_risks ENABLE ROW LEVEL SECURITY;

-- Name: projects; Type: ROW SECURITY; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE work.projects ENABLE ROW LEVEL SECURITY;

-- Name: requirement_links; Type: ROW SECURITY; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE work.requirement_links ENABLE ROW LEVEL SECURITY;

-- Name: requirements; Type: ROW SECURITY; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE work.requirements ENABLE ROW LEVEL SECURITY;

-- Name: session_participants; Type: ROW SECURITY; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE work.session_participants ENABLE ROW LEVEL SECURITY;

-- Name: tasks; Type: ROW SECURITY; Schema: work; Owner: tenantbase_owner
--
ALTER TABLE work.tasks ENABLE ROW LEVEL SECURITY;

-- Name: approval_requests tenant_delete; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON work.approval_requests FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'delete'::text) AS has_permission)));

-- Name: approval_responses tenant_delete; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON work.approval_responses FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'delete'::text) AS has_permission)));

-- Name: approval_workflow_approvers tenant_delete; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON work.approval_workflow_approvers FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'delete'::text) AS has_permission)));

-- Name: approval_workflows tenant_delete; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON work.approval_workflows FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'delete'::text) AS has_permission)));

-- Name: architecture_decisions tenant_delete; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON work.architecture_decisions FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'delete'::text) AS has_permission)));

-- Name: collaboration_sessions tenant_delete; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON work.collaboration_sessions FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'delete'::text) AS has_permission)));

-- Name: project_risks tenant_delete; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON work.project_risks FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'delete'::text) AS has_permission)));

-- Name: projects tenant_delete; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON work.projects FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'delete'::text) AS has_permission)));

-- Name: requirement_links tenant_delete; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON work.requirement_links FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'delete'::text) AS has_permission)));

-- Name: requirements tenant_delete; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON work.requirements FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'delete'::text) AS has_permission)));

-- Name: session_participants tenant_delete; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON work.session_participants FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'delete'::text) AS has_permission)));

-- Name: tasks tenant_delete; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_delete ON work.tasks FOR DELETE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'delete'::text) AS has_permission)));

-- Name: approval_requests tenant_insert; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON work.approval_requests FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'create'::text) AS has_permission)));

-- Name: approval_responses tenant_insert; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON work.approval_responses FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'create'::text) AS has_permission)));

-- Name: approval_workflow_approvers tenant_insert; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON work.approval_workflow_approvers FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'create'::text) AS has_permission)));

-- Name: approval_workflows tenant_insert; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON work.approval_workflows FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'create'::text) AS has_permission)));

-- Name: architecture_decisions tenant_insert; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON work.architecture_decisions FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'create'::text) AS has_permission)));

-- Name: collaboration_sessions tenant_insert; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON work.collaboration_sessions FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'create'::text) AS has_permission)));

-- Name: project_risks tenant_insert; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON work.project_risks FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'create'::text) AS has_permission)));

-- Name: projects tenant_insert; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON work.projects FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'create'::text) AS has_permission)));

-- Name: requirement_links tenant_insert; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON work.requirement_links FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'create'::text) AS has_permission)));

-- Name: requirements tenant_insert; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON work.requirements FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'create'::text) AS has_permission)));

-- Name: session_participants tenant_insert; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON work.session_participants FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'create'::text) AS has_permission)));

-- Name: tasks tenant_insert; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_insert ON work.tasks FOR INSERT WITH CHECK (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'create'::text) AS has_permission)));

-- Name: approval_requests tenant_select; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON work.approval_requests FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: approval_responses tenant_select; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON work.approval_responses FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: approval_workflow_approvers tenant_select; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON work.approval_workflow_approvers FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: approval_workflows tenant_select; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON work.approval_workflows FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: architecture_decisions tenant_select; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON work.architecture_decisions FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: collaboration_sessions tenant_select; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON work.collaboration_sessions FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: project_risks tenant_select; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON work.project_risks FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: projects tenant_select; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON work.projects FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: requirement_links tenant_select; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON work.requirement_links FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: requirements tenant_select; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON work.requirements FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: session_participants tenant_select; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON work.session_participants FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: tasks tenant_select; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_select ON work.tasks FOR SELECT USING ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: approval_requests tenant_update; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON work.approval_requests FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: approval_responses tenant_update; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON work.approval_responses FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: approval_workflow_approvers tenant_update; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON work.approval_workflow_approvers FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: approval_workflows tenant_update; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON work.approval_workflows FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: architecture_decisions tenant_update; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON work.architecture_decisions FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: collaboration_sessions tenant_update; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON work.collaboration_sessions FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: project_risks tenant_update; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON work.project_risks FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: projects tenant_update; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON work.projects FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: requirement_links tenant_update; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON work.requirement_links FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: requirements tenant_update; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON work.requirements FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: session_participants tenant_update; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON work.session_participants FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: tasks tenant_update; Type: POLICY; Schema: work; Owner: tenantbase_owner
--
CREATE POLICY tenant_update ON work.tasks FOR UPDATE USING (((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('work'::text, 'update'::text) AS has_permission))) WITH CHECK ((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)));

-- Name: SCHEMA agents; Type: ACL; Schema: -; Owner: tenantbase_owner
--
GRANT USAGE ON SCHEMA agents TO tenantbase_app;
GRANT USAGE ON SCHEMA agents TO tenantbase_readonly;
GRANT USAGE ON SCHEMA agents TO tenantbase_platform;

-- Name: SCHEMA analytics; Type: ACL; Schema: -; Owner: tenantbase_owner
--
GRANT USAGE ON SCHEMA analytics TO tenantbase_app;
GRANT USAGE ON SCHEMA analytics TO tenantbase_readonly;
GRANT USAGE ON SCHEMA analytics TO tenantbase_platform;
GRANT USAGE ON SCHEMA analytics TO tenantbase_account;

-- Name: SCHEMA audit; Type: ACL; Schema: -; Owner: tenantbase_owner
--
GRANT USAGE ON SCHEMA audit TO tenantbase_app;
GRANT USAGE ON SCHEMA audit TO tenantbase_readonly;
GRANT USAGE ON SCHEMA audit TO tenantbase_platform;
GRANT USAGE ON SCHEMA audit TO tenantbase_audit;
GRANT USAGE ON SCHEMA audit TO tenantbase_account;

-- Name: SCHEMA commerce; Type: ACL; Schema: -; Owner: tenantbase_owner
--
GRANT USAGE ON SCHEMA commerce TO tenantbase_app;
GRANT USAGE ON SCHEMA commerce TO tenantbase_readonly;
GRANT USAGE ON SCHEMA commerce TO tenantbase_platform;

-- Name: SCHEMA content; Type: ACL; Schema: -; Owner: tenantbase_owner
--
GRANT USAGE ON SCHEMA content TO tenantbase_app;
GRANT USAGE ON SCHEMA content TO tenantbase_readonly;
GRANT USAGE ON SCHEMA content TO tenantbase_platform;

-- Name: SCHEMA lifecycle; Type: ACL; Schema: -; Owner: tenantbase_owner
--
GRANT USAGE ON SCHEMA lifecycle TO tenantbase_app;
GRANT USAGE ON SCHEMA lifecycle TO tenantbase_readonly;
GRANT USAGE ON SCHEMA lifecycle TO tenantbase_platform;

-- Name: SCHEMA platform; Type: ACL; Schema: -; Owner: tenantbase_owner
--
GRANT USAGE ON SCHEMA platform TO tenantbase_app;
GRANT USAGE ON SCHEMA platform TO tenantbase_readonly;
GRANT ALL ON SCHEMA platform TO tenantbase_platform;
GRANT USAGE ON SCHEMA platform TO tenantbase_audit;
GRANT USAGE ON SCHEMA platform TO tenantbase_account;

-- Name: SCHEMA public; Type: ACL; Schema: -; Owner: pg_database_owner
--
GRANT ALL ON SCHEMA public TO tenantbase_owner;

-- Name: SCHEMA search; Type: ACL; Schema: -; Owner: tenantbase_owner
--
GRANT USAGE ON SCHEMA search TO tenantbase_app;
GRANT USAGE ON SCHEMA search TO tenantbase_readonly;
GRANT USAGE ON SCHEMA search TO tenantbase_platform;

-- Name: SCHEMA tenancy; Type: ACL; Schema: -; Owner: tenantbase_owner
--
GRANT USAGE ON SCHEMA tenancy TO tenantbase_app;
GRANT USAGE ON SCHEMA tenancy TO tenantbase_readonly;
GRANT USAGE ON SCHEMA tenancy TO tenantbase_platform;
GRANT USAGE ON SCHEMA tenancy TO tenantbase_audit;
GRANT USAGE ON SCHEMA tenancy TO tenantbase_account;

-- Name: SCHEMA work; Type: ACL; Schema: -; Owner: tenantbase_owner
--
GRANT USAGE ON SCHEMA work TO tenantbase_app;
GRANT USAGE ON SCHEMA work TO tenantbase_readonly;
GRANT USAGE ON SCHEMA work TO tenantbase_platform;

-- Name: FUNCTION charge_completed_task(); Type: ACL; Schema: agents; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION agents.charge_completed_task() FROM PUBLIC;

-- Name: FUNCTION number_message(); Type: ACL; Schema: agents; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION agents.number_message() FROM PUBLIC;

-- Name: FUNCTION refuse_charged_cost_change(); Type: ACL; Schema: agents; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION agents.refuse_charged_cost_change() FROM PUBLIC;

-- Name: FUNCTION refuse_dependency_cycle(); Type: ACL; Schema: agents; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION agents.refuse_dependency_cycle() FROM PUBLIC;

-- Name: FUNCTION tasks_parent_task_id_acyclic(); Type: ACL; Schema: agents; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION agents.tasks_parent_task_id_acyclic() FROM PUBLIC;

-- Name: FUNCTION ensure_partitions(p_today date, months_ahead integer, months_back integer); Type: ACL; Schema: analytics; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION analytics.ensure_partitions(p_today date, months_ahead integer, months_back integer) FROM PUBLIC;
GRANT ALL ON FUNCTION analytics.ensure_partitions(p_today date, months_ahead integer, months_back integer) TO tenantbase_account;

-- Name: FUNCTION snapshot_projects(p_day date); Type: ACL; Schema: analytics; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION analytics.snapshot_projects(p_day date) FROM PUBLIC;
GRANT ALL ON FUNCTION analytics.snapshot_projects(p_day date) TO tenantbase_account;

-- Name: FUNCTION audited_tables(); Type: ACL; Schema: audit; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION audit.audited_tables() FROM PUBLIC;

-- Name: FUNCTION chain_heads(OUT chain_id uuid, OUT head_id bigint, OUT head_hash bytea); Type: ACL; Schema: audit; Owner: tenantbase_audit
--
REVOKE ALL ON FUNCTION audit.chain_heads(OUT chain_id uuid, OUT head_id bigint, OUT head_hash bytea) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.chain_heads(OUT chain_id uuid, OUT head_id bigint, OUT head_hash bytea) TO tenantbase_platform;
GRANT ALL ON FUNCTION audit.chain_heads(OUT chain_id uuid, OUT head_id bigint, OUT head_hash bytea) TO tenantbase_account;

-- Name: FUNCTION create_partition(p_month date); Type: ACL; Schema: audit; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION audit.create_partition(p_month date) FROM PUBLIC;

-- Name: FUNCTION current_request(OUT user_id uuid, OUT impersonated_by uuid, OUT api_key_id uuid, OUT request_id text, OUT ip_address inet, OUT user_agent text, OUT db_role text, OUT xact_id xid8); Type: ACL; Schema: audit; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION audit.current_request(OUT user_id uuid, OUT impersonated_by uuid, OUT api_key_id uuid, OUT request_id text, OUT ip_address inet, OUT user_agent text, OUT db_role text, OUT xact_id xid8) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.current_request(OUT user_id uuid, OUT impersonated_by uuid, OUT api_key_id uuid, OUT request_id text, OUT ip_address inet, OUT user_agent text, OUT db_role text, OUT xact_id xid8) TO tenantbase_audit;

-- Name: FUNCTION ensure_partitions(p_today date, months_ahead integer); Type: ACL; Schema: audit; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION audit.ensure_partitions(p_today date, months_ahead integer) FROM PUBLIC;

-- Name: FUNCTION entry_content(entry anyelement); Type: ACL; Schema: audit; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION audit.entry_content(entry anyelement) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.entry_content(entry anyelement) TO tenantbase_audit;

-- Name: FUNCTION entry_hash(previous bytea, entry anyelement); Type: ACL; Schema: audit; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION audit.entry_hash(previous bytea, entry anyelement) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.entry_hash(previous bytea, entry anyelement) TO tenantbase_audit;

-- Name: FUNCTION erase_payloads(p_tenant uuid, p_terms text[], p_reason text); Type: ACL; Schema: audit; Owner: tenantbase_audit
--
REVOKE ALL ON FUNCTION audit.erase_payloads(p_tenant uuid, p_terms text[], p_reason text) FROM PUBLIC;

-- Name: FUNCTION erase_tenant_payloads(p_tenant uuid); Type: ACL; Schema: audit; Owner: tenantbase_audit
--
REVOKE ALL ON FUNCTION audit.erase_tenant_payloads(p_tenant uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.erase_tenant_payloads(p_tenant uuid) TO tenantbase_platform;

-- Name: FUNCTION erase_user_payloads(p_user uuid, p_email text); Type: ACL; Schema: audit; Owner: tenantbase_audit
--
REVOKE ALL ON FUNCTION audit.erase_user_payloads(p_user uuid, p_email text) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.erase_user_payloads(p_user uuid, p_email text) TO tenantbase_platform;

-- Name: FUNCTION partitions(); Type: ACL; Schema: audit; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION audit.partitions() FROM PUBLIC;

-- Name: FUNCTION payload_digest(old_values jsonb, new_values jsonb); Type: ACL; Schema: audit; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION audit.payload_digest(old_values jsonb, new_values jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.payload_digest(old_values jsonb, new_values jsonb) TO tenantbase_audit;

-- Name: FUNCTION platform_chain(); Type: ACL; Schema: audit; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION audit.platform_chain() FROM PUBLIC;
GRANT ALL ON FUNCTION audit.platform_chain() TO tenantbase_audit;

-- Name: FUNCTION queue_changes(args text[], op audit.operation, old_rows jsonb[], new_rows jsonb[]); Type: ACL; Schema: audit; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION audit.queue_changes(args text[], op audit.operation, old_rows jsonb[], new_rows jsonb[]) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.queue_changes(args text[], op audit.operation, old_rows jsonb[], new_rows jsonb[]) TO tenantbase_audit;

-- Name: FUNCTION record_account_event(); Type: ACL; Schema: audit; Owner: tenantbase_audit
--
REVOKE ALL ON FUNCTION audit.record_account_event() FROM PUBLIC;

-- Name: FUNCTION record_change(); Type: ACL; Schema: audit; Owner: tenantbase_audit
--
REVOKE ALL ON FUNCTION audit.record_change() FROM PUBLIC;

-- Name: FUNCTION record_changes(); Type: ACL; Schema: audit; Owner: tenantbase_audit
--
REVOKE ALL ON FUNCTION audit.record_changes() FROM PUBLIC;

-- Name: FUNCTION record_epoch(p_tenant uuid, p_description text, p_metadata jsonb); Type: ACL; Schema: audit; Owner: tenantbase_audit
--
REVOKE ALL ON FUNCTION audit.record_epoch(p_tenant uuid, p_description text, p_metadata jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.record_epoch(p_tenant uuid, p_description text, p_metadata jsonb) TO tenantbase_platform;

-- Name: FUNCTION record_login_failure(p_user uuid, p_ip inet, p_user_agent text, p_locked_for_seconds integer); Type: ACL; Schema: audit; Owner: tenantbase_audit
--
REVOKE ALL ON FUNCTION audit.record_login_failure(p_user uuid, p_ip inet, p_user_agent text, p_locked_for_seconds integer) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.record_login_failure(p_user uuid, p_ip inet, p_user_agent text, p_locked_for_seconds integer) TO tenantbase_account;

-- Name: FUNCTION record_platform_event(p_event_type audit.event_type, p_action text, p_description text, p_subject_tenant uuid, p_target_type text, p_target_id uuid, p_metadata jsonb); Type: ACL; Schema: audit; Owner: tenantbase_audit
--
REVOKE ALL ON FUNCTION audit.record_platform_event(p_event_type audit.event_type, p_action text, p_description text, p_subject_tenant uuid, p_target_type text, p_target_id uuid, p_metadata jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.record_platform_event(p_event_type audit.event_type, p_action text, p_description text, p_subject_tenant uuid, p_target_type text, p_target_id uuid, p_metadata jsonb) TO tenantbase_platform;

-- Name: FUNCTION record_tenant_lifecycle(); Type: ACL; Schema: audit; Owner: tenantbase_audit
--
REVOKE ALL ON FUNCTION audit.record_tenant_lifecycle() FROM PUBLIC;

-- Name: FUNCTION record_truncate(); Type: ACL; Schema: audit; Owner: tenantbase_audit
--
REVOKE ALL ON FUNCTION audit.record_truncate() FROM PUBLIC;

-- Name: FUNCTION refuse_change(); Type: ACL; Schema: audit; Owner: tenantbase_audit
--
REVOKE ALL ON FUNCTION audit.refuse_change() FROM PUBLIC;

-- Name: FUNCTION seal(max_entries integer); Type: ACL; Schema: audit; Owner: tenantbase_audit
--
REVOKE ALL ON FUNCTION audit.seal(max_entries integer) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.seal(max_entries integer) TO tenantbase_platform;
GRANT ALL ON FUNCTION audit.seal(max_entries integer) TO tenantbase_account;

-- Name: FUNCTION seal_horizon(); Type: ACL; Schema: audit; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION audit.seal_horizon() FROM PUBLIC;
GRANT ALL ON FUNCTION audit.seal_horizon() TO tenantbase_audit;

-- Name: FUNCTION seal_lag(OUT unsealed bigint, OUT oldest_written_at timestamp with time zone); Type: ACL; Schema: audit; Owner: tenantbase_audit
--
REVOKE ALL ON FUNCTION audit.seal_lag(OUT unsealed bigint, OUT oldest_written_at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.seal_lag(OUT unsealed bigint, OUT oldest_written_at timestamp with time zone) TO tenantbase_platform;
GRANT ALL ON FUNCTION audit.seal_lag(OUT unsealed bigint, OUT oldest_written_at timestamp with time zone) TO tenantbase_account;

-- Name: FUNCTION set_auditing(enabled boolean); Type: ACL; Schema: audit; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION audit.set_auditing(enabled boolean) FROM PUBLIC;

-- Name: FUNCTION switch_triggers(tbl regclass, enabled boolean); Type: ACL; Schema: audit; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION audit.switch_triggers(tbl regclass, enabled boolean) FROM PUBLIC;

-- Name: FUNCTION tombstone(); Type: ACL; Schema: audit; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION audit.tombstone() FROM PUBLIC;
GRANT ALL ON FUNCTION audit.tombstone() TO tenantbase_audit;

-- Name: FUNCTION track_changes(tbl regclass, resource text, tenant_column name); Type: ACL; Schema: audit; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION audit.track_changes(tbl regclass, resource text, tenant_column name) FROM PUBLIC;

-- Name: FUNCTION uuid_or_null(value text); Type: ACL; Schema: audit; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION audit.uuid_or_null(value text) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.uuid_or_null(value text) TO tenantbase_audit;

-- Name: FUNCTION maintain_customer_metrics(); Type: ACL; Schema: commerce; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION commerce.maintain_customer_metrics() FROM PUBLIC;

-- Name: FUNCTION start_customer_metrics(); Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION commerce.start_customer_metrics() FROM PUBLIC;

-- Name: FUNCTION ai_task_status(from_state text, to_state text); Type: ACL; Schema: lifecycle; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION lifecycle.ai_task_status(from_state text, to_state text) FROM PUBLIC;
GRANT ALL ON FUNCTION lifecycle.ai_task_status(from_state text, to_state text) TO tenantbase_app;
GRANT ALL ON FUNCTION lifecycle.ai_task_status(from_state text, to_state text) TO tenantbase_readonly;
GRANT ALL ON FUNCTION lifecycle.ai_task_status(from_state text, to_state text) TO tenantbase_platform;

-- Name: FUNCTION ai_task_status_transitions(); Type: ACL; Schema: lifecycle; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION lifecycle.ai_task_status_transitions() FROM PUBLIC;
GRANT ALL ON FUNCTION lifecycle.ai_task_status_transitions() TO tenantbase_app;
GRANT ALL ON FUNCTION lifecycle.ai_task_status_transitions() TO tenantbase_readonly;
GRANT ALL ON FUNCTION lifecycle.ai_task_status_transitions() TO tenantbase_platform;

-- Name: FUNCTION approval_request_status(from_state text, to_state text); Type: ACL; Schema: lifecycle; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION lifecycle.approval_request_status(from_state text, to_state text) FROM PUBLIC;
GRANT ALL ON FUNCTION lifecycle.approval_request_status(from_state text, to_state text) TO tenantbase_app;
GRANT ALL ON FUNCTION lifecycle.approval_request_status(from_state text, to_state text) TO tenantbase_readonly;
GRANT ALL ON FUNCTION lifecycle.approval_request_status(from_state text, to_state text) TO tenantbase_platform;

-- Name: FUNCTION approval_request_status_transitions(); Type: ACL; Schema: lifecycle; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION lifecycle.approval_request_status_transitions() FROM PUBLIC;
GRANT ALL ON FUNCTION lifecycle.approval_request_status_transitions() TO tenantbase_app;
GRANT ALL ON FUNCTION lifecycle.approval_request_status_transitions() TO tenantbase_readonly;
GRANT ALL ON FUNCTION lifecycle.approval_request_status_transitions() TO tenantbase_platform;

-- Name: FUNCTION content_status(from_state text, to_state text); Type: ACL; Schema: lifecycle; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION lifecycle.content_status(from_state text, to_state text) FROM PUBLIC;
GRANT ALL ON FUNCTION lifecycle.content_status(from_state text, to_state text) TO tenantbase_app;
GRANT ALL ON FUNCTION lifecycle.content_status(from_state text, to_state text) TO tenantbase_readonly;
GRANT ALL ON FUNCTION lifecycle.content_status(from_state text, to_state text) TO tenantbase_platform;

-- Name: FUNCTION content_status_transitions(); Type: ACL; Schema: lifecycle; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION lifecycle.content_status_transitions() FROM PUBLIC;
GRANT ALL ON FUNCTION lifecycle.content_status_transitions() TO tenantbase_app;
GRANT ALL ON FUNCTION lifecycle.content_status_transitions() TO tenantbase_readonly;
GRANT ALL ON FUNCTION lifecycle.content_status_transitions() TO tenantbase_platform;

-- Name: FUNCTION order_fulfillment_status(from_state text, to_state text); Type: ACL; Schema: lifecycle; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION lifecycle.order_fulfillment_status(from_state text, to_state text) FROM PUBLIC;
GRANT ALL ON FUNCTION lifecycle.order_fulfillment_status(from_state text, to_state text) TO tenantbase_app;
GRANT ALL ON FUNCTION lifecycle.order_fulfillment_status(from_state text, to_state text) TO tenantbase_readonly;
GRANT ALL ON FUNCTION lifecycle.order_fulfillment_status(from_state text, to_state text) TO tenantbase_platform;

-- Name: FUNCTION order_fulfillment_status_transitions(); Type: ACL; Schema: lifecycle; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION lifecycle.order_fulfillment_status_transitions() FROM PUBLIC;
GRANT ALL ON FUNCTION lifecycle.order_fulfillment_status_transitions() TO tenantbase_app;
GRANT ALL ON FUNCTION lifecycle.order_fulfillment_status_transitions() TO tenantbase_readonly;
GRANT ALL ON FUNCTION lifecycle.order_fulfillment_status_transitions() TO tenantbase_platform;

-- Name: FUNCTION order_payment_status(from_state text, to_state text); Type: ACL; Schema: lifecycle; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION lifecycle.order_payment_status(from_state text, to_state text) FROM PUBLIC;
GRANT ALL ON FUNCTION lifecycle.order_payment_status(from_state text, to_state text) TO tenantbase_app;
GRANT ALL ON FUNCTION lifecycle.order_payment_status(from_state text, to_state text) TO tenantbase_readonly;
GRANT ALL ON FUNCTION lifecycle.order_payment_status(from_state text, to_state text) TO tenantbase_platform;

-- Name: FUNCTION order_payment_status_transitions(); Type: ACL; Schema: lifecycle; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION lifecycle.order_payment_status_transitions() FROM PUBLIC;
GRANT ALL ON FUNCTION lifecycle.order_payment_status_transitions() TO tenantbase_app;
GRANT ALL ON FUNCTION lifecycle.order_payment_status_transitions() TO tenantbase_readonly;
GRANT ALL ON FUNCTION lifecycle.order_payment_status_transitions() TO tenantbase_platform;

-- Name: FUNCTION order_status(from_state text, to_state text); Type: ACL; Schema: lifecycle; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION lifecycle.order_status(from_state text, to_state text) FROM PUBLIC;
GRANT ALL ON FUNCTION lifecycle.order_status(from_state text, to_state text) TO tenantbase_app;
GRANT ALL ON FUNCTION lifecycle.order_status(from_state text, to_state text) TO tenantbase_readonly;
GRANT ALL ON FUNCTION lifecycle.order_status(from_state text, to_state text) TO tenantbase_platform;

-- Name: FUNCTION order_status_transitions(); Type: ACL; Schema: lifecycle; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION lifecycle.order_status_transitions() FROM PUBLIC;
GRANT ALL ON FUNCTION lifecycle.order_status_transitions() TO tenantbase_app;
GRANT ALL ON FUNCTION lifecycle.order_status_transitions() TO tenantbase_readonly;
GRANT ALL ON FUNCTION lifecycle.order_status_transitions() TO tenantbase_platform;

-- Name: FUNCTION project_status(from_state text, to_state text); Type: ACL; Schema: lifecycle; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION lifecycle.project_status(from_state text, to_state text) FROM PUBLIC;
GRANT ALL ON FUNCTION lifecycle.project_status(from_state text, to_state text) TO tenantbase_app;
GRANT ALL ON FUNCTION lifecycle.project_status(from_state text, to_state text) TO tenantbase_readonly;
GRANT ALL ON FUNCTION lifecycle.project_status(from_state text, to_state text) TO tenantbase_platform;

-- Name: FUNCTION project_status_transitions(); Type: ACL; Schema: lifecycle; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION lifecycle.project_status_transitions() FROM PUBLIC;
GRANT ALL ON FUNCTION lifecycle.project_status_transitions() TO tenantbase_app;
GRANT ALL ON FUNCTION lifecycle.project_status_transitions() TO tenantbase_readonly;
GRANT ALL ON FUNCTION lifecycle.project_status_transitions() TO tenantbase_platform;

-- Name: FUNCTION requirement_status(from_state text, to_state text); Type: ACL; Schema: lifecycle; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION lifecycle.requirement_status(from_state text, to_state text) FROM PUBLIC;
GRANT ALL ON FUNCTION lifecycle.requirement_status(from_state text, to_state text) TO tenantbase_app;
GRANT ALL ON FUNCTION lifecycle.requirement_status(from_state text, to_state text) TO tenantbase_readonly;
GRANT ALL ON FUNCTION lifecycle.requirement_status(from_state text, to_state text) TO tenantbase_platform;

-- Name: FUNCTION requirement_status_transitions(); Type: ACL; Schema: lifecycle; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION lifecycle.requirement_status_transitions() FROM PUBLIC;
GRANT ALL ON FUNCTION lifecycle.requirement_status_transitions() TO tenantbase_app;
GRANT ALL ON FUNCTION lifecycle.requirement_status_transitions() TO tenantbase_readonly;
GRANT ALL ON FUNCTION lifecycle.requirement_status_transitions() TO tenantbase_platform;

-- Name: FUNCTION work_task_status(from_state text, to_state text); Type: ACL; Schema: lifecycle; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION lifecycle.work_task_status(from_state text, to_state text) FROM PUBLIC;
GRANT ALL ON FUNCTION lifecycle.work_task_status(from_state text, to_state text) TO tenantbase_app;
GRANT ALL ON FUNCTION lifecycle.work_task_status(from_state text, to_state text) TO tenantbase_readonly;
GRANT ALL ON FUNCTION lifecycle.work_task_status(from_state text, to_state text) TO tenantbase_platform;

-- Name: FUNCTION work_task_status_transitions(); Type: ACL; Schema: lifecycle; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION lifecycle.work_task_status_transitions() FROM PUBLIC;
GRANT ALL ON FUNCTION lifecycle.work_task_status_transitions() TO tenantbase_app;
GRANT ALL ON FUNCTION lifecycle.work_task_status_transitions() TO tenantbase_readonly;
GRANT ALL ON FUNCTION lifecycle.work_task_status_transitions() TO tenantbase_platform;

-- Name: FUNCTION lo_close(integer); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.lo_close(integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.lo_close(integer) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.lo_close(integer) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.lo_close(integer) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.lo_close(integer) TO pg_read_all_stats;

-- Name: FUNCTION lo_creat(integer); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.lo_creat(integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.lo_creat(integer) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.lo_creat(integer) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.lo_creat(integer) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.lo_creat(integer) TO pg_read_all_stats;

-- Name: FUNCTION lo_create(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.lo_create(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.lo_create(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.lo_create(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.lo_create(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.lo_create(oid) TO pg_read_all_stats;

-- Name: FUNCTION lo_export(oid, text); Type: ACL; Schema: pg_catalog; Owner: postgres
--
GRANT ALL ON FUNCTION pg_catalog.lo_export(oid, text) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.lo_export(oid, text) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.lo_export(oid, text) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.lo_export(oid, text) TO pg_read_all_stats;

-- Name: FUNCTION lo_from_bytea(oid, bytea); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.lo_from_bytea(oid, bytea) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.lo_from_bytea(oid, bytea) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.lo_from_bytea(oid, bytea) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.lo_from_bytea(oid, bytea) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.lo_from_bytea(oid, bytea) TO pg_read_all_stats;

-- Name: FUNCTION lo_get(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.lo_get(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.lo_get(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.lo_get(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.lo_get(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.lo_get(oid) TO pg_read_all_stats;

-- Name: FUNCTION lo_get(oid, bigint, integer); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.lo_get(oid, bigint, integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.lo_get(oid, bigint, integer) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.lo_get(oid, bigint, integer) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.lo_get(oid, bigint, integer) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.lo_get(oid, bigint, integer) TO pg_read_all_stats;

-- Name: FUNCTION lo_import(text); Type: ACL; Schema: pg_catalog; Owner: postgres
--
GRANT ALL ON FUNCTION pg_catalog.lo_import(text) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.lo_import(text) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.lo_import(text) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.lo_import(text) TO pg_read_all_stats;

-- Name: FUNCTION lo_import(text, oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
GRANT ALL ON FUNCTION pg_catalog.lo_import(text, oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.lo_import(text, oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.lo_import(text, oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.lo_import(text, oid) TO pg_read_all_stats;

-- Name: FUNCTION lo_lseek(integer, integer, integer); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.lo_lseek(integer, integer, integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.lo_lseek(integer, integer, integer) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.lo_lseek(integer, integer, integer) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.lo_lseek(integer, integer, integer) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.lo_lseek(integer, integer, integer) TO pg_read_all_stats;

-- Name: FUNCTION lo_lseek64(integer, bigint, integer); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.lo_lseek64(integer, bigint, integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.lo_lseek64(integer, bigint, integer) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.lo_lseek64(integer, bigint, integer) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.lo_lseek64(integer, bigint, integer) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.lo_lseek64(integer, bigint, integer) TO pg_read_all_stats;

-- Name: FUNCTION lo_open(oid, integer); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.lo_open(oid, integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.lo_open(oid, integer) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.lo_open(oid, integer) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.lo_open(oid, integer) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.lo_open(oid, integer) TO pg_read_all_stats;

-- Name: FUNCTION lo_put(oid, bigint, bytea); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.lo_put(oid, bigint, bytea) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.lo_put(oid, bigint, bytea) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.lo_put(oid, bigint, bytea) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.lo_put(oid, bigint, bytea) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.lo_put(oid, bigint, bytea) TO pg_read_all_stats;

-- Name: FUNCTION lo_tell(integer); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.lo_tell(integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.lo_tell(integer) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.lo_tell(integer) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.lo_tell(integer) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.lo_tell(integer) TO pg_read_all_stats;

-- Name: FUNCTION lo_tell64(integer); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.lo_tell64(integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.lo_tell64(integer) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.lo_tell64(integer) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.lo_tell64(integer) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.lo_tell64(integer) TO pg_read_all_stats;

-- Name: FUNCTION lo_truncate(integer, integer); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.lo_truncate(integer, integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.lo_truncate(integer, integer) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.lo_truncate(integer, integer) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.lo_truncate(integer, integer) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.lo_truncate(integer, integer) TO pg_read_all_stats;

-- Name: FUNCTION lo_truncate64(integer, bigint); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.lo_truncate64(integer, bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.lo_truncate64(integer, bigint) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.lo_truncate64(integer, bigint) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.lo_truncate64(integer, bigint) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.lo_truncate64(integer, bigint) TO pg_read_all_stats;

-- Name: FUNCTION lo_unlink(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.lo_unlink(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.lo_unlink(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.lo_unlink(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.lo_unlink(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.lo_unlink(oid) TO pg_read_all_stats;

-- Name: FUNCTION loread(integer, integer); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.loread(integer, integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.loread(integer, integer) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.loread(integer, integer) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.loread(integer, integer) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.loread(integer, integer) TO pg_read_all_stats;

-- Name: FUNCTION lowrite(integer, bytea); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.lowrite(integer, bytea) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.lowrite(integer, bytea) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.lowrite(integer, bytea) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.lowrite(integer, bytea) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.lowrite(integer, bytea) TO pg_read_all_stats;

-- Name: FUNCTION pg_advisory_lock(bigint); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_advisory_lock(bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_lock(bigint) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_lock(bigint) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_lock(bigint) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_lock(bigint) TO pg_read_all_stats;

-- Name: FUNCTION pg_advisory_lock(integer, integer); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_advisory_lock(integer, integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_lock(integer, integer) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_lock(integer, integer) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_lock(integer, integer) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_lock(integer, integer) TO pg_read_all_stats;

-- Name: FUNCTION pg_advisory_lock_shared(bigint); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_advisory_lock_shared(bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_lock_shared(bigint) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_lock_shared(bigint) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_lock_shared(bigint) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_lock_shared(bigint) TO pg_read_all_stats;

-- Name: FUNCTION pg_advisory_lock_shared(integer, integer); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_advisory_lock_shared(integer, integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_lock_shared(integer, integer) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_lock_shared(integer, integer) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_lock_shared(integer, integer) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_lock_shared(integer, integer) TO pg_read_all_stats;

-- Name: FUNCTION pg_advisory_unlock(bigint); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_advisory_unlock(bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_unlock(bigint) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_unlock(bigint) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_unlock(bigint) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_unlock(bigint) TO pg_read_all_stats;

-- Name: FUNCTION pg_advisory_unlock(integer, integer); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_advisory_unlock(integer, integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_unlock(integer, integer) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_unlock(integer, integer) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_unlock(integer, integer) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_unlock(integer, integer) TO pg_read_all_stats;

-- Name: FUNCTION pg_advisory_unlock_all(); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_advisory_unlock_all() FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_unlock_all() TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_unlock_all() TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_unlock_all() TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_unlock_all() TO pg_read_all_stats;

-- Name: FUNCTION pg_advisory_unlock_shared(bigint); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_advisory_unlock_shared(bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_unlock_shared(bigint) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_unlock_shared(bigint) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_unlock_shared(bigint) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_unlock_shared(bigint) TO pg_read_all_stats;

-- Name: FUNCTION pg_advisory_unlock_shared(integer, integer); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_advisory_unlock_shared(integer, integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_unlock_shared(integer, integer) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_unlock_shared(integer, integer) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_unlock_shared(integer, integer) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_unlock_shared(integer, integer) TO pg_read_all_stats;

-- Name: FUNCTION pg_advisory_xact_lock(bigint); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_advisory_xact_lock(bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_xact_lock(bigint) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_xact_lock(bigint) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_xact_lock(bigint) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_xact_lock(bigint) TO pg_read_all_stats;

-- Name: FUNCTION pg_advisory_xact_lock(integer, integer); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_advisory_xact_lock(integer, integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_xact_lock(integer, integer) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_xact_lock(integer, integer) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_xact_lock(integer, integer) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_xact_lock(integer, integer) TO pg_read_all_stats;

-- Name: FUNCTION pg_advisory_xact_lock_shared(bigint); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_advisory_xact_lock_shared(bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_xact_lock_shared(bigint) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_xact_lock_shared(bigint) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_xact_lock_shared(bigint) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_xact_lock_shared(bigint) TO pg_read_all_stats;

-- Name: FUNCTION pg_advisory_xact_lock_shared(integer, integer); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_advisory_xact_lock_shared(integer, integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_xact_lock_shared(integer, integer) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_xact_lock_shared(integer, integer) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_xact_lock_shared(integer, integer) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_advisory_xact_lock_shared(integer, integer) TO pg_read_all_stats;

-- Name: FUNCTION pg_cancel_backend(integer); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_cancel_backend(integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_cancel_backend(integer) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_cancel_backend(integer) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_cancel_backend(integer) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_cancel_backend(integer) TO pg_read_all_stats;

-- Name: FUNCTION pg_indexes_size(regclass); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_indexes_size(regclass) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_indexes_size(regclass) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_indexes_size(regclass) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_indexes_size(regclass) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_indexes_size(regclass) TO pg_read_all_stats;

-- Name: FUNCTION pg_relation_size(regclass); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_relation_size(regclass) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_relation_size(regclass) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_relation_size(regclass) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_relation_size(regclass) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_relation_size(regclass) TO pg_read_all_stats;

-- Name: FUNCTION pg_relation_size(regclass, text); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_relation_size(regclass, text) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_relation_size(regclass, text) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_relation_size(regclass, text) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_relation_size(regclass, text) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_relation_size(regclass, text) TO pg_read_all_stats;

-- Name: FUNCTION pg_stat_get_activity(pid integer, OUT datid oid, OUT pid integer, OUT usesysid oid, OUT application_name text, OUT state text, OUT query text, OUT wait_event_type text, OUT wait_event text, OUT xact_start timestamp with time zone, OUT query_start timestamp with time zone, OUT backend_start timestamp with time zone, OUT state_change timestamp with time zone, OUT client_addr inet, OUT client_hostname text, OUT client_port integer, OUT backend_xid xid, OUT backend_xmin xid, OUT backend_type text, OUT ssl boolean, OUT sslversion text, OUT sslcipher text, OUT sslbits integer, OUT ssl_client_dn text, OUT ssl_client_serial numeric, OUT ssl_issuer_dn text, OUT gss_auth boolean, OUT gss_princ text, OUT gss_enc boolean, OUT leader_pid integer, OUT query_id bigint); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_activity(pid integer, OUT datid oid, OUT pid integer, OUT usesysid oid, OUT application_name text, OUT state text, OUT query text, OUT wait_event_type text, OUT wait_event text, OUT xact_start timestamp with time zone, OUT query_start timestamp with time zone, OUT backend_start timestamp with time zone, OUT state_change timestamp with time zone, OUT client_addr inet, OUT client_hostname text, OUT client_port integer, OUT backend_xid xid, OUT backend_xmin xid, OUT backend_type text, OUT ssl boolean, OUT sslversion text, OUT sslcipher text, OUT sslbits integer, OUT ssl_client_dn text, OUT ssl_client_serial numeric, OUT ssl_issuer_dn text, OUT gss_auth boolean, OUT gss_princ text, OUT gss_enc boolean, OUT leader_pid integer, OUT query_id bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_activity(pid integer, OUT datid oid, OUT pid integer, OUT usesysid oid, OUT application_name text, OUT state text, OUT query text, OUT wait_event_type text, OUT wait_event text, OUT xact_start timestamp with time zone, OUT query_start timestamp with time zone, OUT backend_start timestamp with time zone, OUT state_change timestamp with time zone, OUT client_addr inet, OUT client_hostname text, OUT client_port integer, OUT backend_xid xid, OUT backend_xmin xid, OUT backend_type text, OUT ssl boolean, OUT sslversion text, OUT sslcipher text, OUT sslbits integer, OUT ssl_client_dn text, OUT ssl_client_serial numeric, OUT ssl_issuer_dn text, OUT gss_auth boolean, OUT gss_princ text, OUT gss_enc boolean, OUT leader_pid integer, OUT query_id bigint) TO pg_read_all_stats;

-- Name: FUNCTION pg_stat_get_backend_activity(integer); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_backend_activity(integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_activity(integer) TO pg_read_all_stats;

-- Name: FUNCTION pg_stat_get_blocks_fetched(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_blocks_fetched(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_blocks_fetched(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_blocks_fetched(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_blocks_fetched(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_blocks_fetched(oid) TO pg_read_all_stats;

-- Name: FUNCTION pg_stat_get_blocks_hit(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_blocks_hit(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_blocks_hit(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_blocks_hit(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_blocks_hit(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_blocks_hit(oid) TO pg_read_all_stats;

-- Name: FUNCTION pg_stat_get_dead_tuples(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_dead_tuples(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_dead_tuples(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_dead_tuples(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_dead_tuples(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_dead_tuples(oid) TO pg_read_all_stats;

-- Name: FUNCTION pg_stat_get_ins_since_vacuum(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_ins_since_vacuum(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_ins_since_vacuum(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_ins_since_vacuum(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_ins_since_vacuum(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_ins_since_vacuum(oid) TO pg_read_all_stats;

-- Name: FUNCTION pg_stat_get_live_tuples(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_live_tuples(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_live_tuples(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_live_tuples(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_live_tuples(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_live_tuples(oid) TO pg_read_all_stats;

-- Name: FUNCTION pg_stat_get_mod_since_analyze(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_mod_since_analyze(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_mod_since_analyze(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_mod_since_analyze(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_mod_since_analyze(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_mod_since_analyze(oid) TO pg_read_all_stats;

-- Name: FUNCTION pg_stat_get_numscans(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_numscans(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_numscans(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_numscans(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_numscans(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_numscans(oid) TO pg_read_all_stats;

-- Name: FUNCTION pg_stat_get_tuples_deleted(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_deleted(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_deleted(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_deleted(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_deleted(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_deleted(oid) TO pg_read_all_stats;

-- Name: FUNCTION pg_stat_get_tuples_fetched(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_fetched(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_fetched(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_fetched(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_fetched(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_fetched(oid) TO pg_read_all_stats;

-- Name: FUNCTION pg_stat_get_tuples_hot_updated(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_hot_updated(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_hot_updated(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_hot_updated(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_hot_updated(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_hot_updated(oid) TO pg_read_all_stats;

-- Name: FUNCTION pg_stat_get_tuples_inserted(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_inserted(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_inserted(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_inserted(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_inserted(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_inserted(oid) TO pg_read_all_stats;

-- Name: FUNCTION pg_stat_get_tuples_returned(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_returned(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_returned(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_returned(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_returned(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_returned(oid) TO pg_read_all_stats;

-- Name: FUNCTION pg_stat_get_tuples_updated(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_updated(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_updated(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_updated(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_updated(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_updated(oid) TO pg_read_all_stats;

-- Name: FUNCTION pg_stat_get_xact_blocks_fetched(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_xact_blocks_fetched(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_blocks_fetched(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_blocks_fetched(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_blocks_fetched(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_blocks_fetched(oid) TO pg_read_all_stats;

-- Name: FUNCTION pg_stat_get_xact_blocks_hit(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_xact_blocks_hit(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_blocks_hit(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_blocks_hit(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_blocks_hit(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_blocks_hit(oid) TO pg_read_all_stats;

-- Name: FUNCTION pg_stat_get_xact_numscans(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_xact_numscans(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_numscans(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_numscans(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_numscans(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_numscans(oid) TO pg_read_all_stats;

-- Name: FUNCTION pg_stat_get_xact_tuples_deleted(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_deleted(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_deleted(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_deleted(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_deleted(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_deleted(oid) TO pg_read_all_stats;

-- Name: FUNCTION pg_stat_get_xact_tuples_fetched(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_fetched(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_fetched(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_fetched(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_fetched(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_fetched(oid) TO pg_read_all_stats;

-- Name: FUNCTION pg_stat_get_xact_tuples_hot_updated(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_hot_updated(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_hot_updated(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_hot_updated(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_hot_updated(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_hot_updated(oid) TO pg_read_all_stats;

-- Name: FUNCTION pg_stat_get_xact_tuples_inserted(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_inserted(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_inserted(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_inserted(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_inserted(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_inserted(oid) TO pg_read_all_stats;

-- Name: FUNCTION pg_stat_get_xact_tuples_returned(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_returned(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_returned(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_returned(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_returned(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_returned(oid) TO pg_read_all_stats;

-- Name: FUNCTION pg_stat_get_xact_tuples_updated(oid); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_updated(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_updated(oid) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_updated(oid) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_updated(oid) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_updated(oid) TO pg_read_all_stats;

-- Name: FUNCTION pg_table_size(regclass); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_table_size(regclass) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_table_size(regclass) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_table_size(regclass) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_table_size(regclass) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_table_size(regclass) TO pg_read_all_stats;

-- Name: FUNCTION pg_terminate_backend(pid integer, timeout bigint); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_terminate_backend(pid integer, timeout bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_terminate_backend(pid integer, timeout bigint) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_terminate_backend(pid integer, timeout bigint) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_terminate_backend(pid integer, timeout bigint) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_terminate_backend(pid integer, timeout bigint) TO pg_read_all_stats;

-- Name: FUNCTION pg_total_relation_size(regclass); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_total_relation_size(regclass) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_total_relation_size(regclass) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_total_relation_size(regclass) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_total_relation_size(regclass) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_total_relation_size(regclass) TO pg_read_all_stats;

-- Name: FUNCTION pg_try_advisory_lock(bigint); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_try_advisory_lock(bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_lock(bigint) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_lock(bigint) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_lock(bigint) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_lock(bigint) TO pg_read_all_stats;

-- Name: FUNCTION pg_try_advisory_lock(integer, integer); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_try_advisory_lock(integer, integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_lock(integer, integer) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_lock(integer, integer) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_lock(integer, integer) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_lock(integer, integer) TO pg_read_all_stats;

-- Name: FUNCTION pg_try_advisory_lock_shared(bigint); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_try_advisory_lock_shared(bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_lock_shared(bigint) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_lock_shared(bigint) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_lock_shared(bigint) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_lock_shared(bigint) TO pg_read_all_stats;

-- Name: FUNCTION pg_try_advisory_lock_shared(integer, integer); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_try_advisory_lock_shared(integer, integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_lock_shared(integer, integer) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_lock_shared(integer, integer) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_lock_shared(integer, integer) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_lock_shared(integer, integer) TO pg_read_all_stats;

-- Name: FUNCTION pg_try_advisory_xact_lock(bigint); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_try_advisory_xact_lock(bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_xact_lock(bigint) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_xact_lock(bigint) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_xact_lock(bigint) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_xact_lock(bigint) TO pg_read_all_stats;

-- Name: FUNCTION pg_try_advisory_xact_lock(integer, integer); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_try_advisory_xact_lock(integer, integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_xact_lock(integer, integer) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_xact_lock(integer, integer) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_xact_lock(integer, integer) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_xact_lock(integer, integer) TO pg_read_all_stats;

-- Name: FUNCTION pg_try_advisory_xact_lock_shared(bigint); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_try_advisory_xact_lock_shared(bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_xact_lock_shared(bigint) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_xact_lock_shared(bigint) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_xact_lock_shared(bigint) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_xact_lock_shared(bigint) TO pg_read_all_stats;

-- Name: FUNCTION pg_try_advisory_xact_lock_shared(integer, integer); Type: ACL; Schema: pg_catalog; Owner: postgres
--
REVOKE ALL ON FUNCTION pg_catalog.pg_try_advisory_xact_lock_shared(integer, integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_xact_lock_shared(integer, integer) TO tenantbase_owner;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_xact_lock_shared(integer, integer) TO tenantbase_platform;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_xact_lock_shared(integer, integer) TO tenantbase_audit;
GRANT ALL ON FUNCTION pg_catalog.pg_try_advisory_xact_lock_shared(integer, integer) TO pg_read_all_stats;

-- Name: FUNCTION accept_invitation(p_token_hash bytea, p_user uuid, p_now timestamp with time zone); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.accept_invitation(p_token_hash bytea, p_user uuid, p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION platform.accept_invitation(p_token_hash bytea, p_user uuid, p_now timestamp with time zone) TO tenantbase_account;

-- Name: FUNCTION add_credits(p_tenant uuid, p_amount integer); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.add_credits(p_tenant uuid, p_amount integer) FROM PUBLIC;

-- Name: FUNCTION authenticate_api_key(p_tenant uuid, p_prefix text, p_now timestamp with time zone); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.authenticate_api_key(p_tenant uuid, p_prefix text, p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION platform.authenticate_api_key(p_tenant uuid, p_prefix text, p_now timestamp with time zone) TO tenantbase_account;

-- Name: FUNCTION authenticate_session(p_token_hash bytea, p_now timestamp with time zone); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.authenticate_session(p_token_hash bytea, p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION platform.authenticate_session(p_token_hash bytea, p_now timestamp with time zone) TO tenantbase_account;

-- Name: FUNCTION begin_erasure(p_tenant uuid, p_now timestamp with time zone); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.begin_erasure(p_tenant uuid, p_now timestamp with time zone) FROM PUBLIC;

-- Name: FUNCTION begin_tenant_move(p_tenant uuid, p_to text, p_now timestamp with time zone); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.begin_tenant_move(p_tenant uuid, p_to text, p_now timestamp with time zone) FROM PUBLIC;

-- Name: FUNCTION context_key_pad(p_key bytea, p_xor integer); Type: ACL; Schema: platform; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION platform.context_key_pad(p_key bytea, p_xor integer) FROM PUBLIC;

-- Name: FUNCTION context_tenant_in_use(); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.context_tenant_in_use() FROM PUBLIC;
GRANT ALL ON FUNCTION platform.context_tenant_in_use() TO tenantbase_app;
GRANT ALL ON FUNCTION platform.context_tenant_in_use() TO tenantbase_readonly;

-- Name: FUNCTION create_my_tenant(p_name text, p_slug public.citext); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.create_my_tenant(p_name text, p_slug public.citext) FROM PUBLIC;
GRANT ALL ON FUNCTION platform.create_my_tenant(p_name text, p_slug public.citext) TO tenantbase_app;

-- Name: FUNCTION create_tenant(p_name text, p_slug public.citext, p_plan tenancy.plan, p_owner uuid); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.create_tenant(p_name text, p_slug public.citext, p_plan tenancy.plan, p_owner uuid) FROM PUBLIC;

-- Name: FUNCTION create_user(p_email public.citext, p_full_name text, p_password_hash text); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.create_user(p_email public.citext, p_full_name text, p_password_hash text) FROM PUBLIC;
GRANT ALL ON FUNCTION platform.create_user(p_email public.citext, p_full_name text, p_password_hash text) TO tenantbase_account;

-- Name: FUNCTION delete_my_tenant(p_confirm public.citext, p_now timestamp with time zone, p_window interval); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.delete_my_tenant(p_confirm public.citext, p_now timestamp with time zone, p_window interval) FROM PUBLIC;
GRANT ALL ON FUNCTION platform.delete_my_tenant(p_confirm public.citext, p_now timestamp with time zone, p_window interval) TO tenantbase_app;

-- Name: FUNCTION delete_tenant(p_tenant uuid, p_confirm public.citext, p_now timestamp with time zone, p_window interval); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.delete_tenant(p_tenant uuid, p_confirm public.citext, p_now timestamp with time zone, p_window interval) FROM PUBLIC;

-- Name: FUNCTION end_session(p_token_hash bytea, p_now timestamp with time zone); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.end_session(p_token_hash bytea, p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION platform.end_session(p_token_hash bytea, p_now timestamp with time zone) TO tenantbase_account;

-- Name: FUNCTION erase_tenant_audit(p_tenant uuid, p_now timestamp with time zone); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.erase_tenant_audit(p_tenant uuid, p_now timestamp with time zone) FROM PUBLIC;

-- Name: FUNCTION finish_erasure(p_tenant uuid, p_now timestamp with time zone); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.finish_erasure(p_tenant uuid, p_now timestamp with time zone) FROM PUBLIC;

-- Name: FUNCTION finish_tenant_move(p_tenant uuid, p_now timestamp with time zone); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.finish_tenant_move(p_tenant uuid, p_now timestamp with time zone) FROM PUBLIC;

-- Name: FUNCTION install_context_key(p_key bytea, p_replace boolean); Type: ACL; Schema: platform; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION platform.install_context_key(p_key bytea, p_replace boolean) FROM PUBLIC;

-- Name: FUNCTION login_lookup(p_email public.citext); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.login_lookup(p_email public.citext) FROM PUBLIC;
GRANT ALL ON FUNCTION platform.login_lookup(p_email public.citext) TO tenantbase_account;

-- Name: FUNCTION membership_role(p_tenant uuid, p_user uuid); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.membership_role(p_tenant uuid, p_user uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION platform.membership_role(p_tenant uuid, p_user uuid) TO tenantbase_account;

-- Name: FUNCTION my_tenants(); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.my_tenants() FROM PUBLIC;
GRANT ALL ON FUNCTION platform.my_tenants() TO tenantbase_app;

-- Name: FUNCTION release_parked_tasks(p_tenant uuid); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.release_parked_tasks(p_tenant uuid) FROM PUBLIC;

-- Name: FUNCTION reset_monthly_credits(p_period date); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.reset_monthly_credits(p_period date) FROM PUBLIC;

-- Name: FUNCTION restore_my_tenant(p_tenant uuid, p_user uuid); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.restore_my_tenant(p_tenant uuid, p_user uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION platform.restore_my_tenant(p_tenant uuid, p_user uuid) TO tenantbase_account;

-- Name: FUNCTION restore_tenant(p_tenant uuid); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.restore_tenant(p_tenant uuid) FROM PUBLIC;

-- Name: FUNCTION rotate_context_key(p_key bytea, p_overlap interval); Type: ACL; Schema: platform; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION platform.rotate_context_key(p_key bytea, p_overlap interval) FROM PUBLIC;

-- Name: FUNCTION start_session(p_user uuid, p_token_hash bytea, p_ttl interval, p_ip inet, p_user_agent text, p_now timestamp with time zone); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.start_session(p_user uuid, p_token_hash bytea, p_ttl interval, p_ip inet, p_user_agent text, p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION platform.start_session(p_user uuid, p_token_hash bytea, p_ttl interval, p_ip inet, p_user_agent text, p_now timestamp with time zone) TO tenantbase_account;

-- Name: FUNCTION tenant_move_of(p_tenant uuid, p_user uuid, OUT moved_to text, OUT moved boolean); Type: ACL; Schema: platform; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION platform.tenant_move_of(p_tenant uuid, p_user uuid, OUT moved_to text, OUT moved boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION platform.tenant_move_of(p_tenant uuid, p_user uuid, OUT moved_to text, OUT moved boolean) TO tenantbase_account;

-- Name: FUNCTION agents_tasks_context_containing(doc jsonb, max_rows integer); Type: ACL; Schema: search; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION search.agents_tasks_context_containing(doc jsonb, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION search.agents_tasks_context_containing(doc jsonb, max_rows integer) TO tenantbase_app;
GRANT ALL ON FUNCTION search.agents_tasks_context_containing(doc jsonb, max_rows integer) TO tenantbase_readonly;

-- Name: FUNCTION agents_tasks_input_containing(doc jsonb, max_rows integer); Type: ACL; Schema: search; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION search.agents_tasks_input_containing(doc jsonb, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION search.agents_tasks_input_containing(doc jsonb, max_rows integer) TO tenantbase_app;
GRANT ALL ON FUNCTION search.agents_tasks_input_containing(doc jsonb, max_rows integer) TO tenantbase_readonly;

-- Name: FUNCTION agents_tasks_output_containing(doc jsonb, max_rows integer); Type: ACL; Schema: search; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION search.agents_tasks_output_containing(doc jsonb, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION search.agents_tasks_output_containing(doc jsonb, max_rows integer) TO tenantbase_app;
GRANT ALL ON FUNCTION search.agents_tasks_output_containing(doc jsonb, max_rows integer) TO tenantbase_readonly;

-- Name: FUNCTION agents_tasks_tags_overlapping(vals text[], max_rows integer); Type: ACL; Schema: search; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION search.agents_tasks_tags_overlapping(vals text[], max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION search.agents_tasks_tags_overlapping(vals text[], max_rows integer) TO tenantbase_app;
GRANT ALL ON FUNCTION search.agents_tasks_tags_overlapping(vals text[], max_rows integer) TO tenantbase_readonly;

-- Name: FUNCTION analytics_analytics_events_properties_containing(doc jsonb, max_rows integer); Type: ACL; Schema: search; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION search.analytics_analytics_events_properties_containing(doc jsonb, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION search.analytics_analytics_events_properties_containing(doc jsonb, max_rows integer) TO tenantbase_app;
GRANT ALL ON FUNCTION search.analytics_analytics_events_properties_containing(doc jsonb, max_rows integer) TO tenantbase_readonly;

-- Name: FUNCTION commerce_customers_tags_overlapping(vals text[], max_rows integer); Type: ACL; Schema: search; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION search.commerce_customers_tags_overlapping(vals text[], max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION search.commerce_customers_tags_overlapping(vals text[], max_rows integer) TO tenantbase_app;
GRANT ALL ON FUNCTION search.commerce_customers_tags_overlapping(vals text[], max_rows integer) TO tenantbase_readonly;

-- Name: FUNCTION commerce_products_tags_overlapping(vals text[], max_rows integer); Type: ACL; Schema: search; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION search.commerce_products_tags_overlapping(vals text[], max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION search.commerce_products_tags_overlapping(vals text[], max_rows integer) TO tenantbase_app;
GRANT ALL ON FUNCTION search.commerce_products_tags_overlapping(vals text[], max_rows integer) TO tenantbase_readonly;

-- Name: FUNCTION content_content_projects(phrase text, max_rows integer); Type: ACL; Schema: search; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION search.content_content_projects(phrase text, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION search.content_content_projects(phrase text, max_rows integer) TO tenantbase_app;
GRANT ALL ON FUNCTION search.content_content_projects(phrase text, max_rows integer) TO tenantbase_readonly;

-- Name: FUNCTION content_content_projects_tags_overlapping(vals text[], max_rows integer); Type: ACL; Schema: search; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION search.content_content_projects_tags_overlapping(vals text[], max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION search.content_content_projects_tags_overlapping(vals text[], max_rows integer) TO tenantbase_app;
GRANT ALL ON FUNCTION search.content_content_projects_tags_overlapping(vals text[], max_rows integer) TO tenantbase_readonly;

-- Name: FUNCTION content_content_projects_target_keywords_overlapping(vals text[], max_rows integer); Type: ACL; Schema: search; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION search.content_content_projects_target_keywords_overlapping(vals text[], max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION search.content_content_projects_target_keywords_overlapping(vals text[], max_rows integer) TO tenantbase_app;
GRANT ALL ON FUNCTION search.content_content_projects_target_keywords_overlapping(vals text[], max_rows integer) TO tenantbase_readonly;

-- Name: FUNCTION expose(tbl regclass); Type: ACL; Schema: search; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION search.expose(tbl regclass) FROM PUBLIC;

-- Name: FUNCTION work_architecture_decisions(phrase text, max_rows integer); Type: ACL; Schema: search; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION search.work_architecture_decisions(phrase text, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION search.work_architecture_decisions(phrase text, max_rows integer) TO tenantbase_app;
GRANT ALL ON FUNCTION search.work_architecture_decisions(phrase text, max_rows integer) TO tenantbase_readonly;

-- Name: FUNCTION work_projects(phrase text, max_rows integer); Type: ACL; Schema: search; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION search.work_projects(phrase text, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION search.work_projects(phrase text, max_rows integer) TO tenantbase_app;
GRANT ALL ON FUNCTION search.work_projects(phrase text, max_rows integer) TO tenantbase_readonly;

-- Name: FUNCTION work_projects_settings_containing(doc jsonb, max_rows integer); Type: ACL; Schema: search; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION search.work_projects_settings_containing(doc jsonb, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION search.work_projects_settings_containing(doc jsonb, max_rows integer) TO tenantbase_app;
GRANT ALL ON FUNCTION search.work_projects_settings_containing(doc jsonb, max_rows integer) TO tenantbase_readonly;

-- Name: FUNCTION work_requirements(phrase text, max_rows integer); Type: ACL; Schema: search; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION search.work_requirements(phrase text, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION search.work_requirements(phrase text, max_rows integer) TO tenantbase_app;
GRANT ALL ON FUNCTION search.work_requirements(phrase text, max_rows integer) TO tenantbase_readonly;

-- Name: FUNCTION work_tasks(phrase text, max_rows integer); Type: ACL; Schema: search; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION search.work_tasks(phrase text, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION search.work_tasks(phrase text, max_rows integer) TO tenantbase_app;
GRANT ALL ON FUNCTION search.work_tasks(phrase text, max_rows integer) TO tenantbase_readonly;

-- Name: FUNCTION work_tasks_custom_fields_containing(doc jsonb, max_rows integer); Type: ACL; Schema: search; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION search.work_tasks_custom_fields_containing(doc jsonb, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION search.work_tasks_custom_fields_containing(doc jsonb, max_rows integer) TO tenantbase_app;
GRANT ALL ON FUNCTION search.work_tasks_custom_fields_containing(doc jsonb, max_rows integer) TO tenantbase_readonly;

-- Name: FUNCTION work_tasks_tags_overlapping(vals text[], max_rows integer); Type: ACL; Schema: search; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION search.work_tasks_tags_overlapping(vals text[], max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION search.work_tasks_tags_overlapping(vals text[], max_rows integer) TO tenantbase_app;
GRANT ALL ON FUNCTION search.work_tasks_tags_overlapping(vals text[], max_rows integer) TO tenantbase_readonly;

-- Name: FUNCTION acting_as_operator(); Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT ALL ON FUNCTION tenancy.acting_as_operator() TO tenantbase_platform;
GRANT ALL ON FUNCTION tenancy.acting_as_operator() TO tenantbase_app;
GRANT ALL ON FUNCTION tenancy.acting_as_operator() TO tenantbase_readonly;

-- Name: FUNCTION acting_user_columns(); Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION tenancy.acting_user_columns() FROM PUBLIC;
GRANT ALL ON FUNCTION tenancy.acting_user_columns() TO tenantbase_platform;
GRANT ALL ON FUNCTION tenancy.acting_user_columns() TO tenantbase_app;
GRANT ALL ON FUNCTION tenancy.acting_user_columns() TO tenantbase_readonly;

-- Name: FUNCTION bump_version(); Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION tenancy.bump_version() FROM PUBLIC;

-- Name: FUNCTION chain_edits_in_order(tbl regclass, columns name[]); Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION tenancy.chain_edits_in_order(tbl regclass, columns name[]) FROM PUBLIC;

-- Name: FUNCTION current_member_role(); Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION tenancy.current_member_role() FROM PUBLIC;
GRANT ALL ON FUNCTION tenancy.current_member_role() TO tenantbase_platform;
GRANT ALL ON FUNCTION tenancy.current_member_role() TO tenantbase_app;
GRANT ALL ON FUNCTION tenancy.current_member_role() TO tenantbase_readonly;

-- Name: FUNCTION current_tenant_id(); Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION tenancy.current_tenant_id() FROM PUBLIC;
GRANT ALL ON FUNCTION tenancy.current_tenant_id() TO tenantbase_platform;
GRANT ALL ON FUNCTION tenancy.current_tenant_id() TO tenantbase_app;
GRANT ALL ON FUNCTION tenancy.current_tenant_id() TO tenantbase_readonly;

-- Name: FUNCTION current_user_id(); Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION tenancy.current_user_id() FROM PUBLIC;
GRANT ALL ON FUNCTION tenancy.current_user_id() TO tenantbase_platform;
GRANT ALL ON FUNCTION tenancy.current_user_id() TO tenantbase_app;
GRANT ALL ON FUNCTION tenancy.current_user_id() TO tenantbase_readonly;
GRANT ALL ON FUNCTION tenancy.current_user_id() TO tenantbase_audit;

-- Name: FUNCTION defer_member_references(); Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION tenancy.defer_member_references() FROM PUBLIC;

-- Name: FUNCTION define_lifecycle(vocabulary name, transitions text[]); Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION tenancy.define_lifecycle(vocabulary name, transitions text[]) FROM PUBLIC;

-- Name: FUNCTION enforce_lifecycle(tbl regclass, col name, vocabulary name); Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION tenancy.enforce_lifecycle(tbl regclass, col name, vocabulary name) FROM PUBLIC;

-- Name: FUNCTION give_to_platform(fn regprocedure); Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION tenancy.give_to_platform(fn regprocedure) FROM PUBLIC;

-- Name: FUNCTION guard_membership_status(); Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION tenancy.guard_membership_status() FROM PUBLIC;

-- Name: FUNCTION guard_owner_invitations(); Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION tenancy.guard_owner_invitations() FROM PUBLIC;

-- Name: FUNCTION guard_owners(); Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION tenancy.guard_owners() FROM PUBLIC;
GRANT ALL ON FUNCTION tenancy.guard_owners() TO tenantbase_platform;
GRANT ALL ON FUNCTION tenancy.guard_owners() TO tenantbase_app;
GRANT ALL ON FUNCTION tenancy.guard_owners() TO tenantbase_readonly;

-- Name: FUNCTION guard_parent_chain(tbl regclass, parent_column name, rule text); Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION tenancy.guard_parent_chain(tbl regclass, parent_column name, rule text) FROM PUBLIC;

-- Name: FUNCTION has_permission(p_resource text, p_action text); Type: ACL; Schema: tenancy; Owner: tenantbase_platform
--
GRANT ALL ON FUNCTION tenancy.has_permission(p_resource text, p_action text) TO tenantbase_app;
GRANT ALL ON FUNCTION tenancy.has_permission(p_resource text, p_action text) TO tenantbase_readonly;

-- Name: FUNCTION isolate(tbl regclass, resource text, tenant_column name); Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION tenancy.isolate(tbl regclass, resource text, tenant_column name) FROM PUBLIC;

-- Name: FUNCTION keep_row_version(tbl regclass); Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION tenancy.keep_row_version(tbl regclass) FROM PUBLIC;

-- Name: FUNCTION lock_tenant(p_tenant uuid); Type: ACL; Schema: tenancy; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION tenancy.lock_tenant(p_tenant uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION tenancy.lock_tenant(p_tenant uuid) TO tenantbase_app;

-- Name: FUNCTION members_only(tbl regclass, tenant_column name); Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION tenancy.members_only(tbl regclass, tenant_column name) FROM PUBLIC;

-- Name: FUNCTION refuse_illegal_transition(); Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION tenancy.refuse_illegal_transition() FROM PUBLIC;

-- Name: FUNCTION require_tenant(p_tenant uuid); Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT ALL ON FUNCTION tenancy.require_tenant(p_tenant uuid) TO tenantbase_platform;
GRANT ALL ON FUNCTION tenancy.require_tenant(p_tenant uuid) TO tenantbase_app;
GRANT ALL ON FUNCTION tenancy.require_tenant(p_tenant uuid) TO tenantbase_readonly;

-- Name: FUNCTION serialize_chain_edits(); Type: ACL; Schema: tenancy; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION tenancy.serialize_chain_edits() FROM PUBLIC;
GRANT ALL ON FUNCTION tenancy.serialize_chain_edits() TO tenantbase_app;
GRANT ALL ON FUNCTION tenancy.serialize_chain_edits() TO tenantbase_readonly;

-- Name: FUNCTION stamp_acting_user(); Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION tenancy.stamp_acting_user() FROM PUBLIC;
GRANT ALL ON FUNCTION tenancy.stamp_acting_user() TO tenantbase_platform;
GRANT ALL ON FUNCTION tenancy.stamp_acting_user() TO tenantbase_app;
GRANT ALL ON FUNCTION tenancy.stamp_acting_user() TO tenantbase_readonly;

-- Name: FUNCTION touch_updated_at(); Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION tenancy.touch_updated_at() FROM PUBLIC;
GRANT ALL ON FUNCTION tenancy.touch_updated_at() TO tenantbase_platform;
GRANT ALL ON FUNCTION tenancy.touch_updated_at() TO tenantbase_app;
GRANT ALL ON FUNCTION tenancy.touch_updated_at() TO tenantbase_readonly;

-- Name: FUNCTION user_has_permission(p_user uuid, p_resource text, p_action text); Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION tenancy.user_has_permission(p_user uuid, p_resource text, p_action text) FROM PUBLIC;
GRANT ALL ON FUNCTION tenancy.user_has_permission(p_user uuid, p_resource text, p_action text) TO tenantbase_platform;
GRANT ALL ON FUNCTION tenancy.user_has_permission(p_user uuid, p_resource text, p_action text) TO tenantbase_app;
GRANT ALL ON FUNCTION tenancy.user_has_permission(p_user uuid, p_resource text, p_action text) TO tenantbase_readonly;

-- Name: FUNCTION apply_approval_response(); Type: ACL; Schema: work; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION work.apply_approval_response() FROM PUBLIC;

-- Name: FUNCTION architecture_decisions_superseded_by_acyclic(); Type: ACL; Schema: work; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION work.architecture_decisions_superseded_by_acyclic() FROM PUBLIC;

-- Name: FUNCTION requirements_parent_requirement_id_acyclic(); Type: ACL; Schema: work; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION work.requirements_parent_requirement_id_acyclic() FROM PUBLIC;

-- Name: FUNCTION requirements_previous_version_id_acyclic(); Type: ACL; Schema: work; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION work.requirements_previous_version_id_acyclic() FROM PUBLIC;

-- Name: FUNCTION retire_previous_version(); Type: ACL; Schema: work; Owner: tenantbase_owner
--
REVOKE ALL ON FUNCTION work.retire_previous_version() FROM PUBLIC;

-- Name: FUNCTION tasks_parent_task_id_acyclic(); Type: ACL; Schema: work; Owner: tenantbase_platform
--
REVOKE ALL ON FUNCTION work.tasks_parent_task_id_acyclic() FROM PUBLIC;

-- Name: TABLE conversations; Type: ACL; Schema: agents; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE ON TABLE agents.conversations TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE agents.conversations TO tenantbase_platform;
GRANT SELECT ON TABLE agents.conversations TO tenantbase_readonly;

-- Name: COLUMN conversations.tenant_id; Type: ACL; Schema: agents; Owner: tenantbase_owner
--
GRANT UPDATE(tenant_id) ON TABLE agents.conversations TO tenantbase_app;

-- Name: COLUMN conversations.user_id; Type: ACL; Schema: agents; Owner: tenantbase_owner
--
GRANT UPDATE(user_id) ON TABLE agents.conversations TO tenantbase_app;

-- Name: COLUMN conversations.context; Type: ACL; Schema: agents; Owner: tenantbase_owner
--
GRANT UPDATE(context) ON TABLE agents.conversations TO tenantbase_app;

-- Name: COLUMN conversations.status; Type: ACL; Schema: agents; Owner: tenantbase_owner
--
GRANT UPDATE(status) ON TABLE agents.conversations TO tenantbase_app;

-- Name: COLUMN conversations.subject; Type: ACL; Schema: agents; Owner: tenantbase_owner
--
GRANT UPDATE(subject) ON TABLE agents.conversations TO tenantbase_app;

-- Name: COLUMN conversations.channel; Type: ACL; Schema: agents; Owner: tenantbase_owner
--
GRANT UPDATE(channel) ON TABLE agents.conversations TO tenantbase_app;

-- Name: COLUMN conversations.closed_at; Type: ACL; Schema: agents; Owner: tenantbase_owner
--
GRANT UPDATE(closed_at) ON TABLE agents.conversations TO tenantbase_app;

-- Name: COLUMN conversations.metadata; Type: ACL; Schema: agents; Owner: tenantbase_owner
--
GRANT UPDATE(metadata) ON TABLE agents.conversations TO tenantbase_app;

-- Name: TABLE credit_ledger; Type: ACL; Schema: agents; Owner: tenantbase_owner
--
GRANT SELECT ON TABLE agents.credit_ledger TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE agents.credit_ledger TO tenantbase_platform;
GRANT SELECT ON TABLE agents.credit_ledger TO tenantbase_readonly;

-- Name: TABLE messages; Type: ACL; Schema: agents; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE ON TABLE agents.messages TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE agents.messages TO tenantbase_platform;
GRANT SELECT ON TABLE agents.messages TO tenantbase_readonly;

-- Name: COLUMN messages.tenant_id; Type: ACL; Schema: agents; Owner: tenantbase_owner
--
GRANT UPDATE(tenant_id) ON TABLE agents.messages TO tenantbase_app;

-- Name: COLUMN messages.content; Type: ACL; Schema: agents; Owner: tenantbase_owner
--
GRANT UPDATE(content) ON TABLE agents.messages TO tenantbase_app;

-- Name: COLUMN messages.metadata; Type: ACL; Schema: agents; Owner: tenantbase_owner
--
GRANT UPDATE(metadata) ON TABLE agents.messages TO tenantbase_app;

-- Name: TABLE task_dependencies; Type: ACL; Schema: agents; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE agents.task_dependencies TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE agents.task_dependencies TO tenantbase_platform;
GRANT SELECT ON TABLE agents.task_dependencies TO tenantbase_readonly;

-- Name: TABLE task_results; Type: ACL; Schema: agents; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE agents.task_results TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE agents.task_results TO tenantbase_platform;
GRANT SELECT ON TABLE agents.task_results TO tenantbase_readonly;

-- Name: TABLE tasks; Type: ACL; Schema: agents; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE agents.tasks TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE agents.tasks TO tenantbase_platform;
GRANT SELECT ON TABLE agents.tasks TO tenantbase_readonly;

-- Name: TABLE analytics_events; Type: ACL; Schema: analytics; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE analytics.analytics_events TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE analytics.analytics_events TO tenantbase_platform;
GRANT SELECT ON TABLE analytics.analytics_events TO tenantbase_readonly;

-- Name: TABLE project_analytics; Type: ACL; Schema: analytics; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE analytics.project_analytics TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE analytics.project_analytics TO tenantbase_platform;
GRANT SELECT ON TABLE analytics.project_analytics TO tenantbase_readonly;

-- Name: TABLE projects; Type: ACL; Schema: work; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE work.projects TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE work.projects TO tenantbase_platform;
GRANT SELECT ON TABLE work.projects TO tenantbase_readonly;

-- Name: TABLE analytics_summary; Type: ACL; Schema: analytics; Owner: tenantbase_owner
--
GRANT SELECT ON TABLE analytics.analytics_summary TO tenantbase_app;
GRANT SELECT ON TABLE analytics.analytics_summary TO tenantbase_readonly;

-- Name: TABLE approval_requests; Type: ACL; Schema: work; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE ON TABLE work.approval_requests TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE work.approval_requests TO tenantbase_platform;
GRANT SELECT ON TABLE work.approval_requests TO tenantbase_readonly;

-- Name: COLUMN approval_requests.tenant_id; Type: ACL; Schema: work; Owner: tenantbase_owner
--
GRANT UPDATE(tenant_id) ON TABLE work.approval_requests TO tenantbase_app;

-- Name: COLUMN approval_requests.title; Type: ACL; Schema: work; Owner: tenantbase_owner
--
GRANT UPDATE(title) ON TABLE work.approval_requests TO tenantbase_app;

-- Name: COLUMN approval_requests.description; Type: ACL; Schema: work; Owner: tenantbase_owner
--
GRANT UPDATE(description) ON TABLE work.approval_requests TO tenantbase_app;

-- Name: COLUMN approval_requests.status; Type: ACL; Schema: work; Owner: tenantbase_owner
--
GRANT UPDATE(status) ON TABLE work.approval_requests TO tenantbase_app;

-- Name: COLUMN approval_requests.due_date; Type: ACL; Schema: work; Owner: tenantbase_owner
--
GRANT UPDATE(due_date) ON TABLE work.approval_requests TO tenantbase_app;

-- Name: COLUMN approval_requests.decision_notes; Type: ACL; Schema: work; Owner: tenantbase_owner
--
GRANT UPDATE(decision_notes) ON TABLE work.approval_requests TO tenantbase_app;

-- Name: COLUMN approval_requests.context_data; Type: ACL; Schema: work; Owner: tenantbase_owner
--
GRANT UPDATE(context_data) ON TABLE work.approval_requests TO tenantbase_app;

-- Name: TABLE project_risks; Type: ACL; Schema: work; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE work.project_risks TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE work.project_risks TO tenantbase_platform;
GRANT SELECT ON TABLE work.project_risks TO tenantbase_readonly;

-- Name: TABLE requirements; Type: ACL; Schema: work; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE work.requirements TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE work.requirements TO tenantbase_platform;
GRANT SELECT ON TABLE work.requirements TO tenantbase_readonly;

-- Name: TABLE tasks; Type: ACL; Schema: work; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE work.tasks TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE work.tasks TO tenantbase_platform;
GRANT SELECT ON TABLE work.tasks TO tenantbase_readonly;

-- Name: TABLE project_dashboard; Type: ACL; Schema: analytics; Owner: tenantbase_owner
--
GRANT SELECT ON TABLE analytics.project_dashboard TO tenantbase_app;
GRANT SELECT ON TABLE analytics.project_dashboard TO tenantbase_readonly;

-- Name: TABLE task_performance; Type: ACL; Schema: analytics; Owner: tenantbase_owner
--
GRANT SELECT ON TABLE analytics.task_performance TO tenantbase_app;
GRANT SELECT ON TABLE analytics.task_performance TO tenantbase_readonly;

-- Name: TABLE orders; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE commerce.orders TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE commerce.orders TO tenantbase_platform;
GRANT SELECT ON TABLE commerce.orders TO tenantbase_readonly;

-- Name: TABLE products; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE commerce.products TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE commerce.products TO tenantbase_platform;
GRANT SELECT ON TABLE commerce.products TO tenantbase_readonly;

-- Name: TABLE tenants; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT ON TABLE tenancy.tenants TO tenantbase_audit;
GRANT SELECT ON TABLE tenancy.tenants TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE tenancy.tenants TO tenantbase_platform;
GRANT SELECT ON TABLE tenancy.tenants TO tenantbase_readonly;

-- Name: COLUMN tenants.name; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT UPDATE(name) ON TABLE tenancy.tenants TO tenantbase_app;

-- Name: COLUMN tenants.domain; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT UPDATE(domain) ON TABLE tenancy.tenants TO tenantbase_app;

-- Name: COLUMN tenants.description; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT UPDATE(description) ON TABLE tenancy.tenants TO tenantbase_app;

-- Name: COLUMN tenants.website_url; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT UPDATE(website_url) ON TABLE tenancy.tenants TO tenantbase_app;

-- Name: COLUMN tenants.timezone; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT UPDATE(timezone) ON TABLE tenancy.tenants TO tenantbase_app;

-- Name: COLUMN tenants.currency; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT UPDATE(currency) ON TABLE tenancy.tenants TO tenantbase_app;

-- Name: COLUMN tenants.branding_config; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT UPDATE(branding_config) ON TABLE tenancy.tenants TO tenantbase_app;

-- Name: COLUMN tenants.settings; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT UPDATE(settings) ON TABLE tenancy.tenants TO tenantbase_app;

-- Name: COLUMN tenants.ai_preferences; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT UPDATE(ai_preferences) ON TABLE tenancy.tenants TO tenantbase_app;

-- Name: COLUMN tenants.billing_email; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT UPDATE(billing_email) ON TABLE tenancy.tenants TO tenantbase_app;

-- Name: COLUMN tenants.billing_address; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT UPDATE(billing_address) ON TABLE tenancy.tenants TO tenantbase_app;

-- Name: TABLE tenant_dashboard; Type: ACL; Schema: analytics; Owner: tenantbase_owner
--
GRANT SELECT ON TABLE analytics.tenant_dashboard TO tenantbase_app;
GRANT SELECT ON TABLE analytics.tenant_dashboard TO tenantbase_readonly;

-- Name: TABLE user_activities; Type: ACL; Schema: analytics; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE analytics.user_activities TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE analytics.user_activities TO tenantbase_platform;
GRANT SELECT ON TABLE analytics.user_activities TO tenantbase_readonly;

-- Name: TABLE chain_bases; Type: ACL; Schema: audit; Owner: tenantbase_owner
--
GRANT SELECT,DELETE ON TABLE audit.chain_bases TO tenantbase_audit;
GRANT SELECT,DELETE ON TABLE audit.chain_bases TO tenantbase_platform;

-- Name: TABLE chains; Type: ACL; Schema: audit; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE audit.chains TO tenantbase_audit;
GRANT SELECT,DELETE ON TABLE audit.chains TO tenantbase_platform;

-- Name: TABLE log; Type: ACL; Schema: audit; Owner: tenantbase_owner
--
GRANT SELECT,INSERT ON TABLE audit.log TO tenantbase_audit;
GRANT SELECT ON TABLE audit.log TO tenantbase_app;
GRANT SELECT,DELETE ON TABLE audit.log TO tenantbase_platform;
GRANT SELECT ON TABLE audit.log TO tenantbase_readonly;

-- Name: COLUMN log.old_values; Type: ACL; Schema: audit; Owner: tenantbase_owner
--
GRANT UPDATE(old_values) ON TABLE audit.log TO tenantbase_audit;

-- Name: COLUMN log.new_values; Type: ACL; Schema: audit; Owner: tenantbase_owner
--
GRANT UPDATE(new_values) ON TABLE audit.log TO tenantbase_audit;

-- Name: SEQUENCE pending_seq; Type: ACL; Schema: audit; Owner: tenantbase_owner
--
GRANT USAGE ON SEQUENCE audit.pending_seq TO tenantbase_audit;

-- Name: TABLE log_pending; Type: ACL; Schema: audit; Owner: tenantbase_owner
--
GRANT SELECT ON TABLE audit.log_pending TO tenantbase_app;
GRANT SELECT,INSERT,DELETE ON TABLE audit.log_pending TO tenantbase_audit;
GRANT SELECT,DELETE ON TABLE audit.log_pending TO tenantbase_platform;

-- Name: COLUMN log_pending.old_values; Type: ACL; Schema: audit; Owner: tenantbase_owner
--
GRANT UPDATE(old_values) ON TABLE audit.log_pending TO tenantbase_audit;

-- Name: COLUMN log_pending.new_values; Type: ACL; Schema: audit; Owner: tenantbase_owner
--
GRANT UPDATE(new_values) ON TABLE audit.log_pending TO tenantbase_audit;

-- Name: TABLE platform_log; Type: ACL; Schema: audit; Owner: tenantbase_owner
--
GRANT SELECT,INSERT ON TABLE audit.platform_log TO tenantbase_audit;

-- Name: TABLE platform_pending; Type: ACL; Schema: audit; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE ON TABLE audit.platform_pending TO tenantbase_audit;

-- Name: TABLE customers; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE ON TABLE commerce.customers TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE commerce.customers TO tenantbase_platform;
GRANT SELECT ON TABLE commerce.customers TO tenantbase_readonly;

-- Name: COLUMN customers.tenant_id; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT UPDATE(tenant_id) ON TABLE commerce.customers TO tenantbase_app;

-- Name: COLUMN customers.email; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT UPDATE(email) ON TABLE commerce.customers TO tenantbase_app;

-- Name: COLUMN customers.first_name; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT UPDATE(first_name) ON TABLE commerce.customers TO tenantbase_app;

-- Name: COLUMN customers.last_name; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT UPDATE(last_name) ON TABLE commerce.customers TO tenantbase_app;

-- Name: COLUMN customers.phone; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT UPDATE(phone) ON TABLE commerce.customers TO tenantbase_app;

-- Name: COLUMN customers.date_of_birth; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT UPDATE(date_of_birth) ON TABLE commerce.customers TO tenantbase_app;

-- Name: COLUMN customers.gender; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT UPDATE(gender) ON TABLE commerce.customers TO tenantbase_app;

-- Name: COLUMN customers.addresses; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT UPDATE(addresses) ON TABLE commerce.customers TO tenantbase_app;

-- Name: COLUMN customers.default_address; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT UPDATE(default_address) ON TABLE commerce.customers TO tenantbase_app;

-- Name: COLUMN customers.lifetime_value; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT UPDATE(lifetime_value) ON TABLE commerce.customers TO tenantbase_app;

-- Name: COLUMN customers.currency; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT UPDATE(currency) ON TABLE commerce.customers TO tenantbase_app;

-- Name: COLUMN customers.last_active_at; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT UPDATE(last_active_at) ON TABLE commerce.customers TO tenantbase_app;

-- Name: COLUMN customers.status; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT UPDATE(status) ON TABLE commerce.customers TO tenantbase_app;

-- Name: COLUMN customers.accepts_marketing; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT UPDATE(accepts_marketing) ON TABLE commerce.customers TO tenantbase_app;

-- Name: COLUMN customers.customer_segment; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT UPDATE(customer_segment) ON TABLE commerce.customers TO tenantbase_app;

-- Name: COLUMN customers.tags; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT UPDATE(tags) ON TABLE commerce.customers TO tenantbase_app;

-- Name: COLUMN customers.support_tickets; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT UPDATE(support_tickets) ON TABLE commerce.customers TO tenantbase_app;

-- Name: COLUMN customers.support_satisfaction; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT UPDATE(support_satisfaction) ON TABLE commerce.customers TO tenantbase_app;

-- Name: COLUMN customers.support_notes; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT UPDATE(support_notes) ON TABLE commerce.customers TO tenantbase_app;

-- Name: COLUMN customers.ai_insights; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT UPDATE(ai_insights) ON TABLE commerce.customers TO tenantbase_app;

-- Name: COLUMN customers.customer_persona; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT UPDATE(customer_persona) ON TABLE commerce.customers TO tenantbase_app;

-- Name: COLUMN customers.predicted_ltv; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT UPDATE(predicted_ltv) ON TABLE commerce.customers TO tenantbase_app;

-- Name: COLUMN customers.churn_risk_score; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT UPDATE(churn_risk_score) ON TABLE commerce.customers TO tenantbase_app;

-- Name: COLUMN customers.external_customer_ids; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT UPDATE(external_customer_ids) ON TABLE commerce.customers TO tenantbase_app;

-- Name: TABLE product_content; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE commerce.product_content TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE commerce.product_content TO tenantbase_platform;
GRANT SELECT ON TABLE commerce.product_content TO tenantbase_readonly;

-- Name: TABLE product_variants; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE commerce.product_variants TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE commerce.product_variants TO tenantbase_platform;
GRANT SELECT ON TABLE commerce.product_variants TO tenantbase_readonly;

-- Name: TABLE stores; Type: ACL; Schema: commerce; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE commerce.stores TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE commerce.stores TO tenantbase_platform;
GRANT SELECT ON TABLE commerce.stores TO tenantbase_readonly;

-- Name: TABLE content_projects; Type: ACL; Schema: content; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE content.content_projects TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE content.content_projects TO tenantbase_platform;
GRANT SELECT ON TABLE content.content_projects TO tenantbase_readonly;

-- Name: TABLE context_keys; Type: ACL; Schema: platform; Owner: tenantbase_owner
--
GRANT SELECT ON TABLE platform.context_keys TO tenantbase_platform;

-- Name: TABLE erasures; Type: ACL; Schema: platform; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,UPDATE ON TABLE platform.erasures TO tenantbase_platform;
GRANT SELECT ON TABLE platform.erasures TO tenantbase_audit;

-- Name: TABLE tenant_moves; Type: ACL; Schema: platform; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,UPDATE ON TABLE platform.tenant_moves TO tenantbase_platform;

-- Name: TABLE api_keys; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE tenancy.api_keys TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE tenancy.api_keys TO tenantbase_platform;
GRANT SELECT ON TABLE tenancy.api_keys TO tenantbase_readonly;

-- Name: TABLE idempotency_keys; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE tenancy.idempotency_keys TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE tenancy.idempotency_keys TO tenantbase_platform;
GRANT SELECT ON TABLE tenancy.idempotency_keys TO tenantbase_readonly;

-- Name: TABLE invitations; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT ON TABLE tenancy.invitations TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE tenancy.invitations TO tenantbase_platform;
GRANT SELECT ON TABLE tenancy.invitations TO tenantbase_readonly;

-- Name: COLUMN invitations.tenant_id; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT INSERT(tenant_id) ON TABLE tenancy.invitations TO tenantbase_app;

-- Name: COLUMN invitations.email; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT INSERT(email) ON TABLE tenancy.invitations TO tenantbase_app;

-- Name: COLUMN invitations.role; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT INSERT(role) ON TABLE tenancy.invitations TO tenantbase_app;

-- Name: COLUMN invitations.token_hash; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT INSERT(token_hash) ON TABLE tenancy.invitations TO tenantbase_app;

-- Name: COLUMN invitations.expires_at; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT INSERT(expires_at) ON TABLE tenancy.invitations TO tenantbase_app;

-- Name: COLUMN invitations.revoked_at; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT UPDATE(revoked_at) ON TABLE tenancy.invitations TO tenantbase_app;

-- Name: COLUMN invitations.revoked_by; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT UPDATE(revoked_by) ON TABLE tenancy.invitations TO tenantbase_app;

-- Name: TABLE memberships; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT,DELETE ON TABLE tenancy.memberships TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE tenancy.memberships TO tenantbase_platform;
GRANT SELECT ON TABLE tenancy.memberships TO tenantbase_readonly;

-- Name: COLUMN memberships.role; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT UPDATE(role) ON TABLE tenancy.memberships TO tenantbase_app;

-- Name: COLUMN memberships.status; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT UPDATE(status) ON TABLE tenancy.memberships TO tenantbase_app;

-- Name: COLUMN memberships.left_at; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT UPDATE(left_at) ON TABLE tenancy.memberships TO tenantbase_app;

-- Name: TABLE permissions; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT ON TABLE tenancy.permissions TO tenantbase_app;
GRANT SELECT ON TABLE tenancy.permissions TO tenantbase_readonly;
GRANT SELECT ON TABLE tenancy.permissions TO tenantbase_platform;

-- Name: TABLE role_permissions; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE tenancy.role_permissions TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE tenancy.role_permissions TO tenantbase_platform;
GRANT SELECT ON TABLE tenancy.role_permissions TO tenantbase_readonly;

-- Name: TABLE roles; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE tenancy.roles TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE tenancy.roles TO tenantbase_platform;
GRANT SELECT ON TABLE tenancy.roles TO tenantbase_readonly;

-- Name: TABLE sessions; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE tenancy.sessions TO tenantbase_platform;

-- Name: COLUMN sessions.id; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(id) ON TABLE tenancy.sessions TO tenantbase_app;
GRANT SELECT(id) ON TABLE tenancy.sessions TO tenantbase_readonly;

-- Name: COLUMN sessions.user_id; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(user_id) ON TABLE tenancy.sessions TO tenantbase_app;
GRANT SELECT(user_id) ON TABLE tenancy.sessions TO tenantbase_readonly;

-- Name: COLUMN sessions.active_tenant_id; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(active_tenant_id),UPDATE(active_tenant_id) ON TABLE tenancy.sessions TO tenantbase_app;
GRANT SELECT(active_tenant_id) ON TABLE tenancy.sessions TO tenantbase_readonly;

-- Name: COLUMN sessions.started_at; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(started_at) ON TABLE tenancy.sessions TO tenantbase_app;
GRANT SELECT(started_at) ON TABLE tenancy.sessions TO tenantbase_readonly;

-- Name: COLUMN sessions.last_seen_at; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(last_seen_at),UPDATE(last_seen_at) ON TABLE tenancy.sessions TO tenantbase_app;
GRANT SELECT(last_seen_at) ON TABLE tenancy.sessions TO tenantbase_readonly;

-- Name: COLUMN sessions.expires_at; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(expires_at) ON TABLE tenancy.sessions TO tenantbase_app;
GRANT SELECT(expires_at) ON TABLE tenancy.sessions TO tenantbase_readonly;

-- Name: COLUMN sessions.ended_at; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(ended_at),UPDATE(ended_at) ON TABLE tenancy.sessions TO tenantbase_app;
GRANT SELECT(ended_at) ON TABLE tenancy.sessions TO tenantbase_readonly;

-- Name: COLUMN sessions.ip_address; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(ip_address) ON TABLE tenancy.sessions TO tenantbase_app;
GRANT SELECT(ip_address) ON TABLE tenancy.sessions TO tenantbase_readonly;

-- Name: COLUMN sessions.user_agent; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(user_agent) ON TABLE tenancy.sessions TO tenantbase_app;
GRANT SELECT(user_agent) ON TABLE tenancy.sessions TO tenantbase_readonly;

-- Name: COLUMN sessions.activity_data; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(activity_data),UPDATE(activity_data) ON TABLE tenancy.sessions TO tenantbase_app;
GRANT SELECT(activity_data) ON TABLE tenancy.sessions TO tenantbase_readonly;

-- Name: COLUMN sessions.created_at; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(created_at) ON TABLE tenancy.sessions TO tenantbase_app;
GRANT SELECT(created_at) ON TABLE tenancy.sessions TO tenantbase_readonly;

-- Name: COLUMN sessions.updated_at; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(updated_at) ON TABLE tenancy.sessions TO tenantbase_app;
GRANT SELECT(updated_at) ON TABLE tenancy.sessions TO tenantbase_readonly;

-- Name: TABLE system_role_permissions; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT ON TABLE tenancy.system_role_permissions TO tenantbase_app;
GRANT SELECT ON TABLE tenancy.system_role_permissions TO tenantbase_readonly;
GRANT SELECT ON TABLE tenancy.system_role_permissions TO tenantbase_platform;

-- Name: TABLE user_roles; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE tenancy.user_roles TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE tenancy.user_roles TO tenantbase_platform;
GRANT SELECT ON TABLE tenancy.user_roles TO tenantbase_readonly;

-- Name: TABLE users; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE tenancy.users TO tenantbase_platform;

-- Name: COLUMN users.id; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(id) ON TABLE tenancy.users TO tenantbase_app;
GRANT SELECT(id) ON TABLE tenancy.users TO tenantbase_readonly;

-- Name: COLUMN users.email; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(email) ON TABLE tenancy.users TO tenantbase_app;
GRANT SELECT(email) ON TABLE tenancy.users TO tenantbase_readonly;

-- Name: COLUMN users.full_name; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(full_name),UPDATE(full_name) ON TABLE tenancy.users TO tenantbase_app;
GRANT SELECT(full_name) ON TABLE tenancy.users TO tenantbase_readonly;

-- Name: COLUMN users.display_name; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(display_name),UPDATE(display_name) ON TABLE tenancy.users TO tenantbase_app;
GRANT SELECT(display_name) ON TABLE tenancy.users TO tenantbase_readonly;

-- Name: COLUMN users.avatar_url; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(avatar_url),UPDATE(avatar_url) ON TABLE tenancy.users TO tenantbase_app;
GRANT SELECT(avatar_url) ON TABLE tenancy.users TO tenantbase_readonly;

-- Name: COLUMN users.bio; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(bio),UPDATE(bio) ON TABLE tenancy.users TO tenantbase_app;
GRANT SELECT(bio) ON TABLE tenancy.users TO tenantbase_readonly;

-- Name: COLUMN users.timezone; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(timezone),UPDATE(timezone) ON TABLE tenancy.users TO tenantbase_app;
GRANT SELECT(timezone) ON TABLE tenancy.users TO tenantbase_readonly;

-- Name: COLUMN users.status; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(status) ON TABLE tenancy.users TO tenantbase_app;
GRANT SELECT(status) ON TABLE tenancy.users TO tenantbase_readonly;

-- Name: COLUMN users.onboarding_completed; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(onboarding_completed),UPDATE(onboarding_completed) ON TABLE tenancy.users TO tenantbase_app;
GRANT SELECT(onboarding_completed) ON TABLE tenancy.users TO tenantbase_readonly;

-- Name: COLUMN users.is_verified; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(is_verified) ON TABLE tenancy.users TO tenantbase_app;
GRANT SELECT(is_verified) ON TABLE tenancy.users TO tenantbase_readonly;

-- Name: COLUMN users.last_login_at; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(last_login_at) ON TABLE tenancy.users TO tenantbase_app;
GRANT SELECT(last_login_at) ON TABLE tenancy.users TO tenantbase_readonly;

-- Name: COLUMN users.last_active_at; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(last_active_at),UPDATE(last_active_at) ON TABLE tenancy.users TO tenantbase_app;
GRANT SELECT(last_active_at) ON TABLE tenancy.users TO tenantbase_readonly;

-- Name: COLUMN users.preferences; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(preferences),UPDATE(preferences) ON TABLE tenancy.users TO tenantbase_app;
GRANT SELECT(preferences) ON TABLE tenancy.users TO tenantbase_readonly;

-- Name: COLUMN users.notification_settings; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(notification_settings),UPDATE(notification_settings) ON TABLE tenancy.users TO tenantbase_app;
GRANT SELECT(notification_settings) ON TABLE tenancy.users TO tenantbase_readonly;

-- Name: COLUMN users.created_at; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(created_at) ON TABLE tenancy.users TO tenantbase_app;
GRANT SELECT(created_at) ON TABLE tenancy.users TO tenantbase_readonly;

-- Name: COLUMN users.updated_at; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(updated_at) ON TABLE tenancy.users TO tenantbase_app;
GRANT SELECT(updated_at) ON TABLE tenancy.users TO tenantbase_readonly;

-- Name: COLUMN users.deleted_at; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT(deleted_at) ON TABLE tenancy.users TO tenantbase_app;
GRANT SELECT(deleted_at) ON TABLE tenancy.users TO tenantbase_readonly;

-- Name: TABLE user_permissions; Type: ACL; Schema: tenancy; Owner: tenantbase_owner
--
GRANT SELECT ON TABLE tenancy.user_permissions TO tenantbase_app;
GRANT SELECT ON TABLE tenancy.user_permissions TO tenantbase_readonly;

-- Name: TABLE approval_responses; Type: ACL; Schema: work; Owner: tenantbase_owner
--
GRANT SELECT,INSERT ON TABLE work.approval_responses TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE work.approval_responses TO tenantbase_platform;
GRANT SELECT ON TABLE work.approval_responses TO tenantbase_readonly;

-- Name: COLUMN approval_responses.tenant_id; Type: ACL; Schema: work; Owner: tenantbase_owner
--
GRANT UPDATE(tenant_id) ON TABLE work.approval_responses TO tenantbase_app;

-- Name: COLUMN approval_responses.comments; Type: ACL; Schema: work; Owner: tenantbase_owner
--
GRANT UPDATE(comments) ON TABLE work.approval_responses TO tenantbase_app;

-- Name: TABLE approval_workflow_approvers; Type: ACL; Schema: work; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE work.approval_workflow_approvers TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE work.approval_workflow_approvers TO tenantbase_platform;
GRANT SELECT ON TABLE work.approval_workflow_approvers TO tenantbase_readonly;

-- Name: TABLE approval_workflows; Type: ACL; Schema: work; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE work.approval_workflows TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE work.approval_workflows TO tenantbase_platform;
GRANT SELECT ON TABLE work.approval_workflows TO tenantbase_readonly;

-- Name: TABLE architecture_decisions; Type: ACL; Schema: work; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE work.architecture_decisions TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE work.architecture_decisions TO tenantbase_platform;
GRANT SELECT ON TABLE work.architecture_decisions TO tenantbase_readonly;

-- Name: TABLE collaboration_sessions; Type: ACL; Schema: work; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE work.collaboration_sessions TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE work.collaboration_sessions TO tenantbase_platform;
GRANT SELECT ON TABLE work.collaboration_sessions TO tenantbase_readonly;

-- Name: TABLE requirement_links; Type: ACL; Schema: work; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE work.requirement_links TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE work.requirement_links TO tenantbase_platform;
GRANT SELECT ON TABLE work.requirement_links TO tenantbase_readonly;

-- Name: TABLE session_participants; Type: ACL; Schema: work; Owner: tenantbase_owner
--
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE work.session_participants TO tenantbase_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE work.session_participants TO tenantbase_platform;
GRANT SELECT ON TABLE work.session_participants TO tenantbase_readonly;

-- Name: DEFAULT PRIVILEGES FOR FUNCTIONS; Type: DEFAULT ACL; Schema: tenancy; Owner: tenantbase_owner
--
ALTER DEFAULT PRIVILEGES FOR ROLE tenantbase_owner IN SCHEMA tenancy GRANT ALL ON FUNCTIONS  TO tenantbase_platform;
ALTER DEFAULT PRIVILEGES FOR ROLE tenantbase_owner IN SCHEMA tenancy GRANT ALL ON FUNCTIONS  TO tenantbase_app;
ALTER DEFAULT PRIVILEGES FOR ROLE tenantbase_owner IN SCHEMA tenancy GRANT ALL ON FUNCTIONS  TO tenantbase_readonly;

-- Name: DEFAULT PRIVILEGES FOR FUNCTIONS; Type: DEFAULT ACL; Schema: -; Owner: tenantbase_owner
--
ALTER DEFAULT PRIVILEGES FOR ROLE tenantbase_owner REVOKE ALL ON FUNCTIONS  FROM PUBLIC;

-- Name: DEFAULT PRIVILEGES FOR FUNCTIONS; Type: DEFAULT ACL; Schema: -; Owner: tenantbase_platform
--
ALTER DEFAULT PRIVILEGES FOR ROLE tenantbase_platform REVOKE ALL ON FUNCTIONS  FROM PUBLIC;

-- PostgreSQL database dump complete
--
