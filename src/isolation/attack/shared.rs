//! What every tenant shares, attacked as A: the database's own primitives, the
//! policies' shape, and the pooled connection the server hands from one request
//! to the next.

use anyhow::Result;
use tokio_postgres::{Client, Config};

use super::{begin, code, describe, quote, Actors, Finding, Verdict};
use crate::db::{connect, Db, Signer, TenantCtx};
use crate::isolation::catalog::TenantTable;

/// Built-ins whose effect crosses sessions, so tenants: each must be refused to the
/// app role (`tenantbase migrate` withholds them from PUBLIC, the database's TEMP
/// and CREATE privileges are not granted).
const SHARED_PRIMITIVES: &[(&str, &str)] = &[
    ("advisory_lock", "SELECT pg_advisory_lock(7)"),
    ("advisory_xact_lock", "SELECT pg_try_advisory_xact_lock(7)"),
    ("advisory_unlock_all", "SELECT pg_advisory_unlock_all()"),
    ("terminate_backend", "SELECT pg_terminate_backend(0)"),
    ("cancel_backend", "SELECT pg_cancel_backend(0)"),
    ("large_object", "SELECT lo_create(0)"),
    ("temporary_table", "CREATE TEMPORARY TABLE tenantbase_attack_probe (x int)"),
    ("create_in_public", "CREATE TABLE public.tenantbase_attack_probe (x int)"),
    ("other_sessions_sql", "SELECT count(query) FROM pg_stat_activity"),
    ("table_row_counters", "SELECT n_live_tup FROM pg_stat_user_tables"),
    ("table_sizes", "SELECT pg_total_relation_size('tenancy.memberships')"),
    ("set_role", "SET ROLE tenantbase_platform"),
    ("set_role_setting", "SELECT set_config('role', 'tenantbase_platform', true)"),
];

/// On a connection the app role logged in with: what a role may do can depend on
/// who logged in (a superuser's session may SET ROLE to anyone).
pub(super) async fn primitives(app: &Config, signer: &Signer, actors: Actors, out: &mut Vec<Finding>) -> Result<()> {
    let app = connect(app).await?;
    let begin = begin(signer, actors.tenant_a, Some(actors.owner_a));
    for (name, sql) in SHARED_PRIMITIVES {
        app.batch_execute(&begin).await?;
        let result = app.batch_execute(sql).await;
        app.batch_execute("ROLLBACK").await?;
        let finding = |verdict, detail: String| Finding {
            table: format!("database: {name}"),
            vector: "shared_primitive".into(),
            verdict,
            detail,
        };
        out.push(match result {
            Err(e) if code(&e) == "42501" => finding(Verdict::Blocked, describe(&e)),
            Err(e) => finding(Verdict::Inconclusive, format!("{sql}: refused for another reason: {}", describe(&e))),
            Ok(_) => finding(Verdict::Leak, format!("{sql}: the app role may use it, and every tenant shares it")),
        });
    }
    Ok(())
}

/// Every policy of every tenant table must hold `<tenant column> = (SELECT
/// tenancy.current_tenant_id())` as a top-level conjunct: anything OR-ed with
/// it, or nested below it, can open another tenant's rows.
pub(super) async fn policies(admin: &Client, tables: &[TenantTable], out: &mut Vec<Finding>) -> Result<()> {
    for table in tables.iter().filter(|t| !t.is_partition) {
        let rows = admin
            .query(
                "SELECT polname::text, pg_get_expr(polqual, polrelid), pg_get_expr(polwithcheck, polrelid)
                 FROM pg_policy WHERE polrelid = $1::text::regclass ORDER BY polname",
                &[&table.name],
            )
            .await?;
        let bound = format!(
            "{} = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)",
            quote_if_needed(&table.tenant_column)
        );
        for row in rows {
            let name: String = row.get(0);
            let unbound: Vec<String> = [row.get::<_, Option<String>>(1), row.get(2)]
                .into_iter()
                .flatten()
                .filter(|e| !has_conjunct(e, &bound))
                .collect();
            out.push(Finding {
                table: table.name.clone(),
                vector: format!("policy_conjunct({name})"),
                verdict: if unbound.is_empty() { Verdict::Blocked } else { Verdict::Leak },
                detail: if unbound.is_empty() {
                    "the tenant comparison is a top-level conjunct".into()
                } else {
                    format!("no top-level `{bound}` in: {}", unbound.join(" / "))
                },
            });
        }
    }
    Ok(())
}

/// Whether `expression` (as pg_get_expr prints it) is `conjunct`, or an AND with
/// `conjunct` among its top-level terms.
fn has_conjunct(expression: &str, conjunct: &str) -> bool {
    split_top_level(strip_parens(expression), " AND ").iter().any(|term| strip_parens(term) == conjunct)
}

/// `(x)` is `x` when the first parenthesis closes at the very end.
fn strip_parens(text: &str) -> &str {
    let text = text.trim();
    if !text.starts_with('(') {
        return text;
    }
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return if i == text.len() - 1 { strip_parens(&text[1..i]) } else { text };
                }
            }
            _ => {}
        }
    }
    text
}

fn split_top_level<'t>(text: &'t str, separator: &str) -> Vec<&'t str> {
    let (mut parts, mut depth, mut start, mut quoted) = (Vec::new(), 0i32, 0, false);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' => quoted = !quoted,
            b'(' if !quoted => depth += 1,
            b')' if !quoted => depth -= 1,
            _ if !quoted && depth == 0 && text[i..].starts_with(separator) => {
                parts.push(&text[start..i]);
                i += separator.len();
                start = i;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(&text[start..]);
    parts
}

