#!/usr/bin/env bash
# Builds and installs pgvector (the `vector` extension that the embeddings module
# needs) from a source checkout, for machines whose package manager has none for
# this PostgreSQL: PGVECTOR_SRC=/path/to/pgvector scripts/install-pgvector.sh
# (tag v0.8.x; iterative index scans need 0.8). Needs the server headers that
# scripts/install-deps.sh installs. Without it tenantbase works, minus embeddings.
set -euo pipefail

major=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
if [ -n "$major" ] && [ -f "/usr/share/postgresql/$major/extension/vector.control" ]; then
    echo "pgvector is already installed for PostgreSQL $major" >&2
    exit 0
fi
if [ -z "${PGVECTOR_SRC:-}" ] || [ ! -f "${PGVECTOR_SRC}/vector.control" ]; then
    echo "set PGVECTOR_SRC to a pgvector source checkout (v0.8.x): '${PGVECTOR_SRC:-}' has no vector.control" >&2
    exit 1
fi
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$PGVECTOR_SRC/vector.control")
case "$version" in
    0.8.*|0.9.*|[1-9].*) ;;
    *) echo "pgvector $version is too old: the search functions use iterative index scans (0.8)" >&2; exit 1 ;;
esac
pg_config=/usr/lib/postgresql/$major/bin/pg_config
[ -x "$pg_config" ] || pg_config=$(command -v pg_config)
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
# A copy: the build writes its objects beside the sources.
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
cp -a "$PGVECTOR_SRC"/. "$build"/
make -C "$build" -s -j"$(nproc)" PG_CONFIG="$pg_config" >/dev/null
$SUDO make -C "$build" -s install PG_CONFIG="$pg_config" >/dev/null
echo "pgvector $version installed for PostgreSQL $major; run tenantbase migrate to create the embeddings module" >&2
