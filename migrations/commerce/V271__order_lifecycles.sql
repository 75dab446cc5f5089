-- An order's three states follow their transition tables (tenancy/V270). A
-- cancelled or refunded order is final: it never comes back as delivered, and
-- is refunded at most once.
SELECT tenancy.define_lifecycle('order_status', ARRAY[
    ['pending', 'confirmed'], ['pending', 'processing'], ['pending', 'cancelled'],
    ['confirmed', 'processing'], ['confirmed', 'cancelled'], ['confirmed', 'refunded'],
    ['processing', 'shipped'], ['processing', 'cancelled'], ['processing', 'refunded'],
    ['shipped', 'delivered'], ['shipped', 'refunded'],
    ['delivered', 'refunded']]);
SELECT tenancy.define_lifecycle('order_payment_status', ARRAY[
    ['pending', 'paid'], ['pending', 'partially_paid'], ['pending', 'voided'],
    ['partially_paid', 'paid'], ['partially_paid', 'refunded'], ['partially_paid', 'voided'],
    ['paid', 'refunded']]);
SELECT tenancy.define_lifecycle('order_fulfillment_status', ARRAY[
    ['pending', 'processing'], ['pending', 'shipped'], ['pending', 'cancelled'],
    ['processing', 'shipped'], ['processing', 'cancelled'],
    ['shipped', 'delivered']]);
SELECT tenancy.enforce_lifecycle('commerce.orders', 'status', 'order_status');
SELECT tenancy.enforce_lifecycle('commerce.orders', 'payment_status', 'order_payment_status');
SELECT tenancy.enforce_lifecycle('commerce.orders', 'fulfillment_status', 'order_fulfillment_status');
