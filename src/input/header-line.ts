/** The header row's line, once {@link HeaderLineFinder} has read far enough to know it. */
export interface HeaderLine {
  /** The first record of the text from the first filled line on, without its line break (at most `maxLength` characters). */
  readonly line: string;
  /** The text from the first filled line on, read so far: what the record reader reads first. */
  readonly text: string;
  /** How many blank lines (only spaces, or nothing) came before it and were dropped. */
  readonly blankLines: number;
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/**
 * Finds the header row in text fed chunk by chunk: blank lines before it are counted and dropped, then the
 * first record is read up to a line break outside quotes, as `firstLine` (delimiter.ts) reads it.
 *
 * Each character is scanned once, and what is kept is bounded by `maxLength` plus one chunk: a file of a
 * million blank lines, or a header row of 100 MB that never ends, costs time linear in its length and no more
 * memory than a long row. A header row longer than `maxLength` is cut there to detect the delimiter (the record
 * reader refuses that row as too long anyway). The result does not depend on how the text was split.
 *
 * @example
 * const finder = new HeaderLineFinder(1 << 20);
 * finder.write('\r\n  \r\nemail;name\r\nann@example.com;Ann', false);
 * // { line: 'email;name', text: 'email;name\r\nann@example.com;Ann', blankLines: 2 }
 */
export class HeaderLineFinder {
  readonly #maxLength: number;
  readonly #delimiters: string;
  /** The text not yet dropped: from the start of the line being read, while blank lines are skipped. */
  #text = '';
  /** Where scanning resumes in the kept text. */
  #at = 0;
  #blankLines = 0;
  /** Whether the first filled line was found; the kept text then starts with it. */
  #filled = false;
  #cellStart = true;
  #inQuotes = false;

  /**
   * @param maxLength - the most characters of the header row read before the delimiter is detected anyway.
   * @param delimiters - the characters that start a new cell (a quote opens a quoted cell only at a cell's start).
   */
  constructor(maxLength: number, delimiters = ',;\t|') {
    this.#maxLength = maxLength;
    this.#delimiters = delimiters;
  }

  /** Reads more text; returns the header line once it is known, `undefined` while it may go on. */
  write(text: string, end: boolean): HeaderLine | undefined {
    this.#text += text;
    if (!this.#filled && !this.#skipBlankLines(end)) return end ? this.#found(Math.min(this.#text.length, this.#maxLength)) : undefined;
    const lineEnd = this.#scanRecord(end);
    if (lineEnd !== undefined) return this.#found(lineEnd);
    if (end || this.#text.length >= this.#maxLength) return this.#found(Math.min(this.#text.length, this.#maxLength));
    return undefined;
  }

  #found(lineEnd: number): HeaderLine {
    const text = this.#text;
    this.#text = '';
    return { line: text.slice(0, lineEnd), text, blankLines: this.#blankLines };
  }

  /** Drops the blank lines before the first filled one; whether it was found. */
  #skipBlankLines(end: boolean): boolean {
    const text = this.#text;
    let lineStart = 0;
    let i = this.#at;
    let filled = false;
    for (; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === CR) {
        // CR then LF is one line break; at the end of the chunk, the next one says which it is.
        if (i + 1 === text.length && !end) break;
        if (text.charCodeAt(i + 1) === LF) i++;
        this.#blankLines++;
        lineStart = i + 1;
      } else if (code === LF) {
        this.#blankLines++;
        lineStart = i + 1;
      } else if (code < 0x80 ? code !== 0x20 && code !== 0x09 && code !== 0x0b && code !== 0x0c : text.charAt(i).trim() !== '') {
        filled = true;
        break;
      }
    }
    // A blank line longer than any row is kept only in part: the reader refuses the row it starts either way.
    const from = Math.max(lineStart, i - this.#maxLength - 1);
    this.#text = text.slice(from);
    this.#at = i - from;
    if (filled) {
      this.#filled = true;
      this.#at = 0;
    }
    return filled;
  }

  /** Scans on for the line break that ends the first record; its index, or `undefined` until it is read. */
  #scanRecord(end: boolean): number | undefined {
    const text = this.#text;
    const length = Math.min(text.length, this.#maxLength);
    let i = this.#at;
    while (i < length) {
      const code = text.charCodeAt(i);
      if (this.#inQuotes) {
        const quote = text.indexOf('"', i);
        if (quote === -1 || quote >= length) {
          i = length;
          break;
        }
        // A quote at the end of what was read: the next character says whether it is a doubled quote.
        if (quote + 1 === text.length && !end) {
          i = quote;
          break;
        }
        if (text.charCodeAt(quote + 1) === QUOTE) {
          i = quote + 2;
        } else {
          this.#inQuotes = false;
          this.#cellStart = false;
          i = quote + 1;
        }
      } else if (code === QUOTE && this.#cellStart) {
        this.#inQuotes = true;
        i++;
      } else if (code === CR || code === LF) {
        return i;
      } else {
        this.#cellStart = this.#delimiters.includes(text.charAt(i));
        i++;
      }
    }
    this.#at = Math.min(i, length);
    return undefined;
  }
}
