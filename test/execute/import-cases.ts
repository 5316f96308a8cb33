// The importer's tests against a store, shared by the memory-store, PGlite and real-server runs: every
// behaviour that depends on what the store commits, rolls back or refuses.
import { describe, expect, it } from 'vitest';
import type { UserStore } from '../../src/adapters/store/types.js';
import { executeImport } from '../../src/execute/execute-import.js';
import { hashSecret } from '../../src/execute/hash-secret.js';
import type { ImportResult } from '../../src/execute/import-result.js';
import { importUsers } from '../../src/execute/import-users.js';
import { redeemInvite } from '../../src/execute/redeem-invite.js';
import { planImport } from '../../src/plan/plan-import.js';
import type { ImportPlan } from '../../src/plan/import-plan.js';
import { RollcallError } from '../../src/rollcall-error.js';
import { column } from '../../src/schema/column.js';
import { usersSchema } from '../../src/schema/users.js';

/** What the tests need to see of a store beyond its interface. */
export interface ImportStoreUnderTest {
  readonly store: UserStore;
  /** Everything the store persisted (users with credentials, import records, introductions), as text. */
  dump(): Promise<string>;
  /** The stored credential of each user, by email key. */
  credentials(): Promise<Map<string, StoredCredential>>;
  cleanup?(): Promise<void>;
}

/** A user's credential as the store holds it. */
export interface StoredCredential {
  readonly passwordHash: string | null;
  readonly inviteHash: string | null;
  readonly mustChange: boolean;
  readonly expiresAt: Date | null;
}

const admin = { name: 'Grace', role: 'program_admin' };
const authorize = (actor: { role: string }): boolean => actor.role === 'program_admin';
const who = { actor: admin, authorize };

