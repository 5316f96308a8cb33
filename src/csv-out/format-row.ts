import { resolveCsvOptions, type CsvWriteOptions } from './csv-options.js';
import { neutraliseFormula } from './formula.js';

// Any of the delimiters rollcall reads, not only the one in use, so a reader that guesses another
// delimiter still sees one cell; whitespace at either end, which Excel and trimming readers drop.
const needsQuotes = /[",;\t|\r\n]|^\s|\s$/;

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
  if (cells.length === 1 && cells[0] === '') return '""';
  return cells.map((cell, i) => formatCell(cell, quoteFirst && i === 0)).join(delimiter);
}

function formatCell(cell: string, forceQuotes: boolean): string {
  const safe = neutraliseFormula(cell);
  if (forceQuotes || safe !== cell || needsQuotes.test(safe)) return `"${safe.replaceAll('"', '""')}"`;
  return safe;
}
