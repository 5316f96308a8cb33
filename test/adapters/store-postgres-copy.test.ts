import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { postgresStore } from '../../src/adapters/store/postgres.js';
import { copyRows, type CopyStream } from '../../src/adapters/store/postgres-copy.js';
import { resolveTables } from '../../src/adapters/store/postgres-table.js';

const db = { query: () => Promise.resolve({ rows: [] }) };
/** A client for building stores that are never queried here. */
const client = { ...db, transaction: <T>(fn: (tx: typeof db) => Promise<T>) => fn(db) };

/** A COPY stream that keeps what it is sent, as pg-copy-streams' `from()` would send it to the server. */
function recordingStream() {
  const sent: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      sent.push(chunk.toString());
      done();
    },
  });
  return { stream, sent };
}

describe('copyRows', () => {
  it('sends one line per item and resolves when the stream finishes', async () => {
    const { stream, sent } = recordingStream();
    await copyRows(() => stream as CopyStream, db, 'COPY t FROM STDIN', ['a', 'b'], (item) => item);
    expect(sent.join('')).toBe('a\nb\n');
  });

  it('abandons the COPY when a value cannot be written, instead of leaving the connection waiting', async () => {
    const { stream } = recordingStream();
    const failing = (item: string) => {
      if (item === 'b') throw new RangeError('Invalid time value');
      return item;
    };
    await expect(copyRows(() => stream as CopyStream, db, 'COPY t FROM STDIN', ['a', 'b'], failing)).rejects.toThrow(
      'Invalid time value',
    );
    expect(stream.destroyed).toBe(true);
  });

  it('refuses a copyFrom that returns no stream (PGlite answers a query with a promise)', async () => {
    const notAStream = () => Promise.resolve({ rows: [] }) as unknown as CopyStream;
    await expect(copyRows(notAStream, db, 'COPY t FROM STDIN', ['a'], (item) => item)).rejects.toMatchObject({
      code: 'invalid_store_options',
    });
  });
});

describe('invite redemption on a host table', () => {
  it('is not offered unless the mapping names an invite_used_at column', () => {
    const columns = { inviteTokenHash: 'invite_hash', credentialExpiresAt: 'invite_expires' };
    expect(resolveTables({ table: 'users', columns }).columns.inviteUsedAt).toBeNull();
    expect('redeemInvite' in postgresStore({ client, table: 'users', columns })).toBe(false);
    const named = postgresStore({ client, table: 'users', columns: { ...columns, inviteUsedAt: 'invite_used' } });
    expect(typeof named.redeemInvite).toBe('function');
    expect(typeof postgresStore({ client }).redeemInvite).toBe('function');
  });
});
