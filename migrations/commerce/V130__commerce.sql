-- Commerce: BizQ's stores, products, variants, customers and orders.
-- Money is numeric(12,2) with a currency.

CREATE SCHEMA commerce;
GRANT USAGE ON SCHEMA commerce TO tenantbase_app, tenantbase_readonly, tenantbase_platform;

CREATE TABLE commerce.stores (
    tenant_id           uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id                  uuid NOT NULL DEFAULT gen_random_uuid(),
    name                text NOT NULL CONSTRAINT stores_name_not_blank CHECK (btrim(name) <> ''),
    platform            text NOT NULL
                        CONSTRAINT stores_platform_vocabulary CHECK (platform IN ('shopify', 'woocommerce', 'amazon', 'etsy', 'squarespace', 'bigcommerce')),
    store_url           text NOT NULL CONSTRAINT stores_url_format CHECK (store_url ~ '^https?://'),
    -- The platform's API keys and tokens, sealed by the application (AES-256-GCM,
    -- src/secrets.rs) before they reach the database: the database never holds
    -- them in plain text, so no query can return them in plain text.
    credentials_sealed  bytea NOT NULL CONSTRAINT stores_credentials_sealed CHECK (length(credentials_sealed) > 28),
    credentials_key_id  text NOT NULL CONSTRAINT stores_credentials_key_id_format CHECK (credentials_key_id ~ '^[a-z0-9-]{1,64}$'),
    api_version         text,
    status              text NOT NULL DEFAULT 'active'
                        CONSTRAINT stores_status_vocabulary CHECK (status IN ('active', 'inactive', 'error', 'setup')),
    last_sync_at        timestamptz,
    sync_status         text NOT NULL DEFAULT 'pending'
                        CONSTRAINT stores_sync_status_vocabulary CHECK (sync_status IN ('pending', 'syncing', 'success', 'error')),
    sync_error          text,
    sync_settings       jsonb NOT NULL DEFAULT '{"auto_sync": true, "sync_frequency": "hourly", "sync_products": true,
                                                 "sync_orders": true, "sync_customers": true}'
                        CONSTRAINT stores_sync_settings_object CHECK (jsonb_typeof(sync_settings) = 'object'),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT stores_one_per_platform_url UNIQUE (tenant_id, platform, store_url),
    CONSTRAINT stores_error_explained CHECK (sync_status <> 'error' OR sync_error IS NOT NULL)
);
CREATE INDEX stores_status_idx ON commerce.stores (tenant_id, status);
CREATE INDEX stores_last_sync_at_idx ON commerce.stores (tenant_id, last_sync_at);

CREATE TABLE commerce.products (
    tenant_id                uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id                       uuid NOT NULL DEFAULT gen_random_uuid(),
    store_id                 uuid,
    external_id              text,
    sku                      text,
    name                     text NOT NULL CONSTRAINT products_name_not_blank CHECK (btrim(name) <> ''),
    description              text,
    short_description        text,
    price                    numeric(12,2) CONSTRAINT products_valid_price CHECK (price >= 0),
    compare_at_price         numeric(12,2) CONSTRAINT products_valid_compare_at_price CHECK (compare_at_price >= 0),
    cost_price               numeric(12,2) CONSTRAINT products_valid_cost_price CHECK (cost_price >= 0),
    currency                 char(3) NOT NULL DEFAULT 'USD' CONSTRAINT products_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
    inventory_quantity       integer NOT NULL DEFAULT 0 CONSTRAINT products_valid_inventory CHECK (inventory_quantity >= 0),
    track_inventory          boolean NOT NULL DEFAULT true,
    product_type             text,
    vendor                   text,
    category                 text,
    tags                     text[] NOT NULL DEFAULT '{}',
    status                   text NOT NULL DEFAULT 'active'
                             CONSTRAINT products_status_vocabulary CHECK (status IN ('active', 'inactive', 'draft', 'archived')),
    published_at             timestamptz,
    images                   jsonb NOT NULL DEFAULT '[]' CONSTRAINT products_images_array CHECK (jsonb_typeof(images) = 'array'),
    featured_image           text,
    seo_title                text,
    seo_description          text,
    handle                   text CONSTRAINT products_handle_format CHECK (handle ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    has_variants             boolean NOT NULL DEFAULT false,
    variant_options          jsonb,
    ai_description_generated boolean NOT NULL DEFAULT false,
    ai_images_generated      boolean NOT NULL DEFAULT false,
    ai_seo_optimized         boolean NOT NULL DEFAULT false,
    ai_last_enhanced_at      timestamptz,
    platform_data            jsonb NOT NULL DEFAULT '{}',
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    synced_at                timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, store_id) REFERENCES commerce.stores (tenant_id, id) ON DELETE CASCADE,
    -- A product synced from a store is found again by its platform id.
    CONSTRAINT products_one_per_external_id UNIQUE (tenant_id, store_id, external_id)
);
CREATE INDEX products_external_id_idx ON commerce.products (tenant_id, external_id);
CREATE INDEX products_sku_idx ON commerce.products (tenant_id, sku);
CREATE INDEX products_status_idx ON commerce.products (tenant_id, status);
CREATE INDEX products_product_type_idx ON commerce.products (tenant_id, product_type);
CREATE INDEX products_ai_enhanced_idx ON commerce.products (tenant_id, ai_description_generated, ai_images_generated);
CREATE INDEX products_tags_idx ON commerce.products USING gin (tenant_id, tags);

