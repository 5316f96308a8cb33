/** The issue a {@link WorkbookError} becomes. */
export type WorkbookErrorCode = 'unreadable_workbook' | 'unsupported_file' | 'sheet_not_found';

/**
 * Why a workbook cannot be read, in words for the admin. The workbook readers throw it; the validator turns it
 * into a file-level issue of its `code`, so it never reaches a host.
 */
export class WorkbookError extends Error {
  /**
   * @param detail - completes the message: the reason (`unreadable_workbook`), what the file is
   *   (`unsupported_file`), or the worksheets there are (`sheet_not_found`).
   * @param value - for `sheet_not_found`, the sheet name asked for.
   */
  constructor(
    readonly detail: string,
    readonly code: WorkbookErrorCode = 'unreadable_workbook',
    readonly value?: string,
  ) {
    super(detail);
    this.name = 'WorkbookError';
  }
}
