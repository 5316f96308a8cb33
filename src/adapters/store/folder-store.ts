import { chmod, lstat, mkdir, readdir, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { errorText, fileProblem } from '../../error-text.js';
import { RollcallError } from '../../rollcall-error.js';
import { FolderBusyError, lockFolder, lockName, takeoverName, type FolderLock, type FolderLockOwner } from './folder-lock.js';
import { syncFolder } from './folder-sync.js';
import { isPGliteFailure as raw } from './pglite-failure.js';
import type { Queryable, TransactionalClient } from './postgres-client.js';
import { migratePostgresStore, type MigrateResult } from './postgres-migrate.js';
import { postgresStore, type PostgresStore, type PostgresStoreOptions } from './postgres.js';

/** Present while a new database is being made in a folder: a folder with it was never finished, and holds no user. */
const creatingName = '.rollcall-creating';
const ours = new Set([lockName, takeoverName, creatingName]);

/** Options of {@link openFolderStore}. */
export interface FolderStoreOptions {
  /** Create the database when the folder is missing or empty (default `true`); otherwise such a folder is refused. */
  readonly create?: boolean;
  /** How long to wait for another process (or store) using the folder to close it, in ms (default 5,000). */
  readonly waitMs?: number;
  /** The store's other options (`batchSize`); the client is the folder's. */
  readonly store?: Omit<PostgresStoreOptions, 'client' | 'copyFrom'>;
}

/** A PGlite database folder opened by {@link openFolderStore}: its store, held exclusively until closed. */
export interface FolderStore {
  readonly store: PostgresStore;
  /** The folder's absolute path. */
  readonly folder: string;
  /** Whether this call made the database (the folder was missing, empty, or left half-made by a crash). */
  readonly created: boolean;
  /** What migrating the tables on opening did: users of an older database re-keyed, or found to share a mailbox. */
  readonly migration: MigrateResult;
  /** Flushes the folder's changed files to the disk (fsync), so what was committed survives a power loss. */
  sync(): Promise<void>;
  /** Closes the database, flushes it to the disk and releases the folder. */
  close(): Promise<void>;
  /**
   * Closes, and when this call made the database and nothing was imported into it, removes it again (the
   * folder too when it made that), so a failed first import leaves no 40 MB folder behind.
   */
  closeAndDiscardIfUnused(): Promise<void>;
}

/**
 * Opens the PGlite database in `folder` for as long as it stays open, and for no one else: another process (or
 * another store in this one) waits up to `waitMs`, then fails with `RollcallError('store_busy')` naming the
 * holder. Makes the database (folder mode 0700) and its tables on first use; a folder whose creation was cut
 * short by a crash is made again; one whose files are damaged is reported (`store_error`), never replaced.
 * Needs the optional peer dependency `@electric-sql/pglite`. Node only.
 *
 * @example
 * ```ts
 * const { store, close } = await openFolderStore('./rollcall-data');
 * try { await importUsers(file, { store, ... }); } finally { await close(); }
 * ```
 */
export async function openFolderStore(folder: string, options: FolderStoreOptions = {}): Promise<FolderStore> {
  const path = resolve(folder);
  const create = options.create ?? true;
  const deadline = Date.now() + (options.waitMs ?? 5000);
  for (;;) {
    // Judged before the lock too: a file or a folder of other files is refused without writing into it.
    const before = await folderKind(path);
    refuse(path, before, create);
    let made = false;
    if (before === 'none') {
      try {
        await mkdir(path, { mode: 0o700 });
        made = true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new RollcallError('invalid_option', `cannot create the database folder ${path}: ${fileProblem(error)}`, { cause: error });
        }
      }
    }
    let lock: FolderLock;
    try {
      lock = await lockFolder(path, { waitMs: Math.max(0, deadline - Date.now()) });
    } catch (error) {
      // The folder was removed while this call waited (a failed first import discarding it): start again.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      // Only while still empty: a process that won the folder meanwhile has its lock (and maybe a database) in it.
      if (made) await rmdir(path).catch(() => undefined);
      if (error instanceof FolderBusyError) throw busy(path, error.owner);
      throw new RollcallError('store_error', `cannot lock the database folder ${path}: ${fileProblem(error)}`, { cause: error });
    }
    try {
      return await openLocked(path, lock, create, made, options);
    } catch (error) {
      await lock.release().catch(() => undefined);
      throw error;
    }
  }
}

