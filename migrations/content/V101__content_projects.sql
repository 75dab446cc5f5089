-- Content: BizQ's content_projects, which also serve the SaaS starter's
-- `content (id, title, type, company_id, created_by)`: its title, type and
-- creator are title, content_type and created_by here.

CREATE SCHEMA content;
GRANT USAGE ON SCHEMA content TO tenantbase_app, tenantbase_readonly, tenantbase_platform;

CREATE TABLE content.content_projects (
    tenant_id          uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id                 uuid NOT NULL DEFAULT gen_random_uuid(),
    name               text NOT NULL CONSTRAINT content_projects_name_not_blank CHECK (btrim(name) <> ''),
    description        text,
    content_type       text NOT NULL
                       CONSTRAINT content_projects_content_type_vocabulary CHECK (content_type IN ('blog_post', 'product_description', 'email_campaign', 'social_post', 'video_script', 'ad_copy', 'newsletter', 'landing_page')),
    status             text NOT NULL DEFAULT 'draft'
                       CONSTRAINT content_projects_status_vocabulary CHECK (status IN ('draft', 'in_progress', 'review', 'approved', 'published', 'archived')),
    title              text,
    content            text,
    excerpt            text,
    meta_description   text,
    target_keywords    text[] NOT NULL DEFAULT '{}',
    seo_score          integer CONSTRAINT content_projects_valid_seo_score CHECK (seo_score BETWEEN 0 AND 100),
    readability_score  integer CONSTRAINT content_projects_valid_readability_score CHECK (readability_score BETWEEN 0 AND 100),
    publish_date       timestamptz,
    published_urls     text[] NOT NULL DEFAULT '{}',
    ai_generated       boolean NOT NULL DEFAULT false,
    ai_model_used      text,
    ai_prompt          text,
    ai_generation_cost integer CONSTRAINT content_projects_valid_ai_cost CHECK (ai_generation_cost >= 0),
    featured_image     text,
    media_assets       jsonb NOT NULL DEFAULT '[]'
                       CONSTRAINT content_projects_media_assets_array CHECK (jsonb_typeof(media_assets) = 'array'),
    created_by         uuid REFERENCES tenancy.users (id) ON DELETE SET NULL,
    assigned_to        uuid REFERENCES tenancy.users (id) ON DELETE SET NULL,
    -- A campaign lives in the marketing tools; no source system has a campaigns table.
    campaign_id        uuid,
    view_count         integer NOT NULL DEFAULT 0 CONSTRAINT content_projects_valid_view_count CHECK (view_count >= 0),
    engagement_metrics jsonb NOT NULL DEFAULT '{}'
                       CONSTRAINT content_projects_engagement_object CHECK (jsonb_typeof(engagement_metrics) = 'object'),
    tags               text[] NOT NULL DEFAULT '{}',
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    search_vector      tsvector GENERATED ALWAYS AS (
                           setweight(to_tsvector('english'::regconfig, coalesce(name, '') || ' ' || coalesce(title, '')), 'A')
                           || setweight(to_tsvector('english'::regconfig, coalesce(excerpt, '') || ' ' || coalesce(meta_description, '')
                                                    || ' ' || coalesce(description, '')), 'B')
                           || setweight(to_tsvector('english'::regconfig, coalesce(content, '')), 'C')) STORED,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT content_projects_published_needs_date CHECK (status <> 'published' OR publish_date IS NOT NULL)
);
COMMENT ON TABLE content.content_projects IS
    'Content to create and publish (BizQ content_projects; the starter''s content). related_products is commerce.product_content.';

CREATE INDEX content_projects_type_idx ON content.content_projects (tenant_id, content_type);
CREATE INDEX content_projects_status_idx ON content.content_projects (tenant_id, status);
CREATE INDEX content_projects_publish_date_idx ON content.content_projects (tenant_id, publish_date);
CREATE INDEX content_projects_created_by_idx ON content.content_projects (created_by);
COMMENT ON INDEX content.content_projects_created_by_idx IS 'tenantbase:covers a foreign key to a global table';
CREATE INDEX content_projects_assigned_to_idx ON content.content_projects (assigned_to);
COMMENT ON INDEX content.content_projects_assigned_to_idx IS 'tenantbase:covers a foreign key to a global table';
CREATE INDEX content_projects_tags_idx ON content.content_projects USING gin (tenant_id, tags);
CREATE INDEX content_projects_keywords_idx ON content.content_projects USING gin (tenant_id, target_keywords);
CREATE INDEX content_projects_search_idx ON content.content_projects USING gin (tenant_id, search_vector);

SELECT tenancy.isolate('content.content_projects', 'content');
SELECT search.expose('content.content_projects');
