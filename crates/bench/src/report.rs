//! The results: one [`Report`], printed as a table, as JSON, and written to the
//! report folder as report.md, report.json and SVG plots (plotters' SVG backend:
//! text goes out as SVG text, so no font files are needed).

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;
use plotters::prelude::*;
use serde::Serialize;

use super::context::ContextReport;
use super::dataset::TenantSample;
use super::growth::GrowthRow;
use super::http::{ApiRow, RSS_TARGET_MB};
use super::login::{self, LoginReport};
use super::rls::{PlanPair, RlsRow};
use super::slow::SlowClientsReport;
use super::writes::{BulkInsert, SealLagReport, WriteRow};

#[derive(Clone, Debug, Serialize)]
pub struct Machine {
    pub cpus: usize,
    pub cpu_model: String,
    pub memory_gib: f64,
    pub postgres: String,
    pub shared_buffers: String,
    pub build: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct DatasetReport {
    pub database: String,
    pub tenants: usize,
    pub rows_per_tenant: usize,
    pub rows_per_table: Vec<(String, i64)>,
    pub measured_tenants: Vec<TenantSample>,
    pub reused: bool,
    pub load_seconds: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub command: String,
    pub quick: bool,
    pub machine: Machine,
    pub dataset: DatasetReport,
    pub rls: Vec<RlsRow>,
    pub plans: Vec<PlanPair>,
    pub context: ContextReport,
    pub api: Vec<ApiRow>,
    pub server_peak_rss_mb: f64,
    pub writes: Vec<WriteRow>,
    pub pooler: super::pooler::PoolerReport,
    pub bulk_insert: BulkInsert,
    pub seal_lag: SealLagReport,
    pub login: LoginReport,
    pub slow_clients: SlowClientsReport,
    pub neighbours: super::neighbours::NeighboursReport,
    pub growth: Vec<GrowthRow>,
    pub transfer: super::transfer::TransferReport,
    pub vectors: Option<super::vectors::VectorReport>,
    pub notes: Vec<String>,
    pub elapsed_seconds: f64,
}

/// A table as aligned text or as Markdown.
fn table(headers: &[&str], rows: &[Vec<String>], markdown: bool) -> String {
    let mut out = String::new();
    if markdown {
        let _ = writeln!(out, "| {} |", headers.join(" | "));
        let _ = writeln!(out, "|{}", headers.iter().map(|_| " --- |").collect::<String>());
        for row in rows {
            let _ = writeln!(out, "| {} |", row.join(" | "));
        }
        return out;
    }
    let widths: Vec<usize> = (0..headers.len())
        .map(|i| rows.iter().map(|r| r[i].chars().count()).chain([headers[i].len()]).max().unwrap_or(0))
        .collect();
    let line = |cells: Vec<&str>| {
        cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect::<Vec<_>>().join("  ").trim_end().to_string()
    };
    let _ = writeln!(out, "{}", line(headers.to_vec()));
    let _ = writeln!(
        out,
        "{}",
        line(widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().iter().map(String::as_str).collect())
    );
    for row in rows {
        let _ = writeln!(out, "{}", line(row.iter().map(String::as_str).collect()));
    }
    out
}

fn us(v: f64) -> String {
    if v >= 10_000.0 {
        format!("{:.1} ms", v / 1000.0)
    } else {
        format!("{v:.0} µs")
    }
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "ok"
    } else {
        "MISSES"
    }
}

