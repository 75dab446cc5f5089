-- Who reads the log. It is a tenant table like the others: forced RLS and a policy
-- per command from tenancy.isolate (which attaches no audit trigger to the log
-- itself). Then tightened: only the audit trigger writes it, and reading it takes
-- the 'audit' 'read' permission in the acting tenant.

SELECT tenancy.isolate('audit.log', 'audit');
REVOKE INSERT, UPDATE, DELETE ON audit.log FROM tenantbase_app, tenantbase_platform;
ALTER POLICY tenant_select ON audit.log USING (
    tenant_id = (SELECT tenancy.current_tenant_id()) AND (SELECT tenancy.has_permission('audit', 'read')));
