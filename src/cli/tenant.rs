//! `tenantbase tenant`: one tenant's life, export and import (docs/tenant-lifecycle.md).

use std::path::PathBuf;

use anyhow::Result;
use chrono::Duration;
use clap::Subcommand;

use super::Cli;
use crate::db::Target;
use crate::lifecycle::{self, LedgerEntry, DEFAULT_WINDOW_DAYS};
use crate::signing::{self, OperatorKey, PublicKey};
use crate::transfer;

#[derive(Subcommand, Debug)]
pub enum TenantAction {
    /// Soft-delete a tenant: refused at once by the API and the database, restorable during the window.
    Delete {
        /// The tenant's slug or id.
        #[arg(long)]
        tenant: String,
        /// The tenant's slug again, to confirm.
        #[arg(long)]
        confirm: String,
        /// Days the tenant stays restorable before `tenant purge` erases it.
        #[arg(long, env = "TENANTBASE_DELETION_WINDOW_DAYS", default_value_t = DEFAULT_WINDOW_DAYS)]
        window_days: u32,
    },
    /// Restore a deleted tenant whose erasure has not begun: every row is back.
    Restore {
        /// The tenant's slug or id.
        #[arg(long)]
        tenant: String,
    },
    /// Erase a tenant now: its rows, its users who belong to no other tenant, its audit payloads
    /// (the trail itself is kept 90 days after the deletion); a receipt on the platform chain and a
    /// line in the erasure ledger.
    Erase {
        /// The tenant's slug or id.
        #[arg(long)]
        tenant: String,
        /// The tenant's slug again, to confirm.
        #[arg(long)]
        confirm: String,
    },
    /// Erase the deleted tenants whose window has passed, and the trails kept 90 days past their
    /// deletion (`serve` runs it daily).
    Purge,
    /// Export a tenant in one snapshot: one COPY file per table and a manifest signed with the operator key.
    Export {
        /// The tenant's slug or id.
        #[arg(long)]
        tenant: String,
        /// The directory to write (created; it must be empty).
        #[arg(long)]
        to: PathBuf,
    },
    /// Import a signed export into this database (DATABASE_URL picks another), verified first.
    Import {
        /// The export's directory.
        #[arg(long)]
        from: PathBuf,
        /// The operator's public key the manifest must be signed with [default: <operator key>.pub].
        #[arg(long)]
        trust: Option<PathBuf>,
        /// Import as a new tenant with this id (and --slug) instead of the exported id.
        #[arg(long, requires = "slug")]
        as_id: Option<uuid::Uuid>,
        /// The new tenant's slug, with --as-id.
        #[arg(long, requires = "as_id")]
        slug: Option<String>,
    },
    /// Move a tenant to another tenantbase database: refused here first, exported, imported
    /// there and checked, then answered here as moved (410 with its new location).
    Move {
        /// The tenant's slug or id.
        #[arg(long)]
        tenant: String,
        /// The destination database (migrated to the same schema).
        #[arg(long)]
        to_database_url: String,
        /// Where the tenant is served from now on (the API's 410 names it), e.g. https://eu.example.com.
        #[arg(long)]
        location: String,
        /// The directory the signed export goes through (created; it must be empty).
        #[arg(long)]
        via: PathBuf,
    },
}

impl Cli {
    /// The erasure ledger: `--erasure-ledger`, else beside the operator key.
    pub fn erasure_ledger_path(&self) -> PathBuf {
        self.erasure_ledger.clone().unwrap_or_else(|| self.operator_key_path().with_file_name("erasure-ledger.jsonl"))
    }

