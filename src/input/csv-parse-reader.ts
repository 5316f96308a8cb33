import { Parser } from 'csv-parse';
import type { Delimiter } from '../report/summary.js';
import type { MalformedReason, RecordHandler } from './records.js';

/**
 * The part of csv-parse's push parser that rollcall drives. csv-parse builds its Node stream, its Web stream and
 * its sync API on this same object (`Parser#api`); driving it directly costs no promise or stream per record.
 */
interface PushParser {
  parse(
    chunk: Uint8Array | undefined,
    end: boolean,
    push: (record: string[]) => void,
    close: () => void,
  ): { code?: string } | undefined;
  readonly info: { readonly bytes: number };
}

const csvErrorReasons: Readonly<Record<string, MalformedReason>> = {
  CSV_QUOTE_NOT_CLOSED: 'unclosed_quote',
  CSV_INVALID_CLOSING_QUOTE: 'text_after_closing_quote',
  INVALID_OPENING_QUOTE: 'quote_inside_cell',
  CSV_MAX_RECORD_SIZE: 'row_too_long',
};

const LF = 0x0a;
const CR = 0x0d;

/** Options of {@link CsvParseReader}. */
export interface CsvParseReaderOptions {
  /** The longest row read; a longer one is reported as `row_too_long`. */
  readonly maxRecordBytes: number;
  /** The row number of the first record. Default 1. */
  readonly firstRow?: number;
  /**
   * Makes the reader read one row only: once it has read a row, or reported a malformed one and skipped the
   * rest of its line, it stops and passes the bytes it was given after that point here (`end` when they are
   * the end of the input). {@link RecordReader} reads the rows it cannot settle itself this way.
   */
  readonly handBack?: (rest: Uint8Array, end: boolean) => void;
}

/**
 * Reads UTF-8 CSV bytes into records with spreadsheet row numbers, fed chunk by chunk, with csv-parse: the
 * reader of record for what {@link RecordReader} does not settle itself (stray and unclosed quotes, text
 * after a closing quote, rows too long), with the same rules.
 *
 * A quoted cell spanning lines is one row. Blank lines are records (`['']`) so that row numbers stay those
 * the admin sees. Line endings CRLF, LF and CR alone are all row ends, even mixed in one file. When a row is
 * malformed (a stray or unclosed quote), the reader reports it and starts again on the next line, so the rest
 * of the file is still read.
 */
export class CsvParseReader {
  readonly #delimiter: string;
  readonly #maxRecordBytes: number;
  readonly #handler: RecordHandler;
  readonly #handBack: ((rest: Uint8Array, end: boolean) => void) | undefined;
  /** Once the one row is read (with `handBack`): bytes written later are not read. */
  #done = false;
  #parser: PushParser;
  /** The spreadsheet row number of the next record. */
  #row = 1;
  /** Bytes given to the current parser, and the offset in them where the current record starts. */
  #fed = 0;
  #recordStart = 0;
  /** The chunks that hold the bytes from `#recordStart` on, kept to start again after a malformed row. */
  #pending: Uint8Array[] = [];
  #pendingStart = 0;
  /** After a malformed row: bytes are skipped until the end of the line where it starts. */
  #skipping: false | { lastWasCr: boolean } = false;
  /**
   * Whether the current parser reads one record leniently: a quote inside a cell that does not start with
   * one is then a literal character (`O"Brien`, `37.8"N`), as Excel reads it. Only that record is read so,
   * and strict reading resumes after it.
   */
  #lenient = false;
  /** Whether the current parser has read the one record it reads (leniently, or at all with `handBack`). */
  #oneRecordRead = false;

  constructor(delimiter: Delimiter, handler: RecordHandler, options: CsvParseReaderOptions) {
    this.#delimiter = delimiter;
    this.#handler = handler;
    this.#maxRecordBytes = options.maxRecordBytes;
    this.#row = options.firstRow ?? 1;
    this.#handBack = options.handBack;
    this.#parser = this.#newParser();
  }

  /** The spreadsheet row number the next record will get. */
  get nextRow(): number {
    return this.#row;
  }

