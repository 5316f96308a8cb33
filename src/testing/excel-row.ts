import type { ExcelDialect } from './excel-file.js';

const anyDelimiter = /[,;\t|]/u;

function quote(cell: string): string {
  return `"${cell.replaceAll('"', '""')}"`;
}

/**
 * One row as a spreadsheet program writes it in a dialect, without the line ending: cells quoted as
 * {@link ExcelDialect.quoting} says (no formula neutralising: this is how admins' files look, not how rollcall
 * writes), then the trailing empty cells. `quoteAnyDelimiter` also quotes cells holding a delimiter other than
 * the dialect's, which a header row needs so that its delimiter can be detected.
 *
 * @example
 * excelRow(['Smith, Jr.', 'ann@example.com'], { delimiter: ';', quoting: 'minimal', trailingEmptyCells: 0 }); // 'Smith, Jr.;ann@example.com'
 */
export function excelRow(
  cells: readonly string[],
  dialect: Pick<ExcelDialect, 'delimiter' | 'quoting' | 'trailingEmptyCells'>,
  quoteAnyDelimiter = false,
): string {
  const { delimiter, quoting, trailingEmptyCells } = dialect;
  const text = (cell: string): string => {
    if (quoting === 'all') return quote(cell);
    const needs = cell.includes(delimiter) || cell.includes('"') || cell.includes('\r') || cell.includes('\n');
    return needs || (quoteAnyDelimiter && anyDelimiter.test(cell)) ? quote(cell) : cell;
  };
  return cells.map(text).join(delimiter) + delimiter.repeat(trailingEmptyCells);
}
