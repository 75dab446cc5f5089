//! A large, skewed data set for benchmarks: `tenantbase seed scale`. Tenant
//! sizes follow Zipf's law (the first tenant holds about 1/H(N) of all rows,
//! the last about 1/N of the first's), as real SaaS populations do: a few large
//! tenants, a long tail of small ones.
//!
//! Tenants and their owners are created through the platform functions. The
//! rows are bulk loaded with COPY on the superuser connection (a platform bulk
//! operation), so the database's rules still run: customer metrics follow the
//! orders, completed AI tasks are charged. Every id is a function of the tenant,
//! the table and the row number, so children reference parents without the
//! loader keeping them in memory.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use bytes::Bytes;
use futures_util::SinkExt;
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sha2::Digest;
use tokio_postgres::Client;
use uuid::Uuid;

use crate::db::Target;
use crate::secrets::Sealer;

pub struct ScaleOptions {
    pub tenants: usize,
    /// The average number of rows a tenant gets, over all the loaded tables.
    pub rows_per_tenant: usize,
    /// The random generator's seed: the same seed loads the same rows.
    pub seed: u64,
    pub progress: bool,
    /// Record an audit entry per loaded row. Off, recording is switched off for
    /// every audited table while the rows load (both switches are entries on the
    /// platform chain): about four times faster, for scratch databases such as the
    /// benchmark's, never for one that others write to meanwhile.
    pub audit: bool,
}

