import type { UserStore } from '../adapters/store/types.js';
import { check, equal, rejection } from './conformance-checks.js';
import { importWithIntroductions, range, user, type StoreTest } from './store-fixtures.js';

/**
 * The outbox part of the store conformance suite (capability `outbox`, and `enqueueImportIntroductions`):
 * pending introductions in order, disjoint concurrent claims under leases, marking once, retries, lease
 * take-over, live leases counted (`leases`) and ended (`endLeases`), claims by import, and an import's
 * introductions requested in one call.
 */
export function describeOutboxConformance(describe: (name: string, fn: () => void) => void, test: StoreTest): void {
  describe('introduction outbox (capability: outbox)', () => {
    test('declares the outbox consistently: tx.enqueueIntroductions exists exactly when store.outbox does', async (store) => {
      const hasEnqueue = await store.transaction((tx) => Promise.resolve(typeof tx.enqueueIntroductions === 'function'));
      equal(hasEnqueue, store.outbox !== undefined, 'enqueueIntroductions present');
    });

    test('enqueued introductions wait as pending, in the order they were enqueued', async (store) => {
      if (!store.outbox) return;
      const users = range(5).map((i) => user(i));
      await importWithIntroductions(store, 'import-1', users);
      equal(await store.outbox.count(), { pending: 5, sending: 0, sent: 0, failed: 0 }, 'counts');
      equal(await store.outbox.count({ importId: 'other' }), { pending: 0, sending: 0, sent: 0, failed: 0 }, 'other import');
      const listed = await store.outbox.list({ importId: 'import-1' });
      equal(listed.map((i) => [i.email, i.firstName, i.status, i.attempts]), users.map((u) => [u.email, u.firstName, 'pending', 0]), 'listed');
    });

    test('concurrent claims take disjoint introductions, and a claim holds them under a lease', async (store) => {
      const outbox = store.outbox;
      if (!outbox) return;
      await importWithIntroductions(store, 'import-1', range(10).map((i) => user(i)));
      const [first, second] = await Promise.all([
        outbox.claim({ limit: 4, leaseMs: 60_000 }),
        outbox.claim({ limit: 4, leaseMs: 60_000 }),
      ]);
      const both = [...first, ...second];
      equal(new Set(both.map((i) => i.id)).size, 8, 'eight distinct introductions claimed');
      check(both.every((i) => i.status === 'sending' && i.attempts === 1 && i.claimToken !== null), 'claimed as sending');
      equal((await outbox.claim({ limit: 10, leaseMs: 60_000 })).length, 2, 'the two left');
      equal((await outbox.claim({ limit: 10, leaseMs: 60_000 })).length, 0, 'none left while leases hold');
      equal(await outbox.count(), { pending: 0, sending: 10, sent: 0, failed: 0 }, 'counts');
    });

    test('marks an introduction sent once, with its message id; a second mark is refused', async (store) => {
      const outbox = store.outbox;
      if (!outbox) return;
      await importWithIntroductions(store, 'import-1', [user(1)]);
      const [claimed] = await outbox.claim({ limit: 1, leaseMs: 60_000 });
      check(claimed?.claimToken != null, 'claimed');
      const token = claimed?.claimToken ?? '';
      const id = claimed?.id ?? '';
      equal(await outbox.mark(id, token, { status: 'sent', messageId: '<intro-1@example.org>' }), true, 'first mark');
      equal(await outbox.mark(id, token, { status: 'failed', error: 'late' }), false, 'second mark');
      equal(await outbox.mark('no-such-introduction', token, { status: 'sent', messageId: 'x' }), false, 'unknown id');
      const [stored] = await outbox.list();
      equal([stored?.status, stored?.messageId, stored?.claimToken], ['sent', '<intro-1@example.org>', null], 'stored');
      equal((await outbox.claim({ limit: 10, leaseMs: 0, retryFailed: true })).length, 0, 'a sent one is never claimed again');
    });

    test('retries failed introductions only when asked', async (store) => {
      const outbox = store.outbox;
      if (!outbox) return;
      await importWithIntroductions(store, 'import-1', [user(1)]);
      const [claimed] = await outbox.claim({ limit: 1, leaseMs: 60_000 });
      await outbox.mark(claimed?.id ?? '', claimed?.claimToken ?? '', { status: 'failed', error: '550 mailbox unavailable' });
      equal((await outbox.list({ status: 'failed' })).map((i) => i.error), ['550 mailbox unavailable'], 'the reason');
      equal((await outbox.claim({ limit: 10, leaseMs: 60_000 })).length, 0, 'not retried by default');
      const retried = await outbox.claim({ limit: 10, leaseMs: 60_000, retryFailed: true });
      equal(retried.map((i) => [i.id, i.attempts]), [[claimed?.id, 2]], 'retried, second attempt');
    });

    test('an expired lease is taken over, and the old claim can no longer mark', async (store) => {
      const outbox = store.outbox;
      if (!outbox) return;
      await importWithIntroductions(store, 'import-1', [user(1)]);
      const [stale] = await outbox.claim({ limit: 1, leaseMs: 0 });
      const [taken] = await outbox.claim({ limit: 1, leaseMs: 60_000 });
      equal(taken?.id, stale?.id, 'the same introduction');
      check(taken?.claimToken !== stale?.claimToken, 'a new claim token');
      equal(await outbox.mark(stale?.id ?? '', stale?.claimToken ?? '', { status: 'sent', messageId: 'm1' }), false, 'old token');
      equal(await outbox.mark(taken?.id ?? '', taken?.claimToken ?? '', { status: 'sent', messageId: 'm1' }), true, 'new token');
    });

    test('counts the introductions held under a live lease, and says when the first and the last end (capability: leases)', async (store) => {
      const outbox = store.outbox;
      if (outbox?.leases === undefined) return;
      equal(await outbox.leases(), { held: 0, firstEndsAt: null, lastEndsAt: null }, 'nothing held');
      await importWithIntroductions(store, 'import-1', range(5).map((i) => user(i)));
      await importWithIntroductions(store, 'import-2', [user(9)]);
      const short = await outbox.claim({ importId: 'import-1', limit: 2, leaseMs: 60_000 });
      await outbox.claim({ importId: 'import-1', limit: 1, leaseMs: 120_000 });
      await outbox.claim({ importId: 'import-1', limit: 1, leaseMs: 0 }); // ran out at once: not held
      const held = await outbox.leases({ importId: 'import-1' });
      equal(held.held, 3, 'live leases');
      const first = held.firstEndsAt?.getTime() ?? NaN;
      const last = held.lastEndsAt?.getTime() ?? NaN;
      // Both ends by the store's own clock: their distance is the leases' difference, whatever its skew.
      check(last - first >= 55_000 && last - first <= 65_000, `the last lease ends about 60 s after the first (${String(last - first)} ms)`);
      equal(await outbox.leases({ importId: 'import-2' }), { held: 0, firstEndsAt: null, lastEndsAt: null }, 'another import');
      const [done] = short;
      await outbox.mark(done?.id ?? '', done?.claimToken ?? '', { status: 'sent', messageId: 'm1' });
      equal((await outbox.leases()).held, 2, 'a marked introduction is no longer held');
    });

    test('ends live leases so the next claim takes them over; the old token marks until then (capability: endLeases)', async (store) => {
      const outbox = store.outbox;
      if (outbox?.endLeases === undefined) return;
      await importWithIntroductions(store, 'import-1', range(3).map((i) => user(i)));
      await importWithIntroductions(store, 'import-2', [user(9)]);
      const dead = await outbox.claim({ importId: 'import-1', limit: 3, leaseMs: 60_000 });
      const other = await outbox.claim({ importId: 'import-2', limit: 1, leaseMs: 60_000 });
      equal(await outbox.claim({ limit: 10, leaseMs: 60_000 }), [], 'nothing to claim while the leases hold');
      equal(await outbox.endLeases({ importId: 'import-1' }), 3, 'leases ended');
      equal(await outbox.endLeases({ importId: 'import-1' }), 0, 'none left to end');
      if (outbox.leases) equal((await outbox.leases({ importId: 'import-1' })).held, 0, 'none held');
      const [first, second] = dead;
      equal(await outbox.mark(first?.id ?? '', first?.claimToken ?? '', { status: 'sent', messageId: 'm1' }), true, 'the old token, before a take-over');
      const taken = await outbox.claim({ limit: 10, leaseMs: 60_000 });
      equal(taken.map((i) => [i.id, i.attempts]).sort(), dead.slice(1).map((i) => [i.id, 2]).sort(), 'the other two taken over, nothing sent claimed');
      equal(await outbox.mark(second?.id ?? '', second?.claimToken ?? '', { status: 'sent', messageId: 'm2' }), false, 'the old token, after');
      equal(await outbox.count({ importId: 'import-2' }), { pending: 0, sending: 1, sent: 0, failed: 0 }, 'another import keeps its lease');
      equal(await outbox.mark(other[0]?.id ?? '', other[0]?.claimToken ?? '', { status: 'sent', messageId: 'm3' }), true, 'and its token');
    });

    test('claims only the requested import', async (store) => {
      const outbox = store.outbox;
      if (!outbox) return;
      await importWithIntroductions(store, 'import-1', [user(1), user(2)]);
      await importWithIntroductions(store, 'import-2', [user(3)]);
      const claimed = await outbox.claim({ importId: 'import-2', limit: 10, leaseMs: 60_000 });
      equal(claimed.map((i) => [i.importId, i.email]), [['import-2', user(3).email]], 'claimed');
    });
    test('declares enqueueImportIntroductions only beside enqueueIntroductions', async (store) => {
      const [byImport, byUser] = await store.transaction((tx) =>
        Promise.resolve([typeof tx.enqueueImportIntroductions === 'function', typeof tx.enqueueIntroductions === 'function']),
      );
      check(!byImport || byUser, 'enqueueImportIntroductions without enqueueIntroductions');
    });

    test('introduces every user an import created, in row order, with their ids (capability: enqueueImportIntroductions)', async (store) => {
      const outbox = store.outbox;
      if (!outbox || !(await canIntroduceImports(store))) return;
      await importWithIntroductions(store, 'import-0', [user(20)]);
      const created = await store.transaction(async (tx) => {
        const first = await tx.createUsers([user(6), user(2), user(4)]);
        const second = await tx.createUsers([user(5), user(3)]);
        await tx.createUsers([user(7, undefined, { importId: 'import-9' })]);
        await tx.enqueueImportIntroductions?.('import-1');
        return [...first, ...second];
      });
      const byRow = [...created].sort((a, b) => a.row - b.row);
      equal(await outbox.count({ importId: 'import-1' }), { pending: 5, sending: 0, sent: 0, failed: 0 }, 'counts');
      const listed = await outbox.list({ importId: 'import-1' });
      equal(
        listed.map((i) => [i.userId, i.email, i.firstName, i.lastName, i.status, i.attempts]),
        byRow.map((c) => { const u = user(c.row - 2); return [c.id, u.email, u.firstName, u.lastName, 'pending', 0]; }),
        'the import\'s users, in row order, with the ids createUsers gave',
      );
      equal(await outbox.count({ importId: 'import-9' }), { pending: 0, sending: 0, sent: 0, failed: 0 }, 'another import of the transaction');
      equal((await outbox.list({ importId: 'import-0' })).map((i) => i.email), [user(20).email], 'the earlier import');
      const claimed = await outbox.claim({ importId: 'import-1', limit: 10, leaseMs: 60_000 });
      equal(claimed.map((i) => i.email), byRow.map((c) => user(c.row - 2).email), 'claimed in row order');
      equal(await outbox.count(), { pending: 1, sending: 5, sent: 0, failed: 0 }, 'counts after the claim');
    });

    test('an import\'s requested introductions roll back with it', async (store) => {
      const outbox = store.outbox;
      if (!outbox || !(await canIntroduceImports(store))) return;
      const boom = new Error('injected failure after the request');
      const error = await rejection(
        store.transaction(async (tx) => {
          await tx.createUsers(range(3).map((i) => user(i)));
          await tx.enqueueImportIntroductions?.('import-1');
          throw boom;
        }),
      );
      check(error === boom, 'the transaction rejects with the error its function threw');
      equal(await outbox.count(), { pending: 0, sending: 0, sent: 0, failed: 0 }, 'no introduction');
      equal(await outbox.list(), [], 'nothing listed');
      equal(await outbox.claim({ limit: 10, leaseMs: 60_000 }), [], 'nothing claimed');
    });
  });
}

/** Whether the store's transactions can introduce a whole import in one call. */
function canIntroduceImports(store: UserStore): Promise<boolean> {
  return store.transaction((tx) => Promise.resolve(typeof tx.enqueueImportIntroductions === 'function'));
}