impl Report {
    /// Every section's table; `markdown` for report.md and BENCHMARKS.md.
    pub fn tables(&self, markdown: bool) -> String {
        let mut out = String::new();
        let h = |out: &mut String, title: &str| {
            let _ = if markdown { writeln!(out, "\n### {title}\n") } else { writeln!(out, "\n== {title}\n") };
        };
        h(
            &mut out,
            "RLS cost: app under RLS / owner with explicit tenant_id, no RLS, same transaction path (target <= 1.10)",
        );
        let rows: Vec<Vec<String>> = self
            .rls
            .iter()
            .map(|r| {
                vec![
                    r.query.to_string(),
                    format!("{} ({} orders)", r.tenant, r.tenant_rows),
                    us(r.app.median_us),
                    us(r.owner_in_tx.median_us),
                    us(r.owner.median_us),
                    format!("{:.2}", r.ratio),
                    format!("{:.2}", r.with_context_ratio),
                    us(r.app.p99_us),
                    us(r.owner_in_tx.p99_us),
                    verdict(r.meets_target()).to_string(),
                ]
            })
            .collect();
        out += &table(
            &[
                "query",
                "tenant",
                "app p50",
                "owner p50",
                "owner bare p50",
                "ratio",
                "with context",
                "app p99",
                "owner p99",
                "target",
            ],
            &rows,
            markdown,
        );

        h(&mut out, "Context cost: tenant transaction / same statement without context");
        let c = &self.context;
        let vs_bare = |l: &super::measure::Latency| {
            format!(
                "ratio {:.2}, +{:.0} µs",
                l.median_us / c.without_context.median_us,
                l.median_us - c.without_context.median_us
            )
        };
        let mut rows = vec![
            vec![
                format!("`{}` alone, unnamed, no context", c.statement),
                us(c.without_context.median_us),
                String::new(),
            ],
            vec!["the same, prepared once and run by name".into(), us(c.prepared.median_us), vs_bare(&c.prepared)],
            vec![
                "in a tenant transaction (Db::tenant_query)".into(),
                us(c.with_context.median_us),
                vs_bare(&c.with_context),
            ],
            vec![
                "BEGIN + statement + COMMIT, no settings".into(),
                us(c.transaction_only.median_us),
                vs_bare(&c.transaction_only),
            ],
            vec![
                "BEGIN + signed context, no reset + statement + COMMIT".into(),
                us(c.context_without_reset.median_us),
                format!("{}; the reset adds {:+.0} µs", vs_bare(&c.context_without_reset), c.reset_us),
            ],
        ];
        match &c.round_trips {
            Some(rt) => {
                rows.push(vec!["round trips: statement alone".into(), rt.bare_statement.to_string(), String::new()]);
                rows.push(vec![
                    "round trips: tenant_query (context + statement + commit)".into(),
                    rt.tenant_query.to_string(),
                    format!("context adds {}", rt.tenant_query as i64 - rt.bare_statement as i64),
                ]);
                rows.push(vec![
                    "round trips: TenantTx, 2 statements + commit".into(),
                    rt.tenant_tx_two_statements_and_commit.to_string(),
                    format!("context adds {}", rt.tenant_tx_two_statements_and_commit as i64 - 3),
                ]);
            }
            None => {
                rows.push(vec!["round trips".into(), c.round_trips_note.clone().unwrap_or_default(), String::new()])
            }
        }
        let v = &c.verification;
        rows.push(vec![
            "`tenancy.current_tenant_id()`, verifying the signed context".into(),
            us(v.verified.median_us),
            format!(
                "+{:.0} µs per verification (ratio {:.2} against the setting read unverified, {})",
                v.added_us,
                v.verified.median_us / v.unverified.median_us,
                us(v.unverified.median_us)
            ),
        ]);
        out += &table(&["measure", "median", "against the statement alone"], &rows, markdown);

        h(&mut out, "API / pgbench, same SQL, same concurrency (target >= 0.5)");
        let rows: Vec<Vec<String>> = self
            .api
            .iter()
            .map(|r| {
                vec![
                    r.endpoint.to_string(),
                    r.concurrency.to_string(),
                    format!("{:.0}", r.api.requests_per_s),
                    format!("{:.0}", r.pgbench.requests_per_s),
                    format!("{:.2}", r.ratio),
                    format!("{} / {}", us(r.api.p50_us), us(r.api.p99_us)),
                    format!("{} / {}", us(r.pgbench.p50_us), us(r.pgbench.p99_us)),
                    verdict(r.meets_target()).to_string(),
                ]
            })
            .collect();
        out += &table(
            &[
                "request",
                "clients",
                "API req/s",
                "pgbench req/s",
                "ratio",
                "API p50 / p99",
                "pgbench p50 / p99",
                "target",
            ],
            &rows,
            markdown,
        );
        let _ = writeln!(
            out,
            "\nCPU per request (µs: load generator + API server + PostgreSQL; all share the same cores):\n"
        );
        let rows: Vec<Vec<String>> = self
            .api
            .iter()
            .flat_map(|r| [(r.endpoint, "API", &r.api), (r.endpoint, "pgbench", &r.pgbench)])
            .map(|(endpoint, side, t)| {
                vec![
                    format!("{endpoint} · {side}"),
                    format!("{:.0}", t.cpu.client_us),
                    format!("{:.0}", t.cpu.server_us),
                    t.cpu.database_us.map(|v| format!("{v:.0}")).unwrap_or_else(|| "n/a".into()),
                    format!("{:.0}", t.cpu.total_us()),
                ]
            })
            .collect();
        out += &table(&["request · side", "client", "server", "database", "total"], &rows, markdown);
        let _ = writeln!(
            out,
            "\nServer peak RSS (VmHWM): {:.1} MB (target <= {RSS_TARGET_MB} MB: {})",
            self.server_peak_rss_mb,
            verdict(self.server_peak_rss_mb <= RSS_TARGET_MB)
        );

        h(&mut out, "Writes: inserts/s through the API and through the database layer");
        let rows: Vec<Vec<String>> = self
            .writes
            .iter()
            .map(|w| {
                vec![
                    w.tenants.clone(),
                    w.auditing.clone(),
                    format!("{:.0}", w.api.requests_per_s),
                    format!("{:.0}", w.db.requests_per_s),
                    format!("{:.2}", w.ratio),
                    format!("{} / {}", us(w.api.p50_us), us(w.api.p99_us)),
                    format!("{} / {}", us(w.db.p50_us), us(w.db.p99_us)),
                ]
            })
            .collect();
        out += &table(
            &[
                "clients in",
                "auditing",
                "API inserts/s",
                "TenantTx inserts/s",
                "API / db",
                "API p50 / p99",
                "db p50 / p99",
            ],
            &rows,
            markdown,
        );
        // The trail's cost: inserts/s with it over without it, per side (target >= 0.8).
        for tenants in self.writes.iter().map(|w| &w.tenants).collect::<std::collections::BTreeSet<_>>() {
            let side = |auditing: &str| self.writes.iter().find(|w| &w.tenants == tenants && w.auditing == auditing);
            if let (Some(with), Some(without)) = (side("with audit"), side("without audit")) {
                let (api, db) = (
                    with.api.requests_per_s / without.api.requests_per_s,
                    with.db.requests_per_s / without.db.requests_per_s,
                );
                let _ = writeln!(
                    out,
                    "\nWith the trail / without it, clients in {tenants}: API {api:.2}, TenantTx {db:.2} (target >= 0.8: {})",
                    verdict(api >= 0.8 && db >= 0.8)
                );
            }
        }
        let b = &self.bulk_insert;
        if let (Some(with), Some(without)) = (&b.with_audit, &b.without_audit) {
            let _ = writeln!(
                out,
                "\nOne INSERT of {} rows (median of {}): {} with the trail, {} without: {:.2}x (target <= 2: {})",
                b.rows,
                with.samples,
                us(with.median_us),
                us(without.median_us),
                b.ratio,
                verdict(b.ratio <= 2.0)
            );
        }
        let t = &self.transfer;
        let _ = writeln!(
            out,
            "\nTenant export and import (the largest tenant, {} rows in {} tables, into a new database as a new tenant): \
             export {:.0} rows/s, import {:.0} rows/s, verification and every constraint included (target >= 100,000: {})",
            t.rows,
            t.tables,
            t.export_rows_per_s(),
            t.import_rows_per_s(),
            verdict(t.import_rows_per_s() >= 100_000.0)
        );
        let lag = &self.seal_lag;
        if lag.samples > 0 {
            let _ = writeln!(
                out,
                "\nSealing lag (age of the oldest unsealed entry, {} samples while the audited writes ran): \
                 p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms (target p99 <= 1000 ms: {})",
                lag.samples,
                lag.p50_ms,
                lag.p99_ms,
                lag.max_ms,
                verdict(lag.p99_ms <= 1000.0)
            );
        }

        let l = &self.login;
        h(
            &mut out,
            &format!(
                "Logins under attack: {} × {} concurrent failed logins, each from its own address",
                l.waves, l.concurrency
            ),
        );
        let answers = l.answers.iter().map(|(status, n)| format!("{n} × {status}")).collect::<Vec<_>>().join(", ");
        let rows = vec![
            vec!["server RSS before".into(), format!("{:.1} MB", l.rss_before_mb), String::new()],
            vec![
                "server peak RSS (VmHWM)".into(),
                format!("{:.1} MB", l.peak_rss_mb),
                format!("target <= {} MB: {}", login::RSS_TARGET_MB, verdict(l.peak_rss_mb <= login::RSS_TARGET_MB)),
            ],
            vec!["server RSS after".into(), format!("{:.1} MB", l.rss_after_mb), String::new()],
            vec!["answers".into(), answers, format!("{} hashing threads", l.hashing_threads)],
            vec![
                "then a login and a request".into(),
                if l.serves_afterwards { "200, 200" } else { "FAILED" }.into(),
                verdict(l.serves_afterwards).into(),
            ],
        ];
        out += &table(&["measure", "value", ""], &rows, markdown);
        let _ = writeln!(
            out,
            "\nA failed login's time (medians of interleaved samples; slowest / fastest {:.3}, target <= {}: {}):\n",
            l.timing_spread,
            login::TIMING_TARGET,
            verdict(l.meets_timing_target())
        );
        let rows: Vec<Vec<String>> = [
            ("unknown email", &l.unknown),
            ("account without a password", &l.pending),
            ("known email, wrong password", &l.known),
        ]
        .iter()
        .map(|(what, latency)| {
            vec![what.to_string(), us(latency.median_us), us(latency.p99_us), latency.samples.to_string()]
        })
        .collect();
        out += &table(&["email", "median", "p99", "samples"], &rows, markdown);

        let s = &self.slow_clients;
        h(
            &mut out,
            &format!(
                "Slow and idle clients: {} connections sending half their headers or nothing, header timeout {} s",
                s.connections, s.header_timeout_s
            ),
        );
        let rows = vec![
            vec![
                "closed by the server".into(),
                format!("{} of {}", s.closed, s.connections),
                verdict(s.closed == s.connections).into(),
            ],
            vec!["the last one closed after".into(), format!("{:.1} s", s.last_closed_after_s), String::new()],
            vec![
                "then a request".into(),
                if s.serves_afterwards { "200" } else { "FAILED" }.into(),
                verdict(s.meets_target()).into(),
            ],
        ];
        out += &table(&["measure", "value", ""], &rows, markdown);

        let p = &self.pooler;
        h(
            &mut out,
            &format!("Statements and PgBouncer (transaction mode): `{}` in its own tenant transaction", p.statement),
        );
        let rows = vec![
            vec!["named, cached (one connection, direct) p50".into(), us(p.named_median_us)],
            vec!["unnamed, query_typed (one connection, direct) p50".into(), us(p.unnamed_median_us)],
            vec![format!("pool, {} clients, direct", p.clients), format!("{:.0}/s", p.direct_per_second)],
            vec![
                format!("pool, {} clients, PgBouncer with {} server connections", p.clients, p.server_connections),
                format!("{:.0}/s", p.pgbouncer_per_second),
            ],
        ];
        out += &table(&["measure", "value"], &rows, markdown);
        let n = &self.neighbours;
        h(
            &mut out,
            &format!(
                "Noisy neighbours: another tenant's list of orders while {} clients of one tenant change one order (pool {})",
                n.storm_clients, n.pool_size
            ),
        );
        let rows = vec![
            vec!["alone".into(), us(n.alone.median_us), us(n.alone.p99_us), n.alone.samples.to_string(), String::new()],
            vec![
                "under the storm".into(),
                us(n.under_storm.median_us),
                us(n.under_storm.p99_us),
                n.under_storm.samples.to_string(),
                format!(
                    "p99 x{:.2} (target <= {}) {}",
                    n.ratio(),
                    super::neighbours::TARGET_RATIO,
                    verdict(n.meets_target())
                ),
            ],
            vec![
                "the storm's answers".into(),
                format!("{} done", n.storm_ok),
                format!("{} x 409", n.storm_conflicts),
                format!("{} x 429", n.storm_busy),
                String::new(),
            ],
        ];
        out += &table(&["quiet tenant", "median", "p99", "samples", ""], &rows, markdown);

        h(&mut out, "Growth: latency as tenants and rows grow");
        let rows: Vec<Vec<String>> = self
            .growth
            .iter()
            .map(|g| {
                vec![
                    g.tenants.to_string(),
                    g.rows.to_string(),
                    g.table_rows.to_string(),
                    g.query.to_string(),
                    format!("{} ({} orders)", g.tenant, g.tenant_rows),
                    us(g.app.median_us),
                    us(g.owner.median_us),
                    format!("{:.2}", g.ratio),
                ]
            })
            .collect();
        out += &table(
            &["tenants", "rows, all tables", "orders", "query", "tenant", "app p50", "owner p50", "ratio"],
            &rows,
            markdown,
        );

        if let Some(v) = &self.vectors {
            h(
                &mut out,
                &format!(
                    "Similarity search: {} vectors of {} dimensions over {} tenants; recall@10 against exact search (target >= 0.95)",
                    v.vectors, v.dimension, v.tenants
                ),
            );
            let rows: Vec<Vec<String>> = v
                .rows
                .iter()
                .map(|r| {
                    vec![
                        format!("{} ({} vectors)", r.tenant, r.tenant_vectors),
                        format!("{:.3}", r.recall_at_10),
                        us(r.search.median_us),
                        us(r.search.p99_us),
                        us(r.exact.median_us),
                        r.queries.to_string(),
                        verdict(r.recall_at_10 >= 0.95).to_string(),
                    ]
                })
                .collect();
            out += &table(
                &["tenant", "recall@10", "search p50", "search p99", "exact p50", "queries", ""],
                &rows,
                markdown,
            );
        }

        if !self.notes.is_empty() {
            h(&mut out, "Notes");
            for note in &self.notes {
                let _ = writeln!(out, "- {note}");
            }
        }
        out
    }

