import { restoreFormula } from '../csv-out/formula.js';
import { concatBytes } from '../input/concat-bytes.js';
import { createDecoder, type Decoder } from '../input/decode.js';
import { detectDelimiter } from '../input/delimiter.js';
import { HeaderLineFinder } from '../input/header-line.js';
import { RecordReader, type MalformedReason } from '../input/records.js';
import { sniffFileType, sniffLength } from '../input/sniff.js';
import { IssueCollector, MAX_ISSUE_VALUE_LENGTH } from '../report/collector.js';
import type { Issue, IssueContext, Messages } from '../report/issue.js';
import type { Delimiter, ErrorSummary, FileInfo } from '../report/summary.js';
import { defaultUniqueKey, type Column } from '../schema/column.js';
import type { Schema } from '../schema/define-schema.js';
import { columnLetter, matchHeader } from '../schema/header-match.js';
import { createDuplicateIndex, type DuplicateIndex } from './duplicate-index.js';
import { emailKey } from './email.js';
import { exampleRowMatcher } from './example-row.js';
import type { Limits } from './limits.js';
import { ruleIssueContext, zodIssueContext } from './cell-issue.js';
import { plainRuleOf, type PlainRule } from './plain-rule.js';

/** One validated data row: its value, or the issues that keep it from being imported. */
export type RowResult<R = Record<string, unknown>> =
  | { readonly row: number; readonly valid: true; readonly value: R }
  | { readonly row: number; readonly valid: false; readonly issues: readonly Issue[] };

