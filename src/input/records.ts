import type { Delimiter } from '../report/summary.js';
import { CsvParseReader } from './csv-parse-reader.js';

/** Why a row could not be read as CSV. */
export type MalformedReason =
  | 'unclosed_quote'
  | 'text_after_closing_quote'
  | 'quote_inside_cell'
  | 'row_too_long'
  | 'unreadable';

/** Receives what the reader finds, in file order. `row` is the spreadsheet row number (the first record is 1). */
export interface RecordHandler {
  record(cells: string[], row: number): void;
  malformed(row: number, reason: MalformedReason): void;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
/** {@link scanRecord}: the text ends before the record does. */
const NEED_MORE = -1;
/** {@link scanRecord}: the record is not plainly well formed; csv-parse decides what it is. */
const UNSETTLED = -2;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Reads CSV text (or its UTF-8 bytes) into records with spreadsheet row numbers, fed chunk by chunk, with
 * csv-parse's rules.
 *
 * A quoted cell spanning lines is one row. Blank lines are records (`['']`) so that row numbers stay those
 * the admin sees. Line endings CRLF, LF and CR alone are all row ends, even mixed in one file. When a row is
 * malformed (a stray or unclosed quote), the reader reports it and starts again on the next line, so the rest
 * of the file is still read.
 *
 * Rows of plain cells (a quote inside one is a character, as Excel reads `O"Brien`) and quoted cells closed
 * before a delimiter or line break are split by a scanner over the text, several times faster than
 * csv-parse's byte-by-byte state machine; every other row (text after a closing quote, an unclosed quote, a
 * row near the size limit) is read by csv-parse itself, from the start of that row, with exactly the rules
 * it always had. A law holds the two to the same records.
 */
export class RecordReader {
  readonly #delimiter: Delimiter;
  readonly #delimiterCode: number;
  readonly #handler: RecordHandler;
  readonly #maxRecordBytes: number;
  /** The spreadsheet row number of the next record. */
  #row: number;
  /** The text of a record not yet complete, read again with the next chunk. */
  #carry = '';
  /**
   * How long the carried text must grow before it is read again. Doubling it each time keeps a long row
   * (up to the limit, a megabyte) from being scanned again from its start for every chunk of it: without it,
   * a file of rows of 900,000 characters was read in time quadratic in the row length (a minute for 90 MB).
   */
  #rescanAt = 0;
  /** Decodes what {@link RecordReader.write} is given. */
  #bytes: TextDecoder | undefined;
  /** csv-parse, while it reads a row the scanner did not settle. */
  #detour: CsvParseReader | undefined;
  /** What the detour handed back once its row was read. */
  #handedBack: { text: string; end: boolean } | undefined;

  /**
   * @param options.maxRecordBytes - the longest row read; a longer one is reported as `row_too_long`.
   * @param options.firstRow - the row number of the first record (0 when a `sep=` line precedes the header,
   *   since Excel hides that line and numbers the header row 1).
   */
  constructor(delimiter: Delimiter, handler: RecordHandler, options: { maxRecordBytes: number; firstRow?: number }) {
    this.#delimiter = delimiter;
    this.#delimiterCode = delimiter.charCodeAt(0);
    this.#handler = handler;
    this.#maxRecordBytes = options.maxRecordBytes;
    this.#row = options.firstRow ?? 1;
  }

  /** The spreadsheet row number the next record will get. */
  get nextRow(): number {
    return this.#detour?.nextRow ?? this.#row;
  }

  /** Reads a chunk of UTF-8 bytes (a character may be split across chunks). */
  write(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.writeText((this.#bytes ??= new TextDecoder('utf-8', { ignoreBOM: true })).decode(bytes, { stream: true }));
  }

  /** Reads a chunk of text. */
  writeText(text: string): void {
    if (text.length > 0) this.#read(text, false);
  }

  /** Reads what is left at the end of the input. */
  end(): void {
    this.#read(this.#bytes?.decode() ?? '', true);
  }

  #read(text: string, end: boolean): void {
    let input: string | undefined = text;
    let final = end;
    while (input !== undefined) {
      if (this.#detour !== undefined) {
        const back = this.#feedDetour(input, final);
        if (back === undefined) return;
        input = back.text;
        final = back.end;
      }
      const source = this.#carry + input;
      if (!final && this.#carry !== '' && source.length < this.#rescanAt) {
        this.#carry = source;
        return;
      }
      this.#carry = '';
      input = this.#scan(source, final);
    }
  }

  /**
   * Reads the records of `text` until it ends, keeping an incomplete last record for later, or until a record
   * the scanner does not settle: csv-parse then reads from there on, and the rest of `text` is returned for it.
   */
  #scan(text: string, end: boolean): string | undefined {
    const max = this.#maxRecordBytes;
    let at = 0;
    while (at < text.length) {
      const cells: string[] = [];
      let next = scanRecord(text, at, this.#delimiterCode, end, cells);
      if (next === NEED_MORE) {
        // A record longer than the limit may never end: csv-parse bounds it.
        if (text.length - at <= max) {
          this.#carry = text.slice(at);
          this.#rescanAt = 2 * this.#carry.length;
          return undefined;
        }
        next = UNSETTLED;
      } else if (next !== UNSETTLED && (next - at) * 3 > max && utf8Length(text, at, next) > max) {
        // csv-parse counts the limit in its own way; it decides rows near it.
        next = UNSETTLED;
      }
      if (next === UNSETTLED) {
        this.#startDetour();
        return text.slice(at);
      }
      this.#handler.record(cells, this.#row++);
      at = next;
    }
    return undefined;
  }

  #startDetour(): void {
    this.#detour = new CsvParseReader(this.#delimiter, this.#handler, {
      maxRecordBytes: this.#maxRecordBytes,
      firstRow: this.#row,
      handBack: (rest, end) => {
        this.#handedBack = { text: decoder.decode(rest), end };
      },
    });
  }

  /**
   * Gives csv-parse `text` a line or two at a time (so that it never reads far past its row), and returns what
   * it hands back once its row is read, with the rest of `text`; `undefined` while it still reads.
   */
  #feedDetour(text: string, end: boolean): { text: string; end: boolean } | undefined {
    const detour = this.#detour;
    if (detour === undefined) return { text, end };
    let at = 0;
    while (at < text.length) {
      const to = afterLineBreaks(text, at, 2);
      detour.write(encoder.encode(text.slice(at, to)));
      at = to;
      const back = this.#takeHandedBack(detour);
      if (back !== undefined) return { text: back.text + text.slice(at), end: back.end || end };
    }
    if (!end) return undefined;
    detour.end();
    const back = this.#takeHandedBack(detour);
    if (back !== undefined) return back;
    this.#row = detour.nextRow;
    this.#detour = undefined;
    return undefined;
  }

  #takeHandedBack(detour: CsvParseReader): { text: string; end: boolean } | undefined {
    const back = this.#handedBack;
    if (back === undefined) return undefined;
    this.#handedBack = undefined;
    this.#row = detour.nextRow;
    this.#detour = undefined;
    return back;
  }
}

