-- Idempotency keys: a client that retries a create or an action sends the same
-- Idempotency-Key, and the server answers with the first answer instead of
-- doing the work again. Keys belong to a tenant (isolated like every tenant
-- table) and expire; the server writes the times from its own clock.
-- A key is reserved (status_code NULL) before the work and holds the answer
-- after it; a reservation whose server died lapses at locked_until.
INSERT INTO tenancy.permissions (resource, action, description) VALUES
    ('requests', '*', 'retry creates and actions safely (idempotency keys)');
INSERT INTO tenancy.system_role_permissions (role, permission_id)
SELECT 'member', id FROM tenancy.permissions WHERE resource = 'requests' AND action = '*';

CREATE TABLE tenancy.idempotency_keys (
    tenant_id     uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    key           text NOT NULL CONSTRAINT idempotency_keys_key_format CHECK (key ~ '^[\x21-\x7e]{1,255}$'),
    -- SHA-256 of the user, method, path and body: the same key with another request is refused.
    request_hash  bytea NOT NULL CONSTRAINT idempotency_keys_request_hash_length CHECK (length(request_hash) = 32),
    status_code   integer CONSTRAINT idempotency_keys_valid_status_code CHECK (status_code BETWEEN 100 AND 599),
    content_type  text,
    response_body bytea,
    locked_until  timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT idempotency_keys_one_per_key UNIQUE (tenant_id, key),
    CONSTRAINT idempotency_keys_valid_expiry CHECK (expires_at >= locked_until)
);
COMMENT ON TABLE tenancy.idempotency_keys IS 'Idempotency-Key reservations and the answers they replay, per tenant, until they expire.';
CREATE INDEX idempotency_keys_expires_idx ON tenancy.idempotency_keys (tenant_id, expires_at);
SELECT tenancy.isolate('tenancy.idempotency_keys', 'requests');
