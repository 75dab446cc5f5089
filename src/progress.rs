//! Progress of long work: loading millions of rows, benchmarks, walking the
//! audit trail. indicatif draws its bars only on a terminal; where stderr is a
//! log (CI, `nohup`), the same bar is reported as a line now and then instead.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::ProgressBar;

const LOG_EVERY: Duration = Duration::from_secs(30);

/// Logs `bar` to stderr every 30 s until it finishes, when stderr is not a terminal.
pub fn log_when_not_a_terminal(bar: &ProgressBar) {
    if std::io::stderr().is_terminal() {
        return;
    }
    let bar = bar.clone();
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(LOG_EVERY);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            if bar.is_finished() {
                break;
            }
            let done = match bar.length() {
                Some(length) => format!("{}/{length}", bar.position()),
                None => bar.position().to_string(),
            };
            eprintln!("[{:>5} s] {done} {}", bar.elapsed().as_secs(), bar.message());
        }
    });
}
