import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareKeys } from '../../src/adapters/store/key-order.js';
import { keyOrder } from '../../src/execute/key-order.js';

/** The order a full sort gives: by key, ties by index. */
function sortedOrder(keys: readonly string[]): number[] {
  return keys.map((_, i) => i).sort((a, b) => compareKeys(keys[a] ?? '', keys[b] ?? '') || a - b);
}

/** Keys from a small alphabet, often sharing long prefixes and often equal, with now and then a surrogate. */
const keys = fc.array(
  fc.oneof(
    fc.string({ unit: fc.constantFrom('a', 'b', '.', '@'), maxLength: 12 }),
    fc.string({ unit: 'binary', maxLength: 4 }),
    fc.nat(3000).map((n) => `user${String(n).padStart(4, '0')}@example.org`),
    fc.string({ unit: fc.constantFrom('x', 'y'), minLength: 20, maxLength: 24 }).map((s) => `${'p'.repeat(12)}${s}`),
  ),
  { maxLength: 3000, size: 'medium' },
);

describe('keyOrder', () => {
  it('gives the positions of a full sort by key (ties by index), whatever slices are asked for in order', () => {
    fc.assert(
      fc.property(keys, fc.integer({ min: 1, max: 64 }), fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 8 }), (list, small, steps) => {
        const order = keyOrder(list, small);
        const got: number[] = [];
        for (let start = 0, s = 0; start < list.length; s++) {
          const end = start + (steps[s % steps.length] ?? 1);
          got.push(...order.slice(start, end));
          start = end;
        }
        expect(got).toEqual(sortedOrder(list));
      }),
    );
  });

  it('answers a slice asked for again, or out of order, the same', () => {
    const list = Array.from({ length: 5000 }, (_, i) => `k${String((i * 7919) % 5000)}`);
    const order = keyOrder(list);
    const late = order.slice(4000, 4100);
    expect(order.slice(0, 100)).toEqual(sortedOrder(list).slice(0, 100));
    expect(late).toEqual(sortedOrder(list).slice(4000, 4100));
    expect(order.slice(4000, 4100)).toEqual(late);
  });

  it('sorts a large segment of keys that share a long prefix', () => {
    const list = Array.from({ length: 4000 }, (_, i) => `${'same-prefix.'.repeat(4)}${String((i * 131) % 4000)}`);
    expect(keyOrder(list).slice(0, list.length)).toEqual(sortedOrder(list));
    expect(keyOrder(list, 2).slice(0, list.length)).toEqual(sortedOrder(list));
  });

  it('has nothing to give for no keys', () => {
    expect(keyOrder([]).slice(0, 10)).toEqual([]);
  });
});
