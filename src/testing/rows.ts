import fc from 'fast-check';
import { neutraliseFormula } from '../csv-out/formula.js';
import type { IssueCode } from '../report/codes.js';
import { RollcallError } from '../rollcall-error.js';
import type { Column } from '../schema/column.js';
import type { Schema } from '../schema/define-schema.js';
import { usersSchema } from '../schema/users.js';
import { defaultLimits } from '../validate/limits.js';
import { emailAddress, invalidEmailAddress } from './emails.js';
import { personName } from './names.js';
import { fitsCharset, isWellFormed, type Charset } from './text.js';

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

interface Resolved {
  readonly overrides: Readonly<Record<string, ColumnArbitraries>>;
  readonly maxCellLength: number;
  readonly charset: Charset;
}

function resolve(options: RowOptions): Resolved {
  return {
    overrides: options.columns ?? {},
    maxCellLength: options.maxCellLength ?? defaultLimits.maxCellLength,
    charset: options.charset ?? 'unicode',
  };
}

const builtIn = usersSchema.columns;

/** Letters, digits, spaces and the characters CSV files and spreadsheets treat specially. */
function genericUnit(charset: Charset): fc.Arbitrary<string> {
  const special = fc.constantFrom(' ', ',', ';', '|', '"', "'", '\t', '\n', '\r\n', '=', '+', '-', '@', '.', '#', '/');
  const latin = fc.constantFrom(...Array.from('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éÉüßøÆñ€’'));
  if (charset === 'windows-1252') return fc.oneof({ arbitrary: latin, weight: 3 }, { arbitrary: special, weight: 1 });
  const any = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 });
  return fc.oneof({ arbitrary: latin, weight: 2 }, { arbitrary: special, weight: 1 }, { arbitrary: any, weight: 2 });
}

/** Whether a cell text is one a column accepts as a non-blank value, within the limits and the charset. */
function accepts(column: Column, text: string, r: Resolved): boolean {
  const cell = text.trim();
  return (
    cell !== '' &&
    cell.length <= r.maxCellLength &&
    fitsCharset(text, r.charset) &&
    isWellFormed(text) &&
    column.schema.safeParse(cell).success
  );
}

/**
 * Non-blank texts a column accepts, or `undefined` when the kit knows none. For a host column, its example
 * and generic text that its rule accepts (text the rule refuses becomes the example instead).
 */
function validCell(key: string, column: Column, r: Resolved): fc.Arbitrary<string> | undefined {
  const own = r.overrides[key]?.valid;
  if (own !== undefined) {
    return own.filter((text) => fitsCharset(text, r.charset)).map((text) => {
      if (!accepts(column, text, r)) {
        throw new RollcallError('invalid_option', `The valid arbitrary of column "${key}" gave ${JSON.stringify(text)}, which the column refuses.`);
      }
      return text;
    });
  }
  const fits = (text: string): boolean => text.length <= r.maxCellLength;
  if (column === builtIn.firstName || column === builtIn.lastName) return personName({ charset: r.charset }).filter(fits);
  if (column === builtIn.email) return emailAddress({ charset: r.charset }).filter(fits);
  const example = column.example !== undefined && accepts(column, column.example, r) ? column.example : undefined;
  const generic = fc.string({ unit: genericUnit(r.charset), minLength: 1, maxLength: 24 }).map((text) => text.trim());
  if (example === undefined) {
    if (!fc.sample(generic, { numRuns: 100, seed: 1 }).some((text) => accepts(column, text, r))) return undefined;
    return generic.filter((text) => accepts(column, text, r));
  }
  return fc.oneof(fc.constant(example), generic.map((text) => (accepts(column, text, r) ? text : example)));
}

function columnsOf(schema: Schema): [string, Column][] {
  return schema.keys.flatMap((key) => {
    const column = schema.columns[key];
    return column === undefined ? [] : [[key, column] as [string, Column]];
  });
}

/**
 * Whether a row could be taken for the template's example row: each of its non-blank cells holds its
 * column's example. Generated rows never do, so that no generated row gets `example_row`.
 */
