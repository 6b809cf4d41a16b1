#!/bin/sh
# Vendor the Ace editor (npm package ace-builds, BSD-3-Clause) into static/vendor/ace/.
# Usage: scripts/vendor_ace.sh [version]   (default: the pinned version below)
# Fetches the package tarball with `npm pack` into a scratch folder (no node_modules, no CDN)
# and copies only the files the policy editor uses, plus the licence. No worker: the editor
# turns it off (useWorker: false) because validation comes from the server.
set -eu
VERSION="${1:-1.45.2}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/static/vendor/ace"
SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT

cd "$SCRATCH"
npm pack --silent "ace-builds@$VERSION" >/dev/null
tar -xzf ace-builds-*.tgz
SRC="$SCRATCH/package/src-min-noconflict"

mkdir -p "$DEST"
rm -f "$DEST"/*.js
for file in ace.js mode-json.js theme-tomorrow.js ext-language_tools.js; do
    cp "$SRC/$file" "$DEST/$file"
done
cp "$SCRATCH/package/LICENSE" "$DEST/LICENSE"
printf 'ace-builds %s (npm), src-min-noconflict; vendored by scripts/vendor_ace.sh\n' "$VERSION" > "$DEST/VERSION"
echo "Ace $VERSION copied to $DEST"
