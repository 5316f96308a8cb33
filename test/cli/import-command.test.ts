import { parse } from 'csv-parse/sync';
import { cp, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { openFolderStore } from '../../src/adapters/store/folder-store.js';
import { migratePostgresStore } from '../../src/adapters/store/postgres-migrate.js';
import { runCli } from '../../src/cli/main.js';
import { hashSecret } from '../../src/execute/hash-secret.js';
import { xlsx } from '../helpers/xlsx.js';

// Every run opens a PGlite database folder (seconds each); a migrated empty one is made once and copied.
let root: string;
let blank: string;
let tests = 0;

/** A fresh working directory holding an empty migrated database at ./db and the given files. */
async function workspace(files: Record<string, string> = {}): Promise<string> {
  tests += 1;
  const dir = join(root, `t${String(tests)}`);
  await cp(blank, join(dir, 'db'), { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

async function run(argv: readonly string[], cwd: string, options: { tty?: boolean } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.tty === true },
    stdin: Readable.from([]),
    cwd,
  });
  return { code, stdout, stderr };
}

function usersCsv(rows: readonly string[]): string {
  return ['First Name,Last Name,Email', ...rows].join('\r\n') + '\r\n';
}

const three = usersCsv(['Zoë,Ångström,zoe@example.org', '李,小龍,li@example.org', 'Ada,Lovelace,Ada@Example.ORG']);

async function resultFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.startsWith('rollcall-results-'));
}

async function listed(dir: string): Promise<unknown> {
  const { code, stdout } = await run(['users', '--db', 'db', '--json'], dir);
  expect(code).toBe(0);
  return JSON.parse(stdout);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rollcall-import-cli-'));
  blank = join(root, 'blank');
  const client = new PGlite(blank);
  await migratePostgresStore(client);
  await client.close();
}, 180_000);

afterAll(() => rm(root, { recursive: true, force: true }));

