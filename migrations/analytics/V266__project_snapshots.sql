-- The orchestrator design's project_analytics, computed: one snapshot per
-- project and day, written by platform maintenance (`tenantbase serve` daily,
-- `tenantbase analytics snapshot`), and its analytics_summary view.

-- Every project's figures on p_day, upserted (a second run the same day refreshes
-- them). Definitions the design leaves open: the members active on a project are
-- those with an activity on it in the 30 days up to p_day, its sessions those
-- scheduled in the same 30 days; architecture_coherence_score is not computed
-- (the design never says how) and custom_metrics stays the tenant's.
CREATE FUNCTION analytics.snapshot_projects(p_day date) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION analytics.snapshot_projects(date) IS
    'tenantbase:platform Writes the day''s snapshot of every project of every tenant (platform maintenance: the account role''s daily run, operators); returns how many it wrote, no tenant data.';
SELECT tenancy.give_to_platform('analytics.snapshot_projects(date)');
GRANT EXECUTE ON FUNCTION analytics.snapshot_projects(date) TO tenantbase_account;

-- Each project's latest snapshot and its progress over the 7 days before it.
CREATE VIEW analytics.analytics_summary WITH (security_invoker = true) AS
SELECT p.tenant_id,
       p.id AS project_id,
       p.name,
       s.snapshot_date,
       s.total_tasks,
       s.completed_tasks,
       CASE WHEN s.total_tasks > 0 THEN round(s.completed_tasks::numeric / s.total_tasks, 2) END AS completion_ratio,
       s.completed_tasks - w.completed_tasks AS completed_in_7_days,
       s.total_actual_hours - s.total_estimated_hours AS hours_over_estimate,
       s.requirements_completeness,
       s.risk_score,
       s.active_team_members,
       s.collaboration_sessions_count
FROM work.projects p
CROSS JOIN LATERAL (
    SELECT * FROM analytics.project_analytics a
    WHERE a.tenant_id = p.tenant_id AND a.project_id = p.id
    ORDER BY a.snapshot_date DESC LIMIT 1) AS s
LEFT JOIN LATERAL (
    SELECT a.completed_tasks FROM analytics.project_analytics a
    WHERE a.tenant_id = p.tenant_id AND a.project_id = p.id AND a.snapshot_date <= s.snapshot_date - 7
    ORDER BY a.snapshot_date DESC LIMIT 1) AS w ON true;
COMMENT ON VIEW analytics.analytics_summary IS
    'The orchestrator''s analytics summary: each project''s latest snapshot, completion, progress over 7 days, hours over estimate and risk.';
GRANT SELECT ON analytics.analytics_summary TO tenantbase_app, tenantbase_readonly;
