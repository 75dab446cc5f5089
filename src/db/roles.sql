-- The roles (docs/threat-model.md, "The boundary"). Roles are cluster-wide, so this runs once per
-- cluster as often as needed: it creates what is missing and corrects attributes.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT * FROM (VALUES
        ('tenantbase_owner',    'NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS'),
        ('tenantbase_platform', 'NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION BYPASSRLS'),
        -- Owns the audit trigger: appends to the log of every tenant, nothing else.
        ('tenantbase_audit',    'NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION BYPASSRLS'),
        ('tenantbase_app',      'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT'),
        -- Account work (login, sessions, API keys, memberships by id): the server's
        -- second pool, fixed statements only, never tenant SQL.
        ('tenantbase_account',  'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT'),
        ('tenantbase_readonly', 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT')
    ) AS roles (name, attributes)
    LOOP
        BEGIN
            EXECUTE format('CREATE ROLE %I', r.name);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
        EXECUTE format('ALTER ROLE %I %s', r.name, r.attributes);
    END LOOP;
END
$$;
-- Migrations run as the owner and hand the platform functions to the platform role,
-- the audit trigger to the audit role.
GRANT tenantbase_platform, tenantbase_audit TO tenantbase_owner;
-- Every tenant transaction opens with SET LOCAL lines carrying a freshly signed
-- token, a text never seen twice: tracked as utility statements, each request
-- would add an entry to pg_stat_statements, evicting the useful ones and taking
-- its exclusive lock, and where its view is installed any session of the same
-- role could read the tokens there. The app's statements are still tracked.
ALTER ROLE tenantbase_app SET pg_stat_statements.track_utility = off;
ALTER ROLE tenantbase_readonly SET pg_stat_statements.track_utility = off;
ALTER ROLE tenantbase_account SET pg_stat_statements.track_utility = off;
-- A statement that fails is logged with its text, and the text that opens a
-- transaction carries its signed context: never for the roles that carry one.
-- (Both are superuser-only settings: the roles cannot switch them back.)
ALTER ROLE tenantbase_app SET log_min_error_statement = panic;
ALTER ROLE tenantbase_account SET log_min_error_statement = panic;
ALTER ROLE tenantbase_readonly SET log_min_error_statement = panic;
-- The app's statements are tenant-scoped and served by tenant-leading indexes,
-- so one generic plan per prepared statement fits every tenant. Left to choose
-- (auto), PostgreSQL keeps planning them again for each tenant's values, and
-- planning under RLS costs more than the execution of a short query (measured in
-- BENCHMARKS.md: 0.17 against 0.08 ms for the newest 50 orders). Reporting
-- (tenantbase_readonly) keeps custom plans for its skew-sensitive aggregates.
ALTER ROLE tenantbase_app SET plan_cache_mode = force_generic_plan;
-- A write that meets a row another transaction holds waits at most this long,
-- then fails (the API answers 409): no request queues behind a lock until its deadline.
ALTER ROLE tenantbase_app SET lock_timeout = '5s';
