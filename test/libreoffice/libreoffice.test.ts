import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorSummary } from '../../src/report/summary.js';
import { usersSchema } from '../../src/schema/users.js';
import { generateTemplate } from '../../src/template/generate-template.js';
import { excelRow } from '../../src/testing/excel-row.js';
import { fileRows } from '../../src/testing/file-rows.js';
import { validateFile } from '../../src/validate/validate-rows.js';

// LibreOffice, a real spreadsheet program, converts rollcall's inputs and outputs: `.ci/run` installs Debian's
// libreoffice-calc-nogui and runs this file with `npm run test:libreoffice`.
const run = promisify(execFile);
let dir: string;

/** Converts files with one soffice process (a HOME of its own), returning the converted files' paths. */
async function convert(files: readonly string[], to: string, infilter?: string): Promise<string[]> {
  const args = ['--headless', ...(infilter === undefined ? [] : [`--infilter=${infilter}`]), '--convert-to', to, '--outdir', join(dir, to.split(':')[0] ?? to), ...files];
  await run('soffice', args, { env: { ...process.env, HOME: join(dir, 'home') }, timeout: 300_000 });
  const ext = (to.split(':')[0] ?? to);
  return files.map((file) => join(dir, ext, `${file.slice(file.lastIndexOf('/') + 1).replace(/\.[^.]+$/u, '')}.${ext}`));
}

/** What a summary says about the users, leaving out how the file was stored. */
function content(summary: ErrorSummary): unknown {
  const { file, errors, warnings, ...rest } = summary;
  const shown = (list: typeof errors) => list.map((e) => [e.row, e.column, e.code, e.value]);
  return { ...rest, errors: shown(errors), warnings: shown(warnings), columns: file.columns };
}

const header = 'First Name,Last Name,Email';
const handWritten: Record<string, string> = {
  valid: `${header}\r\nAda,Lovelace,ada@example.com\r\nZoë,Ångström,zoe@example.org\r\n李,小龍,li@example.cn\r\n"Smith, Jr.",O'Brien,bob@example.ie\r\n`,
  problems: `${header}\r\nAda,,ada@example.com\r\nAlan,Turing,alan@\r\nGrace,Hopper,ADA@example.com\r\n\r\n,,\r\nMary Ann,"Line\nBreak",mary@example.com\r\n`,
  reordered: `Email,Last Name,Department,First Name\r\nada@example.com,Lovelace,Research,Ada\r\nalan@example.com,Turing,,Alan\r\n`,
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rollcall-libreoffice-'));
  const sampled = fc.sample(fileRows(usersSchema), { numRuns: 4, seed: 18 });
  sampled.forEach((rows, i) => {
    const lines = rows.map((row) => excelRow(usersSchema.keys.map((key) => row.cells[key] ?? ''), { delimiter: ',', quoting: 'minimal', trailingEmptyCells: 0 }));
    handWritten[`generated-${i}`] = [header, ...lines].join('\r\n') + '\r\n';
  });
  for (const [name, text] of Object.entries(handWritten)) await writeFile(join(dir, `${name}.csv`), `\uFEFF${text}`);
}, 60_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('law: LibreOffice turns a users CSV into .xlsx and .ods that validate to the same summary', { timeout: 600_000 }, () => {
  it.each(['xlsx', 'ods'])('as %s', async (format) => {
    const names = Object.keys(handWritten);
    const csvs = names.map((name) => join(dir, `${name}.csv`));
    // Comma, double quote, UTF-8, from line 1; token 13 false: a cell typed `=x` stays text, as the CSV has it
    // (LibreOffice would otherwise evaluate it, and rollcall rightly report its #NAME? as excel_error).
    const converted = await convert(csvs, format, 'CSV:44,34,76,1,,0,false,false,false,false,false,-1,false');
    for (const [i, name] of names.entries()) {
      const fromCsv = await validateFile(await readFile(csvs[i] ?? ''));
      const fromBook = await validateFile(await readFile(converted[i] ?? ''));
      expect({ name, summary: content(fromBook) }).toEqual({ name, summary: content(fromCsv) });
      expect(fromBook.file.format).toBe(format);
    }
  });
});

describe("LibreOffice opens rollcall's .xlsx template", { timeout: 600_000 }, () => {
  it('and converting it to CSV gives the template\'s cells', async () => {
    const path = join(dir, 'template.xlsx');
    await writeFile(path, generateTemplate(usersSchema, { format: 'xlsx', exampleRow: true }).bytes);
    const [csv] = await convert([path], 'csv:Text - txt - csv (StarCalc):44,34,76');
    const text = (await readFile(csv ?? '', 'utf8')).replace(/^\uFEFF/u, '');
    const { columns } = generateTemplate(usersSchema, { exampleRow: true });
    const example = columns.map((key) => (usersSchema.columns as Record<string, { example?: string } | undefined>)[key]?.example ?? '');
    expect(text.trim().split(/\r?\n/u)).toEqual(['First Name *,Last Name *,Email *', example.join(',')]);
  });
});
