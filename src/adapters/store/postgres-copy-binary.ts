import { copyChunkSize } from './postgres-copy.js';

/** The PostgreSQL types rollcall writes in COPY's binary format, each by its own wire encoding. */
export type BinaryCopyType = 'text' | 'jsonb' | 'boolean' | 'integer' | 'timestamptz';

/** One column of a binary COPY: its type, and how to read its value off an item. */
export interface BinaryCopyField<T> {
  readonly type: BinaryCopyType;
  /** The value: a string for text, jsonb (JSON text) and timestamptz (ISO 8601), or null. */
  readonly value: (item: T) => string | number | boolean | null;
}

const utf8 = new TextEncoder();
/** `PGCOPY\n\377\r\n\0`, then no flags and no header extension. */
const header = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];
/** 2000-01-01T00:00:00Z, PostgreSQL's epoch for timestamps, in Unix milliseconds. */
const postgresEpoch = 946_684_800_000;

/**
 * Encodes `items` as the data of `COPY … FROM STDIN WITH (FORMAT binary)`: the header, one tuple per item
 * (a field count, then each field as a length and its bytes, -1 for null), and the trailer, in chunks of
 * about {@link copyChunkSize} bytes. The server then parses no text: no delimiters to scan, no escapes to
 * undo, no number, boolean or timestamp to read; text goes as its UTF-8 bytes (a lone surrogate as U+FFFD,
 * as in the text format). Each field must be of the column's exact type, so rollcall uses it only on its
 * own tables, whose types it created.
 *
 * @throws RangeError for a value its type cannot hold (an integer beyond 32 bits, an invalid timestamp).
 */
export function* binaryCopyChunks<T>(items: Iterable<T>, fields: readonly BinaryCopyField<T>[]): Generator<Uint8Array> {
  let chunk = new Uint8Array(copyChunkSize);
  let view = new DataView(chunk.buffer);
  let at = 0;
  /** Where the tuple being written began: a chunk only ever ends between tuples. */
  let tuple = 0;
  const full: Uint8Array[] = [];
  /** Makes room for `bytes` more: the tuple so far moves to a new chunk, and the finished ones are sent. */
  const reserve = (bytes: number): void => {
    if (at + bytes <= chunk.length) return;
    const started = chunk.subarray(tuple, at);
    if (tuple > 0) full.push(chunk.subarray(0, tuple));
    chunk = new Uint8Array(Math.max(copyChunkSize, 2 * (started.length + bytes)));
    view = new DataView(chunk.buffer);
    chunk.set(started);
    at = started.length;
    tuple = 0;
  };
  const text = (value: string, prefix: number): void => {
    // UTF-8 takes at most three bytes for each UTF-16 code unit.
    reserve(4 + prefix + 3 * value.length);
    if (prefix === 1) chunk[at + 4] = 1;
    const { written } = utf8.encodeInto(value, chunk.subarray(at + 4 + prefix));
    view.setInt32(at, prefix + written);
    at += 4 + prefix + written;
  };
  let timestamp = '';
  let micros = 0n;
  const encoders = fields.map(({ type, value }) => (item: T): void => {
    const field = value(item);
    if (field === null) {
      reserve(4);
      view.setInt32(at, -1);
      at += 4;
    } else if (type === 'text' || type === 'jsonb') {
      text(String(field), type === 'jsonb' ? 1 : 0);
    } else if (type === 'boolean') {
      reserve(5);
      view.setInt32(at, 1);
      chunk[at + 4] = field === true ? 1 : 0;
      at += 5;
    } else if (type === 'integer') {
      if (typeof field !== 'number' || !Number.isInteger(field) || field < -0x8000_0000 || field > 0x7fff_ffff) {
        throw new RangeError(`${String(field)} is not a 32-bit integer`);
      }
      reserve(8);
      view.setInt32(at, 4);
      view.setInt32(at + 4, field);
      at += 8;
    } else {
      // One expiry serves a whole import: read it once.
      if (field !== timestamp) {
        const ms = Date.parse(String(field));
        if (Number.isNaN(ms)) throw new RangeError(`${String(field)} is not a timestamp`);
        timestamp = String(field);
        micros = BigInt(ms - postgresEpoch) * 1000n;
      }
      reserve(12);
      view.setInt32(at, 8);
      // Microseconds since 2000 as a signed 64-bit integer: exact for any date a Date holds.
      view.setBigInt64(at + 4, micros);
      at += 12;
    }
  });

  chunk.set(header);
  at = header.length;
  for (const item of items) {
    tuple = at;
    reserve(2);
    view.setInt16(at, fields.length);
    at += 2;
    for (const encode of encoders) encode(item);
    // A chunk is finished when a tuple did not fit in it: send it as soon as that tuple is complete.
    if (full.length > 0) yield* full.splice(0);
  }
  tuple = at;
  reserve(2);
  view.setInt16(at, -1);
  at += 2;
  yield* full.splice(0);
  yield chunk.subarray(0, at);
}
