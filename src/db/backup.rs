//! Backup and restore of tenantbase's database, one command each (docs/backup.md).
//!
//! A backup is a directory:
//! - `database.pgdump`: `pg_dump --format=custom` of the database, taken in the
//!   same snapshot as the manifest's counts;
//! - `sealing-key.json`: the key sealing store credentials, wrapped under a
//!   passphrase ([`WrappedKey`]), or no file and the manifest saying why;
//! - `manifest.json` and `manifest.json.sig`: what the backup holds (schema
//!   version, per-table row counts and checksums, audit chain heads, the files'
//!   sha256), signed with the operator key. A restore trusts nothing it has not
//!   checked against the operator's public key first.
//!
//! Roles are cluster-wide and not in the dump: a restore creates them from
//! src/db/roles.sql, as `migrate` does. The dump holds the context signing key
//! (`platform.context_keys`): a backup is as secret as that key (docs/keys.md).

use std::fs;
use std::io::Read;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use indicatif::ProgressBar;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio_postgres::{Config, GenericClient};

use super::{migrate, verifier, Target, OWNER_ROLE};
use crate::isolation::check;
use crate::secrets::WrappedKey;
use crate::signing::{self, OperatorKey, PublicKey};

pub const MANIFEST: &str = "manifest.json";
pub const DUMP: &str = "database.pgdump";
pub const SEALING_KEY: &str = "sealing-key.json";
/// The environment variable whose passphrase wraps the sealing key in a backup.
pub const PASSPHRASE_ENV: &str = "TENANTBASE_BACKUP_PASSPHRASE";
const FORMAT: &str = "tenantbase-backup/1";

/// What a backup holds, signed with the operator key.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub format: String,
    pub tenantbase_version: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub database: String,
    pub server_version: String,
    /// The write-ahead log position of the snapshot: where a point-in-time
    /// restore from the WAL archive would start replaying.
    pub wal_lsn: String,
    /// The WAL segment holding `wal_lsn` (none on a standby): a WAL archive keeps
    /// this one and those after it for as long as the backup is kept.
    pub wal_file: Option<String>,
    pub schema: SchemaVersion,
    /// The verifier the source ran; the restore installs its own either way.
    pub verifier: verifier::Verifier,
    pub tables: Vec<TableSum>,
    pub audit_heads: Vec<ChainHead>,
    pub files: Vec<FileSum>,
    pub sealing_key: SealingKey,
    pub operator_key_id: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct SchemaVersion {
    pub migrations: usize,
    pub last_version: i32,
    pub last_name: String,
}

/// A table's row count and checksum: the sum, as a number, of the first 64 bits
/// of the md5 of each row's text. Independent of row order; the same rows give
/// the same sum on any server of the same major version.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct TableSum {
    pub table: String,
    pub rows: i64,
    pub checksum: String,
}

/// An audit chain's newest entry.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ChainHead {
    pub chain: uuid::Uuid,
    pub head_id: i64,
    pub head_hash: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileSum {
    pub name: String,
    pub sha256: String,
    pub bytes: u64,
}

/// Whether the backup carries the sealing key, and if not, why.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SealingKey {
    /// In `sealing-key.json`, wrapped under a passphrase.
    Wrapped { key_id: String },
    /// Not in the backup: sealed store credentials open only with a copy kept elsewhere.
    Absent { reason: String },
}

