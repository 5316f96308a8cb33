import { resolveCsvOptions, type CsvWriteOptions, type ResolvedCsvOptions } from './csv-options.js';
import { formatRow } from './format-row.js';

/**
 * Writes rows as one CSV text: the byte order mark first when asked, then every row (the caller includes
 * the header row) followed by the line ending, the last row included. Cells are formula-safe and quoted
 * as {@link formatCsvRow} describes.
 *
 * @example writeCsv([['Email', 'Name'], ['ada@example.com', 'Ada']]) // 'Email,Name\r\nada@example.com,Ada\r\n'
 */
export function writeCsv(rows: Iterable<readonly string[]>, options?: CsvWriteOptions): string {
  const csv = csvText(resolveCsvOptions(options));
  for (const row of rows) csv.add(row);
  return csv.text();
}

/**
 * A CSV text built one row at a time: what {@link writeCsv} uses, for callers that have no iterable of rows.
 *
 * @internal
 */
export interface CsvText {
  /** Adds a row; the array is not kept, so a caller may fill the same one again for the next row. */
  add(row: readonly string[]): void;
  /** The text of the rows added so far, exactly as {@link writeCsv} writes them. */
  text(): string;
}

// The text is built in pieces of about this many characters. `+=` makes a tree of the strings it joins, and
// a piece is made flat (one run of characters) once it is this long: a tree of a whole large file costs far
// more memory and time to keep and to read than a few thousand flat pieces do.
const pieceLength = 16_384;

/**
 * Starts a CSV text with options already checked; rows are then formatted as they are added.
 *
 * @internal
 */
export function csvText(options: ResolvedCsvOptions): CsvText {
  const line = lineWriter(options);
  let done = '';
  let piece = '';
  return {
    add(row) {
      piece += line(row);
      if (piece.length >= pieceLength) {
        done += flat(piece);
        piece = '';
      }
    },
    text: () => done + piece,
  };
}

/**
 * Returns the string made flat: reading a character of a string built by `+=` makes the engine copy its parts
 * into one run of characters (V8 does so; the comparison keeps the read from being left out). The text is
 * the same either way; only the time to build it changes.
 */
function flat(text: string): string {
  return text.charCodeAt(0) >= 0 ? text : text;
}

/**
 * Writes rows one line at a time, for outputs too large to hold as one string: each string is one row
 * with its line ending, the first one preceded by the byte order mark when asked. Joined, the lines are
 * exactly {@link writeCsv}'s text. Bad options throw at the call, not at the first line.
 *
 * @example for (const line of csvLines(rows, { delimiter: ';' })) output.write(line);
 */
export function csvLines(rows: Iterable<readonly string[]>, options?: CsvWriteOptions): Generator<string, void, undefined> {
  return lines(rows, resolveCsvOptions(options));
}

/**
 * {@link csvLines} for rows that arrive asynchronously (from a database cursor, a stream of results).
 *
 * @example for await (const line of csvLinesAsync(resultRows())) await sink.write(line);
 */
export function csvLinesAsync(
  rows: AsyncIterable<readonly string[]> | Iterable<readonly string[]>,
  options?: CsvWriteOptions,
): AsyncGenerator<string, void, undefined> {
  return linesAsync(rows, resolveCsvOptions(options));
}

/**
 * {@link writeCsv}'s text as UTF-8 bytes (the byte order mark becomes `EF BB BF`), ready to save or to
 * offer as a download.
 *
 * @example new Blob([csvBytes(rows, { bom: true })], { type: 'text/csv' })
 */
export function csvBytes(rows: Iterable<readonly string[]>, options?: CsvWriteOptions): Uint8Array {
  return new TextEncoder().encode(writeCsv(rows, options));
}

function* lines(rows: Iterable<readonly string[]>, options: ResolvedCsvOptions): Generator<string, void, undefined> {
  const line = lineWriter(options);
  for (const row of rows) yield line(row);
}

async function* linesAsync(
  rows: AsyncIterable<readonly string[]> | Iterable<readonly string[]>,
  options: ResolvedCsvOptions,
): AsyncGenerator<string, void, undefined> {
  const line = lineWriter(options);
  for await (const row of rows) yield line(row);
}

/** Formats successive rows, putting the byte order mark before the first one when asked. */
function lineWriter({ delimiter, lineEnding, bom }: ResolvedCsvOptions): (row: readonly string[]) => string {
  let first = true;
  return (row) => {
    if (!first) return formatRow(row, delimiter, false) + lineEnding;
    first = false;
    // Excel takes a file whose first two characters are `ID` for a SYLK file and refuses to open it.
    const quoteFirst = !bom && row[0]?.startsWith('ID') === true;
    return (bom ? '\uFEFF' : '') + formatRow(row, delimiter, quoteFirst) + lineEnding;
  };
}
