#!/usr/bin/env bash
# The demo: a private PostgreSQL in tenantbase's default data directory
# (/var/lib/tenantbase as root, else ~/.local/share/tenantbase), migrated and seeded
# with the demo tenants, and the API serving on 127.0.0.1:8080 (TENANTBASE_LISTEN to change).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
if [ ! -x target/release/tenantbase ]; then
    echo "Building tenantbase (release). The first build compiles about 300 crates:" >&2
    echo "about 8 minutes on 2 cores, 3 on 8; later runs rebuild only what changed, in seconds." >&2
fi
cargo build --release
echo "The binary: $PWD/target/release/tenantbase (put $PWD/target/release on your PATH to type 'tenantbase')." >&2
echo "Starting the demo: the first run creates, migrates and seeds the database (about 30 s)." >&2
exec target/release/tenantbase demo "$@"
