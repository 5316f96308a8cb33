import { concatBytes } from '../input/concat-bytes.js';
import { createDecoder, type Decoder } from '../input/decode.js';
import { detectDelimiter } from '../input/delimiter.js';
import { HeaderLineFinder } from '../input/header-line.js';
import { RecordReader, type MalformedReason } from '../input/records.js';
import { sniffFileType, sniffLength } from '../input/sniff.js';
import { WorkbookError } from '../input/workbook/workbook-error.js';
import { openWorkbook, type OpenedWorkbook } from '../input/workbook/workbook-reader.js';
import { IssueCollector } from '../report/collector.js';
import type { Issue, IssueContext, Messages } from '../report/issue.js';
import type { Delimiter, ErrorSummary, FileInfo } from '../report/summary.js';
import type { Schema } from '../schema/define-schema.js';
import { readHeaderRow, sepLine } from './header-row.js';
import type { Limits } from './limits.js';
import { RowChecker } from './row-checker.js';

/** One validated data row: its value, or the issues that keep it from being imported. */
export type RowResult<R = Record<string, unknown>> =
  | { readonly row: number; readonly valid: true; readonly value: R }
  | { readonly row: number; readonly valid: false; readonly issues: readonly Issue[] };

const maxRecordBytesFloor = 1 << 20;

const malformedDetail: Readonly<Record<MalformedReason, string>> = {
  unclosed_quote:
    'a quote (") opens a cell here and is never closed, so the rows after it could not be read as they are. Remove the stray quote, or close it',
  text_after_closing_quote:
    'a quoted cell is followed by more text before the next comma. Put the whole cell in quotes, and double any quote inside it ("")',
  quote_inside_cell:
    'a quote (") is inside a cell that does not start with one. Put the whole cell in quotes and double the quote (""), or remove it',
  row_too_long:
    'this row is too long to be a row of users; usually a quote opened here is never closed. Check this row for a stray quote (")',
  unreadable: 'this row cannot be read as CSV. Save the file again from Excel as CSV',
};

/**
 * Validates a file fed as byte chunks, synchronously: the state machine behind `validateRows`. It sniffs the
 * file type, decodes, detects the delimiter from the header row, matches the header, and checks each row, and
 * collects the rows it finishes into batches that the caller takes with {@link FileValidator.take}.
 */
export class FileValidator {
  readonly #schema: Schema;
  readonly #limits: Limits;
  #issues: IssueCollector;
  readonly #messages: Messages | undefined;
  readonly #decoder: Decoder = createDecoder();

  #bytes = 0;
  #sniffed = false;
  #sniffBuffer: Uint8Array[] = [];
  #sniffedBytes = 0;
  /** Reads the text before the header row is complete (the delimiter is not known until then). */
  readonly #headerLine: HeaderLineFinder;
  readonly #maxRecordBytes: number;
  #delimiter: Delimiter | null = null;
  #reader: RecordReader | undefined;
  #header: readonly string[] | undefined;
  /** Checks the data rows against the columns the header row bound, once it is read. */
  #rows: RowChecker | undefined;
  /** Whether rows are checked: not when the header lacks a required column or names one twice. */
  #checkRows = true;
  #columnsFound: FileInfo['columns'] = [];
  #unknownColumns: string[] = [];
  #rowCount = 0;
  #stopped = false;
  #batch: RowResult[] = [];
  /** Whether row results are built; not once only the summary is wanted. */
  #keepRows = true;
  #replacementsSeen = false;
  #warnedWindows1252 = false;
  /** After the file is stopped: whether the rest is still read, to count its bytes or also to decode it. */
  #drain: 'none' | 'count' | 'decode' = 'none';
  /** Whether the file was refused as not text, or read as a workbook, so it has no encoding. */
  #binary = false;
  #format: FileInfo['format'] = 'csv';
  #sheetRead: string | null = null;

