//! The docs' shell steps, run exactly as written: a newcomer follows them to the letter.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The fenced `sh` blocks of a Markdown file, as written (indentation of a list item removed).
fn shell_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, Vec<String>)> = None;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        match &mut current {
            None if trimmed == "```sh" => current = Some((indent, Vec::new())),
            Some((_, lines)) if trimmed == "```" => {
                blocks.push(lines.join("\n"));
                current = None;
            }
            Some((indent, lines)) => lines.push(line.get(*indent..).unwrap_or("").to_string()),
            None => {}
        }
    }
    blocks
}

/// Stops the doc's cluster however the test ends.
struct StopOnDrop(PathBuf);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        let _ = Command::new(env!("CARGO_BIN_EXE_tenantbase"))
            .args(["db", "stop"])
            .env("TENANTBASE_DATA_DIR", &self.0)
            .output();
    }
}

#[test]
fn acting_as_a_tenant_runs_as_written() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/acting-as-a-tenant.md")).unwrap();
    let blocks = shell_blocks(&doc);
    assert_eq!(blocks.len(), 5, "the doc's shell steps: {blocks:#?}");

    let dir = tempfile::Builder::new().prefix("tenantbase-docs-").tempdir().unwrap();
    let data = dir.path().join("data");
    let _stop = StopOnDrop(data.clone());
    // `tenantbase` on PATH, as README's first hour puts it; run from outside the checkout.
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_tenantbase")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let outputs: Vec<String> = blocks
        .iter()
        .map(|block| {
            let out = Command::new("bash")
                .args(["-euo", "pipefail", "-c", block])
                .current_dir(dir.path())
                .env("PATH", &path)
                .env("TENANTBASE_DATA_DIR", &data)
                .env_remove("DATABASE_URL")
                .env_remove("TENANTBASE_CONTEXT_KEY")
                .output()
                .unwrap();
            let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            assert!(out.status.success(), "the step\n{block}\nfailed:\n{text}");
            text
        })
        .collect();

    assert!(outputs[0].contains("user=tenantbase_app"), "step 1 prints the app role's URL: {}", outputs[0]);
    assert!(outputs[1].contains("acme") && outputs[1].contains("alice@acme.com"), "step 2: {}", outputs[1]);
    assert!(outputs[2].starts_with("BEGIN; SET LOCAL app.context = 'v2."), "step 3: {}", outputs[2]);
    // psql's own lines, without the rule under a column's name.
    let lines = |text: &str| -> Vec<String> {
        text.lines().map(str::trim).filter(|l| !l.starts_with("--")).map(str::to_string).collect()
    };
    assert_eq!(
        lines(&outputs[3]),
        ["BEGIN", "SET", "name", "Acme Corporation", "(1 row)", "", "COMMIT"],
        "step 3 sees its own tenant only"
    );
    assert_eq!(lines(&outputs[4]), ["count", "0", "(1 row)", ""], "step 4 sees no row");
}
