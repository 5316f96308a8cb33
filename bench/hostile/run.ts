// Time and peak memory of the validator and of the rules that read user input, on adversarial inputs of sizes
// n, 2n, 4n and 8n: linear code takes about twice as long at each step, and memory stays flat for the
// streamed files. Each measurement runs in a child process of its own, so that peak RSS is that input's alone.
//
//   npm run bench:hostile               all cases
//   npm run bench:hostile -- email      the cases whose name contains "email"
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { neutraliseFormula, restoreFormula } from '../../src/csv-out/formula.js';
import type { ErrorSummary } from '../../src/report/summary.js';
import { matchHeader } from '../../src/schema/header-match.js';
import { renderText } from '../../src/report/render-text.js';
import { normaliseHeader } from '../../src/schema/normalise-header.js';
import { usersSchema } from '../../src/schema/users.js';
import { emailSchema, normaliseEmail } from '../../src/validate/email.js';
import { validateFile } from '../../src/validate/validate-rows.js';
import { streamOf } from '../../test/hostile/helpers.js';

const MiB = 1024 * 1024;

interface Case {
  readonly name: string;
  /** The input size at the first step, in the unit the label says. */
  readonly n: number;
  readonly unit: string;
  /** Runs the case once at size `size`; returns something derived from the result, so that it is not optimised away. */
  readonly run: (size: number) => unknown;
}

const header = 'First Name,Last Name,Email\r\n';
const validate = (parts: readonly (readonly [string, number])[]): Promise<unknown> =>
  validateFile(streamOf(parts), { schema: usersSchema }).then((s) => s.errorCount + s.warningCount);
const email = emailSchema();
/** Runs a rule on one adversarial string, enough times that one run is measurable. */
const repeat = (times: number, f: () => unknown): unknown => {
  let out: unknown;
  for (let i = 0; i < times; i++) out = f();
  return out;
};

/** A summary of one error whose message is `message`, as a host's own messages may write it. */
function oneIssue(message: string): ErrorSummary {
  const file = { bytes: 0, format: 'csv', sheet: null, encoding: 'utf-8', bom: false, delimiter: ',', columns: [], unknownColumns: [] } as const;
  const issue = { row: 1, column: 'Email', code: 'duplicate_column', message } as const;
  return { valid: false, rowCount: 1, errorCount: 1, warningCount: 0, errors: [issue], warnings: [], countsByCode: {}, countsByColumn: {}, truncated: false, file };
}