describe('rollcall import', { timeout: 120_000 }, () => {
  it('exits 0, says where the results file is, and writes it for the owner only, with the passwords of the stored users', async () => {
    const dir = await workspace({ 'users.csv': three });
    const { code, stdout, stderr } = await run(['import', 'users.csv', '--db', 'db'], dir);
    expect([code, stderr]).toEqual([0, '']);
    const [name] = await resultFiles(dir);
    expect(name).toMatch(/^rollcall-results-[0-9a-f-]{36}\.csv$/u);
    const path = join(dir, name ?? '');
    expect(stdout).toContain('Your import was successful: 3 users created.\n');
    expect(stdout).toContain(`Their temporary passwords are in ${path}\n`);
    expect(stdout).toContain('The passwords are shown only once');
    expect((await stat(path)).mode & 0o777).toBe(0o600);

    const bytes = await readFile(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records: string[][] = parse(bytes, { bom: true });
    const [header, ...rows] = records;
    expect(header).toEqual(['First Name', 'Last Name', 'Email', 'Temporary Password']);
    expect(rows.map((r) => r.slice(0, 3))).toEqual([
      ['Zoë', 'Ångström', 'zoe@example.org'],
      ['李', '小龍', 'li@example.org'],
      ['Ada', 'Lovelace', 'Ada@example.org'],
    ]);
    const passwords = rows.map((r) => r[3] ?? '');
    for (const password of passwords) expect(password).toMatch(/^[A-Za-z][A-Za-z0-9]{15}$/u);
    expect(passwords.filter((p) => stdout.includes(p) || stderr.includes(p))).toEqual([]);

    expect(await listed(dir)).toEqual({
      users: [
        { email: 'Ada@example.org', firstName: 'Ada', lastName: 'Lovelace', attributes: {}, id: expect.any(String) as unknown },
        { email: 'li@example.org', firstName: '李', lastName: '小龍', attributes: {}, id: expect.any(String) as unknown },
        { email: 'zoe@example.org', firstName: 'Zoë', lastName: 'Ångström', attributes: {}, id: expect.any(String) as unknown },
      ],
    });
    // The database folder holds the hashes, never the passwords.
    const { PGlite } = await import('@electric-sql/pglite');
    const db = new PGlite(join(dir, 'db'));
    const stored = (await db.query('SELECT * FROM rollcall_users')).rows;
    await db.close();
    expect(JSON.stringify(stored)).toContain(hashSecret(passwords[0] ?? ''));
    expect(passwords.filter((p) => JSON.stringify(stored).includes(p))).toEqual([]);
  });

  it('prints one JSON object on success, naming the default results file in the working directory', async () => {
    const dir = await workspace({ 'users.csv': three });
    const { code, stdout } = await run(['import', 'users.csv', '--db', 'db', '--json'], dir);
    expect(code).toBe(0);
    const output = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(output)).toEqual(['imported', 'importId', 'created', 'skipped', 'resultsFile', 'replayed']);
    expect(output).toEqual({
      imported: true,
      importId: expect.stringMatching(/^[0-9a-f-]{36}$/u) as unknown,
      created: 3,
      skipped: 0,
      resultsFile: join(dir, `rollcall-results-${String(output.importId)}.csv`),
      replayed: false,
    });
    expect(await resultFiles(dir)).toEqual([`rollcall-results-${String(output.importId)}.csv`]);
  });

  it('exits 1 and imports nobody when one row is bad, leaving no results file', async () => {
    const dir = await workspace({ 'users.csv': usersCsv(['Zoë,Ångström,zoe@example.org', 'Li,,li@example.org']) });
    const text = await run(['import', 'users.csv', '--db', 'db'], dir);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^Sorry, your import was not successful: no user was imported\.\n\n/u);
    expect(text.stdout).toContain('Last Name is blank');
    const json = await run(['import', 'users.csv', '--db', 'db', '--json'], dir);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      imported: false,
      valid: false,
      rowCount: 2,
      errorCount: 1,
      errors: [{ row: 3, column: 'Last Name', code: 'required' }],
    });
    expect(await resultFiles(dir)).toEqual([]);
    expect(await listed(dir)).toEqual({ users: [] });
  });

  it('fails the second import of the same file with already_exists on every row, and skips them with --on-existing skip', async () => {
    const dir = await workspace({ 'users.csv': three, 'more.csv': usersCsv(['Alan,Turing,alan@example.org', 'Zoë,Ångström,ZOE@example.org']) });
    expect((await run(['import', 'users.csv', '--db', 'db'], dir)).code).toBe(0);
    const again = await run(['import', 'users.csv', '--db', 'db', '--json'], dir);
    expect(again.code).toBe(1);
    const summary = JSON.parse(again.stdout) as { errors: { row: number; code: string; message: string }[] };
    expect(summary.errors.map((e) => [e.row, e.code])).toEqual([[2, 'already_exists'], [3, 'already_exists'], [4, 'already_exists']]);
    // The command line names its own option for skipping them.
    expect(summary.errors[0]?.message).toBe(
      'Row 2: a user with the email "zoe@example.org" already exists. Remove the row, or run the import again with --on-existing skip.',
    );

    const skip = await run(['import', 'more.csv', '--db', 'db', '--on-existing', 'skip'], dir);
    expect(skip.code).toBe(0);
    expect(skip.stdout).toContain('Your import was successful: 1 user created (1 row skipped: those users already exist).');
    expect(((await listed(dir)) as { users: unknown[] }).users).toHaveLength(4);
    expect(await resultFiles(dir)).toHaveLength(2);

    // Skipping every row creates nobody: said so, exit 0 (nothing went wrong), and no results file of no one.
    const none = await run(['import', 'more.csv', '--db', 'db', '--on-existing', 'skip'], dir);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe(
      'Nothing was imported: every user in the file already exists (2 rows skipped). No user was created and no results file was written.\n',
    );
    const json = await run(['import', 'more.csv', '--db', 'db', '--on-existing', 'skip', '--json'], dir);
    expect(JSON.parse(json.stdout)).toMatchObject({ imported: true, created: 0, skipped: 2, resultsFile: null });
    expect(await resultFiles(dir)).toHaveLength(2);
  });

  it('with --import-key, reports the earlier run of the same file and refuses the key for another file', async () => {
    const dir = await workspace({ 'users.csv': three, 'other.csv': usersCsv(['Alan,Turing,alan@example.org']) });
    const first = await run(['import', 'users.csv', '--db', 'db', '--import-key', 'monday', '--json'], dir);
    expect(first.code).toBe(0);
    const again = await run(['import', 'users.csv', '--db', 'db', '--import-key', 'monday', '--json'], dir);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({
      ...(JSON.parse(first.stdout) as object),
      resultsFile: null,
      replayed: true,
    });
    const text = await run(['import', 'users.csv', '--db', 'db', '--import-key', 'monday'], dir);
    expect(text.stdout).toContain('This file was already imported with the import key "monday"');
    expect(text.stdout).toContain('the passwords are not shown again');
    expect(await resultFiles(dir)).toHaveLength(1);

    const other = await run(['import', 'other.csv', '--db', 'db', '--import-key', 'monday'], dir);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('The import key "monday" was used for another file');
    const otherJson = await run(['import', 'other.csv', '--db', 'db', '--import-key', 'monday', '--json'], dir);
    expect(otherJson.code).toBe(2);
    expect(JSON.parse(otherJson.stdout)).toMatchObject({ error: { code: 'import_key_conflict' } });
  });

  it('writes the results where --results says, and never overwrites an existing file', async () => {
    const dir = await workspace({ 'users.csv': three, 'taken.csv': 'earlier passwords' });
    const taken = await run(['import', 'users.csv', '--db', 'db', '--results', 'taken.csv'], dir);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toBe(
      `rollcall import: ${join(dir, 'taken.csv')} already exists; rollcall never overwrites a results file, which may hold the only copy of earlier passwords\n`,
    );
    expect(await readFile(join(dir, 'taken.csv'), 'utf8')).toBe('earlier passwords');
    expect(await listed(dir)).toEqual({ users: [] });

    const chosen = await run(['import', 'users.csv', '--db', 'db', '--results', 'out.csv', '--json'], dir);
    expect(JSON.parse(chosen.stdout)).toMatchObject({ resultsFile: join(dir, 'out.csv') });
    expect((await readFile(join(dir, 'out.csv'), 'utf8')).split('\r\n')).toHaveLength(5);
  });

  it('shows a progress line on standard error only when it is a terminal', async () => {
    const dir = await workspace({ 'a.csv': three, 'b.csv': usersCsv(['Alan,Turing,alan@example.org']) });
    const quiet = await run(['import', 'a.csv', '--db', 'db'], dir);
    expect(quiet.stderr).toBe('');
    const terminal = await run(['import', 'b.csv', '--db', 'db'], dir, { tty: true });
    expect(terminal.stderr).toContain('Reading rows: 1');
    expect(terminal.stderr).toContain('Creating users: 1 of 1');
    expect(terminal.stderr.endsWith('\r\u001b[K')).toBe(true);
  });

  it('leaves no database folder behind for an import that created nobody, and keeps one that was there', async () => {
    const dir = await workspace({ 'bad.csv': usersCsv(['Ada,Lovelace,not-an-email']), 'users.csv': three });
    expect((await run(['import', 'bad.csv'], dir)).code).toBe(1);
    expect(await readdir(dir)).not.toContain('rollcall-data');
    await mkdir(join(dir, 'empty'));
    expect((await run(['import', 'bad.csv', '--db', 'empty'], dir)).code).toBe(1);
    expect(await readdir(join(dir, 'empty'))).toEqual([]);
    // A database that was there stays, users and all.
    expect((await run(['import', 'users.csv', '--db', 'db'], dir)).code).toBe(0);
    expect((await run(['import', 'bad.csv', '--db', 'db'], dir)).code).toBe(1);
    expect(((await listed(dir)) as { users: unknown[] }).users).toHaveLength(3);
    // And so does one this command made for an import that succeeded.
    expect((await run(['import', 'users.csv'], dir)).code).toBe(0);
    expect(await readdir(join(dir, 'rollcall-data'))).toContain('PG_VERSION');
  });

  it('never makes a database of a file or of a folder of other files, and says why', async () => {
    const dir = await workspace({ 'users.csv': three, 'notes.txt': 'not a database' });
    await mkdir(join(dir, 'documents'));
    await writeFile(join(dir, 'documents', 'letter.txt'), 'keep me');

    const file = await run(['import', 'users.csv', '--db', 'notes.txt'], dir);
    expect(file.code).toBe(2);
    expect(file.stderr).toBe(`rollcall import: ${join(dir, 'notes.txt')} is a file, not a database folder\n`);
    const other = await run(['import', 'users.csv', '--db', 'documents'], dir);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(`${join(dir, 'documents')} holds other files and no rollcall database`);
    expect(await readdir(join(dir, 'documents'))).toEqual(['letter.txt']);
    expect((await run(['users', '--db', 'documents'], dir)).code).toBe(2);
    // A link to nowhere (an unmounted volume, say) is neither a database nor a place for one, and stays as it was.
    await symlink(join(dir, 'unmounted', 'volume'), join(dir, 'link'));
    const dangling = await run(['import', 'users.csv', '--db', 'link'], dir);
    expect(dangling.code).toBe(2);
    expect(dangling.stderr).toContain(`cannot use ${join(dir, 'link')} as a database folder: it is a link to something that is not there`);
    expect(await readlink(join(dir, 'link'))).toBe(join(dir, 'unmounted', 'volume'));
    expect(await resultFiles(dir)).toEqual([]);

    // An empty folder is a place for a new database, and the database it becomes is used again.
    await mkdir(join(dir, 'fresh'));
    expect((await run(['import', 'users.csv', '--db', 'fresh', '--results', 'r.csv'], dir)).code).toBe(0);
    expect((await run(['users', '--db', 'fresh', '--json'], dir)).stdout).toContain('Ada@example.org');
  });

  it('names a folder given as --results, and a server that does not answer, in words', async () => {
    const dir = await workspace({ 'users.csv': three });
    await mkdir(join(dir, 'out'));
    const folder = await run(['import', 'users.csv', '--db', 'db', '--results', 'out'], dir);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toBe(`rollcall import: ${join(dir, 'out')} is a folder; give --results the name of a new file\n`);

    const server = await run(['import', 'users.csv', '--db', 'postgres://rollcall:secret@127.0.0.1:1/none'], dir);
    expect(server.code).toBe(2);
    expect(server.stderr).toContain('nothing answers at 127.0.0.1:1 (connection refused); is the PostgreSQL server running?');
    expect(server.stderr).not.toContain('secret');
    // localhost may stand for ::1 and 127.0.0.1, refused together, with no one address to name.
    const local = await run(['import', 'users.csv', '--db', 'postgres://localhost:1/none'], dir);
    expect(local.stderr).toMatch(/nothing answers at (localhost|127\.0\.0\.1|::1):1 \(connection refused\)/u);
  });

  it('exits 2 when it cannot run: bad options, no file, a missing database for users', async () => {
    const dir = await workspace({ 'users.csv': three });
    for (const argv of [
      ['import'],
      ['import', 'users.csv', '--on-existing', 'overwrite'],
      ['import', 'users.csv', '--max-rows', '0'],
      ['import', 'users.csv', '--import-key', ''],
      ['import', 'missing.csv'],
      ['users', '--db', 'nowhere'],
      ['users', 'extra'],
    ]) {
      const { code, stderr } = await run(argv, dir);
      expect([argv, code]).toEqual([argv, 2]);
      expect(stderr).not.toBe('');
    }
    expect(await resultFiles(dir)).toEqual([]);
  });

  it('imports examples/users.csv, the file docs/importing.md walks through, with every name intact', async () => {
    const dir = await workspace();
    const example = fileURLToPath(new URL('../../examples/users.csv', import.meta.url));
    const { code, stdout } = await run(['import', example, '--db', 'db', '--results', 'results.csv'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('Your import was successful: 9 users created.');
    const { users } = (await listed(dir)) as { users: { firstName: string; lastName: string }[] };
    expect(users.map((u) => `${u.firstName} ${u.lastName}`).sort()).toEqual(
      ['Zoë Ångström', 'José Núñez', 'Siobhán O’Brien', 'Søren Kierkegård', 'Ayşe Yılmaz', 'Анна Каренина', '美咲 佐藤', 'Thị Lan Nguyễn', 'Mary Ann Smith, Jr.'].sort(),
    );
  });

  it('lists users as text, one per line, and counts them', async () => {
    const dir = await workspace({ 'users.csv': three });
    await run(['import', 'users.csv', '--db', 'db'], dir);
    const { code, stdout } = await run(['users', '--db', 'db'], dir);
    expect(code).toBe(0);
    expect(stdout).toBe(
      `Ada@example.org  Ada Lovelace\nli@example.org  李 小龍\nzoe@example.org  Zoë Ångström\n3 users in ${join(dir, 'db')}\n`,
    );
  });

  it('stops with the store_busy line, writing nothing and leaving no results file, while another holds the database folder', async () => {
    const dir = await workspace({ 'users.csv': three });
    const holder = await openFolderStore(join(dir, 'db'));
    try {
      const busy = await run(['import', 'users.csv', '--db', 'db', '--wait', '0', '--json'], dir);
      expect(busy.code).toBe(2);
      const line = busy.stderr.replace(/since \d\d:\d\d:\d\d/u, 'since T');
      expect(line).toBe(
        `rollcall import: the database folder ${join(dir, 'db')} is in use by another rollcall command (pid ${String(process.pid)}, since T); try again when it has finished\n`,
      );
      expect(JSON.parse(busy.stdout)).toEqual({ error: { code: 'store_busy', message: busy.stderr.slice('rollcall import: '.length, -1) } });
      expect(await resultFiles(dir)).toEqual([]);
      expect((await run(['users', '--db', 'db', '--wait', '0'], dir)).stderr).toMatch(/^rollcall users: the database folder .* is in use/u);
    } finally {
      await holder.close();
    }
    expect(((await listed(dir)) as { users: unknown[] }).users).toEqual([]);
  });
});

describe('rollcall import: workbooks', { timeout: 120_000 }, () => {
  it('imports the users of the sheet --sheet names from an .xlsx', async () => {
    const dir = await workspace();
    const header = ['First Name', 'Last Name', 'Email'];
    const book = xlsx({
      sheets: [
        { name: 'Staff', rows: [header, ['Ada', 'Lovelace', 'ada@example.org']] },
        { name: 'Contractors', rows: [header, ['Grace', 'Hopper', 'grace@example.org']] },
      ],
    });
    await writeFile(join(dir, 'users.xlsx'), book);
    const { code, stderr } = await run(['import', 'users.xlsx', '--db', 'db', '--sheet', 'Contractors', '--json'], dir);
    expect([code, stderr]).toEqual([0, '']);
    expect(await listed(dir)).toMatchObject({ users: [{ email: 'grace@example.org' }] });
  });
});