    /// The plans of every ratio that missed.
    pub fn plans_text(&self, markdown: bool) -> String {
        let mut out = String::new();
        for p in &self.plans {
            let fence = if markdown { "```\n" } else { "" };
            let _ = writeln!(
                out,
                "\n{}{} in the {} tenant missed (ratio {:.2})\n\napp under RLS:\n{fence}{}\n{fence}\nowner, no RLS:\n{fence}{}\n{fence}",
                if markdown { "#### " } else { "-- " },
                p.query,
                p.tenant,
                p.ratio,
                p.app_plan,
                p.owner_plan
            );
        }
        out
    }

    pub fn header(&self) -> String {
        let m = &self.machine;
        let d = &self.dataset;
        format!(
            "tenantbase bench{}: {} CPUs ({}), {:.0} GiB, {}, shared_buffers {}, {} build\n\
             data set {} (seed scale): {} tenants, {}; measured in the largest tenant ({} orders) and the median one ({} orders){}",
            if self.quick { " --quick (tiny sizes: proves it works, quotes nothing)" } else { "" },
            m.cpus,
            m.cpu_model,
            m.memory_gib,
            m.postgres,
            m.shared_buffers,
            m.build,
            d.database,
            d.tenants,
            d.rows_per_table.iter().take(4).map(|(t, n)| format!("{n} rows in {t}")).collect::<Vec<_>>().join(", ") + ", ...",
            d.measured_tenants.first().map(|t| t.rows).unwrap_or(0),
            d.measured_tenants.get(1).map(|t| t.rows).unwrap_or(0),
            if d.reused { " (reused from an earlier run)" } else { "" },
        )
    }

