import type { IssueCode } from './codes.js';

/**
 * One problem found in a file or an import, as data.
 *
 * `row` is the row number the admin sees in Excel (the header is row 1); `row` and `column` are `null`
 * for problems about the whole file.
 */
export interface Issue {
  /** The spreadsheet row number, or `null` for a file-level problem. */
  readonly row: number | null;
  /** The column's header label as the template writes it, or `null` when no column applies. */
  readonly column: string | null;
  /** The machine-readable code, from {@link issueCatalogue}. */
  readonly code: IssueCode;
  /** A plain-English sentence that names the problem and says how to fix it. */
  readonly message: string;
  /** The offending cell value, as it was in the file. */
  readonly value?: string;
  /** For `duplicate_in_file`: the earlier row that holds the same value. */
  readonly firstRow?: number;
}

/**
 * Everything a message function may use to describe an issue. Hosts replace the English messages
 * (for another language, or another tone) with functions over this context.
 */
export interface IssueContext {
  /** The issue code. */
  readonly code: IssueCode;
  /** The spreadsheet row number, or `null` for a file-level issue. */
  readonly row: number | null;
  /** The column's label, or `null` when no column applies. */
  readonly column: string | null;
  /** The offending cell value, as it was in the file. */
  readonly value?: string;
  /** For `duplicate_in_file`: the earlier row holding the same value. */
  readonly firstRow?: number;
  /** The limit that was exceeded (`too_long`, `file_too_large`, `too_many_rows`). */
  readonly limit?: number;
  /** Extra detail: the rule's own message for `invalid_value`, the encoding, the detected delimiter... */
  readonly detail?: string;
  /**
   * For `already_exists`: what the import does with existing users. `skip` means another import created the
   * user while this one ran (an import that skips existing users fails only then), so the message must not
   * advise skipping them.
   */
  readonly onExisting?: 'error' | 'skip';
}

/** A function that turns an issue's context into the message an admin reads. */
export type MessageFormatter = (context: IssueContext) => string;

/** Replacement messages, by code. Codes left out keep rollcall's English message. */
export type Messages = Partial<Record<IssueCode, MessageFormatter>>;
