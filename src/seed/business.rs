//! The demo tenants' business data: content, work, agents, commerce and
//! analytics rows, written by the tenant's own users through the app pool, under
//! RLS and the database's rules (credits are charged, metrics maintained,
//! approvals decided by their responses). Ids derive from the tenant and a name,
//! so running the seed again finds every row and changes nothing.

use anyhow::{Context, Result};
use serde_json::json;
use uuid::Uuid;

use crate::db::{Db, TenantCtx, TenantTx};
use crate::secrets::Sealer;

/// What differs between the demo tenants' businesses.
struct Theme {
    project: &'static str,
    project_about: &'static str,
    store: &'static str,
    store_url: &'static str,
    platform: &'static str,
    products: [(&'static str, &'static str, &'static str); 2],
    topic: &'static str,
}

fn theme(slug: &str) -> Theme {
    match slug {
        "acme" => Theme {
            project: "Customer Portal Redesign",
            project_about:
                "Replace the legacy customer portal with a self-service portal for orders, invoices and support.",
            store: "Acme Direct",
            store_url: "https://acme-direct.myshopify.com",
            platform: "shopify",
            products: [("Anvil Pro 50kg", "anvil-pro-50kg", "249.00"), ("Rocket Skates", "rocket-skates", "129.50")],
            topic: "industrial tools",
        },
        "tech-startup" => Theme {
            project: "Mobile App Launch",
            project_about: "Ship the iOS and Android apps with onboarding, payments and push notifications.",
            store: "Startup Swag",
            store_url: "https://swag.techstartup.io",
            platform: "woocommerce",
            products: [("Founder Hoodie", "founder-hoodie", "59.00"), ("Sticker Pack", "sticker-pack", "9.90")],
            topic: "developer merchandise",
        },
        "healthcare-co" => Theme {
            project: "Patient Records Migration",
            project_about:
                "Migrate patient records to the new HIPAA-compliant records platform with full audit trails.",
            store: "Wellness Shop",
            store_url: "https://wellness.healthcare.com",
            platform: "bigcommerce",
            products: [
                ("Blood Pressure Monitor", "blood-pressure-monitor", "89.99"),
                ("First Aid Kit", "first-aid-kit", "34.50"),
            ],
            topic: "home health devices",
        },
        _ => Theme {
            project: "BizQ Onboarding",
            project_about: "Connect the first store, import the catalog and automate product descriptions.",
            store: "Demo Boutique",
            store_url: "https://demo-boutique.etsy.com",
            platform: "etsy",
            products: [("Handmade Mug", "handmade-mug", "24.00"), ("Linen Tote Bag", "linen-tote-bag", "32.00")],
            topic: "handmade homeware",
        },
    }
}

/// A tenant's people: the owner, and its members with their roles.
pub struct People {
    pub owner: Uuid,
    /// (user, role) for every active member, the owner included.
    pub members: Vec<(Uuid, &'static str)>,
}

impl People {
    /// Those who may approve, in approval order: admins, then members, then the owner.
    fn approvers(&self) -> Vec<Uuid> {
        let rank = |role: &str| match role {
            "admin" => 0,
            "member" => 1,
            "owner" => 2,
            _ => 3,
        };
        let mut approvers: Vec<(usize, Uuid)> =
            self.members.iter().filter(|(_, r)| *r != "viewer").map(|(u, r)| (rank(r), *u)).collect();
        approvers.sort();
        approvers.into_iter().map(|(_, u)| u).collect()
    }

    fn someone_else(&self) -> Uuid {
        self.members.iter().map(|(u, _)| *u).find(|u| *u != self.owner).unwrap_or(self.owner)
    }
}

struct Ids(Uuid);

impl Ids {
    fn of(&self, name: &str) -> Uuid {
        Uuid::new_v5(&self.0, name.as_bytes())
    }
}

pub async fn seed_tenant(db: &Db, tenant: Uuid, slug: &str, people: &People, sealer: &Sealer) -> Result<()> {
    let theme = theme(slug);
    let ids = Ids(tenant);
    let owner = TenantCtx::new(tenant, people.owner);
    let mut tx = db.tenant_tx(&owner).await?;
    content(&mut tx, tenant, &theme, &ids, people).await.context("content")?;
    work(&mut tx, tenant, &theme, &ids, people).await.context("work")?;
    agents(&mut tx, tenant, &theme, &ids, people).await.context("agents")?;
    commerce(&mut tx, tenant, &theme, &ids, sealer).await.context("commerce")?;
    analytics(&mut tx, tenant, &ids, people).await.context("analytics")?;
    embeddings(&mut tx, tenant).await.context("embeddings")?;
    // A kept answer, as a retried request leaves one (every tenant table has demo rows).
    tx.execute(
        "INSERT INTO tenancy.idempotency_keys (tenant_id, id, key, request_hash, status_code, locked_until, expires_at)
         VALUES ($1, $2, 'demo-request', sha256('demo-request'::bytea), 204, now(), now() + interval '1 day')
         ON CONFLICT DO NOTHING",
        &[&tenant, &ids.of("idempotency-key")],
    )
    .await
    .context("idempotency key")?;
    tx.commit().await?;

    // A response is given by its approver, in the approver's own transaction.
    let first_approver = people.approvers()[0];
    let mut tx = db.tenant_tx(&TenantCtx::new(tenant, first_approver)).await?;
    tx.execute(
        "INSERT INTO work.approval_responses (tenant_id, id, request_id, approver_id, decision, comments)
         VALUES ($1, $2, $3, $4, 'approve', 'Scope and estimates look right.')
         ON CONFLICT DO NOTHING",
        &[&tenant, &ids.of("approval-response-1"), &ids.of("approval-request"), &first_approver],
    )
    .await
    .context("approval response")?;
    tx.commit().await?;
    Ok(())
}

/// Where the embeddings module exists (pgvector was available at migrate): a vector for
/// every content project, message and task, made from the row's id, of the database's dimension.
async fn embeddings(tx: &mut TenantTx, tenant: Uuid) -> Result<()> {
    let present: bool =
        tx.query_one("SELECT to_regclass('embeddings.content_projects') IS NOT NULL", &[]).await?.get(0);
    if !present {
        return Ok(());
    }
    for (table, parent) in
        [("content_projects", "content.content_projects"), ("messages", "agents.messages"), ("tasks", "work.tasks")]
    {
        let sql = format!(
            "INSERT INTO embeddings.{table} (tenant_id, id, embedding, model)
             SELECT p.tenant_id, p.id,
                    array(SELECT (1 + abs(hashtext(p.id::text || g)) % 1000)::real
                          FROM generate_series(1, (SELECT a.atttypmod FROM pg_attribute a
                                                   WHERE a.attrelid = 'embeddings.{table}'::regclass
                                                     AND a.attname = 'embedding')) AS g
                          ORDER BY g)::embeddings.vector,
                    'demo'
             FROM {parent} p WHERE p.tenant_id = $1
             ON CONFLICT DO NOTHING"
        );
        tx.execute(&sql, &[&tenant]).await?;
    }
    Ok(())
}

async fn content(tx: &mut TenantTx, tenant: Uuid, theme: &Theme, ids: &Ids, people: &People) -> Result<()> {
    let title = format!("Buyer's guide to {}", theme.topic);
    let body = format!(
        "Choosing {topic} is easier with a checklist. We compare durability, price and support, \
         and explain which features matter for everyday use.",
        topic = theme.topic
    );
    tx.execute(
        "INSERT INTO content.content_projects
             (tenant_id, id, name, content_type, status, title, content, excerpt, target_keywords, seo_score,
              readability_score, publish_date, published_urls, ai_generated, ai_model_used, ai_generation_cost,
              created_by, assigned_to, view_count, engagement_metrics, tags)
         VALUES ($1, $2, $3, 'blog_post', 'published', $3, $4, left($4, 80), $5, 82, 71, now() - interval '3 days',
                 ARRAY[$6 || '/blog/buyers-guide'], true, 'gpt-4', 12, $7, $8, 1340,
                 '{\"shares\": 18, \"avg_read_seconds\": 94}', '{guide,seo}'),
                ($1, $9, $10, 'product_description', 'draft', $10, NULL, NULL, '{}', NULL,
                 NULL, NULL, '{}', false, NULL, NULL, $8, NULL, 0, '{}', '{catalog}')
         ON CONFLICT DO NOTHING",
        &[
            &tenant,
            &ids.of("content-guide"),
            &title,
            &body,
            &vec![theme.topic.to_string(), "buyers guide".to_string()],
            &theme.store_url,
            &people.owner,
            &people.someone_else(),
            &ids.of("content-description"),
            &format!("{} description", theme.products[0].0),
        ],
    )
    .await?;
    Ok(())
}

async fn work(tx: &mut TenantTx, tenant: Uuid, theme: &Theme, ids: &Ids, people: &People) -> Result<()> {
    let (project, owner, other) = (ids.of("project"), people.owner, people.someone_else());
    tx.execute(
        "INSERT INTO work.projects (tenant_id, id, name, description, status, complexity, priority, created_by,
                                    start_date, target_end_date, budget_allocated, budget_used, settings)
         VALUES ($1, $2, $3, $4, 'execution', 'complex', 'high', $5, current_date - 30, current_date + 60,
                 120000, 45250.50, '{\"methodology\": \"bduf\", \"review_cadence\": \"weekly\"}')
         ON CONFLICT DO NOTHING",
        &[&tenant, &project, &theme.project, &theme.project_about, &owner],
    )
    .await?;
    let (design, build, review) = (ids.of("task-design"), ids.of("task-build"), ids.of("task-review"));
    tx.execute(
        "INSERT INTO work.tasks (tenant_id, id, project_id, parent_task_id, title, description, status, priority,
                                 complexity, assigned_to, assigned_at, assigned_by, estimated_hours, actual_hours,
                                 started_at, completed_at, sequence_order, is_milestone, is_critical_path, created_by,
                                 custom_fields, tags)
         VALUES ($1, $2, $5, NULL, 'Design the solution architecture', 'Data model, integrations and security design.',
                 'completed', 'high', 'complex', $6, now() - interval '20 days', $7, 40, 36.5,
                 now() - interval '20 days', now() - interval '12 days', 1, true, true, $7,
                 '{\"phase\": \"design\"}', '{architecture}'),
                ($1, $3, $5, $2, 'Build the integration layer', 'API clients and the synchronisation jobs.',
                 'in_progress', 'high', 'very_complex', $6, now() - interval '10 days', $7, 80, 22,
                 now() - interval '9 days', NULL, 2, false, true, $7, '{\"phase\": \"build\"}', '{backend,api}'),
                ($1, $4, $5, $2, 'Security review of the design', 'Threat model and penetration test plan.',
                 'pending', 'critical', 'moderate', NULL, NULL, NULL, 16, 0,
                 NULL, NULL, 3, false, false, $7, '{\"phase\": \"review\"}', '{security}')
         ON CONFLICT DO NOTHING",
        &[&tenant, &design, &build, &review, &project, &other, &owner],
    )
    .await?;

    let (req_v1, req_v2, req_audit) =
        (ids.of("requirement-login-v1"), ids.of("requirement-login-v2"), ids.of("requirement-audit"));
    tx.execute(
        "INSERT INTO work.requirements (tenant_id, id, project_id, title, description, type, priority, status, category,
                                        source, stakeholder_id, complexity_score, effort_estimate_hours, risk_level,
                                        acceptance_criteria, version, previous_version_id, created_by)
         VALUES ($1, $2, $5, 'Single sign-on', 'Users sign in with the company identity provider.', 'functional',
                 'high', 'approved', 'authentication', 'Stakeholder workshop', $6, 0.6, 24, 'medium',
                 '[\"SAML login works\", \"Sessions expire after 8 hours\"]', 1, NULL, $6),
                ($1, $3, $5, 'Single sign-on with MFA', 'Users sign in with the company identity provider and a second factor.',
                 'security', 'critical', 'review', 'authentication', 'Security audit', $6, 0.7, 32, 'high',
                 '[\"SAML login works\", \"A second factor is required\"]', 2, $2, $6),
                ($1, $4, $5, 'Audit trail of record changes', 'Every change to a record is logged with its author.',
                 'compliance', 'high', 'draft', 'compliance', 'Regulation', $6, 0.4, 16, 'medium',
                 '[\"Changes are attributable\"]', 1, NULL, $6)
         ON CONFLICT DO NOTHING",
        &[&tenant, &req_v1, &req_v2, &req_audit, &project, &owner],
    )
    .await?;
    tx.execute(
        "INSERT INTO work.requirement_links (tenant_id, requirement_id, related_requirement_id)
         VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        &[&tenant, &req_audit, &req_v2],
    )
    .await?;

