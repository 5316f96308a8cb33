import { issueCodes, type IssueCode } from './codes.js';
import type { Issue } from './issue.js';
import type { Delimiter, Encoding, ErrorSummary } from './summary.js';

/** One issue as `--json` prints it: keys in this order, `value` and `firstRow` only when known. */
export interface IssueJson {
  /** The spreadsheet row number, or `null` for a file-level issue. */
  readonly row: number | null;
  /** The column's label, or `null` when no column applies. */
  readonly column: string | null;
  /** The issue code, from the catalogue. */
  readonly code: IssueCode;
  /** The message the admin reads. */
  readonly message: string;
  /** The offending cell value, as it was in the file. */
  readonly value?: string;
  /** For `duplicate_in_file`: the earlier row holding the same value. */
  readonly firstRow?: number;
}

/**
 * An {@link ErrorSummary} as the plain object `rollcall validate --json` prints. Other tools read it, so its
 * keys and their order are a contract: change them only with a major version.
 */
export interface ErrorSummaryJson {
  /** `true` when there is no error (warnings do not count). */
  readonly valid: boolean;
  /** Data rows read. */
  readonly rowCount: number;
  /** The exact number of errors, even when `errors` is cut. */
  readonly errorCount: number;
  /** The exact number of warnings, even when `warnings` is cut. */
  readonly warningCount: number;
  /** Errors in file order, at most `maxIssues` row and cell ones. */
  readonly errors: readonly IssueJson[];
  /** Warnings in file order. */
  readonly warnings: readonly IssueJson[];
  /** Exact counts by code, in catalogue order. */
  readonly countsByCode: Readonly<Partial<Record<IssueCode, number>>>;
  /** Exact error counts by column label. */
  readonly countsByColumn: Readonly<Record<string, number>>;
  /** Whether the issue lists were cut at `maxIssues`. */
  readonly truncated: boolean;
  /** What was detected about the file: size, encoding, byte order mark, delimiter and header columns. */
  readonly file: {
    readonly format: 'csv' | 'xlsx' | 'ods';
    readonly sheet: string | null;
    readonly bytes: number;
    readonly encoding: Encoding | null;
    readonly bom: boolean;
    readonly delimiter: Delimiter | null;
    readonly columns: readonly { readonly key: string; readonly label: string; readonly header: string; readonly index: number }[];
    readonly unknownColumns: readonly string[];
  };
}

/**
 * Turns a summary into the plain object the CLI prints with `--json`: keys in a fixed order, copied so that
 * nothing else a summary object may carry leaks out, and `countsByCode` in catalogue order.
 *
 * @example console.log(JSON.stringify(renderJson(summary), null, 2));
 */
export function renderJson(summary: ErrorSummary): ErrorSummaryJson {
  const { file } = summary;
  return {
    valid: summary.valid,
    rowCount: summary.rowCount,
    errorCount: summary.errorCount,
    warningCount: summary.warningCount,
    errors: summary.errors.map(issueJson),
    warnings: summary.warnings.map(issueJson),
    countsByCode: Object.fromEntries(
      issueCodes.flatMap((code) => {
        const count = summary.countsByCode[code];
        return count === undefined ? [] : [[code, count]];
      }),
    ),
    countsByColumn: { ...summary.countsByColumn },
    truncated: summary.truncated,
    file: {
      format: file.format,
      sheet: file.sheet,
      bytes: file.bytes,
      encoding: file.encoding,
      bom: file.bom,
      delimiter: file.delimiter,
      columns: file.columns.map(({ key, label, header, index }) => ({ key, label, header, index })),
      unknownColumns: [...file.unknownColumns],
    },
  };
}

function issueJson(issue: Issue): IssueJson {
  return {
    row: issue.row,
    column: issue.column,
    code: issue.code,
    message: issue.message,
    ...(issue.value === undefined ? {} : { value: issue.value }),
    ...(issue.firstRow === undefined ? {} : { firstRow: issue.firstRow }),
  };
}
