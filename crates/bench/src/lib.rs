//! `tenantbase bench`: isolation's cost, measured side by side in one run on a
//! skewed data set in a scratch database of the same server. Compared variants
//! are interleaved so that machine noise hits them alike; the claims are medians
//! and ratios, never single absolute times. Nothing here asserts a speed: the
//! targets are printed next to the ratios.

pub mod context;
pub mod cpu;
pub mod dataset;
pub mod growth;
pub mod http;
pub mod login;
pub mod measure;
pub mod neighbours;
pub mod pooler;
pub mod report;
pub mod rls;
pub mod slow;
pub mod transfer;
pub mod vectors;
pub mod workload;
pub mod writes;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use dataset::Scale;
use http::{Endpoint, Load};
use measure::Plan;
use report::{DatasetReport, Machine, Report};
use tenantbase::api::resources::{get_sql, list_sql, Resources};
use tenantbase::db::Target;
use workload::{API_LIST_SORT, API_RESOURCE, HOT_QUERIES};

/// The main data set's scratch database.
pub const SCRATCH_DATABASE: &str = "tenantbase_bench";

#[derive(clap::Args, Debug, Clone)]
pub struct BenchOptions {
    /// Tiny sizes and short phases: proves the benchmark works (CI); its numbers mean little.
    #[arg(long)]
    pub quick: bool,
    /// Print the report as JSON on stdout instead of tables.
    #[arg(long)]
    pub json: bool,
    /// Where report.md, report.json and the SVG plots go.
    #[arg(long, default_value = "bench-report")]
    pub report_dir: PathBuf,
    /// Tenants in the data set, loaded by `seed scale` [default: 1000, --quick: 20].
    #[arg(long)]
    pub tenants: Option<usize>,
    /// Average rows per tenant over all loaded tables, Zipf-skewed between tenants
    /// [default: 8000, which puts about 2,000,000 rows in commerce.orders; --quick: 500].
    #[arg(long)]
    pub rows_per_tenant: Option<usize>,
    /// Requests in flight in the throughput phases.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Seconds per throughput phase [default: 10, --quick: 1].
    #[arg(long)]
    pub phase_seconds: Option<u64>,
    /// Largest growth step, in rows [default: 10000000, --quick: 10000]; 0 skips growth.
    #[arg(long)]
    pub growth_max_rows: Option<u64>,
    /// Synthetic vectors for the similarity-search section, Zipf-skewed over 100 tenants
    /// [default: 1000000, --quick: 2000]; 0 skips it. Needs pgvector.
    #[arg(long)]
    pub vectors: Option<i64>,
    /// Queries per measured tenant in the similarity-search section [default: 100, --quick: 10].
    #[arg(long)]
    pub vector_queries: Option<usize>,
    /// Build the data set anew even when the scratch database already holds it.
    #[arg(long)]
    pub fresh: bool,
    /// Only the noisy-neighbour section (for repeats): one line of its figures, no report.
    #[arg(long)]
    pub neighbours_only: bool,
}

impl BenchOptions {
    fn scale(&self) -> Scale {
        Scale {
            tenants: self.tenants.unwrap_or(if self.quick { 20 } else { 1_000 }),
            rows_per_tenant: self.rows_per_tenant.unwrap_or(if self.quick { 500 } else { 8_000 }),
        }
    }

    fn latency_plan(&self) -> Plan {
        if self.quick {
            Plan { warmup_rounds: 3, min_rounds: 20, max_rounds: 60, budget: Duration::from_millis(400) }
        } else {
            Plan { warmup_rounds: 20, min_rounds: 100, max_rounds: 2_000, budget: Duration::from_secs(8) }
        }
    }

    fn load(&self) -> Load {
        Load {
            concurrency: self.concurrency.max(1),
            phase: Duration::from_secs(self.phase_seconds.unwrap_or(if self.quick { 1 } else { 10 })),
            rounds: if self.quick { 1 } else { 3 },
        }
    }

    /// Concurrent failed logins against the server's memory, and the login timing's rounds.
    fn flood(&self) -> login::Flood {
        if self.quick {
            let timing = Plan { warmup_rounds: 1, min_rounds: 5, max_rounds: 5, budget: Duration::ZERO };
            login::Flood { concurrency: 300, waves: 1, timing }
        } else {
            let timing = Plan { warmup_rounds: 3, min_rounds: 30, max_rounds: 100, budget: Duration::from_secs(15) };
            login::Flood { concurrency: 300, waves: 5, timing }
        }
    }

