import { StoreConflictError, StoreError } from './errors.js';
import { runTransaction, type PostgresClient } from './postgres-client.js';
import type { CopyFrom } from './postgres-copy.js';
import { enqueueIntroductions, postgresOutbox, requestImportIntroductions } from './postgres-outbox.js';
import { resolveTables, type TableOptions } from './postgres-table.js';
import { copyUsers, type CopyState } from './postgres-copy-users.js';
import { findUsersByKey, insertUsers, listUsers, redeemInvite, type InsertState } from './postgres-users.js';
import type { ImportRecord, LeasingOutbox, OutboxTransaction, UserPage, StoredUser, UserStore } from './types.js';

/** Options of {@link postgresStore}. */
export interface PostgresStoreOptions extends TableOptions {
  /** A `pg.Pool`, PGlite, or a `pg.Client` wrapped in `singleConnection`. */
  readonly client: PostgresClient;
  /**
   * Rows per `INSERT` statement; an import of any size is still one transaction. Default 2,500, so a
   * `createUsers` call of the importer's 5,000 is two statements and the second is encoded while the
   * server runs the first.
   */
  readonly batchSize?: number;
  /**
   * Optional capability: bulk loading with `COPY … FROM STDIN` instead of `INSERT … unnest`, several times
   * cheaper for the server on large imports. With `pg` and pg-copy-streams:
   * `copyFrom: (connection, sql) => connection.query(from(sql))`. Only for a client whose connections take
   * streaming queries (`pg`: a `Pool` or a `singleConnection`); with PGlite leave it out (it loads with
   * `unnest`): a `copyFrom` that returns no stream makes `createUsers` reject with `invalid_store_options`.
   */
  readonly copyFrom?: CopyFrom;
}

/** The PostgreSQL store: every capability of {@link UserStore}. */
export interface PostgresStore extends UserStore {
  readonly outbox: LeasingOutbox;
  transaction<T>(fn: (tx: OutboxTransaction) => Promise<T>): Promise<T>;
  listUsers(page?: UserPage): Promise<StoredUser[]>;
}

/**
 * A user store over PostgreSQL (a server through `pg`, or PGlite), depending on the client only by the
 * shape of its `query` method.
 *
 * By default it uses rollcall's own `rollcall_users` table; `table`, `columns` and `attributeColumns` map
 * it onto a host's existing users table instead. Either way rollcall's bookkeeping lives in its own
 * `rollcall_imports`, `rollcall_introductions` and `rollcall_introduction_requests` tables: create them with
 * `migratePostgresStore`. With a users table that keeps each user's import id and row (rollcall's own does),
 * an import's introductions are requested with one row and written into the outbox when it is next read.
 *
 * @example
 * ```ts
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * await migratePostgresStore(pool);
 * const store = postgresStore({ client: pool });
 * ```
 */
export function postgresStore(options: PostgresStoreOptions): PostgresStore {
  const { client } = options;
  const tables = resolveTables(options);
  const batchSize = options.batchSize ?? 2500;
  const { copyFrom } = options;
  if (copyFrom !== undefined && typeof copyFrom !== 'function') {
    throw new StoreError('invalid_store_options', 'copyFrom must be a function (connection, sql) => COPY stream');
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new StoreError('invalid_store_options', `batchSize must be a positive integer, got ${String(batchSize)}`);
  }

  // A table that keeps each user's import and row lets the outbox find an import's users itself.
  const knowsImports = tables.columns.importId !== null && tables.columns.row !== null;
  const { inviteTokenHash, credentialExpiresAt, inviteUsedAt } = tables.columns;
  // Redemption needs the hash, the expiry (an invite never expiring is not one to accept) and the mark of use.
  const inviteColumns =
    inviteTokenHash === null || credentialExpiresAt === null || inviteUsedAt === null
      ? undefined
      : { hash: inviteTokenHash, expiresAt: credentialExpiresAt, usedAt: inviteUsedAt };

  return {
    findExistingEmails: (keys) => findUsersByKey(client, tables, keys),

    async findImport(key) {
      const { rows } = await client.query(
        `SELECT id, import_key, fingerprint, outcome, created_at FROM ${tables.imports} WHERE import_key = $1`,
        [key],
      );
      const row = rows[0] as
        | { id: string; import_key: string; fingerprint: string; outcome: unknown; created_at: Date | string }
        | undefined;
      if (row === undefined) return undefined;
      return {
        id: row.id,
        key: row.import_key,
        fingerprint: row.fingerprint,
        outcome: row.outcome,
        createdAt: new Date(row.created_at),
      };
    },

    transaction: (fn) =>
      runTransaction(client, (db) => {
        const copies: CopyState = {};
        const inserts: InsertState = {};
        return fn({
          createUsers: (users) =>
            copyFrom === undefined ? insertUsers(db, tables, users, batchSize, inserts) : copyUsers(db, tables, users, copyFrom, copies),
          async recordImport(record: ImportRecord) {
            const { rows } = await db.query(
              `INSERT INTO ${tables.imports} (id, import_key, fingerprint, outcome, created_at) ` +
                `VALUES ($1, $2, $3, $4::jsonb, $5::timestamptz) ON CONFLICT (import_key) DO NOTHING RETURNING id`,
              [
                record.id,
                record.key,
                record.fingerprint,
                JSON.stringify(record.outcome ?? null),
                record.createdAt.toISOString(),
              ],
            );
            if (rows.length === 0 && record.key !== null) {
              throw new StoreConflictError('import_key_taken', [record.key]);
            }
          },
          enqueueIntroductions: (introductions) =>
            enqueueIntroductions(db, tables, introductions, batchSize, copyFrom),
          ...(knowsImports ? { enqueueImportIntroductions: (importId: string) => requestImportIntroductions(db, tables, importId) } : {}),
        });
      }),

    outbox: postgresOutbox(client, tables),

    listUsers: (page = {}) => listUsers(client, tables, page),

    ...(inviteColumns === undefined
      ? {}
      : { redeemInvite: (tokenHash: string, now: Date) => redeemInvite(client, tables, inviteColumns, tokenHash, now) }),
  };
}