/// Backs `target` up into the directory `to` (created; it must not hold files).
pub async fn backup(
    target: &Target,
    operator: &OperatorKey,
    sealing: Option<(&[u8; 32], &str)>,
    sealing_absent_reason: &str,
    to: &Path,
    progress: &ProgressBar,
) -> Result<Manifest> {
    if to.exists() && fs::read_dir(to)?.next().is_some() {
        bail!("{} is not empty: a backup goes into a new directory", to.display());
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(to)
        .with_context(|| format!("creating {}", to.display()))?;
    let mut client = target.connect_admin().await?;
    let verifier = verifier::installed(&client).await?;
    // The manifest's chain heads then cover every change committed before the backup began.
    crate::audit::seal(&client).await?;
    let tx = client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await?;
    let row = tx
        .query_one(
            "SELECT pg_export_snapshot(), current_setting('server_version'),
                    CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END::text,
                    CASE WHEN NOT pg_is_in_recovery() THEN pg_walfile_name(pg_current_wal_lsn()) END",
            &[],
        )
        .await?;
    let (snapshot, server_version, wal_lsn, wal_file): (String, String, String, Option<String>) =
        (row.get(0), row.get(1), row.get(2), row.get(3));
    let schema = schema_version(&tx).await?;
    progress.set_message("dumping");
    let dump = to.join(DUMP);
    let dumping = {
        let (tool, config, dump) = (pg_tool(target, "pg_dump")?, target.admin.clone(), dump.clone());
        tokio::task::spawn_blocking(move || {
            run_tool(
                Command::new(tool)
                    .args(["--format=custom", "--no-password", "--snapshot", &snapshot, "--file"])
                    .arg(&dump)
                    .arg("--dbname")
                    .arg(super::url_of(&config)),
                &config,
            )
        })
    };
    // Counted in the dump's snapshot while pg_dump reads it.
    let tables = table_sums(&tx, progress).await?;
    let audit_heads = chain_heads(&tx).await?;
    dumping.await??;
    tx.commit().await?;

    let mut files = vec![file_sum(&dump)?];
    let sealing_key = match sealing {
        Some((key, passphrase)) => {
            let wrapped = WrappedKey::wrap(key, passphrase)?;
            let path = to.join(SEALING_KEY);
            fs::write(&path, serde_json::to_vec_pretty(&wrapped)?)?;
            files.push(file_sum(&path)?);
            SealingKey::Wrapped { key_id: wrapped.key_id }
        }
        None => SealingKey::Absent { reason: sealing_absent_reason.to_string() },
    };
    let manifest = Manifest {
        format: FORMAT.into(),
        tenantbase_version: env!("CARGO_PKG_VERSION").into(),
        created_at: target.clock.now(),
        database: target.database_name().into(),
        server_version,
        wal_lsn,
        wal_file,
        schema,
        verifier,
        tables,
        audit_heads,
        files,
        sealing_key,
        operator_key_id: operator.public().key_id(),
    };
    let path = to.join(MANIFEST);
    fs::write(&path, serde_json::to_vec_pretty(&manifest)?)?;
    signing::sign_file(operator, &path)?;
    for entry in fs::read_dir(to)? {
        fs::set_permissions(entry?.path(), fs::Permissions::from_mode(0o600))?;
    }
    Ok(manifest)
}

/// Keeps the `keep` newest backups under `dir` (its subdirectories holding a
/// manifest, named by time so that names sort by age) and deletes the others;
/// then, from `wal_archive`, the segments older than the oldest kept backup's.
/// Returns the backups deleted.
pub fn apply_retention(dir: &Path, keep: usize, wal_archive: Option<(&Path, PathBuf)>) -> Result<Vec<PathBuf>> {
    let mut backups: Vec<PathBuf> =
        fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.join(MANIFEST).exists()).collect();
    backups.sort();
    let cut = backups.len().saturating_sub(keep.max(1));
    let deleted: Vec<PathBuf> = backups.drain(..cut).collect();
    for old in &deleted {
        fs::remove_dir_all(old).with_context(|| format!("deleting {}", old.display()))?;
    }
    if let (Some((archive, cleanup_tool)), Some(oldest)) = (wal_archive, backups.first()) {
        let manifest: Manifest = serde_json::from_slice(&fs::read(oldest.join(MANIFEST))?)?;
        if let Some(wal_file) = manifest.wal_file {
            let mut cmd = Command::new(cleanup_tool);
            cmd.arg(archive).arg(&wal_file);
            let out = cmd.output().context("running pg_archivecleanup")?;
            if !out.status.success() {
                bail!("pg_archivecleanup failed: {}", String::from_utf8_lossy(&out.stderr).trim());
            }
        }
    }
    Ok(deleted)
}

