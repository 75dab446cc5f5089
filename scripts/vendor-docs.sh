#!/usr/bin/env bash
# Fetches the API reference page's one asset, Redoc's standalone bundle, from the
# npm registry with npm (which checks the tarball against the registry's integrity
# hash), checks that hash against the one recorded here, and places the bundle where
# the server embeds it at build time (src/api/docs.rs, include_bytes!). Nothing is
# fetched at build or run time: the bundle is committed; this script refreshes it.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=2.5.2
INTEGRITY='sha512-sTJfItvRkcDTojB6wdLN4M+Ua6mlZwElV21Tf8Mn7IbQF/1Os6GvgQpZyLWPGZZHbhy7GC1Or1hTMHfz1vKh5A=='
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "redoc@$VERSION" >/dev/null)
tarball="$work/redoc-$VERSION.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$INTEGRITY" ]; then
    echo "redoc@$VERSION: integrity $actual, expected $INTEGRITY" >&2
    exit 1
fi
tar -xzf "$tarball" -C "$work" package/bundles/redoc.standalone.js package/LICENSE
cp "$work/package/bundles/redoc.standalone.js" assets/docs/redoc.standalone.js
cp "$work/package/LICENSE" assets/docs/redoc.LICENSE
printf 'redoc@%s %s\n' "$VERSION" "$INTEGRITY" > assets/docs/redoc.version
echo "assets/docs/redoc.standalone.js: redoc@$VERSION ($INTEGRITY)"
