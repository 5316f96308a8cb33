import { StoreError } from './errors.js';
import type { Queryable } from './postgres-client.js';

/**
 * The stream `COPY … FROM STDIN` reads its rows from: the subset of a Node `Writable` rollcall uses, which
 * pg-copy-streams' `from()` returns.
 */
export interface CopyStream {
  /**
   * Sends a piece of the COPY data: text, or bytes for `FORMAT binary` (which rollcall uses on its own users
   * table, so a stream that wraps pg-copy-streams' must pass bytes through as they are); `false` asks the writer
   * to wait for `drain`.
   */
  write(chunk: string | Uint8Array): boolean;
  /** Ends the data: the server then checks and applies it, and the stream emits `finish` or `error`. */
  end(): void;
  /** Listens once for the stream's progress: `drain` (write again) or `finish` (the server applied the rows). */
  once(event: 'drain' | 'finish', listener: () => void): unknown;
  /** Listens once for the COPY's failure (a unique violation, a bad value, a lost connection). */
  once(event: 'error', listener: (error: Error) => void): unknown;
  /** Abandons the COPY (pg-copy-streams then sends CopyFail), so the connection can run the next statement. */
  destroy?(error?: Error): unknown;
}

/**
 * A connection as the host's client gives it to {@link CopyFrom}: `pg`'s `Client` and `PoolClient` accept a
 * streaming query object in `query`, and return it.
 */
export interface CopyConnection {
  /** Runs a streaming query object (pg-copy-streams' `from(sql)`) on this connection, and returns it. */
  query<T extends object>(stream: T): T;
}

/**
 * Starts `COPY … FROM STDIN` on the connection the transaction runs on and returns its stream. With `pg`
 * and pg-copy-streams this is `(connection, sql) => connection.query(from(sql))`; rollcall never imports
 * either package.
 *
 * @example
 * ```ts
 * import { from } from 'pg-copy-streams';
 * const store = postgresStore({ client: pool, copyFrom: (connection, sql) => connection.query(from(sql)) });
 * ```
 */
export type CopyFrom = (connection: CopyConnection, sql: string) => CopyStream;

/** A value in PostgreSQL's COPY text format: `\N` for null, backslash escapes for the characters that frame rows. */
export function copyValue(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  return needsEscape.test(value) ? value.replace(escaped, (c) => escapes[c] ?? c) : value;
}

const needsEscape = /[\\\t\n\r]/u;
const escaped = /[\\\t\n\r]/gu;
const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Runs one `COPY … FROM STDIN` on `connection`, streaming `lines` (COPY text rows without their newline) in
 * chunks of about 64 KiB, so encoding the next rows overlaps the server parsing the previous ones. Resolves
 * when the server has applied every row; rejects with the server's error (a unique violation, say), after
 * which the connection's transaction is aborted, as after any failed statement.
 */
export function copyRows<T>(
  copyFrom: CopyFrom,
  connection: Queryable,
  sql: string,
  items: readonly T[],
  line: (item: T) => string,
): Promise<void> {
  return streamCopy(copyFrom, connection, sql, textChunks(items, line));
}

function* textChunks<T>(items: readonly T[], line: (item: T) => string): Generator<string> {
  let chunk = '';
  for (const item of items) {
    chunk += line(item) + '\n';
    if (chunk.length >= copyChunkSize) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/**
 * Runs one `COPY … FROM STDIN` on `connection` and sends it `chunks` as they are made, waiting for `drain`
 * when the connection asks, so making the next chunk overlaps the server parsing the previous one. Resolves
 * when the server has applied every row; rejects with the server's error (a unique violation, say), after
 * which the connection's transaction is aborted, as after any failed statement. A chunk that cannot be made
 * (a value that cannot be encoded) abandons the COPY, so the connection is free for the rollback.
 */
export async function streamCopy(
  copyFrom: CopyFrom,
  connection: Queryable,
  sql: string,
  chunks: Iterable<string | Uint8Array>,
): Promise<void> {
  // The connection a store's transaction runs on is the host client's own: it takes a streaming query.
  const stream = copyFrom(connection as unknown as CopyConnection, sql);
  const shape = stream as Partial<CopyStream> | null;
  if (typeof shape?.write !== 'function' || typeof shape.once !== 'function' || typeof shape.end !== 'function') {
    throw new StoreError(
      'invalid_store_options',
      'copyFrom returned no COPY stream: it needs a pg connection and pg-copy-streams (leave it out for PGlite, which loads with unnest).',
    );
  }
  let failure: Error | undefined;
  const failed = new Promise<never>((_, reject) => {
    stream.once('error', (error) => {
      failure = error;
      reject(error);
    });
  });
  failed.catch(() => undefined);
  const finished = new Promise<void>((resolve) => stream.once('finish', resolve));
  try {
    for (const chunk of chunks) {
      if (!stream.write(chunk)) await Promise.race([new Promise<void>((resolve) => stream.once('drain', resolve)), failed]);
      if (failure !== undefined) break;
    }
  } catch (error) {
    // A value that cannot be written: abandon the COPY, or the connection waits for its end forever and the
    // rollback queued behind it never runs.
    if (failure === undefined && typeof stream.destroy === 'function') {
      stream.destroy(error instanceof Error ? error : new Error(String(error)));
      await failed.catch(() => undefined);
    }
    throw error;
  }
  if (failure === undefined) stream.end();
  await Promise.race([finished, failed]);
}

/** About how much COPY data goes into one write: large enough to keep the socket busy, small enough to overlap. */
export const copyChunkSize = 64 * 1024;
