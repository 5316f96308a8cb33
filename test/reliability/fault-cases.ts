// Store failures injected at every step of an import, shared by the memory-store, PGlite and real-server
// runs: each step the importer takes (a lookup, the transaction's start, each batch, the commit) and each SQL
// statement it sends fails in turn, and a batch fails after each of its rows. Every time nothing is committed,
// the error names the failure, and the same file imported again with the same import key then succeeds whole.
import { describe, expect, it } from 'vitest';
import type { PostgresClient } from '../../src/adapters/store/postgres-client.js';
import { migratePostgresStore } from '../../src/adapters/store/postgres-migrate.js';
import { quoteIdentifier } from '../../src/adapters/store/postgres-table.js';
import { postgresStore, type PostgresStore } from '../../src/adapters/store/postgres.js';
import type { UserStore } from '../../src/adapters/store/types.js';
import { executeImport } from '../../src/execute/execute-import.js';
import type { ImportResult } from '../../src/execute/import-result.js';
import { planImport } from '../../src/plan/plan-import.js';
import { RollcallError } from '../../src/rollcall-error.js';
import { faultyClient, faultyStore, InjectedFault, type Fault, type StepLog } from './faulty-store.js';

const who = { actor: 'admin', authorize: () => true };

/** A fresh, empty store for one case; `sql` is there when its client can fail statement by statement. */
export interface FaultTarget {
  readonly store: UserStore;
  readonly sql?: { arm(fault?: Fault): void; readonly log: StepLog };
  cleanup?(): Promise<void>;
}

/** A users file with a header row and `n` users `{prefix}{i}@example.org`. */
export function usersFile(n: number, prefix = 'user', from = 0): string {
  const rows = Array.from({ length: n }, (_, i) => `Zoë${String(from + i)},Ñúñez,${prefix}${String(from + i)}@example.org`);
  return ['First Name,Last Name,Email', ...rows].join('\r\n') + '\r\n';
}

/** The email keys of a file made by {@link usersFile}. */
export function fileKeys(n: number, prefix = 'user', from = 0): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${String(from + i)}@example.org`);
}

let schemas = 0;

/**
 * A PostgreSQL store in a new schema of its own, over a client whose statements can be made to fail;
 * INSERTs of two rows at a time, so each batch of users is several statements.
 */
export async function freshFaultyPostgres(admin: PostgresClient): Promise<FaultTarget & { store: PostgresStore }> {
  schemas += 1;
  const schema = `rollcall_faults_${String(process.pid)}_${String(schemas)}`;
  await migratePostgresStore(admin, { schema });
  const sql = faultyClient(admin);
  return {
    store: postgresStore({ client: sql.client, schema, batchSize: 2 }),
    sql,
    cleanup: async () => {
      await admin.query(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`);
    },
  };
}

const rowCount = 23;
const batchSize = 5;
const file = usersFile(rowCount);
const keys = fileKeys(rowCount);
const importKey = 'upload-7';

/** Plans and executes the file as an application does: small batches, the file checked again, an import key. */
async function runImport(store: UserStore): Promise<ImportResult> {
  const plan = await planImport(file, { ...who, store, batchSize });
  return executeImport(plan, { ...who, store, batchSize, input: file, importKey });
}

/** What the store holds of the file: users, the import record, introductions. */
async function holdings(store: UserStore): Promise<{ users: number; record: boolean; introductions: number }> {
  const users = (await store.findExistingEmails(keys)).size;
  const record = (await store.findImport(importKey)) !== undefined;
  const counts = await store.outbox?.count();
  const introductions = counts === undefined ? 0 : Object.values(counts).reduce((a, b) => a + b, 0);
  return { users, record, introductions };
}

/** The messages of an error and its causes, to find the injected failure's own words in it. */
function explanation(error: unknown): string {
  const parts: string[] = [];
  for (let e = error; e instanceof Error && parts.length < 5; e = e.cause) parts.push(e.message);
  return parts.join(' <- ');
}

/** Fails one step, then checks that nothing was committed, the error says why, and a retry imports all. */
async function failThenRetry(target: FaultTarget, inject: (store: UserStore) => { store: UserStore; fired: () => boolean }): Promise<string> {
  const { store, fired } = inject(target.store);
  const outcome = await runImport(store).then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  expect(fired()).toBe(true);
  expect(outcome).not.toHaveProperty('result');
  const error = 'error' in outcome ? outcome.error : undefined;
  // Whichever call failed (a lookup while planning included), it is a store_error naming the store's failure.
  expect(explanation(error)).toMatch(/injected (store )?failure/u);
  expect(error).toBeInstanceOf(RollcallError);
  expect(error).toMatchObject({ code: 'store_error' });
  expect(explanation(error)).toMatch(/nothing was written|no user was created/u);
  expect((error as Error).cause).toBeInstanceOf(InjectedFault);
  expect(await holdings(target.store)).toEqual({ users: 0, record: false, introductions: 0 });

  target.sql?.arm(undefined);
  const retry = await runImport(target.store);
  expect(retry).toMatchObject({ imported: true, replayed: false });
  if (retry.imported) expect(retry.created.map((c) => c.email)).toEqual(keys);
  const hasOutbox = target.store.outbox !== undefined;
  expect(await holdings(target.store)).toEqual({ users: rowCount, record: true, introductions: hasOutbox ? rowCount : 0 });
  return explanation(error);
}