/// A column name as pg_get_expr prints it: bare when it can be.
fn quote_if_needed(name: &str) -> String {
    if name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        name.to_string()
    } else {
        quote(name)
    }
}

/// What A leaves on a pooled connection, and whether B's next request on that
/// connection runs under it. A commits, in separate transactions, the state a
/// request can leave behind (session settings, SQL-level prepared statements, a
/// cursor held open, LISTEN, an advisory lock, a temporary table); then B's
/// request, on the same connection of the server's own pool, reads the state it
/// runs under, and the superuser reads the locks that connection still holds.
/// LISTEN and UNLISTEN take effect at commit, so a channel A listened to is read
/// in B's second request, once the reset of the first has committed.
pub(super) async fn pooled_connection(
    admin: &Client,
    app: &Config,
    signer: &Signer,
    actors: Actors,
    out: &mut Vec<Finding>,
) -> Result<()> {
    let pool = Db::new(app.clone(), signer.key().clone(), 1).with_clock(signer.clock().clone());
    let as_a = TenantCtx::new(actors.tenant_a, actors.owner_a);
    let as_b = TenantCtx { tenant_id: actors.tenant_b, user_id: None, meta: Default::default() };
    let mut pid_of_a = None;
    for sql in CARRIED_STATE {
        // Each in a transaction of its own: a refused one must not stop the rest.
        let Ok(mut tx) = pool.tenant_tx(&as_a).await else { continue };
        if tx.execute(sql, &[]).await.is_ok() {
            let pid: i32 = tx.query_one("SELECT pg_backend_pid()", &[]).await?.get(0);
            pid_of_a = Some(pid);
            tx.commit().await?;
        }
    }
    let mut tx = pool.tenant_tx(&as_b).await?;
    let state = tx.query_one(STATE_SQL, &[]).await?;
    tx.commit().await?;
    let mut tx = pool.tenant_tx(&as_b).await?;
    let listening: i64 = tx.query_one("SELECT count(*) FROM pg_listening_channels()", &[]).await?.get(0);
    tx.commit().await?;
    let pid: i32 = state.get("pid");
    let locks: i64 = admin
        .query_one("SELECT count(*) FROM pg_locks WHERE pid = $1 AND locktype = 'advisory'", &[&pid])
        .await?
        .get(0);
    let mut carried = Vec::new();
    for (setting, expected) in [
        ("standard_conforming_strings", "on"),
        ("search_path", "public"),
        ("transaction_read_only", "off"),
        ("loot", ""),
    ] {
        let value: String = state.get(setting);
        if value != expected {
            carried.push(format!("{setting} = {value:?}"));
        }
    }
    for count in ["prepared", "cursors", "temporary"] {
        let n: i64 = state.get(count);
        if n > 0 {
            carried.push(format!("{n} {count}"));
        }
    }
    if listening > 0 {
        carried.push(format!("{listening} channels still listened to after a request committed"));
    }
    if locks > 0 {
        carried.push(format!("{locks} advisory locks held between requests"));
    }
    let same_connection = pid_of_a.is_none_or(|a| a == pid);
    out.push(Finding {
        table: "pooled connection".into(),
        vector: "carried_state".into(),
        verdict: match (carried.is_empty(), same_connection) {
            (false, _) => Verdict::Leak,
            (true, true) => Verdict::Blocked,
            (true, false) => Verdict::Inconclusive,
        },
        detail: if !same_connection {
            "B's request ran on another connection than A's: nothing to compare".into()
        } else if carried.is_empty() {
            format!("B's request on A's connection (pid {pid}) ran under none of A's state")
        } else {
            format!("B's request on A's connection (pid {pid}) ran under A's: {}", carried.join(", "))
        },
    });
    Ok(())
}

/// What a request may try to leave on its connection.
const CARRIED_STATE: &[&str] = &[
    "SET standard_conforming_strings = off",
    "SET search_path = work, tenancy, public",
    "SET default_transaction_read_only = on",
    "SELECT set_config('tenantbase.loot', 'left by A', false)",
    "PREPARE tenantbase_carried AS SELECT current_setting('app.context', true)",
    "DECLARE tenantbase_cursor CURSOR WITH HOLD FOR SELECT 1",
    "LISTEN tenantbase_channel",
    "SELECT pg_advisory_lock(7)",
    "CREATE TEMPORARY TABLE tenantbase_carried (x int) ON COMMIT PRESERVE ROWS",
];

/// The state a request runs under, read from inside it.
const STATE_SQL: &str = "
    SELECT current_setting('standard_conforming_strings') AS standard_conforming_strings,
           current_setting('search_path') AS search_path,
           current_setting('transaction_read_only') AS transaction_read_only,
           coalesce(current_setting('tenantbase.loot', true), '') AS loot,
           (SELECT count(*) FROM pg_prepared_statements WHERE from_sql) AS prepared,
           (SELECT count(*) FROM pg_cursors WHERE name <> '') AS cursors,
           (SELECT count(*) FROM pg_class WHERE relnamespace = pg_my_temp_schema()) AS temporary,
           pg_backend_pid() AS pid";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tenant_comparison_counts_only_as_a_top_level_conjunct() {
        let bound = "tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)";
        assert!(has_conjunct("(tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id))", bound));
        assert!(has_conjunct(
            "((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) AND ( SELECT tenancy.has_permission('x'::text, 'y'::text) AS has_permission))",
            bound
        ));
        assert!(!has_conjunct(
            "((tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id)) OR (visibility = 'public'::text))",
            bound
        ));
        assert!(!has_conjunct(
            "((a AND (tenant_id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id))) OR b)",
            bound
        ));
        assert!(!has_conjunct("(id = ( SELECT tenancy.current_tenant_id() AS current_tenant_id))", bound));
    }
}
