// `npm run bench`: validates generated users files with each contender in its own process, alternating them,
// and prints a table of median wall time, ratio to the csv-parse floor, CPU time and peak memory (RSS); then
// how rollcall's memory grows through the smallest file, with and without the duplicate index.
//
// Options: --rows 1000000,4000000  --reps 5,3 (one per size)  --only floor,rollcall-cli  --out FILE
//          --cli PATH (the rollcall CLI to run, e.g. dist/cli.js; default the one bundled from src)
//          --memory false (skip the memory profile)
//          --workbooks false (skip the .xlsx contenders, which run only at sizes up to 1,000,000 rows)
import { spawn } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { usersFile } from './generate-users.js';
import { usersWorkbook } from './generate-workbook.js';

const here = dirname(fileURLToPath(import.meta.url));
// Bundled to .bench/validate-build/bench/validate/run.js (see the `bench` script), beside the contenders; the
// CLI is bundled to .bench/validate-build/src/cli/bin.js.
const root = resolve(here, '../../../..');
const dataDir = join(root, '.bench', 'validate');

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000,4000000' },
    reps: { type: 'string', default: '5,3' },
    only: { type: 'string' },
    out: { type: 'string', default: join(dataDir, 'results.md') },
    cli: { type: 'string', default: resolve(here, '../../src/cli/bin.js') },
    memory: { type: 'string', default: 'true' },
    workbooks: { type: 'string', default: 'true' },
  },
});

interface Contender {
  readonly name: string;
  readonly what: string;
  readonly args: (file: string, rows: number) => string[];
  /** Reads the same users as an .xlsx workbook (as Excel lays one out) instead of the CSV. */
  readonly workbook?: boolean;
}

const script = (name: string) => join(here, 'contenders', `${name}.js`);

const all: readonly Contender[] = [
  { name: 'floor', what: 'csv-parse alone (stream API), keeping nothing', args: (file) => [script('floor'), file] },
  {
    name: 'hand-csv-parse',
    what: 'csv-parse `columns: true` + zod object per row + Set of emails',
    args: (file) => [script('hand-csv-parse'), file],
  },
  {
    name: 'hand-papaparse',
    what: 'papaparse `header: true` + zod object per row + Set of emails',
    args: (file) => [script('hand-papaparse'), file],
  },
  {
    name: 'rollcall-cli',
    what: '`rollcall validate FILE --json` (built-in users schema)',
    args: (file, rows) => [values.cli, 'validate', file, '--json', '--max-rows', String(rows), '--max-bytes', String(statSync(file).size)],
  },
  {
    name: 'rollcall-library',
    what: '`validateFile(createReadStream(file))`, users schema + 3 optional columns',
    args: (file) => [script('rollcall-library'), file],
  },
  {
    name: 'rollcall-cli-xlsx',
    what: '`rollcall validate FILE.xlsx --json`, the same users as a workbook',
    args: (file, rows) => [values.cli, 'validate', file, '--json', '--max-rows', String(rows), '--max-bytes', String(statSync(file).size)],
    workbook: true,
  },
  { name: 'sheetjs', what: 'SheetJS (@e965/xlsx 0.20.3) reading every cell, keeping nothing', args: (file) => [script('sheetjs'), file], workbook: true },
  {
    name: 'exceljs-stream',
    what: "exceljs' streaming WorkbookReader reading every cell, keeping nothing",
    args: (file) => [script('exceljs-stream'), file],
    workbook: true,
  },
];
const contenders = all.filter(
  (c) => (values.only === undefined || values.only.split(',').includes(c.name)) && (c.workbook !== true || values.workbooks !== 'false'),
);
/** Workbooks are made (once, about a minute each million rows) and read only up to this size. */
const maxWorkbookRows = 1_000_000;

interface Sample {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly rssMiB: number;
}

