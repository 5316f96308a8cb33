// The command line shows temporary passwords only in the results file it creates: not on standard output
// or error (text or --json), not in the introductions it sends without --include-password, not in any table
// of the database folder, and not in a later failing import or user listing.
import { readdir, readFile, rm, stat, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteIdentifier } from '../../src/adapters/store/postgres-table.js';
import { run } from '../cli/run-cli.js';
import { capture, leaked } from './leak-capture.js';
import { readStrictly } from './csv-readers.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'rollcall-cli-secrets-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function usersFile(n: number, prefix: string): string {
  return ['First Name,Last Name,Email', ...Array.from({ length: n }, (_, i) => `Zoë${String(i)},Ñúñez,${prefix}${String(i)}@example.org`)].join('\r\n') + '\r\n';
}

/** Runs the command in `work` with every console method and process output captured too. */
async function cli(argv: readonly string[]): Promise<{ code: number; text: string }> {
  const captured = await capture(() => run(argv, { cwd: work }));
  if (captured.value === undefined) throw new Error(`the command threw: ${String(captured.error)}`);
  const { code, stdout, stderr } = captured.value;
  return { code, text: [stdout, stderr, captured.output].join('\n') };
}

/** The passwords column of a results file. */
async function passwordsIn(file: string): Promise<string[]> {
  const [header, ...rows] = readStrictly(await readFile(join(work, file), 'utf8'), ',');
  const at = header?.indexOf('Temporary Password') ?? -1;
  expect(at).toBeGreaterThan(-1);
  return rows.map((row) => row[at] ?? '');
}

/** Every row of every table in every schema of the database folder, as text. */
async function databaseText(dir: string): Promise<string> {
  const db = new PGlite(dir);
  try {
    const { rows } = await db.query<{ table_schema: string; table_name: string }>(
      "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'",
    );
    expect(rows.map((r) => r.table_name)).toContain('rollcall_users');
    const parts: unknown[] = [];
    for (const { table_schema: schema, table_name: table } of rows) {
      parts.push(table, (await db.query(`SELECT * FROM ${quoteIdentifier(schema)}.${quoteIdentifier(table)}`)).rows);
    }
    return JSON.stringify(parts);
  } finally {
    await db.close();
  }
}

describe('rollcall import keeps temporary passwords in the results file only', () => {
  it('across --json and text imports, introductions, a failing import, a refused repeat and the user listing', async () => {
    const db = join(work, 'db');
    await writeFile(join(work, 'first.csv'), usersFile(12, 'first'));
    await writeFile(join(work, 'second.csv'), usersFile(5, 'second'));
    await writeFile(join(work, 'bad.csv'), `${usersFile(3, 'bad')}Bad,Row,not-an-email\r\n`);

    const first = await cli(['import', 'first.csv', '--db', db, '--results', 'first-results.csv', '--json', '--send-intro', '--outbox', 'outbox']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.text.split('\n')[0] ?? '')).toMatchObject({ imported: true, created: 12, introductions: { sent: 12 } });
    const second = await cli(['import', 'second.csv', '--db', db, '--results', 'second-results.csv']);
    expect(second.code).toBe(0);
    expect(second.text).toContain('Your import was successful');
    const passwords = [...(await passwordsIn('first-results.csv')), ...(await passwordsIn('second-results.csv'))];
    expect(passwords).toHaveLength(17);
    for (const password of passwords) expect(password).toMatch(/^[A-Za-z][A-Za-z0-9]{15}$/u);
    expect((await stat(join(work, 'first-results.csv'))).mode & 0o777).toBe(0o600);

    const bad = await cli(['import', 'bad.csv', '--db', db, '--results', 'bad-results.csv', '--json']);
    expect(bad.code).toBe(1);
    await expect(stat(join(work, 'bad-results.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
    const again = await cli(['import', 'first.csv', '--db', db, '--results', 'again-results.csv']);
    expect(again.code).toBe(1);
    expect(again.text).toContain('already');
    const users = await cli(['users', '--db', db, '--json']);
    expect(users.code).toBe(0);
    expect(JSON.parse(users.text.split('\n')[0] ?? '')).toMatchObject({ users: expect.any(Array) as unknown });

    const emails = await Promise.all((await readdir(join(work, 'outbox'))).map((name) => readFile(join(work, 'outbox', name), 'utf8')));
    expect(emails).toHaveLength(12);
    const everywhere = [first.text, second.text, bad.text, again.text, users.text, ...emails, await databaseText(db)].join('\n');
    expect(leaked(passwords, everywhere)).toEqual([]);
  }, 240_000);
});
