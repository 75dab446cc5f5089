-- Analytics: BizQ's analytics_events and the BDUF orchestrator's
-- user_activities (time series, partitioned by month) and project snapshots.

CREATE SCHEMA analytics;
GRANT USAGE ON SCHEMA analytics TO tenantbase_app, tenantbase_readonly, tenantbase_platform;

-- The partition key is part of the primary key, which still leads with tenant_id.
CREATE TABLE analytics.analytics_events (
    tenant_id   uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    -- 'page_view', 'purchase', 'task_completed', 'system', ...
    event_type  text NOT NULL CONSTRAINT analytics_events_event_type_format CHECK (event_type ~ '^[a-z][a-z0-9_.]*$'),
    event_name  text NOT NULL CONSTRAINT analytics_events_event_name_not_blank CHECK (btrim(event_name) <> ''),
    user_id     uuid REFERENCES tenancy.users (id) ON DELETE SET NULL,
    session_id  text,
    -- 'dashboard', 'api', 'webhook', ...
    source      text,
    properties  jsonb NOT NULL DEFAULT '{}' CONSTRAINT analytics_events_properties_object CHECK (jsonb_typeof(properties) = 'object'),
    revenue     numeric(12,2),
    currency    char(3) NOT NULL DEFAULT 'USD' CONSTRAINT analytics_events_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
    product_id  uuid,
    customer_id uuid,
    order_id    uuid,
    task_id     uuid,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, occurred_at, id),
    -- Events outlive what they mention: a deleted product leaves its events, unlinked.
    FOREIGN KEY (tenant_id, product_id) REFERENCES commerce.products (tenant_id, id) ON DELETE SET NULL (product_id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES commerce.customers (tenant_id, id) ON DELETE SET NULL (customer_id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES commerce.orders (tenant_id, id) ON DELETE SET NULL (order_id),
    FOREIGN KEY (tenant_id, task_id) REFERENCES agents.tasks (tenant_id, id) ON DELETE SET NULL (task_id)
) PARTITION BY RANGE (occurred_at);
CREATE INDEX analytics_events_type_idx ON analytics.analytics_events (tenant_id, event_type, occurred_at);
CREATE INDEX analytics_events_user_idx ON analytics.analytics_events (user_id);
COMMENT ON INDEX analytics.analytics_events_user_idx IS 'tenantbase:covers a foreign key to a global table';
CREATE INDEX analytics_events_product_idx ON analytics.analytics_events (tenant_id, product_id);
CREATE INDEX analytics_events_customer_idx ON analytics.analytics_events (tenant_id, customer_id);
CREATE INDEX analytics_events_order_idx ON analytics.analytics_events (tenant_id, order_id);
CREATE INDEX analytics_events_task_idx ON analytics.analytics_events (tenant_id, task_id);
CREATE INDEX analytics_events_properties_idx ON analytics.analytics_events USING gin (tenant_id, properties);

CREATE TABLE analytics.user_activities (
    tenant_id     uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id       uuid NOT NULL REFERENCES tenancy.users (id) ON DELETE CASCADE,
    project_id    uuid,
    activity_type text NOT NULL
                  CONSTRAINT user_activities_activity_type_vocabulary CHECK (activity_type IN ('create', 'update', 'delete', 'view', 'approve', 'reject', 'assign', 'unassign', 'comment', 'collaborate')),
    action        varchar(100) NOT NULL CONSTRAINT user_activities_action_not_blank CHECK (btrim(action) <> ''),
    description   text,
    entity_type   varchar(50),
    entity_id     uuid,
    occurred_at   timestamptz NOT NULL DEFAULT now(),
    metadata      jsonb NOT NULL DEFAULT '{}' CONSTRAINT user_activities_metadata_object CHECK (jsonb_typeof(metadata) = 'object'),
    ip_address    inet,
    user_agent    text,
    session_id    varchar(255),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, occurred_at, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES work.projects (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT user_activities_entity_pair CHECK ((entity_type IS NULL) = (entity_id IS NULL))
) PARTITION BY RANGE (occurred_at);
CREATE INDEX user_activities_user_occurred_idx ON analytics.user_activities (tenant_id, user_id, occurred_at DESC);
CREATE INDEX user_activities_project_type_idx ON analytics.user_activities (tenant_id, project_id, activity_type, occurred_at DESC);
CREATE INDEX user_activities_user_idx ON analytics.user_activities (user_id);
COMMENT ON INDEX analytics.user_activities_user_idx IS 'tenantbase:covers a foreign key to a global table';

CREATE TABLE analytics.project_analytics (
    tenant_id                    uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id                           uuid NOT NULL DEFAULT gen_random_uuid(),
    project_id                   uuid NOT NULL,
    snapshot_date                date NOT NULL DEFAULT current_date,
    total_tasks                  integer NOT NULL DEFAULT 0,
    completed_tasks              integer NOT NULL DEFAULT 0 CONSTRAINT project_analytics_valid_completed_tasks CHECK (completed_tasks >= 0),
    in_progress_tasks            integer NOT NULL DEFAULT 0 CONSTRAINT project_analytics_valid_in_progress_tasks CHECK (in_progress_tasks >= 0),
    blocked_tasks                integer NOT NULL DEFAULT 0 CONSTRAINT project_analytics_valid_blocked_tasks CHECK (blocked_tasks >= 0),
    total_estimated_hours        numeric(10,2) NOT NULL DEFAULT 0 CONSTRAINT project_analytics_valid_estimated_hours CHECK (total_estimated_hours >= 0),
    total_actual_hours           numeric(10,2) NOT NULL DEFAULT 0 CONSTRAINT project_analytics_valid_actual_hours CHECK (total_actual_hours >= 0),
    requirements_completeness    numeric(3,2) CONSTRAINT project_analytics_valid_completeness CHECK (requirements_completeness BETWEEN 0 AND 1),
    architecture_coherence_score numeric(3,2) CONSTRAINT project_analytics_valid_coherence CHECK (architecture_coherence_score >= 0),
    risk_score                   numeric(3,2) CONSTRAINT project_analytics_valid_risk_score CHECK (risk_score >= 0),
    active_team_members          integer NOT NULL DEFAULT 0 CONSTRAINT project_analytics_valid_team_members CHECK (active_team_members >= 0),
    collaboration_sessions_count integer NOT NULL DEFAULT 0 CONSTRAINT project_analytics_valid_sessions CHECK (collaboration_sessions_count >= 0),
    custom_metrics               jsonb NOT NULL DEFAULT '{}',
    created_at                   timestamptz NOT NULL DEFAULT now(),
    updated_at                   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES work.projects (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT project_analytics_one_per_day UNIQUE (tenant_id, project_id, snapshot_date),
    -- Also keeps total_tasks non-negative, the counts being so.
    CONSTRAINT project_analytics_task_counts CHECK (completed_tasks + in_progress_tasks + blocked_tasks <= total_tasks)
);
CREATE INDEX project_analytics_date_project_idx ON analytics.project_analytics (tenant_id, snapshot_date DESC, project_id);

SELECT tenancy.isolate(t, 'analytics')
FROM unnest(ARRAY['analytics.analytics_events', 'analytics.user_activities', 'analytics.project_analytics']::regclass[]) AS t;
SELECT search.expose('analytics.analytics_events');

-- Monthly partitions for every partitioned table of this schema, from
-- months_back before the current month (UTC) to months_ahead after it. Each new
-- partition is isolated like its parent (policies, no grants: it is reached
-- only through the parent). Idempotent. There is no default partition: a
-- default partition holding rows would make creating their month's partition
-- fail, so partitions are created ahead instead: by `tenantbase migrate`, by
-- `tenantbase serve` once a day, and by `tenantbase partitions`.
CREATE FUNCTION analytics.ensure_partitions(months_ahead integer DEFAULT 3, months_back integer DEFAULT 0)
    RETURNS SETOF regclass
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    parent record;
    month_start timestamptz;
    partition_name text;
    offset_months integer;
BEGIN
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
            month_start := (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => offset_months)) AT TIME ZONE 'UTC';
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
COMMENT ON FUNCTION analytics.ensure_partitions(integer, integer) IS
    'tenantbase:platform Creates the missing monthly partitions of the analytics time series around the current month; returns the new ones. It reads and writes no tenant data.';
REVOKE ALL ON FUNCTION analytics.ensure_partitions(integer, integer) FROM PUBLIC;
-- The API server creates next months' partitions itself (once a day): DDL
-- through this one function only, bounded and idempotent.
GRANT EXECUTE ON FUNCTION analytics.ensure_partitions(integer, integer) TO tenantbase_app;

SELECT count(*) FROM analytics.ensure_partitions(3, 3);
