//! The rest of the app role's surface: every view it can read and every function
//! it can execute, found in the catalog. Acting as A, nothing that comes back,
//! rows or error text, may carry B's data, and no call may change B's rows.
//!
//! "B's data" is recognized by markers (`ground::Markers`: every value of B's rows that
//! none of A's has). Functions are called with B's real values: each uuid
//! argument gets B's tenant id, B's owner, or the id of one of B's rows in each
//! tenant table; each text argument B's slug, its owner's email, its domain and
//! its API keys' prefixes; each bytea argument the hash of a session of B's
//! owner; each vector argument one of B's stored embeddings (so a similarity search is
//! aimed at B's rows); anything else NULL. Calls run through the [`Probe`]: as the app role,
//! judged as superuser before the rollback. A value passed in does not count.

use anyhow::Result;
use tokio_postgres::Client;
use uuid::Uuid;

use super::ground::Probe;
use super::{begin, describe, is_refusal, quote, Actors, Finding, Verdict};
use crate::db::{Signer, APP_ROLE};
use crate::isolation::catalog::TenantTable;

pub(super) async fn attack(
    probe: &Probe<'_>,
    signer: &Signer,
    actors: Actors,
    tables: &[TenantTable],
    out: &mut Vec<Finding>,
) -> Result<()> {
    let admin = probe.client;
    let parents: Vec<&TenantTable> = tables.iter().filter(|t| !t.is_partition).collect();
    for view in readable_views(admin).await? {
        out.push(select_view(probe, signer, actors, &view).await?);
    }
    let calls = Calls { probe, signer, actors, probes: Probes::aimed_at_b(admin, &parents, actors).await? };
    for function in executable_functions(admin).await? {
        out.push(calls.call(&function).await?);
    }
    Ok(())
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

async fn select_view(probe: &Probe<'_>, signer: &Signer, actors: Actors, view: &str) -> Result<Finding> {
    let finding =
        |verdict, detail: String| Finding { table: view.to_string(), vector: "view_select".into(), verdict, detail };
    let outcome = probe
        .run(
            &begin(signer, actors.tenant_a, Some(actors.owner_a)),
            &format!("SELECT to_jsonb(v)::text FROM {view} v"),
            &[],
            &[],
        )
        .await?;
    Ok(match (outcome.result, outcome.leaked) {
        (_, Some(marker)) => finding(Verdict::Leak, format!("B's value {marker:?} in the view")),
        (Ok((rows, _)), None) => finding(Verdict::Blocked, format!("{} rows, none of B's", rows.len())),
        (Err(e), None) if is_refusal(&e) => finding(Verdict::Blocked, describe(&e)),
        (Err(e), None) => finding(Verdict::Inconclusive, format!("failed for another reason: {}", describe(&e))),
    })
}

/// Values to call functions with, aimed at B.
struct Probes {
    uuids: Vec<Uuid>,
    texts: Vec<String>,
    bytes: Vec<Vec<u8>>,
    /// B's embeddings, as text: queries that B's own rows match best.
    vectors: Vec<String>,
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
        let texts: Vec<String> = admin
            .query(
                "SELECT DISTINCT v FROM (
                     SELECT slug::text FROM tenancy.tenants WHERE id = $1
                     UNION ALL SELECT domain::text FROM tenancy.tenants WHERE id = $1
                     UNION ALL SELECT u.email::text FROM tenancy.memberships m JOIN tenancy.users u ON u.id = m.user_id
                               WHERE m.tenant_id = $1
                     UNION ALL SELECT prefix FROM tenancy.api_keys WHERE tenant_id = $1) AS b (v)
                 WHERE v IS NOT NULL ORDER BY v",
                &[&b],
            )
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let bytes: Vec<Vec<u8>> = admin
            .query(
                "SELECT s.token_hash FROM tenancy.sessions s JOIN tenancy.memberships m ON m.user_id = s.user_id
                 WHERE m.tenant_id = $1 ORDER BY s.started_at DESC LIMIT 1",
                &[&b],
            )
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut vectors = Vec::new();
        for table in tables.iter().filter(|t| t.name.starts_with("embeddings.")) {
            let sql = format!("SELECT embedding::text FROM {} WHERE tenant_id = $1 ORDER BY id LIMIT 1", table.name);
            vectors.extend(admin.query_opt(&sql, &[&b]).await?.map(|r| r.get::<_, String>(0)));
        }
        Ok(Probes { uuids, texts, bytes, vectors })
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
    /// The statement calling it with `uuid`, `text`, `bytes` and `vector` for those types, or why none can be built.
    fn statement(
        &self,
        uuid: Uuid,
        text: &str,
        bytes: Option<&[u8]>,
        vector: Option<&str>,
    ) -> Result<(String, Vec<String>), String> {
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
                ("bytea", _) => match bytes {
                    Some(bytes) => format!("'\\x{}'::bytea", hex::encode(bytes)),
                    None => "NULL::bytea".to_string(),
                },
                (ty, _) if is_vector(ty) => match vector {
                    Some(vector) => {
                        passed.push(vector.to_string());
                        format!("'{vector}'::{ty}")
                    }
                    None => format!("NULL::{ty}"),
                },
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

    fn takes_vector(&self) -> bool {
        self.args.iter().any(|(ty, _)| is_vector(ty))
    }

    fn takes(&self, category: &str) -> bool {
        self.args.iter().any(|(ty, c)| ty == category || c == category)
    }
}

/// pgvector's type, however the catalog qualifies it.
fn is_vector(ty: &str) -> bool {
    ty.rsplit('.').next() == Some("vector")
}

/// Calls functions as A's owner with probes aimed at B, through the probe.
struct Calls<'a> {
    probe: &'a Probe<'a>,
    signer: &'a Signer,
    actors: Actors,
    probes: Probes,
}

impl Calls<'_> {
    async fn call(&self, function: &Function) -> Result<Finding> {
        let finding = |verdict, detail: String| Finding {
            table: function.signature.clone(),
            vector: "function_call".into(),
            verdict,
            detail,
        };
        let probes = &self.probes;
        let uuids: &[Uuid] = if function.takes("uuid") { &probes.uuids } else { &probes.uuids[..1] };
        let texts: &[String] = if function.takes("S") { &probes.texts } else { &probes.texts[..1] };
        let bytes = probes.bytes.first().map(Vec::as_slice);
        let vectors: Vec<Option<&str>> = if function.takes_vector() && !probes.vectors.is_empty() {
            probes.vectors.iter().map(|v| Some(v.as_str())).collect()
        } else {
            vec![None]
        };
        let begin = begin(self.signer, self.actors.tenant_a, Some(self.actors.owner_a));
        let (mut calls, mut refused) = (0, 0);
        for uuid in uuids {
            for text in texts {
                for vector in &vectors {
                    let (sql, passed) = match function.statement(*uuid, text, bytes, *vector) {
                        Ok(built) => built,
                        Err(why) => return Ok(finding(Verdict::Inconclusive, why)),
                    };
                    calls += 1;
                    let outcome = self.probe.run(&begin, &sql, &[], &passed).await?;
                    if let Some(marker) = outcome.leaked {
                        return Ok(finding(
                            Verdict::Leak,
                            format!("{sql}: B's value {marker:?} in its answer or error"),
                        ));
                    }
                    if outcome.changed_b {
                        return Ok(finding(Verdict::Leak, format!("{sql}: changed B's rows")));
                    }
                    refused += usize::from(outcome.result.is_err());
                }
            }
        }
        Ok(finding(
            Verdict::Blocked,
            format!("{calls} calls with B's values: none returned or changed B's data ({refused} refused)"),
        ))
    }
}
