import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/store/memory.js';
import { migratePostgresStore } from '../../src/adapters/store/postgres-migrate.js';
import { postgresStore } from '../../src/adapters/store/postgres.js';
import type { UserStore } from '../../src/adapters/store/types.js';
import { importUsers } from '../../src/execute/import-users.js';
import { planImport } from '../../src/plan/plan-import.js';
import { user } from '../../src/testing/store-fixtures.js';

// One in-memory database for the file (starting PGlite takes seconds); each test gets its own schema.
const db = new PGlite();
afterAll(() => db.close());
let schemas = 0;
const freshSchema = (): string => `rollcall_rekey_${String((schemas += 1))}`;
const who = { actor: 'admin', authorize: () => true };
const csv = (rows: readonly string[]): string => ['First Name,Last Name,Email', ...rows].join('\r\n') + '\r\n';

/** Keys as rollcall stored them before issue 27: the whole address lowercased. */
async function storeWithOldKeys(emails: readonly string[]): Promise<string> {
  const schema = freshSchema();
  await migratePostgresStore(db, { schema });
  const store = postgresStore({ client: db, schema });
  await store.transaction((tx) => tx.createUsers(emails.map((email, i) => user(i, email))));
  // A database made by an earlier rollcall has not run the re-key step yet.
  await db.query(`DELETE FROM ${schema}.rollcall_migrations`);
  return schema;
}

async function keys(schema: string): Promise<string[][]> {
  const { rows } = await db.query<{ email: string; email_key: string }>(`SELECT email, email_key FROM ${schema}.rollcall_users ORDER BY id`);
  return rows.map((r) => [r.email, r.email_key]);
}

describe('issue 27 finding 2: existing users against the store', () => {
  it('re-keys users stored under the old keys once, leaving ASCII ones alone and two spellings of one mailbox apart', async () => {
    const schema = await storeWithOldKeys(['Ada@example.com', 'bob@xn--bcher-kva.de', 'cy@ｅxample.org', 'dee@example.net', 'dee@ℯxample.net']);
    const first = await migratePostgresStore(db, { schema });
    expect(first.emailKeys).toEqual({
      rekeyed: 2,
      sameMailbox: [{ id: expect.any(String) as string, email: 'dee@ℯxample.net', emailKey: 'dee@example.net' }],
    });
    expect(await keys(schema)).toEqual([
      ['Ada@example.com', 'ada@example.com'],
      ['bob@xn--bcher-kva.de', 'bob@bücher.de'],
      ['cy@ｅxample.org', 'cy@example.org'],
      ['dee@example.net', 'dee@example.net'],
      ['dee@ℯxample.net', 'dee@ℯxample.net'],
    ]);
    expect((await migratePostgresStore(db, { schema })).emailKeys).toEqual({ rekeyed: 0, sameMailbox: [] });
  });

  it('finds an old user under any spelling of its mailbox once migrated: already_exists', async () => {
    const schema = await storeWithOldKeys(['ada@xn--bcher-kva.de', 'cy@ｅxample.org']);
    await migratePostgresStore(db, { schema });
    const plan = await planImport(csv(['Ada,B,ada@bücher.de', 'Cy,E,cy@example.org']), { ...who, store: postgresStore({ client: db, schema }) });
    expect(plan.summary.errors.map((e) => [e.row, e.code])).toEqual([[2, 'already_exists'], [3, 'already_exists']]);
  });

  const spellings = ['ada@ｅxample.com', 'ada@ℯxample.com', 'ada@𝐞xample.com', 'ada@examplᵉ.com', 'ADA@example.com'];
  const stores: [string, () => Promise<UserStore>][] = [
    ['the memory store', () => Promise.resolve(memoryStore())],
    ['the PGlite store', async () => {
      const schema = freshSchema();
      await migratePostgresStore(db, { schema });
      return postgresStore({ client: db, schema });
    }],
  ];
  it.each(stores)('refuses every spelling of an imported mailbox as already_exists in %s', async (_, open) => {
    const store = await open();
    const first = await importUsers(csv(['Ada,Real,ada@example.com', 'Bo,Real,bo@bücher.de']), { ...who, store });
    expect(first.imported && first.created.map((c) => c.email)).toEqual(['ada@example.com', 'bo@bücher.de']);
    // One spelling per file: two in one file are duplicate_in_file before the store is asked.
    for (const email of [...spellings, 'bo@xn--bcher-kva.de']) {
      const plan = await planImport(csv([`Ada,Look,${email}`]), { ...who, store });
      expect([email, plan.summary.errors.map((e) => e.code)]).toEqual([email, ['already_exists']]);
    }
  });
});
