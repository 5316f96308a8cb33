/** Ascending row numbers written as `[first, last]` runs: 200,000 consecutive rows are one pair. */
export type RowRanges = readonly (readonly [number, number])[];

/**
 * Compresses ascending row numbers into runs.
 *
 * @example toRowRanges([2, 3, 4, 7]) // [[2, 4], [7, 7]]
 */
export function toRowRanges(rows: Iterable<number>): [number, number][] {
  const ranges: [number, number][] = [];
  let last: [number, number] | undefined;
  for (const row of rows) {
    if (last !== undefined && row === last[1] + 1) last[1] = row;
    else ranges.push((last = [row, row]));
  }
  return ranges;
}

/**
 * The row numbers of runs, or `undefined` when `value` is not a list of `[first, last]` pairs (an import
 * record written by something else).
 *
 * @example fromRowRanges([[2, 4], [7, 7]]) // [2, 3, 4, 7]
 */
export function fromRowRanges(value: unknown): number[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const rows: number[] = [];
  for (const range of value as unknown[]) {
    if (!Array.isArray(range) || range.length !== 2) return undefined;
    const [first, last] = range as unknown[];
    if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last)) return undefined;
    // No file has more rows than this; a larger run is not one rollcall wrote.
    if ((last as number) - (first as number) > 10_000_000) return undefined;
    for (let row = first as number; row <= (last as number); row++) rows.push(row);
  }
  return rows;
}