CREATE TABLE commerce.product_variants (
    tenant_id          uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id                 uuid NOT NULL DEFAULT gen_random_uuid(),
    product_id         uuid NOT NULL,
    external_id        text,
    sku                text,
    barcode            text,
    option1            text,
    option2            text,
    option3            text,
    price              numeric(12,2) CONSTRAINT product_variants_valid_variant_price CHECK (price >= 0),
    compare_at_price   numeric(12,2) CONSTRAINT product_variants_valid_compare_at_price CHECK (compare_at_price >= 0),
    cost_price         numeric(12,2) CONSTRAINT product_variants_valid_cost_price CHECK (cost_price >= 0),
    inventory_quantity integer NOT NULL DEFAULT 0 CONSTRAINT product_variants_valid_variant_inventory CHECK (inventory_quantity >= 0),
    available          boolean NOT NULL DEFAULT true,
    weight             numeric(8,2) CONSTRAINT product_variants_valid_weight CHECK (weight >= 0),
    weight_unit        text NOT NULL DEFAULT 'kg'
                       CONSTRAINT product_variants_weight_unit_vocabulary CHECK (weight_unit IN ('kg', 'g', 'lb', 'oz')),
    image_url          text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, product_id) REFERENCES commerce.products (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX product_variants_product_idx ON commerce.product_variants (tenant_id, product_id);
CREATE INDEX product_variants_sku_idx ON commerce.product_variants (tenant_id, sku);

CREATE TABLE commerce.customers (
    tenant_id             uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id                    uuid NOT NULL DEFAULT gen_random_uuid(),
    email                 citext NOT NULL CONSTRAINT customers_email_format CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    first_name            text,
    last_name             text,
    phone                 text,
    date_of_birth         date CONSTRAINT customers_valid_birth_date CHECK (date_of_birth > '1900-01-01'),
    gender                text,
    addresses             jsonb NOT NULL DEFAULT '[]' CONSTRAINT customers_addresses_array CHECK (jsonb_typeof(addresses) = 'array'),
    default_address       jsonb,
    -- Metrics, kept by commerce.maintain_customer_metrics() from the customer's orders.
    total_orders          integer NOT NULL DEFAULT 0 CONSTRAINT customers_valid_total_orders CHECK (total_orders >= 0),
    total_spent           numeric(12,2) NOT NULL DEFAULT 0 CONSTRAINT customers_valid_total_spent CHECK (total_spent >= 0),
    average_order_value   numeric(12,2) GENERATED ALWAYS AS (
                              CASE WHEN total_orders > 0 THEN round(total_spent / total_orders, 2) ELSE 0 END) STORED,
    lifetime_value        numeric(12,2) NOT NULL DEFAULT 0 CONSTRAINT customers_valid_lifetime_value CHECK (lifetime_value >= 0),
    currency              char(3) NOT NULL DEFAULT 'USD' CONSTRAINT customers_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
    first_order_at        timestamptz,
    last_order_at         timestamptz,
    last_active_at        timestamptz,
    status                text NOT NULL DEFAULT 'active'
                          CONSTRAINT customers_status_vocabulary CHECK (status IN ('active', 'inactive', 'blocked')),
    accepts_marketing     boolean NOT NULL DEFAULT false,
    -- VIP, Regular, New, ...: an open list the tenant defines.
    customer_segment      text,
    tags                  text[] NOT NULL DEFAULT '{}',
    support_tickets       integer NOT NULL DEFAULT 0 CONSTRAINT customers_valid_support_tickets CHECK (support_tickets >= 0),
    support_satisfaction  numeric(3,2) CONSTRAINT customers_valid_support_satisfaction CHECK (support_satisfaction BETWEEN 0 AND 5),
    support_notes         text,
    ai_insights           jsonb NOT NULL DEFAULT '{}',
    customer_persona      text,
    predicted_ltv         numeric(12,2) CONSTRAINT customers_valid_predicted_ltv CHECK (predicted_ltv >= 0),
    churn_risk_score      numeric(3,2) CONSTRAINT customers_valid_churn_risk CHECK (churn_risk_score BETWEEN 0 AND 1),
    external_customer_ids jsonb NOT NULL DEFAULT '{}',
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    -- One customer record per email across the tenant's stores.
    CONSTRAINT customers_one_per_email UNIQUE (tenant_id, email),
    CONSTRAINT customers_valid_order_dates CHECK (first_order_at IS NULL OR last_order_at IS NULL OR first_order_at <= last_order_at)
);
CREATE INDEX customers_status_idx ON commerce.customers (tenant_id, status);
CREATE INDEX customers_segment_idx ON commerce.customers (tenant_id, customer_segment);
CREATE INDEX customers_total_spent_idx ON commerce.customers (tenant_id, total_spent);
CREATE INDEX customers_last_order_at_idx ON commerce.customers (tenant_id, last_order_at);
CREATE INDEX customers_tags_idx ON commerce.customers USING gin (tenant_id, tags);

CREATE TABLE commerce.orders (
    tenant_id          uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id                 uuid NOT NULL DEFAULT gen_random_uuid(),
    store_id           uuid,
    customer_id        uuid,
    external_id        text NOT NULL,
    order_number       text,
    total_amount       numeric(12,2) NOT NULL CONSTRAINT orders_valid_total_amount CHECK (total_amount >= 0),
    subtotal_amount    numeric(12,2) CONSTRAINT orders_valid_subtotal_amount CHECK (subtotal_amount >= 0),
    tax_amount         numeric(12,2) NOT NULL DEFAULT 0 CONSTRAINT orders_valid_tax_amount CHECK (tax_amount >= 0),
    shipping_amount    numeric(12,2) NOT NULL DEFAULT 0 CONSTRAINT orders_valid_shipping_amount CHECK (shipping_amount >= 0),
    discount_amount    numeric(12,2) NOT NULL DEFAULT 0 CONSTRAINT orders_valid_discount_amount CHECK (discount_amount >= 0),
    currency           char(3) NOT NULL DEFAULT 'USD' CONSTRAINT orders_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
    status             text NOT NULL
                       CONSTRAINT orders_status_vocabulary CHECK (status IN ('pending', 'confirmed', 'processing', 'shipped', 'delivered', 'cancelled', 'refunded')),
    fulfillment_status text
                       CONSTRAINT orders_fulfillment_status_vocabulary CHECK (fulfillment_status IN ('pending', 'processing', 'shipped', 'delivered', 'cancelled')),
    payment_status     text
                       CONSTRAINT orders_payment_status_vocabulary CHECK (payment_status IN ('pending', 'paid', 'partially_paid', 'refunded', 'voided')),
    order_date         timestamptz NOT NULL,
    shipped_date       timestamptz,
    delivered_date     timestamptz,
    shipping_address   jsonb,
    billing_address    jsonb,
    shipping_method    text,
    tracking_number    text,
    tracking_url       text,
    line_items         jsonb NOT NULL CONSTRAINT orders_line_items_array CHECK (jsonb_typeof(line_items) = 'array'),
    shipping_lines     jsonb NOT NULL DEFAULT '[]' CONSTRAINT orders_shipping_lines_array CHECK (jsonb_typeof(shipping_lines) = 'array'),
    tax_lines          jsonb NOT NULL DEFAULT '[]' CONSTRAINT orders_tax_lines_array CHECK (jsonb_typeof(tax_lines) = 'array'),
    discount_codes     jsonb NOT NULL DEFAULT '[]' CONSTRAINT orders_discount_codes_array CHECK (jsonb_typeof(discount_codes) = 'array'),
    customer_email     citext,
    customer_phone     text,
    customer_notes     text,
    processed_by       text
                       CONSTRAINT orders_processed_by_vocabulary CHECK (processed_by IN ('ai', 'human', 'auto')),
    processing_notes   text,
    requires_attention boolean NOT NULL DEFAULT false,
    platform_data      jsonb NOT NULL DEFAULT '{}',
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    synced_at          timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, store_id) REFERENCES commerce.stores (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES commerce.customers (tenant_id, id),
    CONSTRAINT orders_one_per_external_id UNIQUE (tenant_id, store_id, external_id),
    CONSTRAINT orders_valid_shipped_date CHECK (shipped_date IS NULL OR shipped_date >= order_date),
    CONSTRAINT orders_valid_delivered_date CHECK (delivered_date IS NULL OR delivered_date >= coalesce(shipped_date, order_date))
);
CREATE INDEX orders_customer_date_idx ON commerce.orders (tenant_id, customer_id, order_date);
CREATE INDEX orders_external_id_idx ON commerce.orders (tenant_id, external_id);
CREATE INDEX orders_status_date_idx ON commerce.orders (tenant_id, status, order_date);
CREATE INDEX orders_order_date_idx ON commerce.orders (tenant_id, order_date);
CREATE INDEX orders_requires_attention_idx ON commerce.orders (tenant_id, order_date) WHERE requires_attention;

-- The document's content_projects.related_products uuid[]: a link table here,
-- in commerce, because both ends must exist before it can point at them.
CREATE TABLE commerce.product_content (
    tenant_id  uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    product_id uuid NOT NULL,
    content_id uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, product_id, content_id),
    FOREIGN KEY (tenant_id, product_id) REFERENCES commerce.products (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, content_id) REFERENCES content.content_projects (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE commerce.product_content IS 'Which content is about which product (content_projects.related_products).';
CREATE INDEX product_content_content_idx ON commerce.product_content (tenant_id, content_id);

SELECT tenancy.isolate(t, 'commerce')
FROM unnest(ARRAY['commerce.stores', 'commerce.products', 'commerce.product_variants', 'commerce.customers',
                  'commerce.orders', 'commerce.product_content']::regclass[]) AS t;
SELECT search.expose(t)
FROM unnest(ARRAY['commerce.products', 'commerce.customers']::regclass[]) AS t;
