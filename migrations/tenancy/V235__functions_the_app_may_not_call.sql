-- Functions created in the tenancy schema are executable by the app and reporting
-- roles by default (the schema's default privileges). These change the schema or
-- are triggers' helpers: never the app's to call.
REVOKE EXECUTE ON FUNCTION tenancy.members_only(regclass, name) FROM tenantbase_app, tenantbase_readonly, tenantbase_platform;
REVOKE EXECUTE ON FUNCTION tenancy.defer_member_references() FROM tenantbase_app, tenantbase_readonly, tenantbase_platform;
