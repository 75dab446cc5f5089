-- An operator is a session whose effective role bypasses RLS: the role it SET ROLE
-- to, if any, else the role it logged in as. session_user alone would call a
-- superuser session that SET ROLE tenantbase_app an operator, and every definer
-- guard would wave it through; such a session is the app, as far as RLS and the
-- guards are concerned (it is how `tenantbase attack` runs a call as the app and
-- then reads the ground truth as superuser, in one transaction). The app role
-- cannot SET ROLE at all: it is a member of no role.
CREATE OR REPLACE FUNCTION tenancy.acting_as_operator() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT coalesce((SELECT rolsuper OR rolbypassrls FROM pg_roles
                     WHERE rolname = CASE WHEN current_setting('role') = 'none' THEN session_user::text
                                          ELSE current_setting('role') END), false)
$$;
COMMENT ON FUNCTION tenancy.acting_as_operator() IS
    'Whether the session acts as a role that bypasses RLS (superuser or BYPASSRLS; its SET ROLE if any, else its login): platform work, not a tenant''s.';
