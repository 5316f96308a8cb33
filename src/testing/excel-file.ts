import fc from 'fast-check';
import { createDecoder } from '../input/decode.js';
import type { Schema } from '../schema/define-schema.js';
import { normaliseHeader } from '../schema/normalise-header.js';
import { excelRow } from './excel-row.js';
import { fileRows, type FileRowsOptions } from './file-rows.js';
import type { ExpectedRow } from './row-options.js';
import { canEncodeWindows1252, encodeText, type DialectEncoding } from './text.js';

/** How a spreadsheet program wrote a file. */
export interface ExcelDialect {
  /** `windows-1252` is Excel's "CSV (Comma delimited)"; `utf-16le` its "Unicode Text" (always tab and BOM). */
  readonly encoding: DialectEncoding;
  /** Whether the file starts with a byte order mark (always for UTF-16LE, never for windows-1252). */
  readonly bom: boolean;
  readonly delimiter: ',' | ';' | '\t' | '|';
  /** CRLF (Windows), LF (macOS and Linux tools), CR alone (old Mac Excel). */
  readonly lineEnding: '\r\n' | '\n' | '\r';
  /**
   * `minimal` quotes a cell only when it holds the delimiter, a quote or a line break, as Excel does
   * (header cells also when they hold another delimiter, see {@link excelFile}); `all` quotes every cell.
   */
  readonly quoting: 'minimal' | 'all';
  /** Empty cells after the last column on every row, as Excel writes when a cell further right was once used. */
  readonly trailingEmptyCells: number;
  /** Whether the last row ends with a line ending. */
  readonly finalLineEnding: boolean;
}

/** A generated file: its bytes and what the validator must read from them. */
export interface ExcelFile {
  readonly bytes: Uint8Array;
  /** The file's text before encoding, without the byte order mark. */
  readonly text: string;
  readonly dialect: ExcelDialect;
  /** The schema keys of the file's columns, in file order. */
  readonly keys: readonly string[];
  /**
   * The header cells as written (labels, aliases or variants such as ` e-mail ` or `LAST_NAME`, and the
   * unknown columns), in file order.
   */
  readonly header: readonly string[];
  /** The header cells of columns that are not in the schema (each gets an `unknown_column` warning). */
  readonly unknownColumns: readonly string[];
  /** The data rows with the issues each must produce. */
  readonly rows: readonly ExpectedRow[];
  /** The spreadsheet row number of each data row (blank rows count, the header is row 1 unless blank rows precede it). */
  readonly rowNumbers: readonly number[];
}

/** Options of {@link excelFile}. */
export interface ExcelFileOptions extends FileRowsOptions {
  /** Fixes some parts of the dialect; the rest is generated. */
  readonly dialect?: Partial<ExcelDialect>;
  /** Write header variants (aliases, case, `_` `-` `.` for spaces, padding, a `*` marker). Default `true`. */
  readonly headerVariants?: boolean;
  /** Put columns in any order rather than schema order. Default `true`. */
  readonly shuffleColumns?: boolean;
  /** Insert blank rows and rows of only delimiters between data rows. Default `true`. */
  readonly blankRows?: boolean;
  /** Leave out some optional columns that no row fills, as admins delete them. Default `true`. */
  readonly omitBlankColumns?: boolean;
  /**
   * Add columns the schema does not know (`Notes (internal)`, `備考`...), filled with any text: the validator
   * must ignore them, with an `unknown_column` warning each. Default `false`.
   */
  readonly unknownColumns?: boolean;
}

/** A column of a generated file: a schema column, or an unknown one with its own values. */
interface FileColumn {
  readonly header: string;
  readonly key?: string;
  readonly values?: readonly string[];
}

/** The shape of a file before its dialect is chosen. */
interface Layout {
  readonly columns: readonly FileColumn[];
  readonly rows: readonly ExpectedRow[];
  /** Blank rows before the header row, and before each data row: the text of each blank cell. */
  readonly leading: readonly string[];
  readonly blanks: readonly (readonly string[])[];
}

const unknownHeaders = ['Notes (internal)', 'Favourite colour', 'Kommentar', '備考', 'Manager', 'Start date', 'Row #'];

/** Text of an unknown column: anything a cell may hold, in characters windows-1252 also holds. */
const unknownValue = fc.string({
  unit: fc.constantFrom(...Array.from('abcXYZ019 ,;|\t"\'=-@éü€'), '\n', '\r\n'),
  maxLength: 12,
});

