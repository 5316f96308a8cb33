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
  let text = '';
  for (const line of csvLines(rows, options)) text += line;
  return text;
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
