// `npm run bench:import`: 200,000 users end to end. In one run, alternating, on fresh tables each time:
//   copy      `psql -c "\copy t(first_name,last_name,email) from FILE csv header"` into a plain table with a
//             unique index on email: the database's bulk loader, nothing checked or produced
//   rollcall  `rollcall import FILE --db postgres://... --results FILE --json`: validate, plan, create the
//             users with hashed temporary passwords and their introductions, write the results file
//   one-user  the same command on a file of one user: what it costs whatever the file (starting Node, loading
//             its modules, connecting, migrating, exiting), so the rest is the cost of the 200,000 rows
//   per-row   one `INSERT ... VALUES ($1, $2, $3)` per row through pg, in one transaction, into the same
//             plain table; --per-row-rows of them (default 20,000), scaled linearly to the file's rows
//   autocommit the same without a transaction, each INSERT committing on its own: a tenth as many rows, scaled
//   per-user  what a hand-written importer does: one INSERT per user into rollcall's own users table (all the
//             columns rollcall writes: email, key, names, password hash, must-change, expiry, import, row), in one
//             transaction; --per-row-rows of them, scaled like per-row (the hash is computed, not timed)
// Beside each time, the CPU it cost (cpu.ts), in seconds of one core: the client's process and the server's
// processes (for the INSERT loops, which run in this process, the bench and its connection's backend), so the
// report can say how much of the machine's cores 4× \copy leaves for rollcall's work.
// Then one import through the library, timed phase by phase (profile.ts), to say where rollcall's time goes.
//
// Runs under scripts/postgres.sh (ROLLCALL_TEST_POSTGRES_URL), bundled to .bench/import-build/bench/import/run.js
// beside profile.js and the CLI (see the `bench:import` script).
// Options: --rows 200000  --reps 3  --per-row-rows 20000  --out FILE (default .bench/import-results.md)
//          --cli PATH (the rollcall CLI to run, e.g. dist/cli.js; default the one bundled from src)
//          --baseline-cli PATH (an earlier build of the CLI, measured as one more contender in the same run,
//          so a change is judged before and after under the same load)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { migratePostgresStore } from '../../src/adapters/store/postgres-migrate.js';
import { backendCpu, childrenCpu, findServer, ownCpu, serverCpu, serverProcesses } from './cpu.js';
import type { Profile } from './profile.js';
import { userCells, usersCsv } from './users-csv.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../../..');
const dataDir = join(root, '.bench', 'import');

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    reps: { type: 'string', default: '3' },
    'per-row-rows': { type: 'string', default: '20000' },
    out: { type: 'string', default: join(root, '.bench', 'import-results.md') },
    cli: { type: 'string', default: join(here, '../../src/cli/bin.js') },
    'baseline-cli': { type: 'string' },
  },
});
const rows = Number(values.rows);
const reps = Number(values.reps);
const perRowRows = Math.min(rows, Number(values['per-row-rows']));
const url = process.env.ROLLCALL_TEST_POSTGRES_URL;
if (url === undefined) throw new Error('run under scripts/postgres.sh run -- (ROLLCALL_TEST_POSTGRES_URL is not set)');
if (!existsSync(values.cli)) throw new Error(`${values.cli} is missing`);
const baselineCli = values['baseline-cli'];
if (baselineCli !== undefined && !existsSync(baselineCli)) throw new Error(`${baselineCli} is missing`);

const file = usersCsv(dataDir, rows);
const oneUserFile = usersCsv(dataDir, 1);
const pool = new pg.Pool({ connectionString: url, max: 1 });
const { rows: [backend] } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
const server = findServer(backend?.pid ?? -1);

/** One contender's time, and the CPU it cost the client and the server (seconds of one core, scaled like the time). */
interface Sample {
  readonly seconds: number;
  readonly client: number | undefined;
  readonly server: number | undefined;
}

/**
 * Times `work` with the CPU it cost, scaling all three by `scale` (for the INSERT loops). A command the bench
 * runs: its process's CPU (the bench's children that exited meanwhile) and every server process's. Work in the
 * bench itself over the connection of `backend`: the bench's CPU and that backend's alone, so a background
 * process of the server (an autovacuum worker, say) is not multiplied by `scale`.
 */
