-- Work: collaboration sessions and approval workflows.

CREATE TABLE work.collaboration_sessions (
    tenant_id            uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id                   uuid NOT NULL DEFAULT gen_random_uuid(),
    project_id           uuid NOT NULL,
    title                varchar(500) NOT NULL CONSTRAINT collaboration_sessions_title_not_blank CHECK (btrim(title) <> ''),
    description          text,
    session_type         text NOT NULL
                         CONSTRAINT collaboration_sessions_session_type_vocabulary CHECK (session_type IN ('requirements_review', 'architecture_review', 'planning', 'standup', 'retrospective', 'design_session', 'approval_meeting')),
    status               text NOT NULL DEFAULT 'scheduled'
                         CONSTRAINT collaboration_sessions_status_vocabulary CHECK (status IN ('scheduled', 'in_progress', 'completed', 'cancelled', 'postponed')),
    scheduled_start      timestamptz NOT NULL,
    scheduled_end        timestamptz NOT NULL,
    actual_start         timestamptz,
    actual_end           timestamptz,
    max_participants     integer NOT NULL DEFAULT 20 CONSTRAINT collaboration_sessions_valid_max_participants CHECK (max_participants > 0),
    is_recording_enabled boolean NOT NULL DEFAULT false,
    recording_url        text,
    facilitator_id       uuid REFERENCES tenancy.users (id) ON DELETE SET NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    created_by           uuid NOT NULL REFERENCES tenancy.users (id),
    settings             jsonb NOT NULL DEFAULT '{}' CONSTRAINT collaboration_sessions_settings_object CHECK (jsonb_typeof(settings) = 'object'),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES work.projects (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT collaboration_sessions_valid_session_times CHECK (scheduled_start < scheduled_end),
    CONSTRAINT collaboration_sessions_valid_actual_times CHECK (actual_end IS NULL OR actual_start IS NULL OR actual_start <= actual_end)
);
CREATE INDEX collaboration_sessions_project_scheduled_idx ON work.collaboration_sessions (tenant_id, project_id, scheduled_start);
CREATE INDEX collaboration_sessions_facilitator_idx ON work.collaboration_sessions (facilitator_id);
COMMENT ON INDEX work.collaboration_sessions_facilitator_idx IS 'tenantbase:covers a foreign key to a global table';
CREATE INDEX collaboration_sessions_created_by_idx ON work.collaboration_sessions (created_by);
COMMENT ON INDEX work.collaboration_sessions_created_by_idx IS 'tenantbase:covers a foreign key to a global table';

CREATE TABLE work.session_participants (
    tenant_id    uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id           uuid NOT NULL DEFAULT gen_random_uuid(),
    session_id   uuid NOT NULL,
    user_id      uuid NOT NULL REFERENCES tenancy.users (id) ON DELETE CASCADE,
    role         text NOT NULL DEFAULT 'participant'
                 CONSTRAINT session_participants_role_vocabulary CHECK (role IN ('facilitator', 'presenter', 'participant', 'observer')),
    status       text NOT NULL DEFAULT 'invited'
                 CONSTRAINT session_participants_status_vocabulary CHECK (status IN ('invited', 'accepted', 'declined', 'joined', 'left')),
    invited_at   timestamptz NOT NULL DEFAULT now(),
    joined_at    timestamptz,
    left_at      timestamptz,
    can_edit     boolean NOT NULL DEFAULT false,
    can_moderate boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, session_id) REFERENCES work.collaboration_sessions (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT session_participants_one_per_user UNIQUE (tenant_id, session_id, user_id),
    CONSTRAINT session_participants_valid_times CHECK (left_at IS NULL OR joined_at IS NULL OR left_at >= joined_at)
);
CREATE INDEX session_participants_user_idx ON work.session_participants (user_id);
COMMENT ON INDEX work.session_participants_user_idx IS 'tenantbase:covers a foreign key to a global table';

CREATE TABLE work.approval_workflows (
    tenant_id          uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id                 uuid NOT NULL DEFAULT gen_random_uuid(),
    project_id         uuid NOT NULL,
    name               varchar(255) NOT NULL CONSTRAINT approval_workflows_name_not_blank CHECK (btrim(name) <> ''),
    description        text,
    workflow_type      text NOT NULL
                       CONSTRAINT approval_workflows_workflow_type_vocabulary CHECK (workflow_type IN ('requirement_approval', 'architecture_approval', 'design_approval', 'implementation_approval', 'release_approval', 'change_request')),
    is_active          boolean NOT NULL DEFAULT true,
    is_sequential      boolean NOT NULL DEFAULT false,
    required_approvals integer NOT NULL DEFAULT 1 CONSTRAINT approval_workflows_valid_required_approvals CHECK (required_approvals >= 1),
    trigger_conditions jsonb NOT NULL DEFAULT '{}',
    approval_criteria  jsonb NOT NULL DEFAULT '{}',
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    created_by         uuid NOT NULL REFERENCES tenancy.users (id),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES work.projects (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX approval_workflows_project_idx ON work.approval_workflows (tenant_id, project_id);
CREATE INDEX approval_workflows_active_type_idx ON work.approval_workflows (tenant_id, workflow_type) WHERE is_active;
CREATE INDEX approval_workflows_created_by_idx ON work.approval_workflows (created_by);
COMMENT ON INDEX work.approval_workflows_created_by_idx IS 'tenantbase:covers a foreign key to a global table';

-- Who approves in a workflow, and in which order when it is sequential. The
-- document names is_sequential but not the approvers; without a list there is
-- no order to keep. A workflow without approvers accepts any member allowed to approve.
CREATE TABLE work.approval_workflow_approvers (
    tenant_id   uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    workflow_id uuid NOT NULL,
    approver_id uuid NOT NULL REFERENCES tenancy.users (id) ON DELETE CASCADE,
    position    integer NOT NULL CONSTRAINT approval_workflow_approvers_valid_position CHECK (position >= 1),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, workflow_id) REFERENCES work.approval_workflows (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT approval_workflow_approvers_one_position UNIQUE (tenant_id, workflow_id, position),
    CONSTRAINT approval_workflow_approvers_once UNIQUE (tenant_id, workflow_id, approver_id)
);
CREATE INDEX approval_workflow_approvers_approver_idx ON work.approval_workflow_approvers (approver_id);
COMMENT ON INDEX work.approval_workflow_approvers_approver_idx IS 'tenantbase:covers a foreign key to a global table';

CREATE TABLE work.approval_requests (
    tenant_id      uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id             uuid NOT NULL DEFAULT gen_random_uuid(),
    workflow_id    uuid NOT NULL,
    project_id     uuid NOT NULL,
    title          varchar(500) NOT NULL CONSTRAINT approval_requests_title_not_blank CHECK (btrim(title) <> ''),
    description    text NOT NULL,
    request_type   text NOT NULL
                   CONSTRAINT approval_requests_request_type_vocabulary CHECK (request_type IN ('requirement', 'architecture', 'design', 'implementation', 'deployment', 'change_request')),
    -- What is being approved: a requirement, a decision, a task... (polymorphic, so no foreign key).
    subject_type   varchar(50) NOT NULL CONSTRAINT approval_requests_subject_type_format CHECK (subject_type ~ '^[a-z_]+$'),
    subject_id     uuid NOT NULL,
    status         text NOT NULL DEFAULT 'pending'
                   CONSTRAINT approval_requests_status_vocabulary CHECK (status IN ('pending', 'in_review', 'approved', 'rejected', 'cancelled', 'expired')),
    requested_at   timestamptz NOT NULL DEFAULT now(),
    due_date       timestamptz,
    completed_at   timestamptz,
    requested_by   uuid NOT NULL REFERENCES tenancy.users (id),
    -- Its values are kept by approval_requests_decision_matches_status below.
    final_decision text,
    decision_notes text,
    context_data   jsonb NOT NULL DEFAULT '{}',
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, workflow_id) REFERENCES work.approval_workflows (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES work.projects (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT approval_requests_valid_due_date CHECK (due_date IS NULL OR due_date > requested_at),
    CONSTRAINT approval_requests_valid_completion CHECK (completed_at IS NULL OR completed_at >= requested_at),
    -- Approved and rejected come only with their decision, which only responses produce.
    CONSTRAINT approval_requests_decision_matches_status CHECK (
        CASE status
            WHEN 'approved' THEN final_decision IN ('approve', 'approve_with_conditions') AND completed_at IS NOT NULL
            WHEN 'rejected' THEN final_decision = 'reject' AND completed_at IS NOT NULL
            ELSE final_decision IS NULL
        END)
);
CREATE INDEX approval_requests_pending_due_idx ON work.approval_requests (tenant_id, status, due_date) WHERE status = 'pending';
CREATE INDEX approval_requests_workflow_idx ON work.approval_requests (tenant_id, workflow_id);
CREATE INDEX approval_requests_project_idx ON work.approval_requests (tenant_id, project_id, status);
CREATE INDEX approval_requests_requested_by_idx ON work.approval_requests (requested_by);
COMMENT ON INDEX work.approval_requests_requested_by_idx IS 'tenantbase:covers a foreign key to a global table';

CREATE TABLE work.approval_responses (
    tenant_id     uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    request_id    uuid NOT NULL,
    approver_id   uuid NOT NULL REFERENCES tenancy.users (id),
    decision      text NOT NULL
                  CONSTRAINT approval_responses_decision_vocabulary CHECK (decision IN ('approve', 'reject', 'approve_with_conditions', 'delegate')),
    comments      text,
    conditions    text,
    responded_at  timestamptz NOT NULL DEFAULT now(),
    approval_data jsonb NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, request_id) REFERENCES work.approval_requests (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT approval_responses_one_per_approver UNIQUE (tenant_id, request_id, approver_id),
    CONSTRAINT approval_responses_conditions_given CHECK (decision <> 'approve_with_conditions' OR conditions IS NOT NULL)
);
CREATE INDEX approval_responses_approver_idx ON work.approval_responses (approver_id);
COMMENT ON INDEX work.approval_responses_approver_idx IS 'tenantbase:covers a foreign key to a global table';

SELECT tenancy.isolate(t, 'work')
FROM unnest(ARRAY['work.collaboration_sessions', 'work.session_participants', 'work.approval_workflows',
                  'work.approval_workflow_approvers', 'work.approval_requests', 'work.approval_responses']::regclass[]) AS t;

-- A response is a signed record: given once, never edited or withdrawn. A
-- request's decision comes only from its responses; the app may still edit its
-- description, due date and notes, and cancel it. (tenant_id stays in the
-- column grants so that the policies, which pin it, answer an attempt to move a
-- row, as on every other table.)
REVOKE UPDATE, DELETE ON work.approval_responses FROM tenantbase_app;
GRANT UPDATE (tenant_id, comments) ON work.approval_responses TO tenantbase_app;
REVOKE UPDATE ON work.approval_requests FROM tenantbase_app;
GRANT UPDATE (tenant_id, title, description, due_date, status, decision_notes, context_data) ON work.approval_requests TO tenantbase_app;

-- Each response moves its request towards its decision. The request row is
-- locked first, so concurrent responses to one request are counted one after
-- the other (READ COMMITTED re-reads; higher isolation fails to serialize).
-- A rejection decides at once; enough approvals (approve or approve with
-- conditions) decide approval. In a sequential workflow an approver answers
-- only after everyone listed before them has approved.
-- SECURITY DEFINER (platform) because the decision columns are not the app's
-- to write; it acts only in NEW's tenant, on a row that passed the policies.
CREATE FUNCTION work.apply_approval_response() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    request record;
    workflow record;
    listed boolean;
    approvals integer;
    conditional boolean;
BEGIN
    IF NEW.approver_id IS DISTINCT FROM tenancy.current_user_id() AND tenancy.current_user_id() IS NOT NULL THEN
        RAISE EXCEPTION 'a response is given by its approver'
            USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'approval_responses_by_the_approver';
    END IF;
    IF tenancy.current_user_id() IS NOT NULL AND NOT tenancy.has_permission('work', 'approve') THEN
        RAISE EXCEPTION 'answering approval requests needs the work approve permission'
            USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'approval_responses_approver_may_approve';
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
SELECT tenancy.give_to_platform('work.apply_approval_response()');
CREATE TRIGGER apply_approval_response AFTER INSERT ON work.approval_responses
    FOR EACH ROW EXECUTE FUNCTION work.apply_approval_response();
