//! Integration tests on a real PostgreSQL: a private cluster started by the tests,
//! a migrated template, and a fresh database per test.

mod abuse;
mod api;
mod attribution;
mod audit;
mod backup;
mod business_rules;
mod check;
mod cluster_cli;
mod common;
mod context;
mod contract;
mod designs;
mod docs;
mod fair_share;
mod fuzz;
mod idempotency;
mod indexes;
mod injection;
mod invitations;
mod isolation;
mod keys;
mod lifecycles;
mod login;
mod metrics;
mod migrations;
mod partitions;
mod permissions;
mod pool;
mod pooler;
mod schema_snapshot;
mod search;
mod seed;
mod serving;
mod snapshots;
mod views;
