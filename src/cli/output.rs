//! Standard output for commands whose output is piped: a reader that stops early
//! (`tenantbase attack --json | head`) ends the output, not the process with a panic.

use std::io::{ErrorKind, Write};

/// Writes `text` and a newline to stdout; a closed pipe is the reader's choice, not an error.
pub fn print(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// An error as the user reads it: the chain of contexts, and a database error as
/// its message alone (PostgreSQL's hints speak of its own settings, not of tenantbase's flags).
pub fn error_message(e: &anyhow::Error) -> String {
    let mut parts = Vec::new();
    for cause in e.chain() {
        if let Some(db) = cause.downcast_ref::<tokio_postgres::error::DbError>() {
            parts.push(format!("the database refused: {}", db.message()));
            break;
        }
        if let Some(pg) = cause.downcast_ref::<tokio_postgres::Error>() {
            if let Some(db) = pg.as_db_error() {
                parts.push(format!("the database refused: {}", db.message()));
                break;
            }
        }
        parts.push(cause.to_string());
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::error_message;

    #[test]
    fn an_error_reads_as_its_chain_of_contexts() {
        let e = anyhow::anyhow!("no such file").context("reading the key");
        assert_eq!(error_message(&e), "reading the key: no such file");
    }
}
