// The database itself fails in the middle of `rollcall import` (a trigger raises on one row of a batch): the
// command exits 2, says that nothing was imported and why, keeps no results file, and the same command run
// again once the fault is gone imports the whole file.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { run } from '../cli/run-cli.js';
import { usersFile } from './fault-cases.js';

let cwd = '';

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'rollcall-cli-store-failure-'));
});

afterAll(() => rm(cwd, { recursive: true, force: true }));

async function inDatabase(sql: string): Promise<unknown[]> {
  const db = new PGlite(join(cwd, 'db'));
  try {
    return (await db.exec(sql)).flatMap((result) => result.rows);
  } finally {
    await db.close();
  }
}

it('a database failure in the middle of an import: exit 2, the reason on stderr, nothing kept, and a rerun imports all', { timeout: 180_000 }, async () => {
  await writeFile(join(cwd, 'first.csv'), usersFile(1, 'first'));
  await writeFile(join(cwd, 'users.csv'), usersFile(23));
  expect((await run(['import', 'first.csv', '--db', 'db', '--results', 'first-results.csv'], { cwd })).code).toBe(0);
  await inDatabase(`
    CREATE FUNCTION refuse_user17() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.email_key = 'user17@example.org' THEN RAISE EXCEPTION 'could not extend file: No space left on device'; END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER refuse_user17 BEFORE INSERT ON rollcall_users FOR EACH ROW EXECUTE FUNCTION refuse_user17();`);

  const failed = await run(['import', 'users.csv', '--db', 'db', '--send-intro', '--outbox', 'out'], { cwd });
  expect(failed.code).toBe(2);
  expect(failed.stdout).toBe('');
  expect(failed.stderr).toContain('no user was created');
  expect(failed.stderr).toContain('No space left on device');
  expect((await readdir(cwd)).filter((name) => name.startsWith('rollcall-results-'))).toEqual([]);
  expect((await readdir(cwd)).includes('out')).toBe(false);
  expect(await inDatabase(`SELECT (SELECT count(*)::int FROM rollcall_users) AS users, (SELECT count(*)::int FROM rollcall_introductions) + (SELECT count(*)::int FROM rollcall_users JOIN rollcall_introduction_requests USING (import_id)) AS introductions`)).toEqual([{ users: 1, introductions: 1 }]);

  await inDatabase('DROP TRIGGER refuse_user17 ON rollcall_users');
  const again = await run(['import', 'users.csv', '--db', 'db', '--send-intro', '--outbox', 'out', '--json'], { cwd });
  expect([again.code, again.stderr]).toEqual([0, '']);
  expect(JSON.parse(again.stdout)).toMatchObject({ imported: true, created: 23, introductions: { sent: 23, failed: 0 } });
});
