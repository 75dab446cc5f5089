-- Tenants, global users, memberships, RBAC, sessions and API keys.
-- A tenant is the union of the source systems' companies, workspaces and
-- organizations; users are global identities joined to tenants by memberships.

CREATE TYPE tenancy.tenant_status AS ENUM ('active', 'trial', 'suspended', 'cancelled');
CREATE TYPE tenancy.plan AS ENUM ('free', 'starter', 'pro', 'growth', 'scale', 'enterprise');
CREATE TYPE tenancy.subscription_status AS ENUM ('active', 'trial', 'past_due', 'suspended', 'cancelled');
CREATE TYPE tenancy.user_status AS ENUM ('pending', 'active', 'inactive', 'suspended', 'deleted');
-- Ordered from most to least powerful: `role <= 'admin'` means "admin or owner".
CREATE TYPE tenancy.member_role AS ENUM ('owner', 'admin', 'member', 'viewer');
CREATE TYPE tenancy.membership_status AS ENUM ('invited', 'active', 'inactive', 'suspended', 'left');

CREATE TABLE tenancy.tenants (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                    text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 255),
    slug                    citext NOT NULL UNIQUE
                            CONSTRAINT tenants_slug_format CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$'),
    domain                  citext UNIQUE
                            CONSTRAINT tenants_domain_format CHECK (domain ~ '^[a-z0-9.-]+\.[a-z]{2,}$'),
    description             text,
    website_url             text,
    status                  tenancy.tenant_status NOT NULL DEFAULT 'active',
    plan                    tenancy.plan NOT NULL DEFAULT 'free',
    subscription_status     tenancy.subscription_status NOT NULL DEFAULT 'active',
    trial_ends_at           timestamptz,
    subscription_expires_at timestamptz,
    credits_balance         integer NOT NULL DEFAULT 100 CONSTRAINT tenants_valid_credits CHECK (credits_balance >= 0),
    credits_used_this_month integer NOT NULL DEFAULT 0 CONSTRAINT tenants_valid_credits_used CHECK (credits_used_this_month >= 0),
    monthly_credit_limit    integer NOT NULL DEFAULT 1000 CONSTRAINT tenants_valid_monthly_limit CHECK (monthly_credit_limit > 0),
    low_credit_threshold    integer NOT NULL DEFAULT 10 CHECK (low_credit_threshold >= 0),
    timezone                text NOT NULL DEFAULT 'UTC',
    currency                char(3) NOT NULL DEFAULT 'USD' CONSTRAINT tenants_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
    branding_config         jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(branding_config) = 'object'),
    settings                jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(settings) = 'object'),
    ai_preferences          jsonb NOT NULL DEFAULT '{"preferred_provider": "auto", "quality_tier": "standard",
                                                     "cost_sensitivity": 0.5, "max_task_cost": 10.0}'
                            CHECK (jsonb_typeof(ai_preferences) = 'object'),
    billing_email           citext,
    billing_address         jsonb,
    created_by              uuid,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz,
    CONSTRAINT tenants_trial_needs_end CHECK (subscription_status <> 'trial' OR trial_ends_at IS NOT NULL)
);
COMMENT ON TABLE tenancy.tenants IS 'The isolation boundary: a company, workspace or organization.';

