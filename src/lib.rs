//! tenantbase: the multi-tenant data layer of SaaS products. One binary migrates
//! and owns a PostgreSQL schema isolated with forced Row-Level Security, serves it
//! over HTTP, and proves its own isolation.
//!
//! Layers: [`cli`] and [`api`] call the services, which run in [`db`]'s
//! tenant-scoped transactions, under the policies of `migrations/`.

pub mod api;
pub mod audit;
pub mod cli;
pub mod clock;
pub mod credentials;
pub mod db;
pub mod isolation;
pub mod keys;
pub mod lifecycle;
pub mod progress;
pub mod secrets;
pub mod seed;
pub mod signing;
pub mod transfer;
