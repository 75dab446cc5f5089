//! The keys tenantbase holds, who owns each and how each rotates (docs/keys.md):
//! the context signing key (in the database), the sealing key (beside the
//! database, never in it) and the operator key (with the operator, never beside
//! the data).

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use tokio_postgres::Client;
use uuid::Uuid;

use crate::secrets::{self, Sealer};
use crate::signing::{self, OperatorKey, PublicKey};

/// A column pair sealed by the server: `<name>_sealed` bound to the row's tenant
/// and id, `<name>_key_id` naming the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedColumn {
    pub table: String,
    pub sealed: String,
    pub key_id: String,
}

/// Every sealed column pair in the database, found in the catalog.
pub async fn sealed_columns(admin: &Client) -> Result<Vec<SealedColumn>> {
    let rows = admin
        .query(
            "SELECT format('%I.%I', s.table_schema, s.table_name), s.column_name::text, k.column_name::text
             FROM information_schema.columns s
             JOIN information_schema.columns k
               ON (k.table_schema, k.table_name) = (s.table_schema, s.table_name)
              AND k.column_name = left(s.column_name, -length('_sealed')) || '_key_id'
             WHERE s.column_name LIKE '%\\_sealed' AND s.data_type = 'bytea'
               AND s.table_schema NOT IN ('pg_catalog', 'information_schema')
             ORDER BY 1, 2",
            &[],
        )
        .await?;
    Ok(rows.iter().map(|r| SealedColumn { table: r.get(0), sealed: r.get(1), key_id: r.get(2) }).collect())
}

/// How many rows each key sealed, per column pair.
pub async fn sealed_counts(admin: &Client) -> Result<Vec<(SealedColumn, String, i64)>> {
    let mut counts = Vec::new();
    for column in sealed_columns(admin).await? {
        // Names from the catalog, quoted by format('%I').
        let rows = admin
            .query(
                &format!(
                    "SELECT {key}::text, count(*) FROM {table} WHERE {sealed} IS NOT NULL GROUP BY 1 ORDER BY 1",
                    key = quote(&column.key_id),
                    table = column.table,
                    sealed = quote(&column.sealed)
                ),
                &[],
            )
            .await?;
        counts.extend(rows.iter().map(|r| (column.clone(), r.get(0), r.get(1))));
    }
    Ok(counts)
}

/// The retired sealing keys kept beside `key_file` (`<key_file>.previous-<key id>`),
/// which open what was sealed before a rotation.
pub fn retired_sealing_keys(key_file: &Path) -> Result<Vec<(PathBuf, [u8; 32])>> {
    let Some(dir) = key_file.parent() else { return Ok(Vec::new()) };
    let prefix = format!("{}.previous-", key_file.file_name().context("a key file name")?.to_string_lossy());
    let mut keys = Vec::new();
    for entry in fs::read_dir(if dir.as_os_str().is_empty() { Path::new(".") } else { dir })? {
        let path = entry?.path();
        if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&prefix)) {
            let key = secrets::read_key_file(&path)?;
            keys.push((path, key));
        }
    }
    Ok(keys)
}

/// Seals again, under the current key of `key_file`, every value sealed under
/// another key it can open (a retired one). Running servers that still hold the
/// retired key go on sealing with it until restarted: run this again after.
/// Returns the rows re-sealed and those no known key opens.
pub async fn reseal(admin: &mut Client, key_file: &Path) -> Result<(u64, u64)> {
    let key = secrets::read_key_file(key_file)?;
    let current = Sealer::new(key);
    let mut ring = vec![Sealer::new(key)];
    ring.extend(retired_sealing_keys(key_file)?.into_iter().map(|(_, key)| Sealer::new(key)));
    let (mut resealed, mut unknown) = (0, 0);
    for column in sealed_columns(admin).await? {
        let tx = admin.transaction().await?;
        let (sealed, key_id, table) = (quote(&column.sealed), quote(&column.key_id), &column.table);
        let rows = tx
            .query(
                &format!(
                    "SELECT tenant_id, id, {sealed}, {key_id}::text FROM {table}
                     WHERE {key_id} IS DISTINCT FROM $1 AND {sealed} IS NOT NULL FOR UPDATE"
                ),
                &[&current.key_id()],
            )
            .await
            .with_context(|| format!("reading {table}'s sealed values"))?;
        for row in rows {
            let (tenant, id, bytes, key_id_of_row): (Uuid, Uuid, Vec<u8>, String) =
                (row.get(0), row.get(1), row.get(2), row.get(3));
            let Some(opener) = ring.iter().find(|s| s.key_id() == key_id_of_row) else {
                unknown += 1;
                continue;
            };
            let plain = opener.open(tenant, id, &bytes)?;
            tx.execute(
                &format!("UPDATE {table} SET {sealed} = $3, {key_id} = $4 WHERE tenant_id = $1 AND id = $2"),
                &[&tenant, &id, &current.seal(tenant, id, &plain), &current.key_id()],
            )
            .await?;
            resealed += 1;
        }
        tx.commit().await?;
    }
    Ok((resealed, unknown))
}

