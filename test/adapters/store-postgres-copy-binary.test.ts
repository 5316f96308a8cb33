import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binaryCopyChunks, type BinaryCopyField, type BinaryCopyType } from '../../src/adapters/store/postgres-copy-binary.js';
import { copyChunkSize } from '../../src/adapters/store/postgres-copy.js';
import { concat } from '../helpers/excel-files.js';

type Value = string | number | boolean | null;

/** Reads COPY's binary format as PostgreSQL documents it: the header, tuples of length-prefixed fields, the trailer. */
function decode(bytes: Uint8Array, types: readonly BinaryCopyType[]): { rows: Value[][]; tupleStarts: number[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = new TextDecoder('utf-8', { fatal: true });
  expect([...bytes.subarray(0, 11)]).toEqual([...Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')]);
  expect(view.getInt32(11)).toBe(0);
  expect(view.getInt32(15)).toBe(0);
  let at = 19;
  const rows: Value[][] = [];
  const tupleStarts: number[] = [];
  for (;;) {
    tupleStarts.push(at);
    const count = view.getInt16(at);
    at += 2;
    if (count === -1) break;
    expect(count).toBe(types.length);
    const row: Value[] = [];
    for (const type of types) {
      const length = view.getInt32(at);
      at += 4;
      if (length === -1) {
        row.push(null);
        continue;
      }
      const field = bytes.subarray(at, at + length);
      at += length;
      if (type === 'text') row.push(text.decode(field));
      else if (type === 'jsonb') {
        expect(field[0]).toBe(1);
        row.push(text.decode(field.subarray(1)));
      } else if (type === 'boolean') {
        expect(length).toBe(1);
        row.push(field[0] === 1);
      } else if (type === 'integer') {
        expect(length).toBe(4);
        row.push(view.getInt32(at - 4));
      } else {
        expect(length).toBe(8);
        const micros = view.getBigInt64(at - 8);
        row.push(new Date(Number(micros / 1000n) + Date.UTC(2000, 0, 1)).toISOString());
      }
    }
    rows.push(row);
  }
  expect(at).toBe(bytes.length);
  return { rows, tupleStarts };
}

/** What the server reads back for a value: text as its UTF-8 bytes say (a lone surrogate became U+FFFD). */
function asStored(type: BinaryCopyType, value: Value): Value {
  if (value === null) return null;
  if (type === 'text' || type === 'jsonb') return new TextDecoder().decode(new TextEncoder().encode(String(value)));
  return value;
}

const types: BinaryCopyType[] = ['text', 'jsonb', 'boolean', 'integer', 'timestamptz'];
const fields: BinaryCopyField<Value[]>[] = types.map((type, i) => ({ type, value: (row) => row[i] ?? null }));
const row = fc.tuple(
  fc.option(fc.string({ unit: 'binary', maxLength: 40 })),
  fc.option(fc.json({ maxDepth: 1 })),
  fc.option(fc.boolean()),
  fc.option(fc.integer()),
  fc.option(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString())),
);

describe('binaryCopyChunks', () => {
  it('encodes every row so that it decodes to the values the server stores, whatever they hold', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), (rows) => {
        const chunks = [...binaryCopyChunks(rows, fields)];
        expect(decode(concat(...chunks), types).rows).toEqual(rows.map((r) => r.map((v, i) => asStored(types[i] ?? 'text', v))));
      }),
    );
  });

  it('ends chunks only between tuples, and makes room for a value larger than a chunk', () => {
    const long = 'é'.repeat(copyChunkSize);
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(long), fc.string({ maxLength: 2000 })), { maxLength: 200 }), (names) => {
        const chunks = [...binaryCopyChunks(names, [{ type: 'text', value: (name: string) => name }])];
        const { rows, tupleStarts } = decode(concat(...chunks), ['text']);
        expect(rows).toEqual(names.map((name) => [name]));
        let end = 0;
        for (const chunk of chunks.slice(0, -1)) {
          end += chunk.length;
          expect(tupleStarts).toContain(end);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('writes the timestamp as microseconds since 2000, before 2000 too, and reads one expiry once per change', () => {
    const at = ['1999-12-31T23:59:59.999Z', '2030-01-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z', '+275760-09-13T00:00:00.000Z'];
    const chunks = [...binaryCopyChunks(at, [{ type: 'timestamptz', value: (iso: string) => iso }])];
    const bytes = concat(...chunks);
    const view = new DataView(bytes.buffer);
    expect(view.getBigInt64(19 + 2 + 4)).toBe(-1000n);
    // The last Date there is, past 2^53 microseconds, still exact.
    expect(view.getBigInt64(19 + 3 * 14 + 2 + 4)).toBe(BigInt(Date.parse('+275760-09-13T00:00:00.000Z') - Date.UTC(2000, 0, 1)) * 1000n);
    expect(decode(bytes, ['timestamptz']).rows).toEqual(at.map((iso) => [iso]));
  });

  it('refuses, as a RangeError, an integer beyond 32 bits and a timestamp that is not one', () => {
    expect(() => [...binaryCopyChunks([2 ** 31], [{ type: 'integer', value: (n: number) => n }])]).toThrow(RangeError);
    expect(() => [...binaryCopyChunks([1.5], [{ type: 'integer', value: (n: number) => n }])]).toThrow(RangeError);
    expect(() => [...binaryCopyChunks(['soon'], [{ type: 'timestamptz', value: (s: string) => s }])]).toThrow(RangeError);
  });
});
