// Found by the concurrent-import cases: the PostgreSQL outbox's `list` promises enqueue order, but its
// `ORDER BY id` sorted by the output column `id::text AS id`, so from the tenth introduction on it returned
// "1", "10", "11", "2"... The conformance suite enqueues fewer than ten and never saw it; fixed by ordering
// by the table's column.
import { PGlite } from '@electric-sql/pglite';
import { afterAll, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/store/memory.js';
import type { PostgresStore } from '../../src/adapters/store/postgres.js';
import { freshFaultyPostgres } from './fault-cases.js';
import { people, seedImport } from '../notify/seed.js';

const db = new PGlite();
afterAll(() => db.close());

async function listedOrder(store: Pick<PostgresStore, 'transaction' | 'outbox'>): Promise<string[]> {
  await seedImport(store, 'import-1', people(12));
  return (await store.outbox.list({ importId: 'import-1' })).map((i) => i.email);
}

const enqueued = people(12).map((p) => p.email);

it('the memory outbox lists twelve introductions in the order they were enqueued', async () => {
  expect(await listedOrder(memoryStore())).toEqual(enqueued);
});

it('the PostgreSQL outbox lists twelve introductions in the order they were enqueued', async () => {
  const target = await freshFaultyPostgres(db);
  try {
    expect(await listedOrder(target.store)).toEqual(enqueued);
  } finally {
    await target.cleanup?.();
  }
});
