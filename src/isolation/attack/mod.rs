//! The attack suite: acting as tenant A through the app role, try every vector
//! against tenant B's rows in every tenant table the catalog lists, through every
//! view the app can read and every function it can execute, and report each as
//! blocked or LEAK. Inserts carry a control (the same row for A's owner) so that
//! a refusal for an unrelated reason is reported as inconclusive, not counted as
//! a block; the forged-context vectors count only when A's signed context sees
//! A's rows.
//!
//! It attacks the demo tenants (`tenantbase seed demo`): Acme (A, acting as its
//! owner and its viewer) against Tech Startup (B), whose rows the demo seed puts
//! in every tenant table.

mod ground;
mod report;
mod shared;
mod surface;

pub use report::{render, summary};

use std::fmt;
use std::time::Duration;

use anyhow::{Context, Result};
use futures_util::{pin_mut, SinkExt, TryStreamExt};
use serde::Serialize;
use serde_json::Value;
use tokio_postgres::{Client, Config};

use crate::db::context::CONTEXT_TTL;
use crate::db::{connect, ContextKey, Signer, TenantCtx, APP_ROLE};
use ground::{Markers, Probe};
use tokio_postgres::types::ToSql;
use tokio_postgres::Row;
use uuid::Uuid;

use super::catalog::{self, TenantTable};

/// Who attacks whom: A's owner and viewer act; B's rows are the targets.
#[derive(Clone, Copy, Debug)]
pub struct Actors {
    pub tenant_a: Uuid,
    pub owner_a: Uuid,
    pub viewer_a: Uuid,
    pub tenant_b: Uuid,
}

impl Actors {
    /// The demo seed's Acme (its owner Olivia and viewer Victor) against Tech Startup.
    pub async fn demo(admin: &Client) -> Result<Self> {
        let row = admin
            .query_opt(
                "SELECT a.id, o.id, v.id, b.id
                 FROM tenancy.tenants a, tenancy.tenants b, tenancy.users o, tenancy.users v
                 WHERE a.slug = 'acme' AND b.slug = 'tech-startup'
                   AND o.email = 'olivia@acme.com' AND v.email = 'victor@acme.com'",
                &[],
            )
            .await?
            .context("the attack needs the demo tenants: run tenantbase seed demo (on a database you may attack)")?;
        Ok(Actors { tenant_a: row.get(0), owner_a: row.get(1), viewer_a: row.get(2), tenant_b: row.get(3) })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Blocked,
    Leak,
    /// The vector could not be judged (its control failed): treated as a failure.
    Inconclusive,
}

#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub table: String,
    pub vector: String,
    pub verdict: Verdict,
    pub detail: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = match self.verdict {
            Verdict::Blocked => "blocked",
            Verdict::Leak => "LEAK",
            Verdict::Inconclusive => "INCONCLUSIVE",
        };
        write!(f, "{:<34} {:<24} {:<12} {}", self.table, self.vector, verdict, self.detail)
    }
}

/// Runs every vector on every tenant table. `admin` reads the fixtures (bypassing
/// RLS); the attacks run on connections of the app role made from `app`.
pub async fn run(admin: &Client, app: &Config, signer: &Signer, actors: Actors) -> Result<Vec<Finding>> {
    let tables = catalog::tenant_tables(admin).await?;
    let parents: Vec<&TenantTable> = tables.iter().filter(|t| !t.is_partition).collect();
    let markers = Markers::of_b(admin, &parents, actors).await?;
    // Each vector runs as the app role in a transaction of the admin's, read as
    // superuser before it is rolled back.
    let probe = Probe::new(admin, &markers, &parents, actors.tenant_b).await?;
    let mut findings = Vec::new();
    for table in &tables {
        let attack = TableAttack::prepare(admin, &probe, app, signer, actors, table, &tables).await?;
        if table.is_partition {
            attack.partition_direct(&mut findings).await;
        } else {
            attack.run_all(&mut findings).await?;
        }
    }
    surface::attack(&probe, signer, actors, &tables, &mut findings).await?;
    shared::primitives(app, signer, actors, &mut findings).await?;
    shared::policies(admin, &tables, &mut findings).await?;
    shared::pooled_connection(admin, app, signer, actors, &mut findings).await?;
    Ok(findings)
}

