import { issueCatalogue } from '../report/codes.js';
import type { Issue } from '../report/issue.js';
import type { ErrorSummary } from '../report/summary.js';

/**
 * A summary with more issues in it: counts stay exact, and at most `maxIssues` row and cell issues are
 * kept, the earliest rows first (issues about the file or the header row are always kept).
 *
 * @example
 * addIssues(validation, [alreadyExists], 1000).countsByCode.already_exists; // 1
 */
export function addIssues(summary: ErrorSummary, added: readonly Issue[], maxIssues: number): ErrorSummary {
  if (added.length === 0) return summary;
  const countsByCode = { ...summary.countsByCode };
  const countsByColumn = { ...summary.countsByColumn };
  let errorCount = summary.errorCount;
  let warningCount = summary.warningCount;
  for (const issue of added) {
    countsByCode[issue.code] = (countsByCode[issue.code] ?? 0) + 1;
    if (isError(issue)) {
      errorCount++;
      if (issue.column !== null) countsByColumn[issue.column] = (countsByColumn[issue.column] ?? 0) + 1;
    } else {
      warningCount++;
    }
  }

  const always: Issue[] = [];
  const rowIssues: Issue[] = [];
  for (const issue of [...summary.errors, ...summary.warnings, ...added]) {
    const { level } = issueCatalogue[issue.code];
    (level === 'file' || level === 'header' ? always : rowIssues).push(issue);
  }
  // Array#sort is stable: the issues of one row keep their order, validation's before the added ones.
  rowIssues.sort(byRow);
  const kept = [...always, ...rowIssues.slice(0, maxIssues)].sort(byRow);
  return {
    ...summary,
    valid: errorCount === 0,
    errorCount,
    warningCount,
    errors: kept.filter(isError),
    warnings: kept.filter((issue) => !isError(issue)),
    countsByCode,
    countsByColumn,
    truncated: summary.truncated || rowIssues.length > maxIssues,
  };
}

function isError(issue: Issue): boolean {
  return issueCatalogue[issue.code].severity === 'error';
}

function byRow(a: Issue, b: Issue): number {
  return (a.row ?? 0) - (b.row ?? 0);
}
