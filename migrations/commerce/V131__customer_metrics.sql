-- Customer metrics, kept incrementally from orders. For every statement that
-- writes orders, the net change per customer is computed from the statement's
-- transition tables (an order counts unless cancelled or refunded) and applied
-- as deltas: no customer's orders are rescanned, except one index probe for
-- first/last order date when the order holding that date leaves the customer.
-- average_order_value is a generated column, so it cannot drift.
--
-- Concurrency: the affected customers are locked in key order (no deadlock
-- between metric writers; FOR NO KEY UPDATE leaves foreign-key checks of new
-- orders free to proceed), and only then are the deltas applied and dates
-- probed, in a new statement that sees every order committed before the lock
-- was granted. Higher isolation levels fail to serialize instead of losing an update.

CREATE TYPE commerce.customer_metrics_delta AS (
    tenant_id    uuid,
    customer_id  uuid,
    orders_delta integer,
    spent_delta  numeric(12,2),
    newest_in    timestamptz,
    oldest_in    timestamptz,
    newest_out   timestamptz,
    oldest_out   timestamptz
);

-- SECURITY DEFINER (platform): metrics are not the app's to write, and every
-- order writer must update them whatever its permissions on customers. The
-- transition tables hold only rows the statement was allowed to write.
CREATE FUNCTION commerce.maintain_customer_metrics() RETURNS trigger
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
SELECT tenancy.give_to_platform('commerce.maintain_customer_metrics()');

-- Transition tables allow one event per trigger: three triggers, one function.
CREATE TRIGGER maintain_customer_metrics_insert AFTER INSERT ON commerce.orders
    REFERENCING NEW TABLE AS new_orders
    FOR EACH STATEMENT EXECUTE FUNCTION commerce.maintain_customer_metrics();
CREATE TRIGGER maintain_customer_metrics_update AFTER UPDATE ON commerce.orders
    REFERENCING OLD TABLE AS old_orders NEW TABLE AS new_orders
    FOR EACH STATEMENT EXECUTE FUNCTION commerce.maintain_customer_metrics();
CREATE TRIGGER maintain_customer_metrics_delete AFTER DELETE ON commerce.orders
    REFERENCING OLD TABLE AS old_orders
    FOR EACH STATEMENT EXECUTE FUNCTION commerce.maintain_customer_metrics();

-- A new customer starts with no orders, whatever the insert says; its orders fill the metrics in.
CREATE FUNCTION commerce.start_customer_metrics() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.total_orders := 0;
    NEW.total_spent := 0;
    NEW.first_order_at := NULL;
    NEW.last_order_at := NULL;
    RETURN NEW;
END
$$;
CREATE TRIGGER start_customer_metrics BEFORE INSERT ON commerce.customers
    FOR EACH ROW EXECUTE FUNCTION commerce.start_customer_metrics();

REVOKE UPDATE ON commerce.customers FROM tenantbase_app;
GRANT UPDATE (tenant_id, email, first_name, last_name, phone, date_of_birth, gender, addresses, default_address,
              lifetime_value, currency, last_active_at, status, accepts_marketing, customer_segment, tags,
              support_tickets, support_satisfaction, support_notes, ai_insights, customer_persona, predicted_ltv,
              churn_risk_score, external_customer_ids) ON commerce.customers TO tenantbase_app;
