// Issue 27, finding 10: an `onExisting: 'skip'` import that lost a race to an overlapping import failed whole,
// and its message advised skipping existing users, the setting it already had. Now it plans again once (the
// users the winner created are skipped) and runs again; only a second lost race fails it, with a message that
// does not advise the setting it has. Shared by the memory-store, PGlite and real-server runs.
import { describe, expect, it } from 'vitest';
import type { NewUser, UserStore } from '../../src/adapters/store/types.js';
import { executeImport } from '../../src/execute/execute-import.js';
import type { ImportResult } from '../../src/execute/import-result.js';
import { planImport } from '../../src/plan/plan-import.js';
import { csv, pair, ring, type RaceFile, type RaceTarget } from './concurrency-cases.js';

const who = { actor: 'admin', authorize: () => true };

/** The store, with each import key's transactions counted and a hook run after each lookup of existing users. */
function counted(store: UserStore, afterLookup: () => Promise<void> = () => Promise.resolve()) {
  const attempts = new Map<string, number>();
  const wrapped: UserStore = {
    ...store,
    async findExistingEmails(keys) {
      const found = await store.findExistingEmails(keys);
      await afterLookup();
      return found;
    },
    transaction: (fn) =>
      store.transaction((tx) =>
        fn({
          ...tx,
          recordImport(record) {
            attempts.set(record.key ?? '', (attempts.get(record.key ?? '') ?? 0) + 1);
            return tx.recordImport(record);
          },
        }),
      ),
  };
  return { store: wrapped, attempts };
}

/** Another import, committed on its own: one user with this email. */
async function rival(store: UserStore, email: string, n: number): Promise<void> {
  const user: NewUser = {
    email,
    emailKey: email.toLowerCase(),
    firstName: 'Rival',
    lastName: String(n),
    attributes: {},
    credential: { kind: 'password', hash: 'hash', mustChange: true, expiresAt: new Date('2030-01-01T00:00:00Z') },
    importId: `rival-${String(n)}`,
    row: 2,
  };
  await store.transaction((tx) => tx.createUsers([user]));
}

/** Plans every file under `skip` against the store as it is, then executes them all at once. */
async function raceSkipping(store: UserStore, files: readonly RaceFile[], batchSize: number): Promise<ImportResult[]> {
  const plans = await Promise.all(files.map((file) => planImport(csv(file), { ...who, store, onExisting: 'skip' })));
  return Promise.all(plans.map((plan, i) => executeImport(plan, { ...who, store, batchSize, importKey: files[i]?.key ?? '' })));
}

/**
 * Checks a skip race: emails unique in the store, each import either whole (its rows created or skipped, every
 * created user stored with its id, introductions for exactly those) or absent after at most two tries, with
 * `already_exists` issues whose message does not advise skipping existing users.
 */
async function expectSkipOutcome(
  store: UserStore,
  files: readonly RaceFile[],
  results: readonly ImportResult[],
  attempts: ReadonlyMap<string, number>,
): Promise<void> {
  const key = (email: string) => email.toLowerCase();
  const all = [...new Set(files.flatMap((f) => f.emails.map(key)))];
  const found = await store.findExistingEmails(all);
  const createdKeys = results.flatMap((r) => (r.imported && !r.replayed ? r.created.map((c) => key(c.email)) : []));
  expect(createdKeys.length).toBe(new Set(createdKeys).size); // no email created twice
  expect([...found.keys()].sort()).toEqual([...createdKeys].sort());
  for (const [i, file] of files.entries()) {
    const result = results[i];
    expect([file.key, (attempts.get(file.key) ?? 0) <= 2]).toEqual([file.key, true]);
    if (result?.imported === true) {
      expect(result.replayed).toBe(false);
      const rows = [...result.created.map((c) => c.row), ...result.skipped.map((s) => s.row)].sort((a, b) => a - b);
      expect([file.key, rows]).toEqual([file.key, file.emails.map((_, n) => n + 2)]);
      for (const c of result.created) expect(found.get(key(c.email))?.id).toBe(c.userId);
      const queued = await store.outbox?.list({ importId: result.importId });
      if (queued) expect(queued.map((q) => key(q.email)).sort()).toEqual(result.created.map((c) => key(c.email)).sort());
      continue;
    }
    expect(attempts.get(file.key)).toBe(2);
    const errors = result?.summary.errors ?? [];
    expect(errors.length).toBeGreaterThan(0);
    for (const issue of errors) {
      expect(issue.code).toBe('already_exists');
      expect(found.has(key(issue.value ?? ''))).toBe(true);
      expect(issue.message).toContain('was created by another import while this one ran');
      expect(issue.message).not.toMatch(/choosing to skip|--on-existing/);
    }
  }
}