async function openLocked(path: string, lock: FolderLock, create: boolean, madeFolder: boolean, options: FolderStoreOptions): Promise<FolderStore> {
  const kind = await folderKind(path);
  refuse(path, kind, create);
  const created = kind !== 'database';
  if (created) {
    // Left by a creation cut short: never finished, so it holds nobody, and is made again from nothing.
    if (kind === 'creating') await clear(path);
    await writeFile(join(path, creatingName), '', { mode: 0o600 });
    await chmod(path, 0o700);
  }
  const discard = async (): Promise<void> => {
    // A lock lost to another holder means the folder may now be that holder's database: it is left alone.
    lock.assertHeld();
    await clear(path);
    await lock.release();
    // Only a folder this call made; another command that took the lock meanwhile keeps it (ENOTEMPTY).
    if (madeFolder) await rmdir(path).catch(() => undefined);
  };
  const { PGlite } = await loadPGlite();
  const since = Date.now();
  let client: PGlite | undefined;
  let migration: MigrateResult;
  try {
    client = new PGlite(path);
    await client.waitReady;
    migration = await migratePostgresStore(client);
  } catch (error) {
    await closeQuietly(client);
    if (created) await discard().catch(() => undefined);
    const message = created ? cannotCreate(path) : raw(error) ? damaged(path) : `cannot open the database folder ${path}: ${errorText(error)}`;
    throw new RollcallError('store_error', message, { cause: error });
  }
  if (created) {
    try {
      await syncFolder(path, { since: 0 });
      await rm(join(path, creatingName));
      await syncFolder(path, { since: Date.now(), directoriesOnly: true });
    } catch (error) {
      await closeQuietly(client);
      throw new RollcallError('store_error', `cannot write the new database in ${path} to the disk: ${fileProblem(error)}`, { cause: error });
    }
  }
  const opened = client;
  const guarded = guard(opened, lock, path);
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    try {
      await opened.close();
      await syncFolder(path, { since: created ? 0 : since });
    } finally {
      await lock.release();
    }
  };
  return {
    store: postgresStore({ ...options.store, client: guarded }),
    folder: path,
    created,
    migration,
    sync: () => syncFolder(path, { since: created ? 0 : since }),
    close,
    async closeAndDiscardIfUnused() {
      let unused = false;
      if (created && !closed) {
        try {
          const { rows } = await opened.query<{ used: boolean }>(
            'SELECT EXISTS (SELECT 1 FROM rollcall_users) OR EXISTS (SELECT 1 FROM rollcall_imports) AS used',
          );
          unused = rows[0]?.used === false;
        } catch {
          // A database that cannot answer is kept, and the error that brought the caller here is the one reported.
        }
      }
      if (!unused) return close();
      closed = true;
      await closeQuietly(opened);
      // Files left behind are better than the caller's own outcome replaced by a failure to remove them.
      await discard().catch(() => lock.release().catch(() => undefined));
    },
  };
}

/**
 * The PGlite client as the store uses it: nothing commits once the folder's lock is lost, and PGlite's own
 * failures (`Aborted()`, a WASM trap, a file system error object) become a sentence, the raw error its cause.
 */
function guard(client: PGlite, lock: FolderLock, path: string): TransactionalClient {
  const held = (): void => {
    try {
      lock.assertHeld();
    } catch (error) {
      throw new RollcallError('store_error', `the lock on the database folder ${path} was lost to another process, so nothing more is written to it`, { cause: error });
    }
  };
  const plain = (tx: Queryable): Queryable => ({ query: (sql, params) => translate(path, () => tx.query(sql, params)) });
  return {
    query: (sql, params) => {
      held();
      return translate(path, () => client.query(sql, params));
    },
    transaction: (fn) =>
      translate(path, () =>
        client.transaction(async (tx) => {
          held();
          const result = await fn(plain(tx));
          // Checked last, before PGlite commits: a lock lost during the transaction rolls it back.
          held();
          return result;
        }),
      ),
  };
}

async function translate<T>(path: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!raw(error)) throw error;
    throw new RollcallError(
      'store_error',
      `the embedded database stopped working on the folder ${path}, so nothing more was written to it; ` +
        'run the command again, and if the folder no longer opens, restore it from a backup',
      { cause: error },
    );
  }
}

function cannotCreate(path: string): string {
  return `could not create a database in the folder ${path}, which was removed again: check that the disk has room and the folder can be written, then try again`;
}

function damaged(path: string): string {
  return (
    `the database folder ${path} cannot be opened: its files look damaged (by a crash of the computer, or a ` +
    'program other than rollcall writing to it). rollcall does not repair or replace a folder that may hold ' +
    'users: restore it from a backup, or move it aside and name a new folder with --db'
  );
}

function busy(path: string, owner: FolderLockOwner | undefined): RollcallError {
  const who = owner === undefined ? '' : ` (pid ${String(owner.pid)}, since ${new Date(owner.since).toTimeString().slice(0, 8)})`;
  return new RollcallError(
    'store_busy',
    `the database folder ${path} is in use by another rollcall command${who}; try again when it has finished`,
  );
}

type Kind = 'none' | 'file' | 'empty' | 'creating' | 'database' | 'other';

function refuse(path: string, kind: Kind, create: boolean): void {
  if (kind === 'file') throw new RollcallError('invalid_option', `${path} is a file, not a database folder`);
  if (kind === 'other') {
    // A typo such as `--db .` must not turn a folder of other files into a database.
    throw new RollcallError(
      'invalid_option',
      `${path} holds other files and no rollcall database: name a new or empty folder with --db, or an existing database`,
    );
  }
  if (!create && kind !== 'database') {
    throw new RollcallError('invalid_option', `there is no rollcall database at ${path} (import a file first, or name one with --db)`);
  }
}

/** What is at a database folder's path: nothing yet, a file, an empty folder, one being made, a database, or other files. */
async function folderKind(path: string): Promise<Kind> {
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
  if (names.includes(creatingName)) return 'creating';
  // PGlite keeps a PostgreSQL data directory, which PG_VERSION marks.
  if (names.includes('PG_VERSION')) return 'database';
  return names.every((name) => ours.has(name)) ? 'empty' : 'other';
}

/** Removes what is in the folder but its lock. */
async function clear(path: string): Promise<void> {
  for (const name of await readdir(path)) {
    if (name !== lockName) await rm(join(path, name), { recursive: true, force: true });
  }
}

async function closeQuietly(client: PGlite | undefined): Promise<void> {
  try {
    await client?.close();
  } catch {
    // Already failed: its error is the one reported.
  }
}

async function loadPGlite(): Promise<typeof import('@electric-sql/pglite')> {
  try {
    return await import('@electric-sql/pglite');
  } catch (error) {
    const missing = (error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND';
    throw new RollcallError(
      'store_error',
      missing
        ? 'rollcall needs the package @electric-sql/pglite to keep users in a database folder; install it with: npm install @electric-sql/pglite'
        : `cannot load the package @electric-sql/pglite: ${errorText(error)}`,
      { cause: error },
    );
  }
}
