import { resolveCsvOptions, type CsvWriteOptions } from './csv-options.js';
import { neutraliseFormula } from './formula.js';

// Any of the delimiters rollcall reads, not only the one in use, so a reader that guesses another
// delimiter still sees one cell; whitespace at either end, which Excel and trimming readers drop.
const needsQuotes = /[",;\t|\r\n]|^\s|\s$/;
// A cell this does not match is written as it is, so most names, emails and passwords skip the formula
// guards: it holds no quote or separator (nothing to quote, no part after a separator to guard), does not
// start with an apostrophe, whitespace or a trigger (the cell itself is no part to guard) and does not end
// with whitespace.
const mayChange = /^['\s=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[",;\t|\r\n]|\s$/;

/**
 * Formats one row of cells as a CSV line, without the line ending. Every cell goes through
 * {@link neutraliseFormula}; a cell is quoted (inner quotes doubled) when it holds a quote, CR, LF or any of
 * `,` `;` TAB `|`, starts or ends with whitespace, or was neutralised. A row of one empty cell is written
 * as `""` so that it does not read back as a blank line.
 *
 * @example formatCsvRow(['Ada', '=1+1', 'say "hi"']) // 'Ada,"\'=1+1","say ""hi"""'
 */
export function formatCsvRow(cells: readonly string[], options?: CsvWriteOptions): string {
  return formatRow(cells, resolveCsvOptions(options).delimiter, false);
}

/**
 * The row formatter behind {@link formatCsvRow}, with options already checked. `quoteFirst` quotes the
 * first cell whatever it holds (the writer uses it to keep Excel from taking a file that starts with `ID`
 * for a SYLK file).
 *
 * @internal
 */
export function formatRow(cells: readonly string[], delimiter: string, quoteFirst: boolean): string {
  const count = cells.length;
  if (count === 0) return '';
  if (count === 1 && cells[0] === '') return '""';
  // Cells are written as joining an array writes them, whatever a caller in plain JavaScript passes: a
  // missing one (a hole, `undefined`, `null`) as empty, anything else as its string.
  let line = '';
  line += quoteFirst ? formatCell(cells[0] ?? '', true) : csvCell(cells[0] ?? '');
  for (let i = 1; i < count; i++) line += delimiter + csvCell(cells[i] ?? '');
  return line;
}

/**
 * One cell as {@link formatRow} writes it (when it need not be quoted whatever it holds): the cell itself
 * when it is plain, which one linear test tells, otherwise what {@link formatCell} makes of it. The
 * result is always exactly `formatCell(cell, false)`.
 *
 * @internal
 */
export function csvCell(cell: string): string {
  return mayChange.test(cell) ? formatCell(cell, false) : cell;
}

/**
 * The general cell formatter: neutralises the cell with {@link neutraliseFormula}, then quotes it (inner
 * quotes doubled) when it must be quoted or when `forceQuotes` says so.
 *
 * @internal
 */
export function formatCell(cell: string, forceQuotes: boolean): string {
  const safe = neutraliseFormula(cell);
  if (forceQuotes || safe !== cell || needsQuotes.test(safe)) return `"${safe.replaceAll('"', '""')}"`;
  return safe;
}
