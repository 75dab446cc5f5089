//! Proving isolation: the catalog's list of tenant tables, the linter that reads
//! the catalog for incomplete isolation, and the attack suite that tries every
//! vector against another tenant's rows.

pub mod attack;
pub mod catalog;
pub mod check;