async function measured(work: () => Promise<void>, backend?: number, scale = 1): Promise<Sample> {
  const processes = serverProcesses(server);
  const serverBefore = backend === undefined ? await serverCpu(server) : backendCpu(server, backend);
  const childrenBefore = childrenCpu();
  const ownBefore = ownCpu();
  const start = performance.now();
  await work();
  const seconds = (performance.now() - start) / 1000;
  const ownAfter = ownCpu();
  const childrenAfter = childrenCpu();
  const serverAfter = backend === undefined ? await serverCpu(server, processes) : backendCpu(server, backend);
  const client =
    backend !== undefined
      ? ownAfter - ownBefore
      : childrenBefore === undefined || childrenAfter === undefined
        ? undefined
        : childrenAfter - childrenBefore;
  const used = serverBefore === undefined || serverAfter === undefined ? undefined : serverAfter - serverBefore;
  return {
    seconds: seconds * scale,
    client: client === undefined || used === undefined ? undefined : client * scale,
    server: used === undefined ? undefined : used * scale,
  };
}

/** The process id of the server backend a checked-out client talks to. */
async function backendOf(client: pg.PoolClient): Promise<number> {
  const { rows: [row] } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  return row?.pid ?? -1;
}

/** Runs a command to its end and returns what it printed; fails on a non-zero exit. */
function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', fail);
    child.on('close', (code) => {
      if (code === 0) done(stdout);
      else fail(new Error(`${command} exited with ${String(code)}: ${stderr}`));
    });
  });
}

async function count(table: string): Promise<number> {
  const { rows: [row] } = await pool.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${table}`);
  return row?.n ?? -1;
}

/** A new plain table with a unique index on email, and the server's dirty pages written out first. */
async function plainTable(): Promise<void> {
  await pool.query('DROP TABLE IF EXISTS bench_plain');
  await pool.query('CREATE TABLE bench_plain (first_name text NOT NULL, last_name text NOT NULL, email text NOT NULL)');
  await pool.query('CREATE UNIQUE INDEX bench_plain_email ON bench_plain (email)');
  await pool.query('CHECKPOINT');
}

/** No rollcall tables: the CLI creates them again, as on a first import. */
async function freshRollcallSchema(): Promise<void> {
  await pool.query('DROP TABLE IF EXISTS rollcall_users, rollcall_imports, rollcall_introductions, rollcall_introduction_requests');
  await pool.query('CHECKPOINT');
}

async function copy(): Promise<Sample> {
  await plainTable();
  const sample = await measured(async () => {
    await run('psql', [url!, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy bench_plain(first_name,last_name,email) from '${file}' csv header`]);
  });
  if ((await count('bench_plain')) !== rows) throw new Error('\\copy did not load every row');
  return sample;
}

async function rollcall(cli: string, input = file, users = rows): Promise<Sample> {
  await freshRollcallSchema();
  const results = join(dataDir, 'results.csv');
  rmSync(results, { force: true });
  let out = '';
  const sample = await measured(async () => {
    out = await run(process.execPath, [cli, 'import', input, '--db', url!, '--results', results, '--json']);
  });
  const report = JSON.parse(out) as { created?: number };
  if (report.created !== users || (await count('rollcall_users')) !== users) throw new Error(`rollcall import printed ${out}`);
  if (readFileSync(results, 'utf8').split('\n').length <= users) throw new Error('the results file is short');
  rmSync(results, { force: true });
  return sample;
}

/** One INSERT per row for the first `many` rows, in one transaction or each on its own; scaled to `rows`. */
async function insertRows(many: number, transaction: boolean): Promise<Sample> {
  await plainTable();
  const client = await pool.connect();
  let sample: Sample;
  try {
    const backend = await backendOf(client);
    sample = await measured(async () => {
      if (transaction) await client.query('BEGIN');
      for (let i = 1; i <= many; i++) {
        await client.query('INSERT INTO bench_plain (first_name, last_name, email) VALUES ($1, $2, $3)', userCells(i));
      }
      if (transaction) await client.query('COMMIT');
    }, backend, rows / many);
  } finally {
    client.release();
  }
  if ((await count('bench_plain')) !== many) throw new Error('per-row did not insert every row');
  return sample;
}

/** One INSERT per user into a fresh copy of rollcall's users table, with every column rollcall fills. */
async function insertUsers(many: number): Promise<Sample> {
  await pool.query('DROP SCHEMA IF EXISTS bench_naive CASCADE');
  await migratePostgresStore(pool, { schema: 'bench_naive' });
  await pool.query('CHECKPOINT');
  const expires = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();
  const values = Array.from({ length: many }, (_, n) => {
    const [first, last, email] = userCells(n + 1);
    const hash = `sha256:${createHash('sha256').update(`password-${String(n)}`).digest('hex')}`;
    return [email, email.toLowerCase(), first, last, hash, true, expires, 'bench-import', n + 2];
  });
  const client = await pool.connect();
  let sample: Sample;
  try {
    const backend = await backendOf(client);
    sample = await measured(async () => {
      await client.query('BEGIN');
      for (const row of values) {
        await client.query(
          'INSERT INTO bench_naive.rollcall_users (email, email_key, first_name, last_name, password_hash, ' +
            'must_change_password, credential_expires_at, import_id, import_row) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
          row,
        );
      }
      await client.query('COMMIT');
    }, backend, rows / many);
  } finally {
    client.release();
  }
  if ((await count('bench_naive.rollcall_users')) !== many) throw new Error('per-user did not insert every user');
  await pool.query('DROP SCHEMA bench_naive CASCADE');
  return sample;
}