CREATE TABLE tenancy.users (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email                 citext NOT NULL
                          CONSTRAINT users_email_key UNIQUE
                          CONSTRAINT users_email_format CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' AND length(email) <= 320),
    full_name             text CHECK (length(full_name) <= 200),
    display_name          text CHECK (length(display_name) <= 200),
    avatar_url            text,
    bio                   text,
    timezone              text NOT NULL DEFAULT 'UTC',
    password_hash         text,
    status                tenancy.user_status NOT NULL DEFAULT 'active',
    onboarding_completed  boolean NOT NULL DEFAULT false,
    is_verified           boolean NOT NULL DEFAULT false,
    last_login_at         timestamptz,
    last_active_at        timestamptz,
    password_changed_at   timestamptz,
    failed_login_attempts integer NOT NULL DEFAULT 0 CONSTRAINT users_failed_logins_non_negative CHECK (failed_login_attempts >= 0),
    locked_until          timestamptz,
    preferences           jsonb NOT NULL DEFAULT '{"email_notifications": true, "task_notifications": true,
                                                   "theme": "system", "language": "en"}'
                          CHECK (jsonb_typeof(preferences) = 'object'),
    notification_settings jsonb NOT NULL DEFAULT '{"email": true, "push": true, "in_app": true, "digest_frequency": "daily"}'
                          CHECK (jsonb_typeof(notification_settings) = 'object'),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    deleted_at            timestamptz,
    CONSTRAINT users_active_needs_password CHECK (status <> 'active' OR password_hash IS NOT NULL)
);
COMMENT ON TABLE tenancy.users IS 'Global identities: one email, one password, many tenants through memberships.';

ALTER TABLE tenancy.tenants ADD CONSTRAINT tenants_created_by_fkey
    FOREIGN KEY (created_by) REFERENCES tenancy.users (id) ON DELETE SET NULL;
CREATE INDEX tenants_created_by_idx ON tenancy.tenants (created_by);

CREATE TABLE tenancy.memberships (
    tenant_id  uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id         uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL REFERENCES tenancy.users (id) ON DELETE CASCADE,
    role       tenancy.member_role NOT NULL DEFAULT 'member',
    status     tenancy.membership_status NOT NULL DEFAULT 'active',
    invited_by uuid REFERENCES tenancy.users (id) ON DELETE SET NULL,
    invited_at timestamptz,
    joined_at  timestamptz DEFAULT now(),
    left_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT memberships_one_per_user UNIQUE (tenant_id, user_id),
    CONSTRAINT memberships_left_needs_time CHECK (status <> 'left' OR left_at IS NOT NULL),
    CONSTRAINT memberships_valid_dates CHECK (left_at IS NULL OR joined_at IS NULL OR left_at >= joined_at)
);
CREATE INDEX memberships_tenant_role_idx ON tenancy.memberships (tenant_id, role);
-- Serves "the tenants of this user" (platform.my_tenants) and the users FK.
CREATE INDEX memberships_user_idx ON tenancy.memberships (user_id, tenant_id);
COMMENT ON INDEX tenancy.memberships_user_idx IS 'tenantbase:cross-tenant lookup of a user''s own memberships';
CREATE INDEX memberships_invited_by_idx ON tenancy.memberships (invited_by);
COMMENT ON INDEX tenancy.memberships_invited_by_idx IS 'tenantbase:covers a foreign key to a global table';

-- RBAC. The four membership roles are the system roles; their grants live in
-- system_role_permissions. Tenants add custom roles made of permissions.
CREATE TABLE tenancy.permissions (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    resource    text NOT NULL CHECK (resource ~ '^([a-z_]+|\*)$'),
    action      text NOT NULL CHECK (action IN ('*', 'read', 'create', 'update', 'delete', 'run', 'approve', 'publish')),
    description text,
    CONSTRAINT permissions_resource_action_key UNIQUE (resource, action)
);
COMMENT ON TABLE tenancy.permissions IS 'Global catalog of grantable permissions (resource + action).';

CREATE TABLE tenancy.system_role_permissions (
    role          tenancy.member_role NOT NULL,
    permission_id uuid NOT NULL REFERENCES tenancy.permissions (id) ON DELETE CASCADE,
    PRIMARY KEY (role, permission_id)
);
CREATE INDEX system_role_permissions_permission_idx ON tenancy.system_role_permissions (permission_id);

CREATE TABLE tenancy.roles (
    tenant_id   uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    name        text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$'),
    description text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT roles_name_per_tenant UNIQUE (tenant_id, name),
    CONSTRAINT roles_not_a_system_role CHECK (name NOT IN ('owner', 'admin', 'member', 'viewer'))
);