/**
 * Whole files in the dialects admins produce: UTF-8 with or without a BOM, windows-1252, UTF-16LE with a
 * BOM (tab-separated); `,` `;` tab `|`; CRLF, LF or CR alone; cells quoted as Excel quotes them or all
 * quoted, with delimiters, quotes and line breaks inside; trailing empty cells; blank rows; header variants
 * such as ` e-mail ` or `LAST_NAME` in any column order; optional columns left out when no row fills them;
 * on request, columns the schema does not know.
 *
 * `rows` are the data rows (by default {@link fileRows} with `options`). When the text fits windows-1252 that
 * encoding is one of the choices; when the rows are generated here, a file in windows-1252 gets rows that fit
 * it. Two ambiguities no reader can resolve are avoided: a windows-1252 file whose bytes happen to be valid
 * UTF-8 is written as UTF-8 instead, and header cells holding any of `,` `;` tab `|` are quoted so the
 * delimiter can be told from the header row.
 *
 * @example
 * fc.assert(fc.asyncProperty(excelFile(usersSchema), async (file) => {
 *   const summary = await validateFile(file.bytes);
 *   return summary.valid && summary.rowCount === file.rows.length;
 * }));
 */
export function excelFile(
  schema: Schema,
  rows?: fc.Arbitrary<readonly ExpectedRow[]> | readonly ExpectedRow[],
  options: ExcelFileOptions = {},
): fc.Arbitrary<ExcelFile> {
  const fixed = options.dialect?.encoding;
  if (rows === undefined) {
    const charset = fixed === undefined ? fc.constantFrom('unicode' as const, 'windows-1252' as const) : fc.constant(fixed === 'windows-1252' ? 'windows-1252' as const : 'unicode' as const);
    return charset.chain((set) =>
      layout(schema, fileRows(schema, { ...options, charset: set }), options).chain((shape) => dialectFor(shape, set === 'windows-1252', options).map((dialect) => write(shape, dialect))),
    );
  }
  const given = Array.isArray(rows) ? fc.constant(rows as readonly ExpectedRow[]) : (rows as fc.Arbitrary<readonly ExpectedRow[]>);
  return layout(schema, given, options).chain((shape) => dialectFor(shape, false, options).map((dialect) => write(shape, dialect)));
}

function layout(schema: Schema, rows: fc.Arbitrary<readonly ExpectedRow[]>, options: ExcelFileOptions): fc.Arbitrary<Layout> {
  return rows.chain((list) => {
    const filled = new Set(list.flatMap((row) => Object.entries(row.cells).filter(([, cell]) => cell.trim() !== '').map(([key]) => key)));
    const optional = schema.keys.filter((key) => schema.columns[key]?.required !== true && !filled.has(key));
    const blank = fc.oneof(
      { arbitrary: fc.constant<string[]>([]), weight: 6 },
      { arbitrary: fc.array(fc.constantFrom('', ' ', '\t'), { minLength: 1, maxLength: 2 }), weight: 1 },
    );
    const noBlanks = options.blankRows === false;
    const known = new Set(schema.keys.flatMap((key) => [schema.columns[key]?.label ?? key, ...(schema.columns[key]?.aliases ?? [])].map(normaliseHeader)));
    const unknown = options.unknownColumns === true ? unknownHeaders.filter((h) => !known.has(normaliseHeader(h))) : [];
    const unknownColumn = (header: string): fc.Arbitrary<FileColumn> =>
      fc.array(unknownValue, { minLength: list.length, maxLength: list.length }).map((values) => ({ header, values }));
    return fc
      .record({
        leftOut: options.omitBlankColumns === false ? fc.constant<string[]>([]) : fc.subarray(optional),
        extra: fc.subarray(unknown, { maxLength: Math.min(2, unknown.length) }).chain((headers) => fc.tuple(...headers.map(unknownColumn))),
        // Before the header only empty cells or spaces: the first line with anything on it is where a
        // reader detects the delimiter, and a row of blank cells holding tabs would count as tab-separated.
        leading: noBlanks ? fc.constant<string[]>([]) : fc.oneof({ arbitrary: fc.constant<string[]>([]), weight: 3 }, { arbitrary: fc.array(fc.constantFrom('', ' '), { minLength: 1, maxLength: 2 }), weight: 1 }),
        blanks: noBlanks ? fc.constant(list.map(() => [])) : fc.array(blank, { minLength: list.length, maxLength: list.length }),
      })
      .chain(({ leftOut, extra, leading, blanks }) => {
        const kept = schema.keys.filter((key) => !leftOut.includes(key));
        const known = fc.tuple(
          ...kept.map((key) => headerText(schema, key, options.headerVariants !== false).map((header): FileColumn => ({ header, key }))),
        );
        const all = known.map((columns) => [...columns, ...extra]);
        const ordered = options.shuffleColumns === false ? all : all.chain((columns) => fc.shuffledSubarray(columns, { minLength: columns.length, maxLength: columns.length }));
        return ordered.map((columns) => ({ columns, rows: list, leading, blanks }));
      });
  });
}

