//! The audit trail: every write on every tenant table (the catalog's list) is
//! recorded with its actor and request; the app cannot alter the log; tampering by
//! a superuser is found; writers never wait for each other's chain, and the sealer
//! keeps one valid chain per tenant in transaction order, a long transaction in its
//! place; existing chains upgrade in place; retention keeps the chains valid.

use std::net::IpAddr;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use indicatif::ProgressBar;
use serde_json::{json, Value};
use sha2::Digest;
use tenantbase::audit::{self, checkpoints, Checkpointer, PruneOptions, VerifyReport, PLATFORM_CHAIN};
use tenantbase::clock::Clock;
use tenantbase::db::context::CONTEXT_TTL;
use tenantbase::db::{connect, migrate, url_of, RequestMeta, TenantCtx, TenantTx};
use tenantbase::isolation::catalog::{self, TenantTable};
use tenantbase::signing::{OperatorKey, PublicKey};
use tokio_postgres::types::ToSql;
use tokio_postgres::Client;
use uuid::Uuid;

use crate::common::{sqlstate, TestDb};

fn acting(tenant: Uuid, user: Uuid, request_id: &str) -> TenantCtx {
    TenantCtx::new(tenant, user)
        .with_meta(RequestMeta { request_id: Some(request_id.to_string()), ..Default::default() })
}

/// Seals what has been written, then walks the chains.
async fn verify(admin: &mut Client, tenant: Option<&str>) -> VerifyReport {
    crate::common::seal_everything(admin).await;
    audit::verify(admin, tenant, Clock::system().today(), &ProgressBar::hidden()).await.unwrap()
}

