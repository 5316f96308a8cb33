import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/store/memory.js';
import type { UserStore } from '../../src/adapters/store/types.js';
import { executeImport } from '../../src/execute/execute-import.js';
import { hashSecret } from '../../src/execute/hash-secret.js';
import { userBatches, type CredentialSettings } from '../../src/execute/new-users.js';
import { secretGenerator } from '../../src/execute/secret-generator.js';
import type { PlannedRow } from '../../src/plan/import-plan.js';
import { planImport } from '../../src/plan/plan-import.js';

const who = { actor: 'admin', authorize: () => true };

function row(n: number, email: string): PlannedRow {
  return { row: n, action: 'create', email, emailKey: email.toLowerCase(), firstName: `F${String(n)}`, lastName: `L${String(n)}`, attributes: {} };
}

function settings(hash: (secret: string) => string | Promise<string> = hashSecret): CredentialSettings {
  return { credential: 'password', passwordLength: 16, hashPassword: hash, hashInviteToken: hash, secrets: secretGenerator() };
}

function usersFile(n: number): string {
  const lines = Array.from({ length: n }, (_, i) => `First${String(i)},Last${String(i)},user${String(n - i).padStart(3, '0')}@example.org`);
  return `First Name,Last Name,Email\r\n${lines.join('\r\n')}\r\n`;
}

describe('userBatches', () => {
  const rows = [row(2, 'Zed@example.org'), row(3, 'amy@example.org'), row(4, 'mia@example.org'), row(5, 'bob@example.org'), row(6, 'kai@example.org')];

  it('builds batches in email-key order, and puts each user and secret at its row position', async () => {
    const batches = userBatches(rows, 'import-1', new Date('2030-01-01T00:00:00Z'), settings(), 2);
    expect(batches.count).toBe(3);
    expect([0, 1, 2].map((k) => batches.positions(k))).toEqual([[1, 3], [4, 2], [0]]);
    const first = await batches.build(0);
    expect(first.map((u) => u.emailKey)).toEqual(['amy@example.org', 'bob@example.org']);
    expect(Object.keys(batches.secrets)).toEqual(['1', '3']); // the other batches draw nothing yet
    const built = [...first, ...(await batches.build(1)), ...(await batches.build(2))];
    expect(built.map((u) => u.row)).toEqual([3, 5, 6, 4, 2]);
    for (const [n, index] of [0, 1, 2].flatMap((k) => batches.positions(k)).entries()) {
      expect(built[n]?.credential).toMatchObject({ kind: 'password', hash: hashSecret(batches.secrets[index] ?? ''), mustChange: true });
    }
    expect(batches.asynchronous).toBe(false);
  });

  it('notices an asynchronous hash', async () => {
    const batches = userBatches(rows, 'import-1', new Date(), settings((s) => Promise.resolve(hashSecret(s))), 2);
    await batches.build(0);
    expect(batches.asynchronous).toBe(true);
  });

  it('refuses a hash that returns the secret itself, in whichever batch it happens', async () => {
    let echo = false;
    const batches = userBatches(rows, 'import-1', new Date(), settings((s) => (echo ? s : hashSecret(s))), 2);
    await batches.build(0);
    echo = true;
    await expect(batches.build(1)).rejects.toMatchObject({ code: 'invalid_option' });
  });
});

/** Imports seven users in batches of two with `hash`; says how many were hashed when the transaction began. */
async function hashedBeforeTransaction(hash: (secret: string) => string | Promise<string>): Promise<{ before: number; all: number }> {
  const store = memoryStore();
  const plan = await planImport(usersFile(7), { ...who, store });
  let hashed = 0;
  let before = -1;
  const watched: UserStore = {
    ...store,
    transaction: (fn) => {
      before = hashed;
      return store.transaction(fn);
    },
  };
  const counting = (secret: string): string | Promise<string> => {
    const result = hash(secret);
    hashed++;
    return result;
  };
  const result = await executeImport(plan, { ...who, store: watched, hashPassword: counting, batchSize: 2 });
  expect(result.imported).toBe(true);
  return { before, all: hashed };
}

describe('executeImport with batches', () => {
  it('hashes every batch before the transaction when the hash is asynchronous, so a slow hash never holds it open', async () => {
    expect(await hashedBeforeTransaction((secret) => Promise.resolve(hashSecret(secret)))).toEqual({ before: 7, all: 7 });
  });

  it('hashes a synchronous hash batch by batch inside the transaction: only the first batch before it', async () => {
    expect(await hashedBeforeTransaction(hashSecret)).toEqual({ before: 2, all: 7 });
  });

  it("rethrows a hash's own failure in a later batch as it is, not as a store failure, and creates nobody", async () => {
    const store = memoryStore();
    const plan = await planImport(usersFile(7), { ...who, store });
    const failure = new Error('the hashing service is down');
    let calls = 0;
    const hashPassword = (secret: string): string => {
      if (++calls === 5) throw failure;
      return hashSecret(secret);
    };
    await expect(executeImport(plan, { ...who, store, hashPassword, batchSize: 2 })).rejects.toBe(failure);
    expect(store.users()).toEqual([]);
  });

  it('accepts a store whose createUsers answers without a promise', async () => {
    const store = memoryStore();
    const plan = await planImport(usersFile(5), { ...who, store });
    const plain: UserStore = {
      ...store,
      transaction: (fn) =>
        store.transaction((tx) =>
          fn({
            ...tx,
            // A plain-JavaScript store's shape: the created users themselves, not a promise of them.
            createUsers: ((users: Parameters<typeof tx.createUsers>[0]) => {
              void tx.createUsers(users);
              return users.map((u) => ({ id: `sync-${String(u.row)}`, emailKey: u.emailKey, row: u.row }));
            }) as unknown as typeof tx.createUsers,
          }),
        ),
    };
    const result = await executeImport(plan, { ...who, store: plain, batchSize: 2 });
    if (!result.imported) throw new Error('not imported');
    expect(result.created.map((c) => c.userId)).toEqual([2, 3, 4, 5, 6].map((n) => `sync-${String(n)}`));
    expect(store.users()).toHaveLength(5);
  });
});
