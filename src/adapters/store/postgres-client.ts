import { StoreError } from './errors.js';

/**
 * The one method rollcall needs from a PostgreSQL client: `pg`'s `Pool`, `Client` and `PoolClient`, and
 * PGlite and its transactions, all have it. Parameters are `$1`, `$2`...; arrays bind as PostgreSQL arrays.
 */
export interface Queryable {
  /** Runs one statement with its parameters and resolves with the rows it returns. */
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** A connection borrowed from a pool, given back with `release` (`pg`'s `PoolClient`). */
export interface PooledConnection extends Queryable {
  /** Gives the connection back to the pool; `true` or an error makes the pool discard it. */
  release(destroy?: boolean | Error): void;
}

/** A pool that lends one connection per transaction (`pg`'s `Pool`). */
export interface PostgresPool extends Queryable {
  /** Borrows one connection, for one transaction. */
  connect(): Promise<PooledConnection>;
}

/** A client that runs a callback in a transaction of its own (PGlite, or {@link singleConnection}). */
export interface TransactionalClient extends Queryable {
  /** Runs `fn` between BEGIN and COMMIT, rolling back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
}

/**
 * What the PostgreSQL store accepts: a pool (each transaction gets a connection of its own, so imports
 * run concurrently) or a client that runs transactions itself (they then run one at a time).
 */
export type PostgresClient = PostgresPool | TransactionalClient;

/**
 * Wraps one plain connection (a connected `pg.Client`) so transactions and queries take turns on it:
 * two transactions on one connection would otherwise interleave their statements.
 *
 * @example
 * ```ts
 * const client = new pg.Client(url);
 * await client.connect();
 * const store = postgresStore({ client: singleConnection(client) });
 * ```
 */
export function singleConnection(connection: Queryable): TransactionalClient {
  let queue: Promise<unknown> = Promise.resolve();
  function exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  }
  return {
    query: (sql, params) => exclusive(() => connection.query(sql, params)),
    transaction: (fn) => exclusive(() => inTransaction(connection, fn)),
  };
}

/**
 * Runs `fn` in a transaction on `client`: through its own `transaction` method when it has one,
 * otherwise on a connection taken from the pool for the duration.
 */
export async function runTransaction<T>(client: PostgresClient, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  if ('transaction' in client && typeof client.transaction === 'function') return client.transaction(fn);
  if ('connect' in client && typeof client.connect === 'function') {
    const connection = await client.connect();
    let broken = false;
    try {
      return await inTransaction(connection, fn, () => (broken = true));
    } finally {
      // A connection whose BEGIN or ROLLBACK failed is in an unknown state: the pool discards it.
      connection.release(broken);
    }
  }
  throw new StoreError(
    'invalid_store_options',
    'The PostgreSQL client needs a transaction() method (PGlite) or a connect() method (pg.Pool); wrap a pg.Client in singleConnection().',
  );
}

async function inTransaction<T>(
  connection: Queryable,
  fn: (tx: Queryable) => Promise<T>,
  onBroken: () => void = () => undefined,
): Promise<T> {
  try {
    await connection.query('BEGIN');
  } catch (error) {
    onBroken();
    throw error;
  }
  let result: T;
  try {
    result = await fn(connection);
  } catch (error) {
    await rollback(connection, error, onBroken);
    throw error;
  }
  try {
    await connection.query('COMMIT');
  } catch (error) {
    await rollback(connection, error, onBroken);
    throw error;
  }
  return result;
}

async function rollback(connection: Queryable, cause: unknown, onBroken: () => void): Promise<void> {
  try {
    await connection.query('ROLLBACK');
  } catch (error) {
    onBroken();
    // The connection cannot be trusted any more: say so, keeping the error that started it.
    throw new StoreError('rollback_failed', 'ROLLBACK failed after a failed transaction', {
      cause: new AggregateError([cause, error]),
    });
  }
}