    fn vectors(&self) -> (i64, usize, usize) {
        let vectors = self.vectors.unwrap_or(if self.quick { 2_000 } else { 1_000_000 });
        let queries = self.vector_queries.unwrap_or(if self.quick { 10 } else { 100 });
        (vectors, if self.quick { 10 } else { 100 }, queries)
    }

    fn growth_max_rows(&self) -> u64 {
        self.growth_max_rows.unwrap_or(if self.quick { 10_000 } else { 10_000_000 })
    }

    /// The command line that reproduces this run.
    fn command(&self) -> String {
        let mut cmd = String::from("tenantbase bench");
        if self.quick {
            cmd += " --quick";
        }
        let scale = self.scale();
        cmd += &format!(
            " --tenants {} --rows-per-tenant {} --concurrency {}",
            scale.tenants,
            scale.rows_per_tenant,
            self.load().concurrency
        );
        cmd +=
            &format!(" --phase-seconds {} --growth-max-rows {}", self.load().phase.as_secs(), self.growth_max_rows());
        let (vectors, _, queries) = self.vectors();
        cmd += &format!(" --vectors {vectors} --vector-queries {queries}");
        cmd
    }
}

/// Only the noisy-neighbour section, on the same data set as a full run.
pub async fn neighbours_only(target: &Target, options: &BenchOptions) -> Result<neighbours::NeighboursReport> {
    let data = dataset::open(target, SCRATCH_DATABASE, options.scale(), options.fresh, &ProgressBar::hidden()).await?;
    neighbours::measure(&data, options.load().phase.max(Duration::from_secs(2))).await
}

