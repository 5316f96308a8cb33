import { isErrorCode, type IssueCode } from '../../src/report/codes.js';
import type { Issue } from '../../src/report/issue.js';
import type { ErrorSummary, FileInfo } from '../../src/report/summary.js';

/** A short way to write an issue in a test: `issue(3, 'Email', 'invalid_email', 'Not an email.')`. */
export function issue(row: number | null, column: string | null, code: IssueCode, message: string, extra: Partial<Issue> = {}): Issue {
  return { row, column, code, message, ...extra };
}

const file: FileInfo = {
  format: 'csv',
  sheet: null,
  bytes: 120,
  encoding: 'utf-8',
  bom: false,
  delimiter: ',',
  columns: [
    { key: 'email', label: 'Email', header: 'E-mail', index: 0 },
    { key: 'name', label: 'Name', header: 'Name', index: 1 },
  ],
  unknownColumns: [],
};

/**
 * A summary of the given issues with exact counts, as the validator would build it. `hidden` issues count
 * in the totals but are left out of the lists (the summary is then truncated).
 */
export function summaryOf(issues: readonly Issue[], options: { hidden?: readonly Issue[]; rowCount?: number } = {}): ErrorSummary {
  const all = [...issues, ...(options.hidden ?? [])];
  const countsByCode: Partial<Record<IssueCode, number>> = {};
  const countsByColumn: Record<string, number> = {};
  for (const { code, column } of all) {
    countsByCode[code] = (countsByCode[code] ?? 0) + 1;
    if (column !== null && isErrorCode(code)) countsByColumn[column] = (countsByColumn[column] ?? 0) + 1;
  }
  const errorCount = all.filter((i) => isErrorCode(i.code)).length;
  return {
    valid: errorCount === 0,
    rowCount: options.rowCount ?? 2,
    errorCount,
    warningCount: all.length - errorCount,
    errors: issues.filter((i) => isErrorCode(i.code)),
    warnings: issues.filter((i) => !isErrorCode(i.code)),
    countsByCode,
    countsByColumn,
    truncated: (options.hidden ?? []).length > 0,
    file,
  };
}