  /** A workbook's bytes, kept (up to `maxBytes`) until its end: a zip is read from its directory at the end. */
  #zipChunks: Uint8Array[] | undefined;
  /** The workbook whose sheet is being read, once the whole file is in. */
  #workbook: OpenedWorkbook | undefined;
  readonly #sheet: string | undefined;

  constructor(schema: Schema, limits: Limits, messages: Messages | undefined, sheet?: string) {
    this.#sheet = sheet;
    this.#schema = schema;
    this.#limits = limits;
    this.#maxRecordBytes = Math.max(maxRecordBytesFloor, limits.maxCellLength * 64);
    this.#headerLine = new HeaderLineFinder(this.#maxRecordBytes);
    this.#messages = messages;
    this.#issues = new IssueCollector({ maxIssues: limits.maxIssues, messages });
  }

  /**
   * Whether the rest of the input need not be read: the file was refused or a limit reached, and what
   * {@link FileInfo} reports is settled. (A method, not a getter, because each step of {@link end} may stop
   * the file.)
   */
  isStopped(): boolean {
    return this.#stopped && this.#drain === 'none';
  }

  /** Reads the next chunk of the file. */
  write(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.#stopped) {
      this.#drainChunk(chunk);
      return;
    }
    this.#bytes += chunk.length;
    if (this.#bytes > this.#limits.maxBytes) {
      this.#zipChunks = undefined;
      this.#fileError({ code: 'file_too_large', limit: this.#limits.maxBytes });
      return;
    }
    if (!this.#sniffed) {
      this.#sniffBuffer.push(chunk);
      this.#sniffedBytes += chunk.length;
      if (this.#sniffedBytes < sniffLength) return;
      this.#sniff();
      return;
    }
    if (this.#zipChunks !== undefined) {
      this.#zipChunks.push(chunk);
      return;
    }
    this.#decode(chunk);
  }

  /** Reads the end of the file. */
  end(): void {
    if (this.#stopped) {
      if (this.#drain === 'decode') {
        this.#decoder.end();
        this.#noteEncoding();
      }
      this.#drain = 'none';
      return;
    }
    if (!this.#sniffed) this.#sniff();
    // Refused while sniffing at the end (a short file with a NUL byte): there is nothing left to read.
    if (this.#drain !== 'none') {
      this.#drain = 'none';
      return;
    }
    if (this.#zipChunks !== undefined) {
      const bytes = concatBytes(this.#zipChunks);
      // The chunks are garbage from here on: not kept beside their copy while the workbook is read.
      this.#zipChunks = undefined;
      this.#openWorkbook(bytes);
      return;
    }
    this.#text(this.#decoder.end(), true);
    if (this.isStopped()) return;
    this.#reader?.end();
    if (this.isStopped()) return;
    this.#endOfRows();
  }

  /**
   * Reads the next piece of a workbook's sheet after {@link end}, and returns whether there is more to read.
   * A CSV file is read whole by {@link end}, so this returns `false` for one at once.
   */
  more(): boolean {
    const workbook = this.#workbook;
    if (workbook === undefined) return false;
    try {
      if (!this.#stopped && workbook.step()) {
        this.#sheetRead = workbook.sheet;
        return true;
      }
      this.#sheetRead = workbook.sheet;
      this.#workbook = undefined;
      if (this.#stopped) return false;
      const other = workbook.otherSheetWithData();
      if (other !== null) {
        this.#issues.add({ code: 'other_sheet_has_data', row: null, column: null, value: workbook.sheet ?? '', detail: other });
      }
      this.#endOfRows();
    } catch (error) {
      this.#workbook = undefined;
      this.#workbookError(error);
    }
    return false;
  }

  #openWorkbook(bytes: Uint8Array): void {
    try {
      this.#workbook = openWorkbook(
        bytes,
        {
          row: (cells, row, errorColumns) => {
            this.#record(cells, row, errorColumns);
          },
        },
        { sheet: this.#sheet, maxBytes: this.#limits.maxBytes, maxRun: this.#maxRecordBytes },
      );
      this.#format = this.#workbook.format;
      this.#sheetRead = this.#workbook.sheet;
    } catch (error) {
      this.#workbookError(error);
    }
  }

  /** Refuses the workbook: a {@link WorkbookError} says why; anything else is a reader's bug, refused alike. */
  #workbookError(error: unknown): void {
    if (!(error instanceof WorkbookError)) {
      this.#workbookRefused({ code: 'unreadable_workbook', detail: 'it is damaged. Open it in Excel, save it again, and upload it again' });
      return;
    }
    this.#workbookRefused({ code: error.code, detail: error.detail, ...(error.value === undefined ? {} : { value: error.value }) });
  }

  /** Refuses a workbook, forgetting the rows read before the reason was found, as for any file that cannot be read. */
  #workbookRefused(context: Omit<IssueContext, 'row' | 'column'>): void {
    this.#issues = new IssueCollector({ maxIssues: this.#limits.maxIssues, messages: this.#messages });
    this.#rowCount = 0;
    this.#batch = [];
    this.#columnsFound = [];
    this.#unknownColumns = [];
    this.#fileError(context);
  }

