import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ErrorSummary } from '../../src/report/summary.js';
import { column } from '../../src/schema/column.js';
import { usersSchema } from '../../src/schema/users.js';
import { validateFile, validateRows } from '../../src/validate/validate-rows.js';
import { csvUtf8, csvWindows1252, plainUtf8, unicodeText, utf16be } from '../helpers/excel-files.js';

const header = 'First Name,Last Name,Email\r\n';

/** The issues of a summary as [row, column, code] triples, the way an admin reads the table. */
function table(summary: ErrorSummary): [number | null, string | null, string][] {
  return summary.errors.map((e) => [e.row, e.column, e.code]);
}

describe('validateFile: files Excel writes', () => {
  it('accepts CSV UTF-8 with a BOM and reports what it detected', async () => {
    const summary = await validateFile(csvUtf8(`${header}Zoë,Ångström,zoe@example.com\r\nJosé,Núñez,jose@example.es\r\n`));
    expect(summary.valid).toBe(true);
    expect(summary.rowCount).toBe(2);
    expect(summary.file).toMatchObject({ encoding: 'utf-8', bom: true, delimiter: ',' });
    expect(summary.file.columns.map((c) => c.key)).toEqual(['firstName', 'lastName', 'email']);
  });

  it('reads windows-1252 (Excel "CSV (Comma delimited)"), including bytes 0x80-0x9F, with a warning', async () => {
    const rows = [];
    const stream = validateRows(csvWindows1252(`${header}Seán,O’Brien,sean@example.ie\r\nŠárka,Œuvre—Žák,sarka@example.cz\r\n`));
    for await (const row of stream) rows.push(row);
    expect(rows).toEqual([
      { row: 2, valid: true, value: { firstName: 'Seán', lastName: 'O’Brien', email: 'sean@example.ie' } },
      { row: 3, valid: true, value: { firstName: 'Šárka', lastName: 'Œuvre—Žák', email: 'sarka@example.cz' } },
    ]);
    const summary = await stream.summary();
    expect(summary.file.encoding).toBe('windows-1252');
    expect(summary.warnings.map((w) => w.code)).toEqual(['decoded_as_windows_1252']);
    expect(summary.valid).toBe(true);
  });

  it('reads semicolon files from European Excel', async () => {
    const summary = await validateFile(csvWindows1252('First Name;Last Name;E-Mail\r\nJürgen;"Groß; Jr";jurgen@example.de\r\n'));
    expect(summary.file.delimiter).toBe(';');
    expect(summary).toMatchObject({ valid: true, rowCount: 1 });
  });

  it('reads UTF-16 "Unicode Text" (tab-separated), little- and big-endian', async () => {
    for (const encode of [unicodeText, utf16be]) {
      const summary = await validateFile(encode('First Name\tLast Name\tEmail\r\n美咲\t佐藤\tmisaki@example.jp\r\n'));
      expect(summary).toMatchObject({ valid: true, rowCount: 1 });
      expect(summary.file.delimiter).toBe('\t');
      expect(summary.file.encoding).toBe(encode === unicodeText ? 'utf-16le' : 'utf-16be');
    }
  });

  it('reads CR-only line endings (old Mac Excel)', async () => {
    const summary = await validateFile(plainUtf8('First Name,Last Name,Email\rAda,Lovelace,ada@example.com\rAlan,Turing,alan@example.com\r'));
    expect(summary).toMatchObject({ valid: true, rowCount: 2 });
  });

  it('ignores trailing empty columns and rows of only delimiters, keeping Excel row numbers', async () => {
    const summary = await validateFile(
      csvUtf8('First Name,Last Name,Email,,\r\nAda,Lovelace,ada@example.com,,\r\n,,,,\r\n\r\nAlan,,alan@example.com,,\r\n'),
    );
    expect(summary.rowCount).toBe(2);
    expect(table(summary)).toEqual([[5, 'Last Name', 'required']]);
    expect(summary.warnings).toEqual([]);
  });

  it('matches header variants in any order, and warns about unknown columns', async () => {
    const summary = await validateFile(csvUtf8(' E-Mail ,LAST_NAME,first name,Favourite Colour\r\nada@example.com,Lovelace,Ada,green\r\n'));
    expect(summary.valid).toBe(true);
    expect(summary.file.columns.map((c) => [c.key, c.index])).toEqual([['email', 0], ['lastName', 1], ['firstName', 2]]);
    expect(summary.warnings.map((w) => [w.row, w.code, w.value])).toEqual([[1, 'unknown_column', 'Favourite Colour']]);
  });

  it('counts a quoted cell spanning lines as one row', async () => {
    const summary = await validateFile(csvUtf8(`${header}"Mary\nAnn",Smith,mary@example.com\r\nBob,,bob@example.com\r\n`));
    expect(table(summary)).toEqual([
      [2, 'First Name', 'invalid_value'],
      [3, 'Last Name', 'required'],
    ]);
  });

  it('keeps leading zeros and long digit strings as typed', async () => {
    const schema = usersSchema.extend({ employeeId: column({ label: 'Employee ID' }) });
    const rows = [];
    for await (const row of validateRows(csvUtf8(`${header.trim()},Employee ID\r\nAda,Lovelace,ada@example.com,00012345678901234567890\r\n`), { schema })) rows.push(row);
    expect(rows[0]).toMatchObject({ valid: true, value: { employeeId: '00012345678901234567890' } });
  });
});