    pub(super) async fn tenant(&self, action: &TenantAction) -> Result<()> {
        let target = self.target()?;
        let mut admin = target.connect_admin().await?;
        let now = target.clock.now();
        match action {
            TenantAction::Delete { tenant, confirm, window_days } => {
                let (id, slug) = lifecycle::find_tenant(&admin, tenant).await?;
                let until = lifecycle::delete(&admin, id, confirm, now, Duration::days((*window_days).into())).await?;
                println!("Deleted {slug} ({id}): restorable until {}, erased after.", until.to_rfc3339());
            }
            TenantAction::Restore { tenant } => {
                let (id, slug) = lifecycle::find_tenant(&admin, tenant).await?;
                lifecycle::restore(&admin, id).await?;
                println!("Restored {slug} ({id}).");
            }
            TenantAction::Erase { tenant, confirm } => {
                let (id, slug) = lifecycle::find_tenant(&admin, tenant).await?;
                if confirm != &slug {
                    anyhow::bail!("the confirmation must repeat the tenant's slug ({slug})");
                }
                let key = OperatorKey::load_or_create(&self.operator_key_path())?;
                let erasure = lifecycle::erase(&admin, id, now).await?;
                self.record_erasure(&key, &erasure)?;
                print_erasure(&erasure);
            }
            TenantAction::Purge => {
                let key = OperatorKey::load_or_create(&self.operator_key_path())?;
                let report = lifecycle::purge(&admin, now).await?;
                for erasure in &report.erased {
                    self.record_erasure(&key, erasure)?;
                    print_erasure(erasure);
                }
                for (tenant, entries) in &report.audit_erased {
                    let entry = LedgerEntry::AuditErased { tenant: *tenant, at: now };
                    lifecycle::append_ledger(&self.erasure_ledger_path(), &key, &entry)?;
                    println!("Erased the trail of {tenant}: {entries} entries.");
                }
                if report.erased.is_empty() && report.audit_erased.is_empty() {
                    println!("Nothing is due.");
                }
            }
            TenantAction::Export { tenant, to } => {
                let (id, slug) = lifecycle::find_tenant(&admin, tenant).await?;
                let key = OperatorKey::load_or_create(&self.operator_key_path())?;
                let manifest = transfer::export(&mut admin, &key, id, to, now).await?;
                let rows: u64 = manifest.files.iter().map(|f| f.rows).sum();
                println!(
                    "Exported {slug} ({id}): {} files, {rows} rows, schema at V{}, into {}; manifest signed with {}.",
                    manifest.files.len(),
                    manifest.schema.last_version,
                    to.display(),
                    manifest.operator_key_id
                );
            }
            TenantAction::Import { from, trust, as_id, slug } => {
                let trust = trust.clone().unwrap_or_else(|| signing::public_path(&self.operator_key_path()));
                let trusted = PublicKey::load(&trust)?;
                let as_new = as_id.zip(slug.as_deref());
                let imported = transfer::import(&mut admin, from, &trusted, as_new).await?;
                println!(
                    "Imported tenant {}: {} rows in {:.2} s ({:.0} rows/s){}.",
                    imported.tenant,
                    imported.rows,
                    imported.elapsed.as_secs_f64(),
                    imported.rows as f64 / imported.elapsed.as_secs_f64().max(1e-9),
                    if as_new.is_none() { ", identical to the manifest's checksums" } else { "" }
                );
            }
            TenantAction::Move { tenant, to_database_url, location, via } => {
                let (id, slug) = lifecycle::find_tenant(&admin, tenant).await?;
                let key = OperatorKey::load_or_create(&self.operator_key_path())?;
                let mut dest = Target::resolve(Some(to_database_url), &self.data_dir(), false)?.connect_admin().await?;
                let moved = transfer::move_tenant(&mut admin, &mut dest, &key, id, location, via, now).await?;
                println!(
                    "Moved {slug} ({id}): {} rows, identical checksums at the destination; this database now answers 410 with {location}. Its rows here are kept, unreachable: `tenant erase` removes them.",
                    moved.imported.rows
                );
            }
        }
        Ok(())
    }

    fn record_erasure(&self, key: &OperatorKey, erasure: &lifecycle::Erasure) -> Result<()> {
        let entry = LedgerEntry::Erased {
            tenant: erasure.tenant,
            users: erasure.users.clone(),
            deleted_at: erasure.deleted_at,
            erased_at: erasure.erased_at,
        };
        lifecycle::append_ledger(&self.erasure_ledger_path(), key, &entry)
    }
}

fn print_erasure(erasure: &lifecycle::Erasure) {
    let receipt = match &erasure.receipt {
        Some((id, hash)) => format!("receipt: platform chain entry {id} ({hash})"),
        None => "receipt: queued on the platform chain".into(),
    };
    println!(
        "Erased {} with {} users of no other tenant; {} audit payloads tombstoned; {receipt}; trail kept until {}.",
        erasure.tenant,
        erasure.users.len(),
        erasure.payloads_erased,
        (erasure.deleted_at + Duration::days(lifecycle::AUDIT_KEPT_DAYS)).to_rfc3339()
    );
}
