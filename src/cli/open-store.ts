import { resolve } from 'node:path';
import { openFolderStore } from '../adapters/store/folder-store.js';
import { migratePostgresStore, type MigrateResult } from '../adapters/store/postgres-migrate.js';
import type { CopyFrom } from '../adapters/store/postgres-copy.js';
import { postgresStore, type PostgresStore } from '../adapters/store/postgres.js';
import { RollcallError } from '../rollcall-error.js';
import { errorText, UsageError } from './args.js';

/** The folder `rollcall import` keeps its embedded database in unless `--db` says otherwise. */
export const defaultDatabaseFolder = 'rollcall-data';

/** `--wait SECONDS`, shared by the commands that open a store. */
export const waitArgOption = { wait: { type: 'string' } } as const;

export const waitUsage = `  --wait SECONDS          how long to wait for another rollcall command using the database folder
                          (default 5): then stop, changing nothing
`;

/** The `--wait` option in milliseconds: a number of seconds, 0 or more (default 5). */
export function waitMs(value: string | undefined): number {
  if (value === undefined) return 5000;
  if (!/^\d+(\.\d+)?$/u.test(value) || !Number.isFinite(Number(value))) {
    throw new UsageError(`--wait takes a number of seconds, got "${value}"`);
  }
  return Math.round(Number(value) * 1000);
}

/** A store the command line opened, where it is (for messages, without a password), and how to close it. */
export interface OpenedStore {
  readonly store: PostgresStore;
  readonly location: string;
  /** Flushes what the store committed to the disk, so it survives a power loss (a server does this itself). */
  sync(): Promise<void>;
  close(): Promise<void>;
  /**
   * Closes the store, and removes the database folder this command created (or filled, when it was empty) if
   * nobody and no import is in it: an import that failed leaves no 40 MB folder behind. Otherwise only closes.
   */
  closeAndDiscardIfUnused(): Promise<void>;
}

/**
 * Opens the store `--db` names: a `postgres://` URL through `pg`, otherwise a PGlite database folder
 * (`./rollcall-data` by default), created and migrated on first use when `create` is set, and held by this
 * command alone until closed (another waits `waitMs`, then fails with `store_busy`). Both client packages are
 * optional peer dependencies, loaded only when needed.
 *
 * `warn` gets a line for each user that the first migration of an older database found to share a mailbox
 * with another user.
 *
 * @example const { store, close } = await openStore(values.db, io.cwd, { create: true, waitMs: 5000 });
 */
export async function openStore(
  db: string | undefined,
  cwd: string,
  options: { readonly create: boolean; readonly waitMs: number; readonly warn?: (line: string) => void },
): Promise<OpenedStore> {
  const migrate = async (client: Parameters<typeof migratePostgresStore>[0]): Promise<void> => {
    warnSameMailbox(await migratePostgresStore(client), options.warn);
  };
  if (db !== undefined && /^postgres(ql)?:\/\//iu.test(db)) return openServer(db, migrate);
  const opened = await openFolderStore(resolve(cwd, db ?? defaultDatabaseFolder), options);
  warnSameMailbox(opened.migration, options.warn);
  return {
    store: opened.store,
    location: opened.folder,
    sync: () => opened.sync(),
    close: () => opened.close(),
    closeAndDiscardIfUnused: () => opened.closeAndDiscardIfUnused(),
  };
}

// Users imported before one key covered every spelling of a mailbox; rollcall reports them and merges nothing.
function warnSameMailbox(result: MigrateResult, warn: ((line: string) => void) | undefined): void {
  for (const user of result.emailKeys.sameMailbox) {
    warn?.(`rollcall: user ${user.id} (${user.email}) is the mailbox of another user (${user.emailKey}); keep one of them\n`);
  }
}

async function openServer(url: string, migrate: (client: Parameters<typeof migratePostgresStore>[0]) => Promise<void>): Promise<OpenedStore> {
  const pg = await load<typeof import('pg')>(() => import('pg'), 'pg', 'to use a PostgreSQL server');
  // pg is CommonJS: its classes are on the default export.
  const pool = new pg.default.Pool({ connectionString: url, max: 4 });
  const location = withoutPassword(url);
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new RollcallError('store_error', `cannot use the database at ${location}: ${serverProblem(error, url)}`, { cause: error });
  }
  const copyFrom = await copyStreams();
  return {
    store: postgresStore({ client: pool, ...(copyFrom === undefined ? {} : { copyFrom }) }),
    location,
    sync: () => Promise.resolve(),
    close: () => pool.end(),
    // A server's database is the host's: its tables stay.
    closeAndDiscardIfUnused: () => pool.end(),
  };
}

/**
 * COPY through pg-copy-streams when it is installed: several times cheaper for the server on a large
 * import. Without it the store inserts with `unnest`, which needs nothing more than `pg`.
 */
async function copyStreams(): Promise<CopyFrom | undefined> {
  try {
    const { from } = (await import('pg-copy-streams')).default;
    return (connection, sql) => connection.query(from(sql));
  } catch {
    return undefined;
  }
}

async function load<T>(importer: () => Promise<unknown>, name: string, purpose: string): Promise<T> {
  try {
    return (await importer()) as T;
  } catch (error) {
    const missing = (error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND';
    throw new RollcallError(
      'store_error',
      missing
        ? `rollcall needs the package ${name} ${purpose}; install it with: npm install ${name}`
        : `cannot load the package ${name}: ${errorText(error)}`,
      { cause: error },
    );
  }
}

/**
 * Why a server could not be used, in words where the driver's text is a bare system error. A host with several
 * addresses (`localhost`: ::1 and 127.0.0.1) fails with an AggregateError of one refusal each, and no address.
 */
function serverProblem(error: unknown, url: string): string {
  const { code, address, port, hostname, errors } = error as {
    code?: unknown;
    address?: unknown;
    port?: unknown;
    hostname?: unknown;
    errors?: unknown;
  };
  const refused =
    code === 'ECONNREFUSED' ||
    (Array.isArray(errors) && errors.length > 0 && errors.every((e) => (e as { code?: unknown }).code === 'ECONNREFUSED'));
  if (refused) {
    const where =
      typeof address === 'string' && typeof port === 'number' ? `${address}:${String(port)}` : hostAndPort(url);
    return `nothing answers at ${where} (connection refused); is the PostgreSQL server running?`;
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `the host ${typeof hostname === 'string' ? hostname : 'in the URL'} cannot be found`;
  }
  return errorText(error);
}

/** The URL as it may be shown: its password replaced, so it never reaches a terminal or a log. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the PostgreSQL server';
  }
}

/** The server's host and port as the URL names them (5432 when it names none). */
function hostAndPort(url: string): string {
  try {
    const { hostname, port } = new URL(url);
    return `${hostname}:${port === '' ? '5432' : port}`;
  } catch {
    return 'that address';
  }
}
