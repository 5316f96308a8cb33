import { lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResultsFile } from '../../src/cli/results-file.js';

let root: string;
let made = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rollcall-results-file-'));
});

afterAll(() => rm(root, { recursive: true, force: true }));

async function folder(): Promise<string> {
  made += 1;
  const dir = join(root, `f${String(made)}`);
  await mkdir(dir);
  return dir;
}

const text = 'First Name,Last Name,Email,Temporary Password\r\nAda,Lovelace,ada@example.org,Xk3p9Qm2Lw7Rt5Vz\r\n';

describe('the results file of rollcall import', () => {
  it('is never under its name before it is complete, so a killed import leaves no file to block the rerun (issue 27, finding 6)', async () => {
    const dir = await folder();
    const path = join(dir, 'results.csv');
    const pending = await createResultsFile(path);
    // Created before the import, readable by its owner only, under a temporary name beside the file.
    const [temp, ...others] = await readdir(dir);
    expect(others).toEqual([]);
    expect(temp).toMatch(/^\.rollcall-results-[0-9a-f-]{36}\.tmp$/u);
    expect((await stat(join(dir, temp ?? ''))).mode & 0o777).toBe(0o600);
    // What a kill at this point leaves does not take the name: the same command can run again.
    const again = await createResultsFile(path);
    await again.dispose();

    await pending.commit(text);
    expect(await readdir(dir)).toEqual(['results.csv']);
    expect(await readFile(path, 'utf8')).toBe(text);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await pending.dispose();
    expect(await readFile(path, 'utf8')).toBe(text);
  });

  it('is removed with its temporary name when nothing was written', async () => {
    const dir = await folder();
    const pending = await createResultsFile(join(dir, 'results.csv'));
    await pending.dispose();
    await pending.dispose();
    expect(await readdir(dir)).toEqual([]);
  });

  it('never replaces a file that took its name while the import ran, and keeps the passwords under the temporary name', async () => {
    const dir = await folder();
    const path = join(dir, 'results.csv');
    const pending = await createResultsFile(path);
    await writeFile(path, 'earlier passwords');
    const failure = await pending.commit(text).then(
      () => undefined,
      (error: unknown) => error as { kind: string; keptAt: string; message: string },
    );
    expect(failure).toMatchObject({ kind: 'kept', message: `${path} appeared while the import ran, and rollcall never overwrites a results file` });
    await pending.dispose();
    expect(await readFile(path, 'utf8')).toBe('earlier passwords');
    expect(await readFile(failure?.keptAt ?? '', 'utf8')).toBe(text);
    expect((await stat(failure?.keptAt ?? '')).mode & 0o777).toBe(0o600);
  });

  it('refuses a name that is taken by a file, a folder or a link, and a folder that is not there, before anything is created', async () => {
    const dir = await folder();
    await writeFile(join(dir, 'taken.csv'), '');
    await mkdir(join(dir, 'sub'));
    await symlink(join(dir, 'nowhere.csv'), join(dir, 'link.csv'));
    await expect(createResultsFile(join(dir, 'taken.csv'))).rejects.toThrow(
      `${join(dir, 'taken.csv')} already exists; rollcall never overwrites a results file, which may hold the only copy of earlier passwords`,
    );
    await expect(createResultsFile(join(dir, 'sub'))).rejects.toThrow(`${join(dir, 'sub')} is a folder; give --results the name of a new file`);
    await expect(createResultsFile(join(dir, 'link.csv'))).rejects.toThrow('already exists');
    await expect(createResultsFile(join(dir, 'missing', 'r.csv'))).rejects.toThrow(
      `cannot create the results file ${join(dir, 'missing', 'r.csv')}: no such file or folder`,
    );
    await expect(createResultsFile(join(dir, 'taken.csv', 'r.csv'))).rejects.toThrow('cannot create the results file');
    expect((await readdir(dir)).sort()).toEqual(['link.csv', 'sub', 'taken.csv']);
    expect((await lstat(join(dir, 'link.csv'))).isSymbolicLink()).toBe(true);
  });
});
