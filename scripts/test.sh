#!/usr/bin/env bash
# The tests: formatting and lints first (rustfmt, clippy with warnings denied);
# every suite against private PostgreSQL clusters the tests start themselves; then the isolation proofs on a freshly migrated database with the
# demo data: `tenantbase check` (the catalog linter) and `tenantbase attack` (the
# attack matrix), each failing the run on any finding or leak; then
# `tenantbase bench --quick` on the same throwaway cluster, to prove the
# benchmark still runs (it asserts no speed).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# pgvector where a source checkout is given; without it the embeddings tests print SKIPPED.
if [ -n "${PGVECTOR_SRC:-}" ]; then scripts/install-pgvector.sh; fi
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace --all-targets -- --test-threads 4
# Both binaries: `tenantbase bench` runs tenantbase-bench from beside it.
cargo build --workspace --bins

TENANTBASE_DATA_DIR="$(mktemp -d -t tenantbase-proof-XXXXXX)"
export TENANTBASE_DATA_DIR
unset DATABASE_URL TENANTBASE_CONTEXT_KEY
# A throwaway cluster: no WAL archive beside it to clean up.
export TENANTBASE_WAL_ARCHIVE=off
tenantbase=target/debug/tenantbase
stop_cluster() {
    "$tenantbase" db stop >/dev/null || true
    rm -rf "$TENANTBASE_DATA_DIR"
}
trap stop_cluster EXIT
"$tenantbase" migrate >/dev/null
"$tenantbase" seed demo
echo "== tenantbase check"
"$tenantbase" check
echo "== tenantbase attack"
"$tenantbase" attack
echo "== tenantbase bench --quick"
"$tenantbase" bench --quick --report-dir target/bench-quick
