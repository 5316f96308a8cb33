import { formatMessage } from '../validate/messages.js';
import { issueCatalogue, type IssueCode } from './codes.js';
import type { Issue, IssueContext, Messages } from './issue.js';
import type { ErrorSummary, FileInfo } from './summary.js';

/** The longest cell value an issue keeps; longer ones are cut, so a 100 MB cell never sits in a report. */
export const MAX_ISSUE_VALUE_LENGTH = 256;

/**
 * Gathers issues into an {@link ErrorSummary}: exact counts always, at most `maxIssues` row and cell issues
 * kept, and apart from them at most `maxIssues` header issues (file-level issues are always kept).
 */
export class IssueCollector {
  readonly #maxIssues: number;
  readonly #messages: Messages | undefined;
  readonly #errors: Issue[] = [];
  readonly #warnings: Issue[] = [];
  readonly #byCode: Partial<Record<IssueCode, number>> = {};
  readonly #byColumn: Record<string, number> = {};
  #errorCount = 0;
  #warningCount = 0;
  #kept = 0;
  #headerKept = 0;
  #truncated = false;

  constructor(options: { maxIssues: number; messages?: Messages | undefined }) {
    this.#maxIssues = options.maxIssues;
    this.#messages = options.messages;
  }

  /** The number of errors so far. */
  get errorCount(): number {
    return this.#errorCount;
  }

  /** Records an issue and returns it, with its message. */
  add(context: IssueContext): Issue {
    const value = context.value;
    const issue: Issue = {
      row: context.row,
      column: context.column,
      code: context.code,
      message: formatMessage(context, this.#messages),
      ...(value === undefined
        ? {}
        : { value: value.length > MAX_ISSUE_VALUE_LENGTH ? cutValue(value) : value }),
      ...(context.firstRow === undefined ? {} : { firstRow: context.firstRow }),
    };
    const { severity, level } = issueCatalogue[issue.code];
    this.#byCode[issue.code] = (this.#byCode[issue.code] ?? 0) + 1;
    if (severity === 'error') {
      this.#errorCount++;
      if (issue.column !== null) this.#byColumn[issue.column] = (this.#byColumn[issue.column] ?? 0) + 1;
    } else {
      this.#warningCount++;
    }
    // File issues are one or two; header issues get a limit of their own, so that a row of 100,000 unknown
    // columns neither floods the summary nor takes the room of the row issues.
    const keep = level === 'file' || (level === 'header' ? this.#headerKept < this.#maxIssues : this.#kept < this.#maxIssues);
    if (keep) {
      if (level === 'header') this.#headerKept++;
      else if (level !== 'file') this.#kept++;
      (severity === 'error' ? this.#errors : this.#warnings).push(issue);
    } else {
      this.#truncated = true;
    }
    return issue;
  }

  /** The summary of everything recorded, issues in file order (file-level first, then by row). */
  summary(rowCount: number, file: FileInfo): ErrorSummary {
    return {
      valid: this.#errorCount === 0,
      rowCount,
      errorCount: this.#errorCount,
      warningCount: this.#warningCount,
      errors: inFileOrder(this.#errors),
      warnings: inFileOrder(this.#warnings),
      countsByCode: { ...this.#byCode },
      countsByColumn: { ...this.#byColumn },
      truncated: this.#truncated,
      file,
    };
  }
}

function inFileOrder(issues: readonly Issue[]): Issue[] {
  // Array#sort is stable: issues of one row keep the order of the row's columns.
  return [...issues].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
}

/**
 * The start of a long value, as a string of its own: a slice would keep the whole value (a cell of up to a
 * megabyte) alive for as long as the summary is kept.
 */
function cutValue(value: string): string {
  // Slicing a concatenation flattens it into a new string first; a plain slice() would point into the value.
  return `${` ${value.slice(0, MAX_ISSUE_VALUE_LENGTH)}`.slice(1)}…`;
}
