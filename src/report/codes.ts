/**
 * Every problem rollcall reports, with its severity and where it applies.
 *
 * This object is the single source of the {@link IssueCode} union: the validator, the planner and the
 * docs' error catalogue all read it, so a code cannot be emitted without being listed here.
 *
 * - `level: 'file'` issues have `row: null` and `column: null`;
 * - `level: 'header'` issues are about the header row: `row` is its row number, `column` the column concerned;
 * - `level: 'row'` issues name a row; `level: 'cell'` issues name a row and a column.
 */
export const issueCatalogue = {
  unsupported_file: { severity: 'error', level: 'file', title: 'Not a CSV file or a workbook rollcall reads' },
  unreadable_workbook: { severity: 'error', level: 'file', title: 'The workbook cannot be read' },
  sheet_not_found: { severity: 'error', level: 'file', title: 'The workbook has no sheet of that name' },
  empty_file: { severity: 'error', level: 'file', title: 'The file is empty' },
  no_data_rows: { severity: 'error', level: 'file', title: 'The file has a header row but no users' },
  file_too_large: { severity: 'error', level: 'file', title: 'The file is too large' },
  too_many_rows: { severity: 'error', level: 'file', title: 'The file has too many rows' },
  malformed_csv: { severity: 'error', level: 'row', title: 'The CSV is malformed' },
  missing_column: { severity: 'error', level: 'header', title: 'A required column is missing' },
  duplicate_column: { severity: 'error', level: 'header', title: 'A column appears twice' },
  invalid_encoding: { severity: 'error', level: 'row', title: 'Characters that are not valid UTF-8' },
  required: { severity: 'error', level: 'cell', title: 'A required value is blank' },
  invalid_email: { severity: 'error', level: 'cell', title: 'Not a valid email address' },
  too_long: { severity: 'error', level: 'cell', title: 'The value is too long' },
  invalid_value: { severity: 'error', level: 'cell', title: 'The value is not valid' },
  duplicate_in_file: { severity: 'error', level: 'cell', title: 'The value appears earlier in the file' },
  example_row: { severity: 'error', level: 'row', title: "The template's example row is still in the file" },
  excel_error: { severity: 'error', level: 'cell', title: 'A cell shows an Excel error such as #N/A' },
  already_exists: { severity: 'error', level: 'cell', title: 'A user with this email already exists' },
  decoded_as_windows_1252: { severity: 'warning', level: 'file', title: 'Read as Windows (ANSI) text' },
  other_sheet_has_data: { severity: 'warning', level: 'file', title: 'Another sheet of the workbook also holds data' },
  unknown_column: { severity: 'warning', level: 'header', title: 'A column was not recognised and is ignored' },
  extra_cell: { severity: 'warning', level: 'row', title: 'A value outside the named columns is ignored' },
} as const satisfies Record<string, IssueCodeInfo>;

/** What the catalogue records about each code. */
export interface IssueCodeInfo {
  /** `error` makes the file or import fail; `warning` is reported and does not. */
  readonly severity: 'error' | 'warning';
  /** Whether the issue is about the whole file, the header row, one row, or one cell. */
  readonly level: 'file' | 'header' | 'row' | 'cell';
  /** A short human title, used as the heading in the docs' error catalogue. */
  readonly title: string;
}

/** A code from {@link issueCatalogue}. */
export type IssueCode = keyof typeof issueCatalogue;

/** Every issue code, in catalogue order. */
export const issueCodes = Object.keys(issueCatalogue) as readonly IssueCode[];

/** Whether a code is an error (as opposed to a warning). */
export function isErrorCode(code: IssueCode): boolean {
  return issueCatalogue[code].severity === 'error';
}
