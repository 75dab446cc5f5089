-- Definer code fails closed. A SECURITY DEFINER trigger runs with its owner's
-- rights (tenantbase_platform bypasses RLS), and a BEFORE trigger runs before the
-- policies check the row: an INSERT naming another tenant, or an UPDATE moving a
-- row there, reached the credits charge with that tenant's id, and a failing
-- CHECK on the tenant's row printed the whole row in its DETAIL. Each definer
-- trigger now starts with tenancy.require_tenant(): the row must belong to the
-- verified tenant, or the session must be a platform operator's (a superuser or
-- BYPASSRLS login, which RLS does not restrain anyway). Its error carries no value.

-- True for a session whose login role already bypasses RLS (migrations, seeding,
-- operators at psql): session_user, which SET ROLE does not change and the app
-- role cannot change at all.
CREATE FUNCTION tenancy.acting_as_operator() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    AS $$ SELECT coalesce((SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = session_user), false) $$;
COMMENT ON FUNCTION tenancy.acting_as_operator() IS
    'Whether the session logged in as a role that bypasses RLS (superuser or BYPASSRLS): platform work, not a tenant''s.';

CREATE FUNCTION tenancy.require_tenant(p_tenant uuid) RETURNS void
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF p_tenant IS NOT NULL AND p_tenant = tenancy.current_tenant_id() THEN
        RETURN;
    END IF;
    IF tenancy.acting_as_operator() THEN
        RETURN;
    END IF;
    RAISE EXCEPTION 'this row is outside the tenant this transaction acts in'
        USING ERRCODE = 'insufficient_privilege';
END
$$;
COMMENT ON FUNCTION tenancy.require_tenant(uuid) IS
    'The guard every SECURITY DEFINER trigger starts with: refuses a row of any tenant but the verified one (and any row without a verified context), unless the session is a platform operator''s.';
GRANT EXECUTE ON FUNCTION tenancy.acting_as_operator(), tenancy.require_tenant(uuid) TO PUBLIC;

-- The credits charge (agents/V121): it was skipped only when a context named another
-- tenant; without one it charged whichever tenant the row named.
CREATE OR REPLACE FUNCTION agents.charge_completed_task() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    cost integer := coalesce(NEW.actual_cost, NEW.estimated_cost, 0);
    account record;
BEGIN
    PERFORM tenancy.require_tenant(NEW.tenant_id);
    IF EXISTS (SELECT 1 FROM agents.credit_ledger
               WHERE tenant_id = NEW.tenant_id AND task_id = NEW.id AND kind = 'charge') THEN
        RETURN NEW;
    END IF;

    UPDATE tenancy.tenants
    SET credits_balance = credits_balance - cost,
        credits_used_this_month = credits_used_this_month + cost
    WHERE id = NEW.tenant_id
      AND credits_balance >= cost
      AND credits_used_this_month + cost <= monthly_credit_limit
    RETURNING credits_balance, credits_used_this_month, low_credit_threshold INTO account;

    IF NOT FOUND THEN
        SELECT credits_balance, credits_used_this_month, monthly_credit_limit INTO account
        FROM tenancy.tenants WHERE id = NEW.tenant_id;
        NEW.status := 'awaiting_credits';
        INSERT INTO analytics.analytics_events (tenant_id, event_type, event_name, source, properties)
        VALUES (NEW.tenant_id, 'system', 'credits_insufficient', 'credits',
                jsonb_build_object('task_id', NEW.id, 'cost', cost, 'credits_balance', account.credits_balance,
                                   'credits_used_this_month', account.credits_used_this_month,
                                   'monthly_credit_limit', account.monthly_credit_limit));
        RETURN NEW;
    END IF;

    INSERT INTO agents.credit_ledger (tenant_id, kind, task_id, amount, balance_after, used_this_month_after)
    VALUES (NEW.tenant_id, 'charge', NEW.id, -cost, account.credits_balance, account.credits_used_this_month);
    -- Recorded once, when a charge takes the balance below the threshold.
    IF account.credits_balance < account.low_credit_threshold
       AND account.credits_balance + cost >= account.low_credit_threshold THEN
        INSERT INTO analytics.analytics_events (tenant_id, event_type, event_name, source, properties)
        VALUES (NEW.tenant_id, 'system', 'low_credits', 'credits',
                jsonb_build_object('task_id', NEW.id, 'credits_remaining', account.credits_balance,
                                   'low_credit_threshold', account.low_credit_threshold));
    END IF;
    RETURN NEW;