  /** The end of the data rows: a file with no header row or no data row is refused. */
  #endOfRows(): void {
    if (this.#header === undefined) {
      this.#fileError({ code: 'empty_file' });
    } else if (this.#rowCount === 0 && this.#checkRows) {
      this.#fileError({ code: 'no_data_rows' });
    }
  }

  /**
   * Stops building row results: the caller wants only the summary, which stays the same. Rows a caller never
   * sees then cost no value object, no result and no batch.
   */
  dropRows(): void {
    this.#keepRows = false;
    this.#batch = [];
  }

  /** Takes the rows finished since the last call. */
  take(): RowResult[] {
    const batch = this.#batch;
    this.#batch = [];
    return batch;
  }

  /** The summary of the file so far (complete once {@link end} was called). */
  summary(): ErrorSummary {
    return this.#issues.summary(this.#rowCount, {
      format: this.#format,
      sheet: this.#sheetRead,
      bytes: this.#bytes,
      encoding: this.#binary ? null : this.#decoder.encoding,
      bom: this.#binary ? false : this.#decoder.bom,
      delimiter: this.#delimiter,
      columns: this.#columnsFound,
      unknownColumns: this.#unknownColumns,
    });
  }

  #sniff(): void {
    this.#sniffed = true;
    const chunks = this.#sniffBuffer;
    this.#sniffBuffer = [];
    const first = concatBytes(chunks);
    const kind = sniffFileType(first.subarray(0, sniffLength));
    if (kind?.kind === 'xlsx') {
      this.#binary = true;
      this.#format = 'xlsx';
      this.#zipChunks = [first];
      return;
    }
    if (kind !== null) {
      this.#refuseBinary(kind.description);
      return;
    }
    if (first.length > 0) this.#decode(first);
  }

  #decode(chunk: Uint8Array): void {
    const text = this.#decoder.write(chunk);
    if (this.#decoder.nulByte) {
      this.#refuseBinary('a binary file (it contains NUL bytes)');
      return;
    }
    this.#text(text, false);
  }

  #text(text: string, end: boolean): void {
    if (!this.#replacementsSeen && this.#decoder.invalidSequences > 0) this.#replacementsSeen = true;
    this.#noteEncoding();
    if (this.#reader !== undefined) {
      this.#reader.writeText(text);
      return;
    }
    const found = this.#headerLine.write(text, end);
    if (found === undefined) return;
    const headerLine = found.line;
    const sep = sepLine(headerLine);
    const delimiter = sep ?? detectDelimiter(headerLine);
    this.#delimiter = delimiter;
    this.#reader = new RecordReader(
      delimiter,
      {
        record: (cells, row) => {
          if (row > 0) this.#record(cells, row);
        },
        malformed: (row, reason) => {
          this.#malformed(row, reason);
        },
      },
      { maxRecordBytes: this.#maxRecordBytes, firstRow: (sep === undefined ? 1 : 0) + found.blankLines },
    );
    this.#reader.writeText(found.text);
  }

  #record(cells: string[], row: number, errorColumns?: readonly number[]): void {
    if (this.#stopped || isBlank(cells)) return;
    if (this.#header === undefined) {
      this.#readHeader(cells, row);
      return;
    }
    if (this.#rowCount === this.#limits.maxRows) {
      this.#fileError({ code: 'too_many_rows', limit: this.#limits.maxRows });
      // Reading on (without parsing) settles the size and the encoding the summary reports.
      this.#drain = 'decode';
      return;
    }
    this.#rowCount++;
    if (!this.#checkRows || this.#rows === undefined) return;
    const result = this.#rows.check(cells, row, this.#issues, this.#keepRows, this.#replacementsSeen, errorColumns);
    if (result !== undefined) this.#batch.push(result);
  }

  #malformed(row: number, reason: MalformedReason): void {
    if (this.#stopped) return;
    const issue = this.#issues.add({ code: 'malformed_csv', row, column: null, detail: malformedDetail[reason] });
    if (this.#header === undefined) {
      // Without a header row there is nothing to check rows against.
      this.#checkRows = false;
      this.#header = [];
      return;
    }
    this.#rowCount++;
    if (this.#keepRows) this.#batch.push({ row, valid: false, issues: [issue] });
  }

  #readHeader(cells: readonly string[], row: number): void {
    this.#header = cells;
    const header = readHeaderRow(this.#schema, cells, row, this.#issues);
    this.#columnsFound = header.mapping.columns;
    this.#unknownColumns = header.mapping.unknown.map((u) => u.header);
    this.#checkRows = header.checkRows;
    this.#rows = new RowChecker(cells, header, this.#limits);
  }

  /** Tells the admin once that the file is read as windows-1252, whenever the decoder decides it. */
  #noteEncoding(): void {
    if (!this.#warnedWindows1252 && this.#decoder.encoding === 'windows-1252') {
      this.#warnedWindows1252 = true;
      this.#issues.add({ code: 'decoded_as_windows_1252', row: null, column: null });
    }
  }

  /**
   * Refuses a file that is not text, forgetting what was read of it. The rest is still counted (up to
   * `maxBytes`) so that the size the summary reports does not depend on where the input was split into chunks.
   */
  #refuseBinary(description: string): void {
    this.#binary = true;
    // What was read before the NUL byte was not a CSV file either: its header and row issues would say
    // something only when the byte came in a later chunk than them.
    this.#issues = new IssueCollector({ maxIssues: this.#limits.maxIssues, messages: this.#messages });
    this.#rowCount = 0;
    this.#delimiter = null;
    this.#columnsFound = [];
    this.#unknownColumns = [];
    this.#fileError({ code: 'unsupported_file', detail: description });
    this.#drain = 'count';
  }

  /** Reads a chunk after the file was stopped, only to settle its size (and, after `too_many_rows`, its encoding). */
  #drainChunk(chunk: Uint8Array): void {
    if (this.#drain === 'none') return;
    this.#bytes += chunk.length;
    if (this.#bytes > this.#limits.maxBytes) {
      this.#drain = 'none';
      return;
    }
    if (this.#drain === 'decode') {
      this.#decoder.write(chunk);
      this.#noteEncoding();
    }
  }

  #fileError(context: Omit<IssueContext, 'row' | 'column'>): void {
    this.#issues.add({ ...context, row: null, column: null });
    this.#stopped = true;
  }
}

function isBlank(cells: readonly string[]): boolean {
  for (const cell of cells) if (cell.trim() !== '') return false;
  return true;
}
