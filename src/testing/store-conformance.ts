import type { NewUser, UserStore } from '../adapters/store/types.js';
import { check, equal, rejection } from './conformance-checks.js';
import { describeOutboxConformance } from './store-conformance-outbox.js';
import { expectConflict, importRecord, introductions, pause, range, user, type StoreTest } from './store-fixtures.js';

/**
 * The two functions the suite needs from a test runner. vitest, jest, mocha and `node:test` all have
 * them in this shape, so the suite imports no runner: it makes its own assertions and throws on failure.
 */
export interface ConformanceRunner {
  /** Groups the suite's tests under a name. */
  readonly describe: (name: string, fn: () => void) => void;
  /** Declares one test; the suite's tests are async and throw on failure. */
  readonly it: (name: string, fn: () => Promise<void>) => void;
}

/** A fresh, empty store for one test, and how to dispose of it afterwards. */
export interface StoreUnderTest {
  readonly store: UserStore;
  /** Disposes of the store after the test, when it holds a database or files. */
  readonly cleanup?: () => Promise<void>;
}

/**
 * Registers the user-store conformance suite: lookups by canonical key, batch creation, atomicity when a
 * batch fails in the middle, the unique race between concurrent transactions, idempotency records,
 * (when the store declares an `outbox`) claiming and marking introductions, and (when it declares
 * `redeemInvite`) single-use, expiring invite redemption. `factory` is called once per
 * test and must return an empty store.
 *
 * Optional capabilities are tested when the store declares them; a store that does not declare one is
 * checked for declaring it consistently (no `outbox` means no `tx.enqueueIntroductions`).
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * import { describeStoreConformance } from 'rollcall/testing';
 *
 * describeStoreConformance('my store', async () => ({ store: myStore(await freshDatabase()) }), { describe, it });
 * ```
 */
