import { describe, expect, it } from 'vitest';
import { addIssues } from '../../src/plan/add-issues.js';
import type { Issue } from '../../src/report/issue.js';
import type { ErrorSummary } from '../../src/report/summary.js';

const file = { format: 'csv', sheet: null, bytes: 10, encoding: 'utf-8', bom: false, delimiter: ',', columns: [], unknownColumns: [] } as const;

function issue(row: number | null, code: Issue['code'], column: string | null = 'Email'): Issue {
  return { row, column, code, message: `${code} at ${String(row)}` };
}

function summary(errors: Issue[], warnings: Issue[] = [], truncated = false): ErrorSummary {
  const countsByCode: Record<string, number> = {};
  for (const i of [...errors, ...warnings]) countsByCode[i.code] = (countsByCode[i.code] ?? 0) + 1;
  return {
    valid: errors.length === 0,
    rowCount: 10,
    errorCount: errors.length,
    warningCount: warnings.length,
    errors,
    warnings,
    countsByCode,
    countsByColumn: errors.length === 0 ? {} : { Email: errors.length },
    truncated,
    file,
  };
}

describe('addIssues', () => {
  it('returns the summary itself when nothing is added', () => {
    const s = summary([issue(3, 'required')]);
    expect(addIssues(s, [], 10)).toBe(s);
  });

  it('merges issues in row order and keeps every count exact', () => {
    const merged = addIssues(summary([issue(3, 'required'), issue(9, 'invalid_email')], [issue(4, 'extra_cell', null)]), [issue(5, 'already_exists'), issue(2, 'already_exists')], 10);
    expect(merged.errors.map((e) => [e.row, e.code])).toEqual([[2, 'already_exists'], [3, 'required'], [5, 'already_exists'], [9, 'invalid_email']]);
    expect(merged.warnings.map((e) => e.row)).toEqual([4]);
    expect(merged).toMatchObject({
      valid: false,
      errorCount: 4,
      warningCount: 1,
      countsByCode: { required: 1, invalid_email: 1, extra_cell: 1, already_exists: 2 },
      countsByColumn: { Email: 4 },
      truncated: false,
    });
  });

  it('turns a valid summary invalid', () => {
    expect(addIssues(summary([]), [issue(2, 'already_exists')], 10).valid).toBe(false);
  });

  it('keeps at most maxIssues row issues, the earliest rows first, and always the file-level ones', () => {
    const merged = addIssues(summary([issue(null, 'file_too_large', null), issue(8, 'required')]), [issue(2, 'already_exists'), issue(3, 'already_exists')], 2);
    expect(merged.errors.map((e) => e.row)).toEqual([null, 2, 3]);
    expect(merged.errorCount).toBe(4);
    expect(merged.truncated).toBe(true);
  });

  it('stays truncated when the summary it started from was', () => {
    expect(addIssues(summary([issue(3, 'required')], [], true), [issue(2, 'already_exists')], 10).truncated).toBe(true);
  });
});
