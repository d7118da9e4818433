#!/usr/bin/env bash
# Validates one knowledge file on its own (with plans.yaml), for authors who
# are editing one document while others are mid-edit:
#   scripts/check-one.sh knowledge/content/003_a00a63400d6a70d6.yaml
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/content"
cp "$here/knowledge/content/plans.yaml" "$tmp/content/"
for f in "$@"; do cp "$f" "$tmp/content/"; done
"$here/node_modules/.bin/tsc" --ignoreConfig --types node --outDir "$tmp/out" --rootDir "$here" --target ES2022 --module commonjs --strict --esModuleInterop --skipLibCheck \
  "$here/knowledge/schema.ts" "$here/knowledge/loader.ts" "$here/knowledge/check-cli.ts"
NODE_PATH="$here/node_modules" node "$tmp/out/knowledge/check-cli.js" "$tmp/content"
