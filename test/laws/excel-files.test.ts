import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { usersSchema } from '../../src/schema/users.js';
import { excelFile, type ExcelFile } from '../../src/testing/excel-file.js';
import { expectedResults } from '../../src/testing/expected-results.js';
import { numRuns, validateAll } from './helpers.js';

/** Blank rows before the header: the first data row's number, less the blank rows before it, less 2. */
function leadingBlankRows(file: ExcelFile): number {
  const lines = file.text.split(/\r\n|\r|\n/u);
  return lines.findIndex((line) => line.split(file.dialect.delimiter).some((cell) => cell.trim() !== ''));
}

describe('law: generated files validate to exactly their rows', () => {
  it('every file of valid and invalid rows, in any dialect, gives each row its value or exactly its issues', async () => {
    await fc.assert(
      fc.asyncProperty(excelFile(usersSchema, undefined, { invalid: true, duplicates: true, unknownColumns: true }), async (file) => {
        const { rows, summary } = await validateAll(file.bytes, { schema: usersSchema });
        const expected = expectedResults(usersSchema, file);
        expect(rows).toMatchObject(expected);
        expect(rows).toHaveLength(expected.length);
        expect(summary.rowCount).toBe(file.rows.length);
        expect(summary.errorCount).toBe(file.rows.reduce((n, row) => n + row.issues.length, 0));
        const warnings = summary.warnings.filter((w) => w.code !== 'decoded_as_windows_1252');
        expect(warnings.map((w) => [w.row, w.code, w.value])).toEqual(file.unknownColumns.map((h) => [1 + leadingBlankRows(file), 'unknown_column', h]));
        expect(summary.file.unknownColumns).toEqual(file.unknownColumns);
      }),
      { numRuns },
    );
  });
});

describe('regressions found by this law', () => {
  it('a line of spaces before the header row does not decide the delimiter', async () => {
    const { rows, summary } = await validateAll('  \r\nFirst Name;Last Name;Email\r\nAda;Byron;ada@example.com\r\n', { schema: usersSchema });
    expect(rows).toEqual([{ row: 3, valid: true, value: { firstName: 'Ada', lastName: 'Byron', email: 'ada@example.com' } }]);
    expect(summary.file.delimiter).toBe(';');
    // A header whose first cell is blank still gives its delimiter.
    const blankFirst = await validateAll('\tFirst Name\tLast Name\tEmail\r\n\tAda\tByron\tada@example.com\r\n', { schema: usersSchema });
    expect(blankFirst.summary).toMatchObject({ valid: true, file: { delimiter: '\t' } });
  });
});
