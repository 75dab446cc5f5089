-- BizQ's idx_workspaces_plan and idx_workspaces_subscription_status. They serve
-- the platform's questions across tenants (who is on a plan, whose subscription
-- is past due or in trial), asked by operators and billing jobs, which bypass
-- RLS; under RLS a tenant reads its one row by its key. (The slug's index is its
-- unique key.)
CREATE INDEX tenants_plan_idx ON tenancy.tenants (plan);
COMMENT ON INDEX tenancy.tenants_plan_idx IS 'tenantbase:platform-wide (billing by plan), read by operators only';
CREATE INDEX tenants_subscription_status_idx ON tenancy.tenants (subscription_status);
COMMENT ON INDEX tenancy.tenants_subscription_status_idx IS 'tenantbase:platform-wide (billing by subscription status), read by operators only';
