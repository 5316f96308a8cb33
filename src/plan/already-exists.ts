import type { Issue, Messages } from '../report/issue.js';
import { formatMessage } from '../validate/messages.js';

/**
 * The `already_exists` issue of a row whose email a stored user has, on the email column.
 *
 * @example alreadyExistsIssue(7, 'Email', 'ada@example.org') // { code: 'already_exists', row: 7, … }
 */
export function alreadyExistsIssue(row: number, column: string, email: string, messages?: Messages): Issue {
  const context = { code: 'already_exists', row, column, value: email } as const;
  return { ...context, message: formatMessage(context, messages) };
}
