//! The attack's report: a matrix of objects × vectors (blocked / LEAK), then the
//! detail of every vector that did not come out blocked.

use std::fmt::Write;

use super::{Finding, Verdict};

/// The vector's family: `fk_foreign_parent(x)` counts as `fk_foreign_parent`.
fn family(vector: &str) -> &str {
    vector.split('(').next().unwrap_or(vector)
}

fn cell(verdicts: &[&Verdict]) -> &'static str {
    if verdicts.is_empty() {
        ""
    } else if verdicts.contains(&&Verdict::Leak) {
        "LEAK"
    } else if verdicts.contains(&&Verdict::Inconclusive) {
        "??"
    } else {
        "ok"
    }
}

/// The matrices (tenant tables, then views and functions), their legend and the
/// detail of each failure.
pub fn render(findings: &[Finding]) -> String {
    let (surface, tables): (Vec<&Finding>, Vec<&Finding>) =
        findings.iter().partition(|f| SURFACE_VECTORS.contains(&f.vector.as_str()));
    let mut out = String::from("ok = blocked, LEAK, ?? = inconclusive, blank = not applicable\n");
    out.push_str(&matrix("tenant tables", &tables));
    out.push_str(&matrix("views, functions, shared primitives and the pooled connection", &surface));
    let failures: Vec<&Finding> = findings.iter().filter(|f| f.verdict != Verdict::Blocked).collect();
    if !failures.is_empty() {
        out.push_str("\nnot blocked:\n");
        for f in failures {
            let _ = writeln!(out, "  {f}");
        }
    }
    out
}

const SURFACE_VECTORS: &[&str] = &["view_select", "function_call", "shared_primitive", "carried_state"];

fn matrix(title: &str, findings: &[&Finding]) -> String {
    let mut objects: Vec<&str> = Vec::new();
    let mut vectors: Vec<&str> = Vec::new();
    for f in findings {
        if !objects.contains(&f.table.as_str()) {
            objects.push(&f.table);
        }
        if !vectors.contains(&family(&f.vector)) {
            vectors.push(family(&f.vector));
        }
    }
    let mut out = format!("\n{title}: {} objects\n", objects.len());
    if objects.is_empty() {
        return out;
    }
    for (i, v) in vectors.iter().enumerate() {
        let _ = writeln!(out, "  {:>2} {v}", i + 1);
    }
    let width = objects.iter().map(|o| o.len()).max().unwrap_or(0).max(6);
    let _ = write!(out, "{:<width$}", "");
    for i in 1..=vectors.len() {
        let _ = write!(out, " {i:>4}");
    }
    out.push('\n');
    for object in &objects {
        let _ = write!(out, "{object:<width$}");
        for vector in &vectors {
            let verdicts: Vec<&Verdict> = findings
                .iter()
                .filter(|f| f.table == *object && family(&f.vector) == *vector)
                .map(|f| &f.verdict)
                .collect();
            let _ = write!(out, " {:>4}", cell(&verdicts));
        }
        out.push('\n');
    }
    out
}

/// One line: how many vectors, and how many leaked or could not be judged.
pub fn summary(findings: &[Finding]) -> String {
    let count = |v: Verdict| findings.iter().filter(|f| f.verdict == v).count();
    let objects: std::collections::HashSet<&str> = findings.iter().map(|f| f.table.as_str()).collect();
    format!(
        "tenantbase attack: {} vectors on {} objects: {} blocked, {} LEAK, {} inconclusive.",
        findings.len(),
        objects.len(),
        count(Verdict::Blocked),
        count(Verdict::Leak),
        count(Verdict::Inconclusive)
    )
}
