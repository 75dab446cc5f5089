#!/usr/bin/env bash
# What verifying the signed tenant context costs: a point lookup through RLS as the
# app role (BEGIN + context, SELECT one membership, COMMIT) with the signed-context
# helpers, side by side with a clone of the database whose helpers read the
# context's payload without verifying its signature. Alternating pgbench rounds on a
# private cluster of its own; prints median latencies and per-call helper costs.
# Usage: scripts/bench-context.sh [seconds per round, default 5] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-5}"
rounds="${2:-3}"
cargo build --release --quiet
tenantbase=target/release/tenantbase
TENANTBASE_DATA_DIR="$(mktemp -d -t tenantbase-bench-XXXXXX)"
export TENANTBASE_DATA_DIR
unset DATABASE_URL TENANTBASE_CONTEXT_KEY
work="$(mktemp -d)"
cleanup() { "$tenantbase" db stop >/dev/null || true; rm -rf "$TENANTBASE_DATA_DIR" "$work"; }
trap cleanup EXIT
"$tenantbase" migrate >/dev/null
"$tenantbase" seed demo >/dev/null
admin="$("$tenantbase" db url)"
app="$("$tenantbase" db url --role app)"
pgbin="$(dirname "$(command -v pgbench || echo /usr/lib/postgresql/15/bin/pgbench)")"
[ -x "$pgbin/pgbench" ] || pgbin="$(ls -d /usr/lib/postgresql/*/bin | tail -1)"

psql -qAt "$admin" -c "CREATE DATABASE tenantbase_unverified TEMPLATE tenantbase"
psql -qAt "${admin/\/tenantbase\?//tenantbase_unverified?}" <<'SQL'
-- The context's payload read as is, its signature ignored.
CREATE OR REPLACE FUNCTION tenancy.current_tenant_id() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(split_part(convert_from(decode(rpad(translate(split_part(current_setting('app.context', true), '.', 2),
                 '-_', '+/'), (length(split_part(current_setting('app.context', true), '.', 2)) + 3) / 4 * 4, '='),
                 'base64'), 'UTF8'), E'\n', 1), '')::uuid $$;
CREATE OR REPLACE FUNCTION tenancy.current_user_id() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(split_part(convert_from(decode(rpad(translate(split_part(current_setting('app.context', true), '.', 2),
                 '-_', '+/'), (length(split_part(current_setting('app.context', true), '.', 2)) + 3) / 4 * 4, '='),
                 'base64'), 'UTF8'), E'\n', 2), '')::uuid $$;
SQL
membership="$(psql -qAt "$admin" -c "SELECT m.id FROM tenancy.memberships m JOIN tenancy.tenants t ON t.id = m.tenant_id WHERE t.slug = 'acme' LIMIT 1")"
acme="$(psql -qAt "$admin" -c "SELECT id FROM tenancy.tenants WHERE slug = 'acme'")"
context="$("$tenantbase" context --tenant acme --user olivia@acme.com --ttl 3600)"
cat > "$work/lookup.sql" <<SQL
$context
SELECT role FROM tenancy.memberships WHERE tenant_id = '$acme' AND id = '$membership';
COMMIT;
SQL
unverified_app="${app/\/tenantbase\?//tenantbase_unverified?}"

run() { # variant url round
    (cd "$work" && "$pgbin/pgbench" -n -M simple -c 1 -T "$seconds" -f lookup.sql -l --log-prefix="$1.$3" "$2" >/dev/null 2>&1)
}
for round in $(seq "$rounds"); do
    run verified "$app" "$round"
    run unverified "$unverified_app" "$round"
done
median() { cat "$work"/"$1".[0-9]*.[0-9]* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {printf "%.1f us (%d transactions)", a[int((NR+1)/2)], NR}'; }
echo "point lookup through RLS, BEGIN + context + SELECT + COMMIT, 1 client, ${rounds}x${seconds}s each, median latency:"
echo "  unverified context (settings trusted as is): $(median unverified)"
echo "  signed context (HMAC verified per statement): $(median verified)"

per_call() { # url expression calls: the median of 5 runs, in microseconds per call
    psql -qAt "$1" <<SQL | sed -n 's/.*Execution Time: \([0-9.]*\) ms/\1/p' | sort -n | sed -n 3p | awk -v n="$3" '{printf "%.2f us", $1 * 1000 / n}'
$context
$(for i in 1 2 3 4 5; do echo "EXPLAIN (ANALYZE, TIMING OFF) SELECT count($2) FROM generate_series(1, $3);"; done)
COMMIT;
SQL
}
echo "one helper call (median of 5 runs):"
for helper in "tenancy.current_tenant_id()" "tenancy.has_permission('roles', 'update')"; do
    echo "  $helper: unverified $(per_call "$unverified_app" "$helper" 20000), signed $(per_call "$app" "$helper" 20000)"
done
