#!/usr/bin/env bash
# Installs what tenantbase needs on a fresh Debian/Ubuntu machine: PostgreSQL's
# server binaries (14 or newer) with contrib, pgbench, the server headers
# that build.rs compiles the native context verifier against, and PgBouncer
# (the tests and bench run the server behind it). Idempotent.
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

# The headers of the newest server, the one tenantbase runs.
have_headers() {
    local major
    major=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
    [ -n "$major" ] && [ -f "/usr/include/postgresql/$major/server/postgres.h" ] && command -v cc >/dev/null 2>&1
}

have_pgbouncer() {
    [ -x /usr/sbin/pgbouncer ] || command -v pgbouncer >/dev/null 2>&1
}

# What the tests use besides PostgreSQL: openapi-spec-validator checks the OpenAPI
# document (pinned), Chromium renders /docs headless with the network disabled.
OPENAPI_SPEC_VALIDATOR=0.7.1
have_test_tools() {
    python3 -c "import openapi_spec_validator" >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1
}

if have_server && have_headers && command -v psql >/dev/null 2>&1 && command -v pgbench >/dev/null 2>&1 && have_pgbouncer && have_test_tools; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "PostgreSQL is missing and this is not root: install postgresql postgresql-contrib postgresql-server-dev-<major> gcc pgbouncer" >&2
        exit 1
    fi
fi
echo "Installing PostgreSQL from Debian's packages..." >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql postgresql-contrib gcc pgbouncer >/dev/null
have_server || { echo "PostgreSQL server binaries still missing after apt-get install" >&2; exit 1; }
major=$(ls /usr/lib/postgresql | sort -n | tail -1)
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "postgresql-server-dev-$major" >/dev/null
have_headers || { echo "PostgreSQL $major's server headers still missing after apt-get install" >&2; exit 1; }
have_pgbouncer || { echo "pgbouncer still missing after apt-get install" >&2; exit 1; }

if ! python3 -c "import openapi_spec_validator" >/dev/null 2>&1; then
    python3 -m pip install -q "openapi-spec-validator==$OPENAPI_SPEC_VALIDATOR"
fi
if ! command -v chromium >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi
