import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkbook } from '../../src/input/workbook/workbook-reader.js';
import { validateFile } from '../../src/validate/validate-rows.js';
import { corporaRoot } from './helpers.js';

// Workbooks written by Excel (Windows and Mac), LibreOffice and Google Sheets; see SOURCES.md beside them.
const dir = join(corporaRoot, 'xlsx-exceljs');
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(join(dir, name)));

/** The rows that hold a value, as `row: cells`, read the way the validator reads the sheet. */
function sheetRows(name: string, sheet?: string): { sheet: string | null; rows: Record<number, string[]> } {
  const rows: Record<number, string[]> = {};
  const workbook = openWorkbook(
    read(name),
    {
      row(cells, row) {
        if (cells.length > 0) rows[row] = cells;
      },
    },
    { sheet, maxBytes: 128 * 1024 * 1024, maxRun: 1 << 20 },
  );
  while (workbook.step());
  return { sheet: workbook.sheet, rows };
}

/** What each workbook is read as: its sheet and the first rows with values, or the file-level issue it gets. */
const expected: Record<string, { sheet: string; rows: Record<number, string[]> } | { refused: string; message: RegExp }> = {
  '1904.xlsx': { sheet: 'Sheet1', rows: { 4: ['', '1904-01-01'] } },
  'bogus-defined-name.xlsx': { sheet: 'Sheet1', rows: { 1: ['OFFSET($A$10;0;0;0;1)'] } },
  'chart-sheet.xlsx': {
    sheet: 'Sheet1',
    rows: { 1: ['Month', 'Bears', 'Dolphins', 'Whales'], 2: ['Jan', '8', '150', '80'], 3: ['Feb', '54', '77', '54'] },
  },
  'dateIssue.xlsx': { sheet: 'Sheet1', rows: { 1: ['Date'], 2: ['2020-11-20'] } },
  'duplicateRowTest.xlsx': { sheet: 'duplicateTest', rows: {} },
  'fibonacci.xlsx': { sheet: 'fib', rows: { 1: ['1', '1'], 2: ['2', '1'], 10: ['10', '55'] } },
  'formulas.xlsx': { sheet: 'Sheet1', rows: { 1: ['someone@example.com', '(formula with hyperlink)'], 2: ['someone@example.com', '(formula without link)'] } },
  'gold.xlsx': {
    sheet: 'Values',
    rows: { 1: ['Text', 'I am Text'], 2: ['Number', '3.14'], 3: ['Integer', '5'], 4: ['Date', '2016-05-17'], 5: ['Formula', 'I am Text'], 6: ['Hyperlink', 'exceljs'] },
  },
  'google-sheets.xlsx': { sheet: 'Sheet1', rows: { 1: ['BEGIN', 'HIDDEN', 'VISIBLE'], 2: ['HIDDEN'], 3: ['VISIBLE'] } },
  'invalid-xml.xlsx': { refused: 'unreadable_workbook', message: /the part xl\/worksheets\/sheet1\.xml is not well-formed XML/u },
  'libre-calc-as-excel-2007-365.xlsx': { sheet: 'Sheet1', rows: { 1: ['BEGIN', 'HIDDEN', 'VISIBLE'], 2: ['HIDDEN'], 3: ['VISIBLE'] } },
  'libre-calc-as-office-open-xml-spreadsheet.xlsx': { sheet: 'Sheet1', rows: { 1: ['BEGIN', 'HIDDEN', 'VISIBLE'], 2: ['HIDDEN'], 3: ['VISIBLE'] } },
  'many-columns.xlsx': {
    sheet: 'Sheet1',
    rows: {
      1: ['this', 'spread', 'sheet', 'has', 'many', 'many', 'many', 'many', 'many', 'many', 'many', 'columns'],
      2: ['but', 'the', 'really', 'really', 'funny', 'thing', 'is', 'that', 'it', 'has', 'even', 'more', 'in', 'the', 'second', 'row', 'bla', 'bla', 'bla', 'bla'],
    },
  },
  'missing-bits.xlsx': { refused: 'unreadable_workbook', message: /has no part xl\/workbook\.xml; the workbook is damaged or incomplete/u },
  'shared_string_with_escape.xlsx': { sheet: 'Sheet1', rows: { 1: ['_x000D_'] } },
  'test-issue-1575.xlsx': { sheet: 'Sheet1', rows: { 1: ['A', 'B', 'C'], 2: ['1.0', '2.0', '3.0'], 3: ['4.0', '5.0', '6.0'] } },
  'test-issue-877.xlsx': { sheet: 'Handlungsanweisung', rows: {} },
};

describe('the exceljs corpus of real workbooks', () => {
  it('lists every workbook in the corpus', () => {
    expect(readdirSync(dir).filter((f) => f.endsWith('.xlsx')).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('%s is read, or refused with one file-level issue', async (name, want) => {
    const summary = await validateFile(read(name));
    if ('refused' in want) {
      expect(summary.errors.map((e) => [e.row, e.column, e.code])).toEqual([[null, null, want.refused]]);
      expect(summary.errors[0]?.message).toMatch(want.message);
      return;
    }
    // Not user lists: the summary says which sheet was read and what its header lacks, never a refusal.
    expect(summary.file).toMatchObject({ format: 'xlsx', sheet: want.sheet });
    for (const code of ['unreadable_workbook', 'unsupported_file']) expect(summary.countsByCode).not.toHaveProperty(code);
    const { sheet, rows } = sheetRows(name);
    expect(sheet).toBe(want.sheet);
    for (const [row, cells] of Object.entries(want.rows)) expect(rows[Number(row)]).toEqual(cells);
    if (Object.keys(want.rows).length === 0) expect(rows).toEqual({});
  });

  it('reads the other sheets of a workbook by name, and refuses a chart sheet as a sheet to read', async () => {
    expect(Object.keys(sheetRows('1904.xlsx', 'Sheet2').rows)).toEqual([]);
    const chart = await validateFile(read('chart-sheet.xlsx'), { sheet: 'Chart1' });
    expect(chart.errors.map((e) => e.code)).toEqual(['sheet_not_found']);
  });
});