/// Replaces the sealing key of `key_file` by a new one, keeping the old one as
/// `<key_file>.previous-<key id>` (mode 0600), and re-seals every value it can
/// open. Returns the old and new key ids, the values re-sealed and those under a
/// key neither opens (sealed by a key never kept, e.g. the demo's throwaway one).
pub async fn rotate_sealing(admin: &mut Client, key_file: &Path) -> Result<(String, String, u64, u64)> {
    let old = secrets::read_key_file(key_file)
        .with_context(|| format!("rotating the sealing key of {}", key_file.display()))?;
    let old_id = Sealer::new(old).key_id().to_string();
    let new: [u8; 32] = rand::random();
    let retired = PathBuf::from(format!("{}.previous-{old_id}", key_file.display()));
    let next = PathBuf::from(format!("{}.next", key_file.display()));
    let _ = fs::remove_file(&next);
    secrets::write_key_file(&next, &new)?;
    if !retired.exists() {
        fs::copy(key_file, &retired)?;
        fs::set_permissions(&retired, fs::Permissions::from_mode(0o600))?;
    }
    // One rename: a reader finds the old key or the new one, never a partial file.
    fs::rename(&next, key_file)?;
    let (resealed, unknown) = reseal(admin, key_file).await?;
    Ok((old_id, Sealer::new(new).key_id().to_string(), resealed, unknown))
}

/// Replaces the operator key at `path` by a new one; the old pair stays as
/// `<path>.retired-<key id>` and its `.pub`, which still verify what it signed.
pub fn rotate_operator(path: &Path) -> Result<(String, String)> {
    let old = OperatorKey::load(path)?;
    let old_id = old.public().key_id();
    let retired = PathBuf::from(format!("{}.retired-{old_id}", path.display()));
    fs::rename(path, &retired)?;
    fs::rename(signing::public_path(path), signing::public_path(&retired))?;
    let new = OperatorKey::generate();
    new.write(path)?;
    Ok((old_id, new.public().key_id()))
}

/// The public halves that verify what the operator key at `path` signed: its own
/// (`<path>.pub`, else the key itself) and those of the keys it retired
/// (`<path>.retired-<key id>.pub`, kept by [`rotate_operator`]).
pub fn trusted_operator_keys(path: &Path) -> Result<Vec<PublicKey>> {
    let current = match PublicKey::load(&signing::public_path(path)) {
        Ok(public) => public,
        Err(_) => OperatorKey::load(path)?.public(),
    };
    let mut keys = vec![current];
    let Some(dir) = path.parent() else { return Ok(keys) };
    let name = path.file_name().context("an operator key file name")?.to_string_lossy();
    let (prefix, suffix) = (format!("{name}.retired-"), ".pub");
    let entries = match fs::read_dir(if dir.as_os_str().is_empty() { Path::new(".") } else { dir }) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(keys),
        Err(e) => return Err(e.into()),
    };
    for entry in entries {
        let path = entry?.path();
        let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if file.starts_with(&prefix) && file.ends_with(suffix) {
            keys.push(PublicKey::load(&path)?);
        }
    }
    Ok(keys)
}

/// Who besides superusers may read the context key (`platform.context_keys`).
pub async fn context_key_readers(admin: &Client) -> Result<Vec<String>> {
    let rows = admin
        .query(
            "SELECT rolname::text FROM pg_roles
             WHERE NOT rolsuper AND rolname !~ '^pg_'
               AND has_table_privilege(oid, 'platform.context_keys', 'SELECT')
             ORDER BY 1",
            &[],
        )
        .await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// A file's mode and owner, for the status.
pub fn file_access(path: &Path) -> String {
    use std::os::unix::fs::MetadataExt;
    match fs::metadata(path) {
        Ok(meta) => format!("mode {:o}, uid {}", meta.permissions().mode() & 0o777, meta.uid()),
        Err(_) => "missing".into(),
    }
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}