/** The header text of a column: its label, an alias, or a variant that matches it. */
function headerText(schema: Schema, key: string, variants: boolean): fc.Arbitrary<string> {
  const column = schema.columns[key];
  const label = column?.label ?? key;
  if (!variants) return fc.constant(label);
  const texts = [label, ...(column?.aliases ?? [])];
  return fc
    .record({
      text: fc.constantFrom(...texts),
      letterCase: fc.constantFrom('as-is', 'upper', 'lower'),
      spaces: fc.constantFrom(' ', '_', '-', '.', ''),
      padded: fc.boolean(),
      marked: fc.boolean(),
    })
    .map(({ text, letterCase, spaces, padded, marked }) => {
      let variant = letterCase === 'upper' ? text.toUpperCase() : letterCase === 'lower' ? text.toLowerCase() : text;
      variant = variant.replace(/ /gu, spaces);
      if (marked) variant = `${variant} *`;
      if (padded) variant = ` ${variant} `;
      // Case mapping can change a label's letters (ß becomes SS): keep only variants that still match.
      return normaliseHeader(variant) === normaliseHeader(text) ? variant : text;
    });
}

function dialectFor(shape: Layout, prefer1252: boolean, options: ExcelFileOptions): fc.Arbitrary<ExcelDialect> {
  const fits =
    shape.columns.every((column) => canEncodeWindows1252(column.header) && (column.values ?? []).every(canEncodeWindows1252)) &&
    shape.rows.every((row) => Object.values(row.cells).every(canEncodeWindows1252));
  const fixed = options.dialect ?? {};
  const encoding: fc.Arbitrary<DialectEncoding> =
    fixed.encoding !== undefined
      ? fc.constant(fixed.encoding === 'windows-1252' && !fits ? 'utf-8' : fixed.encoding)
      : prefer1252 && fits
        ? fc.constant('windows-1252')
        : fc.constantFrom<DialectEncoding>('utf-8', 'utf-8', 'utf-16le', ...(fits ? ['windows-1252' as const] : []));
  return encoding.chain((enc) =>
    fc.record({
      encoding: fc.constant(enc),
      bom: fixed.bom !== undefined ? fc.constant(fixed.bom) : fc.constant(enc === 'utf-16le').chain((always) => (always ? fc.constant(true) : enc === 'utf-8' ? fc.boolean() : fc.constant(false))),
      delimiter: fixed.delimiter !== undefined ? fc.constant(fixed.delimiter) : enc === 'utf-16le' ? fc.constant('\t' as const) : fc.constantFrom(',' as const, ';' as const, '\t' as const, '|' as const),
      lineEnding: fixed.lineEnding !== undefined ? fc.constant(fixed.lineEnding) : fc.constantFrom('\r\n' as const, '\n' as const, '\r' as const),
      quoting: fixed.quoting !== undefined ? fc.constant(fixed.quoting) : fc.constantFrom('minimal' as const, 'all' as const),
      trailingEmptyCells: fixed.trailingEmptyCells !== undefined ? fc.constant(fixed.trailingEmptyCells) : fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 2 }), weight: 1 }),
      finalLineEnding: fixed.finalLineEnding !== undefined ? fc.constant(fixed.finalLineEnding) : fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 }),
    }),
  );
}

function write(shape: Layout, dialect: ExcelDialect): ExcelFile {
  // With one column and no trailing cells the header row holds no delimiter: every row's cells that hold one
  // are quoted, as they would otherwise split under the delimiter a reader guesses.
  const { columns } = shape;
  const oneColumn = columns.length === 1 && dialect.trailingEmptyCells === 0;
  const blankLine = (blank: string): string => columns.map(() => blank).join(dialect.delimiter);
  const lines = [...shape.leading.map(blankLine), excelRow(columns.map((c) => c.header), dialect, true)];
  const rowNumbers: number[] = [];
  shape.rows.forEach((row, i) => {
    for (const blank of shape.blanks[i] ?? []) lines.push(blankLine(blank));
    rowNumbers.push(lines.length + 1);
    lines.push(excelRow(columns.map((c) => (c.key === undefined ? (c.values?.[i] ?? '') : (row.cells[c.key] ?? ''))), dialect, oneColumn));
  });
  const text = lines.join(dialect.lineEnding) + (dialect.finalLineEnding ? dialect.lineEnding : '');
  let used = dialect;
  let bytes = encodeText(text, dialect.encoding, dialect.bom);
  if (dialect.encoding === 'windows-1252' && readAs(bytes) === 'utf-8' && /[^\p{ASCII}]/u.test(text)) {
    // Every non-ASCII byte here is part of a valid UTF-8 sequence: any reader would take the file for UTF-8.
    used = { ...dialect, encoding: 'utf-8', bom: false };
    bytes = encodeText(text, 'utf-8', false);
  }
  return {
    bytes,
    text,
    dialect: used,
    keys: columns.flatMap((c) => (c.key === undefined ? [] : [c.key])),
    header: columns.map((c) => c.header),
    unknownColumns: columns.flatMap((c) => (c.key === undefined ? [c.header] : [])),
    rows: shape.rows,
    rowNumbers,
  };
}

function readAs(bytes: Uint8Array): string | null {
  const decoder = createDecoder();
  decoder.write(bytes);
  decoder.end();
  return decoder.encoding;
}