/** Registers the skip-race cases; `factory` returns a fresh, empty store per round. */
export function describeSkipRaces(name: string, factory: () => Promise<RaceTarget>, rounds: number): void {
  const withTarget = async (body: (store: UserStore) => Promise<void>): Promise<void> => {
    const target = await factory();
    try {
      await body(target.store);
    } finally {
      await target.cleanup?.();
    }
  };

  describe(`a lost race under onExisting: 'skip' plans again once (issue 27, finding 10), on ${name}`, { timeout: 300_000 }, () => {
    it(`two at once (${String(rounds)} rounds): both import, the loser skipping the users the winner created`, async () => {
      for (let round = 0; round < rounds; round++) {
        await withTarget(async (inner) => {
          const { store, attempts } = counted(inner);
          const files = pair(round);
          const results = await raceSkipping(store, files, 1 + (round % 4));
          expect(results.map((r) => r.imported)).toEqual([true, true]);
          expect([...attempts.values()].sort()).toEqual([1, 2]);
          const loser = results.find((r, i) => r.imported && attempts.get(files[i]?.key ?? '') === 2);
          expect(loser?.imported === true ? loser.skipped.map((s) => s.email.toLowerCase()).sort() : []).toEqual(
            Array.from({ length: 5 }, (_, i) => `shared${String(i)}@example.org`),
          );
          await expectSkipOutcome(store, files, results, attempts);
        });
      }
    });

    it(`eight at once in a ring (${String(rounds)} rounds): each imports whole or fails after one more try, never twice more`, async () => {
      for (let round = 0; round < rounds; round++) {
        await withTarget(async (inner) => {
          const { store, attempts } = counted(inner);
          const files = ring(round);
          const results = await raceSkipping(store, files, 1 + (round % 3) * 2);
          await expectSkipOutcome(store, files, results, attempts);
        });
      }
    });

    it('an import that loses once imports, skipping the taken row; one that loses again fails, without advising skip', async () => {
      await withTarget(async (inner) => {
        // Another import commits user2 after this one was planned, and user5 while it plans again.
        const file: RaceFile = { key: 'skip-once', emails: Array.from({ length: 8 }, (_, i) => `user${String(i)}@example.org`) };
        const { store, attempts } = counted(inner);
        const plan = await planImport(csv(file), { ...who, store, onExisting: 'skip' });
        await rival(inner, 'user2@example.org', 1);
        const once = await executeImport(plan, { ...who, store, importKey: file.key });
        expect(once.imported && once.skipped.map((s) => [s.row, s.email])).toEqual([[4, 'user2@example.org']]);
        expect(once.imported && once.created.map((c) => c.row)).toEqual([2, 3, 5, 6, 7, 8, 9]);
        expect(attempts.get(file.key)).toBe(2);
      });
      await withTarget(async (inner) => {
        const file: RaceFile = { key: 'skip-twice', emails: Array.from({ length: 8 }, (_, i) => `user${String(i)}@example.org`) };
        let rivals = 1;
        // After planning, every lookup lets another import take one more of the file's emails.
        let armed = false;
        const { store, attempts } = counted(inner, async () => {
          if (armed) await rival(inner, `user${String(rivals * 3 + 2)}@example.org`, ++rivals);
        });
        const plan = await planImport(csv(file), { ...who, store, onExisting: 'skip' });
        await rival(inner, 'user2@example.org', 1);
        armed = true;
        const twice = await executeImport(plan, { ...who, store, importKey: file.key });
        armed = false;
        expect(twice.imported).toBe(false);
        expect(attempts.get(file.key)).toBe(2);
        const errors = twice.imported ? [] : twice.summary.errors;
        expect(errors.map((e) => [e.code, e.row, e.value])).toEqual([['already_exists', 7, 'user5@example.org']]);
        expect(errors[0]?.message).toBe(
          'Row 7: a user with the email "user5@example.org" was created by another import while this one ran, so nothing was imported. ' +
            'Import the file again: users who exist by then are skipped.',
        );
        expect(await store.findImport(file.key)).toBeUndefined();
      });
    });
  });
}
