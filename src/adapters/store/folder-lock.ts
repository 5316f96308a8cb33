import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** The lock's folder inside a database folder, and the folder that serialises taking over an abandoned one. */
export const lockName = '.rollcall-lock';
export const takeoverName = '.rollcall-lock.takeover';

/** Who holds a database folder's lock: read back by a command that has to wait for it. */
export interface FolderLockOwner {
  readonly pid: number;
  readonly host: string;
  /** When the holder took the lock (ISO 8601). */
  readonly since: string;
  /** The process's start time as Linux counts it (`/proc/PID/stat`), to tell a reused pid apart. */
  readonly start?: string;
  readonly token: string;
}

/** An exclusive lock on a database folder, held until released (or lost, which {@link FolderLock.assertHeld} tells). */
export interface FolderLock {
  readonly owner: FolderLockOwner;
  /** Throws when the lock is no longer this holder's: nothing may be committed after that. */
  assertHeld(): void;
  release(): Promise<void>;
}

/** Why a lock could not be taken in time: someone else holds it (`owner` when it could be read). */
export class FolderBusyError extends Error {
  override readonly name = 'FolderBusyError';
  constructor(readonly owner: FolderLockOwner | undefined) {
    super('the folder is locked by another holder');
  }
}

/** The holder refreshes the lock's time every second; a lock this old whose holder cannot be asked is abandoned. */
const refreshMs = 1000;
const abandonedAfterMs = 30_000;
/** A holder alive on this host is waited for unless its lock went unrefreshed this long (a hung process). */
const hungAfterMs = 10 * 60_000;
const takeoverAbandonedAfterMs = 10_000;

/**
 * Takes the lock of `folder` (which must exist), waiting up to `waitMs` for a holder to finish. A lock whose
 * holder died (its pid gone on this host, or its lock unrefreshed for 30 s) is taken over, one taker at a time.
 * Throws {@link FolderBusyError} when the wait runs out, and the file system's error when it cannot lock at all.
 */
export async function lockFolder(folder: string, options: { readonly waitMs: number }): Promise<FolderLock> {
  const lockfile = (await import('proper-lockfile')).default;
  const lockPath = join(folder, lockName);
  const deadline = Date.now() + options.waitMs;
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  for (;;) {
    try {
      release = await lockfile.lock(folder, {
        lockfilePath: lockPath,
        realpath: false,
        // Staleness is judged here, under the takeover folder: proper-lockfile's own check would let two
        // waiters both remove a stale lock, the second removing the lock the first had just taken.
        stale: 2 ** 31 - 1,
        update: refreshMs,
        fs: lockFs,
        onCompromised: (error) => {
          compromised = error;
        },
      });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    }
    const owner = await readOwner(lockPath);
    if (await abandoned(lockPath, owner)) {
      await takeOver(folder, lockPath);
      continue;
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new FolderBusyError(owner);
    await new Promise((resolve) => setTimeout(resolve, Math.min(left, 100 + Math.random() * 100)));
  }
  const start = processStart(process.pid);
  const owner: FolderLockOwner = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    ...(start === undefined ? {} : { start }),
    token: randomUUID(),
  };
  const ownerPath = join(lockPath, 'owner.json');
  try {
    // proper-lockfile takes a changed time on its folder for a lock lost: the one it set is put back.
    const { mtime } = await stat(lockPath);
    await writeFile(ownerPath, JSON.stringify(owner), { mode: 0o600 });
    await utimes(lockPath, mtime, mtime);
  } catch (error) {
    await release().catch(() => undefined);
    throw error;
  }
  let released = false;
  const assertHeld = (): void => {
    let current: unknown;
    try {
      current = (JSON.parse(fs.readFileSync(ownerPath, 'utf8')) as { token?: unknown }).token;
    } catch {
      current = undefined;
    }
    if (released || compromised !== undefined || current !== owner.token) {
      throw new Error('the lock on the database folder was lost (taken over by another process as abandoned)', { cause: compromised });
    }
  };
  return {
    owner,
    assertHeld,
    async release() {
      if (released) return;
      try {
        assertHeld();
      } catch {
        // Another holder's lock now: left alone (proper-lockfile stops refreshing when it sees the change).
        released = true;
        return;
      }
      released = true;
      await release();
    },
  };
}

/** The owner a lock records, when it can be read (a holder writes it just after taking the lock). */
export async function readOwner(lockPath: string): Promise<FolderLockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(join(lockPath, 'owner.json'), 'utf8')) as Partial<FolderLockOwner>;
    if (typeof owner.pid !== 'number' || typeof owner.host !== 'string' || typeof owner.since !== 'string' || typeof owner.token !== 'string') {
      return undefined;
    }
    return owner as FolderLockOwner;
  } catch {
    return undefined;
  }
}

/**
 * Whether a lock's holder is gone: on this host, its process no longer runs (or its pid now names another
 * process); elsewhere, or with no owner recorded, its lock has not been refreshed for 30 s.
 */
async function abandoned(lockPath: string, owner: FolderLockOwner | undefined): Promise<boolean> {
  let age: number;
  try {
    age = Date.now() - (await stat(lockPath)).mtimeMs;
  } catch {
    // Released meanwhile: nothing to take over.
    return false;
  }
  if (owner?.host === hostname()) {
    if (!running(owner.pid)) return true;
    const start = processStart(owner.pid);
    if (owner.start !== undefined && start !== undefined && start !== owner.start) return true;
    return age > hungAfterMs;
  }
  return age > abandonedAfterMs;
}

/**
 * Removes an abandoned lock, judged again inside a takeover folder only one process can create: two waiters that
 * both found it abandoned cannot both remove it, the second then removing the lock the first has just taken.
 */
async function takeOver(folder: string, lockPath: string): Promise<void> {
  const takeover = join(folder, takeoverName);
  try {
    await mkdir(takeover);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // A taker killed inside these few milliseconds leaves its folder: old enough, it is removed.
    const age = await stat(takeover).then((info) => Date.now() - info.mtimeMs, () => 0);
    if (age > takeoverAbandonedAfterMs) await rm(takeover, { recursive: true, force: true });
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30));
    return;
  }
  try {
    if (await abandoned(lockPath, await readOwner(lockPath))) await rm(lockPath, { recursive: true, force: true });
  } finally {
    await rm(takeover, { recursive: true, force: true });
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** A process's start time on Linux (field 22 of /proc/PID/stat); undefined elsewhere. */
function processStart(pid: number): string | undefined {
  try {
    const text = fs.readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return text.slice(text.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** proper-lockfile's file system, removing the lock folder with the owner file it holds. */
const lockFs = {
  ...fs,
  rmdir: (path: string, callback: (error: NodeJS.ErrnoException | null) => void) => {
    fs.rm(path, { recursive: true }, callback);
  },
  rmdirSync: (path: string) => {
    fs.rmSync(path, { recursive: true });
  },
};