END
$$;

-- Message numbering (agents/V122).
CREATE OR REPLACE FUNCTION agents.number_message() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    position integer;
BEGIN
    PERFORM tenancy.require_tenant(NEW.tenant_id);
    UPDATE agents.conversations
    SET message_count = message_count + 1, last_message_at = greatest(last_message_at, NEW.created_at)
    WHERE tenant_id = NEW.tenant_id AND id = NEW.conversation_id
    RETURNING message_count INTO position;
    IF FOUND THEN
        NEW.sequence := position;
    END IF;
    RETURN NEW;
END
$$;

-- Task dependency cycles (agents/V120).
CREATE OR REPLACE FUNCTION agents.refuse_dependency_cycle() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    frontier uuid[] := ARRAY[NEW.depends_on_id];
    seen uuid[] := ARRAY[NEW.depends_on_id];
BEGIN
    PERFORM tenancy.require_tenant(NEW.tenant_id);
    UPDATE agents.tasks SET updated_at = now() WHERE tenant_id = NEW.tenant_id AND id = NEW.task_id;
    WHILE cardinality(frontier) > 0 LOOP
        IF NEW.task_id = ANY (frontier) THEN
            RAISE EXCEPTION 'task dependencies cannot form a cycle'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'task_dependencies_no_cycle',
                      SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME;
        END IF;
        PERFORM 1 FROM agents.tasks WHERE tenant_id = NEW.tenant_id AND id = ANY (frontier) ORDER BY id FOR SHARE;
        SELECT coalesce(array_agg(DISTINCT d.depends_on_id), '{}') INTO frontier
        FROM agents.task_dependencies d
        WHERE d.tenant_id = NEW.tenant_id AND d.task_id = ANY (frontier) AND NOT d.depends_on_id = ANY (seen);
        seen := seen || frontier;
    END LOOP;
    RETURN NULL;
END
$$;

-- Customer metrics (commerce/V131), a statement trigger: every tenant its rows touched.
CREATE OR REPLACE FUNCTION commerce.maintain_customer_metrics() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    source text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT *, 1 AS sign FROM new_orders'
        WHEN 'DELETE' THEN 'SELECT *, -1 AS sign FROM old_orders'
        ELSE 'SELECT *, 1 AS sign FROM new_orders UNION ALL SELECT *, -1 AS sign FROM old_orders'
    END;
    deltas commerce.customer_metrics_delta[];
