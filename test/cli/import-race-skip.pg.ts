// Issue 27, finding 10, from the command line on a real server: `rollcall import --on-existing skip` that loses a
// race to another import plans again once and imports, skipping the users the other import created; a second
// lost race fails it with a message that does not advise the --on-existing skip it was given. The races are
// staged with row locks: the command reads its file from standard input, which the test ends only once the
// command has migrated (its schema statements would wait for any open import); another import then holds an
// uncommitted user, and the test waits (by pg_blocking_pids, not by the clock) until the command's insert is
// blocked on it before letting that import commit.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeEach, expect, it } from 'vitest';
import { singleConnection } from '../../src/adapters/store/postgres-client.js';
import { migratePostgresStore } from '../../src/adapters/store/postgres-migrate.js';
import { postgresStore } from '../../src/adapters/store/postgres.js';
import type { NewUser } from '../../src/adapters/store/types.js';
import { runCli } from '../../src/cli/main.js';
import { run } from './run-cli.js';

const url = process.env.ROLLCALL_TEST_POSTGRES_URL;
if (url === undefined || url === '') throw new Error('ROLLCALL_TEST_POSTGRES_URL is not set: run this file through scripts/postgres.sh run');

const admin = new pg.Pool({ connectionString: url, max: 2 });
const dirs: string[] = [];
const schemas: string[] = [];
afterAll(async () => {
  for (const schema of schemas) await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.end();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

let schema = '';
let db = '';
let dir = '';
beforeEach(async () => {
  schema = `rollcall_race_skip_${String(process.pid)}_${String(schemas.length)}`;
  schemas.push(schema);
  await admin.query(`CREATE SCHEMA ${schema}`);
  await migratePostgresStore(admin, { schema });
  db = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  dir = await mkdtemp(join(tmpdir(), 'rollcall-race-skip-'));
  dirs.push(dir);
});

const usersCsv = ['First Name,Last Name,Email', ...['a', 'b', 'c', 'z'].map((n) => `${n.toUpperCase()},Test,${n}@example.org`)].join('\r\n') + '\r\n';

/**
 * Starts `rollcall import - --on-existing skip` with the file on standard input, left open, and waits until the
 * command has migrated its tables; `plan()` ends the input, so it plans and imports.
 */
async function startImport() {
  const { rows } = await admin.query<{ now: string }>('SELECT clock_timestamp()::text AS now');
  const started = rows[0]?.now ?? '';
  const stdin = new PassThrough();
  stdin.write(usersCsv);
  let stdout = '';
  let stderr = '';
  const done = runCli(['import', '-', '--db', db, '--on-existing', 'skip', '--json'], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin,
    cwd: dir,
  }).then((code) => ({ code, stdout, stderr }));
  // The migration's transaction committed on one of the command's new connections, which is then idle.
  await until(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_start > $1::timestamptz AND state = 'idle' AND query = 'COMMIT'`,
    [started],
  );
  return { result: done, plan: () => stdin.end() };
}

/** Another import on a connection of its own: creates one user and holds it uncommitted until released. */
async function rivalHolding(email: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const pid = rows[0]?.pid ?? 0;
  const store = postgresStore({ client: singleConnection(client), schema });
  let release = (): void => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let held = (): void => undefined;
  const holding = new Promise<void>((resolve) => (held = resolve));
  const user: NewUser = {
    email,
    emailKey: email,
    firstName: 'Rival',
    lastName: 'Import',
    attributes: {},
    credential: { kind: 'password', hash: 'hash', mustChange: true, expiresAt: new Date('2030-01-01T00:00:00Z') },
    importId: crypto.randomUUID(),
    row: 2,
  };
  const committed = store
    .transaction(async (tx) => {
      await tx.createUsers([user]);
      held();
      await gate;
    })
    .finally(() => client.end());
  return { pid, holding, committed, commit: () => { release(); return committed; } };
}

/** Waits until `sql` counts something in pg_stat_activity (a state, not a time; fails after 30 s). */
async function until(sql: string, params: unknown[]): Promise<void> {
  for (let tries = 0; tries < 300; tries++) {
    const { rows } = await admin.query<{ n: number }>(sql, params);
    if ((rows[0]?.n ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`never reached: ${sql}`);
}

/** Until some backend waits for a lock `pid` holds. */
const blockedBy = (pid: number) => until('SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [pid]);
/** Until `pid` waits for a lock. */
const blocked = (pid: number) => until('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1 AND cardinality(pg_blocking_pids(pid)) > 0', [pid]);


it('an --on-existing skip import that loses a race imports after all, skipping the user the other import created', async () => {
  const importing = await startImport();
  const rival = await rivalHolding('z@example.org');
  await rival.holding;
  importing.plan();
  await blockedBy(rival.pid); // planned with z to create, the command waits for z
  await rival.commit();
  const result = await importing.result;
  expect([result.code, result.stderr]).toEqual([0, '']);
  expect(JSON.parse(result.stdout)).toMatchObject({ imported: true, created: 3, skipped: 1 });
  const { rows } = await admin.query(`SELECT email FROM ${schema}.rollcall_users ORDER BY email`);
  expect(rows.map((r: { email: string }) => r.email)).toEqual(['a@example.org', 'b@example.org', 'c@example.org', 'z@example.org']);
});

it('one that loses twice fails, and its message does not advise the --on-existing skip it was given', async () => {
  const importing = await startImport();
  const first = await rivalHolding('z@example.org');
  await first.holding;
  importing.plan();
  await blockedBy(first.pid); // the command has written a, b and c, and waits for z
  const second = await rivalHolding('c@example.org');
  await blocked(second.pid); // waits for the command's c
  await first.commit(); // the command loses z and rolls back; the second import now holds c
  await second.holding;
  await blockedBy(second.pid); // planned again (z skipped), the command waits for c
  await second.commit();
  const result = await importing.result;
  expect([result.code, result.stderr]).toEqual([1, '']);
  const report = JSON.parse(result.stdout) as { imported: boolean; errors: { code: string; row: number; message: string }[] };
  expect(report.imported).toBe(false);
  expect(report.errors.map((e) => [e.code, e.row])).toEqual([['already_exists', 4]]);
  expect(report.errors[0]?.message).toBe(
    'Row 4: a user with the email "c@example.org" was created by another import while this one ran, so nothing was imported. ' +
      'Run the same command again: users who exist by then are skipped.',
  );
  expect(result.stdout).not.toContain('--on-existing');

  const again = await run(['import', '-', '--db', db, '--on-existing', 'skip', '--json'], { cwd: dir, stdin: usersCsv });
  expect([again.code, again.stderr]).toEqual([0, '']);
  expect(JSON.parse(again.stdout)).toMatchObject({ imported: true, created: 2, skipped: 2 });
});