export function describeStoreConformance(
  name: string,
  factory: () => Promise<StoreUnderTest>,
  runner: ConformanceRunner,
): void {
  const { describe, it } = runner;
  const test: StoreTest = (title, body) => {
    it(title, async () => {
      const { store, cleanup } = await factory();
      try {
        await body(store);
      } finally {
        await cleanup?.();
      }
    });
  };

  describe(`${name}: UserStore conformance`, () => {
    describe('lookups', () => {
      test('finds users by canonical email key, whatever the case of the stored email', async (store) => {
        const users = [user(1, 'Ada.Lovelace@Example.ORG'), user(2, 'grace@example.org')];
        const created = await store.transaction((tx) => tx.createUsers(users));
        const found = await store.findExistingEmails(['ada.lovelace@example.org', 'nobody@example.org', 'grace@example.org']);
        equal([...found.keys()].sort(), ['ada.lovelace@example.org', 'grace@example.org'], 'found keys');
        const ada = found.get('ada.lovelace@example.org');
        equal(ada?.email, 'Ada.Lovelace@Example.ORG', 'stored email keeps its case');
        equal(ada?.id, created[0]?.id, 'the id createUsers returned');
      });

      test('finds nothing for an empty list or in an empty store', async (store) => {
        equal((await store.findExistingEmails([])).size, 0, 'empty list');
        equal((await store.findExistingEmails(['a@example.org'])).size, 0, 'empty store');
      });
    });

    describe('batch creation', () => {
      test('creates 1,000 users in one call and returns them in input order', async (store) => {
        const users = range(1000).map((i) => user(i));
        const created = await store.transaction((tx) => tx.createUsers(users));
        equal(created.map((c) => c.emailKey), users.map((u) => u.emailKey), 'keys in input order');
        equal(created.map((c) => c.row), users.map((u) => u.row), 'rows in input order');
        equal(new Set(created.map((c) => c.id)).size, 1000, 'distinct ids');
        const found = await store.findExistingEmails(users.map((u) => u.emailKey));
        equal(found.size, 1000, 'all findable');
        equal(created.map((c) => found.get(c.emailKey)?.id), created.map((c) => c.id), "each user's own id");
      });

      test('stores names, email and attributes as given, non-ASCII included', async (store) => {
        if (!store.listUsers) return;
        const users = [
          user(1, 'zoe@example.org', { firstName: 'Zoë', lastName: 'Ñúñez-Ødegård', attributes: { department: 'Física' } }),
          user(2, 'Li@Example.org', { firstName: '李 🐉', lastName: 'O\'Brien "{a,b}" \\ NULL\n', attributes: {} }),
        ];
        const created = await store.transaction((tx) => tx.createUsers(users));
        const listed = await store.listUsers();
        equal(
          listed.map((u) => [u.id, u.email, u.emailKey, u.firstName, u.lastName, u.attributes]),
          [
            [created[1]?.id, 'Li@Example.org', 'li@example.org', '李 🐉', 'O\'Brien "{a,b}" \\ NULL\n', {}],
            [created[0]?.id, 'zoe@example.org', 'zoe@example.org', 'Zoë', 'Ñúñez-Ødegård', { department: 'Física' }],
          ],
          'listed users, by key',
        );
        const page = await store.listUsers({ after: 'li@example.org', limit: 5 });
        equal(page.map((u) => u.emailKey), ['zoe@example.org'], 'the page after a key');
      });

      test('creates users with an invite instead of a password', async (store) => {
        const invited: NewUser = {
          ...user(1),
          credential: { kind: 'invite', hash: 'token-hash', expiresAt: new Date('2030-01-01T00:00:00Z') },
        };
        await store.transaction((tx) => tx.createUsers([invited]));
        equal((await store.findExistingEmails([invited.emailKey])).size, 1, 'created');
      });
    });

    describe('atomicity', () => {
      test('rolls back the whole batch when a key in the middle of it is taken', async (store) => {
        const existing = user(500, 'middle@example.org');
        await store.transaction((tx) => tx.createUsers([existing]));
        const batch = [...range(500).map((i) => user(i)), user(9999, 'MIDDLE@example.org'), ...range(499).map((i) => user(501 + i))];
        const error = await rejection(store.transaction((tx) => tx.createUsers(batch)));
        expectConflict(error, 'email_taken', ['middle@example.org']);
        const others = batch.filter((u) => u.emailKey !== 'middle@example.org').map((u) => u.emailKey);
        equal((await store.findExistingEmails(others)).size, 0, 'none of the other 999 remain');
        await store.transaction((tx) => tx.createUsers(batch.filter((u) => u.emailKey !== 'middle@example.org')));
        equal((await store.findExistingEmails(others)).size, 999, 'the same users can be created afterwards');
      });

      test('rejects a batch that holds the same key twice, listing the key', async (store) => {
        const batch = [user(1, 'twice@example.org'), user(2), user(3, 'Twice@Example.org')];
        const error = await rejection(store.transaction((tx) => tx.createUsers(batch)));
        expectConflict(error, 'email_taken', ['twice@example.org']);
        equal((await store.findExistingEmails(batch.map((u) => u.emailKey))).size, 0, 'nothing created');
      });

      test('lists every taken key of a batch, across a large batch', async (store) => {
        await store.transaction((tx) => tx.createUsers([user(3), user(1500), user(2999)]));
        const error = await rejection(store.transaction((tx) => tx.createUsers(range(3000).map((i) => user(i)))));
        expectConflict(error, 'email_taken', [user(3).emailKey, user(1500).emailKey, user(2999).emailKey]);
      });

      test('rolls back users, the import record and introductions when the function throws after writing', async (store) => {
        const boom = new Error('injected failure after the writes');
        const error = await rejection(
          store.transaction(async (tx) => {
            const created = await tx.createUsers(range(10).map((i) => user(i)));
            await tx.recordImport(importRecord('import-1', 'key-1'));
            await tx.enqueueIntroductions?.(introductions('import-1', created, range(10).map((i) => user(i))));
            throw boom;
          }),
        );
        check(error === boom, 'the transaction rejects with the error its function threw');
        equal((await store.findExistingEmails(range(10).map((i) => user(i).emailKey))).size, 0, 'no user');
        equal(await store.findImport('key-1'), undefined, 'no import record');
        if (store.outbox) equal(await store.outbox.count(), { pending: 0, sending: 0, sent: 0, failed: 0 }, 'no introduction');
      });
    });

    describe('concurrency', () => {
      for (const [title, slow] of [
        ['the first to write holds its transaction open', 'a'],
        ['the second to write holds its transaction open', 'b'],
      ] as const) {
        test(`exactly one of two concurrent imports with overlapping emails commits (${title})`, async (store) => {
          const shared = range(10).map((i) => user(1000 + i));
          const a = [...range(50).map((i) => user(i, `a${i}@example.org`)), ...shared];
          const b = [...shared.map((u) => ({ ...u, email: u.email.toUpperCase() })), ...range(50).map((i) => user(i, `b${i}@example.org`))];
          const run = (users: NewUser[], hold: boolean) =>
            store.transaction(async (tx) => {
              const created = await tx.createUsers(users);
              // Give the other transaction time to start while this one still holds its writes.
              if (hold) await pause(30);
              return created;
            });
          const results = await Promise.allSettled([run(a, slow === 'a'), run(b, slow === 'b')]);
          const won = results.filter((r) => r.status === 'fulfilled');
          const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
          equal([won.length, lost.length], [1, 1], 'one winner, one loser');
          expectConflict(lost[0], 'email_taken', shared.map((u) => u.emailKey));
          const winner = results[0].status === 'fulfilled' ? a : b;
          const loser = winner === a ? b : a;
          equal((await store.findExistingEmails(winner.map((u) => u.emailKey))).size, 60, "the winner's users all exist");
          const loserOwn = loser.filter((u) => !shared.some((s) => s.emailKey === u.emailKey)).map((u) => u.emailKey);
          equal((await store.findExistingEmails(loserOwn)).size, 0, "none of the loser's own users exist");
        });
      }

      test('two concurrent imports of the same emails in opposite orders: one commits, the other names them all', async (store) => {
        const users = range(200).map((i) => user(i));
        const results = await Promise.allSettled([
          store.transaction((tx) => tx.createUsers(users)),
          store.transaction((tx) => tx.createUsers([...users].reverse())),
        ]);
        const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
        equal(lost.length, 1, 'one loser');
        expectConflict(lost[0], 'email_taken', users.map((u) => u.emailKey));
        equal((await store.findExistingEmails(users.map((u) => u.emailKey))).size, 200, 'all created once');
      });
    });

    describe('idempotency records', () => {
      test('finds an import by its key, with its fingerprint and outcome', async (store) => {
        const record = importRecord('import-1', 'monday-upload');
        await store.transaction((tx) => tx.recordImport(record));
        const found = await store.findImport('monday-upload');
        equal(
          found && { ...found, createdAt: found.createdAt.toISOString() },
          { ...record, createdAt: record.createdAt.toISOString() },
          'the stored record',
        );
        equal(await store.findImport('tuesday-upload'), undefined, 'an unknown key');
      });

      test('accepts any number of imports without a key', async (store) => {
        await store.transaction((tx) => tx.recordImport(importRecord('import-1', null)));
        await store.transaction((tx) => tx.recordImport(importRecord('import-2', null)));
      });

      test('refuses a key used by an earlier import, rolling back the second import', async (store) => {
        await store.transaction((tx) => tx.recordImport(importRecord('import-1', 'same-key')));
        const error = await rejection(
          store.transaction(async (tx) => {
            await tx.createUsers([user(1)]);
            await tx.recordImport(importRecord('import-2', 'same-key'));
          }),
        );
        expectConflict(error, 'import_key_taken', ['same-key']);
        equal((await store.findExistingEmails([user(1).emailKey])).size, 0, "the second import's users");
        equal((await store.findImport('same-key'))?.id, 'import-1', 'the first import keeps the key');
      });

      test('exactly one of two concurrent imports with the same key commits', async (store) => {
        const run = (id: string, hold: boolean) =>
          store.transaction(async (tx) => {
            await tx.recordImport(importRecord(id, 'race-key'));
            if (hold) await pause(30);
          });
        const results = await Promise.allSettled([run('import-1', true), run('import-2', false)]);
        const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
        equal(lost.length, 1, 'one loser');
        expectConflict(lost[0], 'import_key_taken', ['race-key']);
      });
    });

    describe('invite redemption (capability: redeemInvite)', () => {
      const expiresAt = new Date('2030-01-01T00:00:00Z');
      const before = new Date('2029-12-31T23:59:59Z');
      const invited = (i: number, hash: string): NewUser => ({ ...user(i), credential: { kind: 'invite', hash, expiresAt } });

      test('redeems an invite once and returns its user; a second redemption says used', async (store) => {
        const redeem = store.redeemInvite?.bind(store);
        if (!redeem) return;
        const [created] = await store.transaction((tx) => tx.createUsers([invited(1, 'sha256:one'), invited(2, 'sha256:two')]));
        const first = await redeem('sha256:one', before);
        equal(
          first.redeemed ? [first.user.id, first.user.emailKey, first.user.firstName] : first,
          [created?.id, 'user1@example.org', 'First1'],
          'the first redemption returns the user',
        );
        equal(await redeem('sha256:one', before), { redeemed: false, reason: 'used' }, 'the second redemption');
        equal((await redeem('sha256:two', before)).redeemed, true, 'another invite is untouched');
      });

      test('refuses an expired invite, from its expiry on, and keeps refusing it', async (store) => {
        const redeem = store.redeemInvite?.bind(store);
        if (!redeem) return;
        await store.transaction((tx) => tx.createUsers([invited(1, 'sha256:late')]));
        equal(await redeem('sha256:late', expiresAt), { redeemed: false, reason: 'expired' }, 'at the expiry');
        equal(await redeem('sha256:late', new Date('2031-01-01T00:00:00Z')), { redeemed: false, reason: 'expired' }, 'after');
      });

      test('knows no invite by an unknown hash, a password hash, or one of a rolled-back import', async (store) => {
        const redeem = store.redeemInvite?.bind(store);
        if (!redeem) return;
        await store.transaction((tx) => tx.createUsers([user(1)]));
        await rejection(
          store.transaction(async (tx) => {
            await tx.createUsers([invited(2, 'sha256:rolled-back')]);
            throw new Error('the host failed after writing');
          }),
        );
        for (const hash of ['sha256:nobody', 'hash-1', 'sha256:rolled-back']) {
          equal(await redeem(hash, before), { redeemed: false, reason: 'unknown' }, `redeeming ${hash}`);
        }
      });

      test('of eight concurrent redemptions of one invite exactly one wins; the others say used', async (store) => {
        const redeem = store.redeemInvite?.bind(store);
        if (!redeem) return;
        await store.transaction((tx) => tx.createUsers([invited(1, 'sha256:race')]));
        const outcomes = await Promise.all(range(8).map(() => redeem('sha256:race', before)));
        equal(outcomes.filter((o) => o.redeemed).length, 1, 'winners');
        equal(outcomes.flatMap((o) => (o.redeemed ? [] : [o.reason])), range(7).map(() => 'used'), 'losers');
      });
    });

    describeOutboxConformance(describe, test);
  });
}