CREATE TABLE tenancy.role_permissions (
    tenant_id     uuid NOT NULL,
    role_id       uuid NOT NULL,
    permission_id uuid NOT NULL REFERENCES tenancy.permissions (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, role_id, permission_id),
    FOREIGN KEY (tenant_id, role_id) REFERENCES tenancy.roles (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX role_permissions_permission_idx ON tenancy.role_permissions (permission_id);
COMMENT ON INDEX tenancy.role_permissions_permission_idx IS 'tenantbase:covers a foreign key to a global table';

CREATE TABLE tenancy.user_roles (
    tenant_id  uuid NOT NULL,
    user_id    uuid NOT NULL,
    role_id    uuid NOT NULL,
    granted_by uuid REFERENCES tenancy.users (id) ON DELETE SET NULL,
    granted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id, role_id),
    -- Only members hold roles, and only roles of the same tenant.
    FOREIGN KEY (tenant_id, user_id) REFERENCES tenancy.memberships (tenant_id, user_id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, role_id) REFERENCES tenancy.roles (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX user_roles_role_idx ON tenancy.user_roles (tenant_id, role_id);
CREATE INDEX user_roles_granted_by_idx ON tenancy.user_roles (granted_by);
COMMENT ON INDEX tenancy.user_roles_granted_by_idx IS 'tenantbase:covers a foreign key to a global table';

-- A login session belongs to a user, not to a tenant: one login acts in any of
-- the user's tenants. active_tenant_id records where it last acted.
CREATE TABLE tenancy.sessions (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          uuid NOT NULL REFERENCES tenancy.users (id) ON DELETE CASCADE,
    active_tenant_id uuid REFERENCES tenancy.tenants (id) ON DELETE SET NULL,
    token_hash       bytea NOT NULL CONSTRAINT sessions_token_hash_key UNIQUE CHECK (length(token_hash) = 32),
    started_at       timestamptz NOT NULL DEFAULT now(),
    last_seen_at     timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz NOT NULL DEFAULT now() + interval '30 days',
    ended_at         timestamptz,
    ip_address       inet,
    user_agent       text,
    activity_data    jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(activity_data) = 'object'),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT sessions_valid_expiry CHECK (expires_at > started_at),
    CONSTRAINT sessions_valid_end CHECK (ended_at IS NULL OR ended_at >= started_at),
    CONSTRAINT sessions_valid_last_seen CHECK (last_seen_at >= started_at)
);
CREATE INDEX sessions_user_idx ON tenancy.sessions (user_id, started_at DESC);
CREATE INDEX sessions_active_tenant_idx ON tenancy.sessions (active_tenant_id);

CREATE TABLE tenancy.api_keys (
    tenant_id    uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id           uuid NOT NULL DEFAULT gen_random_uuid(),
    name         text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    prefix       text NOT NULL CHECK (prefix ~ '^[a-z0-9]{8,16}$'),
    key_hash     bytea NOT NULL CHECK (length(key_hash) = 32),
    scopes       text[] NOT NULL DEFAULT '{read}'
                 CONSTRAINT api_keys_known_scopes CHECK (scopes <@ ARRAY['read', 'write', 'admin']::text[] AND cardinality(scopes) > 0),
    created_by   uuid REFERENCES tenancy.users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    expires_at   timestamptz,
    revoked_at   timestamptz,
    revoked_by   uuid REFERENCES tenancy.users (id) ON DELETE SET NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT api_keys_prefix_per_tenant UNIQUE (tenant_id, prefix),
    CONSTRAINT api_keys_valid_expiry CHECK (expires_at IS NULL OR expires_at > created_at)
);
CREATE INDEX api_keys_created_by_idx ON tenancy.api_keys (created_by);
COMMENT ON INDEX tenancy.api_keys_created_by_idx IS 'tenantbase:covers a foreign key to a global table';
CREATE INDEX api_keys_revoked_by_idx ON tenancy.api_keys (revoked_by);
COMMENT ON INDEX tenancy.api_keys_revoked_by_idx IS 'tenantbase:covers a foreign key to a global table';
