import fc from 'fast-check';
import type { Schema } from '../schema/define-schema.js';
import { usersSchema } from '../schema/users.js';
import { invalidRow } from './invalid-row.js';
import { columnsOf, resolve, type ExpectedIssue, type ExpectedRow, type Resolved, type RowOptions } from './row-options.js';
import { validRow } from './valid-row.js';

const builtIn = usersSchema.columns;

/** Options of {@link fileRows}. */
export interface FileRowsOptions extends RowOptions {
  /** Mix in invalid rows (about one in four). Default `false`. */
  readonly invalid?: boolean;
  /** Add copies of earlier rows, which must get `duplicate_in_file` in every unique column. Default `false`. */
  readonly duplicates?: boolean;
  readonly minLength?: number;
  readonly maxLength?: number;
}

/**
 * The data rows of a whole file, each with the issues it must produce. Values of `unique` columns are
 * distinct across the rows (a row that would repeat one is dropped), except for the copies that
 * `duplicates` adds on purpose: a copy of an earlier valid row (the email in another letter case), which
 * must get `duplicate_in_file` in each unique column it fills.
 *
 * @example
 * fc.sample(fileRows(usersSchema, { invalid: true, maxLength: 3 }), 1);
 */
export function fileRows(schema: Schema, options: FileRowsOptions = {}): fc.Arbitrary<ExpectedRow[]> {
  const r = resolve(options);
  const valid = validRow(schema, options).map((cells): ExpectedRow => ({ cells, issues: [] }));
  const row = options.invalid === true
    ? fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: invalidRow(schema, options), weight: 1 })
    : valid;
  const rows = fc
    .array(row, { minLength: options.minLength ?? 1, maxLength: options.maxLength ?? 8 })
    .map((list) => withDistinctKeys(schema, list, r));
  if (options.duplicates !== true) return rows;
  return rows.chain((list) =>
    fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 }).map((copies) => addCopies(schema, list, copies)),
  );
}

/** Drops rows that repeat an earlier row's value in a unique column, so that no duplicate is unplanned. */
function withDistinctKeys(schema: Schema, rows: readonly ExpectedRow[], r: Resolved): ExpectedRow[] {
  const seen = new Set<string>();
  const unique = columnsOf(schema).filter(([, column]) => column.unique);
  return rows.filter(({ cells }) => {
    const keys: string[] = [];
    for (const [key, column] of unique) {
      const cell = (cells[key] ?? '').trim();
      if (cell === '' || cell.length > r.maxCellLength) continue;
      const parsed = column.schema.safeParse(cell);
      if (parsed.success) keys.push(`${key}\u0000${column.uniqueKey(parsed.data)}`);
    }
    if (keys.some((k) => seen.has(k))) return false;
    for (const k of keys) seen.add(k);
    return true;
  });
}

function addCopies(schema: Schema, rows: readonly ExpectedRow[], copies: readonly (readonly [number, number])[]): ExpectedRow[] {
  const out = [...rows];
  const unique = columnsOf(schema).filter(([, column]) => column.unique);
  for (const [pick, at] of copies) {
    const sources = out.flatMap((row, index) => (row.issues.length === 0 ? [index] : []));
    const source = sources[pick % Math.max(1, sources.length)];
    const original = source === undefined ? undefined : out[source];
    if (source === undefined || original === undefined) break;
    const cells: Record<string, string> = { ...original.cells };
    const issues: ExpectedIssue[] = [];
    for (const [key, column] of unique) {
      const cell = cells[key] ?? '';
      if (cell.trim() === '') continue;
      // Mail systems treat Ada@ and ada@ as one mailbox: the copy differs only in letter case.
      if (column === builtIn.email) cells[key] = cell.replace(/[a-z]+/gu, (letters) => letters.toUpperCase());
      issues.push({ column: column.label, code: 'duplicate_in_file' });
    }
    if (issues.length === 0) continue;
    const position = source + 1 + (at % (out.length - source));
    out.splice(position, 0, { cells, issues });
  }
  return out;
}