BEGIN
    -- An order updated without changing what the metrics read appears once in
    -- each transition table: its two rows cancel out.
    EXECUTE format($q$
        SELECT array_agg(delta)
        FROM (SELECT ROW(tenant_id, customer_id,
                         coalesce(sum(sign) FILTER (WHERE counted), 0),
                         coalesce(sum(sign * total_amount) FILTER (WHERE counted), 0),
                         max(order_date) FILTER (WHERE sign > 0), min(order_date) FILTER (WHERE sign > 0),
                         max(order_date) FILTER (WHERE sign < 0), min(order_date) FILTER (WHERE sign < 0)
                     )::commerce.customer_metrics_delta AS delta
              FROM (SELECT tenant_id, customer_id, total_amount, order_date, counted, sum(sign) AS sign
                    FROM (SELECT tenant_id, id, customer_id, total_amount, order_date, sign,
                                 status NOT IN ('cancelled', 'refunded') AS counted
                          FROM (%s) AS rows_changed
                          WHERE customer_id IS NOT NULL) AS c
                    GROUP BY tenant_id, id, customer_id, total_amount, order_date, counted
                    HAVING sum(sign) <> 0) AS changed
              GROUP BY tenant_id, customer_id) AS per_customer $q$, source)
    INTO deltas;
    IF deltas IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM tenancy.require_tenant(tenant) FROM (SELECT DISTINCT d.tenant_id AS tenant FROM unnest(deltas) d) AS changed;

    PERFORM 1
    FROM commerce.customers c
    JOIN unnest(deltas) d ON c.tenant_id = d.tenant_id AND c.id = d.customer_id
    ORDER BY c.tenant_id, c.id
    FOR NO KEY UPDATE OF c;

    UPDATE commerce.customers c
    SET total_orders = c.total_orders + d.orders_delta,
        total_spent = c.total_spent + d.spent_delta,
        last_order_at = CASE
            WHEN d.newest_out >= c.last_order_at THEN
                (SELECT max(o.order_date) FROM commerce.orders o WHERE o.tenant_id = c.tenant_id AND o.customer_id = c.id)
            ELSE greatest(c.last_order_at, d.newest_in) END,
        first_order_at = CASE
            WHEN d.oldest_out <= c.first_order_at THEN
                (SELECT min(o.order_date) FROM commerce.orders o WHERE o.tenant_id = c.tenant_id AND o.customer_id = c.id)
            ELSE least(c.first_order_at, d.oldest_in) END
    FROM unnest(deltas) d
    WHERE c.tenant_id = d.tenant_id AND c.id = d.customer_id;
    RETURN NULL;
END
$$;

-- Approval responses (work/V111): the approver checks no longer fall away without a user.
CREATE OR REPLACE FUNCTION work.apply_approval_response() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    request record;
    workflow record;
    listed boolean;
    approvals integer;
    conditional boolean;
BEGIN
    PERFORM tenancy.require_tenant(NEW.tenant_id);
    -- Without a verified user only an operator may record a response.
    IF NOT tenancy.acting_as_operator() THEN
        IF NEW.approver_id IS DISTINCT FROM tenancy.current_user_id() THEN
            RAISE EXCEPTION 'a response is given by its approver'
                USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'approval_responses_by_the_approver';
        END IF;
        IF NOT tenancy.has_permission('work', 'approve') THEN
            RAISE EXCEPTION 'answering approval requests needs the work approve permission'
                USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'approval_responses_approver_may_approve';
        END IF;
    END IF;

    SELECT * INTO request FROM work.approval_requests
    WHERE tenant_id = NEW.tenant_id AND id = NEW.request_id
    FOR NO KEY UPDATE;
    IF request.status NOT IN ('pending', 'in_review') THEN
        RAISE EXCEPTION 'approval request is already %', request.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'approval_responses_request_open';
    END IF;
    SELECT * INTO workflow FROM work.approval_workflows WHERE tenant_id = NEW.tenant_id AND id = request.workflow_id;

    SELECT EXISTS (SELECT 1 FROM work.approval_workflow_approvers
                   WHERE tenant_id = NEW.tenant_id AND workflow_id = workflow.id)
    INTO listed;
    IF listed AND NOT EXISTS (SELECT 1 FROM work.approval_workflow_approvers
                              WHERE tenant_id = NEW.tenant_id AND workflow_id = workflow.id AND approver_id = NEW.approver_id) THEN
        RAISE EXCEPTION 'approver is not listed in the workflow'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'approval_responses_listed_approver';
    END IF;
    IF workflow.is_sequential AND listed AND EXISTS (
        SELECT 1
        FROM work.approval_workflow_approvers earlier
        JOIN work.approval_workflow_approvers mine
          ON mine.tenant_id = earlier.tenant_id AND mine.workflow_id = earlier.workflow_id AND mine.approver_id = NEW.approver_id
        WHERE earlier.tenant_id = NEW.tenant_id AND earlier.workflow_id = workflow.id AND earlier.position < mine.position
          AND NOT EXISTS (SELECT 1 FROM work.approval_responses r
                          WHERE r.tenant_id = NEW.tenant_id AND r.request_id = NEW.request_id
                            AND r.approver_id = earlier.approver_id
                            AND r.decision IN ('approve', 'approve_with_conditions'))) THEN
        RAISE EXCEPTION 'sequential approval: an earlier approver has not approved yet'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'approval_responses_in_sequence';
    END IF;

    IF NEW.decision = 'reject' THEN
        UPDATE work.approval_requests
        SET status = 'rejected', final_decision = 'reject', completed_at = greatest(NEW.responded_at, requested_at)
        WHERE tenant_id = NEW.tenant_id AND id = NEW.request_id;
        RETURN NULL;
    END IF;

    SELECT count(*) FILTER (WHERE decision IN ('approve', 'approve_with_conditions')),
           coalesce(bool_or(decision = 'approve_with_conditions'), false)
    INTO approvals, conditional
    FROM work.approval_responses
    WHERE tenant_id = NEW.tenant_id AND request_id = NEW.request_id;

    IF approvals >= workflow.required_approvals THEN
        UPDATE work.approval_requests
        SET status = 'approved',
            final_decision = CASE WHEN conditional THEN 'approve_with_conditions' ELSE 'approve' END,
            completed_at = greatest(NEW.responded_at, requested_at)
        WHERE tenant_id = NEW.tenant_id AND id = NEW.request_id;
    ELSE
        UPDATE work.approval_requests SET status = 'in_review'
        WHERE tenant_id = NEW.tenant_id AND id = NEW.request_id AND status = 'pending';
    END IF;
    RETURN NULL;
