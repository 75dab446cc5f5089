//! `tenantbase keys`: where each key lives, who may read it, and rotation (docs/keys.md).

use std::path::PathBuf;

use anyhow::{bail, Result};

use super::Cli;
use crate::db::context::ContextKey;
use crate::keys;
use crate::secrets::{self, Sealer};
use crate::signing::{self, OperatorKey};

#[derive(clap::Subcommand, Debug)]
pub enum KeysAction {
    /// Where each key lives, its id, who may read it, and what it sealed.
    Status,
    /// Replace a key by a new one without stopping the server (see docs/keys.md).
    Rotate {
        #[arg(value_enum)]
        key: RotatableKey,
        /// Context key only: seconds the replaced key keeps verifying (servers switch within
        /// 10 s); 0 retires it at once, for a leak, at the price of failed requests meanwhile.
        #[arg(long, value_name = "SECONDS", default_value_t = crate::db::context::ROTATION_OVERLAP.as_secs())]
        overlap: u64,
    },
    /// Seal again, under the current sealing key, what was sealed under a retired one
    /// (after servers that held the retired key restarted).
    Reseal,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum RotatableKey {
    /// The key signing tenant contexts: a new current key; the old one verifies for the overlap
    /// while running servers pick up the new one (no restart).
    Context,
    /// The key sealing store credentials: a new key file, every value re-sealed.
    Sealing,
    /// The operator's ed25519 key: a new pair, the old one kept to verify what it signed
    /// (the first one, when there is none).
    Operator,
}

impl Cli {
    pub(super) async fn keys(&self, action: &KeysAction) -> Result<()> {
        match action {
            KeysAction::Status => self.keys_status().await,
            KeysAction::Rotate { key: RotatableKey::Context, overlap } => {
                let target = self.target()?;
                if target.context_key.is_some() {
                    bail!(
                        "{} is set: the context key comes from the environment; rotate it by hand (docs/keys.md)",
                        crate::db::context::KEY_ENV
                    );
                }
                let admin = target.connect_admin().await?;
                let old = ContextKey::fetch(&admin).await?;
                let new = ContextKey::rotate(&admin, std::time::Duration::from_secs(*overlap)).await?;
                println!(
                    "context key rotated: {} -> {}; {} keeps verifying for {} s. Servers reading the key from the \
                     database sign with {} within {} s (at once on SIGHUP).",
                    old.key_id(),
                    new.key_id(),
                    old.key_id(),
                    overlap,
                    new.key_id(),
                    crate::db::context::KEY_REFRESH.as_secs()
                );
                Ok(())
            }
            KeysAction::Rotate { key: RotatableKey::Operator, .. } if !self.operator_key_path().exists() => {
                let key = OperatorKey::load_or_create(&self.operator_key_path())?;
                println!(
                    "operator key {} created at {} (there was none)",
                    key.public().key_id(),
                    self.operator_key_path().display()
                );
                Ok(())
            }
            KeysAction::Rotate { key: RotatableKey::Operator, .. } => {
                let (old, new) = keys::rotate_operator(&self.operator_key_path())?;
                println!(
                    "operator key rotated: {old} -> {new}; the old pair is kept beside it as {}.retired-{old}(.pub) \
                     to verify what it signed (restore --trust <that .pub>)",
                    self.operator_key_path().display()
                );
                Ok(())
            }
            KeysAction::Rotate { key: RotatableKey::Sealing, .. } => {
                let key_file = self.rotatable_sealing_key_file()?;
                let mut admin = self.target()?.connect_admin().await?;
                let (old, new, resealed, unknown) = keys::rotate_sealing(&mut admin, &key_file).await?;
                if unknown > 0 {
                    eprintln!("WARNING: {unknown} sealed values are under a key neither the old nor the new one opens: left as they were");
                }
                println!(
                    "sealing key rotated: {old} -> {new}; {resealed} sealed values re-sealed. Restart the servers \
                     (they seal with {old} until then), then run `tenantbase keys reseal`; {}.previous-{old} \
                     can be deleted once it reports nothing left under {old}.",
                    key_file.display()
                );
                Ok(())
            }
            KeysAction::Reseal => {
                let key_file = self.rotatable_sealing_key_file()?;
                let mut admin = self.target()?.connect_admin().await?;
                let (resealed, unknown) = keys::reseal(&mut admin, &key_file).await?;
                println!("{resealed} sealed values re-sealed under the current key.");
                if unknown > 0 {
                    bail!("{unknown} sealed values are under a key that no kept key file opens");
                }
                Ok(())
            }
        }
    }

    /// The sealing key file a rotation rewrites; a key given by environment is the operator's to replace.
    fn rotatable_sealing_key_file(&self) -> Result<PathBuf> {
        if std::env::var_os(secrets::KEY_ENV).is_some() {
            bail!(
                "{} is set: the sealing key comes from the environment; rotate it by hand (docs/keys.md)",
                secrets::KEY_ENV
            );
        }
        match self.sealing_key_file() {
            Some(path) if path.exists() => Ok(path),
            Some(path) => bail!("{} does not exist: there is no sealing key to rotate", path.display()),
            None => {
                bail!("with DATABASE_URL the sealing key is {}: rotate it by hand (docs/keys.md)", secrets::KEY_ENV)
            }
        }
    }

    async fn keys_status(&self) -> Result<()> {
        let target = self.target()?;
        let admin = target.connect_admin().await?;

        let key = target.context_key().await?;
        let source = if target.context_key.is_some() { crate::db::context::KEY_ENV } else { "platform.context_keys" };
        let readers = keys::context_key_readers(&admin).await?;
        println!("context signing key {}", key.key_id());
        println!(
            "  lives in   the database (platform.context_keys), so in every backup; this process read it from {source}"
        );
        println!(
            "  readable   by superusers and {}",
            if readers.is_empty() { "no other role".into() } else { readers.join(", ") }
        );
        for (id, until) in ContextKey::retiring(&admin).await? {
            println!("  retiring   {id}, verifies until {until} (unix seconds)");
        }
        println!("  rotate     tenantbase keys rotate context (servers pick it up, no restart)");

        let key_file = self.sealing_key_file();
        match secrets::current_key(key_file.as_deref())? {
            Some(key) => {
                println!("sealing key {}", Sealer::new(key).key_id());
                match (std::env::var_os(secrets::KEY_ENV), &key_file) {
                    (Some(_), _) => println!("  lives in   {} (environment)", secrets::KEY_ENV),
                    (None, Some(path)) => {
                        println!("  lives in   {} ({})", path.display(), keys::file_access(path))
                    }
                    (None, None) => {}
                }
                if let Some(path) = &key_file {
                    for (retired, key) in keys::retired_sealing_keys(path)? {
                        println!("  retired    {} in {}", Sealer::new(key).key_id(), retired.display());
                    }
                }
            }
            None => println!("sealing key: none configured (no store credential can be sealed)"),
        }
        for (column, key_id, rows) in keys::sealed_counts(&admin).await? {
            println!("  sealed     {rows} values of {}.{} under {key_id}", column.table, column.sealed);
        }
        println!("  rotate     tenantbase keys rotate sealing");

        let path = self.operator_key_path();
        match OperatorKey::load(&path) {
            Ok(key) => {
                println!("operator key {}", key.public().key_id());
                println!("  lives in   {} ({})", path.display(), keys::file_access(&path));
                println!("  public     {}", signing::public_path(&path).display());
            }
            Err(_) => println!("operator key: none at {} (the first backup creates it)", path.display()),
        }
        println!("  rotate     tenantbase keys rotate operator");
        Ok(())
    }
}
