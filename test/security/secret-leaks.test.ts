// Temporary passwords and invite tokens leave rollcall only in the import result and its results file:
// never in console or process output, progress callbacks, summaries and their renderings, thrown errors
// (message, stack, cause chain) or the store, for an import that succeeds, loses a race, fails inside its
// transaction or is aborted there. test/execute checks the store dump after a successful import; this adds
// every other way out, the failing paths and every table and column of the PostgreSQL store.
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { memoryStore } from '../../src/adapters/store/memory.js';
import { migratePostgresStore } from '../../src/adapters/store/postgres-migrate.js';
import { quoteIdentifier } from '../../src/adapters/store/postgres-table.js';
import { postgresStore } from '../../src/adapters/store/postgres.js';
import type { UserStore, UserStoreTransaction } from '../../src/adapters/store/types.js';
import { executeImport } from '../../src/execute/execute-import.js';
import type { CredentialKind, ImportResult } from '../../src/execute/import-result.js';
import { importUsers } from '../../src/execute/import-users.js';
import { redeemInvite } from '../../src/execute/redeem-invite.js';
import { planImport } from '../../src/plan/plan-import.js';
import { renderCsvReport } from '../../src/report/render-csv.js';
import { renderJson } from '../../src/report/render-json.js';
import { renderText } from '../../src/report/render-text.js';
import { RollcallError } from '../../src/rollcall-error.js';
import { capture, errorText, leaked, recordingSecrets } from './leak-capture.js';

const who = { actor: { role: 'admin' }, authorize: (actor: { role: string }) => actor.role === 'admin' };

interface StoreUnderTest {
  readonly store: UserStore;
  /** Every table and column the store wrote, as text. */
  dump(): Promise<string>;
}

const db = new PGlite();
afterAll(() => db.close());
// Starting PGlite takes tens of seconds on a busy machine; the first test waits for it.
vi.setConfig({ testTimeout: 180_000 });
let schemas = 0;

const stores: readonly (readonly [string, () => Promise<StoreUnderTest>])[] = [
  [
    'the memory store',
    () => {
      const store = memoryStore();
      return Promise.resolve({ store, dump: async () => JSON.stringify([store.users(), await store.outbox.list()]) });
    },
  ],
  [
    'PGlite',
    async () => {
      schemas += 1;
      const schema = `rollcall_secrets_${String(schemas)}`;
      await migratePostgresStore(db, { schema });
      return {
        store: postgresStore({ client: db, schema }),
        async dump() {
          // Every table in the schema, whatever the migration creates now or later, every column.
          const { rows } = await db.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema]);
          expect(rows.length).toBeGreaterThanOrEqual(3);
          const parts: unknown[] = [];
          for (const { table_name: table } of rows) {
            parts.push(table, (await db.query(`SELECT * FROM ${quoteIdentifier(schema)}.${quoteIdentifier(table)}`)).rows);
          }
          return JSON.stringify(parts);
        },
      };
    },
  ],
];

function usersFile(n: number, prefix: string): string {
  return ['First Name,Last Name,Email', ...Array.from({ length: n }, (_, i) => `Zoë${String(i)},Ñúñez,${prefix}${String(i)}@example.org`)].join('\r\n') + '\r\n';
}

/** Everything a host may show or log of a result, the results file and the credentials aside. */
function shownOf(result: ImportResult | undefined): string {
  if (result === undefined) return '';
  const { summary } = result as { summary?: Parameters<typeof renderJson>[0] };
  const views = summary === undefined ? [] : [JSON.stringify(summary), JSON.stringify(renderJson(summary)), renderText(summary), renderCsvReport(summary)];
  if (!result.imported) return [JSON.stringify(result), ...views].join('\n');
  const { created, ...rest } = result;
  const withoutSecrets = created.map((entry) => ({ ...entry, temporaryPassword: undefined, inviteToken: undefined }));
  return [JSON.stringify({ ...rest, created: withoutSecrets }), ...views].join('\n');
}

/** The store, failing its `failOn`-th createUsers call with an error that quotes every parameter it got (as careless drivers do). */
function failingStore(store: UserStore, failOn: number): UserStore {
  let calls = 0;
  const wrap = (tx: UserStoreTransaction): UserStoreTransaction => ({
    recordImport: (record) => tx.recordImport(record),
    createUsers: async (users) => {
      calls += 1;
      if (calls === failOn) throw new Error(`connection reset while inserting ${JSON.stringify(users)}`);
      return tx.createUsers(users);
    },
    ...(tx.enqueueIntroductions === undefined ? {} : { enqueueIntroductions: (intros) => tx.enqueueIntroductions!(intros) }),
  });
  return {
    findExistingEmails: (keys) => store.findExistingEmails(keys),
    findImport: (key) => store.findImport(key),
    transaction: (fn) => store.transaction((tx) => fn(wrap(tx))),
  };
}

