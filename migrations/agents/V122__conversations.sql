-- Agents: the AI agent platform's conversations (support and sales chats) and
-- their messages, written by the AI, a human or the system, in a fixed order.

CREATE TABLE agents.conversations (
    tenant_id       uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id              uuid NOT NULL DEFAULT gen_random_uuid(),
    -- The tenant's user who owns the conversation (the agent's operator or the assigned human).
    user_id         uuid REFERENCES tenancy.users (id) ON DELETE SET NULL,
    context         text NOT NULL
                    CONSTRAINT conversations_context_vocabulary CHECK (context IN ('support', 'sales')),
    status          text NOT NULL DEFAULT 'active'
                    CONSTRAINT conversations_status_vocabulary CHECK (status IN ('active', 'waiting', 'resolved', 'closed')),
    subject         text,
    channel         text NOT NULL DEFAULT 'chat' CONSTRAINT conversations_channel_format CHECK (channel ~ '^[a-z_]+$'),
    message_count   integer NOT NULL DEFAULT 0 CONSTRAINT conversations_valid_message_count CHECK (message_count >= 0),
    last_message_at timestamptz,
    closed_at       timestamptz,
    metadata        jsonb NOT NULL DEFAULT '{}' CONSTRAINT conversations_metadata_object CHECK (jsonb_typeof(metadata) = 'object'),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT conversations_closed_needs_time CHECK (status <> 'closed' OR closed_at IS NOT NULL),
    CONSTRAINT conversations_valid_close CHECK (closed_at IS NULL OR closed_at >= created_at)
);
CREATE INDEX conversations_status_idx ON agents.conversations (tenant_id, status);
CREATE INDEX conversations_user_conversations_idx ON agents.conversations (tenant_id, user_id);
CREATE INDEX conversations_created_at_idx ON agents.conversations (tenant_id, created_at);
CREATE INDEX conversations_user_idx ON agents.conversations (user_id);
COMMENT ON INDEX agents.conversations_user_idx IS 'tenantbase:covers a foreign key to a global table';

CREATE TABLE agents.messages (
    tenant_id       uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    id              uuid NOT NULL DEFAULT gen_random_uuid(),
    conversation_id uuid NOT NULL,
    -- 1, 2, 3... within the conversation, assigned on insert.
    sequence        integer NOT NULL DEFAULT 0,
    author_type     text NOT NULL
                    CONSTRAINT messages_author_type_vocabulary CHECK (author_type IN ('ai', 'human', 'system')),
    author_user_id  uuid REFERENCES tenancy.users (id) ON DELETE SET NULL,
    content         text NOT NULL,
    ai_model        text,
    tokens_used     integer CONSTRAINT messages_valid_tokens CHECK (tokens_used >= 0),
    metadata        jsonb NOT NULL DEFAULT '{}' CONSTRAINT messages_metadata_object CHECK (jsonb_typeof(metadata) = 'object'),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, conversation_id) REFERENCES agents.conversations (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT messages_one_per_position UNIQUE (tenant_id, conversation_id, sequence),
    CONSTRAINT messages_human_has_author CHECK (author_type <> 'human' OR author_user_id IS NOT NULL),
    CONSTRAINT messages_ai_has_no_user CHECK (author_type <> 'ai' OR author_user_id IS NULL)
);
CREATE INDEX messages_conversation_created_idx ON agents.messages (tenant_id, conversation_id, created_at);
CREATE INDEX messages_author_idx ON agents.messages (author_user_id);
COMMENT ON INDEX agents.messages_author_idx IS 'tenantbase:covers a foreign key to a global table';

-- Message order: the conversation row counts its messages, so concurrent
-- writers take the next position one after the other (row lock), never the
-- same one twice. SECURITY DEFINER (platform) so that writing a message does
-- not need the right to update the conversation; it only touches the acting
-- tenant's conversation and leaves any other row for the policies to refuse.
CREATE FUNCTION agents.number_message() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    acting uuid := tenancy.current_tenant_id();
    position integer;
BEGIN
    IF acting IS NOT NULL AND acting <> NEW.tenant_id THEN
        RETURN NEW;
    END IF;
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
SELECT tenancy.give_to_platform('agents.number_message()');
CREATE TRIGGER number_message BEFORE INSERT ON agents.messages
    FOR EACH ROW EXECUTE FUNCTION agents.number_message();

SELECT tenancy.isolate(t, 'agents')
FROM unnest(ARRAY['agents.conversations', 'agents.messages']::regclass[]) AS t;
-- A message keeps its place: its conversation and position are not edited.
REVOKE UPDATE ON agents.messages FROM tenantbase_app;
GRANT UPDATE (tenant_id, content, metadata) ON agents.messages TO tenantbase_app;
-- The message count is the numbering's, not the app's.
REVOKE UPDATE ON agents.conversations FROM tenantbase_app;
GRANT UPDATE (tenant_id, user_id, context, status, subject, channel, closed_at, metadata) ON agents.conversations TO tenantbase_app;
