//! The rest of the app role's surface: every view it can read and every function
//! it can execute, found in the catalog. Acting as A, nothing that comes back may
//! carry B's data, and no call may change B's rows.
//!
//! "B's data" is recognized by markers: the uuids found in B's rows of every
//! tenant table and in none of A's (ids, keys, references). Functions are called
//! with probes aimed at B: each uuid argument gets B's tenant id, B's owner, or
//! the id of one of B's rows in each tenant table; each text argument B's slug;
//! anything else NULL. Calls run as the app role (SET LOCAL ROLE on the admin
//! connection) so that, before rolling back, the admin can see whether B's rows
//! changed. A marker that was itself passed as an argument does not count.

use std::collections::HashSet;

use anyhow::Result;
use tokio_postgres::Client;
use uuid::Uuid;

use super::{begin, describe, is_refusal, quote, Actors, Finding, Verdict};
use crate::db::{Signer, APP_ROLE};
use crate::isolation::catalog::TenantTable;

pub(super) async fn attack(
    admin: &Client,
    app: &Client,
    signer: &Signer,
    actors: Actors,
    tables: &[TenantTable],
    out: &mut Vec<Finding>,
) -> Result<()> {
    let parents: Vec<&TenantTable> = tables.iter().filter(|t| !t.is_partition).collect();
    let markers = markers_of_b(admin, &parents, actors).await?;
    for view in readable_views(admin).await? {
        out.push(select_view(app, signer, actors, &view, &markers).await);
    }
    let fingerprint = FingerprintOfB::new(&parents, actors.tenant_b);
    let calls = Calls {
        admin,
        signer,
        actors,
        probes: Probes::aimed_at_b(admin, &parents, actors).await?,
        before: fingerprint.take(admin).await?,
        fingerprint,
        markers,
    };
    for function in executable_functions(admin).await? {
        out.push(calls.call(&function).await?);
    }
    Ok(())
}

/// Uuids in B's rows that appear in none of A's.
async fn markers_of_b(admin: &Client, tables: &[&TenantTable], actors: Actors) -> Result<HashSet<String>> {
    let uuids_of = |tenant: Uuid| async move {
        let mut found = HashSet::new();
        for table in tables {
            let sql = format!(
                "SELECT DISTINCT e.value FROM {} t, jsonb_each_text(to_jsonb(t)) AS e
                 WHERE t.{} = $1 AND e.value ~ '^[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}}$'",
                table.name,
                quote(&table.tenant_column)
            );
            for row in admin.query(&sql, &[&tenant]).await? {
                found.insert(row.get::<_, String>(0));
            }
        }
        anyhow::Ok(found)
    };
    let of_a = uuids_of(actors.tenant_a).await?;
    let mut of_b = uuids_of(actors.tenant_b).await?;
    of_b.insert(actors.tenant_b.to_string());
    Ok(of_b.difference(&of_a).cloned().collect())
}

fn leaked<'m>(output: &str, markers: &'m HashSet<String>, passed: &[String]) -> Option<&'m String> {
    markers.iter().find(|m| output.contains(m.as_str()) && !passed.contains(m))
}

