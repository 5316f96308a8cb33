import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromRowRanges, toRowRanges } from '../../src/execute/row-ranges.js';

const numRuns = Number(process.env.FC_RUNS ?? 200);

describe('row ranges', () => {
  it('writes consecutive rows as one run', () => {
    expect(toRowRanges([2, 3, 4, 7, 9, 10])).toEqual([[2, 4], [7, 7], [9, 10]]);
    expect(toRowRanges(Array.from({ length: 200_000 }, (_, i) => i + 2))).toEqual([[2, 200_001]]);
    expect(toRowRanges([])).toEqual([]);
  });

  it('round-trips any ascending list of rows, also through JSON', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 2, max: 5000 }), { maxLength: 300 }), (rows) => {
        const sorted = [...rows].sort((a, b) => a - b);
        expect(fromRowRanges(JSON.parse(JSON.stringify(toRowRanges(sorted))))).toEqual(sorted);
      }),
      { numRuns },
    );
  });

  it('reads anything else as undefined', () => {
    for (const bad of [null, 'x', [[1]], [[1, 'b']], [{ 0: 1, 1: 2 }], [[1, 20_000_002]]]) expect(fromRowRanges(bad)).toBeUndefined();
  });
});
