-- The documented exceptions to the isolation rules that `tenantbase check`
-- enforces. Each is a comment on the object, so the reason travels with it:
-- indexes and constraints say 'tenantbase:<why>', SECURITY DEFINER functions the
-- app may call without a tenant check say 'tenantbase:platform <why>'.

COMMENT ON INDEX tenancy.tenants_slug_key IS
    'tenantbase:a tenant''s slug names it globally (it routes requests and sign-up picks it), like a user''s email';
COMMENT ON INDEX tenancy.tenants_domain_key IS
    'tenantbase:a tenant''s domain names it globally (it routes requests), like a user''s email';
COMMENT ON INDEX tenancy.tenants_created_by_idx IS 'tenantbase:covers a foreign key to a global table';

COMMENT ON FUNCTION platform.create_user(citext, text, text) IS
    'tenantbase:platform sign-up: a new global identity (pending until it has a password); it reads and returns no tenant data.';
