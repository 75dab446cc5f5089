-- Work: the BDUF orchestrator's projects, hierarchical tasks, requirements,
-- architecture decisions and risks. organization_id is tenant_id; user
-- references point at the global tenancy.users.

CREATE SCHEMA work;
GRANT USAGE ON SCHEMA work TO tenantbase_app, tenantbase_readonly, tenantbase_platform;

-- Closed vocabularies (statuses, types, categories) are text with a named CHECK
-- list, <table>_<column>_vocabulary, not enums: enum equality (enum_eq) is not
-- LEAKPROOF, so below an RLS policy a comparison with an enum can never be an
-- index condition, and every status index would serve only its tenant_id.
-- Ordered scales stay enums: their order is their meaning, and they are sorted
-- on more than filtered.
CREATE TYPE work.complexity_level AS ENUM ('simple', 'moderate', 'complex', 'very_complex');
CREATE TYPE work.priority AS ENUM ('low', 'medium', 'high', 'critical');
CREATE TYPE work.risk_probability AS ENUM ('very_low', 'low', 'medium', 'high', 'very_high');
CREATE TYPE work.risk_impact AS ENUM ('very_low', 'low', 'medium', 'high', 'very_high');
-- requirements.risk_level names a risk_level_enum the document never defines: the risk scale.
CREATE TYPE work.risk_level AS ENUM ('very_low', 'low', 'medium', 'high', 'very_high');

