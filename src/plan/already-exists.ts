import type { Issue, Messages } from '../report/issue.js';
import type { OnExisting } from './import-plan.js';
import { formatMessage } from '../validate/messages.js';

/**
 * The `already_exists` issue of a row whose email a stored user has, on the email column. `onExisting` is the
 * import's setting, for the message: `skip` when another import took the email while this one ran.
 *
 * @example alreadyExistsIssue(7, 'Email', 'ada@example.org') // { code: 'already_exists', row: 7, … }
 */
export function alreadyExistsIssue(
  row: number,
  column: string,
  email: string,
  messages?: Messages,
  onExisting: OnExisting = 'error',
): Issue {
  const issue = { code: 'already_exists', row, column, value: email } as const;
  return { ...issue, message: formatMessage({ ...issue, onExisting }, messages) };
}
