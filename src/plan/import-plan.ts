import type { ErrorSummary } from '../report/summary.js';

/** What to do with a row whose email a stored user already has. */
export type OnExisting = 'error' | 'skip';

/**
 * `all-or-nothing` creates every user of the file or none; `valid-rows-only` creates the rows without
 * problems and leaves the others out (a problem with the file as a whole still stops everything).
 */
export type ImportMode = 'all-or-nothing' | 'valid-rows-only';

/** What the plan will do with one valid row: create the user, skip it, or refuse it as already existing. */
export type PlanAction = 'create' | 'skip' | 'conflict';

/** One valid row of the file and what the import will do with it. */
export interface PlannedRow {
  /** The spreadsheet row number. */
  readonly row: number;
  /** Whether the row is created, skipped, or refused as already existing. */
  readonly action: PlanAction;
  /** The email to store, as validated. */
  readonly email: string;
  /** The canonical key the store's unique index is on. */
  readonly emailKey: string;
  /** The first name, as validated. */
  readonly firstName: string;
  /** The last name, as validated. */
  readonly lastName: string;
  /** The schema's optional columns, by key; blank cells are left out. */
  readonly attributes: Readonly<Record<string, string>>;
  /** For `skip` and `conflict`: the store's id of the user who has this email. */
  readonly existingId?: string;
}

/** A column of the schema the file was planned with. */
export interface PlanColumn {
  /** The schema key. */
  readonly key: string;
  /** The header label the template writes. */
  readonly label: string;
  /** Whether every row must have a value. */
  readonly required: boolean;
}

/** The settings a plan was made with: each one changes which rows are created. */
export interface PlanSettings {
  /** What happens to a row whose email a stored user already has. */
  readonly onExisting: OnExisting;
  /** All or nothing, or only the valid rows. */
  readonly mode: ImportMode;
  /** The most data rows read. */
  readonly maxRows: number;
  /** The most bytes read. */
  readonly maxBytes: number;
  /** The most characters in one cell. */
  readonly maxCellLength: number;
  /** The workbook sheet named to be read, when one was. */
  readonly sheet?: string;
}

/** How many rows of each kind the plan holds. */
export interface PlanCounts {
  /** Data rows in the file. */
  readonly rows: number;
  /** Rows whose user is created. */
  readonly create: number;
  /** Rows skipped because their email is already stored. */
  readonly skip: number;
  /** Rows refused because their email is already stored (`already_exists`). */
  readonly conflict: number;
  /** Rows with a validation error. */
  readonly invalid: number;
}

/**
 * What an import would do, computed without writing: plain JSON-serialisable data, so a host can show it
 * as a preview, keep it (in a session, a table) and execute it later with `executeImport`.
 */
export interface ImportPlan {
  /** The plan format's version, so a stored plan from another version is refused. */
  readonly version: 1;
  /** SHA-256 over the file's bytes, the schema's columns and the settings: `sha256:` and 64 hex digits. */
  readonly fingerprint: string;
  /** The digest of the file's bytes that were read. */
  readonly file: { readonly sha256: string; readonly bytes: number };
  /** The schema's columns, in template order. */
  readonly columns: readonly PlanColumn[];
  /** The settings the plan was made with. */
  readonly settings: PlanSettings;
  /** Validation issues, plus `already_exists` for each row that conflicts with a stored user. */
  readonly summary: ErrorSummary;
  /** The most row and cell issues the summary keeps, also when executing adds some. */
  readonly maxIssues: number;
  /** Every valid row, in file order, with its action. Rows with validation errors are only in `summary`. */
  readonly rows: readonly PlannedRow[];
  /** How many rows of each kind the plan holds. */
  readonly counts: PlanCounts;
  /**
   * Whether executing the plan would write: never when the file as a whole has a problem; in
   * `all-or-nothing` mode only when there is no error at all; in `valid-rows-only` mode when at least one
   * row would be created or skipped.
   */
  readonly executable: boolean;
}
