/**
 * Compares email keys by UTF-16 code units: the one total order the importer builds its batches in and the
 * PostgreSQL store inserts each batch in, so two imports that share emails lock them in the same order and
 * cannot deadlock; the memory store lists its users in it. It uses no collation, so it means the same in a
 * browser, in Node and for every store.
 */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
