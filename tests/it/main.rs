//! Integration tests on a real PostgreSQL: a private cluster started by the tests,
//! a migrated template, and a fresh database per test.

mod abuse;
mod api;
mod attribution;
mod audit;
mod business_rules;
mod check;
mod cluster_cli;
mod common;
mod context;
mod designs;
mod fair_share;
mod fuzz;
mod idempotency;
mod indexes;
mod injection;
mod invitations;
mod isolation;
mod lifecycles;
mod login;
mod migrations;
mod partitions;
mod permissions;
mod pool;
mod search;
mod seed;
mod snapshots;
mod views;
