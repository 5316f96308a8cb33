// The importing process SIGKILLed at points spread over the whole run, shared by the PGlite and real-server
// runs. A child (fixtures/import-child.ts) prints a marker before each step; the parent kills it exactly at a
// marker (the child freezes there), or at a marker plus a random delay, or kills the real command
// `rollcall import --send-intro` at a random time, or freezes the real command at a point of its results file
// (fixtures/freeze-results.ts). Afterwards the store holds none or all of the file's users, and the results
// file is complete or not there; the same command again (same key, same --results) and
// `rollcall send-intro --pending` complete the set, and the outbox folder holds exactly one message per user.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../src/adapters/store/postgres-client.js';
import { run } from '../cli/run-cli.js';
import { bundleFolder, bundleForNode } from '../helpers/node-bundle.js';
import { fileKeys, usersFile } from './fault-cases.js';

/** Where the kill runs keep their databases: a PGlite folder per run, or a database per run on a server. */
export interface KillTarget {
  /** Prepares what every run copies or connects to (once per file), in the suite's work folder. */
  prepare?(work: string): Promise<void>;
  /** Removes what the runs left outside the work folder. */
  dispose?(): Promise<void>;
  /** A new, migrated, empty database for one run, as the command line's `--db` takes it. */
  fresh(name: string): Promise<string>;
  /** Opens a database for inspection. */
  open(db: string): Promise<Queryable & { close(): Promise<void> }>;
}

/**
 * How one run dies: frozen at a marker, at a marker plus a delay, or the real command after a delay or frozen at a
 * point of its results file.
 */
export type KillPlan =
  | { readonly kind: 'freeze'; readonly marker: string; readonly nth: number }
  | { readonly kind: 'after-marker'; readonly marker: string; readonly nth: number; readonly delayMs: number }
  | { readonly kind: 'cli'; readonly delayMs: number }
  | { readonly kind: 'cli-freeze'; readonly marker: 'results-created' | 'results-half-written' };

/** What a run saw and left. */
export interface KillOutcome {
  /** The markers the child printed before it died (none for the command). */
  readonly markers: readonly string[];
  /** Whether the process died by the kill (a late kill finds it finished). */
  readonly killed: boolean;
  /** How many of the file's users the store held after the kill. */
  readonly usersAfterKill: number;
}

export const rows = 40;
const batchSize = 10;
const importKey = 'kill-upload';
const keys = fileKeys(rows, 'kill');

/** Seeded random numbers (mulberry32), so a failing run can be replayed with ROLLCALL_KILL_SEED. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The processes a run starts or loads. */
export interface KillProcesses {
  /** The importing child script. */
  readonly child: string;
  /** The rollcall command. */
  readonly cli: string;
  /** The module that freezes the command at a point of its results file. */
  readonly freeze: string;
}

/** The child script, the command and the freezing module, bundled once into node_modules/.cache (packages stay external). */
export async function bundleProcesses(): Promise<KillProcesses & { remove(): Promise<void> }> {
  const [child, cli, freeze] = ['import-child', 'rollcall-cli', 'freeze-results'].map((name) => join(bundleFolder, `${name}-${String(process.pid)}.mjs`)) as [string, string, string];
  await bundleForNode(join(import.meta.dirname, 'fixtures', 'import-child.ts'), child);
  await bundleForNode(join(process.cwd(), 'src', 'cli', 'bin.ts'), cli);
  await bundleForNode(join(import.meta.dirname, 'fixtures', 'freeze-results.ts'), freeze);
  return { child, cli, freeze, remove: () => Promise.all([child, cli, freeze].map((file) => rm(file, { force: true }))).then(() => undefined) };
}

/**
 * Runs the import in a process, kills it as `plan` says, checks the store holds none or all of the users,
 * then completes the import and its introductions from the command line and checks each user got one message.
 */
