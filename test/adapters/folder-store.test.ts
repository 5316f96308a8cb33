// openFolderStore: one holder per PGlite database folder, within a process and across processes; what it
// does with a folder whose creation a kill cut short, and with one a crash damaged.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFolderStore } from '../../src/adapters/store/folder-store.js';
import { isPGliteFailure } from '../../src/adapters/store/pglite-failure.js';
import { RollcallError } from '../../src/rollcall-error.js';
import { run } from '../cli/run-cli.js';
import { bundleFolder, bundleForNode } from '../helpers/node-bundle.js';

let work = '';
let holder = '';

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'rollcall-folder-store-'));
  holder = join(bundleFolder, `hold-folder-${String(process.pid)}.mjs`);
  await bundleForNode(join(import.meta.dirname, 'fixtures', 'hold-folder.ts'), holder);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(holder, { force: true });
});

const busy = /^the database folder \S+ is in use by another rollcall command \(pid (\d+), since \d\d:\d\d:\d\d\); try again when it has finished$/u;

async function refusal(promise: Promise<unknown>): Promise<RollcallError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(RollcallError);
  return error as RollcallError;
}

/** Starts the holder process on `db` and resolves once it printed `until` ("open" or "committed"). */
async function hold(db: string, until: string, users: readonly string[] = []) {
  const proc: ChildProcessByStdio<null, Readable, Readable> = spawn(process.execPath, [holder], {
    env: { ...process.env, DB: db, USERS: users.join(',') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => proc.on('exit', () => { resolve(); }));
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: proc.stdout }).on('line', (line) => { if (line === until) resolve(); });
    void exited.then(() => { reject(new Error(`the holder exited before "${until}": ${stderr}`)); });
  });
  return { proc, exited };
}

async function emails(db: string): Promise<string[]> {
  const opened = await openFolderStore(db, { create: false, waitMs: 0 });
  try {
    return (await opened.store.listUsers({ limit: 100 })).map((user) => user.email);
  } finally {
    await opened.close();
  }
}

describe('openFolderStore', { timeout: 300_000 }, () => {
  it('two stores on one folder in one process: the second waits, then is refused with store_busy naming this process', async () => {
    const db = join(work, 'one-process');
    const first = await openFolderStore(db);
    try {
      const error = await refusal(openFolderStore(db, { waitMs: 300 }));
      expect(error.code).toBe('store_busy');
      expect(error.message).toMatch(busy);
      expect(busy.exec(error.message)?.[1]).toBe(String(process.pid));
      // Waiting longer than the first stays open, the second opens once it closes.
      const second = openFolderStore(db, { waitMs: 60_000 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await first.close();
      await (await second).close();
    } finally {
      await first.close();
    }
  });

  it('two processes on one folder: refused while the other holds it, taken over soon after it is SIGKILLed, its commit kept', async () => {
    const db = join(work, 'two-processes');
    const { proc, exited } = await hold(db, 'committed', ['held@example.com']);
    // Its lock looks a minute unrefreshed (a busy event loop), past the 30 s after which an owner that cannot be
    // asked is presumed dead: this one runs on this computer, so it is still waited for, never taken over.
    const old = new Date(Date.now() - 60_000);
    await utimes(join(db, '.rollcall-lock'), old, old);
    const error = await refusal(openFolderStore(db, { waitMs: 500 }));
    expect(error.code).toBe('store_busy');
    expect(busy.exec(error.message)?.[1]).toBe(String(proc.pid));
    proc.kill('SIGKILL');
    await exited;
    // The dead holder's lock is still in the folder: its pid no longer runs, so it is taken over at once.
    expect(await readdir(db)).toContain('.rollcall-lock');
    expect(await emails(db)).toEqual(['held@example.com']);
  });

  it('makes a new folder readable by its owner only (0700)', async () => {
    const db = join(work, 'private');
    await (await openFolderStore(db)).close();
    expect((await stat(db)).mode & 0o777).toBe(0o700);
  });

  it('makes again a folder whose creation a SIGKILL cut short, which every later open used to refuse', async () => {
    const db = join(work, 'half-made');
    const proc = spawn(process.execPath, [holder], { env: { ...process.env, DB: db }, stdio: 'ignore' });
    // Killed as soon as the creation has begun, before PGlite finished making the database.
    for (;;) {
      if (await stat(join(db, '.rollcall-creating')).then(() => true, () => false)) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    proc.kill('SIGKILL');
    await new Promise((resolve) => proc.on('exit', resolve));
    expect(await readdir(db)).toContain('.rollcall-creating');
    const opened = await openFolderStore(db);
    try {
      expect(opened.created).toBe(true);
      expect(await opened.store.listUsers({ limit: 10 })).toEqual([]);
    } finally {
      await opened.close();
    }
    expect(await readdir(db)).not.toContain('.rollcall-creating');
  });

  it('reports a folder a crash damaged, in words, and leaves it as it was', async () => {
    const db = join(work, 'damaged');
    const { proc, exited } = await hold(db, 'committed', ['kept@example.com']);
    proc.kill('SIGKILL');
    await exited;
    // The control file PostgreSQL starts from, torn as by a crash of the computer mid-write.
    await writeFile(join(db, 'global', 'pg_control'), Buffer.alloc(100));
    // Its files, but for the dead holder's lock, which is taken over.
    const files = async () => (await readdir(db)).filter((name) => name !== '.rollcall-lock').sort();
    const before = await files();
    const error = await refusal(openFolderStore(db, { waitMs: 0 }));
    expect(error.code).toBe('store_error');
    expect(error.message).toBe(
      `the database folder ${db} cannot be opened: its files look damaged (by a crash of the computer, or a program other ` +
        'than rollcall writing to it). rollcall does not repair or replace a folder that may hold users: restore it from a ' +
        'backup, or move it aside and name a new folder with --db',
    );
    // PGlite's own failure (Aborted(), an ErrnoError), kept as the cause and shown nowhere in the message.
    expect(isPGliteFailure(error.cause)).toBe(true);
    expect(await files()).toEqual(before);
    // The command line says the same, with nothing of PGlite's raw failure.
    const listed = await run(['users', '--db', db, '--wait', '0']);
    expect(listed.code).toBe(2);
    expect(listed.stderr).toBe(`rollcall users: ${error.message}\n`);
  });

  it('commits nothing once its lock was lost to another process', async () => {
    const db = join(work, 'lost');
    const opened = await openFolderStore(db);
    try {
      const user = { email: 'late@example.com', emailKey: 'late@example.com', firstName: 'L', lastName: 'T', attributes: {}, importId: 'lost', row: 2 };
      const credential = { kind: 'password', hash: 'h', mustChange: true, expiresAt: new Date(Date.now() + 86_400_000) } as const;
      const error = await refusal(
        opened.store.transaction(async (tx) => {
          await tx.createUsers([{ ...user, credential }]);
          // Another process took the lock over (as it would from a holder it judged dead).
          await rm(join(db, '.rollcall-lock'), { recursive: true });
        }),
      );
      expect(error.code).toBe('store_error');
      expect(error.message).toMatch(/^the lock on the database folder \S+ was lost to another process/u);
    } finally {
      await opened.close();
    }
    expect(await emails(db)).toEqual([]);
  });
});