    /// report.md, report.json and the plots in `dir`.
    pub fn write(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join("report.json"), serde_json::to_string_pretty(self)? + "\n")?;
        self.plot_rls(&dir.join("rls.svg"))?;
        self.plot_api(&dir.join("api.svg"))?;
        for label in ["largest", "median"] {
            self.plot_growth(&dir.join(format!("growth-{label}.svg")), label)?;
        }
        let mut md = String::new();
        let _ = writeln!(md, "# tenantbase bench\n\n`{}`\n\n{}\n", self.command, self.header().replace('\n', "\n\n"));
        md += "![RLS ratios](rls.svg)\n\n![API against pgbench](api.svg)\n\n![Growth, largest tenant](growth-largest.svg)\n\n![Growth, median tenant](growth-median.svg)\n";
        md += &self.tables(true);
        if !self.plans.is_empty() {
            md += "\n### Plans of the ratios that missed\n";
            md += &self.plans_text(true);
        }
        let _ = writeln!(md, "\nRun time: {:.0} s.", self.elapsed_seconds);
        std::fs::write(dir.join("report.md"), md)?;
        Ok(())
    }

    fn plot_rls(&self, path: &Path) -> Result<()> {
        let bars: Vec<Bar> = self
            .rls
            .iter()
            .map(|r| Bar {
                label: format!("{} · {} tenant: {:.2}", r.query, r.tenant, r.ratio),
                value: r.ratio,
                series: usize::from(r.tenant != "largest"),
            })
            .collect();
        horizontal_bars(
            path,
            "RLS cost: app under RLS / owner without RLS, same transaction (median latency)",
            "ratio",
            &bars,
            Some((super::rls::TARGET, "target 1.10")),
        )
    }

    fn plot_api(&self, path: &Path) -> Result<()> {
        let bars: Vec<Bar> = self
            .api
            .iter()
            .flat_map(|r| {
                [
                    Bar {
                        label: format!("{} · API: {:.0}/s", r.endpoint, r.api.requests_per_s),
                        value: r.api.requests_per_s,
                        series: 0,
                    },
                    Bar {
                        label: format!(
                            "{} · pgbench: {:.0}/s (ratio {:.2})",
                            r.endpoint, r.pgbench.requests_per_s, r.ratio
                        ),
                        value: r.pgbench.requests_per_s,
                        series: 1,
                    },
                ]
            })
            .collect();
        let clients = self.api.first().map(|r| r.concurrency).unwrap_or(0);
        horizontal_bars(
            path,
            &format!("Requests per second at {clients} clients: API against pgbench, same SQL"),
            "requests/s",
            &bars,
            None,
        )
    }

    fn plot_growth(&self, path: &Path, tenant: &str) -> Result<()> {
        let mut series: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
        for g in self.growth.iter().filter(|g| g.tenant == tenant) {
            for (side, latency) in [("app, RLS", g.app.median_us), ("owner, no RLS", g.owner.median_us)] {
                let name = format!("{} · {side}", g.query);
                let point = (g.rows as f64, latency);
                match series.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, points)) => points.push(point),
                    None => series.push((name, vec![point])),
                }
            }
        }
        let steps: Vec<(f64, String)> = self
            .growth
            .iter()
            .filter(|g| g.tenant == tenant && g.query == self.growth[0].query)
            .map(|g| (g.rows as f64, format!("{} tenants", g.tenants)))
            .collect();
        line_chart(
            path,
            &format!("Growth: median latency in the {tenant} tenant as tenants and rows grow tenfold"),
            &series,
            &steps,
        )
    }
}

