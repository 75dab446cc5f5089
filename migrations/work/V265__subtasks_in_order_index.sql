-- The orchestrator design's idx_tasks_parent_sequence is partial: only subtasks
-- have a parent, so top-level tasks (most of them) need no entry. It still covers
-- the parent foreign key (tenant_id, project_id, parent_task_id): a row whose
-- parent is NULL references nothing, and every lookup the key makes names a parent.
DROP INDEX work.tasks_parent_sequence_idx;
CREATE INDEX tasks_parent_sequence_idx ON work.tasks (tenant_id, project_id, parent_task_id, sequence_order)
    WHERE parent_task_id IS NOT NULL;
