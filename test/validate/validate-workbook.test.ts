import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { InputSource } from '../../src/input/source.js';
import type { ErrorSummary } from '../../src/report/summary.js';
import { column } from '../../src/schema/column.js';
import { usersSchema } from '../../src/schema/users.js';
import type { RowResult } from '../../src/validate/file-validator.js';
import { validateFile, validateRows } from '../../src/validate/validate-rows.js';
import { csvUtf8 } from '../helpers/excel-files.js';
import { usersWorkbook, xlsx, type TestCell } from '../helpers/xlsx.js';

const header = ['First Name', 'Last Name', 'Email'];

async function rowsOf(input: Uint8Array, options: Parameters<typeof validateRows>[1] = {}): Promise<{ rows: RowResult[]; summary: ErrorSummary }> {
  const stream = validateRows(input, options);
  const rows: RowResult[] = [];
  for await (const row of stream) rows.push(row);
  return { rows, summary: await stream.summary() };
}

/** A summary without what only says how the file was stored. */
function content(summary: ErrorSummary): Omit<ErrorSummary, 'file'> & { columns: unknown } {
  const { file, ...rest } = summary;
  return { ...rest, columns: file.columns };
}

describe('validateFile: .xlsx workbooks', () => {
  it('gives the same Error Summary as the same users in a CSV', async () => {
    const rows: TestCell[][] = [
      header,
      ['Ada', 'Lovelace', 'ada@example.com'],
      ['', 'Turing', 'alan@example'],
      ['Grace', 'Hopper', 'ada@example.com'],
      ['Zoë', 'Ångström', 'zoe@example.com'],
    ];
    const csv = csvUtf8(rows.map((r) => r.map((c) => (typeof c === 'string' ? c : '')).join(',')).join('\r\n') + '\r\n');
    const fromCsv = await validateFile(csv);
    const fromXlsx = await validateFile(usersWorkbook(rows));
    expect(fromCsv.errorCount).toBe(3);
    expect(content(fromXlsx)).toEqual(content(fromCsv));
    expect(fromXlsx.file).toMatchObject({ format: 'xlsx', sheet: 'Sheet1', encoding: null, delimiter: null });
    expect(fromCsv.file).toMatchObject({ format: 'csv', sheet: null });
  });

  it('is told apart from CSV by its content, from every source: bytes, Blob, Web and Node streams', async () => {
    const book = new Uint8Array(usersWorkbook([header, ['Ada', 'Lovelace', 'ada@example.com']]));
    const pieces = (): Uint8Array[] => [book.subarray(0, 3), book.subarray(3, 100), book.subarray(100)];
    const sources: InputSource[] = [
      book,
      book.buffer,
      new Blob([book]),
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const piece of pieces()) controller.enqueue(piece);
          controller.close();
        },
      }),
      Readable.from(pieces().map((p) => Buffer.from(p))),
    ];
    for (const source of sources) {
      const summary = await validateFile(source);
      expect(summary).toMatchObject({ valid: true, rowCount: 1, file: { format: 'xlsx', sheet: 'Sheet1', bytes: book.length } });
    }
  });

  it('numbers rows as Excel shows them, rows Excel left out being blank', async () => {
    const strings = ['First Name', 'Last Name', 'Email', 'Ada', 'Lovelace', 'ada@example.com', 'Alan', 'Turing'];
    const s = (ref: string, i: number): string => `<c r="${ref}" t="s"><v>${i}</v></c>`;
    const sheetData =
      `<row r="3">${s('A3', 0)}${s('B3', 1)}${s('C3', 2)}</row>` +
      `<row r="4">${s('A4', 3)}${s('B4', 4)}${s('C4', 5)}</row>` +
      `<row r="9">${s('A9', 6)}${s('B9', 7)}</row>`;
    const { rows, summary } = await rowsOf(xlsx({ sheets: [{ name: 'Users', sheetData }], strings }));
    expect(rows.map((r) => r.row)).toEqual([4, 9]);
    expect(summary.errors.map((e) => [e.row, e.column, e.code])).toEqual([[9, 'Email', 'required']]);
  });

  it('reads cells as the admin sees them', async () => {
    const schema = usersSchema.extend({
      employeeId: column({ label: 'Employee ID', schema: z.string() }),
      start: column({ label: 'Start', schema: z.string() }),
      active: column({ label: 'Active', schema: z.string() }),
    });
    const book = xlsx({
      sheets: [
        {
          name: 'Sheet1',
          rows: [
            [...header, 'Employee ID', 'Start', 'Active'],
            [
              { xml: '<c t="inlineStr"><is><r><t>Ad</t></r><r><rPr><b/></rPr><t>a</t></r><rPh><t>エイダ</t></rPh></is></c>' },
              'Love_x005F_lace',
              { xml: '<c t="str"><f>LOWER("ADA@EXAMPLE.COM")</f><v>ada@example.com</v></c>' },
              100234,
              { xml: '<c s="1"><v>45000</v></c>' },
              true,
            ],
            [
              'Mary_x0020_Ann',
              'Turing',
              'alan@example.com',
              { xml: '<c><v>1.0000000000000001E-3</v></c>' },
              { xml: '<c s="2"><v>45000.75</v></c>' },
              false,
            ],
          ],
        },
      ],
      styles: [14, 164],
      numFmts: { 164: 'dd/mm/yyyy hh:mm' },
    });
    const { rows } = await rowsOf(book, { schema });
    expect(rows).toEqual([
      {
        row: 2,
        valid: true,
        value: { firstName: 'Ada', lastName: 'Love_lace', email: 'ada@example.com', employeeId: '100234', start: '2023-03-15', active: 'TRUE' },
      },
      {
        row: 3,
        valid: true,
        value: { firstName: 'Mary Ann', lastName: 'Turing', email: 'alan@example.com', employeeId: '0.001', start: '2023-03-15 18:00:00', active: 'FALSE' },
      },
    ]);
  });

  it('reads dates in the 1904 system', async () => {
    const schema = usersSchema.extend({ start: column({ label: 'Start', schema: z.string() }) });
    const book = xlsx({
      sheets: [{ name: 'Sheet1', rows: [[...header, 'Start'], ['Ada', 'Lovelace', 'ada@example.com', { xml: '<c s="1"><v>43538</v></c>' }]] }],
      styles: [14],
      date1904: true,
    });
    const { rows } = await rowsOf(book, { schema });
    expect(rows[0]).toMatchObject({ valid: true, value: { start: '2023-03-15' } });
  });

  it('reports an Excel error value (#N/A) as an issue for that cell', async () => {
    const book = usersWorkbook([header, ['Ada', 'Lovelace', { xml: '<c t="e"><f>VLOOKUP(A2,X!A:B,2,0)</f><v>#N/A</v></c>' }]]);
    const summary = await validateFile(book);
    expect(summary.errors.map((e) => [e.row, e.column, e.code, e.value])).toEqual([[2, 'Email', 'excel_error', '#N/A']]);
    expect(summary.errors[0]?.message).toBe('Row 2: Email shows the Excel error "#N/A", not a value. Fix the formula in that cell, or type the value.');
  });
});

