-- Credits: completing a task charges the tenant its actual cost (else its
-- estimate) exactly once, and never leaves a negative balance or more usage
-- than the monthly limit. A completion the tenant cannot pay for is PARKED, not
-- refused: the work is done and its output kept, the task waits in
-- 'awaiting_credits', and is completed (and charged) when credits are added or
-- the monthly usage resets. Every movement is in the credit ledger; low credits
-- and parked completions are recorded as analytics events.

CREATE TABLE agents.credit_ledger (
    tenant_id             uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id                    uuid NOT NULL DEFAULT gen_random_uuid(),
    kind                  text NOT NULL
                          CONSTRAINT credit_ledger_kind_vocabulary CHECK (kind IN ('charge', 'top_up', 'monthly_reset')),
    task_id               uuid,
    -- The change to the balance: negative for a charge.
    amount                integer NOT NULL,
    balance_after         integer NOT NULL CONSTRAINT credit_ledger_valid_balance CHECK (balance_after >= 0),
    used_this_month_after integer NOT NULL CONSTRAINT credit_ledger_valid_usage CHECK (used_this_month_after >= 0),
    -- The month a reset opened (its first day).
    period                date,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    -- Deferred: a task completed by its INSERT is charged before the row exists.
    FOREIGN KEY (tenant_id, task_id) REFERENCES agents.tasks (tenant_id, id)
        ON DELETE SET NULL (task_id) DEFERRABLE INITIALLY DEFERRED,
    -- A task is charged once: the ledger itself refuses a second charge.
    CONSTRAINT credit_ledger_one_charge_per_task UNIQUE (tenant_id, task_id, kind),
    CONSTRAINT credit_ledger_one_reset_per_month UNIQUE (tenant_id, period),
    CONSTRAINT credit_ledger_amount_sign CHECK (CASE kind WHEN 'charge' THEN amount <= 0
                                                          WHEN 'top_up' THEN amount > 0
                                                          ELSE amount = 0 END),
    CONSTRAINT credit_ledger_reset_has_period CHECK ((kind = 'monthly_reset') = (period IS NOT NULL)),
    CONSTRAINT credit_ledger_period_is_month CHECK (period = date_trunc('month', period)::date)
);
COMMENT ON TABLE agents.credit_ledger IS 'Every change to a tenant''s credits: charges (one per task), top-ups, monthly resets.';
CREATE INDEX credit_ledger_created_at_idx ON agents.credit_ledger (tenant_id, created_at);

SELECT tenancy.isolate('agents.credit_ledger', 'agents');
-- Only the rules below write the ledger.
REVOKE INSERT, UPDATE, DELETE ON agents.credit_ledger FROM tenantbase_app;

-- BEFORE INSERT OR UPDATE OF status, when the task becomes 'completed'.
-- The tenant row is updated with its conditions in the WHERE clause, so
-- concurrent completions queue on that row and each re-checks the balance it
-- finds (READ COMMITTED), or fails to serialize (higher isolation): the balance
-- cannot go negative whatever the interleaving. SECURITY DEFINER (platform): the
-- app may not write credits; it charges only the acting tenant.
CREATE FUNCTION agents.charge_completed_task() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    acting uuid := tenancy.current_tenant_id();
    cost integer := coalesce(NEW.actual_cost, NEW.estimated_cost, 0);
    account record;
BEGIN
    IF acting IS NOT NULL AND acting <> NEW.tenant_id THEN
        RAISE EXCEPTION 'a task is charged only to the acting tenant' USING ERRCODE = 'insufficient_privilege';
    END IF;
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
SELECT tenancy.give_to_platform('agents.charge_completed_task()');
CREATE TRIGGER charge_completed_task BEFORE INSERT OR UPDATE OF status ON agents.tasks
    FOR EACH ROW WHEN (NEW.status = 'completed')
    EXECUTE FUNCTION agents.charge_completed_task();