/// Runs every section against `target`'s server and returns the report.
pub async fn run(target: &Target, options: &BenchOptions) -> Result<Report> {
    let started = Instant::now();
    let scale = options.scale();
    let plan = options.latency_plan();
    let load = options.load();
    let (growth_steps, growth_rows_per_tenant) = growth::steps(options.quick, options.growth_max_rows());
    let mut notes = Vec::new();

    let units = 1 + HOT_QUERIES.len() as u64 * 2 + 1 + 2 + 1 + 1 + 1 + 1 + 1 + growth_steps.len() as u64 + 1;
    let progress = ProgressBar::with_draw_target(Some(units), ProgressDrawTarget::stderr());
    progress.set_style(ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {wide_msg}")?);
    progress.enable_steady_tick(Duration::from_millis(200));
    tenantbase::progress::log_when_not_a_terminal(&progress);

    let loading = Instant::now();
    let data = dataset::open(target, SCRATCH_DATABASE, scale, options.fresh, &progress).await?;
    let load_seconds = loading.elapsed().as_secs_f64();
    progress.inc(1);

    let sides = rls::Sides::open(&data).await?;
    let (mut rls_rows, mut plans) = (Vec::new(), Vec::new());
    for tenant in &data.samples {
        let ctx = rls::ctx_of(tenant);
        for query in HOT_QUERIES {
            progress.set_message(format!("RLS cost: {} in the {} tenant", query.name, tenant.label));
            let row = rls::compare(&sides, &ctx, query, tenant, plan).await?;
            if !row.meets_target() {
                plans.push(rls::explain(&data, &ctx, query, tenant, &row).await?);
            }
            rls_rows.push(row);
            progress.inc(1);
        }
    }

    progress.set_message("context cost and round trips");
    let largest = &data.samples[0];
    let ctx = rls::ctx_of(largest);
    let context = context::measure(&data, &ctx, plan).await?;
    progress.inc(1);

    let resources = Resources::load(&data.target.app_db(1).await?).await?;
    let resource =
        resources.get(API_RESOURCE).map_err(|_| anyhow::anyhow!("the API serves no resource {API_RESOURCE}"))?;
    // One tenant against the database's ceiling: its share of the server is the whole pool
    // (the neighbours section measures the default share).
    let every_plan_whole_pool = format!("*={}", load.concurrency * 2);
    let server =
        http::Server::start(&data, load.concurrency * 2, &[("TENANTBASE_TENANT_IN_FLIGHT", &every_plan_whole_pool)])
            .await?;
    let token = http::session_token(&data, largest.owner).await?;
    let work_dir = options.report_dir.join("pgbench");
    let hidden = resource.hidden_keys();
    let hidden_literal = format!("'{{{}}}'::text[]", hidden.join(","));
    let signer = data.target.signer().await?;
    let tenant_literal = http::uuid_literal(largest.tenant_id);
    let ids = &largest.ids[resource.def.table];
    let ids = &ids[..ids.len().min(16)];
    let get = Endpoint {
        name: "get by id",
        paths: ids.iter().map(|id| format!("/v1/tenants/{}/{}/{id}", largest.tenant_id, resource.def.name)).collect(),
        scripts: ids
            .iter()
            .map(|id| {
                http::pgbench_script(
                    &ctx,
                    &signer,
                    &get_sql(resource.def.table),
                    &[tenant_literal.clone(), http::uuid_literal(*id), hidden_literal.clone()],
                )
            })
            .collect(),
    };
    let list = Endpoint {
        name: "list newest 50",
        paths: vec![format!("/v1/tenants/{}/{}?sort=-{API_LIST_SORT}", largest.tenant_id, resource.def.name)],
        scripts: vec![http::pgbench_script(
            &ctx,
            &signer,
            &list_sql(resource.def.table, API_LIST_SORT, true, "", 3),
            &[tenant_literal.clone(), hidden_literal.clone(), "51".to_string()],
        )],
    };
    let mut api_rows = Vec::new();
    for endpoint in [&get, &list] {
        progress.set_message(format!("API against pgbench: {}", endpoint.name));
        api_rows.push(http::compare(&server, &token, &data, endpoint, load, &work_dir).await?);
        progress.inc(1);
    }

    progress.set_message("writes");
    let writes = writes::measure(&server, &token, &data, &ctx, resource, load).await?;
    notes.extend(writes.note.clone());
    progress.inc(1);
    let server_peak_rss_mb = server.peak_rss_mb()?;
    server.stop().await?;

    progress.set_message("statements and PgBouncer");
    let pooler =
        pooler::measure(&data, &ctx, resource.def.table, ids, if options.quick { 200 } else { 2_000 }, load.phase)
            .await?;
    progress.inc(1);

    progress.set_message("logins under attack");
    let login = login::measure(&data, options.flood()).await?;
    progress.inc(1);

    progress.set_message("slow and idle clients");
    let slow_clients = slow::measure(&data, if options.quick { 200 } else { 1000 }).await?;
    progress.inc(1);

    progress.set_message("noisy neighbours");
    let neighbours = neighbours::measure(&data, load.phase.max(Duration::from_secs(2))).await?;
    progress.inc(1);

    progress.set_message("tenant export and import");
    let transfer = transfer::measure(target, &data).await?;
    progress.inc(1);

    let growth_rows = if growth_steps.is_empty() {
        notes.push("growth skipped (--growth-max-rows below the first step)".into());
        Vec::new()
    } else {
        growth::measure(target, &growth_steps, growth_rows_per_tenant, options.fresh, plan, &progress).await?
    };
    progress.set_message("similarity search");
    let (vector_count, vector_tenants, vector_queries) = options.vectors();
    let vectors = if vector_count == 0 {
        notes.push("similarity search skipped (--vectors 0)".into());
        None
    } else {
        let measured = vectors::measure(target, vector_count, vector_tenants, vector_queries, options.fresh).await?;
        if measured.is_none() {
            notes.push("SKIPPED similarity search: pgvector is not installed (scripts/install-pgvector.sh)".into());
        }
        measured
    };
    progress.inc(1);
    progress.finish_and_clear();

    let machine = machine(&data.target).await?;
    Ok(Report {
        command: options.command(),
        quick: options.quick,
        machine,
        dataset: DatasetReport {
            database: SCRATCH_DATABASE.into(),
            tenants: scale.tenants,
            rows_per_tenant: scale.rows_per_tenant,
            rows_per_table: data.table_rows.clone(),
            measured_tenants: data.samples.clone(),
            reused: data.reused,
            load_seconds,
        },
        rls: rls_rows,
        plans,
        context,
        api: api_rows,
        server_peak_rss_mb,
        writes: writes.rows,
        pooler,
        bulk_insert: writes.bulk,
        seal_lag: writes.seal_lag,
        login,
        slow_clients,
        neighbours,
        growth: growth_rows,
        transfer,
        vectors,
        notes,
        elapsed_seconds: started.elapsed().as_secs_f64(),
    })
}

async fn machine(target: &Target) -> Result<Machine> {
    let admin = target.connect_admin().await?;
    let postgres: String = admin.query_one("SELECT version()", &[]).await?.get(0);
    let shared_buffers: String = admin.query_one("SHOW shared_buffers", &[]).await?.get(0);
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory_kb: f64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .context("MemTotal missing from /proc/meminfo")?;
    Ok(Machine {
        cpus: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        cpu_model: cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name"))
            .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
            .unwrap_or_default(),
        memory_gib: memory_kb / 1024.0 / 1024.0,
        postgres: postgres.split(" on ").next().unwrap_or(&postgres).to_string(),
        shared_buffers,
        build: if cfg!(debug_assertions) { "debug" } else { "release" },
    })
}
