-- An AI task's status follows its transition table (tenancy/V270). Completed is
-- final: the charge is made once, on the cost the task completed with. Failing
-- is exclusive: a failed task is retried (back to pending) or cancelled, never
-- failed again or completed. awaiting_credits is reached only through the
-- charge (agents.charge_completed_task parks a completion) and left only by
-- completing.
SELECT tenancy.define_lifecycle('ai_task_status', ARRAY[
    ['pending', 'queued'], ['pending', 'processing'], ['pending', 'completed'], ['pending', 'failed'],
    ['pending', 'cancelled'], ['pending', 'escalated'],
    ['queued', 'pending'], ['queued', 'processing'], ['queued', 'completed'], ['queued', 'failed'],
    ['queued', 'cancelled'], ['queued', 'escalated'],
    ['processing', 'completed'], ['processing', 'failed'], ['processing', 'cancelled'], ['processing', 'escalated'],
    ['escalated', 'processing'], ['escalated', 'completed'], ['escalated', 'failed'], ['escalated', 'cancelled'],
    ['failed', 'pending'], ['failed', 'cancelled'],
    ['cancelled', 'pending'],
    ['awaiting_credits', 'completed']]);
SELECT tenancy.enforce_lifecycle('agents.tasks', 'status', 'ai_task_status');

-- The cost a task was charged (or is parked to be charged) is consumed by the
-- charge: it no longer changes. A correction is a ledger entry, not an edit.
-- AFTER the row's CHECK constraints, so that a cost out of range is named by its own rule.
CREATE FUNCTION agents.refuse_charged_cost_change() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    RAISE EXCEPTION 'the cost of a % task is final: the charge consumed it', OLD.status
        USING ERRCODE = 'check_violation', CONSTRAINT = 'tasks_cost_charged_lifecycle',
              SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION agents.refuse_charged_cost_change() IS
    'Trigger: refuses a change to the cost of a task the charge has consumed (completed or awaiting credits).';
REVOKE EXECUTE ON FUNCTION agents.refuse_charged_cost_change() FROM PUBLIC;
CREATE TRIGGER lifecycle_charged_cost AFTER UPDATE OF actual_cost, estimated_cost ON agents.tasks
    FOR EACH ROW
    WHEN (OLD.status IN ('completed', 'awaiting_credits')
          AND (OLD.actual_cost IS DISTINCT FROM NEW.actual_cost OR OLD.estimated_cost IS DISTINCT FROM NEW.estimated_cost))
    EXECUTE FUNCTION agents.refuse_charged_cost_change();