pub struct ScaleReport {
    pub tenants: usize,
    pub rows: u64,
    pub elapsed: Duration,
    /// Rows loaded into each table, and how long its COPY took.
    pub per_table: Vec<(&'static str, u64, Duration)>,
}

impl ScaleReport {
    pub fn rows_per_second(&self) -> f64 {
        self.rows as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// One loaded table: its share of a tenant's rows and how to write one row.
#[derive(Clone, Copy)]
struct Table {
    name: &'static str,
    columns: &'static str,
    share: f64,
    /// Loaded after the tables its rows point at (foreign keys are checked per COPY).
    phase: u8,
}

const STORES: Table = Table {
    name: "commerce.stores",
    columns: "tenant_id, id, name, platform, store_url, credentials_sealed, credentials_key_id, sync_status",
    share: 0.0,
    phase: 0,
};
const CUSTOMERS: Table = Table {
    name: "commerce.customers",
    columns: "tenant_id, id, email, first_name, last_name, accepts_marketing, customer_segment, tags, churn_risk_score",
    share: 0.10,
    phase: 0,
};
const PRODUCTS: Table = Table {
    name: "commerce.products",
    columns: "tenant_id, id, store_id, external_id, sku, name, description, price, inventory_quantity, tags, status",
    share: 0.08,
    phase: 0,
};
const PROJECTS: Table = Table {
    name: "work.projects",
    columns: "tenant_id, id, name, description, status, priority, created_by, budget_allocated",
    share: 0.01,
    phase: 0,
};
const CONTENT: Table = Table {
    name: "content.content_projects",
    columns: "tenant_id, id, name, content_type, status, title, content, tags, seo_score, created_by",
    share: 0.05,
    phase: 0,
};
const AGENT_TASKS: Table = Table {
    name: "agents.tasks",
    columns:
        "tenant_id, id, type, category, name, status, priority, input, estimated_cost, actual_cost, created_by, tags",
    share: 0.12,
    phase: 0,
};
const ORDERS: Table = Table { name: "commerce.orders", columns: "tenant_id, id, store_id, customer_id, external_id, total_amount, subtotal_amount, status, order_date, line_items", share: 0.25, phase: 1 };
const WORK_TASKS: Table = Table { name: "work.tasks", columns: "tenant_id, id, project_id, parent_task_id, title, description, status, priority, estimated_hours, created_by, tags", share: 0.15, phase: 1 };
const EVENTS: Table = Table { name: "analytics.analytics_events", columns: "tenant_id, id, event_type, event_name, user_id, source, properties, revenue, product_id, customer_id, order_id, occurred_at", share: 0.24, phase: 2 };

const TABLES: [Table; 9] = [STORES, CUSTOMERS, PRODUCTS, PROJECTS, CONTENT, AGENT_TASKS, ORDERS, WORK_TASKS, EVENTS];

const WORDS: &[&str] = &[
    "account",
    "analytics",
    "api",
    "audit",
    "backlog",
    "billing",
    "budget",
    "cache",
    "campaign",
    "catalog",
    "checkout",
    "cloud",
    "compliance",
    "customer",
    "dashboard",
    "data",
    "delivery",
    "deploy",
    "design",
    "discount",
    "email",
    "export",
    "feature",
    "feedback",
    "gateway",
    "growth",
    "import",
    "integration",
    "inventory",
    "invoice",
    "launch",
    "login",
    "marketing",
    "metrics",
    "migration",
    "mobile",
    "newsletter",
    "onboarding",
    "order",
    "payment",
    "performance",
    "pipeline",
    "portal",
    "pricing",
    "privacy",
    "product",
    "refund",
    "release",
    "report",
    "review",
    "roadmap",
    "search",
    "security",
    "seo",
    "shipping",
    "signup",
    "storage",
    "subscription",
    "support",
    "sync",
    "team",
    "testing",
    "ticket",
    "upgrade",
    "warehouse",
    "webhook",
    "workflow",
    "zebra",
];

/// A tenant to fill: its place in the skew, its ids and how many rows it gets.
struct TenantPlan {
    index: usize,
    id: Uuid,
    owner: Uuid,
    rows: usize,
}

impl TenantPlan {
    fn count(&self, table: &Table) -> usize {
        if table.name == STORES.name {
            return 1;
        }
        let n = (self.rows as f64 * table.share).round() as usize;
        // Every tenant has one customer, product and project to point at.
        if [CUSTOMERS.name, PRODUCTS.name, PROJECTS.name].contains(&table.name) {
            n.max(1)
        } else {
            n
        }
    }

    /// The id of row `n` of `table` in this tenant.
    fn id(&self, table: &Table, n: usize) -> Uuid {
        let mut bytes = [0u8; 16];
        let key = format!("{}/{}/{}", self.id, table.name, n);
        bytes.copy_from_slice(&sha2::Sha256::digest(key.as_bytes())[..16]);
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }
}

pub async fn seed_scale(target: &Target, options: &ScaleOptions) -> Result<ScaleReport> {
    let started = Instant::now();
    let admin = target.connect_admin().await?;
    admin
        .query("SELECT analytics.ensure_partitions($1, 3, 3)", &[&target.clock.today()])
        .await
        .context("creating the analytics partitions (has `tenantbase migrate` run?)")?;
    let plans = create_tenants(&admin, options).await?;

    let total: u64 = plans.iter().map(|p| TABLES.iter().map(|t| p.count(t) as u64).sum::<u64>()).sum();
    let bar = if options.progress { ProgressBar::new(total) } else { ProgressBar::hidden() };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:40} {human_pos}/{human_len} rows ({per_sec}) {msg}",
        )
        .expect("a valid progress template"),
    );
    if options.progress {
        crate::progress::log_when_not_a_terminal(&bar);
    }

    if !options.audit {
        admin.query("SELECT audit.set_auditing(false)", &[]).await.context("switching auditing off for the load")?;
    }
    let loaded = load_tables(target, &plans, options, &bar).await;
    if !options.audit {
        admin
            .query("SELECT audit.set_auditing(true)", &[])
            .await
            .context("switching auditing back on after the load")?;
    }
    let per_table = loaded?;
    bar.finish_and_clear();
    admin.batch_execute("ANALYZE").await?;
    Ok(ScaleReport {
        tenants: plans.len(),
        rows: per_table.iter().map(|(_, n, _)| n).sum(),
        elapsed: started.elapsed(),
        per_table,
    })
}

