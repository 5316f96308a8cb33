/** How much text `Intl.Segmenter` was given: the longest single text and all of them together, in code units. */
export interface SegmenterWork {
  longest: number;
  total: number;
}

type Segment = (this: Intl.Segmenter, input: string) => Intl.Segments;

/**
 * Runs `f` while counting the text handed to `Intl.Segmenter`, whose time grows faster than its input: what a
 * test of the report's speed counts instead of timing it. The method is wrapped by hand, since a spy would keep
 * every call's text and result alive.
 */
export async function countSegmenting<T>(f: () => T | Promise<T>): Promise<{ result: T } & SegmenterWork> {
  const seen: SegmenterWork = { longest: 0, total: 0 };
  const prototype = Intl.Segmenter.prototype;
  const segment = Object.getOwnPropertyDescriptor(prototype, 'segment')?.value as Segment;
  const counted: Segment = function (input) {
    seen.longest = Math.max(seen.longest, input.length);
    seen.total += input.length;
    return segment.call(this, input);
  };
  Object.defineProperty(prototype, 'segment', { value: counted, writable: true, configurable: true });
  try {
    return { result: await f(), ...seen };
  } finally {
    Object.defineProperty(prototype, 'segment', { value: segment, writable: true, configurable: true });
  }
}
