#!/usr/bin/env bash
# Writes docs/errors.md from the issue catalogue (scripts/error-catalogue.ts), bundled in memory by esbuild,
# so it runs from a clean clone without a build. A test fails when the committed file is out of date.
set -euo pipefail
cd "$(dirname "$0")/.."
bundle="$(npx esbuild scripts/error-catalogue.ts --bundle --platform=node --format=esm --log-level=warning | base64 -w0)"
node --input-type=module -e '
const { renderErrorCatalogue } = await import(`data:text/javascript;base64,${process.argv[1]}`);
process.stdout.write(renderErrorCatalogue());
' "$bundle" > docs/errors.md.tmp
mv docs/errors.md.tmp docs/errors.md
echo "wrote docs/errors.md"
