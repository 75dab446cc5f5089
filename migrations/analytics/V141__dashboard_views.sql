-- The documents' dashboard views. security_invoker, so each reads under the
-- caller's policies: one tenant's rows, whoever asks. Each figure is its own
-- correlated aggregate (the document's single LEFT JOIN of tasks, orders and
-- products multiplied every count by the other tables' row counts).

CREATE VIEW analytics.tenant_dashboard WITH (security_invoker = true) AS
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
FROM tenancy.tenants t
CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE status = 'pending') AS pending_tasks,
           count(*) FILTER (WHERE status = 'processing') AS processing_tasks,
           count(*) FILTER (WHERE status = 'awaiting_credits') AS awaiting_credits_tasks,
           count(*) FILTER (WHERE status = 'completed' AND completed_at >= current_date) AS tasks_completed_today
    FROM agents.tasks WHERE tenant_id = t.id) AS tasks
CROSS JOIN LATERAL (
    SELECT coalesce(sum(total_amount) FILTER (WHERE order_date >= current_date - 30
                                                AND status NOT IN ('cancelled', 'refunded')), 0) AS revenue_30d,
           count(*) FILTER (WHERE order_date >= current_date) AS orders_today
    FROM commerce.orders WHERE tenant_id = t.id) AS orders
CROSS JOIN LATERAL (
    SELECT count(*) AS total_products, count(*) FILTER (WHERE status = 'active') AS active_products
    FROM commerce.products WHERE tenant_id = t.id) AS products;
COMMENT ON VIEW analytics.tenant_dashboard IS 'BizQ''s workspace dashboard: credits, task queue, revenue and catalog of the acting tenant.';

CREATE VIEW analytics.task_performance WITH (security_invoker = true) AS
SELECT tenant_id,
       type AS task_type,
       date_trunc('day', created_at) AS date,
       count(*) AS total_executions,
       avg(processing_time_ms) AS avg_processing_time,
       avg(actual_cost) AS avg_cost,
       avg(quality_score) AS avg_quality_score,
       (count(*) FILTER (WHERE status = 'completed'))::double precision / count(*) AS success_rate
FROM agents.tasks
WHERE created_at >= current_date - 30
GROUP BY tenant_id, type, date_trunc('day', created_at);
COMMENT ON VIEW analytics.task_performance IS 'BizQ''s task performance: per task type and day over the last 30 days.';

CREATE VIEW analytics.project_dashboard WITH (security_invoker = true) AS
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
       CASE WHEN tasks.total_tasks > 0 THEN round(tasks.completed_tasks::numeric / tasks.total_tasks, 2) END AS completion_ratio,
       tasks.estimated_hours,
       tasks.actual_hours,
       requirements.current_requirements,
       requirements.approved_requirements,
       risks.open_risks,
       risks.highest_risk_score,
       approvals.open_approval_requests,
       (p.target_end_date < current_date AND p.status NOT IN ('completed', 'cancelled')) AS overdue
FROM work.projects p
CROSS JOIN LATERAL (
    SELECT count(*) AS total_tasks,
           count(*) FILTER (WHERE status = 'completed') AS completed_tasks,
           count(*) FILTER (WHERE status = 'in_progress') AS in_progress_tasks,
           count(*) FILTER (WHERE status = 'blocked') AS blocked_tasks,
           coalesce(sum(estimated_hours), 0) AS estimated_hours,
           coalesce(sum(actual_hours), 0) AS actual_hours
    FROM work.tasks WHERE tenant_id = p.tenant_id AND project_id = p.id) AS tasks
CROSS JOIN LATERAL (
    SELECT count(*) AS current_requirements,
           count(*) FILTER (WHERE status IN ('approved', 'implemented', 'tested', 'accepted')) AS approved_requirements
    FROM work.requirements WHERE tenant_id = p.tenant_id AND project_id = p.id AND is_current_version) AS requirements
CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE status NOT IN ('closed', 'mitigated')) AS open_risks,
           max(risk_score) FILTER (WHERE status NOT IN ('closed', 'mitigated')) AS highest_risk_score
    FROM work.project_risks WHERE tenant_id = p.tenant_id AND project_id = p.id) AS risks
CROSS JOIN LATERAL (
    SELECT count(*) AS open_approval_requests
    FROM work.approval_requests WHERE tenant_id = p.tenant_id AND project_id = p.id AND status IN ('pending', 'in_review')) AS approvals;
COMMENT ON VIEW analytics.project_dashboard IS 'The BDUF orchestrator''s project dashboard: progress, hours, requirements, risks and approvals per project.';

GRANT SELECT ON analytics.tenant_dashboard, analytics.task_performance, analytics.project_dashboard
    TO tenantbase_app, tenantbase_readonly;