async fn readable_views(admin: &Client) -> Result<Vec<String>> {
    let rows = admin
        .query(
            "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
               AND has_any_column_privilege($1::text::name, c.oid, 'SELECT')
             ORDER BY 1",
            &[&APP_ROLE],
        )
        .await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

async fn select_view(app: &Client, signer: &Signer, actors: Actors, view: &str, markers: &HashSet<String>) -> Finding {
    let finding =
        |verdict, detail: String| Finding { table: view.to_string(), vector: "view_select".into(), verdict, detail };
    let result = async {
        app.batch_execute(&begin(signer, actors.tenant_a, Some(actors.owner_a))).await?;
        app.query(&format!("SELECT to_jsonb(v)::text FROM {view} v"), &[]).await
    }
    .await;
    let _ = app.batch_execute("ROLLBACK").await;
    match result {
        Ok(rows) => {
            let text: String = rows.iter().map(|r| r.get::<_, String>(0)).collect::<Vec<_>>().join("\n");
            match leaked(&text, markers, &[]) {
                Some(marker) => finding(Verdict::Leak, format!("B's {marker} in the view")),
                None => finding(Verdict::Blocked, format!("{} rows, none of B's", rows.len())),
            }
        }
        Err(e) if is_refusal(&e) => finding(Verdict::Blocked, describe(&e)),
        Err(e) => finding(Verdict::Inconclusive, format!("failed for another reason: {}", describe(&e))),
    }
}

/// Values to call functions with, aimed at B.
struct Probes {
    uuids: Vec<Uuid>,
    text: String,
}

impl Probes {
    async fn aimed_at_b(admin: &Client, tables: &[&TenantTable], actors: Actors) -> Result<Self> {
        let b = actors.tenant_b;
        let mut uuids = vec![b];
        let owner: Option<Uuid> = admin
            .query_opt("SELECT user_id FROM tenancy.memberships WHERE tenant_id = $1 AND role = 'owner' LIMIT 1", &[&b])
            .await?
            .map(|r| r.get(0));
        uuids.extend(owner);
        for table in tables {
            let sql = format!(
                "SELECT (to_jsonb(t) ->> 'id')::uuid FROM {} t
                 WHERE t.{} = $1 AND to_jsonb(t) ->> 'id' ~ '^[0-9a-f]{{8}}-[0-9a-f-]{{27}}$' LIMIT 1",
                table.name,
                quote(&table.tenant_column)
            );
            if let Some(row) = admin.query_opt(&sql, &[&b]).await? {
                uuids.extend(row.get::<_, Option<Uuid>>(0).filter(|id| !uuids.contains(id)));
            }
        }
        let text: String = admin.query_one("SELECT slug::text FROM tenancy.tenants WHERE id = $1", &[&b]).await?.get(0);
        Ok(Probes { uuids, text })
    }
}

struct Function {
    signature: String,
    call: String,
    is_procedure: bool,
    /// Argument types as the catalog names them, and their category.
    args: Vec<(String, String)>,
    variadic: bool,
}

async fn executable_functions(admin: &Client) -> Result<Vec<Function>> {
    let rows = admin
        .query(
            "SELECT p.oid::regprocedure::text, format('%I.%I', n.nspname, p.proname), p.prokind = 'p',
                    array(SELECT format_type(t, NULL) FROM unnest(p.proargtypes) AS t),
                    array(SELECT CASE ty.typtype WHEN 'p' THEN 'pseudo' ELSE ty.typcategory::text END
                          FROM unnest(p.proargtypes) WITH ORDINALITY AS a (t, i) JOIN pg_type ty ON ty.oid = a.t ORDER BY a.i),
                    p.provariadic <> 0
             FROM pg_proc p
             JOIN pg_namespace n ON n.oid = p.pronamespace
             JOIN pg_type r ON r.oid = p.prorettype
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'
               AND p.prokind IN ('f', 'p')
               AND (r.typtype <> 'p' OR r.typname IN ('void', 'record'))
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
               AND has_function_privilege($1::text::name, p.oid, 'EXECUTE')
             ORDER BY 1",
            &[&APP_ROLE],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let types: Vec<String> = r.get(3);
            let categories: Vec<String> = r.get(4);
            Function {
                signature: r.get(0),
                call: r.get(1),
                is_procedure: r.get(2),
                args: types.into_iter().zip(categories).collect(),
                variadic: r.get(5),
            }
        })
        .collect())
}

impl Function {
    /// The statement calling it with `probe` for uuids, or why none can be built.
    fn statement(&self, uuid: Uuid, text: &str) -> Result<(String, Vec<String>), String> {
        let mut passed = Vec::new();
        let mut args = Vec::new();
        for (i, (ty, category)) in self.args.iter().enumerate() {
            let value = match (ty.as_str(), category.as_str()) {
                (_, "pseudo") => return Err(format!("cannot build an argument of type {ty}")),
                ("uuid", _) => {
                    passed.push(uuid.to_string());
                    format!("'{uuid}'::uuid")
                }
                (_, "S") => {
                    passed.push(text.to_string());
                    format!("'{}'::{ty}", text.replace('\'', "''"))
                }
                _ => format!("NULL::{ty}"),
            };
            let is_variadic = self.variadic && i + 1 == self.args.len();
            args.push(if is_variadic { format!("VARIADIC {value}") } else { value });
        }
        let call = format!("{}({})", self.call, args.join(", "));
        let sql = if self.is_procedure {
            format!("CALL {call}")
        } else {
            format!("SELECT t::text FROM {call} AS t LIMIT 10000")
        };
        Ok((sql, passed))
    }

