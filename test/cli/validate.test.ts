import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { csvUtf8, csvWindows1252, unicodeText } from '../helpers/excel-files.js';
import { xlsx } from '../helpers/xlsx.js';
import { run } from './run-cli.js';

let dir: string;
const files: Record<string, Uint8Array> = {
  'valid.csv': csvUtf8('First Name,Last Name,Email\r\nAda,Lovelace,ada@example.com\r\nSeán,O’Brien,sean@example.ie\r\n'),
  'ansi.csv': csvWindows1252('First Name;Last Name;Email\r\nSeán;O’Brien;sean@example.ie\r\n'),
  'unicode.txt': unicodeText('First Name\tLast Name\tEmail\r\n美咲\t佐藤\tmisaki@example.jp\r\n'),
  'problems.csv': csvUtf8('First Name,Last Name,Email\r\nAda,,ada@example.com\r\nAlan,Turing,alan@\r\nAda,L,ADA@example.com\r\n'),
  'broken.xlsx': new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00]),
  // Named .csv on purpose: a workbook is told apart by its content.
  'book.csv': xlsx({
    sheets: [
      { name: 'Staff', rows: [['First Name', 'Last Name', 'Email'], ['Ada', 'Lovelace', 'ada@example.com'], ['Alan', 'Turing', 'alan@example.com']] },
      { name: 'Contractors', rows: [['First Name', 'Last Name', 'Email'], ['Grace', 'Hopper', 'grace@example']] },
    ],
  }),
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rollcall-cli-'));
  for (const [name, bytes] of Object.entries(files)) await writeFile(join(dir, name), bytes);
});

