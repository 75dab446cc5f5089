//! Data: the demo tenants (from the product designs of docs/design.md) with their users and business data, and
//! a large skewed data set for benchmarks.

pub mod business;
pub mod demo;
pub mod scale;
