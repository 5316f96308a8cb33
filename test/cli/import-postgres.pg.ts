// `rollcall import --db postgres://...` against a real server:
// `scripts/postgres.sh run -- npx vitest run --config test/execute/vitest.postgres.config.ts`.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';

const url = process.env.ROLLCALL_TEST_POSTGRES_URL;
if (url === undefined || url === '') {
  throw new Error('ROLLCALL_TEST_POSTGRES_URL is not set: run `scripts/postgres.sh run -- npx vitest run --config test/execute/vitest.postgres.config.ts`');
}

// The command's tables go to a schema of their own, through the connection's search_path.
const schema = `rollcall_cli_${String(process.pid)}`;
const admin = new pg.Pool({ connectionString: url, max: 1 });
await admin.query(`CREATE SCHEMA ${schema}`);
const db = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
const dirs: string[] = [];
afterAll(async () => {
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.end();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rollcall-import-pg-'));
  dirs.push(dir);
  return dir;
}

async function run(argv: readonly string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from([]),
    cwd,
  });
  return { code, stdout, stderr };
}

it('imports into a PostgreSQL server named by a postgres:// URL, once, and lists the users', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'users.csv'), 'First Name;Last Name;E-mail\r\nZoë;Ångström;zoe@example.org\r\n李;小龍;li@example.org\r\n');
  const first = await run(['import', 'users.csv', '--db', db, '--json'], dir);
  expect([first.code, first.stderr]).toEqual([0, '']);
  expect(JSON.parse(first.stdout)).toMatchObject({ imported: true, created: 2, skipped: 0 });
  const again = await run(['import', 'users.csv', '--db', db, '--json'], dir);
  expect(again.code).toBe(1);
  expect((JSON.parse(again.stdout) as { countsByCode: object }).countsByCode).toEqual({ already_exists: 2 });
  expect((await readdir(dir)).filter((f) => f.startsWith('rollcall-results-'))).toHaveLength(1);

  const users = await run(['users', '--db', db, '--json'], dir);
  expect(JSON.parse(users.stdout)).toMatchObject({
    users: [
      { email: 'li@example.org', firstName: '李', lastName: '小龍' },
      { email: 'zoe@example.org', firstName: 'Zoë', lastName: 'Ångström' },
    ],
  });
  const { rows } = await admin.query(`SELECT count(*)::int AS n FROM ${schema}.rollcall_users`);
  expect(rows).toEqual([{ n: 2 }]);
});

it('exits 2 with the URL shown without its password when the server cannot be reached', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'users.csv'), 'First Name,Last Name,Email\r\nAda,Lovelace,ada@example.org\r\n');
  const { code, stderr } = await run(['import', 'users.csv', '--db', 'postgres://rollcall:s3cret-pw@127.0.0.1:1/none'], dir);
  expect(code).toBe(2);
  expect(stderr).toContain('postgres://rollcall:***@127.0.0.1:1/none');
  expect(stderr).not.toContain('s3cret-pw');
});
