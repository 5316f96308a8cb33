// One import of FILE through the library, timed by phase (read and plan, execute, results file) and, inside
// them, by kind of statement. Prints one JSON object ({@link Profile}) for run.ts.
// Usage: ROLLCALL_TEST_POSTGRES_URL=postgres://... node .bench/import-build/bench/import/profile.js FILE
import { createReadStream } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { PooledConnection, PostgresPool, Queryable } from '../../src/adapters/store/postgres-client.js';
import type { CopyConnection, CopyFrom } from '../../src/adapters/store/postgres-copy.js';
import { migratePostgresStore } from '../../src/adapters/store/postgres-migrate.js';
import { postgresStore } from '../../src/adapters/store/postgres.js';
import { executeImport } from '../../src/execute/execute-import.js';
import { planImport } from '../../src/plan/plan-import.js';

/** Seconds per phase, and per statement kind: [name, count, seconds]. */
export interface Profile {
  readonly phases: [string, number][];
  readonly statements: [string, number, number][];
}

const file = process.argv[2];
const url = process.env.ROLLCALL_TEST_POSTGRES_URL;
if (file === undefined || url === undefined) throw new Error('usage: ROLLCALL_TEST_POSTGRES_URL=... profile.js FILE');

const pool = new pg.Pool({ connectionString: url, max: 4 });
await migratePostgresStore(pool);

let phase = 'plan';
const statements = new Map<string, [number, number]>();
/** Adds one statement's time under its phase and first three words. */
function record(sql: string, start: number): void {
  const kind = `${phase}: \`${sql.replace(/\s+/gu, ' ').trim().split(' ').slice(0, 3).join(' ')} …\``;
  const [n, s] = statements.get(kind) ?? [0, 0];
  statements.set(kind, [n + 1, s + (performance.now() - start) / 1000]);
}
/** Times each statement under its phase and first three words. */
function timed(target: Queryable): Queryable['query'] {
  return async (sql: string, params?: unknown[]): Promise<{ rows: unknown[] }> => {
    const start = performance.now();
    try {
      return await target.query(sql, params);
    } finally {
      record(sql, start);
    }
  };
}
/** COPY through pg-copy-streams, as `rollcall import` does, timed from its start to the server's answer. */
const copyFrom: CopyFrom = (connection, sql) => {
  const start = performance.now();
  const stream = (connection as unknown as { raw: CopyConnection }).raw.query(copyStreams.from(sql));
  stream.once('finish', () => { record(sql, start); });
  return stream;
};
const client: PostgresPool = {
  query: timed(pool),
  async connect(): Promise<PooledConnection> {
    const connection = await pool.connect();
    const wrapped = { query: timed(connection), release: (destroy?: boolean | Error) => { connection.release(destroy); }, raw: connection };
    return wrapped;
  },
};

const store = postgresStore({ client, copyFrom });
const options = { store, actor: 'benchmark', authorize: () => true };
const phases: [string, number][] = [];
let mark = performance.now();
function lap(name: string): void {
  const now = performance.now();
  phases.push([name, (now - mark) / 1000]);
  mark = now;
}

const plan = await planImport(createReadStream(file), options);
lap('read, validate and plan (with the lookup of existing users)');
phase = 'execute';
const result = await executeImport(plan, options);
lap('execute: draw and hash passwords, create users, enqueue introductions, commit');
if (!result.imported) throw new Error('the profiled import did not import');
const out = join(dirname(file), 'profile-results.csv');
await writeFile(out, result.resultsCsv(), { mode: 0o600 });
lap('render and write the results file');
await rm(out, { force: true });
await pool.end();

phases.push(['total (without process start and migration)', phases.reduce((sum, [, s]) => sum + s, 0)]);
const profile: Profile = { phases, statements: [...statements].map(([kind, [n, s]]) => [kind, n, s]) };
console.log(JSON.stringify(profile));
