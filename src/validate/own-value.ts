import { MAX_ISSUE_VALUE_LENGTH } from '../report/collector.js';
import type { IssueContext } from '../report/issue.js';

/**
 * A cell's text that keeps nothing else alive. Cells are slices of the text of the part of the file they were
 * read from, and engines keep that whole text alive while a slice of it is: a summary keeping a thousand
 * issues from all over a large file would keep a thousand pieces of it. Only issues need this; it copies.
 */
function ownString(text: string): string {
  // A concatenation is flattened into a new string by slice(). Even short strings need it: V8 makes a slice of
  // 13 characters or more (an address) point into its parent, and that parent may hold a megabyte-long cell.
  return ` ${text}`.slice(1);
}

/** The issue with its value, if it has one, as {@link ownValue}. */
export function withOwnValue(context: IssueContext): IssueContext {
  return context.value === undefined ? context : { ...context, value: ownValue(context.value) };
}

/**
 * A value for an issue that keeps nothing else alive. A value longer than the summary keeps is passed as it
 * is: the collector counts all of it for the message and keeps its own copy of the start (copying a cell of a
 * megabyte here first would cost a megabyte per issue for nothing).
 */
export function ownValue(text: string): string {
  return text.length > MAX_ISSUE_VALUE_LENGTH ? text : ownString(text);
}