    let (adr_monolith, adr_services) = (ids.of("decision-monolith"), ids.of("decision-services"));
    tx.execute(
        "INSERT INTO work.architecture_decisions (tenant_id, id, project_id, title, description, context, decision,
                                                  consequences, category, status, options_considered, decided_by,
                                                  decided_at, review_date, superseded_by, created_by)
         VALUES ($1, $3, $4, 'Modular services behind one gateway', 'How the portal is split into deployable parts.',
                 'Teams ship independently; load is uneven across features.', 'Three services behind an API gateway.',
                 'Independent deploys; more operational work.', 'system', 'approved',
                 '[\"monolith\", \"services\", \"serverless\"]', $5, now() - interval '14 days', current_date + 90, NULL, $5),
                ($1, $2, $4, 'Single deployable monolith', 'Initial packaging of the portal.',
                 'A small team at the start of the project.', 'One deployable application.',
                 'Simple to run; coupled releases.', 'deployment', 'superseded',
                 '[\"monolith\", \"services\"]', $5, now() - interval '25 days', NULL, $3, $5)
         ON CONFLICT DO NOTHING",
        &[&tenant, &adr_monolith, &adr_services, &project, &owner],
    )
    .await?;

    tx.execute(
        "INSERT INTO work.project_risks (tenant_id, id, project_id, title, description, category, probability, impact,
                                         mitigation_strategy, owner_id, status, review_date, created_by)
         VALUES ($1, $2, $3, 'Identity provider integration delays', 'The customer IdP team has limited availability.',
                 'schedule', 'medium', 'high', 'Book integration slots early; build against a mock IdP.', $4,
                 'assessed', current_date + 14, $5)
         ON CONFLICT DO NOTHING",
        &[&tenant, &ids.of("risk-idp"), &project, &other, &owner],
    )
    .await?;

    let session = ids.of("session-review");
    tx.execute(
        "INSERT INTO work.collaboration_sessions (tenant_id, id, project_id, title, description, session_type, status,
                                                  scheduled_start, scheduled_end, facilitator_id, created_by)
         VALUES ($1, $2, $3, 'Architecture review', 'Walk through the service split and the security design.',
                 'architecture_review', 'scheduled', date_trunc('hour', now()) + interval '2 days',
                 date_trunc('hour', now()) + interval '2 days 1 hour', $4, $4)
         ON CONFLICT DO NOTHING",
        &[&tenant, &session, &project, &owner],
    )
    .await?;
    for (user, role) in &people.members {
        let participant_role = if *user == owner { "facilitator" } else { "participant" };
        tx.execute(
            "INSERT INTO work.session_participants (tenant_id, id, session_id, user_id, role, status, can_edit, can_moderate)
             VALUES ($1, $2, $3, $4, $5, 'accepted', $6, $7)
             ON CONFLICT DO NOTHING",
            &[&tenant, &ids.of(&format!("participant-{user}")), &session, user, &participant_role, &(*role != "viewer"), &(*user == owner)],
        )
        .await?;
    }

    let workflow = ids.of("workflow-architecture");
    let approvers = people.approvers();
    let required = approvers.len().min(2) as i32;
    tx.execute(
        "INSERT INTO work.approval_workflows (tenant_id, id, project_id, name, description, workflow_type, is_sequential,
                                              required_approvals, approval_criteria, created_by)
         VALUES ($1, $2, $3, 'Architecture sign-off', 'Lead architect, then the sponsor.', 'architecture_approval',
                 true, $4, '{\"checklist\": [\"security\", \"cost\"]}', $5)
         ON CONFLICT DO NOTHING",
        &[&tenant, &workflow, &project, &required, &owner],
    )
    .await?;
    for (position, approver) in approvers.iter().take(2).enumerate() {
        tx.execute(
            "INSERT INTO work.approval_workflow_approvers (tenant_id, id, workflow_id, approver_id, position)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            &[&tenant, &ids.of(&format!("approver-{position}")), &workflow, approver, &(position as i32 + 1)],
        )
        .await?;
    }
    tx.execute(
        "INSERT INTO work.approval_requests (tenant_id, id, workflow_id, project_id, title, description, request_type,
                                             subject_type, subject_id, due_date, requested_by)
         VALUES ($1, $2, $3, $4, 'Approve the service split', 'Sign off the modular services decision.', 'architecture',
                 'architecture_decision', $5, now() + interval '7 days', $6)
         ON CONFLICT DO NOTHING",
        &[&tenant, &ids.of("approval-request"), &workflow, &project, &adr_services, &owner],
    )
    .await?;
    Ok(())
}

