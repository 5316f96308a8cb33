import { RollcallError } from '../rollcall-error.js';
import { ByteKeyIndex, type Hash } from './byte-key-index.js';

/** Remembers the first row of each key of a unique column, to report later rows that repeat it. */
export interface DuplicateIndex {
  /**
   * The earlier row that held `key`, or `undefined` the first time `key` is seen, when `row` is recorded
   * as its first row.
   */
  firstRowOf(key: string, row: number): number | undefined;
  /**
   * `firstRowOf(key.toLowerCase(), row)` for a key of ASCII characters, without making the lowercased
   * string; `null`, recording nothing, when the key holds a character outside ASCII or two hyphens in a row
   * (an xn-- label, whose email key is not its lowercase): the caller then asks `firstRowOf` with its key.
   */
  firstRowOfLowercase(key: string, row: number): number | undefined | null;
  /** How many distinct keys were seen. */
  readonly size: number;
}

/** Tuning for {@link createDuplicateIndex}; the defaults suit files of any size. */
export interface DuplicateIndexOptions {
  /** How many keys to make room for at first (the index grows past it). Default 1024. */
  readonly initialCapacity?: number;
  /**
   * Replaces the hash of a key's stored bytes `bytes[start..end)`. Answers stay exact with any hash, even a
   * constant one (tests use that to put every key in one probe chain); only speed depends on it.
   */
  readonly hash?: (bytes: Uint8Array, start: number, end: number) => number;
  /**
   * How many distinct texts after the last `@` of a key are stored once and referred to by number, rather
   * than in every key. Default 4096; later ones are stored in full. Answers do not depend on it.
   */
  readonly sharedSuffixes?: number;
}

/**
 * Creates an exact, compact duplicate index for a file of up to millions of rows.
 *
 * Each key is stored once as bytes in a growable arena, with its first row, and found through an
 * open-addressing table of 32-bit slots (entry number and a few hash bits); keys are compared byte by byte,
 * so hash collisions never produce a false duplicate. The text after a key's last `@` (the domain of an
 * address, which most rows of a file share) is stored once and referred to by number. A key costs its bytes
 * before the @ and about 16 more (12 to 20 of table, 4 of record), rather than a string and a map entry for
 * the garbage collector to trace: an address in a million-row file takes about 35 bytes, against about 250 in
 * a `Set`.
 *
 * @example
 * const seen = createDuplicateIndex();
 * seen.firstRowOf('bob@example.com', 2); // undefined
 * seen.firstRowOf('bob@example.com', 7); // 2
 * seen.firstRowOfLowercase('Bob@Example.com', 9); // 2
 */
export function createDuplicateIndex(options: DuplicateIndexOptions = {}): DuplicateIndex {
  const capacity = options.initialCapacity ?? 1024;
  if (!Number.isSafeInteger(capacity) || capacity < 1 || capacity > 2 ** 28) {
    throw new RollcallError('invalid_option', `initialCapacity must be an integer from 1 to 2^28, not ${capacity}`);
  }
  const suffixes = options.sharedSuffixes ?? 4096;
  if (!Number.isSafeInteger(suffixes) || suffixes < 0) {
    throw new RollcallError('invalid_option', `sharedSuffixes must be a whole number, not ${suffixes}`);
  }
  return new ByteKeyIndex(capacity, options.hash ?? seededHash((Math.random() * 2 ** 32) >>> 0), suffixes);
}

// FNV-1a from a random basis, then murmur3's finaliser so that the low bits used as the slot depend on every
// byte. The random basis keeps one file's keys from colliding the same way in every run.
function seededHash(seed: number): Hash {
  return (bytes, start, end) => {
    let hash = 0x811c9dc5 ^ seed;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ (bytes[i] ?? 0), 0x01000193);
    hash ^= hash >>> 16;
    hash = Math.imul(hash, 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    return hash ^ (hash >>> 16);
  };
}
