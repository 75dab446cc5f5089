//! `tenant export` and `tenant import` (docs/tenant-lifecycle.md): one tenant's rows
//! taken in one snapshot, one COPY file per table, and a manifest signed with the
//! operator key (schema version, per-table counts and checksums, each file's
//! sha256, the tenant's audit chain head). An import trusts nothing it has not
//! checked against the manifest, and the manifest against the operator's key.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::os::unix::fs::DirBuilderExt;
use std::path::Path;

use anyhow::{bail, Context, Result};
use bytes::Bytes;
use futures_util::{SinkExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use tokio_postgres::Client;
use uuid::Uuid;

use crate::db::backup::{file_sum, schema_version, FileSum, SchemaVersion, TableSum, MANIFEST};
use crate::isolation::catalog;
use crate::signing::{self, OperatorKey, PublicKey};

const FORMAT: &str = "tenantbase-tenant-export/1";
/// The users who are the tenant's members: global rows an import needs first.
const USERS: &str = "tenancy.users";

/// What an export holds, signed with the operator key.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub format: String,
    pub tenant: Uuid,
    pub slug: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub schema: SchemaVersion,
    /// The tenant's audit chain head when the snapshot was taken: (entry id, hash).
    pub chain_head: Option<(i64, String)>,
    /// Per-table counts and checksums of the tenant's rows (as `lifecycle::tenant_sums`).
    pub tables: Vec<TableSum>,
    /// One COPY file per table, in load order, with its rows.
    pub files: Vec<ExportFile>,
    pub operator_key_id: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ExportFile {
    pub table: String,
    pub columns: String,
    pub rows: u64,
    #[serde(flatten)]
    pub sum: FileSum,
}

/// The tables an export carries, parents before children: the member users, then
/// every tenant table (partitioned ones through their parent; the trail stays).
async fn tables_in_load_order(client: &Client) -> Result<Vec<(String, String)>> {
    let rows = client
        .query(
            &format!(
                "SELECT name, tenant_column FROM ({}) t WHERE NOT is_partition AND name NOT LIKE 'audit.%' ORDER BY name",
                catalog::TENANT_TABLES_SQL
            ),
            &[],
        )
        .await?;
    let tables: BTreeMap<String, String> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    let edges = client
        .query(
            "SELECT DISTINCT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint
             WHERE contype = 'f' AND conrelid <> confrelid AND conparentid = 0",
            &[],
        )
        .await?;
    let mut parents: BTreeMap<String, BTreeSet<String>> = tables.keys().map(|t| (t.clone(), BTreeSet::new())).collect();
    for edge in &edges {
        let (child, parent): (String, String) = (edge.get(0), edge.get(1));
        if tables.contains_key(&child) && tables.contains_key(&parent) {
            parents.get_mut(&child).expect("a listed table").insert(parent);
        }
    }
    let mut order = vec![(USERS.to_string(), "id".to_string())];
    while !parents.is_empty() {
        let ready: Vec<String> = parents
            .iter()
            .filter(|(_, p)| p.iter().all(|p| !parents.contains_key(p)))
            .map(|(t, _)| t.clone())
            .collect();
        // A cycle (none today) would load in name order and rely on deferrable keys.
        let ready = if ready.is_empty() { parents.keys().cloned().collect() } else { ready };
        for table in ready {
            parents.remove(&table);
            order.push((table.clone(), tables[&table].clone()));
        }
    }
    Ok(order)
}

/// The rows of `table` belonging to `tenant`, as a SELECT. The tenant is a parsed
/// uuid, never request text: COPY (query) takes no parameters.
fn tenant_rows(table: &str, column: &str, columns: &str, tenant: Uuid) -> String {
    if table == USERS {
        format!(
            "SELECT {columns} FROM tenancy.users WHERE id IN (SELECT user_id FROM tenancy.memberships WHERE tenant_id = '{tenant}')"
        )
    } else {
        format!("SELECT {columns} FROM {table} WHERE {column} = '{tenant}'")
    }
}

/// Exports `tenant` into the directory `to` (created; it must be empty); `now` dates the manifest.
pub async fn export(
    client: &mut Client,
    operator: &OperatorKey,
    tenant: Uuid,
    to: &Path,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Manifest> {
    if to.exists() && fs::read_dir(to)?.next().is_some() {
        bail!("{} is not empty: an export goes into a new directory", to.display());
    }
    fs::DirBuilder::new().recursive(true).mode(0o700).create(to)?;
    // The chain head then covers every change committed before the export began.
    crate::audit::seal(client).await?;
    let tx = client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await?;
    let slug: String = tx
        .query_opt("SELECT slug::text FROM tenancy.tenants WHERE id = $1", &[&tenant])
        .await?
        .context("no such tenant")?
        .get(0);
    let moved = "SELECT moved_to FROM platform.tenant_moves WHERE moved_tenant = $1 AND moved_at IS NOT NULL";
    if let Some(row) = tx.query_opt(moved, &[&tenant]).await? {
        bail!("{slug} has moved to {}: its rows here are no longer its data", row.get::<_, String>(0));
    }
    let schema = schema_version(&tx).await?;
    let chain_head = tx
        .query_opt("SELECT head_id, encode(head_hash, 'hex') FROM audit.chains WHERE chain_id = $1", &[&tenant])
        .await?
        .map(|r| (r.get(0), r.get(1)));
    let tables = crate::lifecycle::tenant_sums(&tx, tenant).await?;
    let mut files = Vec::new();
    for (table, column) in tables_in_load_order(tx.client()).await? {
        let columns = catalog::insertable_columns(tx.client(), &table).await?.join(", ");
        let stream =
            tx.copy_out(&format!("COPY ({}) TO STDOUT", tenant_rows(&table, &column, &columns, tenant))).await?;
        let chunks: Vec<Bytes> = stream.try_collect().await.with_context(|| format!("exporting {table}"))?;
        let data: Vec<u8> = chunks.concat();
        let rows = data.iter().filter(|b| **b == b'\n').count() as u64;
        let path = to.join(format!("{table}.copy"));
        fs::write(&path, &data)?;
        files.push(ExportFile { table, columns, rows, sum: file_sum(&path)? });
    }
    tx.commit().await?;
    let manifest = Manifest {
        format: FORMAT.into(),
        tenant,
        slug,
        created_at: now,
        schema,
        chain_head,
        tables,
        files,
        operator_key_id: operator.public().key_id(),
    };
    let path = to.join(MANIFEST);
    fs::write(&path, serde_json::to_vec_pretty(&manifest)?)?;
    signing::sign_file(operator, &path)?;
    Ok(manifest)
}

/// Checks an export's manifest against the operator's key and its files against
/// the manifest; touches no database.
pub fn verify(from: &Path, trusted: &PublicKey) -> Result<Manifest> {
    let path = from.join(MANIFEST);
    signing::verify_file(trusted, &path).context("the export's manifest is not the operator's: refused")?;
    let manifest: Manifest = serde_json::from_slice(&fs::read(&path)?).context("reading the manifest")?;
    if manifest.format != FORMAT {
        bail!("the export is {}, this tenantbase imports {FORMAT}", manifest.format);
    }
    for file in &manifest.files {
        if file_sum(&from.join(&file.sum.name))?.sha256 != file.sum.sha256 {
            bail!("{} does not match the manifest's sha256: refused", file.sum.name);
        }
    }
    Ok(manifest)
}

/// What an import did.
#[derive(Debug)]
pub struct Imported {
    pub tenant: Uuid,
    pub rows: u64,
    pub elapsed: std::time::Duration,
}

/// Imports a verified export into `client`'s database, in one transaction, through
/// every constraint and trigger of the schema, as the same tenant id or as `as_new`
/// (id, slug); then proves it: the same per-table counts and checksums (same id).
pub async fn import(
    client: &mut Client,
    from: &Path,
    trusted: &PublicKey,
    as_new: Option<(Uuid, &str)>,
) -> Result<Imported> {
    let manifest = verify(from, trusted)?;
    let started = std::time::Instant::now();
    let schema = schema_version(&*client).await?;
    if schema != manifest.schema {
        bail!(
            "the export's schema is V{}, this database's V{}: migrate first",
            manifest.schema.last_version,
            schema.last_version
        );
    }
    let tenant = as_new.map(|(id, _)| id).unwrap_or(manifest.tenant);
    let tx = client.transaction().await?;
    if tx.query_opt("SELECT 1 FROM tenancy.tenants WHERE id = $1", &[&tenant]).await?.is_some() {
        bail!("tenant {tenant} exists in this database");
    }
    // The export's rows already carry what the schema's triggers derive (credit charges,
    // counters): those triggers must not fire twice. Constraints, keys and the audit
    // trigger (ENABLE ALWAYS) still apply; the foreign keys held in the snapshot exported.
    tx.batch_execute("SET LOCAL session_replication_role = replica").await?;
    // The rows' history is the source's trail: the import is one entry naming the signed
    // manifest, not one per row. Switched off inside this transaction only; a concurrent
    // writer to the same tables waits for its commit, when recording is on again.
    for file in manifest.files.iter().filter(|f| f.table != USERS) {
        tx.execute("SELECT audit.switch_triggers(to_regclass($1), false)", &[&file.table]).await?;
    }
    let tables: BTreeSet<String> = tables_in_load_order(tx.client()).await?.into_iter().map(|(t, _)| t).collect();
    let mut rows = 0;
    for file in &manifest.files {
        // The signed manifest names each table and its columns; they are checked against
        // this database's catalog before they reach any SQL.
        if !tables.contains(&file.table)
            || catalog::insertable_columns(tx.client(), &file.table).await?.join(", ") != file.columns
        {
            bail!("{} is not a tenant table of this schema with the export's columns", file.table);
        }
        let data = fs::read(from.join(&file.sum.name))?;
        let direct = as_new.is_none() && file.table != USERS;
        let into = if direct { file.table.clone() } else { "pg_temp.staged".to_string() };
        if !direct {
            tx.batch_execute(&format!(
                "DROP TABLE IF EXISTS pg_temp.staged; CREATE TEMP TABLE staged ON COMMIT DROP AS SELECT {} FROM {} LIMIT 0",
                file.columns, file.table
            ))
            .await?;
        }
        let sink = tx.copy_in(&format!("COPY {into} ({}) FROM STDIN", file.columns)).await?;
        futures_util::pin_mut!(sink);
        sink.send(Bytes::from(data)).await?;
        rows += sink.finish().await.with_context(|| format!("importing {}", file.table))?;
        if !direct {
            let slug = as_new.map(|(_, slug)| slug).unwrap_or(&manifest.slug);
            let sql = staged_insert(&file.table, &file.columns);
            let result = match file.table.as_str() {
                USERS => tx.execute(&sql, &[]).await,
                "tenancy.tenants" => tx.execute(&sql, &[&tenant, &slug]).await,
                _ => tx.execute(&sql, &[&tenant]).await,
            };
            result.with_context(|| format!("importing {}", file.table))?;
        }
    }
    tx.batch_execute("SET LOCAL session_replication_role = origin").await?;
    for file in manifest.files.iter().filter(|f| f.table != USERS) {
        tx.execute("SELECT audit.switch_triggers(to_regclass($1), true)", &[&file.table]).await?;
    }
    let head = manifest.chain_head.as_ref().map(|(id, hash)| serde_json::json!({ "entry": id, "hash": hash }));
    tx.execute(
        "SELECT audit.record_platform_event('system_event', 'tenant.imported', 'a tenant imported from a signed export',
                                            $1, 'tenants', $1, $2)",
        &[
            &tenant,
            &serde_json::json!({ "exported_tenant": manifest.tenant, "exported_at": manifest.created_at,
                                 "chain_head": head, "rows": rows }),
        ],
    )
    .await?;
    tx.commit().await?;
    let imported = Imported { tenant, rows, elapsed: started.elapsed() };
    if as_new.is_none() {
        let now = crate::lifecycle::tenant_sums(&*client, tenant).await?;
        if now != manifest.tables {
            bail!("the imported rows differ from the manifest's counts or checksums");
        }
    }
    Ok(imported)
}

/// The INSERT moving staged rows into `table`: users only where absent, tenant rows
/// under the new tenant id ($1) and, for the tenant itself, the new slug ($2).
fn staged_insert(table: &str, columns: &str) -> String {
    if table == USERS {
        return format!(
            "INSERT INTO {table} ({columns}) SELECT {columns} FROM pg_temp.staged ON CONFLICT (id) DO NOTHING"
        );
    }
    let tenant_column = if table == "tenancy.tenants" { "id" } else { "tenant_id" };
    let select: Vec<&str> = columns
        .split(", ")
        .map(|c| match c {
            c if c == tenant_column => "$1::uuid",
            "slug" if table == "tenancy.tenants" => "$2::text::citext",
            c => c,
        })
        .collect();
    format!("INSERT INTO {table} ({columns}) SELECT {} FROM pg_temp.staged", select.join(", "))
}

/// How long a move waits for the transactions that began before it.
const MOVE_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// What a move did.
#[derive(Debug)]
pub struct Moved {
    pub imported: Imported,
    pub manifest: Manifest,
}

/// Moves `tenant` from `source` to `dest` (docs/tenant-lifecycle.md): the source refuses the
/// tenant's context first and waits out every transaction that began before, so the export
/// holds every acknowledged write; then export into `via`, import under the same id
/// (checked against the manifest), the source checked unchanged, and the tenant marked
/// moved to `location`. Rerun (into an empty `via`) after a failure before the import, it resumes.
pub async fn move_tenant(
    source: &mut Client,
    dest: &mut Client,
    operator: &OperatorKey,
    tenant: Uuid,
    location: &str,
    via: &Path,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Moved> {
    source.execute("SELECT platform.begin_tenant_move($1, $2, $3)", &[&tenant, &location, &now]).await?;
    wait_for_older_transactions(source, MOVE_WAIT).await?;
    let manifest = export(source, operator, tenant, via, now).await?;
    let imported = import(dest, via, &operator.public(), None).await?;
    if crate::lifecycle::tenant_sums(&*source, tenant).await? != manifest.tables {
        bail!("the source changed during the move: the tenant stays moving; move it again into an empty directory");
    }
    source.execute("SELECT platform.finish_tenant_move($1, $2)", &[&tenant, &now]).await?;
    Ok(Moved { imported, manifest })
}

/// Waits until every transaction of this database that began before now has ended: one
/// that set its tenant's context before the move began may still write.
async fn wait_for_older_transactions(client: &Client, wait: std::time::Duration) -> Result<()> {
    let since: chrono::DateTime<chrono::Utc> = client.query_one("SELECT clock_timestamp()", &[]).await?.get(0);
    let deadline = std::time::Instant::now() + wait;
    loop {
        let open: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_stat_activity
                 WHERE datname = current_database() AND backend_type = 'client backend'
                   AND pid <> pg_backend_pid() AND xact_start <= $1",
                &[&since],
            )
            .await?
            .get(0);
        if open == 0 {
            return Ok(());
        }
        if std::time::Instant::now() >= deadline {
            bail!("{open} transactions older than the move are still open: the tenant stays moving; try again");
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
