//! The audit trail's tools. The trail itself lives in the database
//! (`migrations/audit/`): one trigger queues every change to every tenant table,
//! the sealer chains the entries on their tenant's hash chain, platform events go
//! on a chain of their own, and nobody working through the app can alter an entry.
//! Here: sealing ([`seal`], [`spawn_sealer`], [`lag`]), walking the chains to find
//! tampering ([`verify`]), and retention ([`prune`], [`ensure_partitions`]). Verify
//! and retention run as the admin (a superuser), which reads every chain. See docs/audit.md.

pub mod checkpoints;
mod epoch;
mod erase;
mod retention;
mod seal;
pub mod verify;

use uuid::Uuid;

pub use checkpoints::Checkpointer;
pub use epoch::record_epoch;
pub use erase::{erase_tenant_payloads, erase_user_payloads};
pub use retention::{
    ensure_partitions, prune, PruneOptions, PruneReport, PrunedPartition, DEFAULT_RETENTION_DAYS, MIN_RETENTION_DAYS,
};
pub use seal::{lag, lag_via, seal, spawn_sealer, SealLag, CHECKPOINT_EVERY, SEAL_BATCH};
pub use verify::{verify, BrokenLink, Chain, ChainReport, VerifyReport};

/// The platform chain's id (`audit.platform_chain()`); a tenant's chain has its tenant's id.
pub const PLATFORM_CHAIN: Uuid = Uuid::nil();
