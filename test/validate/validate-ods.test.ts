import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ErrorSummary } from '../../src/report/summary.js';
import { column } from '../../src/schema/column.js';
import { usersSchema } from '../../src/schema/users.js';
import type { RowResult } from '../../src/validate/file-validator.js';
import { validateFile, validateRows } from '../../src/validate/validate-rows.js';
import { csvUtf8 } from '../helpers/excel-files.js';
import { ods, textCell } from '../helpers/ods.js';

const header = ['First Name', 'Last Name', 'Email'];
const headerRow = `<table:table-row>${header.map(textCell).join('')}</table:table-row>`;
const row = (...cells: string[]): string => `<table:table-row>${cells.join('')}</table:table-row>`;

async function rowsOf(input: Uint8Array, options: Parameters<typeof validateRows>[1] = {}): Promise<{ rows: RowResult[]; summary: ErrorSummary }> {
  const stream = validateRows(input, options);
  const rows: RowResult[] = [];
  for await (const r of stream) rows.push(r);
  return { rows, summary: await stream.summary() };
}

describe('validateFile: OpenDocument spreadsheets (.ods)', () => {
  it('gives the same Error Summary as the same users in a CSV', async () => {
    const rows = [header, ['Ada', 'Lovelace', 'ada@example.com'], ['', 'Turing', 'alan@example'], ['Grace', 'Hopper', 'ada@example.com']];
    const fromCsv = await validateFile(csvUtf8(rows.map((r) => r.join(',')).join('\r\n') + '\r\n'));
    const fromOds = await validateFile(ods([{ name: 'Users', rows }]));
    const { file: csvFile, ...csv } = fromCsv;
    const { file: odsFile, ...book } = fromOds;
    expect(book).toEqual(csv);
    expect(odsFile.columns).toEqual(csvFile.columns);
    expect(odsFile).toMatchObject({ format: 'ods', sheet: 'Users', encoding: null, delimiter: null });
  });

  it('counts repeated blank rows and cells without expanding them, keeping row numbers', async () => {
    const blankCells = '<table:table-cell table:number-columns-repeated="16384"/>';
    const xml =
      `<table:table-row>${header.map(textCell).join('')}${blankCells}</table:table-row>` +
      `<table:table-row table:number-rows-repeated="3">${blankCells}</table:table-row>` +
      row(textCell('Ada'), textCell('Lovelace'), textCell('ada@example.com'), '<table:table-cell table:number-columns-repeated="16381"/>') +
      `<table:table-row table:number-rows-repeated="1048570">${blankCells}</table:table-row>`;
    const { rows, summary } = await rowsOf(ods([{ name: 'Sheet1', xml }]));
    expect(rows).toEqual([{ row: 5, valid: true, value: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' } }]);
    expect(summary).toMatchObject({ valid: true, rowCount: 1, warningCount: 0 });
  });

  it('gives a repeated row that holds values once per repeat, and refuses one repeated past any list', async () => {
    const ada = `<table:table-row table:number-rows-repeated="2">${[textCell('Ada'), textCell('Lovelace'), textCell('ada@example.com')].join('')}</table:table-row>`;
    const twice = await validateFile(ods([{ name: 'Sheet1', xml: headerRow + ada }]));
    expect(twice.errors.map((e) => [e.row, e.code])).toEqual([[3, 'duplicate_in_file']]);
    const endless = ada.replace('"2"', '"1000000"');
    const summary = await validateFile(ods([{ name: 'Sheet1', xml: headerRow + endless }]));
    expect(summary.errors.map((e) => [e.code, e.message])).toEqual([
      ['unreadable_workbook', 'This workbook cannot be read: row 2 is repeated 1000000 times, which no list of users is; delete the repeated rows.'],
    ]);
  });

  it('reads cells as the admin sees them', async () => {
    const schema = usersSchema.extend({
      employeeId: column({ label: 'Employee ID', schema: z.string() }),
      start: column({ label: 'Start', schema: z.string() }),
      active: column({ label: 'Active', schema: z.string() }),
    });
    const xml =
      row(...[...header, 'Employee ID', 'Start', 'Active'].map(textCell)) +
      row(
        '<table:table-cell office:value-type="string"><text:p>Mary<text:s text:c="2"/>Ann</text:p><office:annotation><text:p>a note</text:p></office:annotation></table:table-cell>',
        '<table:table-cell office:value-type="string"><text:p><text:span>Love</text:span>lace</text:p></table:table-cell>',
        textCell('mary@example.com'),
        '<table:table-cell office:value-type="float" office:value="100234"><text:p>100,234</text:p></table:table-cell>',
        '<table:table-cell office:value-type="date" office:date-value="2023-03-15"><text:p>15/03/23</text:p></table:table-cell>',
        '<table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell>',
      );
    const { rows } = await rowsOf(ods([{ name: 'Sheet1', xml }]), { schema });
    expect(rows).toEqual([
      { row: 2, valid: true, value: { firstName: 'Mary  Ann', lastName: 'Lovelace', email: 'mary@example.com', employeeId: '100234', start: '2023-03-15', active: 'TRUE' } },
    ]);
  });

  it('reports a formula showing an error as an issue for that cell', async () => {
    const xml = headerRow + row(textCell('Ada'), textCell('Lovelace'), '<table:table-cell table:formula="of:=VLOOKUP(A2;$X.A:B;2;0)"><text:p>#N/A</text:p></table:table-cell>');
    const summary = await validateFile(ods([{ name: 'Sheet1', xml }]));
    expect(summary.errors.map((e) => [e.row, e.column, e.code, e.value])).toEqual([[2, 'Email', 'excel_error', '#N/A']]);
  });

  it('reads the first visible sheet or the one named, and warns about another that holds data', async () => {
    const users = [header, ['Ada', 'Lovelace', 'ada@example.com']];
    const others = [header, ['Alan', 'Turing', 'alan@example.com'], ['Grace', 'Hopper', 'grace@example.com']];
    const book = ods([{ name: 'Old', hidden: true, rows: others }, { name: 'Staff', rows: users }, { name: 'Contractors', rows: others }]);
    const first = await validateFile(book);
    expect(first).toMatchObject({ valid: true, rowCount: 1, file: { sheet: 'Staff' } });
    expect(first.warnings.map((w) => [w.code, w.value])).toEqual([['other_sheet_has_data', 'Staff']]);
    expect(first.warnings[0]?.message).toContain('the sheet "Contractors" also holds data');
    const named = await validateFile(book, { sheet: 'Contractors' });
    expect(named).toMatchObject({ valid: true, rowCount: 2, file: { sheet: 'Contractors' } });
    expect(named.warnings[0]?.message).toContain('the sheet "Staff" also holds data');
    const missing = await validateFile(book, { sheet: 'Users' });
    expect(missing.errors.map((e) => [e.code, e.message])).toEqual([
      ['sheet_not_found', 'The workbook has no worksheet named "Users"; its worksheets are "Old", "Staff", "Contractors". Choose one of them.'],
    ]);
    expect(missing.rowCount).toBe(0);
  });
});