/** Runs one contender in a fresh process and returns its wall time and peak RSS, checking it read every row. */
function runOnce(contender: Contender, file: string, rows: number): Promise<Sample> {
  return new Promise((done, fail) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['--import', join(here, 'peak-rss.js'), ...contender.args(file, rows)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', fail);
    child.on('close', () => {
      const seconds = (performance.now() - start) / 1000;
      const usage = /bench-usage (\d+) (\d+)/u.exec(stderr);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      let result: { rows?: number; rowCount?: number; refused?: number; errorCount?: number } = {};
      try {
        result = JSON.parse(last) as typeof result;
      } catch {
        // reported below
      }
      const read = result.rows ?? result.rowCount;
      const refused = result.refused ?? result.errorCount ?? 0;
      if (usage === null || read !== rows || refused !== 0) {
        fail(new Error(`${contender.name} on ${rows} rows: read ${read}, refused ${refused}\n${stdout.slice(0, 2000)}\n${stderr.slice(0, 2000)}`));
        return;
      }
      done({ seconds, cpuSeconds: Number(usage[2]) / 1000, rssMiB: Number(usage[1]) / 1024 });
    });
  });
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const sizes = values.rows.split(',').map(Number);
const reps = values.reps.split(',').map(Number);
const lines: string[] = [];
const log = (line = ''): void => {
  lines.push(line);
  process.stdout.write(`${line}\n`);
};

log(`rollcall benchmark, ${new Date().toISOString()}`);
log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB`);
const load = (): string => loadavg().map((x) => x.toFixed(1)).join(' ');
log(`load average at the start: ${load()}`);
const medians = new Map<string, { seconds: number; cpu: number }>();
for (const [s, rows] of sizes.entries()) {
  const file = usersFile(dataDir, rows);
  const mb = statSync(file).size / 1e6;
  const n = reps[s] ?? reps.at(-1) ?? 3;
  log();
  log(`## ${rows.toLocaleString('en-US')} rows (${mb.toFixed(1)} MB), medians of ${n} runs`);
  const running = contenders.filter((c) => c.workbook !== true || rows <= maxWorkbookRows);
  const workbook = running.some((c) => c.workbook === true) ? usersWorkbook(dataDir, rows) : file;
  const samples = new Map<string, Sample[]>(running.map((c) => [c.name, []]));
  for (let rep = 0; rep < n; rep++) {
    // Rotate the order so that no contender always runs first or right after the same neighbour.
    const order = running.map((_, i) => running[(i + rep) % running.length]!);
    for (const contender of order) {
      const sample = await runOnce(contender, contender.workbook === true ? workbook : file, rows);
      samples.get(contender.name)!.push(sample);
      process.stderr.write(
        `  run ${rep + 1}/${n} ${contender.name}: ${sample.seconds.toFixed(2)} s, CPU ${sample.cpuSeconds.toFixed(2)} s, ${sample.rssMiB.toFixed(0)} MiB\n`,
      );
    }
  }
  const floor = median(samples.get('floor')?.map((x) => x.seconds) ?? []);
  const floorCpu = median(samples.get('floor')?.map((x) => x.cpuSeconds) ?? []);
  const ratio = (x: number, of: number): string => (Number.isNaN(of) ? '' : `${(x / of).toFixed(2)}x`);
  log();
  log('| contender | wall time | ratio to floor | CPU time | CPU ratio | peak RSS (median, max) | wall times of the runs (s) |');
  log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const contender of running) {
    const runs = samples.get(contender.name)!;
    const seconds = median(runs.map((x) => x.seconds));
    const cpu = median(runs.map((x) => x.cpuSeconds));
    medians.set(`${contender.name}@${rows}`, { seconds, cpu });
    const rss = median(runs.map((x) => x.rssMiB));
    const maxRss = Math.max(...runs.map((x) => x.rssMiB));
    const all = runs.map((x) => x.seconds.toFixed(2)).join(' ');
    log(
      `| ${contender.name}: ${contender.what} | ${seconds.toFixed(2)} s | ${ratio(seconds, floor)} | ${cpu.toFixed(2)} s | ${ratio(cpu, floorCpu)} | ${rss.toFixed(0)}, ${maxRss.toFixed(0)} MiB | ${all} |`,
    );
  }
  log();
  log(`load average after these runs: ${load()}`);
}
if (sizes.length > 1) {
  log();
  log(`Growth from ${sizes[0]!.toLocaleString('en-US')} to ${sizes.at(-1)!.toLocaleString('en-US')} rows:`);
  for (const contender of contenders) {
    const small = medians.get(`${contender.name}@${sizes[0]}`);
    const large = medians.get(`${contender.name}@${sizes.at(-1)}`);
    if (small === undefined || large === undefined) continue;
    log(`- ${contender.name}: wall time ${(large.seconds / small.seconds).toFixed(2)}x, CPU time ${(large.cpu / small.cpu).toFixed(2)}x`);
  }
}

/** Runs the memory profile of rollcall over a file, in its own process, and returns what it printed. */
function memoryProfile(file: string, mode: string): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--expose-gc', join(here, 'memory-profile.js'), file, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
    child.on('error', fail);
    child.on('close', (code) => {
      if (code === 0) done(out);
      else fail(new Error(`the memory profile exited with ${code}`));
    });
  });
}

if (values.memory !== 'false' && sizes.length > 0) {
  const file = usersFile(dataDir, Math.min(...sizes));
  log();
  log('## Memory through the file (rollcall library, after a full collection at each tenth)');
  log();
  log('```');
  for (const mode of ['index', 'no-index']) lines.push((await memoryProfile(file, mode)).trimEnd());
  process.stdout.write(`${lines.slice(-2).join('\n')}\n`);
  log('```');
}
writeFileSync(values.out, `${lines.join('\n')}\n`);
process.stderr.write(`\nwritten to ${values.out}\n`);