const COLORS: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
];

struct Bar {
    label: String,
    value: f64,
    series: usize,
}

fn horizontal_bars(path: &Path, title: &str, x_desc: &str, bars: &[Bar], target: Option<(f64, &str)>) -> Result<()> {
    let n = bars.len().max(1);
    let height = 90 + 26 * n as u32;
    let root = SVGBackend::new(path, (960, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    let max = bars.iter().map(|b| finite(b.value)).chain(target.map(|t| t.0)).fold(0.0, f64::max).max(1e-9) * 1.05;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(4)
        .build_cartesian_2d(0f64..max, 0f64..n as f64)?;
    chart.configure_mesh().y_labels(0).disable_y_mesh().x_desc(x_desc).draw()?;
    for (i, bar) in bars.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        let color = COLORS[bar.series % COLORS.len()];
        chart.draw_series(std::iter::once(Rectangle::new(
            [(0.0, y + 0.12), (finite(bar.value), y + 0.88)],
            color.mix(0.35).filled(),
        )))?;
        chart.draw_series(std::iter::once(Text::new(
            bar.label.clone(),
            (max * 0.005, y + 0.72),
            ("sans-serif", 13).into_font(),
        )))?;
    }
    if let Some((value, label)) = target {
        chart.draw_series(LineSeries::new(vec![(value, 0.0), (value, n as f64)], COLORS[3].stroke_width(2)))?;
        chart.draw_series(std::iter::once(Text::new(
            label.to_string(),
            (value, n as f64),
            ("sans-serif", 12).into_font().color(&COLORS[3]),
        )))?;
    }
    root.present()?;
    Ok(())
}

/// Lines on log-log axes; `marks` label points of the x axis (the growth steps).
fn line_chart(path: &Path, title: &str, series: &[(String, Vec<(f64, f64)>)], marks: &[(f64, String)]) -> Result<()> {
    let root = SVGBackend::new(path, (960, 540)).into_drawing_area();
    root.fill(&WHITE)?;
    let points = || series.iter().flat_map(|(_, p)| p.iter()).filter(|(x, y)| *x > 0.0 && *y > 0.0);
    let (x_min, x_max) = points().fold((f64::MAX, f64::MIN), |(lo, hi), (x, _)| (lo.min(*x), hi.max(*x)));
    let (y_min, y_max) = points().fold((f64::MAX, f64::MIN), |(lo, hi), (_, y)| (lo.min(*y), hi.max(*y)));
    let (x_min, x_max, y_min, y_max) =
        if x_min <= x_max { (x_min / 2.0, x_max * 2.0, y_min / 2.0, y_max * 2.0) } else { (1.0, 10.0, 1.0, 10.0) };
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d((x_min..x_max).log_scale(), (y_min..y_max).log_scale())?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .x_desc("rows over all tables and tenants (tenants grow tenfold with them)")
        .y_desc("median latency, µs")
        .x_label_formatter(&|x| human(*x))
        .y_label_formatter(&|y| human(*y))
        .draw()?;
    for (i, (name, points)) in series.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        chart
            .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?
            .label(name.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
        chart.draw_series(points.iter().map(|p| Circle::new(*p, 3, color.filled())))?;
    }
    for (x, label) in marks {
        chart.draw_series(std::iter::once(Text::new(
            label.clone(),
            (*x, y_min * 1.15),
            ("sans-serif", 12).into_font(),
        )))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(())
}

fn human(v: f64) -> String {
    match v {
        v if v >= 1e6 => format!("{}M", trim(v / 1e6)),
        v if v >= 1e3 => format!("{}k", trim(v / 1e3)),
        v => trim(v),
    }
}

fn trim(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}