    fn takes_uuid(&self) -> bool {
        self.args.iter().any(|(ty, _)| ty == "uuid")
    }
}

/// Calls functions as A's owner with probes aimed at B, watching B's rows.
struct Calls<'a> {
    admin: &'a Client,
    signer: &'a Signer,
    actors: Actors,
    probes: Probes,
    markers: HashSet<String>,
    fingerprint: FingerprintOfB,
    /// B's rows before any call.
    before: Vec<String>,
}

impl Calls<'_> {
    async fn call(&self, function: &Function) -> Result<Finding> {
        let finding = |verdict, detail: String| Finding {
            table: function.signature.clone(),
            vector: "function_call".into(),
            verdict,
            detail,
        };
        let uuids: &[Uuid] = if function.takes_uuid() { &self.probes.uuids } else { &self.probes.uuids[..1] };
        let (mut calls, mut refused) = (0, 0);
        for uuid in uuids {
            let (sql, passed) = match function.statement(*uuid, &self.probes.text) {
                Ok(built) => built,
                Err(why) => return Ok(finding(Verdict::Inconclusive, why)),
            };
            calls += 1;
            let begin_as_app = format!(
                "{}; SET LOCAL ROLE {APP_ROLE}",
                begin(self.signer, self.actors.tenant_a, Some(self.actors.owner_a))
            );
            self.admin.batch_execute(&begin_as_app).await?;
            let leak = match self.admin.query(&sql, &[]).await {
                Err(_) => {
                    refused += 1;
                    None
                }
                Ok(rows) => self.leak_in(&sql, &rows, &passed).await?,
            };
            self.admin.batch_execute("ROLLBACK").await?;
            if let Some(leak) = leak {
                return Ok(finding(Verdict::Leak, leak));
            }
        }
        Ok(finding(
            Verdict::Blocked,
            format!("{calls} calls aimed at B: none returned or changed B's data ({refused} refused)"),
        ))
    }

    /// B's data in what the call returned, or B's rows changed by it (seen by the
    /// admin inside the same, not yet rolled back, transaction).
    async fn leak_in(&self, sql: &str, rows: &[tokio_postgres::Row], passed: &[String]) -> Result<Option<String>> {
        let text: String =
            rows.iter().filter_map(|r| r.try_get::<_, Option<String>>(0).ok().flatten()).collect::<Vec<_>>().join("\n");
        if let Some(marker) = leaked(&text, &self.markers, passed) {
            return Ok(Some(format!("{sql}: returned B's {marker}")));
        }
        self.admin.batch_execute("RESET ROLE").await?;
        let wrote: bool =
            self.admin.query_one("SELECT pg_current_xact_id_if_assigned() IS NOT NULL", &[]).await?.get(0);
        Ok((wrote && self.fingerprint.take(self.admin).await? != self.before)
            .then(|| format!("{sql}: changed B's rows")))
    }
}

/// A digest of B's rows in every tenant table, read by the admin (past RLS).
struct FingerprintOfB {
    sql: String,
    tenant_b: Uuid,
}

impl FingerprintOfB {
    fn new(tables: &[&TenantTable], tenant_b: Uuid) -> Self {
        let parts: Vec<String> = tables
            .iter()
            .map(|t| {
                format!(
                    "SELECT '{literal}' AS tbl, md5(coalesce(string_agg(to_jsonb(r)::text, ',' ORDER BY to_jsonb(r)::text), '')) FROM {name} r WHERE r.{col} = $1",
                    name = t.name,
                    literal = t.name.replace('\'', "''"),
                    col = quote(&t.tenant_column)
                )
            })
            .collect();
        FingerprintOfB {
            sql: format!("SELECT md5 FROM ({}) AS each_table ORDER BY tbl", parts.join(" UNION ALL ")),
            tenant_b,
        }
    }

    async fn take(&self, admin: &Client) -> Result<Vec<String>> {
        Ok(admin.query(&self.sql, &[&self.tenant_b]).await?.iter().map(|r| r.get(0)).collect())
    }
}
