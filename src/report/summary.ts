import type { IssueCode } from './codes.js';
import type { Issue } from './issue.js';

/** The text encodings rollcall reads. */
export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** The delimiters rollcall detects from the header row. */
export type Delimiter = ',' | ';' | '\t' | '|';

/** How one column of the schema was found in the file's header row. */
export interface HeaderMatch {
  /** The schema key (the property name in validated rows). */
  readonly key: string;
  /** The column's label as the template writes it. */
  readonly label: string;
  /** The header text as it was in the file. */
  readonly header: string;
  /** The 0-based position of the column in the file. */
  readonly index: number;
}

/** What rollcall detected about the file it read. */
export interface FileInfo {
  /** What the file was read as: CSV text, or a workbook (`xlsx`, `ods`). */
  readonly format: 'csv' | 'xlsx' | 'ods';
  /** The name of the workbook sheet read, or `null` for CSV (and for a workbook refused before a sheet was chosen). */
  readonly sheet: string | null;
  /** Bytes read. */
  readonly bytes: number;
  /** The encoding the text was decoded from (`null` when the file was refused before decoding). */
  readonly encoding: Encoding | null;
  /** Whether the file started with a byte order mark. */
  readonly bom: boolean;
  /** The delimiter detected from the header row (`null` when there was no header row). */
  readonly delimiter: Delimiter | null;
  /** The schema columns found in the header, in file order. */
  readonly columns: readonly HeaderMatch[];
  /** Header cells that matched no column (ignored, with an `unknown_column` warning). */
  readonly unknownColumns: readonly string[];
}

/**
 * The outcome of validating a file (and, later, of planning an import): every issue with exact counts.
 *
 * `errors` and `warnings` keep at most `maxIssues` entries between them; when some were left out,
 * `truncated` is `true`, and `errorCount`, `warningCount` and the counts by code and by column stay exact.
 */
export interface ErrorSummary {
  /** `true` when there is no error (warnings do not count). */
  readonly valid: boolean;
  /** Data rows read: not the header, not blank rows, not rows of only delimiters. */
  readonly rowCount: number;
  /** The exact number of errors, even when the list is truncated. */
  readonly errorCount: number;
  /** The exact number of warnings, even when the list is truncated. */
  readonly warningCount: number;
  /** Errors in file order: file-level first, then by row. */
  readonly errors: readonly Issue[];
  /** Warnings in file order. */
  readonly warnings: readonly Issue[];
  /** Exact counts of errors and warnings by code. */
  readonly countsByCode: Readonly<Partial<Record<IssueCode, number>>>;
  /** Exact counts of errors by column label (issues with no column are not counted here). */
  readonly countsByColumn: Readonly<Record<string, number>>;
  /** Whether some issues were left out of `errors`/`warnings` because of the `maxIssues` limit. */
  readonly truncated: boolean;
  /** What was detected about the file. */
  readonly file: FileInfo;
}
