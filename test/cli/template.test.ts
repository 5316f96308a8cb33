import { mkdtemp, readFile } from 'node:fs/promises';
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
