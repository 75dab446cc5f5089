//! What tenantbase's tests and benchmark need beside the server, kept out of the server binary.

pub mod proxy;