const autocommitRows = Math.max(1, Math.round(perRowRows / 10));
const contenders = {
  copy,
  rollcall: () => rollcall(values.cli),
  ...(baselineCli === undefined ? {} : { baseline: () => rollcall(baselineCli) }),
  oneUser: () => rollcall(values.cli, oneUserFile, 1),
  perRow: () => insertRows(perRowRows, true),
  perUser: () => insertUsers(perRowRows),
  autocommit: () => insertRows(autocommitRows, false),
};
type Name = 'copy' | 'rollcall' | 'baseline' | 'oneUser' | 'perRow' | 'perUser' | 'autocommit';
const samples: Record<Name, Sample[]> = {
  copy: [], rollcall: [], baseline: [], oneUser: [], perRow: [], perUser: [], autocommit: [],
};
const loadBefore = loadavg();
for (let rep = 1; rep <= reps; rep++) {
  for (const [name, measure] of Object.entries(contenders) as [Name, () => Promise<Sample>][]) {
    const sample = await measure();
    samples[name].push(sample);
    const cpu = sample.client === undefined || sample.server === undefined ? '' : `, CPU ${sample.client.toFixed(2)} + ${sample.server.toFixed(2)} s`;
    console.error(`rep ${String(rep)} ${name}: ${sample.seconds.toFixed(2)} s${cpu}`);
  }
}
const loadAfter = loadavg();

await freshRollcallSchema();
const profile = JSON.parse(await run(process.execPath, [join(here, 'profile.js'), file])) as Profile;
await freshRollcallSchema();
await pool.query('DROP TABLE IF EXISTS bench_plain');
const { rows: [version] } = await pool.query<{ version: string }>(`SELECT current_setting('server_version') AS version`);
await pool.end();

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const seconds = (s: number): string => `${s.toFixed(2)} s`;
const runs = (xs: readonly Sample[]): string => xs.map((x) => x.seconds.toFixed(2)).join(', ');
const load = (xs: readonly number[]): string => xs.map((x) => x.toFixed(1)).join(' / ');
const wall = (name: Name): number => median(samples[name].map((x) => x.seconds));
/**
 * Median CPU of a contender's client, of the server, and of their sum in each repetition (which need not be the
 * sum of the other two medians), in seconds of one core; undefined where /proc could not tell.
 */
function cpuOf(name: Name): { client: number; server: number; total: number } | undefined {
  const xs = samples[name];
  if (xs.length === 0 || xs.some((x) => x.client === undefined || x.server === undefined)) return undefined;
  return {
    client: median(xs.map((x) => x.client ?? NaN)),
    server: median(xs.map((x) => x.server ?? NaN)),
    total: median(xs.map((x) => (x.client ?? NaN) + (x.server ?? NaN))),
  };
}
const measuredCpu = cpuOf('copy') !== undefined;
const cpuCell = (name: Name): string => {
  const cpu = cpuOf(name);
  return measuredCpu ? ` ${cpu === undefined ? '?' : `${cpu.client.toFixed(2)} + ${cpu.server.toFixed(2)} s (${cpu.total.toFixed(2)} s)`} |` : '';
};
const copied = wall('copy');
const imported = wall('rollcall');
const inserted = wall('perRow');
const insertedUsers = wall('perUser');
const autocommitted = wall('autocommit');
const baselined = wall('baseline');
const fixed = wall('oneUser');
const cores = cpus().length;
const baselineRow =
  baselineCli === undefined
    ? ''
    : `| \`rollcall import\` end to end, the baseline build (${baselineCli}) | ${seconds(baselined)} | ${runs(samples.baseline)} |${cpuCell('baseline')} ${(baselined / copied).toFixed(2)}× \\copy, ${(baselined / imported).toFixed(2)}× this build |\n`;