async fn agents(tx: &mut TenantTx, tenant: Uuid, theme: &Theme, ids: &Ids, people: &People) -> Result<()> {
    let (write, publish, reply) =
        (ids.of("agent-task-write"), ids.of("agent-task-publish"), ids.of("agent-task-reply"));
    let input = json!({"topic": theme.topic, "length": 1200, "tone": "helpful"});
    // Inserted completed: the database charges its actual cost to the tenant's credits.
    tx.execute(
        "INSERT INTO agents.tasks (tenant_id, id, type, category, name, description, status, priority, input, output,
                                   worker_type, ai_model, ai_provider, processing_time_ms, estimated_cost, actual_cost,
                                   cost_breakdown, created_by, started_at, completed_at, context, tags, quality_score)
         VALUES ($1, $2, 'content.write_blog_post', 'content', 'Write the buyer''s guide', 'Long-form SEO article.',
                 'completed', 3, $5, '{\"words\": 1240, \"title\": \"Buyer''s guide\"}', 'ai', 'gpt-4', 'openai',
                 48210, 15, 12, '{\"prompt_tokens\": 900, \"completion_tokens\": 1800}', $6,
                 now() - interval '4 days 1 hour', now() - interval '4 days', '{\"campaign\": \"spring\"}', '{content,seo}', 4.50),
                ($1, $3, 'content.publish', 'content', 'Publish the guide to the store blog', NULL,
                 'pending', 5, '{\"channel\": \"store_blog\"}', NULL, 'integration', NULL, NULL,
                 NULL, 2, NULL, NULL, $6, NULL, NULL, '{}', '{content}', NULL),
                ($1, $4, 'customer_service.reply', 'customer_service', 'Answer the delivery question', NULL,
                 'processing', 2, '{\"conversation\": \"delivery\"}', NULL, 'ai', 'claude-3-opus', 'anthropic',
                 NULL, 3, NULL, NULL, $6, now() - interval '5 minutes', NULL, '{}', '{support}', NULL)
         ON CONFLICT DO NOTHING",
        &[&tenant, &write, &publish, &reply, &input, &people.owner],
    )
    .await?;
    tx.execute(
        "INSERT INTO agents.task_dependencies (tenant_id, task_id, depends_on_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        &[&tenant, &publish, &write],
    )
    .await?;
    tx.execute(
        "INSERT INTO agents.task_results (tenant_id, id, task_id, attempt, status, output, error_details, ai_model,
                                          ai_provider, tokens_input, tokens_output, cost, processing_time_ms,
                                          started_at, completed_at)
         VALUES ($1, $2, $4, 1, 'timed_out', NULL, '{\"error\": \"provider timeout after 30s\"}', 'gpt-4', 'openai',
                 900, 0, 0, 30000, now() - interval '4 days 2 hours', now() - interval '4 days 2 hours' + interval '30 seconds'),
                ($1, $3, $4, 2, 'succeeded', '{\"words\": 1240}', NULL, 'gpt-4', 'openai',
                 900, 1800, 12, 48210, now() - interval '4 days 1 hour', now() - interval '4 days')
         ON CONFLICT DO NOTHING",
        &[&tenant, &ids.of("agent-result-1"), &ids.of("agent-result-2"), &write],
    )
    .await?;

    let conversation = ids.of("conversation-delivery");
    tx.execute(
        "INSERT INTO agents.conversations (tenant_id, id, user_id, context, status, subject, channel, metadata)
         VALUES ($1, $2, $3, 'support', 'active', 'Where is my order?', 'chat', '{\"customer_email\": \"jane.doe@example.com\"}')
         ON CONFLICT DO NOTHING",
        &[&tenant, &conversation, &people.owner],
    )
    .await?;
    let messages: [(&str, &str, Option<Uuid>, &str); 3] = [
        ("message-1", "system", None, "Conversation started from the order status page."),
        ("message-2", "ai", None, "Hi Jane! Your order shipped yesterday and should arrive within two days."),
        ("message-3", "human", Some(people.owner), "I have also upgraded the shipping to express at no cost."),
    ];
    for (name, author, user, text) in messages {
        // Not ON CONFLICT: numbering happens before a conflict would be found.
        tx.execute(
            "INSERT INTO agents.messages (tenant_id, id, conversation_id, author_type, author_user_id, content, ai_model)
             SELECT $1, $2, $3, $4::text, $5, $6, CASE WHEN $4 = 'ai' THEN 'gpt-4' END
             WHERE NOT EXISTS (SELECT 1 FROM agents.messages WHERE tenant_id = $1 AND id = $2)",
            &[&tenant, &ids.of(name), &conversation, &author, &user, &text],
        )
        .await?;
    }
    Ok(())
}