export async function killAndComplete(
  target: KillTarget,
  processes: KillProcesses,
  work: string,
  name: string,
  plan: KillPlan,
): Promise<KillOutcome> {
  const dir = join(work, name);
  // Not recursive: a run that met another's folder would count that run's messages as its own.
  await mkdir(dir);
  await writeFile(join(dir, 'users.csv'), usersFile(rows, 'kill'));
  const db = await target.fresh(name);
  const out = join(dir, 'out');

  const command = ['import', 'users.csv', '--db', db, '--import-key', importKey, '--send-intro', '--outbox', 'out', '--results', 'results.csv', '--json'];
  const proc =
    plan.kind === 'cli' || plan.kind === 'cli-freeze'
      ? spawn(process.execPath, [...(plan.kind === 'cli' ? [] : ['--import', pathToFileURL(processes.freeze).href]), processes.cli, ...command], {
          cwd: dir,
          env: { ...process.env, FREEZE_RESULTS: plan.kind === 'cli' ? '' : plan.marker },
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      : spawn(process.execPath, [processes.child], {
          cwd: dir,
          env: {
            ...process.env,
            DB: db,
            FILE: join(dir, 'users.csv'),
            OUT_DIR: out,
            BATCH_SIZE: String(batchSize),
            IMPORT_KEY: importKey,
            FREEZE_AT: plan.kind === 'freeze' ? `${plan.marker}:${String(plan.nth)}` : '',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.on('exit', (code, signal) => {
      resolve({ code, signal });
    });
  });
  const markers: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const kill = (): void => {
    proc.kill('SIGKILL');
  };
  if (plan.kind === 'cli') {
    timer = setTimeout(kill, plan.delayMs);
  } else {
    let count = 0;
    createInterface({ input: proc.stdout }).on('line', (line) => {
      markers.push(line);
      if (plan.kind === 'cli-freeze') {
        if (line === plan.marker) kill();
        return;
      }
      if (line.split(' ')[0] !== plan.marker || ++count !== plan.nth) return;
      if (plan.kind === 'freeze') kill();
      else timer = setTimeout(kill, plan.delayMs);
    });
  }
  const exit = await exited;
  clearTimeout(timer);
  const killed = exit.signal === 'SIGKILL';
  if (!killed) expect([exit.code, stderr]).toEqual([0, '']);
  if (plan.kind === 'freeze') expect(killed, `${name}: the child never reached ${plan.marker} ${String(plan.nth)}`).toBe(true);
  if (plan.kind === 'cli-freeze') expect(killed, `${name}: the command never reached ${plan.marker}`).toBe(true);

  // What the kill left: none or all of the users, and with them their import record and introductions.
  const store = await target.open(db);
  let usersAfterKill: number;
  try {
    usersAfterKill = await countOf(store, 'SELECT count(*)::int AS n FROM rollcall_users WHERE email_key = ANY($1)', [keys]);
    const imports = await countOf(store, 'SELECT count(*)::int AS n FROM rollcall_imports WHERE import_key = $1', [importKey]);
    // Written into the outbox, or requested for the whole import and written when the outbox is next read.
    const introductions = await countOf(
      store,
      'SELECT ((SELECT count(*) FROM rollcall_introductions) + (SELECT count(*) FROM rollcall_users u JOIN rollcall_introduction_requests r ON u.import_id = r.import_id))::int AS n',
      [],
    );
    expect([name, usersAfterKill, imports, introductions]).toEqual([name, usersAfterKill === 0 ? 0 : rows, usersAfterKill === 0 ? 0 : 1, usersAfterKill === 0 ? 0 : rows]);
    // Markers bound the outcome: nothing before the transaction's work was done, everything once it returned.
    if (plan.kind !== 'cli' && plan.kind !== 'cli-freeze' && !markers.includes('commit')) expect([name, usersAfterKill]).toEqual([name, 0]);
    if (markers.some((m) => m.startsWith('committed'))) expect([name, usersAfterKill]).toEqual([name, rows]);
    // A dead sender's claims are free again once their lease (5 minutes) runs out: run that clock forward.
    await store.query(`UPDATE rollcall_introductions SET lease_until = clock_timestamp() WHERE status = 'sending'`);
  } finally {
    await store.close();
  }

  // The results file has its name only once complete: a kill leaves none, or every user with a password.
  const results = await resultsRows(join(dir, 'results.csv'));
  if (results !== undefined) expect([name, usersAfterKill, results.length]).toEqual([name, rows, rows]);
  if (plan.kind === 'cli-freeze') expect([name, results]).toEqual([name, undefined]);

  // Completed from the command line: send-intro --pending when the users are there, else the same command again,
  // which a results file left by the kill would refuse.
  if (usersAfterKill === rows) {
    const pending = await run(['send-intro', '--pending', '--db', db, '--outbox', 'out', '--json'], { cwd: dir });
    expect([name, pending.code, pending.stderr]).toEqual([name, 0, '']);
    const sent = JSON.parse(pending.stdout) as { sent: number; failed: number; alreadySent: number };
    expect([name, sent.failed, sent.sent + sent.alreadySent]).toEqual([name, 0, rows]);
  } else {
    const again = await run(command, { cwd: dir });
    expect([name, again.code, again.stderr]).toEqual([name, 0, '']);
    expect(JSON.parse(again.stdout)).toMatchObject({ imported: true, replayed: false, created: rows, introductions: { sent: rows, failed: 0 } });
    expect([name, (await resultsRows(join(dir, 'results.csv')))?.length]).toEqual([name, rows]);
  }

  // One message per user: a message sent again replaces its file (same Message-ID), never adds one.
  const perRecipient = new Map<string, number>();
  for (const file of (await readdir(out)).filter((f) => f.endsWith('.eml'))) {
    const to = /^To: (?:.*<)?([^<>\s]+@[^<>\s]+?)>?\r?$/mu.exec(await readFile(join(out, file), 'latin1'))?.[1] ?? file;
    perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
  }
  expect([name, [...perRecipient.keys()].sort()]).toEqual([name, [...keys].sort()]);
  expect([name, [...perRecipient.values()].filter((n) => n !== 1)]).toEqual([name, []]);
  return { markers, killed, usersAfterKill };
}

/** The rows of a results file that are a user with a password, or undefined when there is no file. */
async function resultsRows(path: string): Promise<string[][] | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const records: string[][] = parse(bytes, { bom: true, relax_column_count: true, relax_quotes: true });
  return records.slice(1).filter((row) => keys.includes(row[2]?.toLowerCase() ?? '') && /^[A-Za-z][A-Za-z0-9]{15}$/u.test(row[3] ?? ''));
}

async function countOf(db: Queryable, sql: string, params: unknown[]): Promise<number> {
  const { rows: found } = await db.query(sql, params);
  return (found[0] as { n: number }).n;
}

/** The kill plans of one suite run: a freeze at each phase, then marker-plus-delay and timed kills from the seed. */
export function killPlans(seed: number, timed: { runs: number; spanMs: number }, delayed: number): { name: string; plan: KillPlan }[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const phases: [string, number][] = [
    ['validating', 1],
    ['lookup', 2],
    ['begin', 1],
    ['create', 3],
    ['enqueue', 2],
    ['commit', 1],
    ['committed', 1],
    ['sending', 1 + Math.floor(next() * rows)],
    ['sent', 1 + Math.floor(next() * rows)],
  ];
  const plans: { name: string; plan: KillPlan }[] = phases.map(([marker, nth]) => ({ name: `freeze-${marker}-${String(nth)}`, plan: { kind: 'freeze', marker, nth } }));
  for (let i = 0; i < delayed; i++) {
    const [marker] = pick(phases);
    const nth = marker === 'sending' || marker === 'sent' ? 1 + Math.floor(next() * rows) : 1;
    const delayMs = Math.floor(next() * 40);
    // Numbered: a seed can draw the same marker and delay twice, and each run needs a folder of its own.
    plans.push({ name: `${String(i + 1)}-after-${marker}-${String(nth)}+${String(delayMs)}ms`, plan: { kind: 'after-marker', marker, nth, delayMs } });
  }
  for (let i = 0; i < timed.runs; i++) {
    const delayMs = Math.floor(next() * timed.spanMs);
    plans.push({ name: `${String(i + 1)}-cli-${String(delayMs)}ms`, plan: { kind: 'cli', delayMs } });
  }
  return plans;
}

/**
 * Registers the kill cases: a freeze at each of the nine phases (or those `phases` names), then `delayed` kills at a marker plus a
 * random delay, and `timed` kills of the real command at random times within one unkilled run's duration.
 * ROLLCALL_KILL_SEED replays the random choices of a failed run (the seed is in the suite's name).
 */
export function describeKillImport(
  name: string,
  target: KillTarget,
  counts: { delayed: number; timed: number; phases?: readonly string[] },
): void {
  const seed = Number(process.env.ROLLCALL_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));
  let work = '';
  let processes: Awaited<ReturnType<typeof bundleProcesses>> | undefined;

  describe(`an import killed with SIGKILL, on ${name} (seed ${String(seed)})`, { timeout: 900_000 }, () => {
    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'rollcall-kill-import-'));
      processes = await bundleProcesses();
      await target.prepare?.(work);
    });

    afterAll(async () => {
      await target.dispose?.();
      await rm(work, { recursive: true, force: true });
      await processes?.remove();
    });

    it(`frozen at each phase (${(counts.phases ?? ['validating', 'lookup', 'begin', 'create', 'enqueue', 'commit', 'committed', 'sending', 'sent']).join(', ')}): none or all of the users, then each gets one message`, async () => {
      const seen: string[] = [];
      const phases = killPlans(seed, { runs: 0, spanMs: 0 }, 0).filter(({ plan }) => plan.kind === 'freeze' && (counts.phases ?? [plan.marker]).includes(plan.marker));
      for (const { name: run, plan } of phases) {
        const outcome = await killAndComplete(target, processes ?? { child: '', cli: '', freeze: '' }, work, run, plan);
        seen.push(`${run.replace(/-\d+$/u, '')}: ${outcome.usersAfterKill === 0 ? 'none' : 'all'}`);
      }
      // Up to the moment the transaction's work returned, nothing; from the end of the commit on, all.
      const expected = ['validating', 'lookup', 'begin', 'create', 'enqueue', 'commit', 'committed', 'sending', 'sent'].map(
        (marker, i) => `freeze-${marker}: ${i < 6 ? 'none' : 'all'}`,
      );
      expect(seen).toEqual(expected.filter((line) => seen.some((s) => s.split(':')[0] === line.split(':')[0])));
      expect(seen).toHaveLength(counts.phases?.length ?? 9);
    });

    it('the real command frozen as it creates and as it writes its results file: no file under the name until it is complete, so the same command runs again (issue 27, finding 6)', async () => {
      const created = await killAndComplete(target, processes ?? { child: '', cli: '', freeze: '' }, work, 'cli-freeze-results-created', { kind: 'cli-freeze', marker: 'results-created' });
      expect(created).toMatchObject({ killed: true, usersAfterKill: 0 });
      const written = await killAndComplete(target, processes ?? { child: '', cli: '', freeze: '' }, work, 'cli-freeze-results-half-written', {
        kind: 'cli-freeze',
        marker: 'results-half-written',
      });
      expect(written).toMatchObject({ killed: true, usersAfterKill: rows });
    });

    it(`at a marker plus a random delay (${String(counts.delayed)} runs), and the real rollcall import --send-intro at random times (${String(counts.timed)} runs)`, async () => {
      const started = Date.now();
      const unkilled = await killAndComplete(target, processes ?? { child: '', cli: '', freeze: '' }, work, 'cli-unkilled', { kind: 'cli', delayMs: 600_000 });
      expect(unkilled).toMatchObject({ killed: false, usersAfterKill: rows });
      const spanMs = Date.now() - started;
      const plans = killPlans(seed, { runs: counts.timed, spanMs }, counts.delayed).slice(9);
      for (const { name: run, plan } of plans) {
        const outcome = await killAndComplete(target, processes ?? { child: '', cli: '', freeze: '' }, work, run, plan);
        expect([run, outcome.usersAfterKill === 0 || outcome.usersAfterKill === rows]).toEqual([run, true]);
      }
    });
  });
}