END
$$;

-- The generated parent-chain guards (content/V100), regenerated with the guard.
CREATE OR REPLACE FUNCTION tenancy.guard_parent_chain(tbl regclass, parent_column name, rule text) RETURNS void
    LANGUAGE plpgsql
    AS $guard$
DECLARE
    target record;
    fn text;
    -- The new parent and its ancestors, stopping at NEW (UNION ends a loop).
    chain text;
BEGIN
    SELECT n.nspname, c.relname INTO target
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl;
    fn := format('%I.%I', target.nspname, target.relname || '_' || parent_column || '_acyclic');
    chain := format(
        'WITH RECURSIVE up (id) AS (
             SELECT NEW.%1$I
             UNION
             SELECT p.%1$I FROM up JOIN %2$s p ON p.tenant_id = NEW.tenant_id AND p.id = up.id
             WHERE up.id <> NEW.id AND p.%1$I IS NOT NULL)
         SELECT id FROM up',
        parent_column, tbl);
    EXECUTE format(
        $f$CREATE OR REPLACE FUNCTION %1$s() RETURNS trigger
               LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
               AS $body$
           DECLARE
               ancestors uuid[];
               locked uuid[] := '{}';
           BEGIN
               PERFORM tenancy.require_tenant(NEW.tenant_id);
               LOOP
                   SELECT array_agg(id) INTO ancestors
                   FROM (SELECT id FROM %2$s WHERE tenant_id = NEW.tenant_id AND id = ANY (ARRAY(%3$s))
                         ORDER BY id FOR SHARE) AS locked_now;
                   locked := locked || ancestors;
                   SELECT array_agg(id) INTO ancestors FROM (%3$s) AS read_again;
                   IF NEW.id = ANY (ancestors) THEN
                       RAISE EXCEPTION 'a row of %2$s cannot be its own ancestor'
                           USING ERRCODE = 'check_violation', CONSTRAINT = %4$L,
                                 SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, COLUMN = %5$L;
                   END IF;
                   EXIT WHEN ancestors <@ locked;
               END LOOP;
               RETURN NULL;
           END
           $body$
        $f$,
        fn, tbl, chain, rule, parent_column);
    PERFORM tenancy.give_to_platform(format('%s()', fn)::regprocedure);
    EXECUTE format('COMMENT ON FUNCTION %s() IS %L', fn,
                   format('Trigger: refuses a %s.%s chain that loops back (generated by tenancy.guard_parent_chain).', tbl, parent_column));
    EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER INSERT OR UPDATE OF %I ON %s
                    FOR EACH ROW WHEN (NEW.%I IS NOT NULL) EXECUTE FUNCTION %s()',
                   parent_column || '_acyclic', parent_column, tbl, parent_column, fn);
