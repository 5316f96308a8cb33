/**
 * Resolves on the next turn of the event loop, after pending I/O (the store's replies, a COPY asking for
 * more) has run: what the executor yields between slices of its own work.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