/// True when no finding is a leak or inconclusive.
pub fn all_blocked(findings: &[Finding]) -> bool {
    findings.iter().all(|f| f.verdict == Verdict::Blocked)
}

struct TableAttack<'a> {
    admin: &'a Client,
    probe: &'a Probe<'a>,
    app_config: &'a Config,
    signer: &'a Signer,
    actors: Actors,
    table: &'a TenantTable,
    tables: &'a [TenantTable],
    columns: Vec<String>,
    /// The insertable columns that have a default (quoted as `columns` are).
    defaulted: Vec<String>,
    pk: Vec<(String, String)>,
    row_a: Option<Value>,
    row_b: Option<Value>,
    count_a: i64,
    /// Leaks the ground truth showed (a marker of B in an answer, B's rows changed),
    /// whatever the vector's own verdict.
    ground: std::sync::Mutex<Vec<Finding>>,
}

type Outcome = Result<u64, tokio_postgres::Error>;

impl<'a> TableAttack<'a> {
    async fn prepare(
        admin: &'a Client,
        probe: &'a Probe<'a>,
        app_config: &'a Config,
        signer: &'a Signer,
        actors: Actors,
        table: &'a TenantTable,
        tables: &'a [TenantTable],
    ) -> Result<Self> {
        let col = quote(&table.tenant_column);
        let sample = format!("SELECT to_jsonb(t) FROM {} t WHERE {col} = $1 LIMIT 1", table.name);
        let row_a = admin.query_opt(&sample, &[&actors.tenant_a]).await?.map(|r| r.get(0));
        let row_b = admin.query_opt(&sample, &[&actors.tenant_b]).await?.map(|r| r.get(0));
        let count_a: i64 = admin
            .query_one(&format!("SELECT count(*) FROM {} WHERE {col} = $1", table.name), &[&actors.tenant_a])
            .await?
            .get(0);
        Ok(TableAttack {
            admin,
            probe,
            app_config,
            signer,
            actors,
            table,
            tables,
            columns: catalog::insertable_columns(admin, &table.name).await?,
            defaulted: catalog::defaulted_columns(admin, &table.name).await?,
            pk: catalog::primary_key(admin, &table.name).await?,
            row_a,
            row_b,
            count_a,
            ground: Default::default(),
        })
    }

    fn col(&self) -> String {
        quote(&self.table.tenant_column)
    }

    fn finding(&self, vector: &str, verdict: Verdict, detail: impl Into<String>) -> Finding {
        Finding { table: self.table.name.clone(), vector: vector.to_string(), verdict, detail: detail.into() }
    }

