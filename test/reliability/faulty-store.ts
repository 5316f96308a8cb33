// Fault injection by shape: a user store, or a PostgreSQL client, that fails at a chosen step. A step is one
// call the importer makes (store level) or one SQL statement it sends (client level); counting the steps of a
// clean run first lets a test fail every one of them in turn.
import type { PooledConnection, PostgresClient, Queryable } from '../../src/adapters/store/postgres-client.js';
import type { UserStore, UserStoreTransaction } from '../../src/adapters/store/types.js';

/** The error a fault throws: a test recognises it as the cause of what the importer reports. */
export class InjectedFault extends Error {
  override readonly name = 'InjectedFault';
}

/** Where to fail: the `failAt`-th step (1-based); with `rows`, a `createUsers` step first writes that many users. */
export interface Fault {
  readonly failAt: number;
  readonly rows?: number;
}

/** A wrapper's record of the steps it saw, in order, and whether its fault went off. */
export interface StepLog {
  readonly steps: string[];
  fired: boolean;
}

function stepper(fault: Fault | undefined): { log: StepLog; step: (name: string) => boolean } {
  const log: StepLog = { steps: [], fired: false };
  return {
    log,
    step(name) {
      log.steps.push(name);
      const hit = log.steps.length === fault?.failAt;
      if (hit) log.fired = true;
      return hit;
    },
  };
}

function fail(step: string): never {
  throw new InjectedFault(`injected store failure at ${step}`);
}

/**
 * Wraps a store so that its `failAt`-th call fails: lookups, the transaction's start, each write in it,
 * the moment before it commits (`commit`), and each outbox call. With `rows`, a failing `createUsers`
 * writes its first `rows` users through the real store before it fails: a batch failing in the middle.
 */
export function faultyStore<S extends UserStore>(inner: S, fault?: Fault): { store: S; log: StepLog } {
  const { log, step } = stepper(fault);
  const guard = <T>(name: string, call: () => Promise<T>): Promise<T> => (step(name) ? Promise.reject(new InjectedFault(`injected store failure at ${name}`)) : call());

  const wrapTx = (tx: UserStoreTransaction): UserStoreTransaction => {
    const wrapped: UserStoreTransaction = {
      async createUsers(users) {
        if (!step(`createUsers(${String(users.length)})`)) return tx.createUsers(users);
        if (fault?.rows !== undefined && fault.rows > 0) await tx.createUsers(users.slice(0, fault.rows));
        return fail(`createUsers after ${String(fault?.rows ?? 0)} rows`);
      },
      recordImport: (record) => guard('recordImport', () => tx.recordImport(record)),
    };
    const enqueue = tx.enqueueIntroductions?.bind(tx);
    if (enqueue) wrapped.enqueueIntroductions = (list) => guard(`enqueueIntroductions(${String(list.length)})`, () => enqueue(list));
    const enqueueImport = tx.enqueueImportIntroductions?.bind(tx);
    if (enqueueImport) wrapped.enqueueImportIntroductions = (importId) => guard('enqueueImportIntroductions', () => enqueueImport(importId));
    return wrapped;
  };

  const store: UserStore = {
    findExistingEmails: (keys) => guard(`findExistingEmails(${String(keys.length)})`, () => inner.findExistingEmails(keys)),
    findImport: (key) => guard('findImport', () => inner.findImport(key)),
    transaction: (fn) =>
      guard('transaction', () =>
        inner.transaction(async (tx) => {
          const result = await fn(wrapTx(tx));
          if (step('commit')) fail('commit');
          return result;
        }),
      ),
  };
  const { outbox } = inner;
  if (outbox) {
    (store as { outbox: typeof outbox }).outbox = {
      claim: (request) => guard('outbox.claim', () => outbox.claim(request)),
      mark: (id, token, outcome) => guard('outbox.mark', () => outbox.mark(id, token, outcome)),
      count: (filter) => guard('outbox.count', () => outbox.count(filter)),
      list: (filter) => guard('outbox.list', () => outbox.list(filter)),
    };
  }
  if (inner.listUsers) store.listUsers = (page) => inner.listUsers?.(page) ?? Promise.resolve([]);
  return { store: store as S, log };
}

/**
 * Wraps a PostgreSQL client (PGlite or a `pg.Pool`) so that the `failAt`-th SQL statement it is given fails
 * before it reaches the database: BEGIN, each INSERT of a batch, COMMIT. Counting starts at `arm()`, so the
 * migrations a test runs first are not counted.
 */
export function faultyClient(inner: PostgresClient): { client: PostgresClient; log: StepLog; arm(fault?: Fault): void } {
  let current = stepper(undefined);
  let armed = false;
  const state = {
    get log() {
      return current.log;
    },
  };
  const wrap = (q: Queryable): Queryable => ({
    query(sql, params) {
      if (armed && current.step(statement(sql))) return Promise.reject(new InjectedFault(`injected failure of ${statement(sql)}`));
      return q.query(sql, params);
    },
  });
  // Checked in the order the store checks them: a client with its own transactions is used as one.
  let client: PostgresClient;
  if ('transaction' in inner) {
    client = { ...wrap(inner), transaction: (fn) => inner.transaction((tx) => fn(wrap(tx))) };
  } else {
    client = {
      ...wrap(inner),
      async connect(): Promise<PooledConnection> {
        const connection = await inner.connect();
        return { ...wrap(connection), release: (destroy) => { connection.release(destroy); } };
      },
    };
  }
  return {
    client,
    get log() {
      return state.log;
    },
    arm(fault) {
      current = stepper(fault);
      armed = true;
    },
  };
}

/** The first words of a statement, enough to name the step in a failure message. */
function statement(sql: string): string {
  return sql.trim().split(/\s+/u).slice(0, 3).join(' ');
}
