// Concurrent imports with overlapping emails, shared by the memory-store, PGlite and real-server runs. Two
// imports, then eight in a ring (each shares emails with its two neighbours), are planned against an empty
// store and executed at once in small batches, so the store alone decides the race; then eight run end to end.
// No email is stored twice, each import is complete or absent, and each loser names its collisions.
import { describe, expect, it } from 'vitest';
import type { UserStore } from '../../src/adapters/store/types.js';
import { executeImport } from '../../src/execute/execute-import.js';
import type { ImportResult } from '../../src/execute/import-result.js';
import { importUsers } from '../../src/execute/import-users.js';
import { planImport } from '../../src/plan/plan-import.js';

const who = { actor: 'admin', authorize: () => true };

/** A fresh, empty store for one case, and how to dispose of it. */
export interface RaceTarget {
  readonly store: UserStore;
  cleanup?(): Promise<void>;
}

/** One import of a race: its rows' emails in file order (row n + 2 is emails[n]). */
export interface RaceFile {
  readonly key: string;
  readonly emails: readonly string[];
}

export function csv(file: RaceFile): string {
  return ['First Name,Last Name,Email', ...file.emails.map((email, i) => `Zoë${String(i)},Ñúñez,${email}`)].join('\r\n') + '\r\n';
}

/** Two files sharing five emails (in the second file upper-cased and in reverse order). */
export function pair(round: number): RaceFile[] {
  const shared = Array.from({ length: 5 }, (_, i) => `shared${String(i)}@example.org`);
  const own = (who: string) => Array.from({ length: 12 }, (_, i) => `${who}${String(i)}.r${String(round)}@example.org`);
  return [
    { key: `pair-a-${String(round)}`, emails: [...own('a'), ...shared] },
    { key: `pair-b-${String(round)}`, emails: [...shared.map((e) => e.toUpperCase()).reverse(), ...own('b')] },
  ];
}

/** Eight files in a ring: file i holds ring emails i and i+1 (mod 8), at a position that varies by round. */
export function ring(round: number): RaceFile[] {
  const ringEmail = (i: number) => `ring${String(i % 8)}@example.org`;
  return Array.from({ length: 8 }, (_, i) => {
    const own = Array.from({ length: 9 }, (_, n) => `own${String(i)}-${String(n)}.r${String(round)}@example.org`);
    const at = (i * 3 + round) % own.length;
    const emails = [...own.slice(0, at), ringEmail(i), ...own.slice(at), i % 2 === 0 ? ringEmail(i + 1) : ringEmail(i + 1).toUpperCase()];
    return { key: `ring-${String(i)}-${String(round)}`, emails };
  });
}

/**
 * Checks the outcome of a race: emails unique in the store, each winner whole (users, import record,
 * introductions), each loser absent, and each loser's errors `already_exists` on rows whose email a winner
 * holds (on every such row when `exact`).
 */
async function expectRaceOutcome(store: UserStore, files: readonly RaceFile[], results: readonly ImportResult[], exact: boolean): Promise<void> {
  const key = (email: string) => email.toLowerCase();
  const winners = files.filter((_, i) => results[i]?.imported === true);
  const won = new Set(winners.flatMap((f) => f.emails.map(key)));
  expect(winners.length).toBeGreaterThan(0);
  expect(won.size).toBe(winners.reduce((n, f) => n + f.emails.length, 0)); // winners are pairwise disjoint

  const all = [...new Set(files.flatMap((f) => f.emails.map(key)))];
  const found = await store.findExistingEmails(all);
  expect([...found.keys()].sort()).toEqual([...won].sort());
  if (store.listUsers) {
    const listed = (await store.listUsers({ limit: 10_000 })).map((u) => u.emailKey);
    expect(listed.length).toBe(new Set(listed).size);
    expect(listed.sort()).toEqual([...won].sort());
  }

  for (const [i, file] of files.entries()) {
    const result = results[i];
    const record = await store.findImport(file.key);
    if (result?.imported === true) {
      expect(record?.id).toBe(result.importId);
      const ids = result.created.map((c) => c.userId);
      expect(ids.sort()).toEqual(file.emails.map((e) => found.get(key(e))?.id).sort());
      const queued = await store.outbox?.list({ importId: result.importId });
      if (queued) expect(queued.map((q) => key(q.email)).sort()).toEqual(file.emails.map(key).sort());
      continue;
    }
    expect(record).toBeUndefined();
    const errors = result?.summary.errors ?? [];
    const colliding = file.emails.flatMap((email, n) => (won.has(key(email)) ? [n + 2] : []));
    const named = errors.map((e) => e.row ?? 0);
    expect([file.key, errors.map((e) => e.code)]).toEqual([file.key, errors.map(() => 'already_exists')]);
    expect(named.length).toBeGreaterThan(0);
    if (exact) expect([file.key, named]).toEqual([file.key, colliding]);
    else expect([file.key, named.filter((row) => !colliding.includes(row))]).toEqual([file.key, []]);
    for (const issue of errors) expect(issue.value?.toLowerCase()).toBe(key(file.emails[(issue.row ?? 0) - 2] ?? ''));
  }
  const total = await store.outbox?.count();
  if (total) expect(total.pending).toBe(won.size);
}

/** Plans every file against the empty store, then executes them all at once. */
async function race(store: UserStore, files: readonly RaceFile[], batchSize: number): Promise<ImportResult[]> {
  const plans = await Promise.all(files.map((file) => planImport(csv(file), { ...who, store })));
  for (const plan of plans) expect(plan.executable).toBe(true);
  return Promise.all(plans.map((plan, i) => executeImport(plan, { ...who, store, batchSize, importKey: files[i]?.key ?? '' })));
}

/** Registers the concurrent-import cases; `factory` returns a fresh, empty store per round. */
export function describeConcurrentImports(name: string, factory: () => Promise<RaceTarget>, rounds: number): void {
  const withTarget = async (body: (store: UserStore) => Promise<void>): Promise<void> => {
    const target = await factory();
    try {
      await body(target.store);
    } finally {
      await target.cleanup?.();
    }
  };

  describe(`concurrent imports with overlapping emails, on ${name}`, { timeout: 300_000 }, () => {
    it(`two at once (${String(rounds)} rounds): one commits whole, the other rolls back and names exactly the shared rows`, async () => {
      for (let round = 0; round < rounds; round++) {
        await withTarget(async (store) => {
          const files = pair(round);
          const results = await race(store, files, 1 + (round % 4));
          expect(results.filter((r) => r.imported)).toHaveLength(1);
          await expectRaceOutcome(store, files, results, true);
        });
      }
    });

    it(`eight at once in a ring (${String(rounds)} rounds): winners share nothing, losers are absent and name rows winners hold`, async () => {
      for (let round = 0; round < rounds; round++) {
        await withTarget(async (store) => {
          const files = ring(round);
          const results = await race(store, files, 1 + (round % 3) * 2);
          await expectRaceOutcome(store, files, results, false);
        });
      }
    });

    it('eight at once end to end (importUsers): the same, whether a loser finds the collisions when planning or executing', async () => {
      await withTarget(async (store) => {
        const files = ring(rounds);
        const results = await Promise.all(files.map((file) => importUsers(csv(file), { ...who, store, importKey: file.key })));
        await expectRaceOutcome(store, files, results, false);
      });
    });
  });
}
