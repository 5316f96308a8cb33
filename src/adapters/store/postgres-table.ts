import { StoreError } from './errors.js';

/**
 * Where each field of a user goes in the users table. `null` means the table has no such column: the
 * store then never writes that field (and refuses users that need it, such as an invite when there is
 * no `inviteTokenHash` column).
 */
export interface PostgresUserColumns {
  /** The primary key; read back as text, so `uuid`, `bigint` and `text` ids all work. */
  readonly id: string;
  readonly email: string;
  /**
   * The column holding the canonical email key, with a unique index on it. `null` when the table has
   * none: keys are then compared with `lower(email)`, and the unique index must be on `lower(email)`.
   */
  readonly emailKey: string | null;
  readonly firstName: string;
  readonly lastName: string;
  /** A `jsonb` column for the optional attributes that have no column of their own. */
  readonly attributes: string | null;
  readonly passwordHash: string | null;
  readonly mustChangePassword: string | null;
  readonly inviteTokenHash: string | null;
  readonly credentialExpiresAt: string | null;
  /**
   * A `timestamptz` column set when the user's invite is redeemed. With `null` (or without an
   * `inviteTokenHash` or `credentialExpiresAt` column) the store has no `redeemInvite` capability.
   * On a host's own table (`table` given) it is `null` unless named: a table mapped before invites could
   * be redeemed has no such column.
   */
  readonly inviteUsedAt: string | null;
  readonly importId: string | null;
  /** The spreadsheet row the user came from (an integer column). */
  readonly row: string | null;
}

/** The columns of rollcall's own `rollcall_users` table, which {@link migratePostgresStore} creates. */
export const defaultUserColumns: PostgresUserColumns = {
  id: 'id',
  email: 'email',
  emailKey: 'email_key',
  firstName: 'first_name',
  lastName: 'last_name',
  attributes: 'attributes',
  passwordHash: 'password_hash',
  mustChangePassword: 'must_change_password',
  inviteTokenHash: 'invite_token_hash',
  credentialExpiresAt: 'credential_expires_at',
  inviteUsedAt: 'invite_used_at',
  importId: 'import_id',
  row: 'import_row',
};

/** The table names and columns the PostgreSQL store works with, checked and quoted. */
export interface ResolvedTables {
  /** The users table, schema-qualified and quoted. */
  readonly users: string;
  readonly imports: string;
  readonly introductions: string;
  /** Imports whose introductions are still to be written into the outbox (see `enqueueImportIntroductions`). */
  readonly introductionRequests: string;
  readonly columns: PostgresUserColumns;
  /** Attribute key → text column, for attributes stored in a column of their own. */
  readonly attributeColumns: Readonly<Record<string, string>>;
  /** SQL for a user's canonical key: the key column, or `lower(email)`. */
  readonly keyExpression: string;
  /** Whether the users table is rollcall's own `rollcall_users`, as `migratePostgresStore` creates it. */
  readonly ownUsersTable: boolean;
}

/** What {@link resolveTables} reads from the store's options. */
export interface TableOptions {
  readonly schema?: string;
  readonly table?: string;
  readonly columns?: Partial<PostgresUserColumns>;
  readonly attributeColumns?: Readonly<Record<string, string>>;
}

/** Checks the table options and quotes every identifier once, up front. */
export function resolveTables(options: TableOptions): ResolvedTables {
  const columns: PostgresUserColumns = {
    ...defaultUserColumns,
    ...(options.table === undefined ? {} : { inviteUsedAt: null }),
    ...options.columns,
  };
  for (const [field, column] of Object.entries(columns)) {
    if (column !== null) checkIdentifier(column as string, `columns.${field}`);
  }
  const attributeColumns = options.attributeColumns ?? {};
  for (const [key, column] of Object.entries(attributeColumns)) checkIdentifier(column, `attributeColumns.${key}`);
  const qualify = (name: string): string =>
    options.schema === undefined ? quoteIdentifier(name) : `${quoteIdentifier(options.schema)}.${quoteIdentifier(name)}`;
  const keyExpression =
    columns.emailKey === null ? `lower(${quoteIdentifier(columns.email)})` : quoteIdentifier(columns.emailKey);
  return {
    users: qualify(options.table ?? 'rollcall_users'),
    imports: qualify('rollcall_imports'),
    introductions: qualify('rollcall_introductions'),
    introductionRequests: qualify('rollcall_introduction_requests'),
    columns,
    attributeColumns,
    keyExpression,
    ownUsersTable: options.table === undefined && options.columns === undefined && options.attributeColumns === undefined,
  };
}

/**
 * Quotes a PostgreSQL identifier, so any table or column name (mixed case, spaces, quotes) is safe in SQL.
 *
 * @example
 * ```ts
 * quoteIdentifier('User "Accounts"'); // '"User ""Accounts"""'
 * ```
 */
export function quoteIdentifier(name: string): string {
  checkIdentifier(name, 'identifier');
  return `"${name.replaceAll('"', '""')}"`;
}

function checkIdentifier(name: string, option: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.includes('\0')) {
    throw new StoreError('invalid_store_options', `${option} must be a non-empty name without NUL characters`);
  }
}
