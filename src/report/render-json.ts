import { issueCodes, type IssueCode } from './codes.js';
import type { Issue } from './issue.js';
import type { Delimiter, Encoding, ErrorSummary } from './summary.js';

/** One issue as `--json` prints it: keys in this order, `value` and `firstRow` only when known. */
export interface IssueJson {
  readonly row: number | null;
  readonly column: string | null;
  readonly code: IssueCode;
  readonly message: string;
  readonly value?: string;
  readonly firstRow?: number;
}

/**
 * An {@link ErrorSummary} as the plain object `rollcall validate --json` prints. Other tools read it, so its
 * keys and their order are a contract: change them only with a major version.
 */
export interface ErrorSummaryJson {
  readonly valid: boolean;
  readonly rowCount: number;
  readonly errorCount: number;
  readonly warningCount: number;
  readonly errors: readonly IssueJson[];
  readonly warnings: readonly IssueJson[];
  readonly countsByCode: Readonly<Partial<Record<IssueCode, number>>>;
  readonly countsByColumn: Readonly<Record<string, number>>;
  readonly truncated: boolean;
  readonly file: {
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
