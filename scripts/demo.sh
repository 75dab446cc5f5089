#!/usr/bin/env bash
# The demo: a private PostgreSQL under ./.tenantbase, migrated and seeded with the
# demo tenants, and the API serving on 127.0.0.1:8080 (TENANTBASE_LISTEN to change).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cargo build --release --quiet
exec target/release/tenantbase demo "$@"