/** Runs `body` on a fresh target and disposes of it. */
async function withTarget(factory: () => Promise<FaultTarget>, body: (target: FaultTarget) => Promise<void>): Promise<void> {
  const target = await factory();
  try {
    await body(target);
  } finally {
    await target.cleanup?.();
  }
}

/** Registers the store-fault cases; `factory` returns a fresh, empty store per call. */
export function describeStoreFaults(name: string, factory: () => Promise<FaultTarget>, options: { sql: boolean }): void {
  describe(`store failures during an import, on ${name}`, { timeout: 300_000 }, () => {
    it('a clean run takes the steps the cases below fail one by one', async () => {
      await withTarget(factory, async (target) => {
        const { store, log } = faultyStore(target.store);
        const result = await runImport(store);
        expect(result).toMatchObject({ imported: true });
        // The plan's lookups, then one more: executeImport given the file plans it again (in one batch of 5,000).
        expect(log.steps.filter((s) => s.startsWith('findExistingEmails'))).toHaveLength(Math.ceil(rowCount / batchSize) + 1);
        expect(log.steps.filter((s) => s.startsWith('createUsers'))).toHaveLength(Math.ceil(rowCount / batchSize));
        expect(log.steps.at(-1)).toBe('commit');
        // The introductions: every store here offers one request for the whole import.
        expect(log.steps.filter((s) => s.startsWith('enqueue'))).toEqual(['enqueueImportIntroductions']);
      });
    });

    it('a failure at every store call (lookups, the transaction, each batch, the commit) commits nothing; a retry imports all', async () => {
      const steps = await cleanSteps(factory);
      for (const [index, step] of steps.entries()) {
        await withTarget(factory, async (target) => {
          const why = await failThenRetry(target, (inner) => {
            const { store, log } = faultyStore(inner, { failAt: index + 1 });
            return { store, fired: () => log.fired };
          });
          expect([step, why]).toEqual([step, expect.stringContaining(step.replace(/\(.*$/u, '')) as unknown]);
        });
      }
    });

    it('a batch that fails after each of its rows was written commits nothing; a retry imports all', async () => {
      const steps = await cleanSteps(factory);
      const batches = steps.flatMap((step, index) => {
        const size = /^createUsers\((\d+)\)$/u.exec(step)?.[1];
        return size === undefined ? [] : [{ failAt: index + 1, size: Number(size) }];
      });
      expect(batches).toHaveLength(Math.ceil(rowCount / batchSize));
      for (const { failAt, size } of batches) {
        for (let rows = 1; rows < size; rows++) {
          await withTarget(factory, async (target) => {
            await failThenRetry(target, (inner) => {
              const { store, log } = faultyStore(inner, { failAt, rows });
              return { store, fired: () => log.fired };
            });
          });
        }
      }
    });

    if (!options.sql) return;
    it('a failure of every SQL statement the import sends (BEGIN, each INSERT of a batch, COMMIT) commits nothing; a retry imports all', async () => {
      const statements = await withSql(factory, async (target, sql) => {
        sql.arm(undefined);
        expect(await runImport(target.store)).toMatchObject({ imported: true });
        return [...sql.log.steps];
      });
      expect(statements?.filter((s) => s.startsWith('INSERT INTO'))).not.toHaveLength(0);
      for (let failAt = 1; failAt <= (statements?.length ?? 0); failAt++) {
        await withSql(factory, async (target, sql) => {
          sql.arm({ failAt });
          await failThenRetry(target, (store) => ({ store, fired: () => sql.log.fired }));
        });
      }
    });
  });
}

async function cleanSteps(factory: () => Promise<FaultTarget>): Promise<string[]> {
  let steps: string[] = [];
  await withTarget(factory, async (target) => {
    const { store, log } = faultyStore(target.store);
    expect(await runImport(store)).toMatchObject({ imported: true });
    steps = [...log.steps];
  });
  return steps;
}

async function withSql<T>(
  factory: () => Promise<FaultTarget>,
  body: (target: FaultTarget, sql: NonNullable<FaultTarget['sql']>) => Promise<T>,
): Promise<T | undefined> {
  let out: T | undefined;
  await withTarget(factory, async (target) => {
    if (target.sql === undefined) throw new Error('this store was declared with sql but has no faulty client');
    out = await body(target, target.sql);
  });
  return out;
}
