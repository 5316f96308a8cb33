import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { arrayLiteral } from '../../src/adapters/store/postgres-array.js';

const db = new PGlite();
afterAll(() => db.close());

// PostgreSQL text cannot hold NUL; every other string must survive.
const text = fc.string({ unit: 'grapheme', maxLength: 20 }).filter((s) => !s.includes('\0'));
const textOrNull = fc.option(fc.oneof(text, fc.constantFrom('"', '\\', 'NULL', '{a,b}', ' ', '', '\\"')), { nil: null });

describe('arrayLiteral', () => {
  it('writes quotes, backslashes, NULL and braces so PostgreSQL reads them back', () => {
    expect(arrayLiteral(['Ada', 'O"Neil', 'C:\\x', null, 'NULL', '{a,b}', ''])).toBe(
      '{"Ada","O\\"Neil","C:\\\\x",NULL,"NULL","{a,b}",""}',
    );
    expect(arrayLiteral([1, 2, true, false])).toBe('{1,2,true,false}');
    expect(arrayLiteral([])).toBe('{}');
  });

  it('round-trips any array of strings and nulls through text[]', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(textOrNull, { maxLength: 8 }), async (values) => {
        const { rows } = await db.query<{ a: (string | null)[] }>('SELECT $1::text[] AS a', [arrayLiteral(values)]);
        expect(rows[0]?.a).toEqual(values);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 200) },
    );
  });

  it('round-trips integers, booleans and timestamps through their array types', async () => {
    const when = new Date('2030-01-01T00:00:00.000Z');
    const { rows } = await db.query<{ i: number[]; b: boolean[]; t: Date[] }>(
      'SELECT $1::integer[] AS i, $2::boolean[] AS b, $3::timestamptz[] AS t',
      [arrayLiteral([2, -7]), arrayLiteral([true, false]), arrayLiteral([when.toISOString()])],
    );
    expect(rows[0]).toEqual({ i: [2, -7], b: [true, false], t: [when] });
  });
});
