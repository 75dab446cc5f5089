//! `tenantbase backup` and `tenantbase restore`: one command each (docs/backup.md).

use std::path::PathBuf;

use anyhow::{bail, Context, Result};

use super::{progress_bar, Cli};
use crate::db::backup::{self, SealingKey, PASSPHRASE_ENV};
use crate::secrets;
use crate::signing::{self, OperatorKey, PublicKey};

#[derive(clap::Args, Debug)]
#[command(group = clap::ArgGroup::new("destination").required(true))]
pub struct BackupArgs {
    /// The directory to write the backup into (created; it must be empty).
    #[arg(long, group = "destination")]
    pub to: Option<PathBuf>,
    /// Write the backup into a new directory under DIR named by the time (for schedules).
    #[arg(long, value_name = "DIR", group = "destination")]
    pub into: Option<PathBuf>,
    /// With --into: keep this many backups under DIR, delete the older ones and the
    /// archived WAL older than the oldest kept.
    #[arg(long, requires = "into")]
    pub keep: Option<usize>,
    /// Leave the sealing key out even when a passphrase is set (it is then kept elsewhere).
    #[arg(long)]
    pub without_sealing_key: bool,
}

#[derive(clap::Args, Debug)]
pub struct RestoreArgs {
    /// The backup directory.
    #[arg(long)]
    pub from: PathBuf,
    /// The operator's public key the manifest must be signed with
    /// [default: <operator key>.pub].
    #[arg(long)]
    pub trust: Option<PathBuf>,
    /// With DATABASE_URL: where to write the unwrapped sealing key (mode 0600), for
    /// TENANTBASE_SECRET_KEY. The private cluster keeps it in <data-dir>/secret.key.
    #[arg(long)]
    pub sealing_key_to: Option<PathBuf>,
}

impl Cli {
    pub(super) async fn backup(&self, args: &BackupArgs) -> Result<()> {
        let operator = OperatorKey::load_or_create(&self.operator_key_path())?;
        let target = self.target()?;
        let key = secrets::current_key(self.sealing_key_file().as_deref())?;
        let passphrase = std::env::var(PASSPHRASE_ENV).ok().filter(|p| !p.is_empty());
        let (sealing, reason) = match (&key, &passphrase) {
            (None, _) => (None, "no sealing key is configured: no store credential was sealed here".to_string()),
            (Some(_), _) if args.without_sealing_key => {
                (None, "left out on request (--without-sealing-key): keep a copy of the key elsewhere".into())
            }
            (Some(key), Some(passphrase)) => (Some((key, passphrase.as_str())), String::new()),
            (Some(_), None) => (
                None,
                format!("{PASSPHRASE_ENV} was not set: the sealing key is NOT in this backup, keep a copy elsewhere"),
            ),
        };
        let to = match (&args.to, &args.into) {
            (Some(to), _) => to.clone(),
            (None, Some(into)) => into.join(target.clock.now().format("%Y%m%dT%H%M%S%.3fZ").to_string()),
            (None, None) => unreachable!("clap requires one destination"),
        };
        let progress = progress_bar(Some(0), "{spinner} {msg} {pos}/{len} tables");
        let manifest =
            backup::backup(&target, &operator, sealing, &reason, &to, &progress).await.inspect_err(|_| {
                progress.finish_and_clear();
            })?;
        progress.finish_and_clear();
        let rows: i64 = manifest.tables.iter().map(|t| t.rows).sum();
        println!(
            "Backed up {} ({} tables, {rows} rows, schema at V{} {}, {} audit chains) into {}",
            manifest.database,
            manifest.tables.len(),
            manifest.schema.last_version,
            manifest.schema.last_name,
            manifest.audit_heads.len(),
            to.display()
        );
        println!("manifest signed with the operator key {}", manifest.operator_key_id);
        match &manifest.sealing_key {
            SealingKey::Wrapped { key_id } => {
                println!("sealing key {key_id}: in the backup, wrapped under the passphrase")
            }
            SealingKey::Absent { reason } => eprintln!("WARNING: the sealing key is not in this backup: {reason}"),
        }
        println!(
            "The backup holds the context signing key and every tenant's data: keep it as secret as the database."
        );
        if let (Some(into), Some(keep)) = (&args.into, args.keep) {
            let archive =
                target.cluster.as_ref().and_then(|c| c.wal_archive().map(|a| (a, c.bin("pg_archivecleanup"))));
            for old in backup::apply_retention(into, keep, archive)? {
                println!("deleted the older backup {}", old.display());
            }
        }
        Ok(())
    }

