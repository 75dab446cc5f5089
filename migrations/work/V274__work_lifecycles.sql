-- The orchestrator's lifecycles (tenancy/V270): approval requests, projects,
-- tasks and requirements. Approval requests are decided once: approved,
-- rejected, cancelled and expired are final.
SELECT tenancy.define_lifecycle('approval_request_status', ARRAY[
    ['pending', 'in_review'], ['pending', 'approved'], ['pending', 'rejected'], ['pending', 'cancelled'], ['pending', 'expired'],
    ['in_review', 'approved'], ['in_review', 'rejected'], ['in_review', 'cancelled'], ['in_review', 'expired']]);
SELECT tenancy.enforce_lifecycle('work.approval_requests', 'status', 'approval_request_status');

-- A project moves through its phases, may step back one phase, pause and
-- resume into any phase; completed reopens into execution, cancelled into initiation.
SELECT tenancy.define_lifecycle('project_status', ARRAY[
    ['initiation', 'analysis'], ['initiation', 'on_hold'], ['initiation', 'cancelled'],
    ['analysis', 'design'], ['analysis', 'initiation'], ['analysis', 'on_hold'], ['analysis', 'cancelled'],
    ['design', 'planning'], ['design', 'analysis'], ['design', 'on_hold'], ['design', 'cancelled'],
    ['planning', 'execution'], ['planning', 'design'], ['planning', 'on_hold'], ['planning', 'cancelled'],
    ['execution', 'completed'], ['execution', 'planning'], ['execution', 'on_hold'], ['execution', 'cancelled'],
    ['on_hold', 'initiation'], ['on_hold', 'analysis'], ['on_hold', 'design'], ['on_hold', 'planning'],
    ['on_hold', 'execution'], ['on_hold', 'cancelled'],
    ['completed', 'execution'],
    ['cancelled', 'initiation']]);
SELECT tenancy.enforce_lifecycle('work.projects', 'status', 'project_status');

SELECT tenancy.define_lifecycle('work_task_status', ARRAY[
    ['pending', 'in_progress'], ['pending', 'blocked'], ['pending', 'cancelled'],
    ['in_progress', 'pending'], ['in_progress', 'blocked'], ['in_progress', 'needs_review'], ['in_progress', 'completed'],
    ['in_progress', 'cancelled'],
    ['blocked', 'pending'], ['blocked', 'in_progress'], ['blocked', 'cancelled'],
    ['needs_review', 'in_progress'], ['needs_review', 'approved'], ['needs_review', 'rejected'],
    ['approved', 'completed'], ['approved', 'in_progress'],
    ['rejected', 'in_progress'], ['rejected', 'cancelled'],
    ['completed', 'in_progress'],
    ['cancelled', 'pending']]);
SELECT tenancy.enforce_lifecycle('work.tasks', 'status', 'work_task_status');

SELECT tenancy.define_lifecycle('requirement_status', ARRAY[
    ['draft', 'review'], ['draft', 'rejected'], ['draft', 'deprecated'],
    ['review', 'draft'], ['review', 'approved'], ['review', 'rejected'],
    ['approved', 'review'], ['approved', 'implemented'], ['approved', 'deprecated'],
    ['implemented', 'tested'], ['implemented', 'deprecated'],
    ['tested', 'implemented'], ['tested', 'accepted'], ['tested', 'deprecated'],
    ['accepted', 'deprecated'],
    ['rejected', 'draft']]);
SELECT tenancy.enforce_lifecycle('work.requirements', 'status', 'requirement_status');

-- A requirement's versions form a chain that never loops back (the guard of
-- parent chains, content/V100 and tenancy/V231).
SELECT tenancy.guard_parent_chain('work.requirements', 'previous_version_id', 'requirements_no_version_cycle');