END
$guard$;

SELECT tenancy.guard_parent_chain('work.tasks', 'parent_task_id', 'tasks_no_ancestor_cycle');
SELECT tenancy.guard_parent_chain('work.requirements', 'parent_requirement_id', 'requirements_no_ancestor_cycle');
SELECT tenancy.guard_parent_chain('work.architecture_decisions', 'superseded_by', 'architecture_decisions_no_supersession_cycle');
SELECT tenancy.guard_parent_chain('agents.tasks', 'parent_task_id', 'tasks_no_ancestor_cycle');

-- The audit trail's triggers act for every tenant by design: an AFTER row trigger
-- sees only rows that passed the policies or were written by guarded definer code,
-- and appends to that row's own tenant's chain; the others write the platform chain.
COMMENT ON FUNCTION audit.record_change() IS
    'tenantbase:platform The audit trigger on every tenant table: appends the changed row to its own tenant''s chain. An AFTER trigger, it sees only rows that passed the policies or were written by guarded definer code.';
COMMENT ON FUNCTION audit.record_tenant_lifecycle() IS
    'tenantbase:platform Records a tenant''s creation and deletion on the platform chain; tenants are created only through platform functions.';
COMMENT ON FUNCTION audit.record_truncate() IS
    'tenantbase:platform Records a TRUNCATE (which no app role may run) on the platform chain.';
COMMENT ON FUNCTION audit.refuse_change() IS
    'tenantbase:platform Refuses any change to the audit log; reads nothing.';

-- Advisory locks are withheld from the app role (`tenantbase migrate` revokes them
-- from PUBLIC): their keys are shared by every session, and tenant A could hold
-- the key tenant B's work waits on. Tenant work that needs one takes its
-- tenant's key through this function, which takes only the verified tenant's.
CREATE FUNCTION tenancy.lock_tenant(p_tenant uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    PERFORM tenancy.require_tenant(p_tenant);
    PERFORM pg_advisory_xact_lock(hashtextextended('tenant:' || p_tenant::text, 0));
END
$$;
COMMENT ON FUNCTION tenancy.lock_tenant(uuid) IS
    'Takes the verified tenant''s transaction advisory lock (serializes the last-owner check); refuses any other tenant.';
SELECT tenancy.give_to_platform('tenancy.lock_tenant(uuid)');
GRANT EXECUTE ON FUNCTION tenancy.lock_tenant(uuid) TO tenantbase_app;

CREATE OR REPLACE FUNCTION tenancy.guard_owners() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    by_platform boolean := current_user = 'tenantbase_platform'
                           OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user);
BEGIN
    IF TG_OP <> 'DELETE' AND NEW.role = 'owner' AND (TG_OP = 'INSERT' OR OLD.role <> 'owner')
       AND NOT by_platform AND tenancy.current_member_role() IS DISTINCT FROM 'owner' THEN
        RAISE EXCEPTION 'only an owner can make an owner'
            USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'memberships_owner_grant';
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.role = 'owner' AND OLD.status = 'active'
       AND (TG_OP = 'DELETE' OR NEW.role <> 'owner' OR NEW.status <> 'active') THEN
        PERFORM tenancy.lock_tenant(OLD.tenant_id);
        IF EXISTS (SELECT 1 FROM tenancy.tenants WHERE id = OLD.tenant_id)
           AND NOT EXISTS (SELECT 1 FROM tenancy.memberships
                           WHERE tenant_id = OLD.tenant_id AND id <> OLD.id
                             AND role = 'owner' AND status = 'active') THEN
            RAISE EXCEPTION 'a tenant keeps at least one active owner'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'memberships_last_owner';
        END IF;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
-- Only the role that writes tenant rows takes tenant locks.
REVOKE EXECUTE ON FUNCTION tenancy.lock_tenant(uuid) FROM tenantbase_readonly;
