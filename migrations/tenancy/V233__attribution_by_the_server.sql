-- Who did it is the server's to say, and only members are named. Two gaps:
-- columns like created_by took whatever the client sent (any user id, another
-- tenant's user included), and every user column of a tenant table pointed at the
-- global users table, so a row could name someone outside the tenant. Now:
-- - every user column of a tenant table references the tenant's memberships,
--   (tenant_id, column) -> memberships (tenant_id, user_id): a row names a member
--   (present or former: a member who leaves keeps the membership row, status
--   'left', and the history that names them);
-- - the columns that name the acting user (created_by, requested_by, invited_by,
--   granted_by) are set from the verified context on insert and never change
--   afterwards, whatever the statement says; operators (platform sessions) set
--   them as they load data.
-- tenancy.members_only(table) does both for a table; every tenant table gets it here.

-- The columns that name whoever acts: set by tenancy.stamp_acting_user.
CREATE FUNCTION tenancy.acting_user_columns() RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ARRAY['created_by', 'requested_by', 'invited_by', 'granted_by'] $$;

-- BEFORE INSERT OR UPDATE, its arguments the columns to stamp: the verified acting
-- user on insert (NULL without one, which a NOT NULL column refuses), the row's
-- own value on update.
CREATE FUNCTION tenancy.stamp_acting_user() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    stamped jsonb := '{}';
    acting jsonb;
    col text;
BEGIN
    IF tenancy.acting_as_operator() THEN
        RETURN NEW;
    END IF;
    acting := to_jsonb(tenancy.current_user_id());
    FOREACH col IN ARRAY TG_ARGV LOOP
        stamped := stamped || jsonb_build_object(col, CASE WHEN TG_OP = 'INSERT' THEN acting ELSE to_jsonb(OLD) -> col END);
    END LOOP;
    NEW := jsonb_populate_record(NEW, stamped);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION tenancy.stamp_acting_user() IS
    'Trigger: sets the columns naming the acting user from the verified context on insert and keeps them on update (attached by tenancy.members_only).';

CREATE FUNCTION tenancy.members_only(tbl regclass, tenant_column name DEFAULT 'tenant_id') RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    fk record;
    covering record;
    index_name text;
    stamped text[];
BEGIN
    FOR fk IN
        SELECT c.conname, a.attname AS col, a.attnum, c.confdeltype
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.conrelid = tbl AND c.contype = 'f' AND c.confrelid = 'tenancy.users'::regclass
          AND cardinality(c.conkey) = 1
          -- A membership's own user is the identity it joins to the tenant.
          AND NOT (tbl = 'tenancy.memberships'::regclass AND a.attname = 'user_id')
        ORDER BY a.attname
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', tbl, fk.conname);
        -- A row that names a member goes with the member's row only where it did
        -- with the user's (participants, activities, approvers); memberships are
        -- otherwise never deleted but with their tenant, which takes every row:
        -- deferrable, so that a tenant's deletion checks them once its cascades
        -- are done (tenancy.defer_member_references).
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I FOREIGN KEY (%I, %I)
                            REFERENCES tenancy.memberships (tenant_id, user_id)%s DEFERRABLE INITIALLY IMMEDIATE',
                       tbl, fk.conname, tenant_column, fk.col,
                       CASE WHEN fk.confdeltype = 'c' THEN ' ON DELETE CASCADE' ELSE '' END);
        -- The index that covered the key to users covers the key to memberships,
        -- now tenant-leading like every other tenant index.
        index_name := NULL;
        FOR covering IN
            SELECT i.indexrelid::regclass AS idx, c.relname
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid = tbl AND i.indnkeyatts = 1 AND i.indkey[0] = fk.attnum AND i.indpred IS NULL
        LOOP
            EXECUTE format('DROP INDEX %s', covering.idx);
            index_name := covering.relname;
        END LOOP;
        IF NOT EXISTS (SELECT 1 FROM pg_index i
                       JOIN pg_attribute t ON t.attrelid = tbl AND t.attname = tenant_column
                       WHERE i.indrelid = tbl AND i.indpred IS NULL AND i.indnkeyatts >= 2
                         AND i.indkey[0] = t.attnum AND i.indkey[1] = fk.attnum) THEN
            EXECUTE format('CREATE INDEX %I ON %s (%I, %I)', coalesce(index_name,
                           (SELECT relname FROM pg_class WHERE oid = tbl) || '_' || fk.col || '_idx'), tbl, tenant_column, fk.col);
        END IF;
    END LOOP;
    SELECT array_agg(a.attname::text ORDER BY a.attname) INTO stamped
    FROM pg_attribute a
    WHERE a.attrelid = tbl AND a.attnum > 0 AND NOT a.attisdropped AND a.attname = ANY (tenancy.acting_user_columns());
    IF stamped IS NOT NULL THEN
        EXECUTE format('CREATE OR REPLACE TRIGGER stamp_acting_user BEFORE INSERT OR UPDATE ON %s
                        FOR EACH ROW EXECUTE FUNCTION tenancy.stamp_acting_user(%s)',
                       tbl, (SELECT string_agg(quote_literal(s), ', ') FROM unnest(stamped) AS s));
    END IF;
END
$$;
COMMENT ON FUNCTION tenancy.members_only(regclass, name) IS
    'Makes every user column of a tenant table name a member of the row''s tenant, and the acting-user columns the server''s to set.';
REVOKE EXECUTE ON FUNCTION tenancy.members_only(regclass, name) FROM PUBLIC;

-- Deleting a tenant cascades to its memberships and to every row that names
-- one, in an order PostgreSQL chooses: the references to members are checked
-- at commit, when all of them are gone.
CREATE FUNCTION tenancy.defer_member_references() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    SET CONSTRAINTS ALL DEFERRED;
    RETURN NULL;
END
$$;
CREATE TRIGGER defer_member_references BEFORE DELETE ON tenancy.tenants
    FOR EACH STATEMENT EXECUTE FUNCTION tenancy.defer_member_references();

-- Every tenant table but the tenant itself (its creator is recorded by the
-- platform function that creates it) and the memberships' own user column.
SELECT tenancy.members_only(c.oid::regclass)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname IN ('tenancy', 'content', 'work', 'agents', 'commerce', 'analytics')
  AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND c.oid <> 'tenancy.tenants'::regclass
  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
ORDER BY c.oid;