/// What a restore did and found.
#[derive(Debug)]
pub struct RestoreReport {
    pub manifest: Manifest,
    pub verifier: verifier::Verifier,
    pub tables: usize,
    pub rows: i64,
    pub chains: usize,
    /// The sealing key, unwrapped, for the caller to put where the server reads it.
    pub sealing_key: Option<[u8; 32]>,
    /// The erasures done again from the ledger.
    pub replayed: crate::lifecycle::Replay,
}

/// Reads and checks a backup's manifest against the operator's public key and its
/// files against the manifest; touches no database.
pub fn verify_backup(from: &Path, trusted: &PublicKey) -> Result<Manifest> {
    let path = from.join(MANIFEST);
    signing::verify_file(trusted, &path).context("the backup's manifest is not the operator's: refused")?;
    let manifest: Manifest = serde_json::from_slice(&fs::read(&path)?).context("reading the manifest")?;
    if manifest.format != FORMAT {
        bail!("the backup is {}, this tenantbase restores {FORMAT}", manifest.format);
    }
    for file in &manifest.files {
        let actual = file_sum(&from.join(&file.name))?;
        if actual.sha256 != file.sha256 {
            bail!("{} does not match the manifest's sha256: refused", file.name);
        }
    }
    Ok(manifest)
}

/// Restores the backup in `from` into `target`, whose database must be absent
/// (private cluster) or empty; then proves it: the same rows, `check` clean, the
/// audit chains intact up to the manifest's heads; then erases again what the
/// erasure ledger (`erasures`, already verified) says was erased since.
pub async fn restore(
    target: &Target,
    trusted: &PublicKey,
    from: &Path,
    passphrase: Option<&str>,
    erasures: &[crate::lifecycle::LedgerEntry],
    progress: &ProgressBar,
) -> Result<RestoreReport> {
    progress.set_message("verifying the manifest");
    let manifest = verify_backup(from, trusted)?;
    let sealing_key = match (&manifest.sealing_key, passphrase) {
        (SealingKey::Wrapped { .. }, Some(passphrase)) => {
            let wrapped: WrappedKey = serde_json::from_slice(&fs::read(from.join(SEALING_KEY))?)?;
            Some(wrapped.unwrap_with(passphrase)?)
        }
        (SealingKey::Wrapped { key_id }, None) => {
            bail!("the backup carries the sealing key {key_id}, wrapped: set {PASSPHRASE_ENV} to its passphrase")
        }
        (SealingKey::Absent { .. }, _) => None,
    };

    progress.set_message("creating the roles and the database");
    prepare_database(target).await?;
    progress.set_message("restoring the dump");
    restore_dump(target, &from.join(DUMP)).await?;
    let admin = target.connect_admin().await?;
    // Compared before migrate, which may append to the platform chain (new partitions);
    // `audit verify` then proves that whatever follows the heads links to them.
    let heads = chain_heads(&admin).await?;
    if heads != manifest.audit_heads {
        bail!("the restored audit chains' heads differ from the manifest's: {heads:?}");
    }
    // The dump's verifier may point at the old cluster's library: the PL/pgSQL
    // one first, then migrate puts the compiled one of this cluster in place.
    verifier::install_plpgsql(&admin).await?;
    progress.set_message("migrating (grants, newer migrations, verifier)");
    migrate::migrate(target).await?;
    let verifier = verifier::installed(&admin).await?;

    progress.set_message("comparing rows with the manifest");
    let mut client = target.connect_admin().await?;
    let restored = table_sums(&client, progress).await?;
    compare_tables(&manifest.tables, &restored)?;

    progress.set_message("check");
    let findings = check::run(&client).await?;
    if !findings.is_empty() {
        let list = findings.iter().map(|f| f.to_string()).collect::<Vec<_>>().join("\n");
        bail!("the restored database has {} check finding(s):\n{list}", findings.len());
    }
    progress.set_message("audit verify");
    let report = crate::audit::verify(&mut client, None, target.clock.today(), progress).await?;
    if !report.is_intact() {
        let broken = report.broken().map(|c| c.to_string()).collect::<Vec<_>>().join("\n");
        bail!("audit chains broken after the restore:\n{broken}");
    }
    // What was erased after the backup was taken stays erased.
    progress.set_message("replaying the erasure ledger");
    let replayed = crate::lifecycle::replay(&client, erasures, target.clock.now()).await?;
    Ok(RestoreReport {
        replayed,
        tables: restored.len(),
        rows: restored.iter().map(|t| t.rows).sum(),
        chains: report.chains.len(),
        manifest,
        verifier,
        sealing_key,
    })
}