/** A users file with a header row and one row per [first, last, email]. */
export function usersCsv(rows: readonly (readonly string[])[], header = 'First Name,Last Name,Email'): string {
  return [header, ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n';
}

/** `n` distinct users whose emails start with `prefix`. */
export function people(n: number, prefix = 'user'): string[][] {
  return Array.from({ length: n }, (_, i) => [`Zoë${i}`, `Ñúñez-${i}`, `${prefix}${i}@example.org`]);
}

function created(result: ImportResult): string[] {
  return result.imported ? result.created.map((c) => c.email) : [];
}

function codes(result: ImportResult): [number | null, string][] {
  return result.imported ? [] : result.summary.errors.map((e) => [e.row, e.code]);
}

async function emailsIn(store: UserStore, emails: readonly string[]): Promise<string[]> {
  const found = await store.findExistingEmails(emails.map((e) => e.toLowerCase()));
  return [...found.keys()].sort();
}

/** Registers the importer's store-dependent tests; `factory` returns a fresh, empty store per test. */
export function describeImportCases(name: string, factory: () => Promise<ImportStoreUnderTest>): void {
  const test = (title: string, body: (t: ImportStoreUnderTest) => Promise<void>): void => {
    it(title, async () => {
      const t = await factory();
      try {
        await body(t);
      } finally {
        await t.cleanup?.();
      }
    });
  };

  describe(`importUsers on ${name}`, () => {
    test('creates every user of a valid file with a hashed, must-change, expiring temporary password', async (t) => {
      const now = new Date('2030-05-01T10:00:00Z');
      const file = usersCsv([['Zoë', 'Ångström', 'Zoe@Example.org'], ['李', '小龍', 'li@example.org']]);
      const result = await importUsers(file, { ...who, store: t.store, now: () => now, expiresInMs: 3_600_000 });
      expect(result).toMatchObject({ imported: true, replayed: false, credential: 'password', skipped: [] });
      if (!result.imported || result.replayed) return;
      expect(result.created.map((c) => [c.row, c.email, c.firstName, c.lastName])).toEqual([
        [2, 'Zoe@example.org', 'Zoë', 'Ångström'],
        [3, 'li@example.org', '李', '小龍'],
      ]);
      expect(result.expiresAt).toEqual(new Date('2030-05-01T11:00:00Z'));
      const stored = await t.credentials();
      for (const user of result.created) {
        expect(stored.get(user.email.toLowerCase())).toEqual({
          passwordHash: hashSecret(user.temporaryPassword ?? ''),
          inviteHash: null,
          mustChange: true,
          expiresAt: new Date('2030-05-01T11:00:00Z'),
        });
      }
    });

    test('a file with one bad row creates nobody', async (t) => {
      const rows = people(50);
      rows[36] = ['Bad', 'Row', 'not-an-email'];
      const result = await importUsers(usersCsv(rows), { ...who, store: t.store });
      expect(result.imported).toBe(false);
      expect(codes(result)).toEqual([[38, 'invalid_email']]);
      expect(await emailsIn(t.store, people(50).map((r) => r[2] ?? ''))).toEqual([]);
      expect(await t.credentials()).toEqual(new Map());
    });

    test('importing the same file twice fails the second time with already_exists on every row, changing nothing', async (t) => {
      const file = usersCsv(people(30));
      const first = await importUsers(file, { ...who, store: t.store });
      expect(first.imported).toBe(true);
      const before = await t.dump();
      const second = await importUsers(file, { ...who, store: t.store });
      expect(second.imported).toBe(false);
      expect(codes(second)).toEqual(people(30).map((_, i) => [i + 2, 'already_exists']));
      if (second.imported) return;
      expect(second.summary.errors[0]).toMatchObject({ column: 'Email', value: 'user0@example.org' });
      expect(await t.dump()).toBe(before);
    });

    test('onExisting skip creates the new users and reports the existing ones as skipped', async (t) => {
      await importUsers(usersCsv(people(3)), { ...who, store: t.store });
      const result = await importUsers(usersCsv([...people(5)].reverse()), { ...who, store: t.store, onExisting: 'skip' });
      expect(result).toMatchObject({ imported: true, replayed: false });
      if (!result.imported) return;
      expect(created(result)).toEqual(['user4@example.org', 'user3@example.org']);
      expect(result.skipped).toEqual([
        { row: 4, email: 'user2@example.org', reason: 'already_exists' },
        { row: 5, email: 'user1@example.org', reason: 'already_exists' },
        { row: 6, email: 'user0@example.org', reason: 'already_exists' },
      ]);
    });

    test('valid-rows-only creates the rows without problems and reports the others', async (t) => {
      await importUsers(usersCsv([['Old', 'User', 'old@example.org']]), { ...who, store: t.store });
      const file = usersCsv([['Ada', 'Lovelace', 'ada@example.org'], ['', 'Blank', 'blank@example.org'], ['Old', 'User', 'OLD@example.org'], ['Alan', 'Turing', 'alan@example.org']]);
      const result = await importUsers(file, { ...who, store: t.store, mode: 'valid-rows-only' });
      expect(result).toMatchObject({ imported: true, replayed: false });
      if (!result.imported || result.replayed) return;
      expect(result.created.map((c) => c.row)).toEqual([2, 5]);
      expect(result.summary.errors.map((e) => [e.row, e.code])).toEqual([[3, 'required'], [4, 'already_exists']]);
      expect(await emailsIn(t.store, ['ada@example.org', 'blank@example.org', 'alan@example.org'])).toEqual(['ada@example.org', 'alan@example.org']);
    });

    test('a plan kept as JSON executes later, checked against the same file', async (t) => {
      const file = usersCsv(people(4));
      const plan = JSON.parse(JSON.stringify(await planImport(file, { ...who, store: t.store }))) as ImportPlan;
      expect(await emailsIn(t.store, ['user0@example.org'])).toEqual([]);
      const result = await executeImport(plan, { ...who, store: t.store, input: new TextEncoder().encode(file) });
      expect(created(result)).toEqual(people(4).map((r) => r[2]));
    });

    test('refuses to execute a plan when the file changed since it was planned, writing nothing', async (t) => {
      const plan = await planImport(usersCsv(people(4)), { ...who, store: t.store });
      const changed = usersCsv(people(4)).replace('user3@', 'someone-else@');
      const error: unknown = await executeImport(plan, { ...who, store: t.store, input: changed }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RollcallError);
      expect(error).toMatchObject({ code: 'plan_mismatch' });
      expect(await t.credentials()).toEqual(new Map());
    });

    test('two concurrent imports with overlapping emails: no duplicate, the loser rolls back and names exactly the shared rows', async (t) => {
      const shared = people(10, 'shared');
      const a = usersCsv([...people(40, 'a'), ...shared]);
      const b = usersCsv([...shared.map(([f, l, e]) => [f ?? '', l ?? '', (e ?? '').toUpperCase()]), ...people(40, 'b')]);
      // Both plans see an empty store, so the race is decided by the store when they execute.
      const [planA, planB] = await Promise.all([planImport(a, { ...who, store: t.store }), planImport(b, { ...who, store: t.store })]);
      const results = await Promise.all([executeImport(planA, { ...who, store: t.store }), executeImport(planB, { ...who, store: t.store })]);
      const winners = results.filter((r) => r.imported);
      const losers = results.filter((r) => !r.imported);
      expect([winners.length, losers.length]).toEqual([1, 1]);
      const loserIsA = !results[0].imported;
      const sharedRows = loserIsA ? shared.map((_, i) => 42 + i) : shared.map((_, i) => 2 + i);
      expect(codes(losers[0] as ImportResult)).toEqual(sharedRows.map((row) => [row, 'already_exists']));
      const own = (loserIsA ? people(40, 'a') : people(40, 'b')).map((r) => r[2] ?? '');
      expect(await emailsIn(t.store, own)).toEqual([]);
      const stored = await t.credentials();
      expect(stored.size).toBe(50);
      expect(await emailsIn(t.store, shared.map((r) => r[2] ?? ''))).toHaveLength(10);
    });

    test('two concurrent imports of the same emails in opposite orders, in small batches, do not deadlock: one names every row', async (t) => {
      const rows = people(60, 'both');
      const files = [usersCsv(rows), usersCsv([...rows].reverse())];
      const plans = await Promise.all(files.map((file) => planImport(file, { ...who, store: t.store })));
      const results = await Promise.all(plans.map((plan) => executeImport(plan, { ...who, store: t.store, batchSize: 5 })));
      expect(results.map((r) => r.imported).sort()).toEqual([false, true]);
      const loser = results.find((r) => !r.imported);
      expect(codes(loser as ImportResult)).toEqual(rows.map((_, i) => [i + 2, 'already_exists']));
      expect((await t.credentials()).size).toBe(60);
    });

    test('the same import key and file returns the earlier outcome, without passwords, creating nothing', async (t) => {
      const file = usersCsv(people(3));
      const first = await importUsers(file, { ...who, store: t.store, importKey: 'upload-42' });
      const before = await t.dump();
      const again = await importUsers(file, { ...who, store: t.store, importKey: 'upload-42' });
      expect(again).toMatchObject({ imported: true, replayed: true, importId: first.imported ? first.importId : '' });
      if (!again.imported || !again.replayed) return;
      expect(again.note).toContain('not shown again');
      expect(again.created.map((c) => [c.row, c.email])).toEqual(people(3).map((r, i) => [i + 2, r[2]]));
      expect(again.created.every((c) => c.temporaryPassword === undefined && c.inviteToken === undefined)).toBe(true);
      expect(again.resultsCsv({ bom: false }).split('\r\n')[0]).toBe('First Name,Last Name,Email');
      expect(await t.dump()).toBe(before);
    });

    test('the same import key with another file is refused', async (t) => {
      await importUsers(usersCsv(people(3)), { ...who, store: t.store, importKey: 'upload-42' });
      const before = await t.dump();
      const error: unknown = await importUsers(usersCsv(people(4)), { ...who, store: t.store, importKey: 'upload-42' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'import_key_conflict' });
      expect(await t.dump()).toBe(before);
    });

    test('two concurrent executions with the same key: one imports, the other replays it', async (t) => {
      const plan = await planImport(usersCsv(people(20)), { ...who, store: t.store });
      const results = await Promise.all([
        executeImport(plan, { ...who, store: t.store, importKey: 'double-click' }),
        executeImport(plan, { ...who, store: t.store, importKey: 'double-click' }),
      ]);
      expect(results.map((r) => r.imported && r.replayed).sort()).toEqual([false, true]);
      expect(new Set(results.map((r) => (r.imported ? r.importId : '')))).toHaveProperty('size', 1);
      expect((await t.credentials()).size).toBe(20);
    });

    test('invite mode stores a hash of a single-use token per user', async (t) => {
      const result = await importUsers(usersCsv(people(5)), { ...who, store: t.store, credential: 'invite' });
      if (!result.imported || result.replayed) throw new Error('not imported');
      const stored = await t.credentials();
      for (const user of result.created) {
        expect(user.temporaryPassword).toBeUndefined();
        expect(user.inviteToken).toMatch(/^[A-Za-z0-9_-]{43}$/u);
        expect(stored.get(user.email)).toMatchObject({ passwordHash: null, inviteHash: hashSecret(user.inviteToken ?? '') });
      }
      expect(result.resultsCsv({ bom: false }).split('\r\n')[0]).toBe('First Name,Last Name,Email,Invite Token');
    });

    test('an imported invite redeems once with its plaintext token, which the store never holds', async (t) => {
      const now = new Date('2030-05-01T10:00:00Z');
      const result = await importUsers(usersCsv(people(30)), { ...who, store: t.store, credential: 'invite', now: () => now });
      if (!result.imported || result.replayed) throw new Error('not imported');
      const tokens = result.created.map((c) => c.inviteToken ?? '');
      const everything = await t.dump();
      expect(tokens.filter((token) => everything.includes(token))).toEqual([]);

      const [ada, grace] = result.created;
      const options = { store: t.store, now: () => new Date('2030-05-02T10:00:00Z') };
      const first = await redeemInvite(ada?.inviteToken, options);
      expect(first).toMatchObject({ redeemed: true, user: { email: ada?.email, id: ada?.userId } });
      expect(await redeemInvite(ada?.inviteToken, options)).toEqual({ redeemed: false, reason: 'used' });
      // Seven days by default: the token of a user nobody redeemed stops working then.
      expect(await redeemInvite(grace?.inviteToken, { ...options, now: () => new Date('2030-05-08T10:00:00Z') })).toEqual({
        redeemed: false,
        reason: 'expired',
      });
      expect(await redeemInvite(`${tokens[2] ?? ''}x`, options)).toEqual({ redeemed: false, reason: 'unknown' });
    });

    test("stores the host's hashPassword output, and the optional columns as attributes", async (t) => {
      const schema = usersSchema.extend({ department: column({ label: 'Department' }) });
      const file = usersCsv([['Ada', 'Lovelace', 'ada@example.org', 'Engines'], ['Alan', 'Turing', 'alan@example.org', '']], 'First Name,Last Name,Email,Department');
      const result = await importUsers(file, {
        ...who,
        store: t.store,
        schema,
        hashPassword: (password) => Promise.resolve(`host$${password.length}$${password.toUpperCase()}`),
      });
      if (!result.imported || result.replayed) throw new Error('not imported');
      const stored = await t.credentials();
      const ada = result.created[0];
      expect(stored.get('ada@example.org')?.passwordHash).toBe(`host$16$${(ada?.temporaryPassword ?? '').toUpperCase()}`);
      expect(result.created.map((c) => c.attributes)).toEqual([{ department: 'Engines' }, {}]);
      expect(result.resultsCsv({ bom: false }).split('\r\n')[0]).toBe('First Name,Last Name,Email,Temporary Password,Department');
    });

    test('no plaintext password reaches the store, the import record or the outbox', async (t) => {
      const result = await importUsers(usersCsv(people(40)), { ...who, store: t.store, importKey: 'secret-check' });
      if (!result.imported || result.replayed) throw new Error('not imported');
      const everything = (await t.dump()) + JSON.stringify(await t.store.findImport('secret-check'));
      const passwords = result.created.map((c) => c.temporaryPassword ?? '');
      expect(new Set(passwords).size).toBe(40);
      expect(passwords.filter((p) => everything.includes(p))).toEqual([]);
      expect(everything).toContain(hashSecret(passwords[0] ?? ''));
    });

    test('enqueues one introduction per created user when the store has an outbox', async (t) => {
      const outbox = t.store.outbox;
      if (!outbox) return;
      const result = await importUsers(usersCsv(people(7)), { ...who, store: t.store });
      if (!result.imported) throw new Error('not imported');
      const queued = await outbox.list({ importId: result.importId });
      expect(queued.map((i) => [i.email, i.userId, i.status])).toEqual(result.created.map((c) => [c.email, c.userId, 'pending']));
      await importUsers(usersCsv(people(2, 'quiet')), { ...who, store: t.store, introduce: false });
      expect((await outbox.count()).pending).toBe(7);
    });

    test('creates users in several batches inside the one transaction, and on conflicts in two batches rolls back all and names both', async (t) => {
      await importUsers(usersCsv([['Late', 'Comer', 'user5@example.org'], ['Late', 'Comer', 'user23@example.org']]), { ...who, store: t.store });
      // A plan that saw none of them, as if the late comers had arrived between planning and executing.
      const plan = await planImport(usersCsv(people(25)), { ...who, store: { findExistingEmails: () => Promise.resolve(new Map()) } });
      const result = await executeImport(plan, { ...who, store: t.store, batchSize: 4 });
      expect(codes(result)).toEqual([[7, 'already_exists'], [25, 'already_exists']]);
      expect(await emailsIn(t.store, people(25).map((r) => r[2] ?? ''))).toEqual(['user23@example.org', 'user5@example.org']);
    });
  });
}
