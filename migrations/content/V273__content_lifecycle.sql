-- Content's status follows its transition table (tenancy/V270): published
-- content is archived, never drafted again in place; archived content is
-- restored as a draft.
SELECT tenancy.define_lifecycle('content_status', ARRAY[
    ['draft', 'in_progress'], ['draft', 'review'], ['draft', 'approved'], ['draft', 'published'], ['draft', 'archived'],
    ['in_progress', 'draft'], ['in_progress', 'review'], ['in_progress', 'published'], ['in_progress', 'archived'],
    ['review', 'draft'], ['review', 'in_progress'], ['review', 'approved'], ['review', 'published'], ['review', 'archived'],
    ['approved', 'in_progress'], ['approved', 'published'], ['approved', 'archived'],
    ['published', 'archived'],
    ['archived', 'draft']]);
SELECT tenancy.enforce_lifecycle('content.content_projects', 'status', 'content_status');