function looksLikeExample(schema: Schema, cells: RowCells): boolean {
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

function isBlankRow(cells: RowCells): boolean {
  return Object.values(cells).every((cell) => cell.trim() === '');
}

/**
 * Rows that a schema accepts: every required column filled, optional columns filled or blank, each cell
 * one the column's rule accepts.
 *
 * For the built-in columns the cells are realistic: names in many scripts with apostrophes, hyphens and
 * spaces (some looking like formulas, some holding delimiters or quotes) and valid email addresses, all in
 * the form the validator stores, so a row's validated value equals its cells. For a host's column the kit
 * knows only the rule, not what it means: it generates the column's `example` and generic text (letters,
 * digits, delimiters, quotes, line breaks, any Unicode) that the rule accepts; for a rule that generic text
 * rarely meets (a pattern such as `E` and six digits), that is only the example. Give a `valid` arbitrary in
 * `options.columns` for such a column. A required column with neither throws a `RollcallError`.
 *
 * Cells have no spaces around them, and never make up the template's example row.
 *
 * @example
 * fc.assert(fc.property(validRow(usersSchema), (cells) => usersSchema.columns.email.schema.safeParse(cells.email).success));
 */
export function validRow(schema: Schema, options: RowOptions = {}): fc.Arbitrary<RowCells> {
  const r = resolve(options);
  const entries = columnsOf(schema).map(([key, column]) => {
    const cell = validCell(key, column, r);
    if (cell === undefined) {
      if (column.required) {
        throw new RollcallError(
          'invalid_option',
          `The kit cannot make a valid value for the required column "${key}": give it an example its rule accepts, or a valid arbitrary in options.columns.`,
        );
      }
      return fc.constant('');
    }
    if (column.required) return cell;
    return fc.oneof({ arbitrary: fc.constant(''), weight: 1 }, { arbitrary: cell, weight: 3 });
  });
  const keys = columnsOf(schema).map(([key]) => key);
  return fc
    .tuple(...entries)
    .map((values) => Object.fromEntries(keys.map((key, i) => [key, values[i] ?? ''])))
    .filter((cells) => !isBlankRow(cells) && !looksLikeExample(schema, cells));
}

/** Every way the kit knows to make one column's cell invalid, with the code each must produce. */
function invalidCells(key: string, column: Column, r: Resolved): fc.Arbitrary<InvalidCell>[] {
  const ways: fc.Arbitrary<InvalidCell>[] = [];
  const code = (c: IssueCode) => (text: string): InvalidCell => ({ text, code: c });
  if (column.required) ways.push(fc.constantFrom('', '  ', '\u00a0').map(code('required')));
  ways.push(
    fc
      .tuple(fc.integer({ min: 1, max: 8 }), fc.constantFrom('x', 'é', '9', '-'))
      .map(([extra, char]) => ({ text: `a${char.repeat(r.maxCellLength + extra - 1)}`, code: 'too_long' as const })),
  );
  const own = r.overrides[key]?.invalid;
  if (own !== undefined) ways.push(own.filter((cell) => fitsCharset(cell.text, r.charset)));
  if (column === builtIn.firstName || column === builtIn.lastName) {
    const breaks = r.charset === 'unicode' ? ['\n', '\r\n', '\t', '\u0007', '\u2028', '\u0085'] : ['\n', '\r\n', '\t', '\u0007'];
    ways.push(
      fc
        .tuple(personName({ charset: r.charset }), fc.constantFrom(...breaks), fc.constantFrom('x', 'Ann', 'Lee'))
        .map(([name, brk, more]) => ({ text: `${name}${brk}${more}`, code: 'invalid_value' as const })),
    );
    if (r.maxCellLength > 100) {
      ways.push(
        fc
          .integer({ min: 101, max: Math.min(r.maxCellLength, 140) })
          .map((length) => ({ text: 'Anna-Maria '.repeat(13).slice(0, length - 1) + 'a', code: 'too_long' as const })),
      );
    }
  }
  if (column === builtIn.email) {
    ways.push(invalidEmailAddress({ charset: r.charset }).map(code('invalid_email')));
    if (r.maxCellLength > 254) {
      ways.push(
        fc
          .integer({ min: 255, max: Math.min(r.maxCellLength, 270) })
          .map((length) => ({ text: `ada@${'b'.repeat(length - 8)}.com`, code: 'too_long' as const })),
      );
    }
  }
  // Under a small maxCellLength a broken value could be too long before it is anything else.
  return ways.map((way) => way.filter((cell) => cell.code === 'too_long' || cell.text.trim().length <= r.maxCellLength));
}

/**
 * Rows that a schema refuses, each with the exact issues the validator must report on it: one or more
 * cells broken in a way whose code is certain. Any column: text longer than `maxCellLength` (`too_long`).
 * Required columns: blank or only spaces (`required`). The built-in name columns: a line break, tab or
 * control character inside (`invalid_value`), more than 100 characters (`too_long`). The email column:
 * addresses with no @, two @, `mailto:`, a display name, a space, a single-label domain... (`invalid_email`),
 * over 254 bytes (`too_long`). Host columns: whatever their `invalid` arbitrary in `options.columns` gives.
 * The other cells are valid, as in {@link validRow}.
 *
 * @example
 * fc.sample(invalidRow(usersSchema), 1); // e.g. [{ cells: { firstName: 'Zoë', lastName: '', email: 'ann@@example.com' }, issues: [...] }]
 */
export function invalidRow(schema: Schema, options: RowOptions = {}): fc.Arbitrary<ExpectedRow> {
  const r = resolve(options);
  const breakable = columnsOf(schema).map(([key, column]) => ({ key, label: column.label, ways: invalidCells(key, column, r) }));
  return fc
    .tuple(validRow(schema, options), fc.subarray(breakable, { minLength: 1 }).chain((chosen) =>
      fc.tuple(...chosen.map((c) => fc.oneof(...c.ways).map((cell) => ({ key: c.key, label: c.label, cell })))),
    ))
    .map(([valid, broken]) => {
      const cells: Record<string, string> = { ...valid };
      for (const { key, cell } of broken) cells[key] = cell.text;
      const order = new Map(schema.keys.map((key, i) => [key, i]));
      const sorted = [...broken].sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
      return { cells, issues: sorted.map(({ label, cell }) => ({ column: label, code: cell.code })) };
    })
    .filter(({ cells }) => !isBlankRow(cells) && !looksLikeExample(schema, cells));
}

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

/**
 * The value the validator gives a valid row: each non-blank cell, trimmed, through its column's rule (for
 * the built-in columns and the kit's rows, that is the cell itself).
 *
 * @example
 * validatedValue(usersSchema, { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' });
 */
export function validatedValue(schema: Schema, cells: RowCells): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const [key, column] of columnsOf(schema)) {
    const cell = (cells[key] ?? '').trim();
    if (cell !== '') value[key] = column.schema.parse(cell);
  }
  return value;
}