/// The restored tables must be the manifest's, row for row; a table the manifest
/// does not know (a partition `migrate` created since) must be empty.
fn compare_tables(expected: &[TableSum], restored: &[TableSum]) -> Result<()> {
    let mut differences = Vec::new();
    for want in expected {
        match restored.iter().find(|t| t.table == want.table) {
            Some(got) if got == want => {}
            Some(got) => differences.push(format!(
                "{}: {} rows (checksum {}), the manifest says {} ({})",
                want.table, got.rows, got.checksum, want.rows, want.checksum
            )),
            None => differences.push(format!("{}: missing", want.table)),
        }
    }
    for got in restored.iter().filter(|t| t.rows > 0 && !expected.iter().any(|e| e.table == t.table)) {
        differences.push(format!("{}: {} rows, not in the manifest", got.table, got.rows));
    }
    if !differences.is_empty() {
        bail!("the restored rows differ from the manifest:\n  {}", differences.join("\n  "));
    }
    Ok(())
}

pub(crate) async fn schema_version(client: &impl GenericClient) -> Result<SchemaVersion> {
    let row = client
        .query_one(
            "SELECT count(*), max(version), (SELECT name FROM refinery_schema_history ORDER BY version DESC LIMIT 1)
             FROM refinery_schema_history",
            &[],
        )
        .await
        .context("reading refinery_schema_history (is the database migrated?)")?;
    Ok(SchemaVersion {
        migrations: row.get::<_, i64>(0) as usize,
        last_version: row.get::<_, Option<i32>>(1).unwrap_or(0),
        last_name: row.get::<_, Option<String>>(2).unwrap_or_default(),
    })
}

/// Every ordinary table of the database (partitions included, extension members
/// aside), counted and summed as the superuser, which no policy filters.
pub async fn table_sums(client: &impl GenericClient, progress: &ProgressBar) -> Result<Vec<TableSum>> {
    let tables: Vec<String> = client
        .query(
            "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND n.nspname !~ '^pg_(toast|temp)'
               AND NOT EXISTS (SELECT 1 FROM pg_depend d
                               WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
             ORDER BY 1",
            &[],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    progress.set_length(tables.len() as u64);
    progress.set_position(0);
    let mut sums = Vec::with_capacity(tables.len());
    for table in tables {
        // The name comes from regclass's output: already quoted where needed.
        let row = client
            .query_one(
                &format!(
                    "SELECT count(*), coalesce(sum(('x' || left(md5(t::text), 16))::bit(64)::bigint::numeric), 0)::text
                     FROM ONLY {table} t"
                ),
                &[],
            )
            .await
            .with_context(|| format!("counting {table}"))?;
        sums.push(TableSum { table, rows: row.get(0), checksum: row.get(1) });
        progress.inc(1);
    }
    Ok(sums)
}

/// Each chain's newest entry, in the order `audit verify` walks it (a tenant's by
/// time then id, the platform's by id). `audit.chains` is not read: it records
/// the head a transaction found when it began appending, one transaction behind.
async fn chain_heads(client: &impl GenericClient) -> Result<Vec<ChainHead>> {
    let rows = client
        .query(
            "SELECT * FROM (SELECT DISTINCT ON (tenant_id) tenant_id, id, encode(hash, 'hex')
                            FROM audit.log ORDER BY tenant_id, occurred_at DESC, id DESC) AS tenants
             UNION ALL
             (SELECT audit.platform_chain(), id, encode(hash, 'hex') FROM audit.platform_log ORDER BY id DESC LIMIT 1)
             ORDER BY 1",
            &[],
        )
        .await
        .context("reading the audit chains' heads")?;
    Ok(rows.iter().map(|r| ChainHead { chain: r.get(0), head_id: r.get(1), head_hash: r.get(2) }).collect())
}

/// Roles first (they are cluster-wide, the dump does not carry them), then the
/// database: created on the private cluster, required empty elsewhere.
async fn prepare_database(target: &Target) -> Result<()> {
    let maintenance = if target.cluster.is_some() { target.with_database("postgres") } else { target.clone() };
    let client = maintenance.connect_admin().await?;
    migrate::create_roles(&client).await?;
    let name = target.database_name();
    if target.cluster.is_some() {
        let exists = client.query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name]).await?.is_some();
        if !exists {
            client
                .batch_execute(&format!("CREATE DATABASE {} OWNER {OWNER_ROLE}", migrate::quote_ident(name)))
                .await
                .with_context(|| format!("creating database {name}"))?;
        }
    }
    let client = target.connect_admin().await?;
    let objects: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'",
            &[],
        )
        .await?
        .get(0);
    if objects > 0 {
        bail!("database {name} is not empty ({objects} relations): a restore goes into an empty database");
    }
    Ok(())
}