-- Completes a tenant's parked tasks, oldest first, while its credits allow.
CREATE FUNCTION platform.release_parked_tasks(p_tenant uuid) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    parked record;
    now_status text;
    released integer := 0;
BEGIN
    FOR parked IN
        SELECT id FROM agents.tasks
        WHERE tenant_id = p_tenant AND status = 'awaiting_credits'
        ORDER BY updated_at, id
    LOOP
        UPDATE agents.tasks SET status = 'completed'
        WHERE tenant_id = p_tenant AND id = parked.id AND status = 'awaiting_credits'
        RETURNING status INTO now_status;
        EXIT WHEN now_status IS DISTINCT FROM 'completed';
        released := released + 1;
    END LOOP;
    RETURN released;
END
$$;
COMMENT ON FUNCTION platform.release_parked_tasks(uuid) IS
    'Completes and charges a tenant''s tasks awaiting credits, oldest first, until its credits run out.';

CREATE FUNCTION platform.add_credits(p_tenant uuid, p_amount integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    account record;
BEGIN
    IF p_amount IS NULL OR p_amount <= 0 THEN
        RAISE EXCEPTION 'credits are added in positive amounts'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_ledger_amount_sign';
    END IF;
    UPDATE tenancy.tenants SET credits_balance = credits_balance + p_amount
    WHERE id = p_tenant
    RETURNING credits_balance, credits_used_this_month INTO account;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such tenant' USING ERRCODE = 'no_data_found';
    END IF;
    INSERT INTO agents.credit_ledger (tenant_id, kind, amount, balance_after, used_this_month_after)
    VALUES (p_tenant, 'top_up', p_amount, account.credits_balance, account.credits_used_this_month);
    RETURN platform.release_parked_tasks(p_tenant);
END
$$;
COMMENT ON FUNCTION platform.add_credits(uuid, integer) IS
    'Platform operators: adds credits to a tenant, then completes its parked tasks; returns how many were released.';

-- Resets every tenant's monthly usage once per month (the ledger's unique
-- period makes a second run in the same month a no-op), then releases parked
-- tasks. Run by `tenantbase credits reset-monthly` (cron: on the 1st).
CREATE FUNCTION platform.reset_monthly_credits(p_period date DEFAULT date_trunc('month', now())::date)
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    account record;
    reset integer := 0;
BEGIN
    IF p_period IS DISTINCT FROM date_trunc('month', p_period)::date THEN
        RAISE EXCEPTION 'a period is the first day of a month'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_ledger_period_is_month';
    END IF;
    -- One reset at a time; the next one sees what this one committed.
    PERFORM pg_advisory_xact_lock(hashtextextended('platform.reset_monthly_credits', 0));
    FOR account IN
        SELECT t.id FROM tenancy.tenants t
        WHERE NOT EXISTS (SELECT 1 FROM agents.credit_ledger l
                          WHERE l.tenant_id = t.id AND l.kind = 'monthly_reset' AND l.period = p_period)
        ORDER BY t.id
    LOOP
        WITH reset_tenant AS (
            UPDATE tenancy.tenants SET credits_used_this_month = 0 WHERE id = account.id
            RETURNING id, credits_balance)
        INSERT INTO agents.credit_ledger (tenant_id, kind, amount, balance_after, used_this_month_after, period)
        SELECT id, 'monthly_reset', 0, credits_balance, 0, p_period FROM reset_tenant;
        PERFORM platform.release_parked_tasks(account.id);
        reset := reset + 1;
    END LOOP;
    RETURN reset;
END
$$;
COMMENT ON FUNCTION platform.reset_monthly_credits(date) IS
    'Platform operators: resets each tenant''s monthly credit usage once for the period, then releases parked tasks.';

SELECT tenancy.give_to_platform(f)
FROM unnest(ARRAY['platform.release_parked_tasks(uuid)', 'platform.add_credits(uuid, integer)',
                  'platform.reset_monthly_credits(date)']::regprocedure[]) AS f;
