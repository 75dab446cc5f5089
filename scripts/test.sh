#!/usr/bin/env bash
# The tests: every suite against private PostgreSQL clusters the tests start themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cargo test --all-targets -- --test-threads 4
