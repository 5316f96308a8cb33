import type { IssueCode } from '../report/codes.js';
import type { IssueContext, MessageFormatter, Messages } from '../report/issue.js';

const MAX_SHOWN = 60;

/**
 * A cell value as a message shows it: quoted, cut to 60 characters, with control and invisible characters
 * written as `U+XXXX` so that no message can move a terminal's cursor or hide text.
 */
export function showValue(value: string | undefined): string {
  if (value === undefined) return '""';
  const cut = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
  // eslint-disable-next-line no-control-regex
  const safe = cut.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/gu, (c) =>
    `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
  );
  return `"${safe}"`;
}

const LIST_SHOWN = 3;
const LIST_WHOLE = 5;

/**
 * A list as a message writes it, whatever its length: `C and D`, `C, D, E, F and G`, or beyond five the first
 * three and a count (`C, D, E and 31,997 more`), so that a message built from a file's header stays short.
 */
export function listText(items: readonly string[]): string {
  if (items.length <= LIST_WHOLE) {
    return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
  }
  return `${items.slice(0, LIST_SHOWN).join(', ')} and ${(items.length - LIST_SHOWN).toLocaleString('en-US')} more`;
}

function at(c: IssueContext): string {
  return c.row === null ? '' : `Row ${c.row}: `;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(bytes % (1 << 20) === 0 ? 0 : 1)} MiB`;
  if (bytes >= 1 << 10) return `${(bytes / (1 << 10)).toFixed(bytes % (1 << 10) === 0 ? 0 : 1)} KiB`;
  return `${bytes} bytes`;
}

const saveAsCsv = 'In Excel, choose File > Save As, pick "CSV UTF-8 (Comma delimited) (*.csv)", and upload that file.';

const saveAsSupported =
  'In Excel, choose File > Save As, pick "Excel Workbook (*.xlsx)" or "CSV UTF-8 (Comma delimited) (*.csv)", and upload that file.';

/** rollcall's English messages. Hosts replace any of them with the `messages` option. */
export const defaultMessages: Readonly<Record<IssueCode, MessageFormatter>> = {
  unsupported_file: (c) => `This file is ${c.detail ?? 'not a CSV file'}, not a CSV file or a spreadsheet workbook (.xlsx or .ods). ${saveAsSupported}`,
  unreadable_workbook: (c) => `This workbook cannot be read: ${c.detail ?? 'it is damaged'}.`,
  sheet_not_found: (c) =>
    `The workbook has no worksheet named ${showValue(c.value)}; its worksheets are ${c.detail ?? 'none'}. Choose one of them.`,
  empty_file: () => 'The file is empty. Download the import template, fill in one row per user, and upload it again.',
  no_data_rows: () => 'The file has a header row but no users. Add one row per user below the header row.',
  file_too_large: (c) =>
    `The file is larger than ${formatBytes(c.limit ?? 0)}, the most that can be imported at once. Split it into smaller files.`,
  too_many_rows: (c) =>
    `The file has more than ${(c.limit ?? 0).toLocaleString('en-US')} ${c.limit === 1 ? 'user' : 'users'}, the most that can be imported at once. Split it into smaller files.`,
  malformed_csv: (c) => `${at(c)}${c.detail ?? 'this row cannot be read as CSV'}.`,
  missing_column: (c) =>
    `The required column "${c.column ?? ''}" is missing from the header row. Add it, spelled as in the import template.`,
  duplicate_column: (c) =>
    `The column "${c.column ?? ''}" appears more than once in the header row (${c.detail ?? ''}). Keep one of them.`,
  invalid_encoding: (c) =>
    `${at(c)}${c.column ?? 'this row'} contains characters that are not valid UTF-8, so the file mixes text encodings. ${saveAsCsv}`,
  required: (c) => `${at(c)}${c.column ?? 'This column'} is blank. Every user needs one; fill it in.`,
  invalid_email: (c) =>
    `${at(c)}${showValue(c.value)} in ${c.column ?? 'this column'} is not a valid email address: ${c.detail ?? 'check it'}.`,
  too_long: (c) =>
    `${at(c)}${c.column ?? 'This value'} is too long (${(c.value ?? '').length} characters); ${c.detail ?? `use at most ${c.limit ?? 0} characters`}.`,
  invalid_value: (c) =>
    `${at(c)}${showValue(c.value)} is not a valid ${c.column ?? 'value'}: ${c.detail ?? 'check it'}.`,
  duplicate_in_file: (c) =>
    `${at(c)}${c.column ?? 'The value'} ${showValue(c.value)} is already in row ${c.firstRow ?? 0}. Each user can appear only once; remove one of the two rows.`,
  example_row: (c) =>
    `${at(c)}this is the import template's example row, not a real user. Delete the row, or replace it with a real user.`,
  excel_error: (c) =>
    `${at(c)}${c.column ?? 'This cell'} shows the Excel error ${showValue(c.value)}, not a value. Fix the formula in that cell, or type the value.`,
  already_exists: (c) =>
    c.onExisting === 'skip'
      ? `${at(c)}a user with the email ${showValue(c.value)} was created by another import while this one ran, so nothing was imported. Import the file again: users who exist by then are skipped.`
      : `${at(c)}a user with the email ${showValue(c.value)} already exists. Remove the row, or import again choosing to skip existing users.`,
  decoded_as_windows_1252: () =>
    `The file is not UTF-8, so it was read as Windows text, which is what Excel's "CSV (Comma delimited)" writes. If any name looks wrong, ${saveAsCsv.charAt(0).toLowerCase()}${saveAsCsv.slice(1)}`,
  other_sheet_has_data: (c) =>
    `Only the sheet ${showValue(c.value)} was read, but the sheet ${showValue(c.detail)} also holds data. If it lists users too, move them to the sheet that is read, or upload them in another file.`,
  unknown_column: (c) => `The column ${showValue(c.value)} (${c.detail ?? ''}) is not part of the import and was ignored.`,
  extra_cell: (c) => `${at(c)}the value ${showValue(c.value)} is in a column with no header (${c.detail ?? ''}) and was ignored.`,
};

/** The message for an issue: the host's formatter for its code if there is one, rollcall's otherwise. */
export function formatMessage(context: IssueContext, messages: Messages | undefined): string {
  const custom = messages?.[context.code];
  return (custom ?? defaultMessages[context.code])(context);
}
