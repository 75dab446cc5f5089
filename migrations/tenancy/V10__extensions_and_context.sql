-- The tenant context: what every policy trusts. Set transaction-locally by the
-- db layer (SET LOCAL app.tenant_id / app.user_id); read back as '' after the
-- transaction, so '' and NULL both mean "no context" and match nothing.
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE SCHEMA tenancy;
CREATE SCHEMA platform;
GRANT USAGE ON SCHEMA tenancy, platform TO tenantbase_app, tenantbase_readonly, tenantbase_platform;

-- Functions are not executable by PUBLIC unless a migration grants them.
ALTER DEFAULT PRIVILEGES FOR ROLE tenantbase_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE tenantbase_platform REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE tenantbase_owner IN SCHEMA tenancy
    GRANT EXECUTE ON FUNCTIONS TO tenantbase_app, tenantbase_readonly, tenantbase_platform;

CREATE FUNCTION tenancy.current_tenant_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;
COMMENT ON FUNCTION tenancy.current_tenant_id() IS
    'The tenant this transaction acts in, or NULL (no context matches no row).';

CREATE FUNCTION tenancy.current_user_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;
COMMENT ON FUNCTION tenancy.current_user_id() IS
    'The user this transaction acts for, or NULL.';

-- One trigger function keeps updated_at for every table (attached by tenancy.isolate).
CREATE FUNCTION tenancy.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