/**
 * Reads one record from `start`, pushing its cells, and returns where the next record starts; or
 * {@link NEED_MORE} when the text ends first (never when `end`), or {@link UNSETTLED} at a quoted cell not
 * closed before a delimiter, a line break or the end (csv-parse's rules decide what that row is).
 */
function scanRecord(text: string, start: number, delimiter: number, end: boolean, cells: string[]): number {
  const length = text.length;
  let i = start;
  for (;;) {
    if (i === length) {
      // A delimiter just before the end of the input: the record ends with an empty cell.
      if (!end) return NEED_MORE;
      cells.push('');
      return length;
    }
    if (text.charCodeAt(i) === QUOTE) {
      let from = i + 1;
      let doubled = false;
      let close = text.indexOf('"', from);
      // A quote followed by a quote is a quote in the cell.
      while (close !== -1 && close + 1 < length && text.charCodeAt(close + 1) === QUOTE) {
        doubled = true;
        from = close + 2;
        close = text.indexOf('"', from);
      }
      if (close === -1) return end ? UNSETTLED : NEED_MORE;
      if (close + 1 === length && !end) return NEED_MORE;
      const cell = text.slice(i + 1, close);
      const after = close + 1 === length ? -1 : text.charCodeAt(close + 1);
      if (after === delimiter) {
        cells.push(doubled ? cell.replaceAll('""', '"') : cell);
        i = close + 2;
        continue;
      }
      if (after !== -1 && after !== CR && after !== LF) return UNSETTLED;
      const next = lineEnd(text, close + 1, end);
      if (next === NEED_MORE) return NEED_MORE;
      cells.push(doubled ? cell.replaceAll('""', '"') : cell);
      return next;
    }
    // A plain cell. A quote in it (O"Brien, 5'10") is a character: csv-parse refuses it, then reads the row
    // again leniently, where it is one (as Excel reads it), and where well-formed quoted cells read the same.
    let j = i;
    let code = text.charCodeAt(j);
    while (code !== delimiter && code !== CR && code !== LF) {
      if (++j === length) break;
      code = text.charCodeAt(j);
    }
    if (j === length) {
      if (!end) return NEED_MORE;
      cells.push(text.slice(i, length));
      return length;
    }
    if (code === delimiter) {
      cells.push(text.slice(i, j));
      i = j + 1;
      continue;
    }
    const next = lineEnd(text, j, end);
    if (next === NEED_MORE) return NEED_MORE;
    cells.push(text.slice(i, j));
    return next;
  }
}

/** Where the record after a line break (CRLF, LF or CR) at `at` starts, or the end of the text. */
function lineEnd(text: string, at: number, end: boolean): number {
  if (at === text.length) return at;
  if (text.charCodeAt(at) === LF) return at + 1;
  // CR: the next character says whether it is CRLF.
  if (at + 1 === text.length) return end ? at + 1 : NEED_MORE;
  return text.charCodeAt(at + 1) === LF ? at + 2 : at + 1;
}

/** The position after the `count`th line break (CR or LF) from `from`, or the end of the text. */
function afterLineBreaks(text: string, from: number, count: number): number {
  let at = from;
  for (let found = 0; found < count; found++) {
    const lf = text.indexOf('\n', at);
    const cr = text.indexOf('\r', at);
    const next = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
    if (next === -1) return text.length;
    at = next + 1;
  }
  return at;
}

/** The length in UTF-8 of `text[from..to)`. */
function utf8Length(text: string, from: number, to: number): number {
  let bytes = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < to) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
