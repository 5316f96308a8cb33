import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDuplicateIndex, type DuplicateIndexOptions } from '../../src/validate/duplicate-index.js';
import { RollcallError } from '../../src/rollcall-error.js';

// The reference the index must agree with, answer for answer.
function referenceAnswers(keys: readonly string[]): (number | undefined)[] {
  const firstRows = new Map<string, number>();
  return keys.map((key, row) => {
    const first = firstRows.get(key);
    if (first === undefined) firstRows.set(key, row);
    return first;
  });
}

function indexAnswers(keys: readonly string[], options: DuplicateIndexOptions = {}) {
  const index = createDuplicateIndex(options);
  const answers = keys.map((key, row) => index.firstRowOf(key, row));
  return { answers, size: index.size };
}

const constantHash = () => 42;
const lengthHash = (_bytes: Uint8Array, start: number, end: number) => end - start;

describe('createDuplicateIndex', () => {
  it('returns undefined for a new key and the first row for every repeat', () => {
    const index = createDuplicateIndex();
    expect(index.firstRowOf('bob@example.com', 2)).toBeUndefined();
    expect(index.firstRowOf('ann@example.com', 3)).toBeUndefined();
    expect(index.firstRowOf('bob@example.com', 7)).toBe(2);
    expect(index.firstRowOf('bob@example.com', 9)).toBe(2);
    expect(index.size).toBe(2);
  });

  it('treats keys that differ only in a byte as different, and the empty string as a key', () => {
    const index = createDuplicateIndex({ hash: constantHash });
    for (const [row, key] of ['', 'a', 'b', 'ab', 'ba', 'a\u0000', '\u00e9', 'e\u0301'].entries()) {
      expect(index.firstRowOf(key, row)).toBeUndefined();
    }
    expect(index.firstRowOf('', 100)).toBe(0);
    expect(index.firstRowOf('e\u0301', 100)).toBe(7);
  });

  it('keeps lone surrogates apart, which UTF-8 would all write as U+FFFD', () => {
    const index = createDuplicateIndex();
    const keys = ['\ud800', '\udc00', '\ufffd', 'x\ud800', 'x\ufffd', '\ud83d\ude00', '\ude00\ud83d'];
    for (const [row, key] of keys.entries()) expect(index.firstRowOf(key, row)).toBeUndefined();
    for (const [row, key] of keys.entries()) expect(index.firstRowOf(key, row + 10)).toBe(row);
  });

  it('stores row 0 and the largest row exactly', () => {
    const index = createDuplicateIndex();
    index.firstRowOf('first', 0);
    index.firstRowOf('last', 0xffffffff);
    expect(index.firstRowOf('first', 5)).toBe(0);
    expect(index.firstRowOf('last', 5)).toBe(0xffffffff);
  });

  it('gives exact answers when every key has the same hash', () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `user${i % 2000}@example.com`);
    expect(indexAnswers(keys, { hash: constantHash, initialCapacity: 1 }).answers).toEqual(referenceAnswers(keys));
  });

  it('grows past many resizes of its slots, entries and bytes from a capacity of one', () => {
    const keys = Array.from({ length: 60_000 }, (_, i) => `person.${i % 45_000}@example-${i % 7}.com`);
    const { answers, size } = indexAnswers(keys, { initialCapacity: 1 });
    expect(answers).toEqual(referenceAnswers(keys));
    expect(size).toBe(new Set(keys).size);
  });

  it('stays exact once its outgrown tables (from 1 MiB up) hold keys: 400,000 keys, a fifth repeated', () => {
    const key = (n: number) => `user.${n}@example-${n % 3}.com`;
    const keys = Array.from({ length: 400_000 }, (_, i) => key(i % 320_000));
    const { answers, size } = indexAnswers(keys);
    const expected = referenceAnswers(keys);
    expect(answers.findIndex((answer, i) => answer !== expected[i])).toBe(-1);
    expect(size).toBe(320_000);
  });

  it('keeps keys longer than a byte chunk (1 MiB) exact, new or repeated', () => {
    const big = (fill: string) => fill.repeat(400_000);
    const keys = ['a', big('x'), 'b', big('y'), big('x'), `${big('x')}!`, 'a', big('\u00e9'), big('y'), big('\u00e9')];
    expect(indexAnswers(keys, { initialCapacity: 1 }).answers).toEqual(referenceAnswers(keys));
  });

  it('refuses a row number that is not a non-negative integer, as misuse', () => {
    const index = createDuplicateIndex();
    for (const row of [-1, 1.5, Number.NaN, 2 ** 32]) {
      expect(() => index.firstRowOf('a', row)).toThrow(RollcallError);
    }
    expect(index.size).toBe(0);
  });

  it('keeps keys apart that share or differ only in the text after the last @, however many such texts', () => {
    const keys = ['a@x.com', 'a@x.con', 'a@x.co', 'a@y.com', 'a@x.com@x.com', 'a', '@x.com', 'a@', '@', 'é@x.com', 'a@x.cöm', 'ax.com'];
    for (const sharedSuffixes of [0, 1, 2, 4096]) {
      const list = [...keys, ...keys.toReversed()];
      expect(indexAnswers(list, { sharedSuffixes }).answers).toEqual(referenceAnswers(list));
    }
  });

  it('answers for the lowercased key without lowercasing an ASCII key, and refuses other keys', () => {
    const index = createDuplicateIndex();
    expect(index.firstRowOfLowercase('Bob@Example.COM', 2)).toBeUndefined();
    expect(index.firstRowOf('bob@example.com', 3)).toBe(2);
    expect(index.firstRowOfLowercase('BOB@example.com', 4)).toBe(2);
    expect(index.firstRowOfLowercase('Zoë@example.com', 5)).toBeNull();
    expect(index.size).toBe(1);
  });

  it('issue 27 finding 2: leaves a key with an xn-- label to the caller, whose email key is its Unicode form', () => {
    const index = createDuplicateIndex();
    expect(index.firstRowOfLowercase('ada@XN--BCHER-KVA.de', 2)).toBeNull();
    expect(index.firstRowOfLowercase('ada@a--b.de', 3)).toBeNull();
    expect(index.size).toBe(0);
  });

  it('refuses an initial capacity out of range, as misuse', () => {
    expect(() => createDuplicateIndex({ initialCapacity: 0 })).toThrow(
      expect.objectContaining({ code: 'invalid_option' }),
    );
  });
});