CREATE TABLE work.projects (
    tenant_id        uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id               uuid NOT NULL DEFAULT gen_random_uuid(),
    name             varchar(255) NOT NULL CONSTRAINT projects_name_not_blank CHECK (btrim(name) <> ''),
    description      text,
    status           text NOT NULL DEFAULT 'initiation'
                     CONSTRAINT projects_status_vocabulary CHECK (status IN ('initiation', 'analysis', 'design', 'planning', 'execution', 'completed', 'cancelled', 'on_hold')),
    complexity       work.complexity_level NOT NULL DEFAULT 'moderate',
    priority         work.priority NOT NULL DEFAULT 'medium',
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    created_by       uuid NOT NULL REFERENCES tenancy.users (id),
    start_date       date,
    target_end_date  date,
    actual_end_date  date,
    budget_allocated numeric(12,2),
    budget_used      numeric(12,2),
    currency         char(3) NOT NULL DEFAULT 'USD' CONSTRAINT projects_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
    settings         jsonb NOT NULL DEFAULT '{}' CONSTRAINT projects_settings_object CHECK (jsonb_typeof(settings) = 'object'),
    metadata         jsonb NOT NULL DEFAULT '{}' CONSTRAINT projects_metadata_object CHECK (jsonb_typeof(metadata) = 'object'),
    search_vector    tsvector GENERATED ALWAYS AS (
                         setweight(to_tsvector('english'::regconfig, coalesce(name, '')), 'A')
                         || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B')) STORED,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT projects_valid_dates CHECK (start_date IS NULL OR target_end_date IS NULL OR start_date <= target_end_date),
    CONSTRAINT projects_valid_actual_end CHECK (start_date IS NULL OR actual_end_date IS NULL OR start_date <= actual_end_date),
    CONSTRAINT projects_valid_budget CHECK (budget_allocated IS NULL OR budget_allocated >= 0),
    CONSTRAINT projects_valid_budget_used CHECK (budget_used IS NULL OR budget_used >= 0)
);
CREATE INDEX projects_open_status_priority_idx ON work.projects (tenant_id, status, priority) WHERE status <> 'completed';
CREATE INDEX projects_status_idx ON work.projects (tenant_id, status);
CREATE INDEX projects_created_by_idx ON work.projects (created_by);
COMMENT ON INDEX work.projects_created_by_idx IS 'tenantbase:covers a foreign key to a global table';
CREATE INDEX projects_search_idx ON work.projects USING gin (tenant_id, search_vector);
CREATE INDEX projects_settings_idx ON work.projects USING gin (tenant_id, settings);

CREATE TABLE work.tasks (
    tenant_id        uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id               uuid NOT NULL DEFAULT gen_random_uuid(),
    project_id       uuid NOT NULL,
    parent_task_id   uuid,
    title            varchar(500) NOT NULL CONSTRAINT tasks_title_not_blank CHECK (btrim(title) <> ''),
    description      text,
    status           text NOT NULL DEFAULT 'pending'
                     CONSTRAINT tasks_status_vocabulary CHECK (status IN ('pending', 'in_progress', 'completed', 'blocked', 'cancelled', 'needs_review', 'approved', 'rejected')),
    priority         work.priority NOT NULL DEFAULT 'medium',
    complexity       work.complexity_level NOT NULL DEFAULT 'moderate',
    assigned_to      uuid REFERENCES tenancy.users (id) ON DELETE SET NULL,
    assigned_at      timestamptz,
    assigned_by      uuid REFERENCES tenancy.users (id) ON DELETE SET NULL,
    estimated_hours  numeric(6,2),
    actual_hours     numeric(6,2) NOT NULL DEFAULT 0,
    started_at       timestamptz,
    completed_at     timestamptz,
    sequence_order   integer,
    is_milestone     boolean NOT NULL DEFAULT false,
    is_critical_path boolean NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    created_by       uuid NOT NULL REFERENCES tenancy.users (id),
    custom_fields    jsonb NOT NULL DEFAULT '{}' CONSTRAINT tasks_custom_fields_object CHECK (jsonb_typeof(custom_fields) = 'object'),
    attachments      jsonb NOT NULL DEFAULT '[]' CONSTRAINT tasks_attachments_array CHECK (jsonb_typeof(attachments) = 'array'),
    tags             text[] NOT NULL DEFAULT '{}',
    search_vector    tsvector GENERATED ALWAYS AS (
                         setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
                         || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B')) STORED,
    PRIMARY KEY (tenant_id, id),
    -- Lets a subtask's parent be required to sit in the same project.
    CONSTRAINT tasks_project_task_key UNIQUE (tenant_id, project_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES work.projects (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT tasks_parent_in_same_project FOREIGN KEY (tenant_id, project_id, parent_task_id)
        REFERENCES work.tasks (tenant_id, project_id, id) ON DELETE CASCADE,
    CONSTRAINT tasks_no_self_reference CHECK (id <> parent_task_id),
    CONSTRAINT tasks_valid_hours CHECK (estimated_hours IS NULL OR estimated_hours >= 0),
    CONSTRAINT tasks_valid_actual_hours CHECK (actual_hours >= 0),
    CONSTRAINT tasks_valid_completion CHECK (completed_at IS NULL OR started_at IS NULL OR completed_at >= started_at)
);
CREATE INDEX tasks_project_status_idx ON work.tasks (tenant_id, project_id, status);
CREATE INDEX tasks_assigned_status_idx ON work.tasks (tenant_id, assigned_to, status) WHERE assigned_to IS NOT NULL;
CREATE INDEX tasks_parent_sequence_idx ON work.tasks (tenant_id, project_id, parent_task_id, sequence_order);
CREATE INDEX tasks_incomplete_idx ON work.tasks (tenant_id, project_id, priority, created_at)
    WHERE status IN ('pending', 'in_progress', 'blocked');
CREATE INDEX tasks_assigned_to_idx ON work.tasks (assigned_to);
COMMENT ON INDEX work.tasks_assigned_to_idx IS 'tenantbase:covers a foreign key to a global table';
CREATE INDEX tasks_assigned_by_idx ON work.tasks (assigned_by);
COMMENT ON INDEX work.tasks_assigned_by_idx IS 'tenantbase:covers a foreign key to a global table';
CREATE INDEX tasks_created_by_idx ON work.tasks (created_by);
COMMENT ON INDEX work.tasks_created_by_idx IS 'tenantbase:covers a foreign key to a global table';
CREATE INDEX tasks_search_idx ON work.tasks USING gin (tenant_id, search_vector);
CREATE INDEX tasks_custom_fields_idx ON work.tasks USING gin (tenant_id, custom_fields);
CREATE INDEX tasks_tags_idx ON work.tasks USING gin (tenant_id, tags);
SELECT tenancy.guard_parent_chain('work.tasks', 'parent_task_id', 'tasks_no_ancestor_cycle');

CREATE TABLE work.requirements (
    tenant_id             uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id                    uuid NOT NULL DEFAULT gen_random_uuid(),
    project_id            uuid NOT NULL,
    parent_requirement_id uuid,
    title                 varchar(500) NOT NULL CONSTRAINT requirements_title_not_blank CHECK (btrim(title) <> ''),
    description           text NOT NULL,
    type                  text NOT NULL
                          CONSTRAINT requirements_type_vocabulary CHECK (type IN ('functional', 'non_functional', 'business', 'technical', 'security', 'performance', 'usability', 'compliance')),
    priority              work.priority NOT NULL DEFAULT 'medium',
    status                text NOT NULL DEFAULT 'draft'
                          CONSTRAINT requirements_status_vocabulary CHECK (status IN ('draft', 'review', 'approved', 'implemented', 'tested', 'accepted', 'rejected', 'deprecated')),
    category              varchar(100),
    source                varchar(200),
    stakeholder_id        uuid REFERENCES tenancy.users (id) ON DELETE SET NULL,
    complexity_score      numeric(3,2) CONSTRAINT requirements_valid_complexity_score CHECK (complexity_score >= 0),
    effort_estimate_hours numeric(8,2) CONSTRAINT requirements_valid_effort CHECK (effort_estimate_hours >= 0),
    risk_level            work.risk_level NOT NULL DEFAULT 'medium',
    acceptance_criteria   jsonb NOT NULL DEFAULT '[]'
                          CONSTRAINT requirements_acceptance_criteria_array CHECK (jsonb_typeof(acceptance_criteria) = 'array'),
    test_cases            jsonb NOT NULL DEFAULT '[]' CONSTRAINT requirements_test_cases_array CHECK (jsonb_typeof(test_cases) = 'array'),
    version               integer NOT NULL DEFAULT 1 CONSTRAINT requirements_valid_version CHECK (version >= 1),
    is_current_version    boolean NOT NULL DEFAULT true,
    -- Versioning: a new version names the one it replaces, which stops being current.
    previous_version_id   uuid,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    created_by            uuid NOT NULL REFERENCES tenancy.users (id),
    custom_attributes     jsonb NOT NULL DEFAULT '{}'
                          CONSTRAINT requirements_custom_attributes_object CHECK (jsonb_typeof(custom_attributes) = 'object'),
    attachments           jsonb NOT NULL DEFAULT '[]' CONSTRAINT requirements_attachments_array CHECK (jsonb_typeof(attachments) = 'array'),
    search_vector         tsvector GENERATED ALWAYS AS (
                              setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
                              || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B')
                              || setweight(to_tsvector('english'::regconfig, coalesce(category, '') || ' ' || coalesce(source, '')), 'C')) STORED,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES work.projects (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, parent_requirement_id) REFERENCES work.requirements (tenant_id, id),
    FOREIGN KEY (tenant_id, previous_version_id) REFERENCES work.requirements (tenant_id, id),
    CONSTRAINT requirements_one_next_version UNIQUE (tenant_id, previous_version_id),
    CONSTRAINT requirements_no_self_parent CHECK (id <> parent_requirement_id),
    CONSTRAINT requirements_versions_chain CHECK ((version = 1) = (previous_version_id IS NULL))
);
CREATE INDEX requirements_project_idx ON work.requirements (tenant_id, project_id);
CREATE INDEX requirements_current_version_idx ON work.requirements (tenant_id, project_id, type, status) WHERE is_current_version;
CREATE INDEX requirements_parent_idx ON work.requirements (tenant_id, parent_requirement_id);
CREATE INDEX requirements_stakeholder_idx ON work.requirements (stakeholder_id);
COMMENT ON INDEX work.requirements_stakeholder_idx IS 'tenantbase:covers a foreign key to a global table';
CREATE INDEX requirements_created_by_idx ON work.requirements (created_by);
COMMENT ON INDEX work.requirements_created_by_idx IS 'tenantbase:covers a foreign key to a global table';
CREATE INDEX requirements_search_idx ON work.requirements USING gin (tenant_id, search_vector);
SELECT tenancy.guard_parent_chain('work.requirements', 'parent_requirement_id', 'requirements_no_ancestor_cycle');

-- A new version retires the one it replaces (the unique key above makes the chain linear).
CREATE FUNCTION work.retire_previous_version() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    UPDATE work.requirements SET is_current_version = false
    WHERE tenant_id = NEW.tenant_id AND id = NEW.previous_version_id AND is_current_version;
    RETURN NULL;
END
$$;
CREATE TRIGGER retire_previous_version AFTER INSERT ON work.requirements
    FOR EACH ROW WHEN (NEW.previous_version_id IS NOT NULL)
    EXECUTE FUNCTION work.retire_previous_version();

-- The document's related_requirements uuid[]: a link table, so that a link can
-- never point into another tenant or at a deleted requirement.
CREATE TABLE work.requirement_links (
    tenant_id              uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    requirement_id         uuid NOT NULL,
    related_requirement_id uuid NOT NULL,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, requirement_id, related_requirement_id),
    FOREIGN KEY (tenant_id, requirement_id) REFERENCES work.requirements (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, related_requirement_id) REFERENCES work.requirements (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT requirement_links_not_self CHECK (requirement_id <> related_requirement_id)
);
CREATE INDEX requirement_links_related_idx ON work.requirement_links (tenant_id, related_requirement_id);

CREATE TABLE work.architecture_decisions (
    tenant_id           uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id                  uuid NOT NULL DEFAULT gen_random_uuid(),
    project_id          uuid NOT NULL,
    title               varchar(500) NOT NULL CONSTRAINT architecture_decisions_title_not_blank CHECK (btrim(title) <> ''),
    description         text NOT NULL,
    context             text,
    decision            text NOT NULL,
    consequences        text,
    category            text NOT NULL
                        CONSTRAINT architecture_decisions_category_vocabulary CHECK (category IN ('system', 'component', 'deployment', 'security', 'integration', 'data', 'ui_ux', 'performance')),
    status              text NOT NULL DEFAULT 'proposed'
                        CONSTRAINT architecture_decisions_status_vocabulary CHECK (status IN ('proposed', 'review', 'approved', 'implemented', 'superseded', 'rejected')),
    options_considered  jsonb NOT NULL DEFAULT '[]'
                        CONSTRAINT architecture_decisions_options_array CHECK (jsonb_typeof(options_considered) = 'array'),
    evaluation_criteria jsonb NOT NULL DEFAULT '{}',
    risk_assessment     jsonb NOT NULL DEFAULT '{}',
    trade_offs          jsonb NOT NULL DEFAULT '{}',
    decided_by          uuid REFERENCES tenancy.users (id) ON DELETE SET NULL,
    decided_at          timestamptz,
    review_date         date,
    superseded_by       uuid,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    created_by          uuid NOT NULL REFERENCES tenancy.users (id),
    version             integer NOT NULL DEFAULT 1 CONSTRAINT architecture_decisions_valid_version CHECK (version >= 1),
    search_vector       tsvector GENERATED ALWAYS AS (
                            setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
                            || setweight(to_tsvector('english'::regconfig, coalesce(decision, '')), 'B')
                            || setweight(to_tsvector('english'::regconfig, coalesce(description, '') || ' ' || coalesce(context, '')
                                                     || ' ' || coalesce(consequences, '')), 'C')) STORED,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES work.projects (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, superseded_by) REFERENCES work.architecture_decisions (tenant_id, id) ON DELETE SET NULL (superseded_by),
    CONSTRAINT architecture_decisions_not_self_superseded CHECK (id <> superseded_by),
    CONSTRAINT architecture_decisions_superseded_status CHECK (superseded_by IS NULL OR status = 'superseded')
);
CREATE INDEX architecture_decisions_project_status_idx ON work.architecture_decisions (tenant_id, project_id, status);
CREATE INDEX architecture_decisions_superseded_by_idx ON work.architecture_decisions (tenant_id, superseded_by);
CREATE INDEX architecture_decisions_decided_by_idx ON work.architecture_decisions (decided_by);
COMMENT ON INDEX work.architecture_decisions_decided_by_idx IS 'tenantbase:covers a foreign key to a global table';
CREATE INDEX architecture_decisions_created_by_idx ON work.architecture_decisions (created_by);
COMMENT ON INDEX work.architecture_decisions_created_by_idx IS 'tenantbase:covers a foreign key to a global table';
CREATE INDEX architecture_decisions_search_idx ON work.architecture_decisions USING gin (tenant_id, search_vector);
SELECT tenancy.guard_parent_chain('work.architecture_decisions', 'superseded_by', 'architecture_decisions_no_supersession_cycle');

CREATE TABLE work.project_risks (
    tenant_id           uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id                  uuid NOT NULL DEFAULT gen_random_uuid(),
    project_id          uuid NOT NULL,
    title               varchar(500) NOT NULL CONSTRAINT project_risks_title_not_blank CHECK (btrim(title) <> ''),
    description         text NOT NULL,
    category            text NOT NULL
                        CONSTRAINT project_risks_category_vocabulary CHECK (category IN ('technical', 'business', 'security', 'performance', 'resource', 'schedule', 'quality', 'external')),
    probability         work.risk_probability NOT NULL,
    impact              work.risk_impact NOT NULL,
    risk_score          numeric(3,2) GENERATED ALWAYS AS (
                            CASE probability
                                WHEN 'very_low' THEN 0.1 WHEN 'low' THEN 0.3 WHEN 'medium' THEN 0.5
                                WHEN 'high' THEN 0.7 WHEN 'very_high' THEN 0.9
                            END *
                            CASE impact
                                WHEN 'very_low' THEN 1 WHEN 'low' THEN 2 WHEN 'medium' THEN 3
                                WHEN 'high' THEN 4 WHEN 'very_high' THEN 5
                            END) STORED,
    mitigation_strategy text,
    contingency_plan    text,
    owner_id            uuid REFERENCES tenancy.users (id) ON DELETE SET NULL,
    status              text NOT NULL DEFAULT 'identified'
                        CONSTRAINT project_risks_status_vocabulary CHECK (status IN ('identified', 'assessed', 'mitigated', 'monitoring', 'closed', 'occurred')),
    identified_at       timestamptz NOT NULL DEFAULT now(),
    mitigated_at        timestamptz,
    review_date         date,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    created_by          uuid NOT NULL REFERENCES tenancy.users (id),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES work.projects (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT project_risks_valid_mitigation CHECK (mitigated_at IS NULL OR mitigated_at >= identified_at)
);
CREATE INDEX project_risks_project_status_idx ON work.project_risks (tenant_id, project_id, status, risk_score DESC);
CREATE INDEX project_risks_owner_idx ON work.project_risks (owner_id);
COMMENT ON INDEX work.project_risks_owner_idx IS 'tenantbase:covers a foreign key to a global table';
CREATE INDEX project_risks_created_by_idx ON work.project_risks (created_by);
COMMENT ON INDEX work.project_risks_created_by_idx IS 'tenantbase:covers a foreign key to a global table';

SELECT tenancy.isolate(t, 'work')
FROM unnest(ARRAY['work.projects', 'work.tasks', 'work.requirements', 'work.requirement_links',
                  'work.architecture_decisions', 'work.project_risks']::regclass[]) AS t;
SELECT search.expose(t)
FROM unnest(ARRAY['work.projects', 'work.tasks', 'work.requirements', 'work.architecture_decisions']::regclass[]) AS t;