    async fn run_all(&self, out: &mut Vec<Finding>) -> Result<()> {
        let (a, b) = (self.actors.tenant_a, self.actors.tenant_b);
        let (owner, viewer) = (Some(self.actors.owner_a), Some(self.actors.viewer_a));
        let t = &self.table.name;
        let col = self.col();

        if self.row_a.is_none() || self.row_b.is_none() {
            out.push(self.finding(
                "fixture",
                Verdict::Inconclusive,
                "no rows for both tenants: the attack has no target",
            ));
            return Ok(());
        }

        let n =
            self.count_in("select_foreign", a, owner, &format!("SELECT count(*) FROM {t} WHERE {col} = '{b}'")).await;
        out.push(self.expect_zero("select_foreign", n));
        let n = self.count_in("select_all", a, owner, &format!("SELECT count(*) FROM {t}")).await;
        out.push(match n {
            Ok(0) => self.finding(
                "select_all",
                Verdict::Inconclusive,
                format!("A's signed context sees none of A's {} rows", self.count_a),
            ),
            Ok(n) if n <= self.count_a => self.finding("select_all", Verdict::Blocked, format!("{n} rows, all A's")),
            Ok(n) => self.finding("select_all", Verdict::Leak, format!("{n} rows, A has {}", self.count_a)),
            Err(e) => self.blocked_if_refused("select_all", &e),
        });
        let r = self
            .exec_in("update_foreign", a, owner, &format!("UPDATE {t} SET {col} = {col} WHERE {col} = '{b}'"), &[])
            .await;
        out.push(self.expect_no_rows("update_foreign", r));
        let r = self.exec_in("delete_foreign", a, owner, &format!("DELETE FROM {t} WHERE {col} = '{b}'"), &[]).await;
        out.push(self.expect_no_rows("delete_foreign", r));
        let r = self.count_in("returning_foreign", a, owner, &format!("WITH changed AS (UPDATE {t} SET {col} = {col} RETURNING {col}) SELECT count(*) FROM changed WHERE {col} = '{b}'")).await;
        out.push(self.expect_zero("returning_foreign", r));

        let foreign_row = self.fresh_copy(self.row_b.as_ref().unwrap(), b);
        let r = self.insert_in("insert_foreign_tenant", a, owner, &foreign_row, "").await;
        out.push(self.expect_rls_refusal("insert_foreign_tenant", r, a, owner).await);
        let r = self.insert_in("insert_on_conflict", a, owner, &foreign_row, " ON CONFLICT DO NOTHING").await;
        out.push(self.expect_rls_refusal("insert_on_conflict", r, a, owner).await);
        let r = self
            .exec_in(
                "update_tenant_to_foreign",
                a,
                owner,
                &format!("UPDATE {t} SET {col} = '{b}' WHERE {col} = '{a}'"),
                &[],
            )
            .await;
        out.push(match r {
            Ok(0) => self.finding("update_tenant_to_foreign", Verdict::Inconclusive, "no row of A to move"),
            Ok(n) => self.finding("update_tenant_to_foreign", Verdict::Leak, format!("{n} rows moved to B")),
            Err(e) => self.blocked_if_refused("update_tenant_to_foreign", &e),
        });

        for fk in catalog::tenant_foreign_keys(self.admin, t, self.tables).await? {
            // The key to the tenant itself has no pointer besides tenant_id, which
            // the insert vectors above already aim at another tenant.
            if fk.columns.iter().all(|c| c == &self.table.tenant_column) {
                continue;
            }
            out.push(self.foreign_parent(&fk).await?);
        }

        out.push(self.copy_out().await);
        out.push(self.copy_in().await);

        let n = self.count_in_raw("no_context", None, &format!("SELECT count(*) FROM {t}")).await;
        out.push(self.expect_zero("no_context", n));
        let r = self
            .exec_raw("no_context_update", "BEGIN", &format!("UPDATE {t} SET {col} = {col} WHERE {col} = '{b}'"))
            .await;
        out.push(self.expect_no_rows("no_context_update", r));
        let r = self.exec_raw("no_context_delete", "BEGIN", &format!("DELETE FROM {t} WHERE {col} = '{b}'")).await;
        out.push(self.expect_no_rows("no_context_delete", r));
        let passed = values_of(&foreign_row);
        let r = self
            .run_as("no_context_insert", "BEGIN", &self.insert_sql(""), &[&foreign_row], &passed)
            .await
            .map(|(_, n)| n);
        out.push(match r {
            Ok(n) => {
                self.finding("no_context_insert", Verdict::Leak, format!("{n} rows inserted for B without a context"))
            }
            Err(e) => self.blocked_if_refused("no_context_insert", &e),
        });
        out.push(self.insert_defaults().await);
        let n = self
            .count_in_raw(
                "empty_context",
                Some("BEGIN; SET LOCAL app.context = ''"),
                &format!("SELECT count(*) FROM {t}"),
            )
            .await;
        out.push(self.expect_zero("empty_context", n));

        self.forged_contexts(out).await;

        let r = self.exec_in("viewer_update", a, viewer, &format!("UPDATE {t} SET {col} = {col}"), &[]).await;
        out.push(self.expect_no_rows("viewer_update", r));
        let r = self.exec_in("viewer_delete", a, viewer, &format!("DELETE FROM {t}"), &[]).await;
        out.push(self.expect_no_rows("viewer_delete", r));
        let own_row = self.fresh_copy(self.row_a.as_ref().unwrap(), a);
        let r = self.insert_in("viewer_insert", a, viewer, &own_row, "").await;
        out.push(self.expect_rls_refusal("viewer_insert", r, a, owner).await);
        out.append(&mut self.ground.lock().expect("the attack runs on one task"));
        Ok(())
    }