describe('validateFile: refusing files that are not CSV', () => {
  it.each([
    ['a legacy .xls workbook', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])],
    ['a PDF', plainUtf8('%PDF-1.7\n%âãÏÓ\n')],
    ['a binary file with NUL bytes', plainUtf8('First Name,Last Name,Email\r\nA\u0000B,C,d@example.com\r\n')],
  ])('refuses %s with unsupported_file and says how to save as a workbook or CSV', async (_, bytes) => {
    const summary = await validateFile(bytes);
    expect(table(summary)).toEqual([[null, null, 'unsupported_file']]);
    expect(summary.errors[0]?.message).toMatch(/CSV UTF-8/);
  });

  it('refuses a file shorter than a signature with a NUL byte as unsupported_file alone, not also empty_file', async () => {
    expect(table(await validateFile(new Uint8Array([0])))).toEqual([[null, null, 'unsupported_file']]);
    expect(table(await validateFile(new Uint8Array([0x41, 0, 0x0a])))).toEqual([[null, null, 'unsupported_file']]);
  });

  it('reports a zero-byte file as empty_file, and a header alone as no_data_rows', async () => {
    expect(table(await validateFile(new Uint8Array()))).toEqual([[null, null, 'empty_file']]);
    expect(table(await validateFile(csvUtf8('')))).toEqual([[null, null, 'empty_file']]);
    expect(table(await validateFile(csvUtf8(`${header}\r\n,,\r\n`)))).toEqual([[null, null, 'no_data_rows']]);
  });
});

describe('validateFile: header problems', () => {
  it('reports a missing required column and a column given twice', async () => {
    expect(table(await validateFile('First Name,Email\r\nAda,ada@example.com\r\n'))).toEqual([[1, 'Last Name', 'missing_column']]);
    const twice = await validateFile('First Name,Last Name,Email,E-mail\r\nAda,Lovelace,a@example.com,b@example.com\r\n');
    expect(table(twice)).toEqual([[1, 'Email', 'duplicate_column']]);
    expect(twice.errors[0]?.message).toContain('(columns C and D)');
  });

  it('finding 3: a header naming Email 32,000 times lists three of its columns and counts the rest', async () => {
    const summary = await validateFile(`${['First Name', 'Last Name', ...Array<string>(32_000).fill('Email')].join(',')}\nA,B,a@example.com\n`);
    expect(table(summary)).toEqual([[1, 'Email', 'duplicate_column']]);
    expect(summary.errors[0]?.message).toBe(
      'The column "Email" appears more than once in the header row (columns C, D, E and 31,997 more). Keep one of them.',
    );
    const five = await validateFile('First Name,Last Name,Email,E-mail,email,EMAIL,Email\nA,B,a@example.com,,,,\n');
    expect(five.errors[0]?.message).toContain('(columns C, D, E, F and G)');
  });
});