describe('validateFile: which sheet of a workbook is read', () => {
  const users = [header, ['Ada', 'Lovelace', 'ada@example.com']];
  const others = [header, ['Alan', 'Turing', 'alan@example.com'], ['Grace', 'Hopper', 'grace@example.com']];

  it('skips hidden, very hidden and chart sheets to read the first visible worksheet', async () => {
    const book = xlsx({
      sheets: [
        { name: 'Chart', chart: true },
        { name: 'Old', state: 'hidden', rows: others },
        { name: 'Lookup', state: 'veryHidden', rows: others },
        { name: 'Staff', rows: users },
      ],
    });
    const summary = await validateFile(book);
    expect(summary).toMatchObject({ valid: true, rowCount: 1, warningCount: 0, file: { sheet: 'Staff' } });
  });

  it('reads the sheet the sheet option names, and warns that another sheet holds data', async () => {
    const book = xlsx({ sheets: [{ name: 'Staff', rows: users }, { name: 'Contractors', rows: others }] });
    const named = await validateFile(book, { sheet: 'Contractors' });
    expect(named).toMatchObject({ valid: true, rowCount: 2, file: { sheet: 'Contractors' } });
    expect(named.warnings.map((w) => [w.code, w.message])).toEqual([
      [
        'other_sheet_has_data',
        'Only the sheet "Contractors" was read, but the sheet "Staff" also holds data. If it lists users too, move them to the sheet that is read, or upload them in another file.',
      ],
    ]);
    const first = await validateFile(book);
    expect(first).toMatchObject({ valid: true, rowCount: 1, file: { sheet: 'Staff' } });
    expect(first.warnings.map((w) => w.code)).toEqual(['other_sheet_has_data']);
  });

  it('does not warn about other sheets that hold only formatting', async () => {
    const book = xlsx({ sheets: [{ name: 'Staff', rows: users }, { name: 'Empty', sheetData: '<row r="1"><c r="A1" s="0"/></row>' }] });
    expect((await validateFile(book)).warningCount).toBe(0);
  });

  it('refuses a sheet name the workbook does not have, naming the sheets it has', async () => {
    const book = xlsx({ sheets: [{ name: 'Staff', rows: users }, { name: 'Contractors', rows: others }] });
    const summary = await validateFile(book, { sheet: 'Users' });
    expect(summary.errors.map((e) => [e.code, e.message])).toEqual([
      ['sheet_not_found', 'The workbook has no worksheet named "Users"; its worksheets are "Staff", "Contractors". Choose one of them.'],
    ]);
    expect(summary.rowCount).toBe(0);
  });
});