/// `pg_restore` of everything but the context verifier (its function, comment
/// and grants), which may name a library of the old cluster; one transaction.
async fn restore_dump(target: &Target, dump: &Path) -> Result<()> {
    let tool = pg_tool(target, "pg_restore")?;
    let config = target.admin.clone();
    let dump = dump.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let list = run_tool(Command::new(&tool).arg("--list").arg(&dump), &config)?;
        let kept: String = list.lines().filter(|l| !is_verifier_entry(l)).map(|l| format!("{l}\n")).collect();
        let list_file = std::env::temp_dir().join(format!("tenantbase-restore-{}.list", std::process::id()));
        fs::write(&list_file, kept)?;
        let restored = run_tool(
            Command::new(&tool)
                .args(["--exit-on-error", "--single-transaction", "--no-password", "--use-list"])
                .arg(&list_file)
                .arg("--dbname")
                .arg(super::url_of(&config))
                .arg(&dump),
            &config,
        );
        let _ = fs::remove_file(&list_file);
        restored.map(|_| ())
    })
    .await?
}

/// The function's TOC entry (`FUNCTION platform context_field(integer)`) and its
/// comment and grants (`COMMENT platform FUNCTION context_field(p_field integer)`).
fn is_verifier_entry(line: &str) -> bool {
    line.contains("FUNCTION platform context_field(") || line.contains("platform FUNCTION context_field(")
}

/// A client tool of the PostgreSQL the private cluster runs (or the newest installed).
fn pg_tool(target: &Target, name: &str) -> Result<PathBuf> {
    match &target.cluster {
        Some(cluster) => Ok(cluster.bin(name)),
        None => super::cluster::find_tool(name),
    }
}

/// Runs a PostgreSQL client tool; its stdout, or its stderr as the error.
fn run_tool(cmd: &mut Command, config: &Config) -> Result<String> {
    if let Some(password) = config.get_password() {
        cmd.env("PGPASSWORD", String::from_utf8_lossy(password).as_ref());
    }
    let out = cmd.output().with_context(|| format!("running {:?}", cmd.get_program()))?;
    if !out.status.success() {
        bail!(
            "{} failed: {}",
            Path::new(cmd.get_program()).file_name().unwrap_or_default().to_string_lossy(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

pub(crate) fn file_sum(path: &Path) -> Result<FileSum> {
    let mut file = fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        bytes += n as u64;
    }
    let name = path.file_name().context("a file name")?.to_string_lossy().into_owned();
    Ok(FileSum { name, sha256: hex::encode(hasher.finalize()), bytes })
}