/** A schema column located in the file, ready to check cells. */
interface BoundColumn {
  readonly key: string;
  readonly label: string;
  readonly index: number;
  readonly column: Column;
  /** The column's rule without zod, when it has one. */
  readonly rule: PlainRule | undefined;
  readonly duplicates: DuplicateIndex | undefined;
  /** Whether the unique key is the value lowercased (as text, in NFC), which the index can do itself for ASCII. */
  readonly lowercaseKey: boolean;
}

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
  #columns: BoundColumn[] = [];
  /** Whether a row is the template's example row; `undefined` when no column found has an example. */
  #isExampleRow: ((cells: readonly string[]) => boolean) | undefined;
  #headerWidth = 0;
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
  /** Whether the file was refused as not text, so it has no encoding. */
  #binary = false;

  constructor(schema: Schema, limits: Limits, messages: Messages | undefined) {
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
    if (this.isStopped()) return;
    this.#text(this.#decoder.end(), true);
    if (this.isStopped()) return;
    this.#reader?.end();
    if (this.isStopped()) return;
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
    // Excel reads (and some exports write) a first line `sep=;` that names the delimiter; Excel hides it.
    const sep = /^sep=([,;\t|])$/iu.exec(headerLine)?.[1] as Delimiter | undefined;
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

  #record(cells: string[], row: number): void {
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
    if (this.#checkRows) this.#checkRow(cells, row);
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
    const mapping = matchHeader(this.#schema, cells.map(restoreFormula));
    this.#headerWidth = mapping.width;
    this.#columnsFound = mapping.columns;
    this.#unknownColumns = mapping.unknown.map((u) => u.header);
    for (const problem of mapping.problems) {
      switch (problem.code) {
        case 'missing_column':
          this.#checkRows = false;
          this.#issues.add({ code: 'missing_column', row, column: problem.label });
          break;
        case 'duplicate_column':
          this.#checkRows = false;
          this.#issues.add({
            code: 'duplicate_column',
            row,
            column: problem.label,
            detail: `columns ${problem.indexes.map(columnLetter).join(', ')}`,
          });
          break;
        case 'unknown_column':
          this.#issues.add({
            code: 'unknown_column',
            row,
            column: null,
            value: problem.header,
            detail: `column ${columnLetter(problem.index)}`,
          });
          break;
      }
    }
    this.#columns = mapping.columns.map((match) => {
      const column = this.#schema.columns[match.key] as Column;
      return {
        key: match.key,
        label: match.label,
        index: match.index,
        column,
        rule: plainRuleOf(column.schema),
        duplicates: column.unique ? createDuplicateIndex() : undefined,
        lowercaseKey: column.uniqueKey === emailKey || column.uniqueKey === defaultUniqueKey,
      };
    });
    this.#isExampleRow = exampleRowMatcher(this.#columns);
  }

  #checkRow(cells: readonly string[], row: number): void {
    if (this.#isExampleRow?.(cells) === true) {
      const issue = this.#issues.add({ code: 'example_row', row, column: null });
      if (this.#keepRows) this.#batch.push({ row, valid: false, issues: [issue] });
      return;
    }
    const keep = this.#keepRows;
    let issues: Issue[] | undefined;
    const value: Record<string, unknown> | undefined = keep ? {} : undefined;
    const add = (context: IssueContext): void => {
      const issue = this.#issues.add(withOwnValue(context));
      if (keep) (issues ??= []).push(issue);
    };
    for (const bound of this.#columns) {
      const raw = cells[bound.index] ?? '';
      const cell = raw.trim();
      const column = bound.label;
      if (this.#replacementsSeen && cell.includes('\uFFFD')) {
        add({ code: 'invalid_encoding', row, column, value: raw });
        continue;
      }
      if (cell === '') {
        if (bound.column.required) add({ code: 'required', row, column });
        continue;
      }
      if (cell.length > this.#limits.maxCellLength) {
        add({ code: 'too_long', row, column, value: cell, limit: this.#limits.maxCellLength });
        continue;
      }
      let data: unknown;
      if (bound.rule === undefined) {
        const parsed = bound.column.schema.safeParse(cell);
        if (!parsed.success) {
          add(zodIssueContext(parsed.error.issues[0], row, column, cell));
          continue;
        }
        data = parsed.data;
      } else {
        const out = bound.rule(cell);
        if (typeof out !== 'string') {
          add(ruleIssueContext(out, row, column, cell));
          continue;
        }
        data = out;
      }
      if (value !== undefined) value[bound.key] = data;
      if (bound.duplicates !== undefined) {
        let firstRow = bound.lowercaseKey && typeof data === 'string' ? bound.duplicates.firstRowOfLowercase(data, row) : null;
        if (firstRow === null) firstRow = bound.duplicates.firstRowOf(bound.column.uniqueKey(data), row);
        if (firstRow !== undefined) add({ code: 'duplicate_in_file', row, column, value: cell, firstRow });
      }
    }
    this.#extraCells(cells, row);
    if (value !== undefined) this.#batch.push(issues === undefined ? { row, valid: true, value } : { row, valid: false, issues });
  }

  /** Warns about values in columns that have no header: they would otherwise be lost silently. */
  #extraCells(cells: readonly string[], row: number): void {
    const header = this.#header ?? [];
    for (let index = 0; index < cells.length; index++) {
      if (index < this.#headerWidth && (header[index] ?? '').trim() !== '') continue;
      const cell = cells[index] ?? '';
      if (cell.trim() === '') continue;
      this.#issues.add({ code: 'extra_cell', row, column: null, value: ownValue(cell), detail: `column ${columnLetter(index)}` });
    }
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

/**
 * A cell's text that keeps nothing else alive. Cells are slices of the text of the part of the file they were
 * read from, and engines keep that whole text alive while a slice of it is: a summary keeping a thousand
 * issues from all over a large file would keep a thousand pieces of it. Only issues need this; it copies.
 */
function ownString(text: string): string {
  // A concatenation is flattened into a new string by slice(). Even short strings need it: V8 makes a slice of
  // 13 characters or more (an address) point into its parent, and that parent may hold a megabyte-long cell.
  return ` ${text}`.slice(1);
}

function withOwnValue(context: IssueContext): IssueContext {
  return context.value === undefined ? context : { ...context, value: ownValue(context.value) };
}

/**
 * A value for an issue that keeps nothing else alive. A value longer than the summary keeps is passed as it
 * is: the collector counts all of it for the message and keeps its own copy of the start (copying a cell of a
 * megabyte here first would cost a megabyte per issue for nothing).
 */
function ownValue(text: string): string {
  return text.length > MAX_ISSUE_VALUE_LENGTH ? text : ownString(text);
}

function isBlank(cells: readonly string[]): boolean {
  for (const cell of cells) if (cell.trim() !== '') return false;
  return true;
}
