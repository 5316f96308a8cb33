import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/adapters/store/errors.js';
import { runTransaction, singleConnection, type PooledConnection, type Queryable } from '../../src/adapters/store/postgres-client.js';

/** A connection that records its statements and fails the ones named in `failing`. */
function recordingConnection(log: string[], failing: readonly string[] = []): Queryable {
  return {
    async query(sql) {
      await Promise.resolve();
      log.push(sql);
      if (failing.includes(sql)) throw Object.assign(new Error(`${sql} failed`), { code: '08006' });
      return { rows: [] };
    },
  };
}

function pool(log: string[], failing: readonly string[] = []) {
  const released: (boolean | Error | undefined)[] = [];
  return {
    released,
    query: () => Promise.resolve({ rows: [] }),
    connect: (): Promise<PooledConnection> =>
      Promise.resolve({ ...recordingConnection(log, failing), release: (destroy?: boolean | Error) => void released.push(destroy) }),
  };
}

describe('runTransaction over a pool', () => {
  it('commits on one borrowed connection and gives it back', async () => {
    const log: string[] = [];
    const p = pool(log);
    await expect(runTransaction(p, async (tx) => (await tx.query('INSERT 1'), 'done'))).resolves.toBe('done');
    expect(log).toEqual(['BEGIN', 'INSERT 1', 'COMMIT']);
    expect(p.released).toEqual([false]);
  });

  it('rolls back, rethrows the error and keeps the connection when the function fails', async () => {
    const log: string[] = [];
    const p = pool(log);
    const boom = new Error('boom');
    await expect(runTransaction(p, () => Promise.reject(boom))).rejects.toBe(boom);
    expect(log).toEqual(['BEGIN', 'ROLLBACK']);
    expect(p.released).toEqual([false]);
  });

  it('discards the connection when ROLLBACK fails, keeping both errors', async () => {
    const p = pool([], ['ROLLBACK']);
    const error: unknown = await runTransaction(p, () => Promise.reject(new Error('boom'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'rollback_failed' });
    expect(((error as StoreError).cause as AggregateError).errors.map((e: Error) => e.message)).toEqual(['boom', 'ROLLBACK failed']);
    expect(p.released).toEqual([true]);
  });

  it('discards the connection when BEGIN fails', async () => {
    const p = pool([], ['BEGIN']);
    await expect(runTransaction(p, () => Promise.resolve())).rejects.toThrow('BEGIN failed');
    expect(p.released).toEqual([true]);
  });

  it('rolls back when COMMIT fails, and rejects with the commit error', async () => {
    const log: string[] = [];
    await expect(runTransaction(pool(log, ['COMMIT']), () => Promise.resolve())).rejects.toThrow('COMMIT failed');
    expect(log).toEqual(['BEGIN', 'COMMIT', 'ROLLBACK']);
  });
});

describe('runTransaction', () => {
  it('refuses a client that can run no transaction', async () => {
    const plain = { query: () => Promise.resolve({ rows: [] }) } as unknown as Parameters<typeof runTransaction>[0];
    await expect(runTransaction(plain, () => Promise.resolve())).rejects.toMatchObject({ code: 'invalid_store_options' });
  });
});

describe('singleConnection', () => {
  it('runs concurrent transactions and queries one after another, never interleaved', async () => {
    const log: string[] = [];
    const client = singleConnection(recordingConnection(log));
    await Promise.all([
      client.transaction(async (tx) => {
        await tx.query('A1');
        await tx.query('A2');
      }),
      client.query('Q'),
      client.transaction(async (tx) => {
        await tx.query('B1');
        await tx.query('B2');
      }),
    ]);
    expect(log).toEqual(['BEGIN', 'A1', 'A2', 'COMMIT', 'Q', 'BEGIN', 'B1', 'B2', 'COMMIT']);
  });

  it('goes on with the next transaction after one fails', async () => {
    const log: string[] = [];
    const client = singleConnection(recordingConnection(log));
    const results = await Promise.allSettled([
      client.transaction(() => Promise.reject(new Error('boom'))),
      client.transaction((tx) => tx.query('B1')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect(log).toEqual(['BEGIN', 'ROLLBACK', 'BEGIN', 'B1', 'COMMIT']);
  });
});