    /// SQL that mints its own context, as an injected statement would: inside
    /// A's signed transaction or instead of one, it sets a context for B whose
    /// signature is A's, or one signed with a key of its own, or replays an
    /// expired one, or the settings of the first context version. B's rows must
    /// stay out of reach; reads and writes are tried.
    async fn forged_contexts(&self, out: &mut Vec<Finding>) {
        let (a, b, t, col) = (self.actors.tenant_a, self.actors.tenant_b, &self.table.name, self.col());
        let owner = Some(self.actors.owner_a);
        let now = self.signer.clock().system_time();
        let signed_a = begin(self.signer, a, owner);
        let ctx_b = TenantCtx { tenant_id: b, user_id: owner, meta: Default::default() };
        let as_b = |key: &ContextKey, expires| format!("BEGIN; {}", ctx_b.context_sql(key, expires));
        // B's payload carrying the signature of A's: what a copy-and-edit of A's token gives.
        let a_token = self.signer.key().sign_context(&TenantCtx { tenant_id: a, ..ctx_b.clone() }, now + CONTEXT_TTL);
        let b_token = self.signer.key().sign_context(&ctx_b, now + CONTEXT_TTL);
        let spliced =
            format!("{}.{}", b_token.rsplit_once('.').expect("v2.p.s").0, a_token.rsplit_once('.').expect("v2.p.s").1);
        let attempts = [
            ("forged_set_config", format!("{signed_a}; SELECT set_config('app.context', '{spliced}', true)")),
            ("forged_set_local", format!("{signed_a}; SET LOCAL app.context = '{spliced}'")),
            ("forged_unsigned", format!("BEGIN; SET LOCAL app.context = '{spliced}'")),
            (
                "forged_v1_settings",
                format!(
                    "{signed_a}; SET LOCAL app.tenant_id = '{b}'; SET LOCAL app.user_id = '{}'",
                    self.actors.owner_a
                ),
            ),
            ("forged_token", as_b(&ContextKey::generate(), now + CONTEXT_TTL)),
            ("expired_context", as_b(&self.signer.key(), now - Duration::from_secs(1))),
        ];
        for (vector, begin) in attempts {
            let seen =
                self.count_in_raw(vector, Some(&begin), &format!("SELECT count(*) FROM {t} WHERE {col} = '{b}'")).await;
            let changed =
                self.exec_raw(vector, &begin, &format!("UPDATE {t} SET {col} = {col} WHERE {col} = '{b}'")).await;
            out.push(match (seen, changed) {
                (Ok(0), Ok(0)) => self.finding(vector, Verdict::Blocked, "B's rows: 0 seen, 0 updated"),
                (Ok(n), Ok(m)) => self.finding(vector, Verdict::Leak, format!("B's rows: {n} seen, {m} updated")),
                (Err(e), _) | (_, Err(e)) => self.blocked_if_refused(vector, &e),
            });
        }
    }