describe('validateFile: cells', () => {
  it('maps rule failures to catalogue codes with messages naming row, column, value and fix', async () => {
    const long = 'x'.repeat(101);
    const summary = await validateFile(csvUtf8(`${header}Ada,Lovelace,not-an-email\r\n,Turing,alan@example.com\r\n${long},Hopper,grace@example.com\r\n`));
    expect(table(summary)).toEqual([
      [2, 'Email', 'invalid_email'],
      [3, 'First Name', 'required'],
      [4, 'First Name', 'too_long'],
    ]);
    expect(summary.errors[0]?.message).toMatch(/^Row 2: "not-an-email" in Email is not a valid email address/);
    expect(summary.errors[1]?.message).toBe('Row 3: First Name is blank. Every user needs one; fill it in.');
  });

  it('reports host rules as invalid_value with the rule\'s own words', async () => {
    const schema = usersSchema.extend({
      employeeId: column({ label: 'Employee ID', schema: z.string().regex(/^E\d{6}$/, 'Use an E and six digits, like E012345') }),
    });
    const summary = await validateFile(`First Name,Last Name,Email,Employee ID\nAda,Lovelace,ada@example.com,12\n`, { schema });
    expect(table(summary)).toEqual([[2, 'Employee ID', 'invalid_value']]);
    expect(summary.errors[0]?.message).toBe('Row 2: "12" is not a valid Employee ID: use an E and six digits, like E012345.');
  });

  it('reports in-file duplicates on the canonical email, naming the earlier row', async () => {
    const summary = await validateFile(`${header}Ada,Lovelace,ada@example.com\r\nAda,L,  ADA@Example.COM \r\nBob,B,bob@example.com\r\n`);
    expect(summary.errors).toMatchObject([{ row: 3, column: 'Email', code: 'duplicate_in_file', firstRow: 2 }]);
  });

  it('limits cell length with too_long, for every column', async () => {
    const schema = usersSchema.extend({ notes: column({ label: 'Notes' }) });
    const twenty = 'n'.repeat(20);
    const ok = await validateFile(`First Name,Last Name,Email,Notes\r\nAda,Lovelace,ada@example.com,${twenty}\r\n`, { schema, maxCellLength: 20 });
    expect(ok.valid).toBe(true);
    const tooLong = await validateFile(`First Name,Last Name,Email,Notes\r\nAda,Lovelace,ada@example.com,${twenty}n\r\n`, { schema, maxCellLength: 20 });
    expect(table(tooLong)).toEqual([[2, 'Notes', 'too_long']]);
    expect(tooLong.errors[0]?.message).toBe('Row 2: Notes is too long (21 characters); use at most 20 characters.');
  });

  it('warns about values in columns that have no header', async () => {
    const summary = await validateFile(`${header}Ada,Lovelace,ada@example.com,,stray\r\n`);
    expect(summary.valid).toBe(true);
    expect(summary.warnings.map((w) => [w.row, w.code, w.value])).toEqual([[2, 'extra_cell', 'stray']]);
  });
});

describe('validateFile: malformed CSV', () => {
  it('reports the row where a stray quote starts and still checks the rest of the file', async () => {
    const summary = await validateFile(`${header}"Ada"x,Lovelace,ada@example.com\r\nAlan,,alan@example.com\r\n`);
    expect(table(summary)).toEqual([
      [2, null, 'malformed_csv'],
      [3, 'Last Name', 'required'],
    ]);
  });

  it('reports an unclosed quote at the row where it opens', async () => {
    const summary = await validateFile(`${header}Ada,"Lovelace,ada@example.com\r\nAlan,Turing,bad\r\n`);
    expect(table(summary)).toEqual([
      [2, null, 'malformed_csv'],
      [3, 'Email', 'invalid_email'],
    ]);
    expect(summary.errors[0]?.message).toMatch(/never closed/);
  });
});

