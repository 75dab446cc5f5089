//! Integration tests on a real PostgreSQL: a private cluster started by the tests,
//! a migrated template, and a fresh database per test.

mod business_rules;
mod cluster_cli;
mod common;
mod indexes;
mod isolation;
mod migrations;
mod pool;
mod search;
mod seed;
mod views;