const cases: readonly Case[] = [
  { name: 'file: one data cell', n: 12.5, unit: 'MiB', run: (mb) => validate([[header, 1], ['Ada,Byron,"', 1], ['x'.repeat(MiB / 8), Math.round(mb * 8)], ['",a@b.co\r\n', 1]]) },
  { name: 'file: header row that never ends', n: 12.5, unit: 'MiB', run: (mb) => validate([['First Name,Last Name,Email', 1], ['h'.repeat(MiB / 8), Math.round(mb * 8)]]) },
  { name: 'file: rows near the row limit', n: 16, unit: 'rows of 900,000 chars', run: (n) => validate([[header, 1], [`${'x'.repeat(900_000)},Byron,ada@example.com\r\n`, n]]) },
  { name: 'file: columns', n: 25_000, unit: 'columns', run: (n) => validate([[`First Name,Last Name,Email${',C'.repeat(n)}\r\n`, 1], [`Ada,Byron,ada@example.com${',x'.repeat(n)}\r\n`, 1]]) },
  { name: 'file: quotes in a cell', n: 250_000, unit: 'quotes', run: (n) => validate([[header, 1], ['Ada,Byron,', 1], ['"', n], ['\r\n', 1]]) },
  { name: 'file: doubled quotes in a quoted cell', n: 125_000, unit: 'pairs', run: (n) => validate([[header, 1], ['Ada,Byron,"', 1], ['""', n], ['"\r\n', 1]]) },
  { name: 'file: quotes as the header row', n: 250_000, unit: 'quotes', run: (n) => validate([['"', n], ['\r\n', 1], ['Ada,Byron,ada@example.com\r\n', 1]]) },
  { name: 'file: empty lines before the header', n: 1_000_000, unit: 'lines', run: (n) => validate([['\r\n', n], [header, 1], ['Ada,Byron,ada@example.com\r\n', 1]]) },
  { name: 'file: lone CRs, quoted LFs, mixed', n: 250_000, unit: 'rows', run: (n) => validate([[header, 1], ['Ada,"By\nron",ada@example.com\r', n]]) },
  { name: 'email: a×n + "!"', n: 100_000, unit: 'chars', run: (n) => repeat(20, () => normaliseEmail(`${'a'.repeat(n)}!`)) },
  { name: 'email: local part of n dots', n: 100_000, unit: 'chars', run: (n) => repeat(20, () => normaliseEmail(`a${'.a'.repeat(n / 2)}@example.com`)) },
  { name: 'email: n @ signs', n: 100_000, unit: 'chars', run: (n) => repeat(20, () => normaliseEmail('a@'.repeat(n / 2))) },
  { name: 'email: domain of n hyphens', n: 100_000, unit: 'chars', run: (n) => repeat(20, () => normaliseEmail(`a@${'a-'.repeat(n / 2)}.com`)) },
  { name: 'email: nested quotes and <>', n: 100_000, unit: 'chars', run: (n) => repeat(20, () => normaliseEmail(`"${'<"a@b>'.repeat(n / 6)}`)) },
  { name: 'email: spaces then a letter', n: 100_000, unit: 'chars', run: (n) => repeat(20, () => email.safeParse(`a${' '.repeat(n)}b@example.com`)) },
  { name: 'email: zero-width spaces', n: 100_000, unit: 'chars', run: (n) => repeat(20, () => normaliseEmail(`${'a\u200b'.repeat(n / 2)}@example.com`)) },
  { name: 'header: normalise -_. runs', n: 100_000, unit: 'chars', run: (n) => repeat(20, () => normaliseHeader(`${' -_.*'.repeat(n / 5)}x`)) },
  { name: 'header: match n labels', n: 25_000, unit: 'labels', run: (n) => repeat(5, () => matchHeader(usersSchema, Array.from({ length: n }, (_, i) => `E-Mail ${i} *`))) },
  { name: 'csv-out: restoreFormula on quoted LFs', n: 100_000, unit: 'chars', run: (n) => repeat(5, () => restoreFormula(`${'\n'.repeat(n)}x`)) },
  { name: 'csv-out: neutraliseFormula on tabs', n: 2_000, unit: 'chars', run: (n) => repeat(5, () => neutraliseFormula(`${'\t'.repeat(n)}x`)) },
  { name: 'report: renderText of n duplicate columns', n: 8_000, unit: 'columns', run: (n) => validateFile(`First Name,Last Name${',Email'.repeat(n)}\nA,B,a@example.com\n`).then((s) => renderText(s)) },
  { name: 'report: renderText of one message', n: 25_000, unit: 'chars', run: (n) => repeat(5, () => renderText(oneIssue(`${'É, '.repeat(n / 3)}.`))) },
];

const script = fileURLToPath(import.meta.url);

async function child(name: string, size: number): Promise<void> {
  const found = cases.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no case ${name}`);
  // A run at an eighth of the size first, so that compiling the code is not counted; then the best of three
  // for the rules (the machine may be busy), one run for the files (their memory is the point).
  await found.run(size / 8);
  const file = found.name.startsWith('file:');
  let ms = Infinity;
  let out: unknown;
  for (let i = 0; i < (file ? 1 : 3); i++) {
    const start = performance.now();
    out = await found.run(size);
    ms = Math.min(ms, performance.now() - start);
  }
  process.stdout.write(JSON.stringify({ ms, maxRss: process.resourceUsage().maxRSS / 1024, out: String(out).length }));
}

function measure(name: string, size: number): { ms: number; maxRss: number } {
  const json = execFileSync(process.execPath, [script, '--child', name, String(size)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(json) as { ms: number; maxRss: number };
}

function main(): void {
  const filter = process.argv[2] ?? '';
  const rows: string[] = [
    '| input | n | time n / 2n / 4n / 8n (ms) | 8n ÷ n | peak RSS n / 8n (MiB) |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const c of cases.filter((x) => x.name.includes(filter))) {
    const results = [1, 2, 4, 8].map((k) => measure(c.name, c.n * k));
    const times = results.map((r) => r.ms.toFixed(0)).join(' / ');
    const ratio = (results[3]!.ms / results[0]!.ms).toFixed(1);
    const row = `| ${c.name} | ${c.n.toLocaleString('en')} ${c.unit} | ${times} | ${ratio} | ${results[0]!.maxRss.toFixed(0)} / ${results[3]!.maxRss.toFixed(0)} |`;
    rows.push(row);
    console.log(row);
  }
  console.log(`\n${rows.join('\n')}`);
}

if (process.argv[2] === '--child') await child(process.argv[3] ?? '', Number(process.argv[4]));
else main();
