-- Content types of every design: the starter's content (its `type` has no list
-- in its design) is typed 'article', beside BizQ's types (docs/schema.md,
-- "Vocabularies"). The constraint keeps its name, by which the API reports a bad type.

ALTER TABLE content.content_projects
    DROP CONSTRAINT content_projects_content_type_vocabulary,
    ADD CONSTRAINT content_projects_content_type_vocabulary
        CHECK (content_type IN ('blog_post', 'product_description', 'email_campaign', 'social_post', 'video_script',
                                'ad_copy', 'newsletter', 'landing_page', 'article'));
