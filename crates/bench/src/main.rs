//! tenantbase-bench: the benchmark's binary, which `tenantbase bench` runs with the same
//! database (TENANTBASE_DATA_DIR or DATABASE_URL).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;
use tenantbase::db::Target;
use tenantbase_bench::BenchOptions;

#[derive(Parser, Debug)]
#[command(
    name = "tenantbase bench",
    bin_name = "tenantbase bench",
    about = "Measure isolation's cost side by side on a skewed data set in a scratch database."
)]
struct Cli {
    /// Where the private PostgreSQL cluster lives (used when DATABASE_URL is not set).
    #[arg(long, env = "TENANTBASE_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Use this PostgreSQL server (a superuser URL) instead of the private cluster.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    #[command(flatten)]
    options: BenchOptions,
}

async fn run(cli: Cli) -> Result<()> {
    let data_dir = cli.data_dir.unwrap_or_else(tenantbase::db::cluster::default_data_dir);
    let target = Target::resolve(cli.database_url.as_deref(), &data_dir, false)?;
    let options = &cli.options;
    if options.neighbours_only {
        let n = tenantbase_bench::neighbours_only(&target, options).await?;
        println!(
            "alone p50 {:.0} us p99 {:.0} us; under the storm p50 {:.0} us p99 {:.0} us; p99 x{:.2}; storm {} done, {} x 409, {} x 429",
            n.alone.median_us, n.alone.p99_us, n.under_storm.median_us, n.under_storm.p99_us, n.ratio(),
            n.storm_ok, n.storm_conflicts, n.storm_busy
        );
        return Ok(());
    }
    let report = tenantbase_bench::run(&target, options).await?;
    report.write(&options.report_dir)?;
    if options.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!("{}\n{}{}", report.header(), report.tables(false), report.plans_text(false));
        println!("\nReport, JSON and plots in {}", options.report_dir.display());
    }
    Ok(())
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TENANTBASE_LOG").unwrap_or_else(|_| "tenantbase=info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let cli = Cli::parse();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", tenantbase::cli::error_message(&e));
            ExitCode::FAILURE
        }
    }
}
