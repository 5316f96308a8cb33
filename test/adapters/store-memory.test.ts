import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/store/memory.js';
import type { NewUser } from '../../src/adapters/store/types.js';
import { describeStoreConformance } from '../../src/testing/store-conformance.js';

describeStoreConformance('memoryStore', () => Promise.resolve({ store: memoryStore() }), { describe, it });

const ada: NewUser = {
  email: 'Ada@Example.org',
  emailKey: 'ada@example.org',
  firstName: 'Ada',
  lastName: 'Lovelace',
  attributes: { department: 'Analytical Engines' },
  credential: { kind: 'password', hash: 'hash', mustChange: true, expiresAt: new Date('2030-01-01T00:00:00Z') },
  importId: 'import-1',
  row: 2,
};

describe('memoryStore', () => {
  it('keeps the hashed credential it was given, for tests to inspect', async () => {
    const store = memoryStore();
    await store.transaction((tx) => tx.createUsers([ada]));
    expect(store.users().map((u) => [u.emailKey, u.credential, u.importId, u.row])).toEqual([
      ['ada@example.org', ada.credential, 'import-1', 2],
    ]);
  });

  it('shows a transaction nothing of another that has not committed yet', async () => {
    const store = memoryStore();
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const open = store.transaction(async (tx) => {
      await tx.createUsers([ada]);
      await held;
    });
    expect((await store.findExistingEmails(['ada@example.org'])).size).toBe(0);
    release();
    await open;
    expect((await store.findExistingEmails(['ada@example.org'])).size).toBe(1);
  });

  it('names, in a batch that collides, the keys of earlier batches another transaction has committed since', async () => {
    const store = memoryStore();
    const bob: NewUser = { ...ada, email: 'bob@example.org', emailKey: 'bob@example.org', row: 3 };
    const cy: NewUser = { ...ada, email: 'cy@example.org', emailKey: 'cy@example.org', row: 4 };
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = store.transaction(async (tx) => {
      await tx.createUsers([ada, cy]);
      await held;
      await tx.createUsers([bob]);
    });
    await store.transaction((tx) => tx.createUsers([ada, bob]));
    release();
    const error: unknown = await slow.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'email_taken' });
    expect((error as { keys: string[] }).keys.sort()).toEqual(['ada@example.org', 'bob@example.org']);
    expect(store.users().map((u) => u.emailKey).sort()).toEqual(['ada@example.org', 'bob@example.org']);
  });

  it('enqueues 200,000 introductions in one call (spreading them into push overflowed the stack)', async () => {
    const store = memoryStore();
    const introduction = { importId: 'import-1', userId: 'u', email: 'a@example.org', firstName: 'A', lastName: 'B' };
    await store.transaction((tx) => tx.enqueueIntroductions(Array.from({ length: 200_000 }, () => introduction)));
    expect((await store.outbox.count()).pending).toBe(200_000);
  });

  it('measures leases with the clock it is given', async () => {
    let now = 1_000;
    const store = memoryStore({ now: () => now });
    await store.transaction(async (tx) => {
      const [created] = await tx.createUsers([ada]);
      await tx.enqueueIntroductions([
        { importId: 'import-1', userId: created?.id ?? '', email: ada.email, firstName: 'Ada', lastName: 'Lovelace' },
      ]);
    });
    expect(await store.outbox.claim({ limit: 1, leaseMs: 500 })).toHaveLength(1);
    now = 1_499;
    expect(await store.outbox.claim({ limit: 1, leaseMs: 500 })).toHaveLength(0);
    now = 1_500;
    expect(await store.outbox.claim({ limit: 1, leaseMs: 500 })).toHaveLength(1);
  });
});
