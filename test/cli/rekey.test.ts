import { PGlite } from '@electric-sql/pglite';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './run-cli.js';

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'rollcall-rekey-cli-'));
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

describe('issue 27 finding 2: a database folder made by an earlier rollcall', { timeout: 180_000 }, () => {
  it('is re-keyed when a command opens it, which reports two users of one mailbox on stderr', async () => {
    await writeFile(join(cwd, 'users.csv'), 'First Name,Last Name,Email\r\nDee,Real,dee@example.net\r\n');
    const imported = await run(['import', 'users.csv', '--db', 'db', '--results', 'res.csv', '--json'], { cwd });
    expect([imported.code, imported.stderr]).toEqual([0, '']);

    // What an earlier rollcall left: a look-alike user under its lowercased spelling, and no re-key step run.
    const db = new PGlite(join(cwd, 'db'));
    await db.query(
      `INSERT INTO rollcall_users (email, email_key, first_name, last_name) VALUES ('dee@ℯxample.net', 'dee@ℯxample.net', 'Dee', 'Look'),
        ('bo@xn--bcher-kva.de', 'bo@xn--bcher-kva.de', 'Bo', 'Old')`,
    );
    await db.query('DELETE FROM rollcall_migrations');
    await db.close();

    const listed = await run(['users', '--db', 'db', '--json'], { cwd });
    expect(listed.code).toBe(0);
    expect(listed.stderr).toMatch(/^rollcall: user \d+ \(dee@ℯxample\.net\) is the mailbox of another user \(dee@example\.net\); keep one of them\n$/u);
    const again = await run(['users', '--db', 'db', '--json'], { cwd });
    expect([again.code, again.stderr]).toEqual([0, '']);

    await writeFile(join(cwd, 'bo.csv'), 'First Name,Last Name,Email\r\nBo,New,bo@bücher.de\r\n');
    const clash = await run(['import', 'bo.csv', '--db', 'db', '--results', 'bo-res.csv', '--json'], { cwd });
    expect(clash.code).toBe(1);
    expect(clash.stdout).toContain('already_exists');
  });
});
