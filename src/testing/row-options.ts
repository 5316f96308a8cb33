import type fc from 'fast-check';
import { neutraliseFormula } from '../csv-out/formula.js';
import type { IssueCode } from '../report/codes.js';
import type { Column } from '../schema/column.js';
import type { Schema } from '../schema/define-schema.js';
import { defaultLimits } from '../validate/limits.js';
import type { Charset } from './text.js';

/** A row as the admin typed it: the text of each cell by schema key. A missing key is a blank cell. */
export type RowCells = Readonly<Record<string, string>>;

/** An issue a generated row must produce: the column's label and the code. */
export interface ExpectedIssue {
  readonly column: string;
  readonly code: IssueCode;
}

/** A generated row and the issues the validator must report on it (none for a valid row). */
export interface ExpectedRow {
  readonly cells: RowCells;
  readonly issues: readonly ExpectedIssue[];
}

/** A cell text a column refuses, and the code it is refused with. */
export interface InvalidCell {
  readonly text: string;
  readonly code: IssueCode;
}

/**
 * A host's own generators for one column, for rules the kit cannot guess (a pattern, a list of values):
 * `valid` cell texts the column accepts, `invalid` ones it refuses with their code.
 */
export interface ColumnArbitraries {
  readonly valid?: fc.Arbitrary<string>;
  readonly invalid?: fc.Arbitrary<InvalidCell>;
}

/** Options of the row arbitraries. */
export interface RowOptions {
  /** Generators for some columns, by key, used instead of the kit's. */
  readonly columns?: Readonly<Record<string, ColumnArbitraries>>;
  /** The `maxCellLength` the rows are validated with (default 1,000, the validator's default). */
  readonly maxCellLength?: number;
  /** `windows-1252` keeps every cell to what that encoding holds. Default `unicode`. */
  readonly charset?: Charset;
}

/** {@link RowOptions} with the defaults filled in. */
export interface Resolved {
  readonly overrides: Readonly<Record<string, ColumnArbitraries>>;
  readonly maxCellLength: number;
  readonly charset: Charset;
}

/** Fills in the defaults of {@link RowOptions}. */
export function resolve(options: RowOptions): Resolved {
  return {
    overrides: options.columns ?? {},
    maxCellLength: options.maxCellLength ?? defaultLimits.maxCellLength,
    charset: options.charset ?? 'unicode',
  };
}

/** The columns of a schema, in template order, with their keys. */
export function columnsOf(schema: Schema): [string, Column][] {
  return schema.keys.flatMap((key) => {
    const column = schema.columns[key];
    return column === undefined ? [] : [[key, column] as [string, Column]];
  });
}

/**
 * Whether a row could be taken for the template's example row: each of its non-blank cells holds its
 * column's example. Generated rows never do, so that no generated row gets `example_row`.
 */
export function looksLikeExample(schema: Schema, cells: RowCells): boolean {
  let filled = false;
  for (const [key, column] of columnsOf(schema)) {
    const cell = (cells[key] ?? '').trim();
    if (cell === '') continue;
    const example = column.example;
    if (example === undefined || (cell !== example.trim() && cell !== neutraliseFormula(example).trim())) return false;
    filled = true;
  }
  return filled;
}

/** Whether every cell of a row is blank, so that the validator skips it as a blank row. */
export function isBlankRow(cells: RowCells): boolean {
  return Object.values(cells).every((cell) => cell.trim() === '');
}

