import { compareKeys } from '../adapters/store/key-order.js';

/** The positions of some keys in {@link compareKeys} order, sorted only as far as they have been asked for. */
export interface KeyOrder {
  /** Positions `start` to `end` (exclusive) of the order: those keys' indexes, from the smallest key up. */
  slice(start: number, end: number): number[];
}

/** How deep into the keys a segment is split before it is sorted by comparison whatever its size. */
const maxDepth = 8;
/** The depth of a segment whose keys are all equal: nothing to sort. */
const done = -1;

/**
 * The order of `keys` by {@link compareKeys} (ties by index), worked out lazily: a most-significant-character
 * radix split whose parts are sorted only when a slice reaches them. A slice of the first keys costs a pass over
 * all of them and a sort of that slice, not a sort of everything, so an importer can start writing the first batch
 * while the next batches are still unsorted, and sort each next one while the store writes the one before.
 * Segments of at most `small` keys are sorted by comparison; larger ones are split by their next character.
 *
 * @example
 * keyOrder(['b', 'a', 'c']).slice(0, 2); // [1, 0]
 */
export function keyOrder(keys: readonly string[], small = 1024): KeyOrder {
  const order = new Int32Array(keys.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const key = (index: number): string => keys[index] ?? '';
  // Unsorted segments, the first one last. Every key of a segment has the same first `depth` characters.
  const pending: { start: number; end: number; depth: number }[] = keys.length === 0 ? [] : [{ start: 0, end: keys.length, depth: 0 }];
  let sorted = 0;

  // Scratch space for the splits, as large as the largest segment ever split (the first one).
  const codes = new Int32Array(keys.length);
  const placed = new Int32Array(keys.length);

  /** Splits `[start, end)` by each key's first character after the segment's common prefix, keeping index order. */
  function split(start: number, end: number, depth: number): void {
    // Past the characters every key of the segment shares: one pass of comparisons, not a split per character.
    const first = key(order[start] ?? 0);
    let common = first.length;
    for (let i = start + 1; i < end && common > depth; i++) {
      const k = key(order[i] ?? 0);
      let j = depth;
      while (j < common && first.charCodeAt(j) === k.charCodeAt(j)) j++;
      common = j;
    }
    let min = 0xffff;
    let max = -1;
    for (let i = start; i < end; i++) {
      const k = key(order[i] ?? 0);
      const code = common < k.length ? k.charCodeAt(common) : -1;
      codes[i] = code;
      if (code < min) min = code;
      if (code > max) max = code;
    }
    // Counting sort over the codes seen: bucket b holds code min + b, and ends at ends[b].
    const counts = new Int32Array(max - min + 2);
    for (let i = start; i < end; i++) {
      const b = (codes[i] ?? 0) - min + 1;
      counts[b] = (counts[b] ?? 0) + 1;
    }
    for (let b = 1; b < counts.length; b++) counts[b] = (counts[b] ?? 0) + (counts[b - 1] ?? 0);
    const ends = counts.slice(1);
    for (let i = start; i < end; i++) {
      const b = (codes[i] ?? 0) - min;
      const at = counts[b] ?? 0;
      placed[start + at] = order[i] ?? 0;
      counts[b] = at + 1;
    }
    order.set(placed.subarray(start, end), start);
    // Pushed last bucket first, so the smallest codes come off the stack first.
    for (let b = ends.length - 1; b >= 0; b--) {
      const from = start + (b === 0 ? 0 : (ends[b - 1] ?? 0));
      const to = start + (ends[b] ?? 0);
      if (to === from) continue;
      // Keys that end after the common prefix (code -1, the first bucket) are all one key, in index order.
      pending.push({ start: from, end: to, depth: min + b === -1 ? done : common + 1 });
    }
  }

  /** Makes the first `end` positions final. */
  function sortUpTo(end: number): void {
    while (sorted < end) {
      const segment = pending.pop();
      if (segment === undefined) break;
      const { start, end: stop, depth } = segment;
      if (depth === done || stop - start === 1) {
        sorted = stop;
      } else if (stop - start <= small || depth >= maxDepth) {
        order.subarray(start, stop).sort((a, b) => compareKeys(key(a), key(b)) || a - b);
        sorted = stop;
      } else {
        split(start, stop, depth);
      }
    }
  }

  return {
    slice(start, end) {
      sortUpTo(Math.min(end, order.length));
      return Array.from(order.subarray(start, end));
    },
  };
}
