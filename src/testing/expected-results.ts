import type { IssueCode } from '../report/codes.js';
import type { Schema } from '../schema/define-schema.js';
import type { ExcelFile } from './excel-file.js';
import { validatedValue } from './validated-value.js';

/** What the validator must give for one data row of an {@link ExcelFile}. */
export type ExpectedResult =
  | { readonly row: number; readonly valid: true; readonly value: Record<string, unknown> }
  | {
      readonly row: number;
      readonly valid: false;
      readonly issues: readonly { readonly row: number; readonly column: string; readonly code: IssueCode }[];
    };

/**
 * The row results the validator must give for a generated file, in file order: the row number, and the
 * validated value or the issues (in the file's column order). Compare with `toMatchObject`, since real issues
 * also carry a message and the cell's value.
 *
 * @example
 * const results = []; for await (const r of validateRows(file.bytes, { schema })) results.push(r);
 * expect(results).toMatchObject(expectedResults(schema, file));
 */
export function expectedResults(schema: Schema, file: ExcelFile): ExpectedResult[] {
  const position = new Map(file.keys.map((key, i) => [schema.columns[key]?.label ?? key, i]));
  return file.rows.map((expected, i) => {
    const row = file.rowNumbers[i] ?? 0;
    if (expected.issues.length === 0) return { row, valid: true, value: validatedValue(schema, expected.cells) };
    const issues = [...expected.issues]
      .sort((a, b) => (position.get(a.column) ?? 0) - (position.get(b.column) ?? 0))
      .map((issue) => ({ row, column: issue.column, code: issue.code }));
    return { row, valid: false, issues };
  });
}
