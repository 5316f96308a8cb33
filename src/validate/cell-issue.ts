import type { IssueContext } from '../report/issue.js';
import type { RuleFailure } from './plain-rule.js';
import { rollcallParams } from './zod-params.js';

/**
 * The issue for a cell a column's zod schema refused: the rollcall code its rule carries, else `too_long` for a
 * length limit, `invalid_email` for zod's email format, and `invalid_value` with the rule's own words.
 */
export function zodIssueContext(
  issue: { code: string; message: string; maximum?: unknown; format?: string } | undefined,
  row: number,
  column: string,
  value: string,
): IssueContext {
  if (issue === undefined) return { code: 'invalid_value', row, column, value };
  const own = rollcallParams(issue as Parameters<typeof rollcallParams>[0]);
  if (own !== undefined) return ruleIssueContext(own, row, column, value);
  if (issue.code === 'too_big' && typeof issue.maximum === 'number') {
    return { code: 'too_long', row, column, value, limit: issue.maximum, detail: `use at most ${issue.maximum} characters` };
  }
  if (issue.code === 'invalid_format' && issue.format === 'email') {
    return { code: 'invalid_email', row, column, value, detail: 'use the form name@example.com' };
  }
  return { code: 'invalid_value', row, column, value, detail: lowerFirst(issue.message) };
}

/** The issue for a cell a column's plain rule (or a rollcall-coded zod issue) refused. */
export function ruleIssueContext(failure: RuleFailure, row: number, column: string, value: string): IssueContext {
  return {
    code: failure.code,
    row,
    column,
    value,
    detail: failure.detail,
    ...(failure.limit === undefined ? {} : { limit: failure.limit }),
  };
}

function lowerFirst(text: string): string {
  return text.length > 1 && text[1] !== text[1]?.toUpperCase() ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}
