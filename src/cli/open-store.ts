import { lstat, readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { migratePostgresStore, type MigrateResult } from '../adapters/store/postgres-migrate.js';
import type { CopyFrom } from '../adapters/store/postgres-copy.js';
import { postgresStore, type PostgresStore } from '../adapters/store/postgres.js';
import { RollcallError } from '../rollcall-error.js';
import { errorText, fileProblem } from './args.js';

/** The folder `rollcall import` keeps its embedded database in unless `--db` says otherwise. */
export const defaultDatabaseFolder = 'rollcall-data';

/** A store the command line opened, where it is (for messages, without a password), and how to close it. */
export interface OpenedStore {
  readonly store: PostgresStore;
  readonly location: string;
  close(): Promise<void>;
  /**
   * Closes the store, and removes the database folder this command created (or filled, when it was empty) if
   * nobody and no import is in it: an import that failed leaves no 40 MB folder behind. Otherwise only closes.
   */
  closeAndDiscardIfUnused(): Promise<void>;
}

/**
 * Opens the store `--db` names: a `postgres://` URL through `pg`, otherwise a PGlite database folder
 * (`./rollcall-data` by default), created and migrated on first use when `create` is set. Both client
 * packages are optional peer dependencies, loaded only when needed.
 *
 * `warn` gets a line for each user that the first migration of an older database found to share a mailbox
 * with another user.
 *
 * @example const { store, close } = await openStore(values.db, io.cwd, { create: true });
 */
export async function openStore(
  db: string | undefined,
  cwd: string,
  options: { create: boolean; warn?: (line: string) => void },
): Promise<OpenedStore> {
  const migrate = async (client: Parameters<typeof migratePostgresStore>[0]): Promise<void> => {
    warnSameMailbox(await migratePostgresStore(client), options.warn);
  };
  if (db !== undefined && /^postgres(ql)?:\/\//iu.test(db)) return openServer(db, migrate);
  const folder = resolve(cwd, db ?? defaultDatabaseFolder);
  const found = await folderKind(folder);
  if (found === 'file') throw new RollcallError('invalid_option', `${folder} is a file, not a database folder`);
  if (found === 'other') {
    // A typo such as `--db .` must not turn a folder of other files into a database.
    throw new RollcallError(
      'invalid_option',
      `${folder} holds other files and no rollcall database: name a new or empty folder with --db, or an existing database`,
    );
  }
  if (!options.create && found !== 'database') {
    throw new RollcallError('invalid_option', `there is no rollcall database at ${folder} (import a file first, or name one with --db)`);
  }
  const { PGlite } = await load<typeof import('@electric-sql/pglite')>(
    () => import('@electric-sql/pglite'),
    '@electric-sql/pglite',
    'to keep users in a database folder',
  );
  const client = new PGlite(folder);
  const close = (): Promise<void> => client.close();
  const created = found === 'none' || found === 'empty';
  const discard = async (): Promise<void> => {
    // Only what this command made: the folder it created, or the contents of the empty folder it was given.
    if (found === 'none') await rm(folder, { recursive: true, force: true });
    else for (const name of await readdir(folder)) await rm(join(folder, name), { recursive: true, force: true });
  };
  try {
    await client.waitReady;
    await migrate(client);
  } catch (error) {
    await close().catch(() => undefined);
    if (created) await discard().catch(() => undefined);
    throw new RollcallError('store_error', `cannot open the database folder ${folder}: ${errorText(error)}`, { cause: error });
  }
  return {
    store: postgresStore({ client }),
    location: folder,
    close,
    async closeAndDiscardIfUnused() {
      let unused = false;
      if (created) {
        try {
          const { rows } = await client.query<{ used: boolean }>(
            'SELECT EXISTS (SELECT 1 FROM rollcall_users) OR EXISTS (SELECT 1 FROM rollcall_imports) AS used',
          );
          unused = rows[0]?.used === false;
        } catch {
          // A database that cannot answer is kept, and the error that brought the command here is the one reported.
        }
      }
      await close();
      // Files left behind are better than the command's own outcome replaced by a failure to remove them.
      if (unused) await discard().catch(() => undefined);
    },
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

/** What is at a database folder's path: nothing yet, a file, an empty folder, a database, or other files. */
async function folderKind(path: string): Promise<'none' | 'file' | 'empty' | 'database' | 'other'> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    // Nothing at all is a place for a new database; a link to nowhere (an unmounted volume) or a loop is not.
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    const link = await lstat(path).then(() => true, () => false);
    if (missing && !link) return 'none';
    const reason = missing ? 'it is a link to something that is not there' : fileProblem(error);
    throw new RollcallError('invalid_option', `cannot use ${path} as a database folder: ${reason}`, { cause: error });
  }
  if (!info.isDirectory()) return 'file';
  let names: string[];
  try {
    names = await readdir(path);
  } catch (error) {
    throw new RollcallError('invalid_option', `cannot read the database folder ${path}: ${fileProblem(error)}`, { cause: error });
  }
  // PGlite keeps a PostgreSQL data directory, which PG_VERSION marks.
  if (names.includes('PG_VERSION')) return 'database';
  return names.length === 0 ? 'empty' : 'other';
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
