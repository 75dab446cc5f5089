-- Agents: one model for BizQ's AI tasks and the platform's agent_tasks /
-- agent_results. agents.tasks is the unit of work (queued, executed, costed,
-- charged); agents.task_results keeps each execution attempt's outcome. The
-- documents' depends_on / blocks uuid[] are agents.task_dependencies: blocks is
-- the same relation read the other way.

CREATE SCHEMA agents;
GRANT USAGE ON SCHEMA agents TO tenantbase_app, tenantbase_readonly, tenantbase_platform;

CREATE TABLE agents.tasks (
    tenant_id          uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id                 uuid NOT NULL DEFAULT gen_random_uuid(),
    -- 'content.write_blog_post', 'order.process_batch', ...
    type               text NOT NULL CONSTRAINT tasks_type_format CHECK (type ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$'),
    category           text NOT NULL
                       CONSTRAINT tasks_category_vocabulary CHECK (category IN ('content', 'ecommerce', 'customer_service', 'analytics')),
    name               text NOT NULL CONSTRAINT tasks_name_not_blank CHECK (btrim(name) <> ''),
    description        text,
    -- awaiting_credits: the work is done but the tenant could not pay for it yet (agents.charge_completed_task).
    status             text NOT NULL DEFAULT 'pending'
                       CONSTRAINT tasks_status_vocabulary CHECK (status IN ('pending', 'queued', 'processing', 'completed', 'failed', 'cancelled', 'escalated', 'awaiting_credits')),
    -- 1 is the highest priority, 10 the lowest.
    priority           integer NOT NULL DEFAULT 5 CONSTRAINT tasks_valid_priority CHECK (priority BETWEEN 1 AND 10),
    input              jsonb NOT NULL,
    output             jsonb,
    error_details      jsonb,
    worker_type        text NOT NULL DEFAULT 'ai'
                       CONSTRAINT tasks_worker_type_vocabulary CHECK (worker_type IN ('ai', 'human', 'integration', 'webhook')),
    ai_model           text,
    ai_provider        text,
    processing_time_ms integer CONSTRAINT tasks_valid_processing_time CHECK (processing_time_ms >= 0),
    -- Costs are in credits.
    estimated_cost     integer CONSTRAINT tasks_valid_estimated_cost CHECK (estimated_cost >= 0),
    actual_cost        integer CONSTRAINT tasks_valid_actual_cost CHECK (actual_cost >= 0),
    cost_breakdown     jsonb,
    created_by         uuid REFERENCES tenancy.users (id) ON DELETE SET NULL,
    assigned_to        uuid REFERENCES tenancy.users (id) ON DELETE SET NULL,
    parent_task_id     uuid,
    -- Groups tasks run together; no source system has a workflows table for AI tasks.
    workflow_id        uuid,
    scheduled_for      timestamptz,
    started_at         timestamptz,
    completed_at       timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    context            jsonb NOT NULL DEFAULT '{}' CONSTRAINT tasks_context_object CHECK (jsonb_typeof(context) = 'object'),
    tags               text[] NOT NULL DEFAULT '{}',
    quality_score      numeric(3,2) CONSTRAINT tasks_valid_quality_score CHECK (quality_score BETWEEN 0 AND 5),
    user_feedback      jsonb,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, parent_task_id) REFERENCES agents.tasks (tenant_id, id),
    CONSTRAINT tasks_no_self_parent CHECK (id <> parent_task_id),
    CONSTRAINT tasks_valid_completion CHECK (completed_at IS NULL OR started_at IS NULL OR completed_at >= started_at)
);
COMMENT ON TABLE agents.tasks IS 'AI and human tasks (BizQ tasks, the platform''s agent_tasks), costed in credits.';
CREATE INDEX tasks_status_idx ON agents.tasks (tenant_id, status);
CREATE INDEX tasks_type_idx ON agents.tasks (tenant_id, type);
CREATE INDEX tasks_category_idx ON agents.tasks (tenant_id, category);
CREATE INDEX tasks_scheduled_for_idx ON agents.tasks (tenant_id, scheduled_for);
CREATE INDEX tasks_parent_idx ON agents.tasks (tenant_id, parent_task_id);
CREATE INDEX tasks_workflow_idx ON agents.tasks (tenant_id, workflow_id);
CREATE INDEX tasks_priority_status_idx ON agents.tasks (tenant_id, priority, status);
CREATE INDEX tasks_created_at_idx ON agents.tasks (tenant_id, created_at);
-- The queue: WHERE tenant_id = $1 AND status = 'pending' ORDER BY priority, created_at.
CREATE INDEX tasks_pending_idx ON agents.tasks (tenant_id, priority, created_at) WHERE status = 'pending';
CREATE INDEX tasks_created_by_idx ON agents.tasks (created_by);
COMMENT ON INDEX agents.tasks_created_by_idx IS 'tenantbase:covers a foreign key to a global table';
CREATE INDEX tasks_assigned_to_idx ON agents.tasks (assigned_to);
COMMENT ON INDEX agents.tasks_assigned_to_idx IS 'tenantbase:covers a foreign key to a global table';
CREATE INDEX tasks_input_idx ON agents.tasks USING gin (tenant_id, input);
CREATE INDEX tasks_output_idx ON agents.tasks USING gin (tenant_id, output);
CREATE INDEX tasks_context_idx ON agents.tasks USING gin (tenant_id, context);
CREATE INDEX tasks_tags_idx ON agents.tasks USING gin (tenant_id, tags);
SELECT tenancy.guard_parent_chain('agents.tasks', 'parent_task_id', 'tasks_no_ancestor_cycle');

