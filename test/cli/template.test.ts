import { lstat, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFile } from '../../src/validate/validate-rows.js';
import { run } from './run-cli.js';

const bytesOf = (text: string): number[] => Array.from(new TextEncoder().encode(text));

describe('rollcall template', () => {
  it('writes the Excel template to standard output: BOM EF BB BF, the labels, CRLF', async () => {
    const { code, stdout, stderr } = await run(['template']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(bytesOf(stdout)).toEqual([0xef, 0xbb, 0xbf, ...bytesOf('First Name,Last Name,Email'), 0x0d, 0x0a]);
  });

  it('writes the file named by --out, with the example row, ; and LF without a BOM when asked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rollcall-template-'));
    const { code, stdout, stderr } = await run(['template', '--out', 'users.csv', '--example', '--delimiter', ';', '--no-bom', '--lf'], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toBe('Wrote the import template to users.csv.\n');
    const bytes = await readFile(join(dir, 'users.csv'));
    expect(Array.from(bytes)).toEqual(bytesOf('First Name;Last Name;Email\nAda;Lovelace;ada.lovelace@example.com\n'));
    const summary = await validateFile(bytes);
    expect(summary.errors.map((e) => [e.row, e.code])).toEqual([[2, 'example_row']]);
  });

  it('writes the default template to --out byte for byte, and it validates once a user is added', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rollcall-template-'));
    expect((await run(['template', '--out', join(dir, 't.csv'), '--delimiter', 'tab'])).code).toBe(0);
    const bytes = await readFile(join(dir, 't.csv'));
    expect(Array.from(bytes.subarray(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toBe('\uFEFFFirst Name\tLast Name\tEmail\r\n');
    const filled = Buffer.concat([bytes, Buffer.from('Zoë\tÅngström\tzoe@example.com\r\n')]);
    expect(await validateFile(filled)).toMatchObject({ valid: true, rowCount: 1 });
  });

  it('refuses an unknown delimiter, a stray argument and an unwritable --out with exit code 2', async () => {
    const bad = await run(['template', '--delimiter', ':']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--delimiter takes , ; | or tab, got ":"');
    expect(bad.stderr).toContain('Usage: rollcall template');
    expect((await run(['template', 'users.csv'])).code).toBe(2);
    // A folder that is not there is no mistake in the command line: the reason alone, without the usage.
    const out = join(tmpdir(), 'no-such-dir-rollcall', 'x.csv');
    const missing = await run(['template', '--out', out]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`rollcall template: cannot write ${out}: no such file or folder\n`);
  });

  it('is listed in the command overview and prints its own usage', async () => {
    expect((await run(['--help'])).stdout).toContain('template   Writes the users import template');
    const help = await run(['template', '--help']);
    expect(help.stdout).toContain('--example');
  });
});

// Finding 11 of issue 27: `--out users.csv` replaced the admin's filled-in file without a word, and wrote
// through a symbolic link to wherever it pointed.
describe('finding 11: rollcall template --out never destroys a file without --force', () => {
  const filled = 'First Name,Last Name,Email\r\nAda,Lovelace,ada@example.com\r\n';

  it('refuses an existing file, leaving it as it was', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'rollcall-template-out-'));
    await writeFile(join(cwd, 'users.csv'), filled);
    const result = await run(['template', '--out', 'users.csv'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('rollcall template: users.csv already exists and may be a filled-in file. Choose another name, or give --force to replace it.\n');
    expect(await readFile(join(cwd, 'users.csv'), 'utf8')).toBe(filled);
  });

  it('refuses a symbolic link, even one to nowhere, and writes nothing where it points', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'rollcall-template-out-'));
    await writeFile(join(cwd, 'users.csv'), filled);
    await symlink(join(cwd, 'users.csv'), join(cwd, 'link.csv'));
    await symlink(join(cwd, 'nowhere.csv'), join(cwd, 'dangling.csv'));
    for (const out of ['link.csv', 'dangling.csv']) {
      const result = await run(['template', '--out', out], { cwd });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${out} is a symbolic link; rollcall does not write through one`);
    }
    expect(await readFile(join(cwd, 'users.csv'), 'utf8')).toBe(filled);
    expect((await readdir(cwd)).sort()).toEqual(['dangling.csv', 'link.csv', 'users.csv']);
  });

  it('with --force, replaces the file whole, and a symbolic link by a file, leaving its target alone', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'rollcall-template-out-'));
    await writeFile(join(cwd, 'users.csv'), filled);
    await writeFile(join(cwd, 'target.csv'), filled);
    await symlink(join(cwd, 'target.csv'), join(cwd, 'link.csv'));
    const template = (await run(['template'])).stdout;
    for (const out of ['users.csv', 'link.csv']) {
      const result = await run(['template', '--out', out, '--force'], { cwd });
      expect([out, result.code, result.stderr]).toEqual([out, 0, `Wrote the import template to ${out}.\n`]);
      expect((await lstat(join(cwd, out))).isFile()).toBe(true);
      expect(await readFile(join(cwd, out), 'utf8')).toBe(template);
    }
    expect(await readFile(join(cwd, 'target.csv'), 'utf8')).toBe(filled);
    expect((await readdir(cwd)).sort()).toEqual(['link.csv', 'target.csv', 'users.csv']);
  });

  it('takes --force only with --out', async () => {
    const result = await run(['template', '--force']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--force goes with --out FILE');
  });
});

describe('rollcall template --format xlsx', () => {
  it('refuses an existing file without --force as the CSV template does, and replaces it with --force', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'rollcall-template-xlsx-'));
    await writeFile(join(cwd, 'users.xlsx'), 'filled in');
    const refused = await run(['template', '--format', 'xlsx', '--out', 'users.xlsx'], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('rollcall template: users.xlsx already exists and may be a filled-in file. Choose another name, or give --force to replace it.\n');
    expect(await readFile(join(cwd, 'users.xlsx'), 'utf8')).toBe('filled in');
    const forced = await run(['template', '--format', 'xlsx', '--out', 'users.xlsx', '--force'], { cwd });
    expect(forced.code).toBe(0);
    // A zip: the workbook's local file header signature.
    expect(Array.from((await readFile(join(cwd, 'users.xlsx'))).subarray(0, 4))).toEqual([0x50, 0x4b, 0x03, 0x04]);
  });

  it('refuses the options that only a CSV template has', async () => {
    for (const option of [['--delimiter', ';'], ['--no-bom'], ['--lf']]) {
      const result = await run(['template', '--format', 'xlsx', '--out', 'never.xlsx', ...option]);
      expect([option[0], result.code]).toEqual([option[0], 2]);
      expect(result.stderr).toContain(`${option[0] ?? ''} is for the CSV template`);
    }
  });
});