describe('rollcall validate', () => {
  it('exits 0 and says how many users are ready for a valid file', async () => {
    const { code, stdout } = await run(['validate', join(dir, 'valid.csv')]);
    expect(code).toBe(0);
    expect(stdout).toBe('The file is valid: 2 users ready to import.\n');
  });

  it('exits 1 with the error table for a file with problems', async () => {
    const { code, stdout } = await run(['validate', join(dir, 'problems.csv')]);
    expect(code).toBe(1);
    expect(stdout).toContain('Row 2: Last Name is blank');
    expect(stdout).toContain('is not a valid email address');
    expect(stdout).toContain('is already in row 2');
  });

  it('prints exactly one JSON object with --json, with the contract keys', async () => {
    const { code, stdout } = await run(['validate', '--json', join(dir, 'problems.csv')]);
    expect(code).toBe(1);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const json = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['valid', 'rowCount', 'errorCount', 'errors', 'warnings', 'truncated', 'file']));
    expect(json).toMatchObject({ valid: false, rowCount: 3, errorCount: 3, truncated: false });
    expect((json.errors as { row: number; column: string; code: string }[]).map((e) => [e.row, e.column, e.code])).toEqual([
      [2, 'Last Name', 'required'],
      [3, 'Email', 'invalid_email'],
      [4, 'Email', 'duplicate_in_file'],
    ]);
  });

  it('judges windows-1252 semicolon files and UTF-16 tab files', async () => {
    const ansi = JSON.parse((await run(['validate', '--json', join(dir, 'ansi.csv')])).stdout) as { valid: boolean; file: object; warnings: { code: string }[] };
    expect(ansi).toMatchObject({ valid: true, file: { encoding: 'windows-1252', delimiter: ';' } });
    expect(ansi.warnings.map((w) => w.code)).toEqual(['decoded_as_windows_1252']);
    const unicode = await run(['validate', '--json', join(dir, 'unicode.txt')]);
    expect(unicode.code).toBe(0);
    expect(JSON.parse(unicode.stdout)).toMatchObject({ valid: true, file: { encoding: 'utf-16le', delimiter: '\t' } });
  });

  it('reads a workbook, whatever its name, and a sheet named with --sheet', async () => {
    const first = await run(['validate', join(dir, 'book.csv')]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('The file is valid: 2 users ready to import.');
    const firstJson = JSON.parse((await run(['validate', '--json', join(dir, 'book.csv')])).stdout) as { file: object; warnings: { code: string }[] };
    expect(firstJson.file).toMatchObject({ format: 'xlsx', sheet: 'Staff' });
    expect(firstJson.warnings.map((w) => w.code)).toEqual(['other_sheet_has_data']);
    const named = await run(['validate', '--json', '--sheet', 'Contractors', join(dir, 'book.csv')]);
    expect(named.code).toBe(1);
    const json = JSON.parse(named.stdout) as { file: object; errors: { row: number; code: string }[] };
    expect(json.file).toMatchObject({ format: 'xlsx', sheet: 'Contractors' });
    expect(json.errors.map((e) => [e.row, e.code])).toEqual([[2, 'invalid_email']]);
  });

  it('exits 1 for a sheet the workbook does not have, and for a damaged workbook', async () => {
    const message = async (args: string[]): Promise<[number, string | undefined]> => {
      const { code, stdout } = await run(['validate', '--json', ...args]);
      return [code, (JSON.parse(stdout) as { errors: { message: string }[] }).errors[0]?.message];
    };
    const [missingCode, missing] = await message(['--sheet', 'Users', join(dir, 'book.csv')]);
    expect(missingCode).toBe(1);
    expect(missing).toContain('The workbook has no worksheet named "Users"; its worksheets are "Staff", "Contractors".');
    const [brokenCode, broken] = await message([join(dir, 'broken.xlsx')]);
    expect(brokenCode).toBe(1);
    expect(broken).toContain('This workbook cannot be read: the workbook is damaged or incomplete');
  });

  it('overrides limits with --max-rows and --max-bytes', async () => {
    const rows = JSON.parse((await run(['validate', '--json', '--max-rows', '1', join(dir, 'valid.csv')])).stdout) as { errors: { code: string }[] };
    expect(rows.errors.map((e) => e.code)).toEqual(['too_many_rows']);
    const bytes = JSON.parse((await run(['validate', '--json', '--max-bytes', '10', join(dir, 'valid.csv')])).stdout) as { errors: { code: string }[] };
    expect(bytes.errors.map((e) => e.code)).toEqual(['file_too_large']);
  });

  it('reads standard input for -, a CSV file or a workbook', async () => {
    const { code } = await run(['validate', '-'], { stdin: files['valid.csv']! });
    expect(code).toBe(0);
    expect((await run(['validate', '-'], { stdin: files['book.csv']! })).code).toBe(0);
  });

  it('exits 2 when it cannot run: no file, a missing path, a bad option', async () => {
    expect((await run(['validate'])).code).toBe(2);
    const missing = await run(['validate', join(dir, 'nope.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`rollcall validate: cannot read ${join(dir, 'nope.csv')}: no such file or folder\n`);
    const folder = await run(['validate', dir]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toBe(`rollcall validate: cannot read ${dir}: not a file\n`);
    const option = await run(['validate', '--max-rows', 'ten', join(dir, 'valid.csv')]);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('--max-rows takes a positive whole number, got "ten"');
    expect(option.stderr).toContain('Usage: rollcall validate');
    expect(option.stderr.split('\n')).toHaveLength(4); // the reason, the synopsis, where the options are, ''
    expect((await run(['nonsense'])).code).toBe(2);
  });

  it('with --json, prints why it could not run as one object on standard output too', async () => {
    const path = join(dir, 'nope.csv');
    const missing = await run(['validate', path, '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toEqual({ error: { code: 'cannot_run', message: `cannot read ${path}: no such file or folder` } });
    expect(missing.stderr).toBe(`rollcall validate: cannot read ${path}: no such file or folder\n`);
    const option = await run(['validate', '--max-rows', 'ten', '--json', join(dir, 'valid.csv')]);
    expect(JSON.parse(option.stdout)).toEqual({ error: { code: 'usage', message: '--max-rows takes a positive whole number, got "ten"' } });
    // Without --json, standard output stays empty.
    expect((await run(['validate', path])).stdout).toBe('');
  });

  it('names an unknown option with the one it most likely means, and only the synopsis after it', async () => {
    const file = join(dir, 'valid.csv');
    const typo = await run(['validate', '--jsn', file]);
    expect(typo.code).toBe(2);
    expect(typo.stderr.split('\n')).toEqual([
      'rollcall validate: unknown option --jsn (did you mean --json?)',
      expect.stringMatching(/^Usage: rollcall validate FILE /u),
      'See rollcall validate --help for every option.',
      '',
    ]);
    expect((await run(['validate', '--max-r', '5', file])).stderr).toContain('unknown option --max-r (did you mean --max-rows?)');
    expect((await run(['validate', '--max-issue=5', file])).stderr).toContain('unknown option --max-issue (did you mean --max-issues?)');
    expect((await run(['validate', '--frobnicate', file])).stderr).toContain('rollcall validate: unknown option --frobnicate\n');
    expect((await run(['validate', '-x', file])).stderr).toContain('rollcall validate: unknown option -x\n');
    // Nothing is guessed for a short flag or a short name, which would be near --db for import.
    expect((await run(['import', '-x', file])).stderr).toContain('rollcall import: unknown option -x\n');
    expect((await run(['import', '--to', file])).stderr).toContain('rollcall import: unknown option --to\n');
    expect((await run(['import', '--skip', file])).stderr).toContain('rollcall import: unknown option --skip\n');
    expect((await run(['import', '--reslts', 'r.csv', file])).stderr).toContain('unknown option --reslts (did you mean --results?)');
  });
});