CREATE TABLE agents.task_dependencies (
    tenant_id     uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    task_id       uuid NOT NULL,
    depends_on_id uuid NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, task_id, depends_on_id),
    FOREIGN KEY (tenant_id, task_id) REFERENCES agents.tasks (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, depends_on_id) REFERENCES agents.tasks (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT task_dependencies_not_self CHECK (task_id <> depends_on_id)
);
COMMENT ON TABLE agents.task_dependencies IS 'task_id waits for depends_on_id (the documents'' depends_on; blocks read backwards).';
-- "What does this task block": the reverse direction.
CREATE INDEX task_dependencies_blocks_idx ON agents.task_dependencies (tenant_id, depends_on_id);

-- A new dependency must not close a cycle. The dependent task is touched first
-- (a change to what it waits for is a change to the task), then every task
-- reachable from the new prerequisite is share-locked before its own
-- prerequisites are read. Two concurrent edges that would close a cycle
-- together then meet on a row one of them changed: one waits and re-reads
-- (READ COMMITTED) or fails to serialize, or they deadlock and one is aborted.
CREATE FUNCTION agents.refuse_dependency_cycle() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    frontier uuid[] := ARRAY[NEW.depends_on_id];
    seen uuid[] := ARRAY[NEW.depends_on_id];
BEGIN
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
SELECT tenancy.give_to_platform('agents.refuse_dependency_cycle()');
CREATE TRIGGER refuse_dependency_cycle AFTER INSERT OR UPDATE ON agents.task_dependencies
    FOR EACH ROW EXECUTE FUNCTION agents.refuse_dependency_cycle();

CREATE TABLE agents.task_results (
    tenant_id          uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id                 uuid NOT NULL DEFAULT gen_random_uuid(),
    task_id            uuid NOT NULL,
    attempt            integer NOT NULL CONSTRAINT task_results_valid_attempt CHECK (attempt >= 1),
    status             text NOT NULL
                       CONSTRAINT task_results_status_vocabulary CHECK (status IN ('succeeded', 'failed', 'timed_out', 'cancelled')),
    output             jsonb,
    error_details      jsonb,
    ai_model           text,
    ai_provider        text,
    tokens_input       integer CONSTRAINT task_results_valid_tokens_input CHECK (tokens_input >= 0),
    tokens_output      integer CONSTRAINT task_results_valid_tokens_output CHECK (tokens_output >= 0),
    cost               integer CONSTRAINT task_results_valid_cost CHECK (cost >= 0),
    processing_time_ms integer CONSTRAINT task_results_valid_processing_time CHECK (processing_time_ms >= 0),
    started_at         timestamptz NOT NULL DEFAULT now(),
    completed_at       timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, task_id) REFERENCES agents.tasks (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT task_results_one_per_attempt UNIQUE (tenant_id, task_id, attempt),
    CONSTRAINT task_results_valid_completion CHECK (completed_at IS NULL OR completed_at >= started_at),
    CONSTRAINT task_results_failure_explained CHECK (status = 'succeeded' OR error_details IS NOT NULL)
);
COMMENT ON TABLE agents.task_results IS 'Each execution attempt of a task (the platform''s agent_results).';

SELECT tenancy.isolate(t, 'agents')
FROM unnest(ARRAY['agents.tasks', 'agents.task_dependencies', 'agents.task_results']::regclass[]) AS t;
SELECT search.expose('agents.tasks');