    pub(super) async fn restore(&self, args: &RestoreArgs) -> Result<()> {
        let trust = args.trust.clone().unwrap_or_else(|| signing::public_path(&self.operator_key_path()));
        let trusted = PublicKey::load(&trust).with_context(|| {
            format!("the operator's public key verifies the backup: {} (or --trust PATH)", trust.display())
        })?;
        // Refused before any database is touched.
        backup::verify_backup(&args.from, &trusted)?;
        let key_file = args.sealing_key_to.clone().or_else(|| self.sealing_key_file());
        if let Some(path) = key_file.as_deref().filter(|p| p.exists()) {
            bail!("{} exists: a restore does not replace a sealing key", path.display());
        }
        let ledger = self.erasure_ledger_path();
        let erasures = crate::lifecycle::read_ledger(&ledger, &trusted)
            .with_context(|| format!("the erasure ledger {} (or --erasure-ledger PATH)", ledger.display()))?;
        let target = self.target_creating()?;
        let passphrase = std::env::var(PASSPHRASE_ENV).ok().filter(|p| !p.is_empty());
        let progress = progress_bar(Some(0), "{spinner} {msg} {pos}/{len}");
        let report = backup::restore(&target, &trusted, &args.from, passphrase.as_deref(), &erasures, &progress)
            .await
            .inspect_err(|_| progress.finish_and_clear())?;
        progress.finish_and_clear();
        match (report.sealing_key, key_file) {
            (Some(key), Some(path)) => {
                secrets::write_key_file(&path, &key)?;
                println!("sealing key restored to {}", path.display());
            }
            (Some(_), None) => eprintln!(
                "WARNING: the backup's sealing key was not written anywhere: pass --sealing-key-to PATH \
                 and set TENANTBASE_SECRET_KEY from it, or sealed store credentials cannot be opened"
            ),
            (None, _) => eprintln!("WARNING: the backup carries no sealing key: {}", absent_reason(&report.manifest)),
        }
        let verifier = match &report.verifier {
            crate::db::verifier::Verifier::Native(library) => format!("compiled ({library})"),
            crate::db::verifier::Verifier::PlPgSql => "PL/pgSQL".into(),
        };
        println!(
            "Restored {} from {} (taken {}): {} tables, {} rows identical to the manifest; check: no finding; \
             audit: {} chains intact; context verifier: {verifier}.",
            report.manifest.database,
            args.from.display(),
            report.manifest.created_at.to_rfc3339(),
            report.tables,
            report.rows,
            report.chains
        );
        let replayed = &report.replayed;
        println!(
            "Erasure ledger {} ({} entries): {} tenants, {} users and {} trails erased again.",
            ledger.display(),
            erasures.len(),
            replayed.tenants_erased.len(),
            replayed.users_erased.len(),
            replayed.trails_erased.len()
        );
        Ok(())
    }

    /// The private cluster's sealing key file (none with DATABASE_URL).
    pub(super) fn sealing_key_file(&self) -> Option<PathBuf> {
        self.database_url.is_none().then(|| self.data_dir().join("secret.key"))
    }
}

fn absent_reason(manifest: &backup::Manifest) -> &str {
    match &manifest.sealing_key {
        SealingKey::Absent { reason } => reason,
        SealingKey::Wrapped { .. } => "",
    }
}
