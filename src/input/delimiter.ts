import type { Delimiter } from '../report/summary.js';

/** The delimiters rollcall recognises, in the order that breaks ties. */
const delimiters: readonly Delimiter[] = [',', ';', '\t', '|'];

/**
 * Reads the first record of CSV text, calling `onDelimiter` for each delimiter outside quotes, and returns the
 * index of the line break that ends it, or -1 when the text holds no line break outside quotes.
 *
 * A quote opens a quoted cell only at the start of a cell (the start of the text, or right after a delimiter),
 * as csv-parse reads it: a stray quote inside a cell then cannot hide the rest of the file.
 */
function scanFirstRecord(text: string, onDelimiter: (delimiter: Delimiter) => void): number {
  let cellStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === '"' && cellStart) {
      const close = closingQuote(text, i + 1);
      if (close === -1) return -1;
      i = close;
      cellStart = false;
    } else if (ch === '\r' || ch === '\n') {
      return i;
    } else if ((delimiters as readonly string[]).includes(ch)) {
      onDelimiter(ch as Delimiter);
      cellStart = true;
    } else {
      cellStart = false;
    }
  }
  return -1;
}

/** The index of the quote that closes a quoted cell whose text starts at `from` (`""` is a quote in it). */
function closingQuote(text: string, from: number): number {
  let at = from;
  for (;;) {
    const quote = text.indexOf('"', at);
    if (quote === -1 || text.charAt(quote + 1) !== '"') return quote;
    at = quote + 2;
  }
}

/**
 * Detects the delimiter from the header row: the most frequent of `,` `;` tab `|` outside quoted labels, ties
 * going to the earlier in that order, and `,` when there is none (a file of one column). Only the first line
 * (up to a line break outside quotes) is read.
 *
 * @example
 * detectDelimiter('Vorname;Nachname;E-Mail'); // ';'
 * detectDelimiter('"Name, full",Email'); // ','
 */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts = new Map<Delimiter, number>();
  scanFirstRecord(headerLine, (delimiter) => counts.set(delimiter, (counts.get(delimiter) ?? 0) + 1));
  let best: Delimiter = ',';
  let bestCount = 0;
  for (const delimiter of delimiters) {
    const count = counts.get(delimiter) ?? 0;
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

/**
 * The text of the first record, without its line break, once a whole line (ended by CR, LF or CRLF outside
 * quotes) has been read; `null` while it may go on. At the end of the input, use all the text instead.
 *
 * @example
 * firstLine('email,name\r\nann@example.com,Ann'); // 'email,name'
 * firstLine('"Notes\non two lines",email'); // null: the line is not complete yet
 */
export function firstLine(text: string): string | null {
  const end = scanFirstRecord(text, () => undefined);
  return end === -1 ? null : text.slice(0, end);
}