  /** Reads a chunk of UTF-8 bytes. */
  write(bytes: Uint8Array): void {
    if (bytes.length === 0 || this.#done) return;
    this.#feed(bytes, false);
  }

  /** Reads what is left at the end of the input. */
  end(): void {
    if (this.#done) return;
    this.#feed(undefined, true);
  }

  #newParser(lenient = false): PushParser {
    const parser = new Parser({
      delimiter: this.#delimiter,
      relax_quotes: lenient,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      skip_empty_lines: false,
      max_record_size: this.#maxRecordBytes,
    }) as unknown as { api?: PushParser };
    if (typeof parser.api?.parse !== 'function') {
      throw new Error('rollcall: this version of csv-parse has no push parser (Parser#api); use csv-parse 7');
    }
    return parser.api;
  }

  readonly #push = (record: string[]): void => {
    if (this.#oneRecordRead) return;
    if (this.#lenient || this.#handBack !== undefined) this.#oneRecordRead = true;
    this.#recordStart = this.#parser.info.bytes;
    this.#handler.record(record, this.#row++);
  };

  #feed(bytes: Uint8Array | undefined, end: boolean): void {
    let chunk = bytes;
    if (this.#skipping !== false && chunk !== undefined) {
      chunk = this.#skipLine(chunk);
      // The malformed row's line is skipped: the one row this reader reads is done.
      if (this.#handBack !== undefined && !this.#isSkipping()) {
        this.#stop(chunk ?? new Uint8Array(), end);
        return;
      }
      if (chunk === undefined) return;
    }
    if (chunk !== undefined) {
      this.#pending.push(chunk);
      this.#fed += chunk.length;
    }
    const error = this.#parser.parse(chunk, end, this.#push, noop);
    if (this.#oneRecordRead) {
      // The one record is read: read what follows it strictly again, whatever the parser made of it (or, with
      // handBack, pass it back).
      this.#restart(this.#bytesFrom(this.#recordStart), end, false);
      return;
    }
    if (error === undefined) {
      this.#dropConsumed();
      return;
    }
    if (error.code === 'INVALID_OPENING_QUOTE' && !this.#lenient) {
      this.#restart(this.#bytesFrom(this.#recordStart), end, true);
      return;
    }
    // The record that starts at #recordStart is malformed: report it, skip the rest of its first line, and
    // read everything after that line with a fresh parser.
    const rest = this.#bytesFrom(this.#recordStart);
    this.#handler.malformed(this.#row++, csvErrorReasons[error.code ?? ''] ?? 'unreadable');
    this.#skipping = { lastWasCr: false };
    const after = this.#skipLine(rest);
    this.#restart(after ?? new Uint8Array(), end, false);
  }

  /** Reads `bytes` (and what follows) with a fresh parser, lenient for one record or strict. */
  #restart(bytes: Uint8Array, end: boolean, lenient: boolean): void {
    if (!lenient && this.#handBack !== undefined && this.#skipping === false) {
      this.#stop(bytes, end);
      return;
    }
    this.#parser = this.#newParser(lenient);
    this.#lenient = lenient;
    this.#oneRecordRead = false;
    this.#fed = 0;
    this.#recordStart = 0;
    this.#pending = [];
    this.#pendingStart = 0;
    if (bytes.length > 0 || end) this.#feed(bytes.length > 0 ? bytes : undefined, end);
  }

  // A method, so that the compiler does not narrow #skipping across a call that changes it.
  #isSkipping(): boolean {
    return this.#skipping !== false;
  }

  #stop(rest: Uint8Array, end: boolean): void {
    this.#done = true;
    this.#pending = [];
    this.#handBack?.(rest, end);
  }

  /** Skips bytes up to and including the next line break; returns what follows, if anything. */
  #skipLine(bytes: Uint8Array): Uint8Array | undefined {
    const state = this.#skipping;
    if (state === false) return bytes;
    let i = 0;
    if (state.lastWasCr && bytes.length > 0) {
      // The line ended with CR at the end of the previous chunk: a following LF belongs to it.
      this.#skipping = false;
      return bytes[0] === LF ? rest(bytes, 1) : bytes;
    }
    for (; i < bytes.length; i++) {
      const b = bytes[i];
      if (b === LF) {
        this.#skipping = false;
        return rest(bytes, i + 1);
      }
      if (b === CR) {
        if (i + 1 < bytes.length) {
          this.#skipping = false;
          return rest(bytes, bytes[i + 1] === LF ? i + 2 : i + 1);
        }
        this.#skipping = { lastWasCr: true };
        return undefined;
      }
    }
    return undefined;
  }

  /** Forgets the chunks that hold only bytes of records already read. */
  #dropConsumed(): void {
    while (this.#pending.length > 1) {
      const first = this.#pending[0];
      if (first === undefined || this.#pendingStart + first.length > this.#recordStart) break;
      this.#pendingStart += first.length;
      this.#pending.shift();
    }
  }

  /** The bytes given to the parser from `offset` on. */
  #bytesFrom(offset: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, this.#fed - offset));
    let at = this.#pendingStart;
    let written = 0;
    for (const chunk of this.#pending) {
      const from = Math.max(0, offset - at);
      if (from < chunk.length) {
        out.set(chunk.subarray(from), written);
        written += chunk.length - from;
      }
      at += chunk.length;
    }
    return out;
  }
}

function rest(bytes: Uint8Array, from: number): Uint8Array | undefined {
  return from < bytes.length ? bytes.subarray(from) : undefined;
}

function noop(): void {
  // csv-parse calls close() when it is done; the reader has nothing to release.
}
