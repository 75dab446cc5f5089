//! Integration tests on a real PostgreSQL: a private cluster started by the tests,
//! a migrated template, and a fresh database per test.

mod api;
mod business_rules;
mod check;
mod audit;
mod cluster_cli;
mod common;
mod context;
mod isolation;
mod migrations;
mod pool;
mod search;