async fn commerce(tx: &mut TenantTx, tenant: Uuid, theme: &Theme, ids: &Ids, sealer: &Sealer) -> Result<()> {
    let store = ids.of("store");
    let exists =
        tx.query_opt("SELECT 1 FROM commerce.stores WHERE tenant_id = $1 AND id = $2", &[&tenant, &store]).await?;
    if exists.is_none() {
        let credentials = json!({"api_key": "demo-key", "access_token": format!("demo-token-{}", Uuid::new_v4())});
        let sealed = sealer.seal(tenant, store, credentials.to_string().as_bytes());
        tx.execute(
            "INSERT INTO commerce.stores (tenant_id, id, name, platform, store_url, credentials_sealed, credentials_key_id,
                                          api_version, status, last_sync_at, sync_status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, '2024-01', 'active',
                     now() - interval '1 hour', 'success')",
            &[&tenant, &store, &theme.store, &theme.platform, &theme.store_url, &sealed, &sealer.key_id()],
        )
        .await?;
    }
    for (n, (name, handle, price)) in theme.products.iter().enumerate() {
        let product = ids.of(&format!("product-{n}"));
        tx.execute(
            "INSERT INTO commerce.products (tenant_id, id, store_id, external_id, sku, name, description, price,
                                            compare_at_price, cost_price, inventory_quantity, product_type, vendor,
                                            category, tags, status, published_at, handle, has_variants, variant_options,
                                            ai_description_generated, seo_title)
             VALUES ($1, $2, $3, $4, upper(left($5, 12)), $6, 'Built to last, backed by our two-year warranty.',
                     $7::text::numeric, $7::text::numeric * 1.2, $7::text::numeric * 0.45, 40 * ($8 + 1), 'physical',
                     $9, $10, $11, 'active', now() - interval '60 days', $5, true, '{\"size\": [\"standard\", \"large\"]}',
                     $8 = 0, $6)
             ON CONFLICT DO NOTHING",
            &[&tenant, &product, &store, &format!("ext-{}", 1000 + n), handle, name, price, &(n as i32), &theme.store,
              &theme.topic, &vec![theme.topic.to_string(), if n == 0 { "bestseller" } else { "new" }.to_string()]],
        )
        .await?;
        tx.execute(
            "INSERT INTO commerce.product_variants (tenant_id, id, product_id, external_id, sku, option1, price,
                                                    inventory_quantity, weight, weight_unit)
             VALUES ($1, $2, $4, $5 || '-std', upper(left($6, 12)) || '-STD', 'standard', $7::text::numeric, 25, 1.5, 'kg'),
                    ($1, $3, $4, $5 || '-lg', upper(left($6, 12)) || '-LG', 'large', $7::text::numeric + 10, 15, 2.25, 'kg')
             ON CONFLICT DO NOTHING",
            &[&tenant, &ids.of(&format!("variant-{n}-std")), &ids.of(&format!("variant-{n}-lg")), &product,
              &format!("ext-{}", 1000 + n), handle, price],
        )
        .await?;
    }
    tx.execute(
        "INSERT INTO commerce.product_content (tenant_id, product_id, content_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        &[&tenant, &ids.of("product-0"), &ids.of("content-description")],
    )
    .await?;

    let (jane, raj) = (ids.of("customer-jane"), ids.of("customer-raj"));
    tx.execute(
        "INSERT INTO commerce.customers (tenant_id, id, email, first_name, last_name, phone, accepts_marketing,
                                         customer_segment, tags, support_tickets, support_satisfaction,
                                         customer_persona, predicted_ltv, churn_risk_score, lifetime_value)
         VALUES ($1, $2, 'jane.doe@example.com', 'Jane', 'Doe', '+1 555 0101', true, 'VIP', '{vip,newsletter}',
                 2, 4.50, 'Loyal repeat buyer', 1800, 0.08, 0),
                ($1, $3, 'raj.patel@example.com', 'Raj', 'Patel', NULL, false, 'New', '{}', 0, NULL,
                 'First-time buyer', 150, 0.45, 0)
         ON CONFLICT DO NOTHING",
        &[&tenant, &jane, &raj],
    )
    .await?;
    let (name0, _, price0) = theme.products[0];
    let (name1, _, price1) = theme.products[1];
    let line = |name: &str, price: &str, quantity: i32| json!([{"title": name, "price": price, "quantity": quantity}]);
    // Inserted through the orders table: the customers' metrics follow by themselves.
    tx.execute(
        "INSERT INTO commerce.orders (tenant_id, id, store_id, customer_id, external_id, order_number, total_amount,
                                      subtotal_amount, tax_amount, shipping_amount, status, fulfillment_status,
                                      payment_status, order_date, shipped_date, delivered_date, shipping_address,
                                      line_items, customer_email, processed_by, requires_attention)
         VALUES ($1, $2, $5, $6, 'ord-5001', '#5001', $8::text::numeric + 12.5, $8::text::numeric, 0, 12.5,
                 'delivered', 'delivered', 'paid', now() - interval '20 days', now() - interval '19 days',
                 now() - interval '16 days', '{\"city\": \"Springfield\", \"country\": \"US\"}', $10, 'jane.doe@example.com',
                 'auto', false),
                ($1, $3, $5, $6, 'ord-5002', '#5002', $9::text::numeric * 2 + 5, $9::text::numeric * 2, 0, 5,
                 'shipped', 'shipped', 'paid', now() - interval '2 days', now() - interval '1 day', NULL,
                 '{\"city\": \"Springfield\", \"country\": \"US\"}', $11, 'jane.doe@example.com', 'ai', false),
                ($1, $4, $5, $7, 'ord-5003', '#5003', $9::text::numeric + 5, $9::text::numeric, 0, 5,
                 'cancelled', 'cancelled', 'voided', now() - interval '5 days', NULL, NULL,
                 '{\"city\": \"Austin\", \"country\": \"US\"}', $12, 'raj.patel@example.com', 'human', true)
         ON CONFLICT DO NOTHING",
        &[&tenant, &ids.of("order-5001"), &ids.of("order-5002"), &ids.of("order-5003"), &store, &jane, &raj,
          &price0, &price1, &line(name0, price0, 1), &line(name1, price1, 2), &line(name1, price1, 1)],
    )
    .await?;
    Ok(())
}