// What 4× \copy leaves: every core of the machine busy for 4 × \copy's time. rollcall cannot finish sooner than
// the CPU it needs spread over all the cores, however its work is divided between threads and the server.
const rollcallCpu = cpuOf('rollcall');
const copyCpu = cpuOf('copy');
const budget =
  rollcallCpu === undefined || copyCpu === undefined
    ? 'CPU not measured: /proc does not show the server (not Linux, or the server runs elsewhere).'
    : `CPU, medians in seconds of one core, the command's process (and its children) + the server's processes: \\copy ${copyCpu.total.toFixed(2)} s (${((copyCpu.total / copied) * 100).toFixed(0)}% of one core over its time), rollcall ${rollcallCpu.total.toFixed(2)} s, ${(rollcallCpu.total / copyCpu.total).toFixed(1)}× \\copy's. 4× \\copy is ${seconds(4 * copied)}; with ${String(cores)} cores that is ${(4 * copied * cores).toFixed(2)} s of CPU, so rollcall's CPU alone would take ${((rollcallCpu.total / (4 * copied * cores)) * 100).toFixed(0)}% of every core for the whole of it; it cannot finish in less than ${seconds(rollcallCpu.total / cores)} (${(rollcallCpu.total / cores / copied).toFixed(2)}× \\copy) however its work is divided.`;

const report = `${rows.toLocaleString('en-US')} users (${(statSync(file).size / 2 ** 20).toFixed(1)} MiB, BOM + CRLF), ${String(reps)} alternating repetitions on fresh tables; PostgreSQL ${version?.version ?? '?'} on loopback; Node ${process.version}; ${String(cores)} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average (1 / 5 / 15 min) ${load(loadBefore)} before, ${load(loadAfter)} after.

| contender | median | runs (s) |${measuredCpu ? ' CPU: client + server (both) |' : ''} ratio |
| --- | ---: | --- |${measuredCpu ? ' ---: |' : ''} ---: |
| \`psql \\copy\` 3 columns into a plain table with a unique index on email | ${seconds(copied)} | ${runs(samples.copy)} |${cpuCell('copy')} 1.00× |
| \`rollcall import\` end to end (CLI, new tables) | ${seconds(imported)} | ${runs(samples.rollcall)} |${cpuCell('rollcall')} ${(imported / copied).toFixed(2)}× \\copy |
${baselineRow}| \`rollcall import\` of a one-user file: the command's cost whatever the file (start, modules, connection, migration, exit) | ${seconds(fixed)} | ${runs(samples.oneUser)} |${cpuCell('oneUser')} ${(fixed / imported * 100).toFixed(0)}% of rollcall's time |
| one INSERT per row through pg in one transaction (${perRowRows.toLocaleString('en-US')} rows measured, scaled ×${(rows / perRowRows).toFixed(0)}) | ${seconds(inserted)} | ${runs(samples.perRow)} |${cpuCell('perRow')} ${(inserted / imported).toFixed(1)}× rollcall |
| one INSERT per user into rollcall's users table, all its columns, one transaction (${perRowRows.toLocaleString('en-US')} users measured, scaled ×${(rows / perRowRows).toFixed(0)}) | ${seconds(insertedUsers)} | ${runs(samples.perUser)} |${cpuCell('perUser')} ${(insertedUsers / imported).toFixed(1)}× rollcall |
| one INSERT per row, each committing on its own (${autocommitRows.toLocaleString('en-US')} rows measured, scaled ×${(rows / autocommitRows).toFixed(0)}) | ${seconds(autocommitted)} | ${runs(samples.autocommit)} |${cpuCell('autocommit')} ${(autocommitted / imported).toFixed(1)}× rollcall |

rollcall / \\copy = ${(imported / copied).toFixed(2)} (target at most 4: ${imported / copied <= 4 ? 'met' : 'missed'}); per-row / rollcall = ${(inserted / imported).toFixed(1)} in one transaction into the plain table, ${(insertedUsers / imported).toFixed(1)} per user into rollcall's table, ${(autocommitted / imported).toFixed(1)} committing each row (target at least 10: ${inserted / imported >= 10 ? 'met' : 'missed'} / ${insertedUsers / imported >= 10 ? 'met' : 'missed'} / ${autocommitted / imported >= 10 ? 'met' : 'missed'}).

${budget}

One more import through the library, timed (profile.ts):

| phase | seconds |
| --- | ---: |
${profile.phases.map(([name, s]) => `| ${name} | ${s.toFixed(2)} |`).join('\n')}

| statement | count | seconds |
| --- | ---: | ---: |
${profile.statements.map(([name, n, s]) => `| ${name} | ${String(n)} | ${s.toFixed(2)} |`).join('\n')}
`;
writeFileSync(values.out, report);
console.log(report);