for (const [name, open] of stores) {
  describe(`no plaintext secret leaks, on ${name}`, () => {
    it('redeeming invites (once, again, a wrong token, through a failing store) shows no token anywhere', async () => {
      const t = await open();
      const { secrets, issued } = recordingSecrets();
      const result = await importUsers(usersFile(3, 'redeem'), { ...who, store: t.store, credential: 'invite', secrets });
      expect(result.imported).toBe(true);
      const [first, second] = issued;
      if (first === undefined || second === undefined) throw new Error('no tokens');
      const failing: UserStore = {
        ...t.store,
        redeemInvite: (hash) => Promise.reject(new Error(`redeem failed for ${hash}`)),
      };
      const runs = [
        await capture(() => redeemInvite(first, { store: t.store })),
        await capture(() => redeemInvite(first, { store: t.store })),
        await capture(() => redeemInvite('x'.repeat(43), { store: t.store })),
        await capture(() => redeemInvite(second, { store: failing })),
      ];
      expect(runs.map((r) => (r.value as { redeemed?: boolean; reason?: string } | undefined)?.reason ?? r.value?.redeemed)).toEqual([true, 'used', 'unknown', undefined]);
      // The store is asked with the hash, so even its error cannot quote the token.
      expect(errorText(runs[3]?.error)).toContain('redeem failed for sha256:');
      const everywhere = [...runs.flatMap((r) => [r.output, JSON.stringify(r.value), errorText(r.error)]), await t.dump()].join('\n');
      expect(leaked(issued, everywhere)).toEqual([]);
    });

    for (const credential of ['password', 'invite'] as const satisfies readonly CredentialKind[]) {
      it(`${credential}: a successful import and its replay show the secrets only in created and the results file`, async () => {
        const t = await open();
        const { secrets, issued } = recordingSecrets();
        const progress: unknown[] = [];
        const file = usersFile(30, `ok-${credential}`);
        const options = { ...who, store: t.store, credential, secrets, importKey: `key-${credential}`, onProgress: (p: unknown) => progress.push(p) };
        const run = await capture(() => importUsers(file, options));
        const result = run.value;
        if (!result?.imported || result.replayed) throw new Error(`not imported: ${errorText(run.error)}`);
        expect(issued).toHaveLength(30);
        // Drawn a batch at a time in email order: the same secrets as created, in another order.
        expect(result.created.map((c) => (credential === 'password' ? c.temporaryPassword : c.inviteToken)).sort()).toEqual([...issued].sort());
        expect(leaked(issued, result.resultsCsv())).toEqual(issued);
        const replay = await capture(() => importUsers(file, options));
        expect(replay.value).toMatchObject({ imported: true, replayed: true });
        const everywhere = [run.output, JSON.stringify(progress), shownOf(result), replay.output, JSON.stringify(replay.value), shownOf(replay.value), (replay.value as { resultsCsv(): string }).resultsCsv(), await t.dump()].join('\n');
        expect(leaked(issued, everywhere)).toEqual([]);
      });

      it(`${credential}: an import that loses a race rolls back and names the rows, without a secret`, async () => {
        const t = await open();
        await importUsers(usersFile(1, `race-${credential}`), { ...who, store: t.store });
        const { secrets, issued } = recordingSecrets();
        // Planned as if the store were empty, so the import reaches the transaction and meets the taken email there.
        const plan = await planImport(usersFile(12, `race-${credential}`), { ...who, store: { findExistingEmails: () => Promise.resolve(new Map()) } });
        const run = await capture(() => executeImport(plan, { ...who, store: t.store, credential, secrets, batchSize: 5 }));
        expect(run.value).toMatchObject({ imported: false });
        expect(issued).toHaveLength(12);
        const everywhere = [run.output, errorText(run.error), shownOf(run.value), await t.dump()].join('\n');
        expect(leaked(issued, everywhere)).toEqual([]);
      });

      it(`${credential}: a store failure in the middle of the transaction throws a store_error with no secret in its message, stack or causes`, async () => {
        const t = await open();
        const { secrets, issued } = recordingSecrets();
        const store = failingStore(t.store, 2);
        const plan = await planImport(usersFile(20, `fail-${credential}`), { ...who, store });
        const run = await capture(() => executeImport(plan, { ...who, store, credential, secrets, batchSize: 6 }));
        expect(run.error).toBeInstanceOf(RollcallError);
        expect(run.error).toMatchObject({ code: 'store_error' });
        // The driver's message quoted the users it got: the hashes, never the secrets.
        expect(errorText(run.error)).toContain('connection reset while inserting');
        // Secrets are drawn a batch at a time: batches 1 and 2 before the second one fails, and batch 3,
        // built while batch 2 was being written.
        expect(issued).toHaveLength(18);
        const everywhere = [run.output, errorText(run.error), await t.dump()].join('\n');
        expect(leaked(issued, everywhere)).toEqual([]);
        expect(await t.store.findExistingEmails([`fail-${credential}0@example.org`])).toEqual(new Map());
      });

      it(`${credential}: an import aborted inside its transaction rejects with the signal's reason, without a secret`, async () => {
        const t = await open();
        const { secrets, issued } = recordingSecrets();
        const controller = new AbortController();
        const plan = await planImport(usersFile(20, `abort-${credential}`), { ...who, store: t.store });
        const run = await capture(() =>
          executeImport(plan, {
            ...who,
            store: t.store,
            credential,
            secrets,
            batchSize: 5,
            signal: controller.signal,
            onProgress: () => {
              controller.abort(new Error('the admin cancelled'));
            },
          }),
        );
        expect(run.error).toMatchObject({ message: 'the admin cancelled' });
        // The first batch, and the second, built while the first was being written.
        expect(issued).toHaveLength(10);
        expect(leaked(issued, [run.output, errorText(run.error), await t.dump()].join('\n'))).toEqual([]);
      });
    }
  });
}