fn assert_intact(report: &VerifyReport) {
    let broken: Vec<String> = report.broken().map(|c| c.to_string()).collect();
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// Who performs a write: the app as Olivia (acme's owner) where the app role may,
/// else a superuser carrying the same context, as a platform operator would. Either
/// way the write is rolled back when done.
enum Writer<'a> {
    App(Box<TenantTx>),
    Operator(&'a Client),
}

impl Writer<'_> {
    async fn execute(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64, String> {
        match self {
            Writer::App(tx) => tx.execute(sql, params).await.map_err(|e| format!("{e:?}")),
            Writer::Operator(admin) => admin.execute(sql, params).await.map_err(|e| format!("{e:?}")),
        }
    }

    async fn query(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Vec<tokio_postgres::Row> {
        match self {
            Writer::App(tx) => tx.query(sql, params).await.unwrap(),
            Writer::Operator(admin) => admin.query(sql, params).await.unwrap(),
        }
    }

    fn db_role(&self) -> &'static str {
        match self {
            Writer::App(_) => "tenantbase_app",
            Writer::Operator(_) => "postgres",
        }
    }

    async fn roll_back(self) {
        match self {
            Writer::App(tx) => tx.rollback().await.unwrap(),
            Writer::Operator(admin) => admin.batch_execute("ROLLBACK").await.unwrap(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Write {
    Update,
    Delete,
    Insert,
}

impl Write {
    fn operation(self) -> &'static str {
        match self {
            Write::Update => "update",
            Write::Delete => "delete",
            Write::Insert => "insert",
        }
    }

    /// Whether the app role holds the privilege this write needs.
    fn app_privilege_sql(self) -> &'static str {
        match self {
            Write::Update => "SELECT has_any_column_privilege('tenantbase_app', $1::text::regclass, 'UPDATE')",
            Write::Delete => "SELECT has_table_privilege('tenantbase_app', $1::text::regclass, 'DELETE')",
            // An insert puts back a row it first deletes: the app needs both.
            Write::Insert => {
                "SELECT has_table_privilege('tenantbase_app', $1::text::regclass, 'INSERT')
                    AND has_table_privilege('tenantbase_app', $1::text::regclass, 'DELETE')"
            }
        }
    }
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// One tenant table as the test drives it: its key, its columns, and acme's rows.
struct Target {
    table: TenantTable,
    key: Vec<String>,
    columns: Vec<String>,
    /// A column to update (set to itself: a write that changes no value): one the
    /// app may update when there is one, else any (the operator writes those tables).
    updatable: String,
    rows: Vec<Value>,
}

impl Target {
    async fn load(admin: &Client, table: TenantTable, tenant: Uuid) -> Target {
        let key = catalog::primary_key(admin, &table.name).await.unwrap().into_iter().map(|(name, _)| name).collect();
        let columns = catalog::insertable_columns(admin, &table.name).await.unwrap();
        let updatable: String = admin
            .query_one(
                "SELECT quote_ident(attname) FROM pg_attribute
                 WHERE attrelid = $1::text::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
                 ORDER BY has_column_privilege('tenantbase_app', attrelid, attnum, 'UPDATE') DESC, attnum LIMIT 1",
                &[&table.name],
            )
            .await
            .unwrap()
            .get(0);
        let rows = admin
            .query(
                &format!(
                    "SELECT to_jsonb(t) FROM {} t WHERE {} = $1 ORDER BY to_jsonb(t)::text",
                    table.name,
                    quote(&table.tenant_column)
                ),
                &[&tenant],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        Target { table, key, columns, updatable, rows }
    }

    fn key_match(&self) -> String {
        let key = self.key.iter().map(|k| quote(k)).collect::<Vec<_>>().join(", ");
        format!("({key}) = (SELECT {key} FROM jsonb_populate_record(NULL::{}, $1::jsonb))", self.table.name)
    }

    fn key_of(&self, row: &Value) -> Value {
        Value::Object(self.key.iter().map(|k| (k.clone(), row[k].clone())).collect())
    }

    fn update_sql(&self) -> String {
        format!("UPDATE {} SET {col} = {col} WHERE {}", self.table.name, self.key_match(), col = self.updatable)
    }

    fn delete_sql(&self) -> String {
        format!("DELETE FROM {} WHERE {}", self.table.name, self.key_match())
    }

    fn insert_sql(&self) -> String {
        let cols = self.columns.join(", ");
        format!(
            "INSERT INTO {t} ({cols}) SELECT {cols} FROM jsonb_populate_record(NULL::{t}, $1::jsonb)",
            t = self.table.name
        )
    }

    /// Performs `write` on one of acme's rows (the first the writer may delete, for
    /// a delete or an insert: an insert puts a deleted row back) and returns that
    /// row, or why no row could take the write (rows other rows refer to, rules).
    async fn perform(&self, writer: &mut Writer<'_>, write: Write) -> Result<Value, String> {
        if write == Write::Update {
            let row = &self.rows[0];
            assert_eq!(writer.execute(&self.update_sql(), &[row]).await, Ok(1), "{}: update", self.table.name);
            return Ok(row.clone());
        }
        let mut refusals = Vec::new();
        for row in &self.rows {
            writer.execute("SAVEPOINT candidate", &[]).await.unwrap();
            let done = match writer.execute(&self.delete_sql(), &[row]).await {
                Ok(1) if write == Write::Insert => writer.execute(&self.insert_sql(), &[row]).await,
                other => other,
            };
            match done {
                Ok(1) => return Ok(row.clone()),
                other => {
                    refusals.push(format!("{other:?}"));
                    writer.execute("ROLLBACK TO SAVEPOINT candidate", &[]).await.unwrap();
                }
            }
        }
        Err(format!("{}: no row of acme could take the {}: {refusals:?}", self.table.name, write.operation()))
    }
}

#[tokio::test]
async fn every_write_on_every_tenant_table_is_recorded_with_its_actor_and_request() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let (acme, olivia) = (seeded.tenant("acme"), seeded.user("olivia@acme.com"));
    let admin = db.admin().await;
    let operator = db.admin().await;
    let pool = db.app_pool(1);
    let tables: Vec<TenantTable> = catalog::tenant_tables(&admin)
        .await
        .unwrap()
        .into_iter()
        .filter(|t| !t.is_partition && !t.name.starts_with("audit."))
        .collect();
    assert!(tables.len() >= 6, "{tables:?}");

    let mut checked = Vec::new();
    for table in tables {
        let target = Target::load(&admin, table, acme).await;
        assert!(!target.rows.is_empty(), "the demo seed has no row of acme in {}", target.table.name);
        for write in [Write::Update, Write::Delete, Write::Insert] {
            let request_id = format!("{}:{}", target.table.name, write.operation());
            let app_may: bool = admin.query_one(write.app_privilege_sql(), &[&target.table.name]).await.unwrap().get(0);
            let mut writer = if app_may {
                Writer::App(Box::new(pool.tenant_tx(&acting(acme, olivia, &request_id)).await.unwrap()))
            } else {
                operator.batch_execute(&db.signer().begin_sql(&acting(acme, olivia, &request_id))).await.unwrap();
                Writer::Operator(&operator)
            };
            let row = match target.perform(&mut writer, write).await {
                Ok(row) => row,
                Err(refused) => {
                    // Every seeded row is referred to or guarded by a business rule: an
                    // operator in replica mode (no foreign keys, no ordinary triggers)
                    // still leaves an entry, since the audit trigger fires ALWAYS.
                    writer.roll_back().await;
                    operator.batch_execute(&db.signer().begin_sql(&acting(acme, olivia, &request_id))).await.unwrap();
                    operator.batch_execute("SET LOCAL session_replication_role = replica").await.unwrap();
                    writer = Writer::Operator(&operator);
                    target.perform(&mut writer, write).await.unwrap_or_else(|again| panic!("{refused}\n{again}"))
                }
            };

            let deletes_the_tenant = target.table.tenant_column == "id" && write == Write::Delete;
            let entries = if deletes_the_tenant {
                // The tenant's trail goes with it; its deletion is a platform event.
                // Before they are sealed, the writer reads its own transaction's entries.
                writer
                    .query(
                        "SELECT user_id, request_id, db_role, jsonb_build_object('id', target_id) FROM audit.platform_pending
                         WHERE request_id = $1 AND event_action = 'tenant.deleted'",
                        &[&request_id],
                    )
                    .await
            } else {
                writer
                    // A delete may cascade to other rows of the table (subtasks): each has
                    // its own entry; this one is the written row's.
                    .query(
                        "SELECT user_id, request_id, db_role, row_key FROM audit.log_pending
                         WHERE request_id = $1 AND table_name = $2 AND operation = $3::text::audit.operation
                           AND row_key = $4::jsonb",
                        &[&request_id, &target.table.name, &write.operation(), &target.key_of(&row)],
                    )
                    .await
            };
            assert_eq!(entries.len(), 1, "{request_id}: one entry expected");
            let entry = &entries[0];
            assert_eq!(entry.get::<_, Option<Uuid>>(0), Some(olivia), "{request_id}: actor");
            assert_eq!(entry.get::<_, Option<String>>(1).as_deref(), Some(request_id.as_str()));
            assert_eq!(entry.get::<_, String>(2), writer.db_role(), "{request_id}: database role");
            assert_eq!(entry.get::<_, Value>(3), target.key_of(&row), "{request_id}: primary key");
            writer.roll_back().await;
            checked.push(request_id);
        }
    }
    assert!(
        checked.iter().any(|r| r == "tenancy.memberships:insert")
            && checked.iter().any(|r| r == "tenancy.tenants:delete")
    );
}

#[tokio::test]
async fn an_update_records_what_changed_and_where_the_request_came_from() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let (acme, olivia, bob) = (seeded.tenant("acme"), seeded.user("olivia@acme.com"), seeded.user("bob@acme.com"));
    let support = seeded.user("tom@techstartup.io");
    let api_key = Uuid::new_v4();
    let ctx = TenantCtx::new(acme, olivia).with_meta(RequestMeta {
        request_id: Some("req-promote-bob".into()),
        api_key_id: Some(api_key),
        client_ip: Some("203.0.113.7".parse::<IpAddr>().unwrap()),
        user_agent: Some("tenantbase-test/1.0".into()),
        impersonated_by: Some(support),
    });
    let pool = db.app_pool(1);
    let promoted = pool
        .tenant_query(&ctx, "UPDATE tenancy.memberships SET role = 'admin' WHERE user_id = $1 RETURNING id", &[&bob])
        .await
        .unwrap();
    let membership: Uuid = promoted[0].get(0);
    crate::common::seal_everything(&db.admin().await).await;

    let rows = pool
        .tenant_query(
            &ctx,
            "SELECT event_type::text, event_action, event_description, target_type, target_id, old_values, new_values,
                    user_id, impersonated_by, api_key_id, host(ip_address), user_agent, db_role
             FROM audit.log WHERE request_id = 'req-promote-bob'",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let e = &rows[0];
    assert_eq!(e.get::<_, String>(0), "authorization", "a role granted is an authorization event");
    assert_eq!(e.get::<_, String>(1), "memberships.updated");
    assert_eq!(e.get::<_, Option<String>>(2).as_deref(), Some("changed: role, row_version, updated_at"));
    assert_eq!(e.get::<_, Option<String>>(3).as_deref(), Some("memberships"));
    assert_eq!(e.get::<_, Option<Uuid>>(4), Some(membership));
    let (old, new): (Value, Value) = (e.get(5), e.get(6));
    assert_eq!(old["role"], json!("member"));
    assert_eq!(new["role"], json!("admin"));
    let changed = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(changed(&old), ["role", "row_version", "updated_at"], "only what changed: {old}");
    assert_eq!(changed(&new), ["role", "row_version", "updated_at"]);
    assert_eq!(e.get::<_, Option<Uuid>>(7), Some(olivia));
    assert_eq!(e.get::<_, Option<Uuid>>(8), Some(support));
    assert_eq!(e.get::<_, Option<Uuid>>(9), Some(api_key));
    assert_eq!(e.get::<_, Option<String>>(10).as_deref(), Some("203.0.113.7"));
    assert_eq!(e.get::<_, Option<String>>(11).as_deref(), Some("tenantbase-test/1.0"));
    assert_eq!(e.get::<_, String>(12), "tenantbase_app");
}

#[tokio::test]
async fn the_app_cannot_alter_the_log_and_reads_only_its_own_tenants_entries() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let (acme, olivia) = (seeded.tenant("acme"), seeded.user("olivia@acme.com"));
    let admin = db.admin().await;
    let pool = db.app_pool(1);
    let owner = acting(acme, olivia, "req-tamper");
    let partition: String =
        admin.query_one("SELECT partition::text FROM audit.partitions() LIMIT 1", &[]).await.unwrap().get(0);

    let attempts = [
        "UPDATE audit.log SET event_description = 'nothing happened'".to_string(),
        "DELETE FROM audit.log".to_string(),
        "TRUNCATE audit.log".to_string(),
        format!(
            "INSERT INTO audit.log (tenant_id, id, occurred_at, event_type, event_action, db_role, xact_id, hash)
             VALUES ('{acme}', 1000, now(), 'data_change', 'forged', 'app', pg_current_xact_id(), sha256('x'))"
        ),
        format!("SELECT count(*) FROM {partition}"),
        format!("DELETE FROM {partition}"),
        "SELECT count(*) FROM audit.platform_log".to_string(),
        "UPDATE audit.chains SET head_id = 0".to_string(),
        "DELETE FROM audit.chain_bases".to_string(),
        "SELECT audit.record_platform_event('system_event', 'forged', NULL)".to_string(),
        "SELECT audit.ensure_partitions(current_date)".to_string(),
        "SELECT audit.set_auditing(false)".to_string(),
        "ALTER TABLE tenancy.roles DISABLE TRIGGER audit_insert".to_string(),
        "SELECT audit.seal()".to_string(),
        "DELETE FROM audit.log_pending".to_string(),
        "SELECT count(*) FROM audit.platform_pending".to_string(),
    ];
    for sql in &attempts {
        let mut tx = pool.tenant_tx(&owner).await.unwrap();
        let refused = tx.execute(sql, &[]).await.expect_err(sql);
        assert_eq!(refused.code().map(|c| c.code()), Some("42501"), "{sql}: {refused:?}");
        drop(tx);
    }

    // Reading takes the tenant's context and the 'audit' 'read' permission.
    let in_acme: i64 =
        admin.query_one("SELECT count(*) FROM audit.log WHERE tenant_id = $1", &[&acme]).await.unwrap().get(0);
    let seen = pool.tenant_query(&owner, "SELECT tenant_id FROM audit.log", &[]).await.unwrap();
    assert_eq!(seen.len() as i64, in_acme);
    assert!(in_acme > 0 && seen.iter().all(|r| r.get::<_, Uuid>(0) == acme));
    let nobody = TenantCtx { tenant_id: acme, user_id: None, meta: RequestMeta::default() };
    let members = pool.tenant_query(&nobody, "SELECT 1 FROM tenancy.memberships", &[]).await.unwrap();
    let entries = pool.tenant_query(&nobody, "SELECT 1 FROM audit.log", &[]).await.unwrap();
    assert!(!members.is_empty() && entries.is_empty(), "without a user holding 'audit' 'read', no entry is readable");

    // Not even the owner or a superuser changes an entry while the log's triggers are on.
    let refused =
        admin.execute("UPDATE audit.log SET event_description = 'edited' WHERE tenant_id = $1", &[&acme]).await;
    assert_eq!(sqlstate(refused), "42501");
    assert_eq!(sqlstate(admin.execute("DELETE FROM audit.platform_log", &[]).await), "42501");
    assert_eq!(sqlstate(admin.batch_execute(&format!("TRUNCATE {partition}")).await), "42501");
}

/// Runs `sql` as a superuser who has switched the log's triggers off: what tampering looks like.
async fn tamper(admin: &Client, sql: &str, params: &[&(dyn ToSql + Sync)]) {
    admin.batch_execute("BEGIN; SET LOCAL session_replication_role = replica").await.unwrap();
    admin.execute(sql, params).await.unwrap();
    admin.batch_execute("COMMIT").await.unwrap();
}

#[tokio::test]
async fn planted_tampering_is_found_by_verify() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let acme = seeded.tenant("acme");
    let mut admin = db.admin().await;
    assert_intact(&verify(&mut admin, None).await);
    let broken_at = |report: VerifyReport| {
        let chain = report.chain(acme).expect("acme's chain is walked").clone();
        assert!(report.chains.iter().filter(|c| c.chain.id != acme).all(|c| c.broken.is_none()));
        chain.broken.clone().unwrap_or_else(|| panic!("tampering not found: {chain}"))
    };

    // An edited entry.
    let original = saved(&admin, acme, 3).await;
    tamper(&admin, "UPDATE audit.log SET request_id = 'forged' WHERE tenant_id = $1 AND id = 3", &[&acme]).await;
    let b = broken_at(verify(&mut admin, Some("acme")).await);
    assert_eq!(b.entry_id, 3);
    assert!(b.reason.contains("does not match its hash"), "{}", b.reason);
    assert_ne!(b.expected_hash, b.stored_hash);
    assert_eq!(b.stored_hash, hex::encode(hex_bytes(&original["hash"])));
    assert!(b.table.is_some() && b.occurred_at.is_some());
    tamper(&admin, "DELETE FROM audit.log WHERE tenant_id = $1 AND id = 3", &[&acme]).await;
    tamper(&admin, RESTORE, &[&original]).await;
    assert_intact(&verify(&mut admin, Some("acme")).await);

    // A deleted entry.
    let original = saved(&admin, acme, 4).await;
    tamper(&admin, "DELETE FROM audit.log WHERE tenant_id = $1 AND id = 4", &[&acme]).await;
    let b = broken_at(verify(&mut admin, None).await);
    assert_eq!(b.entry_id, 5);
    assert!(b.reason.contains("#4 was expected next, not #5"), "{}", b.reason);
    tamper(&admin, RESTORE, &[&original]).await;
    assert_intact(&verify(&mut admin, None).await);

    // Two entries swapped: their places in the chain...
    let swap = "UPDATE audit.log SET id = CASE id WHEN 5 THEN 6 ELSE 5 END WHERE tenant_id = $1 AND id IN (5, 6)";
    tamper(&admin, swap, &[&acme]).await;
    let b = broken_at(verify(&mut admin, Some("acme")).await);
    assert_eq!(b.entry_id, 6);
    assert!(b.reason.contains("#5 was expected next, not #6"), "{}", b.reason);
    tamper(&admin, swap, &[&acme]).await;
    assert_intact(&verify(&mut admin, Some("acme")).await);
    // ...or their places and times, so that they come in the order of their ids.
    swap_contents(&admin, acme, 5, 6).await;
    let b = broken_at(verify(&mut admin, Some("acme")).await);
    assert_eq!(b.entry_id, 5);
    assert!(b.reason.contains("does not match its hash"), "{}", b.reason);
    swap_contents(&admin, acme, 5, 6).await;
    assert_intact(&verify(&mut admin, Some("acme")).await);

    // The newest entries cut off: the chain no longer reaches its recorded head.
    let head: i64 =
        admin.query_one("SELECT head_id FROM audit.chains WHERE chain_id = $1", &[&acme]).await.unwrap().get(0);
    tamper(&admin, "DELETE FROM audit.log WHERE tenant_id = $1 AND id >= $2", &[&acme, &head]).await;
    let b = broken_at(verify(&mut admin, Some("acme")).await);
    assert_eq!(b.entry_id, head - 1);
    assert!(b.reason.contains("removed from its end"), "{}", b.reason);

    // The platform chain is walked too.
    tamper(&admin, "UPDATE audit.platform_log SET user_id = $1 WHERE id = 2", &[&seeded.user("bob@acme.com")]).await;
    let report = verify(&mut admin, None).await;
    let platform = report.chain(PLATFORM_CHAIN).unwrap();
    assert_eq!(platform.broken.as_ref().map(|b| b.entry_id), Some(2), "{platform}");
}

const RESTORE: &str = "INSERT INTO audit.log SELECT * FROM jsonb_populate_record(NULL::audit.log, $1::jsonb)";

/// Exchanges two entries' contents, each keeping its place (id and time) in the chain.
async fn swap_contents(admin: &Client, tenant: Uuid, a: i64, b: i64) {
    let (entry_a, entry_b) = (saved(admin, tenant, a).await, saved(admin, tenant, b).await);
    tamper(admin, "DELETE FROM audit.log WHERE tenant_id = $1 AND id IN ($2, $3)", &[&tenant, &a, &b]).await;
    for (entry, place) in [(&entry_a, &entry_b), (&entry_b, &entry_a)] {
        let mut moved = entry.clone();
        moved["id"] = place["id"].clone();
        moved["occurred_at"] = place["occurred_at"].clone();
        tamper(admin, RESTORE, &[&moved]).await;
    }
}

async fn saved(admin: &Client, tenant: Uuid, id: i64) -> Value {
    admin
        .query_one("SELECT to_jsonb(l) FROM audit.log l WHERE tenant_id = $1 AND id = $2", &[&tenant, &id])
        .await
        .unwrap()
        .get(0)
}

fn hex_bytes(value: &Value) -> Vec<u8> {
    // to_jsonb renders bytea as "\x..." text.
    hex::decode(value.as_str().unwrap().trim_start_matches("\\x")).unwrap()
}

#[tokio::test]
async fn concurrent_writers_of_one_tenant_keep_one_valid_chain() {
    const TASKS: usize = 16;
    const WRITES: usize = 50;
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let (acme, olivia) = (seeded.tenant("acme"), seeded.user("olivia@acme.com"));
    let mut admin = db.admin().await;
    let count = "SELECT count(*) FROM audit.log WHERE tenant_id = $1";
    let before: i64 = admin.query_one(count, &[&acme]).await.unwrap().get(0);

    let pool = Arc::new(db.app_pool(8));
    let mut tasks = Vec::new();
    for task in 0..TASKS {
        let pool = pool.clone();
        tasks.push(tokio::spawn(async move {
            for write in 0..WRITES {
                let ctx = acting(acme, olivia, &format!("req-{task}-{write}"));
                pool.tenant_query(
                    &ctx,
                    "INSERT INTO tenancy.roles (tenant_id, name) VALUES ($1, $2)",
                    &[&acme, &format!("r_{task}_{write}")],
                )
                .await
                .unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }

    crate::common::seal_everything(&admin).await;
    let after: i64 = admin.query_one(count, &[&acme]).await.unwrap().get(0);
    assert_eq!(after - before, (TASKS * WRITES) as i64, "one entry per write");
    let recorded: i64 = admin
        .query_one(
            "SELECT count(DISTINCT request_id) FROM audit.log WHERE tenant_id = $1 AND request_id LIKE 'req-%'",
            &[&acme],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(recorded, (TASKS * WRITES) as i64);
    let report = verify(&mut admin, Some("acme")).await;
    assert_intact(&report);
    assert_eq!(report.chains[0].entries as i64, after, "ids 1..{after} without a gap");
}

/// Opens a transaction of the app role acting in `tenant`, at `isolation`.
async fn app_session(db: &TestDb, tenant: Uuid, user: Uuid, isolation: &str) -> Client {
    let client = connect(&db.target.app).await.unwrap();
    let context =
        TenantCtx::new(tenant, user).context_sql(&db.context_key(), std::time::SystemTime::now() + CONTEXT_TTL);
    client.batch_execute(&format!("BEGIN ISOLATION LEVEL {isolation}; {context}")).await.unwrap();
    client
}

const ADD_ROLE: &str = "INSERT INTO tenancy.roles (tenant_id, name) VALUES ($1, $2)";

/// The names of the roles `names` in `tenant`'s chain, in chain order.
async fn chained_roles(admin: &Client, tenant: Uuid, names: &[&str]) -> Vec<String> {
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    admin
        .query(
            "SELECT new_values ->> 'name' FROM audit.log WHERE tenant_id = $1 AND table_name = 'tenancy.roles'
             AND operation = 'insert' AND new_values ->> 'name' = ANY ($2) ORDER BY id",
            &[&tenant, &names],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[tokio::test]
async fn writers_never_wait_for_a_chain_and_a_long_transaction_is_sealed_in_its_place() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let (acme, techstartup) = (seeded.tenant("acme"), seeded.tenant("tech-startup"));
    let mut admin = db.admin().await;

    // Olivia's transaction writes in acme and stays open.
    let olivia = app_session(&db, acme, seeded.user("olivia@acme.com"), "READ COMMITTED").await;
    olivia.execute(ADD_ROLE, &[&acme, &"held_open"]).await.unwrap();

    // Alice in acme and Tom in tech-startup write and commit meanwhile, waiting for
    // nobody: a lock timeout of 1 ms turns any wait into an error.
    for (tenant, user, name) in
        [(acme, "alice@acme.com", "after_olivia"), (techstartup, "tom@techstartup.io", "in_parallel")]
    {
        let writer = app_session(&db, tenant, seeded.user(user), "READ COMMITTED").await;
        writer.batch_execute("SET LOCAL lock_timeout = '1ms'").await.unwrap();
        writer.execute(ADD_ROLE, &[&tenant, &name]).await.expect("no writer waits for another's chain");
        writer.batch_execute("COMMIT").await.unwrap();
    }

    // Nothing is sealed past Olivia's transaction while it runs: the entries
    // committed after it started wait, and the lag says so.
    audit::seal(&admin).await.unwrap();
    assert!(chained_roles(&admin, acme, &["held_open", "after_olivia"]).await.is_empty());
    assert!(chained_roles(&admin, techstartup, &["in_parallel"]).await.is_empty());
    let lag = audit::lag(&admin).await.unwrap();
    assert_eq!(lag.unsealed, 2, "{lag:?}");
    let report = audit::verify(&mut admin, None, Clock::system().today(), &ProgressBar::hidden()).await.unwrap();
    assert_intact(&report);
    assert_eq!(report.lag.unsealed, 2, "verify reports the unsealed entries");

    // Once it commits, it is sealed in its place: before the transactions that
    // started after it, though they committed first.
    olivia.batch_execute("COMMIT").await.unwrap();
    crate::common::seal_everything(&admin).await;
    assert_eq!(chained_roles(&admin, acme, &["held_open", "after_olivia"]).await, ["held_open", "after_olivia"]);
    assert_eq!(chained_roles(&admin, techstartup, &["in_parallel"]).await, ["in_parallel"]);
    assert_eq!(audit::lag(&admin).await.unwrap(), audit::SealLag::default());
    assert_intact(&verify(&mut admin, None).await);
}

#[tokio::test]
async fn a_statement_writing_many_rows_gives_an_entry_per_row() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let (acme, olivia) = (seeded.tenant("acme"), seeded.user("olivia@acme.com"));
    let pool = db.app_pool(1);
    let ctx = acting(acme, olivia, "req-bulk");
    pool.tenant_query(
        &ctx,
        "INSERT INTO tenancy.roles (tenant_id, name) SELECT $1, 'bulk_' || i FROM generate_series(1, 300) AS i",
        &[&acme],
    )
    .await
    .unwrap();
    pool.tenant_query(&ctx, "UPDATE tenancy.roles SET description = 'renamed ' || name WHERE name LIKE 'bulk_%'", &[])
        .await
        .unwrap();
    pool.tenant_query(&ctx, "DELETE FROM tenancy.roles WHERE name LIKE 'bulk_%'", &[]).await.unwrap();
    let mut admin = db.admin().await;
    assert_intact(&verify(&mut admin, Some("acme")).await);
    let per_operation: Vec<(String, i64)> = admin
        .query(
            "SELECT operation::text, count(*) FROM audit.log WHERE tenant_id = $1 AND request_id = 'req-bulk'
             GROUP BY 1 ORDER BY 1",
            &[&acme],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let expected = [("delete", 300), ("insert", 300), ("update", 300)].map(|(op, n)| (op.to_string(), n));
    assert_eq!(per_operation, expected);
    // Each update's entry pairs its own row's old and new values.
    let paired: i64 = admin
        .query_one(
            "SELECT count(*) FROM audit.log u
             JOIN audit.log i ON i.tenant_id = u.tenant_id AND i.row_key = u.row_key AND i.operation = 'insert'
                             AND i.request_id = 'req-bulk'
             WHERE u.tenant_id = $1 AND u.request_id = 'req-bulk' AND u.operation = 'update'
               AND u.new_values ->> 'description' = 'renamed ' || (i.new_values ->> 'name')
               AND u.old_values -> 'description' = 'null'::jsonb",
            &[&acme],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(paired, 300);
}

#[tokio::test]
async fn a_repeatable_read_writer_that_started_before_another_commits_need_not_retry() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let acme = seeded.tenant("acme");
    let olivia = seeded.user("olivia@acme.com");
    let late = app_session(&db, acme, olivia, "REPEATABLE READ").await;
    late.query_one("SELECT count(*) FROM tenancy.roles", &[]).await.unwrap();
    let pool = db.app_pool(1);
    pool.tenant_query(&acting(acme, olivia, "req-first"), ADD_ROLE, &[&acme, &"first"]).await.unwrap();
    late.execute(ADD_ROLE, &[&acme, &"late"]).await.expect("the writer no longer reads the chain");
    late.batch_execute("COMMIT").await.unwrap();
    let mut admin = db.admin().await;
    assert_intact(&verify(&mut admin, Some("acme")).await);
    assert_eq!(chained_roles(&admin, acme, &["first", "late"]).await, ["first", "late"]);
}

#[tokio::test]
async fn tenant_creation_and_deletion_are_platform_events() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let bob = seeded.user("bob@acme.com");
    let pool = db.app_pool(1);
    let ctx = acting(seeded.tenant("acme"), bob, "req-bob-labs");
    let created: Uuid =
        pool.tenant_query(&ctx, "SELECT platform.create_my_tenant('Bob Labs', 'bob-labs')", &[]).await.unwrap()[0]
            .get(0);

    let mut admin = db.admin().await;
    crate::common::seal_everything(&admin).await;
    let event = admin
        .query_one(
            "SELECT user_id, request_id, db_role, metadata ->> 'slug' FROM audit.platform_log
             WHERE event_action = 'tenant.created' AND subject_tenant_id = $1",
            &[&created],
        )
        .await
        .unwrap();
    assert_eq!(event.get::<_, Option<Uuid>>(0), Some(bob));
    assert_eq!(event.get::<_, Option<String>>(1).as_deref(), Some("req-bob-labs"));
    assert_eq!(event.get::<_, String>(2), "tenantbase_app");
    assert_eq!(event.get::<_, Option<String>>(3).as_deref(), Some("bob-labs"));
    let trail: Vec<(i64, String, Option<Uuid>)> = admin
        .query("SELECT id, event_action, user_id FROM audit.log WHERE tenant_id = $1 ORDER BY id", &[&created])
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(
        trail,
        [(1, "tenants.created".to_string(), Some(bob)), (2, "memberships.created".to_string(), Some(bob))],
        "the new tenant's chain starts with its creation and its owner's membership"
    );

    let final_hash: Vec<u8> = admin
        .query_one("SELECT hash FROM audit.log WHERE tenant_id = $1 AND id = 2", &[&created])
        .await
        .unwrap()
        .get(0);
    admin.execute("DELETE FROM tenancy.tenants WHERE id = $1", &[&created]).await.unwrap();
    crate::common::seal_everything(&admin).await;
    let deleted = admin
        .query_one(
            "SELECT metadata FROM audit.platform_log WHERE event_action = 'tenant.deleted' AND subject_tenant_id = $1",
            &[&created],
        )
        .await
        .unwrap();
    let metadata: Value = deleted.get(0);
    assert_eq!(metadata["final_entry"], json!(2));
    assert_eq!(metadata["final_hash"], json!(hex::encode(final_hash)));
    let left: i64 = admin
        .query_one(
            "SELECT (SELECT count(*) FROM audit.log WHERE tenant_id = $1) + (SELECT count(*) FROM audit.chains WHERE chain_id = $1)",
            &[&created],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(left, 3, "a deleted tenant's trail and chain outlive it (docs/tenant-lifecycle.md)");
    assert_intact(&verify(&mut admin, None).await);
}

/// Moves a chain's entries up to `through` (all of them for None) back by
/// `months` and seals the chain again, as a superuser could: old entries to prune.
/// Moves `tenant`'s entries with ids in `ids` into the month starting `month`
/// (one second apart, in id order) and re-chains the tenant's log, as if they had
/// been written then.
async fn backdate(admin: &Client, tenant: Uuid, ids: std::ops::RangeInclusive<i64>, month: NaiveDate) {
    let month_start = month.and_hms_opt(0, 0, 0).unwrap().and_utc();
    admin.batch_execute("BEGIN; SET LOCAL session_replication_role = replica").await.unwrap();
    admin
        .execute(
            "UPDATE audit.log SET occurred_at = $4::timestamptz + make_interval(secs => id)
             WHERE tenant_id = $1 AND id BETWEEN $2 AND $3",
            &[&tenant, ids.start(), ids.end(), &month_start],
        )
        .await
        .unwrap();
    admin
        .batch_execute(&format!(
            "DO $$
             DECLARE
                 previous bytea := decode(repeat('00', 32), 'hex');
                 e audit.log;
             BEGIN
                 FOR e IN SELECT * FROM audit.log WHERE tenant_id = '{tenant}' ORDER BY id LOOP
                     e.hash := audit.entry_hash(previous, e);
                     UPDATE audit.log SET hash = e.hash WHERE tenant_id = e.tenant_id AND id = e.id AND occurred_at = e.occurred_at;
                     previous := e.hash;
                 END LOOP;
                 UPDATE audit.chains SET head_hash = e.hash, head_at = e.occurred_at WHERE chain_id = e.tenant_id;
             END
             $$"
        ))
        .await
        .unwrap();
    admin.batch_execute("COMMIT").await.unwrap();
}

/// The days the calendar-dependent tests run on: the edges of a month, its
/// middle, and a leap day. 14 months before the 1st is less than 400 days ago.
const CLOCK_DAYS: [&str; 4] = ["2023-05-01", "2023-05-15", "2023-05-28", "2024-02-29"];

fn noon(day: &str) -> Clock {
    Clock::fixed(format!("{day}T12:00:00Z").parse().unwrap())
}

fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap()
}

#[tokio::test]
async fn prune_on_the_first_of_a_month() {
    prune_exports_and_drops_old_months_and_the_chains_stay_valid(noon(CLOCK_DAYS[0])).await;
}

#[tokio::test]
async fn prune_on_the_fifteenth_of_a_month() {
    prune_exports_and_drops_old_months_and_the_chains_stay_valid(noon(CLOCK_DAYS[1])).await;
}

#[tokio::test]
async fn prune_on_the_twenty_eighth_of_a_month() {
    prune_exports_and_drops_old_months_and_the_chains_stay_valid(noon(CLOCK_DAYS[2])).await;
}

#[tokio::test]
async fn prune_on_a_leap_day() {
    prune_exports_and_drops_old_months_and_the_chains_stay_valid(noon(CLOCK_DAYS[3])).await;
}

/// At `clock`'s time, the month that ends before the retention's cut-off is
/// exported and dropped; the month the cut-off falls in is kept whole.
async fn prune_exports_and_drops_old_months_and_the_chains_stay_valid(clock: Clock) {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let (acme, techstartup) = (seeded.tenant("acme"), seeded.tenant("tech-startup"));
    let mut admin = db.admin().await;
    let cutoff = clock.today() - chrono::Days::new(audit::DEFAULT_RETENTION_DAYS.into());
    let kept_month = first_of_month(cutoff);
    let expired_month = first_of_month(kept_month - chrono::Days::new(1));
    let mut partitions = Vec::new();
    for month in [expired_month, kept_month] {
        let name: String = admin.query_one("SELECT audit.create_partition($1)", &[&month]).await.unwrap().get(0);
        partitions.push(name);
    }
    let (old, kept) = (&partitions[0], &partitions[1]);
    backdate(&admin, acme, 1..=3, expired_month).await;
    backdate(&admin, acme, 4..=5, kept_month).await;
    backdate(&admin, techstartup, 1..=i64::MAX, expired_month).await;
    let count = |partition: &str| format!("SELECT count(*) FROM audit.{partition}");
    let in_old: i64 = admin.query_one(&count(old), &[]).await.unwrap().get(0);
    let techstartup_entries: i64 =
        admin.query_one("SELECT count(*) FROM audit.log WHERE tenant_id = $1", &[&techstartup]).await.unwrap().get(0);
    assert_eq!(in_old, 3 + techstartup_entries);
    assert_eq!(admin.query_one(&count(kept), &[]).await.unwrap().get::<_, i64>(0), 2);
    assert_intact(&verify(&mut admin, None).await);

    let too_short = PruneOptions { retention_days: 30, export_dir: None };
    let refused = audit::prune(&mut admin, &too_short, &clock, &ProgressBar::hidden()).await.unwrap_err();
    assert!(refused.to_string().contains("at least 90 days"), "{refused}");

    let exports = tempfile::tempdir().unwrap();
    let options = PruneOptions { export_dir: Some(exports.path().to_path_buf()), ..Default::default() };
    let report = audit::prune(&mut admin, &options, &clock, &ProgressBar::hidden()).await.unwrap();
    assert_eq!(report.pruned.len(), 1, "at {clock:?}: {report:?}");
    let pruned = &report.pruned[0];
    assert_eq!((pruned.name.as_str(), pruned.entries), (format!("audit.{old}").as_str(), in_old));
    let (file, sha256) = pruned.export.clone().unwrap();
    let csv = std::fs::read(&file).unwrap();
    assert_eq!(hex::encode(sha2::Sha256::digest(&csv)), sha256);
    assert_eq!(String::from_utf8(csv).unwrap().lines().count() as i64, in_old + 1, "a header and every entry");
    let exists = |partition: String| {
        let admin = &admin;
        async move {
            let found: Option<String> =
                admin.query_one("SELECT to_regclass($1)::text", &[&partition]).await.unwrap().get(0);
            found.is_some()
        }
    };
    assert!(!exists(format!("audit.{old}")).await, "the expired month is dropped");
    assert!(exists(format!("audit.{kept}")).await, "the month the cut-off falls in is kept");
    crate::common::seal_everything(&admin).await;
    let recorded: Value = admin
        .query_one("SELECT metadata FROM audit.platform_log WHERE event_action = 'audit.partition_pruned'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!((recorded["entries"].clone(), recorded["export_sha256"].clone()), (json!(in_old), json!(sha256)));

    // Both chains now start where retention left them, and go on from there.
    assert_intact(&verify(&mut admin, None).await);
    let pool = db.app_pool(1);
    pool.tenant_query(
        &acting(acme, seeded.user("olivia@acme.com"), "req-after-prune"),
        ADD_ROLE,
        &[&acme, &"after_prune"],
    )
    .await
    .unwrap();
    pool.tenant_query(
        &acting(techstartup, seeded.user("tom@techstartup.io"), "req-after-prune"),
        ADD_ROLE,
        &[&techstartup, &"after_prune"],
    )
    .await
    .unwrap();
    crate::common::seal_everything(&admin).await;
    let first_after: i64 =
        admin.query_one("SELECT min(id) FROM audit.log WHERE tenant_id = $1", &[&techstartup]).await.unwrap().get(0);
    assert_eq!(first_after, techstartup_entries + 1, "a chain pruned to nothing continues after its last entry");
    let report = verify(&mut admin, None).await;
    assert_intact(&report);
    assert_eq!(report.chain(acme).unwrap().entries as i64, report.chain(acme).unwrap().head.as_ref().unwrap().0 - 3);

    let again = audit::prune(&mut admin, &options, &clock, &ProgressBar::hidden()).await.unwrap();
    assert!(again.pruned.is_empty() && again.created.is_empty(), "{again:?}");
}

#[tokio::test]
async fn the_coming_months_partitions_are_created_ahead_whatever_the_day() {
    for day in CLOCK_DAYS {
        let db = TestDb::new().await;
        let admin = db.admin().await;
        let today: NaiveDate = day.parse().unwrap();
        let created = audit::ensure_partitions(&admin, today).await.unwrap();
        let expected: Vec<String> = (0..4)
            .map(|i| format!("log_{}", (first_of_month(today) + chrono::Months::new(i)).format("%Y_%m")))
            .collect();
        assert_eq!(created, expected, "on {day}: this month and the next three");
        assert!(audit::ensure_partitions(&admin, today).await.unwrap().is_empty(), "on {day}: nothing twice");
        let last = expected.last().unwrap();
        admin.batch_execute(&format!("DROP TABLE audit.{last}")).await.unwrap();
        assert_eq!(audit::ensure_partitions(&admin, today).await.unwrap(), std::slice::from_ref(last));
        let forced: bool = admin
            .query_one(
                "SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = $1::text::regclass",
                &[&format!("audit.{last}")],
            )
            .await
            .unwrap()
            .get(0);
        assert!(forced, "a new partition has forced RLS");
    }
}

/// The server's own partitions come from its clock: `migrate` made the
/// template's for the day it ran.
#[tokio::test]
async fn migrate_creates_this_month_and_the_next_three() {
    let db = TestDb::new().await;
    let admin = db.admin().await;
    let months: Vec<String> = admin
        .query("SELECT to_char(from_at AT TIME ZONE 'UTC', 'YYYY_MM') FROM audit.partitions()", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let this_month = first_of_month(db.target.clock.today());
    for i in 0..4 {
        let month = (this_month + chrono::Months::new(i)).format("%Y_%m").to_string();
        assert!(months.contains(&month), "{month} in {months:?}");
    }
}

#[tokio::test]
async fn auditing_can_be_switched_off_for_a_benchmark_and_that_is_recorded() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let (acme, olivia) = (seeded.tenant("acme"), seeded.user("olivia@acme.com"));
    let admin = db.admin().await;
    let audited: i64 =
        admin.query_one("SELECT count(*) FROM audit.audited_tables() WHERE enabled", &[]).await.unwrap().get(0);
    let tenant_tables: i64 = catalog::tenant_tables(&admin)
        .await
        .unwrap()
        .iter()
        .filter(|t| !t.is_partition && !t.name.starts_with("audit."))
        .count() as i64;
    assert_eq!(audited, tenant_tables, "every tenant table but the log is audited");

    let pool = db.app_pool(1);
    let count = "SELECT count(*) FROM audit.log WHERE request_id = 'req-unaudited'";
    let switched: i32 = admin.query_one("SELECT audit.set_auditing(false)", &[]).await.unwrap().get(0);
    assert_eq!(switched as i64, audited);
    pool.tenant_query(&acting(acme, olivia, "req-unaudited"), ADD_ROLE, &[&acme, &"unaudited"]).await.unwrap();
    assert_eq!(admin.query_one(count, &[]).await.unwrap().get::<_, i64>(0), 0);
    admin.query_one("SELECT audit.set_auditing(true)", &[]).await.unwrap();
    crate::common::seal_everything(&admin).await;
    let switches: Vec<String> = admin
        .query("SELECT event_action FROM audit.platform_log WHERE event_action LIKE 'audit.%abled' ORDER BY id", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(switches, ["audit.disabled", "audit.enabled"]);
}

#[tokio::test]
async fn the_verify_command_exits_with_status_1_on_a_broken_chain() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let admin = db.admin().await;
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tenantbase"))
            .args(args)
            .env("DATABASE_URL", url_of(&db.target.admin))
            .output()
            .unwrap()
    };
    let pool = db.app_pool(1);
    let ctx = acting(seeded.tenant("acme"), seeded.user("olivia@acme.com"), "req-cli");
    pool.tenant_query(&ctx, ADD_ROLE, &[&seeded.tenant("acme"), &"from_the_cli_test"]).await.unwrap();
    let unsealed = run(&["audit", "verify"]);
    let out = String::from_utf8_lossy(&unsealed.stdout);
    assert!(out.contains("unsealed: 1 entries"), "{out}");
    let sealed = run(&["audit", "seal"]);
    let out = String::from_utf8_lossy(&sealed.stdout);
    assert!(sealed.status.success() && out.contains("sealed 1 entries") && out.contains("unsealed: none"), "{out}");
    let ok = run(&["audit", "verify"]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("tenant acme: intact"));

    tamper(
        &admin,
        "UPDATE audit.log SET user_agent = 'forged' WHERE tenant_id = $1 AND id = 2",
        &[&seeded.tenant("acme")],
    )
    .await;
    let broken = run(&["audit", "verify", "--tenant", "acme"]);
    assert_eq!(broken.status.code(), Some(1));
    let out = String::from_utf8_lossy(&broken.stdout);
    assert!(out.contains("tenant acme: BROKEN at entry #2"), "{out}");

    let refused = run(&["audit", "prune", "--retention-days", "89"]);
    assert!(!refused.status.success());
}

#[tokio::test]
async fn a_truncate_of_a_tenant_table_is_a_platform_event() {
    let db = TestDb::new().await;
    db.seeded().await;
    let admin = db.admin().await;
    admin.batch_execute("TRUNCATE tenancy.api_keys").await.unwrap();
    crate::common::seal_everything(&admin).await;
    let tables: Vec<Value> = admin
        .query("SELECT metadata -> 'table' FROM audit.platform_log WHERE event_action = 'table.truncated'", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(tables, [json!("tenancy.api_keys")]);
    let count = "SELECT count(*) FROM audit.log";
    let entries: i64 = admin.query_one(count, &[]).await.unwrap().get(0);
    admin.batch_execute("TRUNCATE tenancy.tenants CASCADE").await.unwrap();
    let kept: i64 = admin.query_one(count, &[]).await.unwrap().get(0);
    assert_eq!(kept, entries, "the trail does not cascade from its tenants (docs/tenant-lifecycle.md)");
}

/// The audit trail's facts come from the signed context: settings that tenant SQL
/// writes itself (an injection blaming someone else) change nothing it records.
#[tokio::test]
async fn the_audit_trail_records_the_signed_facts_whatever_tenant_sql_sets() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let (acme, olivia, alice) = (seeded.tenant("acme"), seeded.user("olivia@acme.com"), seeded.user("alice@acme.com"));
    let pool = db.app_pool(1);
    let mut tx = pool.tenant_tx(&acting(acme, olivia, "req-signed")).await.unwrap();
    tx.execute(
        "SELECT set_config('app.request_id', 'req-forged', true), set_config('app.impersonated_by', $1, true),
                set_config('app.user_id', $1, true), set_config('app.client_ip', '203.0.113.9', true)",
        &[&alice.to_string()],
    )
    .await
    .unwrap();
    tx.execute(ADD_ROLE, &[&acme, &"blame_game"]).await.unwrap();
    tx.commit().await.unwrap();
    let admin = db.admin().await;
    crate::common::seal_everything(&admin).await;
    let row = admin
        .query_one(
            "SELECT user_id, impersonated_by, request_id, host(ip_address) FROM audit.log
             WHERE table_name = 'tenancy.roles' AND new_values ->> 'name' = 'blame_game'",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, Option<Uuid>>(0), Some(olivia));
    assert_eq!(row.get::<_, Option<Uuid>>(1), None, "no impersonator was signed");
    assert_eq!(row.get::<_, Option<String>>(2).as_deref(), Some("req-signed"));
    assert_eq!(row.get::<_, Option<String>>(3), None, "no address was signed");
}

/// A database whose chains the first version wrote (the writer locking each chain,
/// its recorded head a transaction behind) upgrades in place: its chains still
/// verify, and go on from their last entries.
#[tokio::test]
async fn chains_of_the_first_version_upgrade_in_place_and_go_on() {
    let db = TestDb::empty().await;
    migrate::migrate_through(&db.target, 279).await.unwrap();
    let seeded = tenantbase::seed::demo::seed(&db.target, &db.app_pool(2)).await.unwrap();
    let (acme, olivia) = (seeded.tenant("acme"), seeded.user("olivia@acme.com"));
    let mut admin = db.admin().await;
    let heads = "SELECT DISTINCT ON (tenant_id) tenant_id, id, hash FROM audit.log ORDER BY tenant_id, id DESC";
    let before: Vec<(Uuid, i64, Vec<u8>)> =
        admin.query(heads, &[]).await.unwrap().iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect();
    assert!(before.len() >= 2, "{before:?}");

    migrate::migrate(&db.target).await.unwrap();
    let after: Vec<(Uuid, i64, Vec<u8>)> =
        admin.query(heads, &[]).await.unwrap().iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect();
    assert_eq!(after, before, "no entry changes");
    let report = verify(&mut admin, None).await;
    assert_intact(&report);
    for (tenant, id, hash) in &before {
        assert_eq!(report.chain(*tenant).unwrap().head, Some((*id, hex::encode(hash))));
    }

    let pool = db.app_pool(1);
    pool.tenant_query(&acting(acme, olivia, "req-upgraded"), ADD_ROLE, &[&acme, &"after_upgrade"]).await.unwrap();
    let report = verify(&mut admin, None).await;
    assert_intact(&report);
    let acme_head = before.iter().find(|(t, _, _)| *t == acme).unwrap().1;
    let next = admin
        .query_one(
            "SELECT id, written_at IS NOT NULL, payload_digest IS NOT NULL FROM audit.log
             WHERE tenant_id = $1 AND request_id = 'req-upgraded'",
            &[&acme],
        )
        .await
        .unwrap();
    assert_eq!((next.get::<_, i64>(0), next.get::<_, bool>(1), next.get::<_, bool>(2)), (acme_head + 1, true, true));
}

/// Verifies every chain, then against the checkpoints in `dir`.
async fn verify_against(admin: &mut Client, dir: &std::path::Path, key: &PublicKey) -> VerifyReport {
    let mut report = verify(admin, None).await;
    checkpoints::check(admin, &mut report, dir, std::slice::from_ref(key)).await.unwrap();
    report
}

/// Rechains `tenant`'s whole log from its first entry and records the new head, as a
/// superuser covering up an edit would: the database alone cannot tell.
async fn recompute(admin: &Client, tenant: Uuid) {
    let sql = format!(
        "DO $$
         DECLARE
             previous bytea := decode(repeat('00', 32), 'hex');
             e audit.log;
         BEGIN
             FOR e IN SELECT * FROM audit.log WHERE tenant_id = '{tenant}' ORDER BY id LOOP
                 e.hash := audit.entry_hash(previous, e);
                 UPDATE audit.log SET hash = e.hash WHERE tenant_id = e.tenant_id AND id = e.id;
                 previous := e.hash;
             END LOOP;
             UPDATE audit.chains SET head_id = e.id, head_hash = e.hash WHERE chain_id = e.tenant_id;
         END
         $$"
    );
    tamper(admin, &sql, &[]).await;
}

#[tokio::test]
async fn signed_checkpoints_find_what_a_superuser_covers_up() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let acme = seeded.tenant("acme");
    let mut admin = db.admin().await;
    let dir = tempfile::tempdir().unwrap();
    let key = OperatorKey::generate();
    let public = key.public();
    let mut checkpointer = Checkpointer::open(dir.path(), key, Clock::system()).unwrap();
    let written = checkpointer.write(&admin).await.unwrap();
    assert!(written >= 3, "a checkpoint per chain: {written}");
    assert_eq!(checkpointer.write(&admin).await.unwrap(), 0, "none while no head moves");
    assert_intact(&verify_against(&mut admin, dir.path(), &public).await);
    let broken_at = |report: VerifyReport| {
        let chain = report.chain(acme).expect("acme's chain is walked").clone();
        chain.broken.clone().unwrap_or_else(|| panic!("tampering not found: {chain}"))
    };
    let head: i64 =
        admin.query_one("SELECT head_id FROM audit.chains WHERE chain_id = $1", &[&acme]).await.unwrap().get(0);

    // A checkpoint altered in its file.
    let file = dir.path().join(format!("{acme}.jsonl"));
    let original_file = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, original_file.replace(&format!("\"position\":{head},"), "\"position\":1,")).unwrap();
    let b = broken_at(verify_against(&mut admin, dir.path(), &public).await);
    assert!(b.reason.contains("does not verify"), "{}", b.reason);
    std::fs::write(&file, &original_file).unwrap();

    // The newest entries cut off, the recorded head moved back to match: the
    // database alone finds nothing; the checkpoint does.
    let (last, before_last) = (saved(&admin, acme, head).await, saved(&admin, acme, head - 1).await);
    let new_head = saved(&admin, acme, head - 2).await;
    tamper(&admin, "DELETE FROM audit.log WHERE tenant_id = $1 AND id >= $2", &[&acme, &(head - 1)]).await;
    tamper(
        &admin,
        "UPDATE audit.chains SET head_id = $2, head_hash = $3 WHERE chain_id = $1",
        &[&acme, &(head - 2), &hex_bytes(&new_head["hash"])],
    )
    .await;
    assert_intact(&verify(&mut admin, None).await);
    let b = broken_at(verify_against(&mut admin, dir.path(), &public).await);
    assert!(b.reason.contains("no longer reaches"), "{}", b.reason);
    for entry in [&before_last, &last] {
        tamper(&admin, RESTORE, &[entry]).await;
    }
    tamper(
        &admin,
        "UPDATE audit.chains SET head_id = $2, head_hash = $3 WHERE chain_id = $1",
        &[&acme, &head, &hex_bytes(&last["hash"])],
    )
    .await;
    assert_intact(&verify_against(&mut admin, dir.path(), &public).await);

    // An edited, a deleted, and two swapped entries: each found, then undone.
    let (third, fourth) = (saved(&admin, acme, 3).await, saved(&admin, acme, 4).await);
    let swap = "UPDATE audit.log SET id = CASE id WHEN 5 THEN 6 ELSE 5 END WHERE tenant_id = $1 AND id IN (5, 6)";
    tamper(&admin, "UPDATE audit.log SET request_id = 'forged' WHERE tenant_id = $1 AND id = 3", &[&acme]).await;
    assert_eq!(broken_at(verify_against(&mut admin, dir.path(), &public).await).entry_id, 3);
    tamper(&admin, "DELETE FROM audit.log WHERE tenant_id = $1 AND id = 3", &[&acme]).await;
    tamper(&admin, RESTORE, &[&third]).await;
    tamper(&admin, "DELETE FROM audit.log WHERE tenant_id = $1 AND id = 4", &[&acme]).await;
    assert_eq!(broken_at(verify_against(&mut admin, dir.path(), &public).await).entry_id, 5);
    tamper(&admin, RESTORE, &[&fourth]).await;
    tamper(&admin, swap, &[&acme]).await;
    assert_eq!(broken_at(verify_against(&mut admin, dir.path(), &public).await).entry_id, 6);
    tamper(&admin, swap, &[&acme]).await;
    assert_intact(&verify_against(&mut admin, dir.path(), &public).await);

    // The whole chain recomputed around an edit, its recorded head included.
    tamper(&admin, "UPDATE audit.log SET request_id = 'forged' WHERE tenant_id = $1 AND id = 3", &[&acme]).await;
    recompute(&admin, acme).await;
    assert_intact(&verify(&mut admin, None).await);
    let b = broken_at(verify_against(&mut admin, dir.path(), &public).await);
    assert!(b.reason.contains("does not have the hash"), "{}", b.reason);
}

#[tokio::test]
async fn erasing_a_users_data_leaves_tombstones_and_intact_chains() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let (acme, bob) = (seeded.tenant("acme"), seeded.user("bob@acme.com"));
    let mut admin = db.admin().await;
    let naming_bob = "SELECT count(*) FROM audit.log
                      WHERE payload_digest IS NOT NULL AND concat(old_values::text, new_values::text) ILIKE '%' || $1 || '%'";
    let before: i64 = admin
        .query_one(
            "SELECT count(*) FROM audit.log WHERE payload_digest IS NOT NULL
             AND (concat(old_values::text, new_values::text) ILIKE '%' || $1 || '%'
                  OR concat(old_values::text, new_values::text) ILIKE '%bob@acme.com%')",
            &[&bob.to_string()],
        )
        .await
        .unwrap()
        .get(0);
    assert!(before > 0, "the seed's entries name bob");

    let erased = audit::erase_user_payloads(&admin, "bob@acme.com").await.unwrap();
    assert_eq!(erased, before);
    for term in [bob.to_string(), "bob@acme.com".to_string()] {
        assert_eq!(admin.query_one(naming_bob, &[&term]).await.unwrap().get::<_, i64>(0), 0, "{term}: payloads gone");
    }
    let report = verify(&mut admin, None).await;
    assert_intact(&report);
    assert_eq!(report.chains.iter().map(|c| c.erased as i64).sum::<i64>(), erased);
    let recorded: Value = admin
        .query_one(
            "SELECT metadata -> 'entries' FROM audit.log WHERE tenant_id = $1 AND event_action = 'audit.payloads_erased'",
            &[&acme],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        recorded.as_array().unwrap().len() as u64,
        report.chain(acme).unwrap().erased,
        "the erasure is an entry"
    );
    assert!(audit::erase_user_payloads(&admin, "nobody@example.com")
        .await
        .unwrap_err()
        .to_string()
        .contains("no user"));

    // A tombstone that no erasure recorded is a payload removed behind the trail's back.
    tamper(
        &admin,
        "UPDATE audit.log SET new_values = '{\"erased\": true}' WHERE tenant_id = $1
         AND id = (SELECT min(id) FROM audit.log WHERE tenant_id = $1 AND payload_digest IS NOT NULL AND new_values <> '{\"erased\": true}')",
        &[&acme],
    )
    .await;
    let report = verify(&mut admin, Some("acme")).await;
    let broken = report.chain(acme).unwrap().broken.clone().expect("an unrecorded tombstone is found");
    assert!(broken.reason.contains("no erasure entry records"), "{}", broken.reason);
}

#[tokio::test]
async fn the_trail_is_read_through_the_api_with_filters_and_cursors() {
    use reqwest::{Method, StatusCode};
    let s = crate::api::Server::start().await;
    let (acme, olivia_id) = (s.tenant("acme"), s.seeded.user("olivia@acme.com"));
    let olivia = s.login("olivia@acme.com").await;
    let admin = s.db.admin().await;
    let total: i64 =
        admin.query_one("SELECT count(*) FROM audit.log WHERE tenant_id = $1", &[&acme]).await.unwrap().get(0);
    let get = |query: String| {
        let (s, olivia) = (&s, &olivia);
        async move { s.call(Method::GET, &format!("/v1/tenants/{acme}/audit{query}"), Some(olivia), None).await }
    };

    // Every sealed entry, newest first, page after page.
    let mut positions = Vec::new();
    let mut query = "?limit=7".to_string();
    loop {
        let (status, page) = get(query.clone()).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        for item in page["items"].as_array().unwrap() {
            assert_eq!(item["sealed"], json!(true));
            assert_eq!(item["hash"].as_str().unwrap().len(), 64);
            positions.push(item["position"].as_i64().unwrap());
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => query = format!("?limit=7&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(positions, (1..=total).rev().collect::<Vec<_>>());

    // Filters.
    let (status, page) = get(format!("?table=tenancy.memberships&operation=insert&actor={olivia_id}")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let items = page["items"].as_array().unwrap();
    let expected: i64 = admin
        .query_one(
            "SELECT count(*) FROM audit.log WHERE tenant_id = $1 AND table_name = 'tenancy.memberships'
               AND operation = 'insert' AND user_id = $2",
            &[&acme, &olivia_id],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(items.len() as i64, expected);
    assert!(items.iter().all(|i| i["table_name"] == json!("tenancy.memberships") && i["operation"] == json!("insert")));
    let (status, page) = get("?since=2999-01-01T00:00:00Z".to_string()).await;
    assert_eq!((status, page["items"].as_array().unwrap().len()), (StatusCode::OK, 0));
    let (status, page) = get("?until=2999-01-01T00:00:00Z&limit=200".to_string()).await;
    assert_eq!((status, page["items"].as_array().unwrap().len() as i64), (StatusCode::OK, total.min(200)));

    // Bad input: a validation problem each.
    for bad in ["?operation=drop", "?actor=nobody", "?since=yesterday", "?limit=0", "?cursor=-3", "?colour=red"] {
        let (status, body) = get(bad.to_string()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        assert_eq!(crate::api::problem_type(&body), "validation", "{bad}: {body}");
    }
    // Another tenant's trail is not found.
    let tom = s.login("tom@techstartup.io").await;
    let (status, _) = s.call(Method::GET, &format!("/v1/tenants/{acme}/audit"), Some(&tom), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn sign_ups_logins_session_ends_and_lockouts_are_on_the_platform_chain() {
    use reqwest::{Method, StatusCode};
    let s = crate::api::Server::start().await;
    let credentials = json!({ "email": "ava@example.com", "password": "correct horse battery" });
    let (status, _) = s.call(Method::POST, "/v1/auth/signup", None, Some(credentials.clone())).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, session) = s.call(Method::POST, "/v1/auth/login", None, Some(credentials)).await;
    assert_eq!(status, StatusCode::OK);
    let token = session["token"].as_str().unwrap();
    assert_eq!(s.call(Method::GET, "/v1/me", Some(token), None).await.0, StatusCode::OK);
    assert_eq!(s.call(Method::POST, "/v1/auth/logout", Some(token), None).await.0, StatusCode::NO_CONTENT);
    let mut admin = s.db.admin().await;
    let ava: Uuid =
        admin.query_one("SELECT id FROM tenancy.users WHERE email = 'ava@example.com'", &[]).await.unwrap().get(0);
    admin
        .execute("UPDATE tenancy.users SET locked_until = now() + interval '1 hour' WHERE id = $1", &[&ava])
        .await
        .unwrap();

    crate::common::seal_everything(&admin).await;
    let events: Vec<String> = admin
        .query("SELECT event_action FROM audit.platform_log WHERE user_id = $1 ORDER BY id", &[&ava])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    // Sign-up answers with a session of its own, then the login starts another.
    assert_eq!(events, ["account.signed_up", "session.started", "session.started", "session.ended", "account.locked"]);
    let emails: i64 = admin
        .query_one(
            "SELECT count(*) FROM audit.platform_log WHERE to_jsonb(platform_log)::text ILIKE '%ava@example.com%'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(emails, 0, "ids only: no email on the chain");
    assert_intact(&verify(&mut admin, None).await);
}

#[tokio::test]
async fn failed_logins_and_lockouts_are_on_the_platform_chain_and_wait_for_no_one() {
    use reqwest::{Method, StatusCode};
    use tenantbase::api::throttle::{Limit, LoginPolicy, LoginThrottle};
    let policy = LoginPolicy {
        per_email_and_address: Limit { burst: 2, ..LoginPolicy::default().per_email_and_address },
        ..LoginPolicy::default()
    };
    let db = TestDb::new().await;
    let (pool, accounts) = (db.app_pool(4), db.account_pool());
    let s = crate::api::Server::start_configured(db, pool, accounts, |state| {
        state.login_throttle = LoginThrottle::new(policy)
    })
    .await;
    let mut admin = s.db.admin().await;
    crate::common::seal_everything(&admin).await;
    // A transaction holding a queued platform entry open: logins go on beside it.
    let holder = s.db.admin().await;
    holder
        .batch_execute("BEGIN; SELECT audit.record_platform_event('system_event', 'test.holding', 'held open')")
        .await
        .unwrap();

    let login = |email: &str| json!({ "email": email, "password": "not the password" });
    let (status, _) = s.call(Method::POST, "/v1/auth/login", None, Some(login("nobody@example.com"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    for _ in 0..2 {
        let (status, _) = s.call(Method::POST, "/v1/auth/login", None, Some(login("olivia@acme.com"))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, _) = s.call(Method::POST, "/v1/auth/login", None, Some(login("olivia@acme.com"))).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "throttled: no database work, no entry");
    holder.batch_execute("COMMIT").await.unwrap();

    crate::common::seal_everything(&admin).await;
    let olivia = s.seeded.user("olivia@acme.com");
    let events: Vec<(String, Option<Uuid>, Value)> = admin
        .query(
            "SELECT event_action, user_id, metadata FROM audit.platform_log
             WHERE event_type = 'authentication' AND event_action LIKE 'login.%' ORDER BY id",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    let wait = events[3].2["wait_seconds"].as_i64().unwrap();
    assert!(wait > 0, "{events:?}");
    assert_eq!(
        events,
        [
            ("login.failed".to_string(), None, json!({})),
            ("login.failed".to_string(), Some(olivia), json!({})),
            ("login.failed".to_string(), Some(olivia), json!({})),
            ("login.locked_out".to_string(), Some(olivia), json!({ "wait_seconds": wait })),
        ]
    );
    let held: i64 = admin
        .query_one(
            "SELECT count(*) FROM audit.platform_log WHERE event_action = 'test.holding'
             AND id < (SELECT min(id) FROM audit.platform_log WHERE event_action = 'login.failed')",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(held, 1, "the transaction that began first is sealed first, in its place");
    assert_intact(&verify(&mut admin, None).await);
}

#[tokio::test]
async fn a_restore_epoch_appends_to_the_chain_and_checkpoints_before_and_after_hold() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let acme = seeded.tenant("acme");
    let mut admin = db.admin().await;
    let (before, after) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let keys = tempfile::tempdir().unwrap();
    let key_file = keys.path().join("operator.key");
    OperatorKey::generate().write(&key_file).unwrap();
    let key = || OperatorKey::load(&key_file).unwrap();
    let public = key().public();
    crate::common::seal_everything(&admin).await;
    Checkpointer::open(before.path(), key(), Clock::system()).unwrap().write(&admin).await.unwrap();
    let head: i64 =
        admin.query_one("SELECT head_id FROM audit.chains WHERE chain_id = $1", &[&acme]).await.unwrap().get(0);

    // The app role cannot record one, even in its own tenant.
    let app = app_session(&db, acme, seeded.user("olivia@acme.com"), "READ COMMITTED").await;
    let refused = app.query_one("SELECT audit.record_epoch($1, 'forged', '{}')", &[&acme]).await;
    assert_eq!(sqlstate(refused), "42501");

    // A restore: its epoch and the rows it writes, in one transaction.
    let tx = admin.transaction().await.unwrap();
    let restored = json!({ "restored_to": "2026-11-30T12:00:00Z", "manifest_sha256": "ab".repeat(32) });
    audit::record_epoch(&tx, acme, "restored to 2026-11-30T12:00:00Z", &restored).await.unwrap();
    tx.execute(ADD_ROLE, &[&acme, &"restored_role"]).await.unwrap();
    tx.commit().await.unwrap();
    crate::common::seal_everything(&admin).await;

    let epoch = saved(&admin, acme, head + 1).await;
    assert_eq!(epoch["event_action"], "audit.epoch");
    assert_eq!(epoch["event_type"], "system_event");
    assert_eq!(epoch["metadata"]["restored_to"], restored["restored_to"]);
    assert_eq!(epoch["metadata"]["sealed_head"], head);
    assert_eq!(saved(&admin, acme, head + 2).await["table_name"], "tenancy.roles", "the restore's rows follow it");
    Checkpointer::open(after.path(), key(), Clock::system()).unwrap().write(&admin).await.unwrap();
    assert_intact(&verify_against(&mut admin, before.path(), &public).await);
    assert_intact(&verify_against(&mut admin, after.path(), &public).await);

    // A rewind instead (the chain cut back to before the epoch) is what the checkpoint after finds.
    let pre = saved(&admin, acme, head).await;
    tamper(&admin, "DELETE FROM audit.log WHERE tenant_id = $1 AND id > $2", &[&acme, &head]).await;
    tamper(
        &admin,
        "UPDATE audit.chains SET head_id = $2, head_hash = $3 WHERE chain_id = $1",
        &[&acme, &head, &hex_bytes(&pre["hash"])],
    )
    .await;
    assert_intact(&verify_against(&mut admin, before.path(), &public).await);
    let report = verify_against(&mut admin, after.path(), &public).await;
    assert!(report.chain(acme).unwrap().broken.is_some(), "a rewind is found");
}

#[tokio::test]
async fn the_verify_command_with_checkpoints_finds_each_planted_tampering() {
    let db = TestDb::new().await;
    let seeded = db.seeded().await;
    let acme = seeded.tenant("acme");
    let admin = db.admin().await;
    let dir = tempfile::tempdir().unwrap();
    let (key, checkpoints) = (dir.path().join("operator.key"), dir.path().join("checkpoints"));
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tenantbase"))
            .args(args)
            .args(["--operator-key", key.to_str().unwrap()])
            .env("DATABASE_URL", url_of(&db.target.admin))
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).to_string())
    };
    let (status, out) = run(&["audit", "seal", "--checkpoints", checkpoints.to_str().unwrap()]);
    assert!(status == Some(0) && out.contains("checkpoints"), "{out}");
    let verify = || run(&["audit", "verify", "--checkpoints", checkpoints.to_str().unwrap()]);
    let intact = || {
        let (status, out) = verify();
        assert!(status == Some(0) && out.contains("tenant acme: intact"), "{out}");
    };
    let found = |what: &str| {
        let (status, out) = verify();
        assert_eq!(status, Some(1), "{what} not found: {out}");
        assert!(out.contains("tenant acme: BROKEN"), "{what}: {out}");
    };
    intact();
    let head: i64 =
        admin.query_one("SELECT head_id FROM audit.chains WHERE chain_id = $1", &[&acme]).await.unwrap().get(0);

    let third = saved(&admin, acme, 3).await;
    tamper(&admin, "UPDATE audit.log SET request_id = 'forged' WHERE tenant_id = $1 AND id = 3", &[&acme]).await;
    found("an edit");
    tamper(&admin, "DELETE FROM audit.log WHERE tenant_id = $1 AND id = 3", &[&acme]).await;
    found("a deletion");
    tamper(&admin, RESTORE, &[&third]).await;
    intact();

    swap_contents(&admin, acme, 5, 6).await;
    found("a swap");
    swap_contents(&admin, acme, 5, 6).await;
    intact();

    let (last, new_head) = (saved(&admin, acme, head).await, saved(&admin, acme, head - 1).await);
    tamper(&admin, "DELETE FROM audit.log WHERE tenant_id = $1 AND id = $2", &[&acme, &head]).await;
    tamper(
        &admin,
        "UPDATE audit.chains SET head_id = $2, head_hash = $3 WHERE chain_id = $1",
        &[&acme, &(head - 1), &hex_bytes(&new_head["hash"])],
    )
    .await;
    found("the newest entry cut off, its head moved back");
    tamper(&admin, RESTORE, &[&last]).await;
    tamper(
        &admin,
        "UPDATE audit.chains SET head_id = $2, head_hash = $3 WHERE chain_id = $1",
        &[&acme, &head, &hex_bytes(&last["hash"])],
    )
    .await;
    intact();

    tamper(&admin, "UPDATE audit.log SET request_id = 'forged' WHERE tenant_id = $1 AND id = 3", &[&acme]).await;
    recompute(&admin, acme).await;
    let (status, out) = run(&["audit", "verify"]);
    assert!(status == Some(0) && out.contains("tenant acme: intact"), "without checkpoints nothing shows: {out}");
    found("a whole chain recomputed");
}
