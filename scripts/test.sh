#!/usr/bin/env bash
# The tests: every suite against private PostgreSQL clusters the tests start themselves,
# then `tenantbase bench --quick` on a throwaway private cluster, to prove the benchmark
# still runs (it asserts no speed).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cargo test --all-targets -- --test-threads 4

bench_data="$(mktemp -d -t tenantbase-bench-XXXXXX)"
stop_bench_cluster() {
    env -u DATABASE_URL TENANTBASE_DATA_DIR="$bench_data" target/debug/tenantbase db stop >/dev/null 2>&1 || true
    rm -rf "$bench_data"
}
trap stop_bench_cluster EXIT
env -u DATABASE_URL TENANTBASE_DATA_DIR="$bench_data" \
    target/debug/tenantbase bench --quick --report-dir target/bench-quick
