import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryStore } from '../../src/adapters/store/memory.js';
import type { CreatedUser, NewUser, UserStore, UserStoreTransaction } from '../../src/adapters/store/types.js';
import { executeImport, type ExecuteOptions } from '../../src/execute/execute-import.js';
import { importUsers } from '../../src/execute/import-users.js';
import type { ImportPlan } from '../../src/plan/import-plan.js';
import { planImport } from '../../src/plan/plan-import.js';
import { RollcallError } from '../../src/rollcall-error.js';

const who = { actor: 'admin', authorize: (actor: string) => actor === 'admin' };
const file = 'First Name,Last Name,Email\r\nZoë,Ångström,zoe@example.org\r\nLi,Wei,li@example.org\r\n';

async function planFor(text: string, store: UserStore = memoryStore()): Promise<ImportPlan> {
  return planImport(text, { ...who, store });
}

/** A file source that counts how many chunks were asked of it. */
function recordingSource(text: string): { source: AsyncIterable<Uint8Array>; reads: () => number } {
  let reads = 0;
  return {
    reads: () => reads,
    source: {
      async *[Symbol.asyncIterator]() {
        reads++;
        yield await Promise.resolve(new TextEncoder().encode(text));
      },
    },
  };
}

/** `store`, with each `createUsers` of its transactions replaced by `create` (given the real transaction). */
function withCreateUsers(store: UserStore, create: (tx: UserStoreTransaction, users: readonly NewUser[]) => Promise<CreatedUser[]>): UserStore {
  return { ...store, transaction: (fn) => store.transaction((tx) => fn({ ...tx, createUsers: (users) => create(tx, users) })) };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('executeImport', () => {
  it('refuses an actor before reading the file or touching the store', async () => {
    const plan = await planFor(file);
    const store = memoryStore();
    const transaction = vi.spyOn(store, 'transaction');
    const findImport = vi.spyOn(store, 'findImport');
    const { source, reads } = recordingSource(file);
    await expect(executeImport(plan, { actor: 'guest', authorize: who.authorize, store, input: source, importKey: 'k' })).rejects.toMatchObject({
      code: 'unauthorized',
    });
    expect([reads(), transaction.mock.calls.length, findImport.mock.calls.length]).toEqual([0, 0, 0]);
  });

  it('returns the summary of a plan with errors and writes nothing', async () => {
    const plan = await planFor(`${file}Bad,Row,nope\r\n`);
    const store = memoryStore();
    const transaction = vi.spyOn(store, 'transaction');
    const result = await executeImport(plan, { ...who, store });
    expect(result).toEqual({ imported: false, summary: plan.summary });
    expect(transaction).not.toHaveBeenCalled();
  });

  it('records the import with row numbers and counts only, under the id it is given', async () => {
    const store = memoryStore();
    const result = await executeImport(await planFor(file), { ...who, store, importKey: 'k1', importId: 'import-7' });
    expect(result).toMatchObject({ imported: true, importId: 'import-7' });
    expect((await store.findImport('k1'))?.outcome).toEqual({
      version: 1,
      credential: 'password',
      created: [[2, 3]],
      skipped: [],
      createdCount: 2,
      skippedCount: 0,
    });
  });

  it('never shows a password in console output or in the result of a replay', async () => {
    const printed: string[] = [];
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
    }
    const store = memoryStore();
    const result = await importUsers(file, { ...who, store, importKey: 'k' });
    const replayed = await importUsers(file, { ...who, store, importKey: 'k' });
    if (!result.imported) throw new Error('not imported');
    const passwords = result.created.map((c) => c.temporaryPassword ?? '');
    expect(passwords.every((p) => p.length === 16)).toBe(true);
    const everything = printed.join('\n') + JSON.stringify(replayed) + (replayed.imported ? replayed.resultsCsv() : '');
    expect(passwords.filter((p) => everything.includes(p))).toEqual([]);
  });

  it('refuses a hashPassword that returns the password itself, before writing', async () => {
    const store = memoryStore();
    await expect(executeImport(await planFor(file), { ...who, store, hashPassword: (p) => p })).rejects.toMatchObject({
      code: 'invalid_option',
    });
    expect(store.users()).toEqual([]);
  });

  it('rolls back and throws store_error, with the cause, when the store fails', async () => {
    const store = memoryStore();
    const broken = new Error('connection reset');
    const failing = withCreateUsers(store, async (tx, users) => {
      await tx.createUsers(users.slice(0, 1));
      throw broken;
    });
    const error: unknown = await executeImport(await planFor(file), { ...who, store: failing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RollcallError);
    expect(error).toMatchObject({ code: 'store_error', cause: broken });
    expect(store.users()).toEqual([]);
  });

  it('throws store_error, with the cause, when the import key cannot be looked up, before or after a lost race', async () => {
    const store = memoryStore();
    const broken = new Error('connection reset');
    const plan = await planFor(file, store);
    // Before: the first lookup of the key fails.
    const before: UserStore = { ...store, findImport: () => Promise.reject(broken) };
    const first: unknown = await executeImport(plan, { ...who, store: before, importKey: 'k' }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(RollcallError);
    expect(first).toMatchObject({ code: 'store_error', cause: broken });
    // After: another import takes the emails first, and the lookup that asks whether it had the same key fails.
    let lookups = 0;
    const after: UserStore = {
      ...store,
      findImport: (key) => (++lookups === 1 ? store.findImport(key) : Promise.reject(broken)),
      transaction: async (fn) => {
        await importUsers(file, { ...who, store });
        return store.transaction(fn);
      },
    };
    const second: unknown = await executeImport(plan, { ...who, store: after, importKey: 'k' }).catch((e: unknown) => e);
    expect(second).toMatchObject({ code: 'store_error', cause: broken });
    expect(lookups).toBe(2);
    expect(store.users()).toHaveLength(2);
  });

  it('names every row another import took, those of batches written before it committed too', async () => {
    const store = memoryStore();
    const rows = Array.from({ length: 4 }, (_, i) => `A,B,u${i}@example.org`).join('\r\n');
    const text = `First Name,Last Name,Email\r\n${rows}\r\n`;
    const plan = await planFor(text, store);
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let written = 0;
    // This import writes its first batch, then waits while another imports the same users and commits.
    const slow = withCreateUsers(store, async (tx, users) => {
      const created = await tx.createUsers(users);
      if (++written === 1) await held;
      return created;
    });
    const running = executeImport(plan, { ...who, store: slow, batchSize: 2 });
    await vi.waitFor(() => { expect(written).toBe(1); });
    expect(await importUsers(text, { ...who, store })).toMatchObject({ imported: true });
    release();
    const result = await running;
    expect(result.imported).toBe(false);
    if (result.imported) return;
    expect(result.summary.errors.map((issue) => [issue.row, issue.code])).toEqual([2, 3, 4, 5].map((row) => [row, 'already_exists']));
  });

  it('rolls back when its signal aborts between batches', async () => {
    const store = memoryStore();
    const controller = new AbortController();
    const rows = Array.from({ length: 10 }, (_, i) => `A,B,u${i}@example.org`).join('\r\n');
    const plan = await planFor(`First Name,Last Name,Email\r\n${rows}\r\n`);
    const run = executeImport(plan, {
      ...who,
      store,
      batchSize: 3,
      signal: controller.signal,
      onProgress: ({ usersCreated }) => {
        if (usersCreated === 6) controller.abort(new Error('stopped by the admin'));
      },
    });
    await expect(run).rejects.toThrow('stopped by the admin');
    expect(store.users()).toEqual([]);
  });

  it('refuses options out of range, and anything that is not a plan', async () => {
    const plan = await planFor(file);
    const store = memoryStore();
    for (const bad of [{ credential: 'sms' }, { passwordLength: 14 }, { expiresInMs: 0 }, { batchSize: 1.5 }, { importKey: '' }] as Partial<Omit<ExecuteOptions, 'actor' | 'authorize' | 'store'>>[]) {
      await expect(executeImport(plan, { ...who, store, ...bad })).rejects.toMatchObject({ code: 'invalid_option' });
    }
    await expect(executeImport({ version: 2 } as unknown as ImportPlan, { ...who, store })).rejects.toMatchObject({ code: 'invalid_option' });
  });

  it('reports users created as it writes each batch', async () => {
    const seen: number[] = [];
    const rows = Array.from({ length: 7 }, (_, i) => `A,B,u${i}@example.org`).join('\r\n');
    await importUsers(`First Name,Last Name,Email\r\n${rows}\r\n`, {
      ...who,
      store: memoryStore(),
      onProgress: (p) => {
        if (p.phase === 'creating') seen.push(p.usersCreated);
      },
    });
    expect(seen).toEqual([7]);
  });
});
