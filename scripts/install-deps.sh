#!/usr/bin/env bash
# Installs what tenantbase needs on a fresh Debian/Ubuntu machine: PostgreSQL's
# server binaries (14 or newer) with contrib, and pgbench. Idempotent.
set -euo pipefail

have_server() {
    local dir
    for dir in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
        [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ] && return 0
    done
    return 1
}

if ! command -v cargo >/dev/null 2>&1; then
    echo "tenantbase needs a Rust toolchain (cargo): see https://rustup.rs" >&2
    exit 1
fi

if have_server && command -v psql >/dev/null 2>&1 && command -v pgbench >/dev/null 2>&1; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "PostgreSQL is missing and this is not root: install postgresql postgresql-contrib" >&2
        exit 1
    fi
fi
echo "Installing PostgreSQL from Debian's packages..." >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql postgresql-contrib >/dev/null
have_server || { echo "PostgreSQL server binaries still missing after apt-get install" >&2; exit 1; }
