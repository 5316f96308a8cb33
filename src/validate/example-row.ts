import { neutraliseFormula } from '../csv-out/formula.js';
import type { Column } from '../schema/column.js';

/** A schema column as it was found in a file's header row. */
export interface LocatedColumn {
  /** The 0-based position of the column in the file. */
  readonly index: number;
  readonly column: Column;
}

/** What one column of the example row holds, in the two forms a file may carry it. */
interface ExpectedCell {
  readonly index: number;
  /** The example, trimmed as the validator trims cells (`''` for a column with no example). */
  readonly plain: string;
  /** The example as the template writes it: with the formula-neutralising apostrophe where it applies. */
  readonly written: string;
}

/**
 * Builds the test for "this row is the template's example row, unchanged": every column found in the header
 * holds its example (as typed in the schema, or as the template wrote it with a neutralising apostrophe), and
 * columns without an example are blank. Unknown columns do not count. Returns `undefined` when no column
 * found has an example, since then no row can be the example row.
 *
 * The test is meant to run on every row: it usually fails on its first column with one string comparison.
 *
 * @example
 * const isExample = exampleRowMatcher([{ index: 0, column: usersSchema.columns.firstName }]);
 * isExample?.(['Ada']); // true
 */
export function exampleRowMatcher(columns: readonly LocatedColumn[]): ((cells: readonly string[]) => boolean) | undefined {
  const expected: ExpectedCell[] = columns.map(({ index, column }) => {
    const example = column.example ?? '';
    return { index, plain: example.trim(), written: neutraliseFormula(example).trim() };
  });
  if (expected.every((cell) => cell.plain === '')) return undefined;
  // Columns with an example first: a real row differs from the example there, and the test stops early.
  expected.sort((a, b) => Number(a.plain === '') - Number(b.plain === ''));
  return (cells) => {
    for (const { index, plain, written } of expected) {
      const cell = cells[index] ?? '';
      if (cell === plain) continue;
      if (cell.length < plain.length) return false;
      const trimmed = cell.trim();
      if (trimmed !== plain && trimmed !== written) return false;
    }
    return true;
  };
}