/// Every table's rows, phase after phase (children after the parents they point at).
async fn load_tables(
    target: &Target,
    plans: &[TenantPlan],
    options: &ScaleOptions,
    bar: &ProgressBar,
) -> Result<Vec<(&'static str, u64, Duration)>> {
    let sealer = Sealer::throwaway();
    let mut per_table = Vec::new();
    for phase in 0..=2u8 {
        let tables: Vec<Table> = TABLES.iter().copied().filter(|t| t.phase == phase).collect();
        bar.set_message(tables.iter().map(|t| t.name).collect::<Vec<_>>().join(", "));
        // The tables of a phase load side by side, two connections at a time.
        for pair in tables.chunks(2) {
            let loads = pair.iter().map(|table| load_table(target, *table, plans, options.seed, &sealer, bar));
            for (table, (rows, took)) in pair.iter().zip(futures_util::future::try_join_all(loads).await?) {
                per_table.push((table.name, rows, took));
            }
        }
    }
    Ok(per_table)
}

/// Tenants and their owners, through the platform functions, with the credits to pay for their AI tasks.
async fn create_tenants(admin: &Client, options: &ScaleOptions) -> Result<Vec<TenantPlan>> {
    let run: String = {
        let mut rng = rand::thread_rng();
        (0..6).map(|_| char::from(b"0123456789abcdef"[rng.gen_range(0..16)])).collect()
    };
    let rows = admin
        .query(
            "SELECT g, platform.create_tenant('Scale tenant ' || g, ('scale-' || $1 || '-' || g)::citext, 'pro',
                                              platform.create_user(('owner' || g || '@' || $1 || '.scale.test')::citext,
                                                                   'Owner ' || g, NULL))
             FROM generate_series(1, $2::int) g",
            &[&run, &(options.tenants as i32)],
        )
        .await
        .context("creating the tenants")?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.get(1)).collect();
    // A statement's own functions' inserts are invisible to it: the credits come in a second one.
    let rows = admin
        .query(
            "UPDATE tenancy.tenants t SET credits_balance = 1000000000, monthly_credit_limit = 1000000000
             FROM unnest($1::uuid[]) WITH ORDINALITY AS created (id, g)
             WHERE t.id = created.id
             RETURNING created.g::int, t.id, t.created_by",
            &[&ids],
        )
        .await?;
    let mut created: Vec<(i32, Uuid, Uuid)> = rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect();
    created.sort();

    let harmonic: f64 = (1..=options.tenants).map(|i| 1.0 / i as f64).sum();
    let all_rows = (options.tenants * options.rows_per_tenant) as f64;
    Ok(created
        .into_iter()
        .enumerate()
        .map(|(index, (_, id, owner))| TenantPlan {
            index,
            id,
            owner,
            rows: ((all_rows / harmonic / (index + 1) as f64).round() as usize).max(10),
        })
        .collect())
}

/// Rows per COPY statement. Each COPY is a transaction of its own: rules that
/// update one row per loaded row (a tenant's credits) then stay cheap, since a
/// row updated many times within one transaction grows a chain of versions that
/// every further update walks.
const ROWS_PER_COPY: usize = 5_000;

/// COPY one table's rows for every tenant on a connection of its own.
async fn load_table(
    target: &Target,
    table: Table,
    plans: &[TenantPlan],
    seed: u64,
    sealer: &Sealer,
    bar: &ProgressBar,
) -> Result<(u64, Duration)> {
    let started = Instant::now();
    let client = target.connect_admin().await?;
    let mut batch = String::with_capacity(1 << 20);
    let (mut in_batch, mut loaded) = (0usize, 0u64);
    let now = target.clock.now();
    for plan in plans {
        let mut rng =
            StdRng::seed_from_u64(seed ^ (plan.index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ fxhash(table.name));
        for n in 0..plan.count(&table) {
            write_row(&mut batch, &table, plan, n, &mut rng, sealer, now);
            in_batch += 1;
            if in_batch == ROWS_PER_COPY {
                loaded += copy(&client, &table, std::mem::take(&mut batch)).await?;
                bar.inc(in_batch as u64);
                in_batch = 0;
            }
        }
    }
    if in_batch > 0 {
        loaded += copy(&client, &table, batch).await?;
        bar.inc(in_batch as u64);
    }
    Ok((loaded, started.elapsed()))
}

async fn copy(client: &Client, table: &Table, rows: String) -> Result<u64> {
    let sink = client
        .copy_in(&format!("COPY {} ({}) FROM STDIN", table.name, table.columns))
        .await
        .with_context(|| format!("starting COPY into {}", table.name))?;
    futures_util::pin_mut!(sink);
    sink.send(Bytes::from(rows)).await?;
    sink.finish().await.with_context(|| format!("loading {}", table.name))
}

fn fxhash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3))
}