    /// A partition is reached only through its parent, whose policies the vectors
    /// above attack: directly, the app may neither read nor write it, rows or not.
    async fn partition_direct(&self, out: &mut Vec<Finding>) {
        let (a, t, col) = (self.actors.tenant_a, &self.table.name, self.col());
        let owner = Some(self.actors.owner_a);
        let statements = [
            ("partition_select", format!("SELECT count(*) FROM {t}")),
            ("partition_update", format!("UPDATE {t} SET {col} = {col}")),
            ("partition_delete", format!("DELETE FROM {t}")),
            ("partition_insert", format!("INSERT INTO {t} ({col}) VALUES ('{}')", self.actors.tenant_b)),
        ];
        for (vector, sql) in statements {
            let finding = match self.exec_in(vector, a, owner, &sql, &[]).await {
                Err(e) if code(&e) == "42501" => self.finding(vector, Verdict::Blocked, describe(&e)),
                Err(e) => {
                    self.finding(vector, Verdict::Inconclusive, format!("failed for another reason: {}", describe(&e)))
                }
                Ok(n) => {
                    self.finding(vector, Verdict::Leak, format!("the app reaches the partition directly ({n} rows)"))
                }
            };
            out.push(finding);
        }
        out.append(&mut self.ground.lock().expect("the attack runs on one task"));
    }

