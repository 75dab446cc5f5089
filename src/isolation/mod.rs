//! Proving isolation: the catalog's list of tenant tables, and the attack suite
//! that tries every vector against another tenant's rows.

pub mod attack;
pub mod catalog;
