-- The audit trail's storage. audit.log holds every change to every tenant table,
-- one hash chain per tenant, partitioned by month; audit.platform_log holds the
-- platform's own events (a tenant created or deleted, retention applied) on one
-- chain of its own. Only the audit trigger (running as tenantbase_audit) appends;
-- nobody updates or deletes an entry (see docs/audit.md).

CREATE SCHEMA audit;
GRANT USAGE ON SCHEMA audit TO tenantbase_app, tenantbase_readonly, tenantbase_platform, tenantbase_audit;
GRANT USAGE ON SCHEMA tenancy TO tenantbase_audit;

-- The BDUF document's audit_event_type_enum.
CREATE TYPE audit.event_type AS ENUM (
    'authentication', 'authorization', 'data_change', 'configuration_change', 'security_event', 'system_event'
);
CREATE TYPE audit.operation AS ENUM ('insert', 'update', 'delete');

CREATE TABLE audit.log (
    tenant_id         uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    -- The entry's position in its tenant's chain: 1, 2, 3... without gaps.
    id                bigint NOT NULL CONSTRAINT log_id_positive CHECK (id > 0),
    -- Taken when the entry is chained, never earlier than its predecessor's, so a
    -- month's partition always holds a contiguous stretch of every chain.
    occurred_at       timestamptz NOT NULL,
    event_type        audit.event_type NOT NULL,
    event_action      text NOT NULL CONSTRAINT log_event_action_length CHECK (length(event_action) BETWEEN 1 AND 100),
    event_description text,
    table_name        text,
    operation         audit.operation,
    -- The changed row's primary key; old and new values (for an update, only the changed columns).
    row_key           jsonb,
    old_values        jsonb,
    new_values        jsonb,
    target_type       text,
    target_id         uuid,
    project_id        uuid,
    -- Who and where from. No foreign keys: an entry outlives the users and rows it names.
    user_id           uuid,
    impersonated_by   uuid,
    api_key_id        uuid,
    request_id        text CONSTRAINT log_request_id_length CHECK (length(request_id) <= 200),
    ip_address        inet,
    user_agent        text CONSTRAINT log_user_agent_length CHECK (length(user_agent) <= 512),
    db_role           text NOT NULL,
    xact_id           xid8 NOT NULL,
    metadata          jsonb NOT NULL DEFAULT '{}' CONSTRAINT log_metadata_object CHECK (jsonb_typeof(metadata) = 'object'),
    -- sha256(previous entry's hash || audit.entry_content(this entry)).
    hash              bytea NOT NULL CONSTRAINT log_hash_sha256 CHECK (length(hash) = 32),
    -- In time order: a chain's newest entry comes first going backwards, ahead of the
    -- dead entries a rolled-back writer left with higher ids (ids are reused).
    PRIMARY KEY (tenant_id, occurred_at, id),
    CONSTRAINT log_change_names_its_row CHECK ((operation IS NULL) = (table_name IS NULL)
                                               AND (operation IS NULL) = (row_key IS NULL))
) PARTITION BY RANGE (occurred_at);
COMMENT ON TABLE audit.log IS 'Every change to every tenant table: one hash chain per tenant, partitioned by month, append-only.';
-- The BDUF document's history of one object.
CREATE INDEX log_target_idx ON audit.log (tenant_id, target_type, target_id, occurred_at DESC);

CREATE TABLE audit.platform_log (
    id                bigint PRIMARY KEY CONSTRAINT platform_log_id_positive CHECK (id > 0),
    occurred_at       timestamptz NOT NULL,
    event_type        audit.event_type NOT NULL,
    event_action      text NOT NULL CONSTRAINT platform_log_event_action_length CHECK (length(event_action) BETWEEN 1 AND 100),
    event_description text,
    -- The tenant the event is about, kept after that tenant is deleted.
    subject_tenant_id uuid,
    target_type       text,
    target_id         uuid,
    user_id           uuid,
    impersonated_by   uuid,
    api_key_id        uuid,
    request_id        text CONSTRAINT platform_log_request_id_length CHECK (length(request_id) <= 200),
    ip_address        inet,
    user_agent        text CONSTRAINT platform_log_user_agent_length CHECK (length(user_agent) <= 512),
    db_role           text NOT NULL,
    xact_id           xid8 NOT NULL,
    metadata          jsonb NOT NULL DEFAULT '{}' CONSTRAINT platform_log_metadata_object CHECK (jsonb_typeof(metadata) = 'object'),
    hash              bytea NOT NULL CONSTRAINT platform_log_hash_sha256 CHECK (length(hash) = 32)
);
COMMENT ON TABLE audit.platform_log IS 'Platform events (tenants created and deleted, retention applied) on the platform''s own hash chain.';
CREATE INDEX platform_log_subject_idx ON audit.platform_log (subject_tenant_id, occurred_at);

-- One row per chain: its lock, and its head as of the last transaction that took it.
-- A writer locks the row once per transaction and finds later entries in the log
-- itself, so a bulk write does not update this row once per entry.
CREATE TABLE audit.chains (
    -- A tenant's id, or the platform chain's nil uuid.
    chain_id  uuid PRIMARY KEY,
    head_id   bigint NOT NULL DEFAULT 0 CONSTRAINT chains_head_id_non_negative CHECK (head_id >= 0),
    head_hash bytea NOT NULL DEFAULT decode(repeat('00', 32), 'hex') CONSTRAINT chains_head_hash_sha256 CHECK (length(head_hash) = 32),
    head_at   timestamptz NOT NULL DEFAULT '-infinity',
    -- The transaction that holds the chain's lock (or last held it).
    holder    xid8
) WITH (fillfactor = 50);
COMMENT ON TABLE audit.chains IS 'Each hash chain''s lock and recorded head; written only by the audit trigger.';

-- Where a chain starts after retention dropped its oldest entries: the last dropped entry.
CREATE TABLE audit.chain_bases (
    chain_id  uuid PRIMARY KEY,
    last_id   bigint NOT NULL CONSTRAINT chain_bases_last_id_positive CHECK (last_id > 0),
    last_hash bytea NOT NULL CONSTRAINT chain_bases_last_hash_sha256 CHECK (length(last_hash) = 32),
    last_at   timestamptz NOT NULL,
    pruned_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE audit.chain_bases IS 'The last entry of each chain removed by retention: where verification starts.';

-- Forced RLS without policies: only roles that bypass RLS (the audit writer, superusers)
-- reach these; the app and reporting roles hold no privilege on them at all.
ALTER TABLE audit.platform_log ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE audit.chains ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE audit.chain_bases ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT ON audit.log, audit.platform_log TO tenantbase_audit;
GRANT SELECT, INSERT, UPDATE, DELETE ON audit.chains TO tenantbase_audit;
GRANT SELECT, DELETE ON audit.chain_bases TO tenantbase_audit;
-- The writer checks whether a deleted row's tenant still exists, and names tenants in platform events.
GRANT SELECT ON tenancy.tenants TO tenantbase_audit;
GRANT EXECUTE ON FUNCTION tenancy.current_user_id() TO tenantbase_audit;