fn words(rng: &mut StdRng, n: usize) -> String {
    (0..n).map(|_| WORDS[rng.gen_range(0..WORDS.len())]).collect::<Vec<_>>().join(" ")
}

fn money(rng: &mut StdRng, low: u32, high: u32) -> String {
    format!("{}.{:02}", rng.gen_range(low..high), rng.gen_range(0..100))
}

fn pick<'a>(rng: &mut StdRng, weighted: &[(&'a str, u32)]) -> &'a str {
    let total: u32 = weighted.iter().map(|(_, w)| w).sum();
    let mut roll = rng.gen_range(0..total);
    for (value, weight) in weighted {
        if roll < *weight {
            return value;
        }
        roll -= weight;
    }
    weighted[0].0
}

/// One row in COPY's text format; its times fall in the 60 days before `now`.
/// Generated text never holds a tab, newline or backslash.
fn write_row(
    out: &mut String,
    table: &Table,
    plan: &TenantPlan,
    n: usize,
    rng: &mut StdRng,
    sealer: &Sealer,
    now: chrono::DateTime<chrono::Utc>,
) {
    use std::fmt::Write;
    let (t, id, owner) = (plan.id, plan.id(table, n), plan.owner);
    let store = plan.id(&STORES, 0);
    let fields: Vec<String> = match table.name {
        "commerce.stores" => {
            let sealed = sealer.seal(t, id, format!("{{\"access_token\": \"scale-{}\"}}", rng.gen::<u64>()).as_bytes());
            vec![
                t.to_string(),
                id.to_string(),
                format!("Store {}", plan.index + 1),
                "shopify".into(),
                format!("https://store-{}.example.com", plan.index + 1),
                format!("\\\\x{}", hex::encode(sealed)),
                sealer.key_id().to_string(),
                "success".into(),
            ]
        }
        "commerce.customers" => vec![
            t.to_string(),
            id.to_string(),
            format!("customer{n}@tenant{}.example.com", plan.index + 1),
            words(rng, 1),
            words(rng, 1),
            rng.gen_bool(0.4).to_string(),
            pick(rng, &[("Regular", 6), ("VIP", 1), ("New", 3)]).into(),
            format!("{{{}}}", words(rng, 2).replace(' ', ",")),
            format!("0.{:02}", rng.gen_range(0..100)),
        ],
        "commerce.products" => vec![
            t.to_string(),
            id.to_string(),
            store.to_string(),
            format!("p{n}"),
            format!("SKU-{n:06}"),
            format!("{} {}", words(rng, 2), n),
            words(rng, 12),
            money(rng, 5, 400),
            rng.gen_range(0..500).to_string(),
            format!("{{{}}}", words(rng, 3).replace(' ', ",")),
            pick(rng, &[("active", 8), ("draft", 1), ("archived", 1)]).into(),
        ],
        "work.projects" => vec![
            t.to_string(),
            id.to_string(),
            format!("{} project {n}", words(rng, 2)),
            words(rng, 25),
            pick(rng, &[("execution", 5), ("planning", 2), ("design", 2), ("completed", 1)]).into(),
            pick(rng, &[("medium", 5), ("high", 3), ("low", 1), ("critical", 1)]).into(),
            owner.to_string(),
            money(rng, 1000, 200000),
        ],
        "content.content_projects" => {
            let status = pick(rng, &[("draft", 4), ("published", 3), ("review", 2), ("archived", 1)]);
            vec![
                t.to_string(),
                id.to_string(),
                format!("{} guide {n}", words(rng, 2)),
                pick(rng, &[("blog_post", 4), ("product_description", 3), ("social_post", 2), ("newsletter", 1)])
                    .into(),
                // A published row needs its publish date, which COPY leaves unset: published rows load as approved.
                if status == "published" { "approved".into() } else { status.into() },
                words(rng, 6),
                words(rng, 80),
                format!("{{{}}}", words(rng, 2).replace(' ', ",")),
                rng.gen_range(0..=100).to_string(),
                owner.to_string(),
            ]
        }
        "agents.tasks" => {
            let cost = rng.gen_range(1..10);
            let status =
                pick(rng, &[("completed", 30), ("pending", 40), ("processing", 10), ("failed", 10), ("queued", 10)]);
            vec![
                t.to_string(),
                id.to_string(),
                pick(rng, &[("content.write_blog_post", 4), ("order.process_batch", 3), ("customer_service.reply", 3)])
                    .into(),
                pick(rng, &[("content", 4), ("ecommerce", 3), ("customer_service", 3)]).into(),
                words(rng, 4),
                status.into(),
                rng.gen_range(1..=10).to_string(),
                format!("{{\"topic\": \"{}\", \"length\": {}}}", words(rng, 1), rng.gen_range(100..2000)),
                cost.to_string(),
                if status == "completed" { (cost + rng.gen_range(0..3)).to_string() } else { "\\N".into() },
                owner.to_string(),
                format!("{{{}}}", words(rng, 2).replace(' ', ",")),
            ]
        }
        "commerce.orders" => {
            let customers = plan.count(&CUSTOMERS);
            let total = money(rng, 10, 900);
            vec![
                t.to_string(),
                id.to_string(),
                store.to_string(),
                plan.id(&CUSTOMERS, rng.gen_range(0..customers)).to_string(),
                format!("o{n}"),
                total.clone(),
                total,
                pick(
                    rng,
                    &[
                        ("delivered", 50),
                        ("shipped", 15),
                        ("confirmed", 15),
                        ("pending", 8),
                        ("cancelled", 8),
                        ("refunded", 4),
                    ],
                )
                .into(),
                format!("{}", now - chrono::Duration::minutes(rng.gen_range(0..60 * 24 * 60))),
                format!("[{{\"sku\": \"SKU-{:06}\", \"quantity\": {}}}]", rng.gen_range(0..1000), rng.gen_range(1..4)),
            ]
        }
        "work.tasks" => {
            let projects = plan.count(&PROJECTS);
            // Every fifth task is a subtask of an earlier task of the same project.
            let parent = if n >= projects && n.is_multiple_of(5) {
                plan.id(table, n - projects).to_string()
            } else {
                "\\N".into()
            };
            vec![
                t.to_string(),
                id.to_string(),
                plan.id(&PROJECTS, n % projects).to_string(),
                parent,
                words(rng, 6),
                words(rng, 30),
                pick(rng, &[("pending", 4), ("in_progress", 3), ("completed", 3), ("blocked", 1)]).into(),
                pick(rng, &[("medium", 5), ("high", 3), ("low", 1), ("critical", 1)]).into(),
                rng.gen_range(1..80).to_string(),
                owner.to_string(),
                format!("{{{}}}", words(rng, 2).replace(' ', ",")),
            ]
        }
        _ => {
            let event = pick(rng, &[("page_view", 60), ("add_to_cart", 20), ("purchase", 10), ("signup", 10)]);
            let orders = plan.count(&ORDERS);
            let product = plan.id(&PRODUCTS, rng.gen_range(0..plan.count(&PRODUCTS))).to_string();
            let customer = plan.id(&CUSTOMERS, rng.gen_range(0..plan.count(&CUSTOMERS))).to_string();
            let (revenue, order) = if event == "purchase" && orders > 0 {
                (money(rng, 10, 900), plan.id(&ORDERS, rng.gen_range(0..orders)).to_string())
            } else {
                ("\\N".into(), "\\N".into())
            };
            vec![
                t.to_string(),
                id.to_string(),
                event.into(),
                event.replace('_', " "),
                owner.to_string(),
                "web".into(),
                format!(
                    "{{\"path\": \"/{}\", \"referrer\": \"{}\"}}",
                    words(rng, 1),
                    pick(rng, &[("search", 5), ("newsletter", 2), ("direct", 3)])
                ),
                revenue,
                product,
                customer,
                order,
                format!("{}", now - chrono::Duration::minutes(rng.gen_range(0..60 * 24 * 60))),
            ]
        }
    };
    let _ = writeln!(out, "{}", fields.join("\t"));
}
