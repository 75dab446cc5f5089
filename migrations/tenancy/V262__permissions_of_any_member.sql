-- The platform design's user_has_permission(user, org, resource, action), for any
-- member of the acting tenant: the tenant is the verified one, never an argument,
-- so a caller can ask only about its own tenant's members. Invoker code under RLS
-- (memberships, user roles and role grants show the acting tenant only), with the
-- tenant filter stated too: NULL for anyone who is not a member of the acting
-- tenant and without a context, false for a member who left.
CREATE FUNCTION tenancy.user_has_permission(p_user uuid, p_resource text, p_action text) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
    SELECT m.status = 'active'
           AND (EXISTS (SELECT 1
                        FROM tenancy.system_role_permissions s
                        JOIN tenancy.permissions p ON p.id = s.permission_id
                        WHERE s.role = m.role
                          AND p.resource IN (p_resource, '*') AND p.action IN (p_action, '*'))
                OR EXISTS (SELECT 1
                           FROM tenancy.user_roles ur
                           JOIN tenancy.role_permissions rp ON (rp.tenant_id, rp.role_id) = (ur.tenant_id, ur.role_id)
                           JOIN tenancy.permissions p ON p.id = rp.permission_id
                           WHERE ur.tenant_id = m.tenant_id AND ur.user_id = m.user_id
                             AND p.resource IN (p_resource, '*') AND p.action IN (p_action, '*')))
    FROM tenancy.memberships m
    WHERE m.tenant_id = (SELECT tenancy.current_tenant_id()) AND m.user_id = p_user
$$;
COMMENT ON FUNCTION tenancy.user_has_permission(uuid, text, text) IS
    'Whether a member of the acting tenant may do p_action on p_resource there (membership role or custom roles); NULL for anyone else.';

-- The orchestrator design's user_permissions view: who may do what in the acting
-- tenant, and through which role. An admin (whoever may manage members) sees every
-- active member's; anyone else only their own. The tables it reads are readable by
-- every member: this is a convenience for admins, not a boundary.
CREATE VIEW tenancy.user_permissions WITH (security_invoker = true) AS
SELECT m.tenant_id, m.user_id, u.email, m.role AS member_role, g.granted_through, g.custom_role, p.resource, p.action
FROM tenancy.memberships m
JOIN tenancy.users u ON u.id = m.user_id
CROSS JOIN LATERAL (
    SELECT m.role::text AS granted_through, false AS custom_role, s.permission_id
    FROM tenancy.system_role_permissions s WHERE s.role = m.role
    UNION ALL
    SELECT r.name, true, rp.permission_id
    FROM tenancy.user_roles ur
    JOIN tenancy.roles r ON (r.tenant_id, r.id) = (ur.tenant_id, ur.role_id)
    JOIN tenancy.role_permissions rp ON (rp.tenant_id, rp.role_id) = (ur.tenant_id, ur.role_id)
    WHERE ur.tenant_id = m.tenant_id AND ur.user_id = m.user_id) AS g
JOIN tenancy.permissions p ON p.id = g.permission_id
WHERE m.status = 'active'
  AND (m.user_id = (SELECT tenancy.current_user_id()) OR (SELECT tenancy.has_permission('members', 'update')));
COMMENT ON VIEW tenancy.user_permissions IS
    'Each active member''s permissions in the acting tenant and the role granting each (all members for admins, one''s own for others).';
GRANT SELECT ON tenancy.user_permissions TO tenantbase_app, tenantbase_readonly;
