// Where rollcall import --send-intro puts introductions is checked before anything is imported, and an outbox
// that receives passwords is private (issue 27, findings 4 and 13).
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgresStore } from '../../src/adapters/store/postgres-migrate.js';
import { run } from './run-cli.js';

let root: string;
let blank: string;
let made = 0;

/** A fresh working directory holding an empty migrated database at ./db, users.csv and notes.txt. */
async function workspace(): Promise<string> {
  made += 1;
  const dir = join(root, `t${String(made)}`);
  await cp(blank, join(dir, 'db'), { recursive: true });
  await writeFile(join(dir, 'users.csv'), 'First Name,Last Name,Email\r\nAda,Lovelace,ada@example.org\r\nLi,Wei,li@example.org\r\n');
  await writeFile(join(dir, 'notes.txt'), 'not a folder');
  return dir;
}

async function usersIn(dir: string): Promise<unknown[]> {
  const listed = await run(['users', '--db', 'db', '--json'], { cwd: dir });
  expect(listed.code).toBe(0);
  return (JSON.parse(listed.stdout) as { users: unknown[] }).users;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rollcall-import-outbox-'));
  blank = join(root, 'blank');
  const client = new PGlite(blank);
  await migratePostgresStore(client);
  await client.close();
}, 180_000);

afterAll(() => rm(root, { recursive: true, force: true }));

describe('rollcall import --send-intro', { timeout: 180_000 }, () => {
  it('refuses an --outbox that cannot be a folder before importing anything, in one line (issue 27, finding 13)', async () => {
    const dir = await workspace();
    const notes = join(dir, 'notes.txt');
    const cases: [string, string][] = [
      ['notes.txt', `${notes} is a file, not a folder; give --outbox a folder`],
      ['notes.txt/out', `cannot make the outbox folder ${join(notes, 'out')}: ${notes} is a file; give --outbox a folder`],
      ['notes.txt/a/b', `cannot make the outbox folder ${join(notes, 'a', 'b')}: ${notes} is a file; give --outbox a folder`],
    ];
    for (const [outbox, reason] of cases) {
      const text = await run(['import', 'users.csv', '--db', 'db', '--send-intro', '--outbox', outbox], { cwd: dir });
      expect([outbox, text.code, text.stdout, text.stderr]).toEqual([outbox, 2, '', `rollcall import: ${reason}\n`]);
      const json = await run(['import', 'users.csv', '--db', 'db', '--send-intro', '--outbox', outbox, '--json'], { cwd: dir });
      expect([outbox, json.code, JSON.parse(json.stdout)]).toEqual([outbox, 2, { error: { code: 'cannot_run', message: reason } }]);
    }
    // Nothing imported, no results file (nor its temporary copy), nothing made.
    expect(await usersIn(dir)).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual(['db', 'notes.txt', 'users.csv']);
    expect(await readFile(notes, 'utf8')).toBe('not a folder');
  });

  it('refuses an SMTP server that does not answer before importing anything, without showing its password (issue 27, finding 13)', async () => {
    const dir = await workspace();
    const refused = await run(
      ['import', 'users.csv', '--db', 'db', '--send-intro', '--smtp', 'smtp://ada:s3cret@127.0.0.1:1', '--sign-in-url', 'https://acme.example/'],
      { cwd: dir },
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^rollcall import: cannot send through the SMTP server smtp:\/\/ada:\*\*\*@127\.0\.0\.1:1: .*ECONNREFUSED.*\n$/u);
    expect(refused.stderr).not.toContain('s3cret');
    expect(await usersIn(dir)).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual(['db', 'notes.txt', 'users.csv']);
  });

  it('with --include-password, refuses an outbox folder open to other users and writes a new one 0700 with .eml files 0600 (issue 27, finding 4)', async () => {
    const dir = await workspace();
    const shared = join(dir, 'shared');
    await mkdir(shared);
    await chmod(shared, 0o755);
    const open = await run(['import', 'users.csv', '--db', 'db', '--send-intro', '--include-password', '--outbox', 'shared'], { cwd: dir });
    expect([open.code, open.stderr]).toEqual([
      2,
      `rollcall import: ${shared} is open to other users (mode 0755) and --include-password puts passwords into its files: ` +
        `make it private (chmod 700 ${shared}) or give --outbox a new folder\n`,
    ]);
    expect(await usersIn(dir)).toEqual([]);
    expect([(await stat(shared)).mode & 0o777, await readdir(shared)]).toEqual([0o755, []]);

    // The reproduction: a folder the command makes, with its parents, holds the passwords privately.
    const made = await run(['import', 'users.csv', '--db', 'db', '--send-intro', '--include-password', '--outbox', 'new/out', '--results', 'r.csv'], { cwd: dir });
    expect([made.code, made.stderr]).toEqual([0, '']);
    const out = join(dir, 'new', 'out');
    expect((await stat(out)).mode & 0o777).toBe(0o700);
    const files = await readdir(out);
    expect(files).toHaveLength(2);
    const rows: string[][] = parse(await readFile(join(dir, 'r.csv')), { bom: true, from_line: 2 });
    const passwords = rows.map((row) => row[3] ?? '');
    for (const file of files) {
      expect([file, (await stat(join(out, file))).mode & 0o777]).toEqual([file, 0o600]);
      const eml = await readFile(join(out, file), 'utf8');
      expect(passwords.filter((password) => eml.includes(password))).toHaveLength(1);
    }

    // A private folder that was there is used, and so is an open one when no password goes in.
    await chmod(shared, 0o700);
    await writeFile(join(dir, 'more.csv'), 'First Name,Last Name,Email\r\nBea,Bo,bea@example.org\r\n');
    const private_ = await run(['import', 'more.csv', '--db', 'db', '--send-intro', '--include-password', '--outbox', 'shared', '--json'], { cwd: dir });
    expect([private_.code, JSON.parse(private_.stdout)]).toMatchObject([0, { created: 1, introductions: { sent: 1, failed: 0 } }]);
    await chmod(shared, 0o755);
    await writeFile(join(dir, 'last.csv'), 'First Name,Last Name,Email\r\nCy,Co,cy@example.org\r\n');
    const plain = await run(['import', 'last.csv', '--db', 'db', '--send-intro', '--outbox', 'shared', '--json'], { cwd: dir });
    expect([plain.code, JSON.parse(plain.stdout)]).toMatchObject([0, { created: 1, introductions: { sent: 1, failed: 0 } }]);
    expect((await stat(shared)).mode & 0o777).toBe(0o755);
    for (const file of await readdir(shared)) expect([file, (await stat(join(shared, file))).mode & 0o777]).toEqual([file, 0o600]);
  });
});
