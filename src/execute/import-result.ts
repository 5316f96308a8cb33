import { resolveCsvOptions, type CsvWriteOptions } from '../csv-out/csv-options.js';
import { csvText } from '../csv-out/write-csv.js';
import type { PlanColumn } from '../plan/import-plan.js';
import type { ErrorSummary } from '../report/summary.js';

/** How created users first sign in: a temporary password, or an invite link built from a token. */
export type CredentialKind = 'password' | 'invite';

/** A user the import created. */
export interface CreatedEntry {
  /** The spreadsheet row the user came from. */
  readonly row: number;
  /** The email, as stored. */
  readonly email: string;
  /** The first name, as stored. */
  readonly firstName: string;
  /** The last name, as stored. */
  readonly lastName: string;
  /** The schema's optional columns, by key. */
  readonly attributes: Readonly<Record<string, string>>;
  /** The store's id for the user (in a replay, only when the plan found the user). */
  readonly userId?: string;
  /** The temporary password, in password mode; never present in a replay. */
  readonly temporaryPassword?: string;
  /** The invite token to build the link from, in invite mode; never present in a replay. */
  readonly inviteToken?: string;
}

/** A row left out because a user with its email already exists (`onExisting: 'skip'`). */
export interface SkippedEntry {
  /** The spreadsheet row left out. */
  readonly row: number;
  /** The email a stored user already has. */
  readonly email: string;
  /** Why the row was left out. */
  readonly reason: 'already_exists';
}

interface Imported {
  /** The users were imported. */
  readonly imported: true;
  /** The import's id, as the store recorded it. */
  readonly importId: string;
  /** Whether the created users got temporary passwords or invite tokens. */
  readonly credential: CredentialKind;
  /** The users created, in file order. */
  readonly created: readonly CreatedEntry[];
  /** The rows skipped because their email was already stored, in file order. */
  readonly skipped: readonly SkippedEntry[];
  /**
   * The results file for the admin: First Name, Last Name, Email, the Temporary Password or Invite Token
   * (not in a replay), then the optional columns; formula-safe, with a byte order mark for Excel unless
   * `options.bom` is `false`.
   */
  resultsCsv(options?: CsvWriteOptions): string;
}

/** The import ran now: every user in `created` exists, with the credential shown here and nowhere else. */
export interface ImportCompleted extends Imported {
  /** The import ran now. */
  readonly replayed: false;
  /** When the temporary passwords or invite tokens stop working. */
  readonly expiresAt: Date;
  /** The plan's summary: warnings, and in `valid-rows-only` mode the problems of the rows left out. */
  readonly summary: ErrorSummary;
}

/**
 * The same import key and file were imported before: this is that earlier outcome, and nothing was
 * created now. Passwords and invite tokens are shown only once, so they are not in it.
 */
export interface ImportReplayed extends Imported {
  /** This is an earlier import's outcome. */
  readonly replayed: true;
  /** When the earlier import ran. */
  readonly importedAt: Date;
  /** Says, in English, that this is an earlier import and that its credentials are not shown again. */
  readonly note: string;
}

/** Nothing was imported, because of the problems in `summary`. */
export interface ImportNotDone {
  /** Nothing was imported. */
  readonly imported: false;
  /** The problems that stopped the import. */
  readonly summary: ErrorSummary;
}

/** What `executeImport` and `importUsers` resolve with. */
export type ImportResult = ImportCompleted | ImportReplayed | ImportNotDone;

/**
 * Writes the results file's rows through the formula-safe CSV writer.
 *
 * @example resultsCsv(plan.columns, 'password', created) // '\uFEFFFirst Name,Last Name,Email,Temporary Password\r\n…'
 */
export function resultsCsv(
  columns: readonly PlanColumn[],
  credential: CredentialKind | null,
  created: readonly CreatedEntry[],
  options: CsvWriteOptions = {},
): string {
  const label = (key: string, fallback: string): string => columns.find((c) => c.key === key)?.label ?? fallback;
  const optional = columns.filter((c) => c.key !== 'firstName' && c.key !== 'lastName' && c.key !== 'email');
  const header = [label('firstName', 'First Name'), label('lastName', 'Last Name'), label('email', 'Email')];
  if (credential !== null) header.push(credential === 'password' ? 'Temporary Password' : 'Invite Token');
  header.push(...optional.map((c) => c.label));
  const csv = csvText(resolveCsvOptions({ bom: true, ...options }));
  csv.add(header);
  // One array, filled again for every user (the writer keeps none), rather than one array per user.
  const cells = header.slice();
  const secret = credential === 'password' ? 'temporaryPassword' : 'inviteToken';
  for (const user of created) {
    cells[0] = user.firstName;
    cells[1] = user.lastName;
    cells[2] = user.email;
    let i = 3;
    if (credential !== null) cells[i++] = user[secret] ?? '';
    for (const column of optional) cells[i++] = user.attributes[column.key] ?? '';
    csv.add(cells);
  }
  return csv.text();
}
