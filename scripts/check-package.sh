#!/usr/bin/env bash
# Checks the package as users install it: packs it, installs the tarball into an empty project, then
# imports (ESM) and requires (CJS) every subpath, type-checks an .mts and a .cts file that import every
# subpath, bundles the `rollcall` entry for a browser, runs the `rollcall` bin, and runs publint --strict and attw on the packed tarball.
# Run after `npm run build`: bash scripts/check-package.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
subpaths=(rollcall rollcall/import rollcall/stores rollcall/mailers rollcall/testing)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

step() { echo; echo "=== $*"; }

step "npm pack"
tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
echo "$tarball"

step "install the tarball into an empty project"
mkdir "$work/app"
cd "$work/app"
echo '{ "name": "rollcall-package-check", "private": true }' > package.json
# zod is rollcall's one required peer; fast-check is the testing kit's optional one; typescript checks the types.
npm install --prefer-offline --no-audit --no-fund --silent "$work/$tarball" \
  "zod@$(node -p "require('$root/node_modules/zod/package.json').version")" \
  "fast-check@$(node -p "require('$root/node_modules/fast-check/package.json').version")" \
  "typescript@$(node -p "require('$root/node_modules/typescript/package.json').version")" \
  "@types/node@$(node -p "require('$root/node_modules/@types/node/package.json').version")"

# pg, @electric-sql/pglite and nodemailer are not installed here: loading every subpath proves that only the
# adapters that need them load them, on first use.
step "ESM import of every subpath"
for subpath in "${subpaths[@]}"; do
  node --input-type=module -e "
    const m = await import('$subpath');
    if (Object.keys(m).length === 0) throw new Error('$subpath exports nothing');
    console.log('import $subpath:', Object.keys(m).length, 'exports');"
done

step "CJS require of every subpath"
for subpath in "${subpaths[@]}"; do
  node -e "
    const m = require('$subpath');
    if (Object.keys(m).length === 0) throw new Error('$subpath exports nothing');
    console.log('require $subpath:', Object.keys(m).length, 'exports');"
done

step "types resolve for ESM (.mts) and CJS (.cts)"
cat > tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "target": "ES2022",
    "lib": ["ES2023", "DOM"],
    "strict": true,
    "noEmit": true,
    "types": ["node"],
    "skipLibCheck": false
  },
  "include": ["check.mts", "check.cts"]
}
JSON
cat > check.mts <<'TS'
import { defineSchema, issueCatalogue, usersSchema, validateFile } from 'rollcall';
import * as importing from 'rollcall/import';
import { memoryStore } from 'rollcall/stores';
import { memoryMailer } from 'rollcall/mailers';
import * as testing from 'rollcall/testing';
import type { ErrorSummary } from 'rollcall';

const code: keyof typeof issueCatalogue = 'required';
const f: typeof validateFile = validateFile;
const s: unknown = [defineSchema, usersSchema, importing, memoryStore, memoryMailer, testing];
let summary: ErrorSummary | undefined;
export { code, f, s, summary };
TS
sed -e 's/^import \* as \(\w*\) from \(.*\);$/import \1 = require(\2);/' \
    -e "s/^import { \(.*\) } from \('rollcall[^']*'\);\$/import { \1 } from \2;/" check.mts > check.cts
npx tsc -p tsconfig.json
echo "types ok"

step "the browser build: a page bundle of 'rollcall' resolves no Node module, and validates"
cat > page.mjs <<'JS'
import { usersSchema, validateFile } from 'rollcall';
const summary = await validateFile('First Name,Last Name,Email\nAna,Silva,not-an-email\n', { schema: usersSchema });
if (summary.valid || summary.errors[0]?.code !== 'invalid_email') throw new Error('unexpected summary');
console.log('browser bundle: invalid_email on row', summary.errors[0].row);
JS
"$root/node_modules/.bin/esbuild" page.mjs --bundle --platform=browser --format=esm --log-level=warning --outfile=page.bundle.mjs
if grep -q 'from "stream"\|require("stream")' page.bundle.mjs; then echo "the browser bundle imports stream"; exit 1; fi
node page.bundle.mjs

step "the rollcall bin"
printf 'First Name,Last Name,Email\nAna,Silva,ana.silva@example.org\n' > users.csv
npx rollcall --help > /dev/null
npx rollcall validate users.csv
echo "rollcall validate: exit 0"

cd "$root"
step "publint --strict"
npx publint --strict --pack npm

step "attw --pack (node16 and bundler resolution; node10 cannot resolve subpaths and is below engines)"
npx attw --pack . --profile node16

echo
echo "package check passed"