describe('createDuplicateIndex agrees with a Map', () => {
  const key = fc.oneof(
    // Few distinct values, so that repeats are common.
    fc.string({ unit: fc.constantFrom('a', '\u00e9', '\u{1f600}', '\ud800', '\udc00', '\ufffd'), maxLength: 3 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 6 }),
    fc.nat(50).map((n) => 'x'.repeat(n * 97)),
    // Addresses, whose text after the last @ is stored once.
    fc
      .tuple(
        fc.string({ unit: fc.constantFrom('a', 'B', '@', '\u00e9', '\ud800'), maxLength: 3 }),
        fc.constantFrom('x.com', 'X.com', 'x.con', 'y.org', '', 'a', 'b', '@', 'z\u00e9.de', 'w\udc00'),
      )
      .map(([local, domain]) => `${local}@${domain}`),
  );
  const keys = fc.array(key, { maxLength: 300 });
  const options = fc.constantFrom<DuplicateIndexOptions>(
    {},
    { initialCapacity: 1 },
    { hash: constantHash, initialCapacity: 1 },
    { hash: lengthHash, initialCapacity: 2 },
    { sharedSuffixes: 0 },
    { sharedSuffixes: 2, hash: constantHash },
  );

  it('for any sequence of keys, whatever the hash and starting capacity', () => {
    fc.assert(
      fc.property(keys, options, (list, chosen) => {
        const { answers, size } = indexAnswers(list, chosen);
        expect(answers).toEqual(referenceAnswers(list));
        expect(size).toBe(new Set(list).size);
      }),
      { numRuns: 500 },
    );
  });

  it('for any sequence of keys, asked as they are or to be lowercased', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.boolean()), { maxLength: 300 }), options, (list, chosen) => {
        const index = createDuplicateIndex(chosen);
        const lowered = list.map(([k]) => k.toLowerCase());
        const answers = list.map(([k, lower], row) => {
          const answer = lower ? index.firstRowOfLowercase(k, row) : null;
          // Not ASCII: the caller lowercases the key itself.
          return answer === null ? index.firstRowOf(k.toLowerCase(), row) : answer;
        });
        expect(answers).toEqual(referenceAnswers(lowered));
        expect(index.size).toBe(new Set(lowered).size);
      }),
      { numRuns: 500 },
    );
  });
});

