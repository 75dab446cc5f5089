//! The audit trail's tools. The trail itself lives in the database
//! (`migrations/audit/`): one trigger records every change to every tenant table
//! on its tenant's hash chain, platform events go on a chain of their own, and
//! nobody working through the app can alter an entry. Here: walking the chains to
//! find tampering ([`verify`]), and retention ([`prune`], [`ensure_partitions`]).
//! Both run as the admin (a superuser), which reads every chain. See docs/audit.md.

mod retention;
mod verify;

use uuid::Uuid;

pub use retention::{
    ensure_partitions, prune, PruneOptions, PruneReport, PrunedPartition, DEFAULT_RETENTION_DAYS, MIN_RETENTION_DAYS,
};
pub use verify::{verify, BrokenLink, Chain, ChainReport, VerifyReport};

/// The platform chain's id (`audit.platform_chain()`); a tenant's chain has its tenant's id.
pub const PLATFORM_CHAIN: Uuid = Uuid::nil();