    /// A's own row with only the columns that have no default: the defaults fill
    /// the rest, and nothing they fill (a definer default reads past RLS) may carry
    /// B's data. The ground truth judges the row it returns and any error.
    async fn insert_defaults(&self) -> Finding {
        let (a, owner) = (self.actors.tenant_a, Some(self.actors.owner_a));
        let row = self.fresh_copy(self.row_a.as_ref().expect("checked by run_all"), a);
        let given: Vec<&String> = self.columns.iter().filter(|c| !self.defaulted.contains(*c)).collect();
        let mut kept = serde_json::Map::new();
        for column in &given {
            let name = column.trim_matches('"');
            kept.insert(name.to_string(), row[name].clone());
        }
        let cols = given.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "INSERT INTO {t} ({cols}) SELECT {cols} FROM jsonb_populate_record(NULL::{t}, $1::jsonb)
             RETURNING to_jsonb({t_alias})::text",
            t = self.table.name,
            t_alias = self.table.name.rsplit('.').next().unwrap_or(&self.table.name),
        );
        let kept = Value::Object(kept);
        let passed = values_of(&kept);
        let before = self.ground.lock().expect("the attack runs on one task").len();
        let result = self.run_as("insert_defaults", &begin(self.signer, a, owner), &sql, &[&kept], &passed).await;
        let mut ground = self.ground.lock().expect("the attack runs on one task");
        if ground.len() > before {
            return ground.remove(before);
        }
        match result {
            Ok(_) => self.finding(
                "insert_defaults",
                Verdict::Blocked,
                format!("{} columns filled by defaults, none with B's data", self.defaulted.len()),
            ),
            Err(e) => self.finding(
                "insert_defaults",
                Verdict::Blocked,
                format!("refused ({}); its error carries none of B's data", describe(&e)),
            ),
        }
    }

    /// A copy of `row` in `tenant`, with fresh uuids for the other key columns.
    fn fresh_copy(&self, row: &Value, tenant: Uuid) -> Value {
        let mut row = row.as_object().cloned().unwrap_or_default();
        for (name, ty) in &self.pk {
            if name != &self.table.tenant_column && ty == "uuid" {
                row.insert(name.clone(), Value::String(Uuid::new_v4().to_string()));
            }
        }
        row.insert(self.table.tenant_column.clone(), Value::String(tenant.to_string()));
        Value::Object(row)
    }

    fn insert_sql(&self, suffix: &str) -> String {
        let cols = self.columns.join(", ");
        format!(
            "INSERT INTO {t} ({cols}) SELECT {cols} FROM jsonb_populate_record(NULL::{t}, $1::jsonb){suffix}",
            t = self.table.name
        )
    }

    async fn insert_in(&self, vector: &str, tenant: Uuid, user: Option<Uuid>, row: &Value, suffix: &str) -> Outcome {
        let passed = values_of(row);
        self.run_as(vector, &begin(self.signer, tenant, user), &self.insert_sql(suffix), &[row], &passed)
            .await
            .map(|r| r.1)
    }

    /// An insert whose `returning` clause gives one JSON value; rolled back.
    async fn insert_returning(
        &self,
        vector: &str,
        tenant: Uuid,
        user: Option<Uuid>,
        row: &Value,
        returning: &str,
    ) -> Result<Value, tokio_postgres::Error> {
        let passed = values_of(row);
        let (rows, _) = self
            .run_as(vector, &begin(self.signer, tenant, user), &self.insert_sql(returning), &[row], &passed)
            .await?;
        Ok(rows.first().map(|r| r.get(0)).unwrap_or(Value::Null))
    }

    /// An insert must be refused by RLS (or privileges); the control (the same
    /// statement as A's owner, on A's own row) must pass the policy, proving the
    /// refusal came from isolation and not from a malformed row.
    async fn expect_rls_refusal(&self, vector: &str, r: Outcome, a: Uuid, owner: Option<Uuid>) -> Finding {
        match r {
            Ok(n) => self.finding(vector, Verdict::Leak, format!("{n} rows inserted")),
            Err(e) if is_refusal(&e) => {
                let control_row = self.fresh_copy(self.row_a.as_ref().unwrap(), a);
                match self.insert_in(vector, a, owner, &control_row, "").await {
                    Err(c) if is_rls(&c) => {
                        self.finding(vector, Verdict::Inconclusive, format!("control refused too: {}", describe(&c)))
                    }
                    _ => self.finding(vector, Verdict::Blocked, describe(&e)),
                }
            }
            Err(e) => {
                self.finding(vector, Verdict::Inconclusive, format!("refused for another reason: {}", describe(&e)))
            }
        }
    }

    /// A's row pointing at B's parent row must be refused, with the same error as
    /// a pointer to no row at all (no existence oracle).
    async fn foreign_parent(&self, fk: &catalog::TenantForeignKey) -> Result<Finding> {
        let vector = format!("fk_foreign_parent({})", fk.name);
        let parent_tenant_col = &self.tables.iter().find(|t| t.name == fk.parent).unwrap().tenant_column;
        let parent_b: Option<Value> = self
            .admin
            .query_opt(
                &format!("SELECT to_jsonb(p) FROM {} p WHERE {} = $1 LIMIT 1", fk.parent, quote(parent_tenant_col)),
                &[&self.actors.tenant_b],
            )
            .await?
            .map(|r| r.get(0));
        let Some(parent_b) = parent_b else {
            return Ok(self.finding(&vector, Verdict::Inconclusive, format!("B has no row in {}", fk.parent)));
        };
        let a = self.actors.tenant_a;
        let base = self.fresh_copy(self.row_a.as_ref().unwrap(), a);
        let mut to_b = base.as_object().cloned().unwrap_or_default();
        let mut to_nothing = to_b.clone();
        for (child, parent) in fk.columns.iter().zip(&fk.parent_columns) {
            if child == &self.table.tenant_column {
                continue;
            }
            to_b.insert(child.clone(), parent_b[parent].clone());
            to_nothing.insert(child.clone(), Value::String(Uuid::new_v4().to_string()));
        }
        let owner = Some(self.actors.owner_a);
        // What the row holds once written (a trigger may set the columns itself),
        // read back from the insert: the verdict is on what was stored.
        let stored = fk.columns.iter().map(|c| format!("{}, {}", quote_literal(c), quote(c))).collect::<Vec<_>>();
        let returning = format!(" RETURNING jsonb_build_object({})", stored.join(", "));
        let r_b = self.insert_returning(&vector, a, owner, &Value::Object(to_b.clone()), &returning).await;
        let r_none = self.insert_in(&vector, a, owner, &Value::Object(to_nothing), "").await;
        let points_at_b = |row: &Value| fk.columns.iter().all(|c| row[c] == to_b[c]);
        Ok(match (r_b, r_none) {
            (Ok(row), _) if points_at_b(&row) => {
                self.finding(&vector, Verdict::Leak, format!("A's row now references B's row in {}", fk.parent))
            }
            (Ok(row), _) => self.finding(
                &vector,
                Verdict::Blocked,
                format!("the stored row does not name B's parent: the database set {row}"),
            ),
            (Err(e_b), Err(e_none)) if code(&e_b) == code(&e_none) => {
                self.finding(&vector, Verdict::Blocked, format!("{}; same as a missing parent", describe(&e_b)))
            }
            (Err(e_b), r_none) => self.finding(
                &vector,
                Verdict::Leak,
                format!(
                    "existence oracle: B's parent gives {}, a missing one {:?}",
                    describe(&e_b),
                    r_none.map_err(|e| describe(&e))
                ),
            ),
        })
    }

    async fn copy_out(&self) -> Finding {
        let a = self.actors.tenant_a;
        let client = self.probe.client;
        let result: Result<String, tokio_postgres::Error> = async {
            client.batch_execute(&begin(self.signer, a, Some(self.actors.owner_a))).await?;
            client.batch_execute(&format!("SET LOCAL ROLE {APP_ROLE}")).await?;
            let stream = client.copy_out(&format!("COPY {} TO STDOUT", self.table.name)).await?;
            let chunks: Vec<bytes::Bytes> = stream.try_collect().await?;
            Ok(chunks.iter().map(|c| String::from_utf8_lossy(c)).collect())
        }
        .await;
        let _ = client.batch_execute("ROLLBACK").await;
        match result {
            Ok(data) if self.probe.markers.find(&data, &[]).is_some() => self.finding(
                "copy_out",
                Verdict::Leak,
                format!("B's value {:?} in the output", self.probe.markers.find(&data, &[]).unwrap()),
            ),
            Ok(data) => {
                self.finding("copy_out", Verdict::Blocked, format!("{} lines, none of B's", data.lines().count()))
            }
            Err(e) => self.blocked_if_refused("copy_out", &e),
        }
    }

    /// On a connection of its own: a refused COPY leaves its connection unusable.
    async fn copy_in(&self) -> Finding {
        let (a, b) = (self.actors.tenant_a, self.actors.tenant_b);
        let app = match connect(self.app_config).await {
            Ok(app) => app,
            Err(e) => return self.finding("copy_in", Verdict::Inconclusive, format!("{e:#}")),
        };
        let result: Result<u64, tokio_postgres::Error> = async {
            app.batch_execute(&begin(self.signer, a, Some(self.actors.owner_a))).await?;
            let sink = app
                .copy_in(&format!("COPY {} ({}) FROM STDIN", self.table.name, quote(&self.table.tenant_column)))
                .await?;
            pin_mut!(sink);
            sink.send(bytes::Bytes::from(format!("{b}\n"))).await?;
            sink.finish().await
        }
        .await;
        match result {
            Ok(n) => self.finding("copy_in", Verdict::Leak, format!("{n} rows copied in for B")),
            Err(e) => self.finding("copy_in", Verdict::Blocked, describe(&e)),
        }
    }

    fn expect_zero(&self, vector: &str, n: Result<i64, tokio_postgres::Error>) -> Finding {
        match n {
            Ok(0) => self.finding(vector, Verdict::Blocked, "0 rows"),
            Ok(n) => self.finding(vector, Verdict::Leak, format!("{n} rows")),
            Err(e) => self.blocked_if_refused(vector, &e),
        }
    }

    fn expect_no_rows(&self, vector: &str, r: Outcome) -> Finding {
        match r {
            Ok(0) => self.finding(vector, Verdict::Blocked, "0 rows"),
            Ok(n) => self.finding(vector, Verdict::Leak, format!("{n} rows")),
            Err(e) => self.blocked_if_refused(vector, &e),
        }
    }

    fn blocked_if_refused(&self, vector: &str, e: &tokio_postgres::Error) -> Finding {
        if is_refusal(e) {
            self.finding(vector, Verdict::Blocked, describe(e))
        } else {
            self.finding(vector, Verdict::Inconclusive, format!("failed for another reason: {}", describe(e)))
        }
    }

    async fn exec_in(
        &self,
        vector: &str,
        tenant: Uuid,
        user: Option<Uuid>,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Outcome {
        self.run_as(vector, &begin(self.signer, tenant, user), sql, params, &self.named_in_sql()).await.map(|r| r.1)
    }

    async fn exec_raw(&self, vector: &str, begin: &str, sql: &str) -> Outcome {
        self.run_as(vector, begin, sql, &[], &self.named_in_sql()).await.map(|r| r.1)
    }

    async fn count_in(
        &self,
        vector: &str,
        tenant: Uuid,
        user: Option<Uuid>,
        sql: &str,
    ) -> Result<i64, tokio_postgres::Error> {
        self.count_in_raw(vector, Some(&begin(self.signer, tenant, user)), sql).await
    }

    async fn count_in_raw(&self, vector: &str, begin: Option<&str>, sql: &str) -> Result<i64, tokio_postgres::Error> {
        let (rows, _) = self.run_as(vector, begin.unwrap_or("BEGIN"), sql, &[], &self.named_in_sql()).await?;
        Ok(rows.first().map(|r| r.get::<_, i64>(0)).unwrap_or(0))
    }

    /// What the vectors write into their SQL text themselves: B's tenant id.
    fn named_in_sql(&self) -> Vec<String> {
        vec![self.actors.tenant_b.to_string()]
    }

    /// `sql` as the app role after `begin`, rolled back. What the ground truth
    /// shows is recorded as a leak of `vector` whatever the statement answered: a
    /// value of B's in its rows or its error text (other than those `passed` in),
    /// or B's rows changed.
    async fn run_as(
        &self,
        vector: &str,
        begin: &str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        passed: &[String],
    ) -> Result<(Vec<Row>, u64), tokio_postgres::Error> {
        let outcome = self.probe.run(begin, sql, params, passed).await?;
        let mut ground = self.ground.lock().expect("the attack runs on one task");
        if let Some(marker) = &outcome.leaked {
            ground.push(self.finding(vector, Verdict::Leak, format!("B's value {marker:?} in what the app got back")));
        }
        if outcome.changed_b {
            ground.push(self.finding(
                vector,
                Verdict::Leak,
                "B's rows changed (read as superuser before the rollback)",
            ));
        }
        outcome.result
    }
}

/// Every value of a JSON row, as text: what an insert passes in itself.
fn values_of(row: &Value) -> Vec<String> {
    match row {
        Value::Object(fields) => fields
            .values()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// What the server sends to act as a tenant: BEGIN and the signed context.
fn begin(signer: &Signer, tenant: Uuid, user: Option<Uuid>) -> String {
    signer.begin_sql(&TenantCtx { tenant_id: tenant, user_id: user, meta: Default::default() })
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn code(e: &tokio_postgres::Error) -> String {
    e.code().map(|c| c.code().to_string()).unwrap_or_default()
}

fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} {}", db.code().code(), db.message()),
        None => e.to_string(),
    }
}

fn is_rls(e: &tokio_postgres::Error) -> bool {
    e.as_db_error().is_some_and(|d| d.message().contains("row-level security"))
}

/// Refused by isolation: a policy, a missing privilege, or a foreign key.
fn is_refusal(e: &tokio_postgres::Error) -> bool {
    matches!(code(e).as_str(), "42501" | "23503" | "0A000")
}