describe('validateFile: limits', () => {
  it('refuses a file over maxBytes with file_too_large', async () => {
    const summary = await validateFile(`${header}${'Ada,Lovelace,ada@example.com\r\n'.repeat(100)}`, { maxBytes: 1000 });
    expect(table(summary)).toEqual([[null, null, 'file_too_large']]);
    expect(summary.valid).toBe(false);
  });

  it('refuses more than maxRows data rows with too_many_rows', async () => {
    const rows = Array.from({ length: 4 }, (_, i) => `U,${i},u${i}@example.com\r\n`).join('');
    expect(table(await validateFile(`${header}${rows}`, { maxRows: 4 }))).toEqual([]);
    expect(table(await validateFile(`${header}${rows}`, { maxRows: 3 }))).toEqual([[null, null, 'too_many_rows']]);
    const [three] = (await validateFile(`${header}${rows}`, { maxRows: 3 })).errors;
    expect(three?.message).toBe('The file has more than 3 users, the most that can be imported at once. Split it into smaller files.');
    const [one] = (await validateFile(`${header}${rows}`, { maxRows: 1 })).errors;
    expect(one?.message).toBe('The file has more than 1 user, the most that can be imported at once. Split it into smaller files.');
  });

  it('keeps at most maxIssues issues, says truncated, and keeps counts exact', async () => {
    const rows = Array.from({ length: 50 }, () => ',,\r\nA,,x\r\n').join('');
    const summary = await validateFile(`${header}${rows}`, { maxIssues: 10 });
    expect(summary.errorCount).toBe(100);
    expect(summary.errors).toHaveLength(10);
    expect(summary.truncated).toBe(true);
    expect(summary.countsByCode).toEqual({ required: 50, invalid_email: 50 });
    expect(summary.countsByColumn).toEqual({ 'Last Name': 50, Email: 50 });
  });

  it('refuses limits that are not positive whole numbers', () => {
    expect(() => validateRows('', { maxRows: 0 })).toThrow(/maxRows/);
    expect(() => validateRows('', { maxBytes: 1.5 })).toThrow(/maxBytes/);
  });
});

describe('validateRows: streaming', () => {
  it('accepts a Web ReadableStream, an async iterable, and a string', async () => {
    const text = `${header}Ada,Lovelace,ada@example.com\r\n`;
    const web = new Blob([text]).stream();
    async function* pieces() {
      yield text.slice(0, 7);
      yield plainUtf8(text.slice(7));
    }
    for (const input of [web, pieces(), text]) {
      expect(await validateFile(input)).toMatchObject({ valid: true, rowCount: 1 });
    }
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    const rows = validateRows(`${header}${'Ada,Lovelace,ada@example.com\r\n'.repeat(10)}`, { signal: controller.signal });
    controller.abort();
    await expect(rows.summary()).rejects.toThrow(/abort/i);
  });

  it('reads only as fast as rows are taken (back-pressure)', async () => {
    let pulled = 0;
    const line = 'Ada,Lovelace,ada@example.com\r\n';
    async function* source() {
      yield plainUtf8(header);
      for (let i = 0; i < 1000; i++) {
        pulled++;
        yield plainUtf8(line);
      }
    }
    const iterator = validateRows(source())[Symbol.asyncIterator]();
    await iterator.next();
    expect(pulled).toBeLessThan(5);
    await iterator.return?.();
  });
});

describe('validateFile: Excel hints', () => {
  it('takes the delimiter from a sep= first line and numbers rows as Excel shows them (the header is row 1)', async () => {
    const summary = await validateFile('sep=;\r\nFirst Name;Last Name;Email\r\nAda;;ada@example.com\r\n');
    expect(summary.file.delimiter).toBe(';');
    expect(table(summary)).toEqual([[2, 'Last Name', 'required']]);
  });

  it('accepts a browser File or Blob as input', async () => {
    const file = new Blob([csvUtf8(`${header}Ada,Lovelace,ada@example.com\r\n`) as Uint8Array<ArrayBuffer>], { type: 'text/csv' });
    expect(await validateFile(file)).toMatchObject({ valid: true, rowCount: 1 });
  });

  it('closes an endless input once a refused file has been counted up to maxBytes', async () => {
    let cancelled = false;
    // A refused file is still counted up to maxBytes (its size must not depend on chunking); an endless one
    // then has to be cancelled. Chunks of 64 KiB and a 1 MB limit keep this to a few dozen reads.
    const chunk = new Uint8Array(65_536);
    chunk.set([0x25, 0x50, 0x44, 0x46, 0x2d]);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(chunk.slice());
      },
      cancel() {
        cancelled = true;
      },
    });
    expect(table(await validateFile(stream, { maxBytes: 1_000_000 }))).toEqual([[null, null, 'unsupported_file']]);
    expect(cancelled).toBe(true);
  });
});