async fn analytics(tx: &mut TenantTx, tenant: Uuid, ids: &Ids, people: &People) -> Result<()> {
    let events: [(&str, &str, &str, Option<&str>, i32); 3] = [
        ("event-view", "page_view", "Viewed product", None, 3),
        ("event-purchase", "purchase", "Order placed", Some("order-5002"), 2),
        ("event-task", "task_completed", "Blog post written", None, 4),
    ];
    for (name, event_type, event_name, order, days_ago) in events {
        let order_id = order.map(|o| ids.of(o));
        tx.execute(
            "INSERT INTO analytics.analytics_events (tenant_id, id, event_type, event_name, user_id, session_id, source,
                                                     properties, revenue, product_id, customer_id, order_id, task_id,
                                                     occurred_at)
             SELECT $1, $2, $3, $4, $5, 'sess-' || left($2::uuid::text, 8), 'dashboard',
                    jsonb_build_object('path', '/products/' || left($2::uuid::text, 8), 'referrer', 'newsletter'),
                    CASE WHEN $6::uuid IS NOT NULL THEN 128.00 END, $7, $8, $6,
                    CASE WHEN $3 = 'task_completed' THEN $9::uuid END,
                    date_trunc('day', now()) - make_interval(days => $10) + interval '10 hours'
             WHERE NOT EXISTS (SELECT 1 FROM analytics.analytics_events WHERE tenant_id = $1 AND id = $2)",
            &[&tenant, &ids.of(name), &event_type, &event_name, &people.owner, &order_id, &ids.of("product-0"),
              &ids.of("customer-jane"), &ids.of("agent-task-write"), &days_ago],
        )
        .await?;
    }
    let activities: [(&str, &str, &str, &str, i32); 2] = [
        ("activity-create", "create", "created_task", "task-review", 6),
        ("activity-assign", "assign", "assigned_task", "task-build", 5),
    ];
    for (name, kind, action, entity, days_ago) in activities {
        tx.execute(
            "INSERT INTO analytics.user_activities (tenant_id, id, user_id, project_id, activity_type, action, description,
                                                    entity_type, entity_id, occurred_at, ip_address, user_agent, session_id)
             SELECT $1, $2, $3, $4, $5, $6, 'From the project board', 'task', $7,
                    date_trunc('day', now()) - make_interval(days => $8) + interval '9 hours', '203.0.113.7',
                    'Mozilla/5.0 (demo)', 'sess-demo'
             WHERE NOT EXISTS (SELECT 1 FROM analytics.user_activities WHERE tenant_id = $1 AND id = $2)",
            &[&tenant, &ids.of(name), &people.owner, &ids.of("project"), &kind, &action, &ids.of(entity), &days_ago],
        )
        .await?;
    }
    tx.execute(
        "INSERT INTO analytics.project_analytics (tenant_id, id, project_id, snapshot_date, total_tasks, completed_tasks,
                                                  in_progress_tasks, blocked_tasks, total_estimated_hours,
                                                  total_actual_hours, requirements_completeness,
                                                  architecture_coherence_score, risk_score, active_team_members,
                                                  collaboration_sessions_count)
         SELECT $1, $2, $3, current_date - 1, count(*), count(*) FILTER (WHERE status = 'completed'),
                count(*) FILTER (WHERE status = 'in_progress'), count(*) FILTER (WHERE status = 'blocked'),
                coalesce(sum(estimated_hours), 0), sum(actual_hours), 0.67, 0.80, 1.50, $4, 1
         FROM work.tasks WHERE tenant_id = $1 AND project_id = $3
         ON CONFLICT DO NOTHING",
        &[&tenant, &ids.of("snapshot"), &ids.of("project"), &(people.members.len() as i32)],
    )
    .await?;
    Ok(())
}
