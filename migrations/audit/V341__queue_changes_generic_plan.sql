-- The queue's writer (V286) keeps its statement for the session, but the plan cache
-- still chose a custom plan, planned anew at every call: about 1 ms of every audited
-- statement (300 calls: 290 ms; with one generic plan, 104 ms). Its parameters (the
-- table's arguments, the operation, the rows) change nothing a plan could use.
ALTER FUNCTION audit.queue_changes(text[], audit.operation, jsonb[], jsonb[]) SET plan_cache_mode = force_generic_plan;
