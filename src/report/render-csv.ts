import type { CsvWriteOptions } from '../csv-out/csv-options.js';
import { writeCsv } from '../csv-out/write-csv.js';
import type { Issue } from './issue.js';
import type { ErrorSummary } from './summary.js';

/** The header row of the CSV error report. */
export const csvReportHeader = ['Row', 'Column', 'Code', 'Problem', 'Value'] as const;

/**
 * The rows of the CSV error report, header first: one row per listed issue, errors then warnings, with an
 * empty Row or Column cell where the issue has none. Feed them to `csvLines` to write a large report in parts.
 *
 * @example for (const line of csvLines(csvReportRows(summary), { bom: true })) out.write(line);
 */
export function csvReportRows(summary: ErrorSummary): string[][] {
  return [[...csvReportHeader], ...summary.errors.map(reportRow), ...summary.warnings.map(reportRow)];
}

/**
 * Writes the CSV error report an admin can open next to their file: `Row,Column,Code,Problem,Value`, one
 * line per listed issue, through the formula-safe writer (a value like `=cmd()` from the file comes out as
 * `'=cmd()`). When the summary was truncated, the report lists the same issues the summary kept.
 *
 * @example await writeFile('errors.csv', renderCsvReport(summary, { bom: true }));
 */
export function renderCsvReport(summary: ErrorSummary, options?: CsvWriteOptions): string {
  return writeCsv(csvReportRows(summary), options);
}

function reportRow(issue: Issue): string[] {
  return [issue.row === null ? '' : String(issue.row), issue.column ?? '', issue.code, issue.message, issue.value ?? ''];
}
