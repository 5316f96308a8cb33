import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryStore } from '../../src/adapters/store/memory.js';
import type { CreatedUser, NewUser, UserStore, UserStoreTransaction } from '../../src/adapters/store/types.js';
import { executeImport, type ExecuteOptions } from '../../src/execute/execute-import.js';
import { hashSecret } from '../../src/execute/hash-secret.js';
import { resultsCsv } from '../../src/execute/import-result.js';
import { secretGenerator, type SecretGenerator } from '../../src/execute/secret-generator.js';
import { importUsers } from '../../src/execute/import-users.js';
import type { ImportPlan } from '../../src/plan/import-plan.js';
import { planImport } from '../../src/plan/plan-import.js';
import { RollcallError } from '../../src/rollcall-error.js';

const who = { actor: 'admin', authorize: (actor: string) => actor === 'admin' };
const columns = [
  { key: 'firstName', label: 'First Name', required: true },
  { key: 'lastName', label: 'Last Name', required: true },
  { key: 'email', label: 'Email', required: true },
];
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

/** A file of `count` users listed in the reverse of their email keys' order. */
function reversedFile(count: number): { text: string } {
  const rows = Array.from({ length: count }, (_, i) => `=F${String(i)},L${String(i)},user${String(count - 1 - i)}@example.org`);
  return { text: `First Name,Last Name,Email\r\n${rows.join('\r\n')}\r\n` };
}

/** The default generator, counting its passwords, and throwing `error` for the n-th when `fails(n)`. */
function countingSecrets(fails: (n: number) => boolean = () => false, error = new Error('cannot draw')): { secrets: SecretGenerator; drawn: () => number } {
  const real = secretGenerator();
  let n = 0;
  return {
    drawn: () => n,
    secrets: {
      password(length) {
        n++;
        if (fails(n)) throw error;
        return real.password(length);
      },
      inviteToken: () => real.inviteToken(),
    },
  };
}

/** `store`, whose batches each take a few turns of the event loop to write, as over a network. */
function slowStore(store: UserStore, onWrite: () => void = () => undefined): { store: UserStore; writing: () => number } {
  let writing = 0;
  return {
    writing: () => writing,
    store: withCreateUsers(store, async (tx, users) => {
      onWrite();
      writing++;
      try {
        for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
        return await tx.createUsers(users);
      } finally {
        writing--;
      }
    }),
  };
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

  it('writes in the results file, rendered while a slow store writes, each user with the password the store hashed', async () => {
    const store = memoryStore();
    const { text } = reversedFile(3_000);
    const drawing = countingSecrets();
    // How many secrets had been drawn when each batch reached the store.
    const drawnAtWrite: number[] = [];
    const slow = slowStore(store, () => drawnAtWrite.push(drawing.drawn()));
    const result = await executeImport(await planFor(text, store), { ...who, store: slow.store, batchSize: 500, secrets: drawing.secrets });
    if (!result.imported) throw new Error('not imported');
    // The file lists the users in the reverse of key order, so the draft draws the secrets of the last batches
    // first: between two writes, far more than the one batch built meanwhile were drawn.
    expect((drawnAtWrite[1] ?? 0) - (drawnAtWrite[0] ?? 0)).toBeGreaterThan(1_000);
    expect(drawing.drawn()).toBe(3_000);
    const csv = result.resultsCsv();
    expect(csv).toBe(resultsCsv(columns, 'password', result.created));
    expect(result.resultsCsv()).toBe(csv); // rendered anew: the draft is let go once used
    expect(result.resultsCsv({ bom: false })).toBe(csv.slice(1));
    const hashes = new Map(store.users().map((user) => [user.email, user.credential.hash]));
    const lines: string[][] = parse(csv, { bom: true, from_line: 2 });
    expect(lines).toHaveLength(3_000);
    lines.forEach(([first, , email, password], i) => {
      expect([first, email]).toEqual([`'=F${String(i)}`, `user${String(2_999 - i)}@example.org`]);
      expect(hashes.get(email ?? '')).toBe(hashSecret(password ?? ''));
    });
  });

  it('fails as before, with nothing being written, when a host’s generator fails while the draft draws ahead', async () => {
    const store = memoryStore();
    const broken = new Error('no entropy');
    // From its 1,501st secret on: the draft meets it first, while the store writes the second batch.
    const drawing = countingSecrets((n) => n > 1_500, broken);
    const slow = slowStore(store);
    const error: unknown = await executeImport(await planFor(reversedFile(3_000).text, store), {
      ...who,
      store: slow.store,
      batchSize: 500,
      secrets: drawing.secrets,
    }).catch((e: unknown) => e);
    expect(error).toBe(broken);
    expect(slow.writing()).toBe(0);
    expect(store.users()).toEqual([]);
  });

  it('imports all and renders its file anew when a host’s generator fails once while the draft draws ahead', async () => {
    const store = memoryStore();
    const drawing = countingSecrets((n) => n === 1_501, new Error('busy, try again'));
    const slow = slowStore(store);
    const result = await executeImport(await planFor(reversedFile(3_000).text, store), {
      ...who,
      store: slow.store,
      batchSize: 500,
      secrets: drawing.secrets,
    });
    if (!result.imported) throw new Error('not imported');
    expect(result.resultsCsv()).toBe(resultsCsv(columns, 'password', result.created));
    const hashes = new Map(store.users().map((user) => [user.email, user.credential.hash]));
    expect(result.created.every((user) => hashes.get(user.email) === hashSecret(user.temporaryPassword ?? ''))).toBe(true);
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
