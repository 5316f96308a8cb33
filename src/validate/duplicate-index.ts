import { RollcallError } from '../rollcall-error.js';

/** Remembers the first row of each key of a unique column, to report later rows that repeat it. */
export interface DuplicateIndex {
  /**
   * The earlier row that held `key`, or `undefined` the first time `key` is seen, when `row` is recorded
   * as its first row.
   */
  firstRowOf(key: string, row: number): number | undefined;
  /** How many distinct keys were seen. */
  readonly size: number;
}

/** Tuning for {@link createDuplicateIndex}; the defaults suit files of any size. */
export interface DuplicateIndexOptions {
  /** How many keys to make room for at first (the index grows past it). Default 1024. */
  readonly initialCapacity?: number;
  /**
   * Replaces the hash of a key's UTF-8 bytes `bytes[start..end)`. Answers stay exact with any hash, even a
   * constant one (tests use that to put every key in one probe chain); only speed depends on it.
   */
  readonly hash?: (bytes: Uint8Array, start: number, end: number) => number;
}

/**
 * Creates an exact, compact duplicate index for a file of up to millions of rows.
 *
 * Keys are kept as UTF-8 bytes in one growable byte arena, found through an open-addressing hash table in
 * typed arrays and compared byte by byte, so hash collisions never produce a false duplicate. Millions of
 * keys cost a few typed arrays rather than millions of strings and map entries for the garbage collector
 * to trace, and keys sliced from a larger parsed chunk do not keep that chunk alive.
 *
 * @example
 * const seen = createDuplicateIndex();
 * seen.firstRowOf('bob@example.com', 2); // undefined
 * seen.firstRowOf('bob@example.com', 7); // 2
 */
export function createDuplicateIndex(options: DuplicateIndexOptions = {}): DuplicateIndex {
  const capacity = options.initialCapacity ?? 1024;
  if (!Number.isSafeInteger(capacity) || capacity < 1 || capacity > 2 ** 28) {
    throw new RollcallError('invalid_option', `initialCapacity must be an integer from 1 to 2^28, not ${capacity}`);
  }
  return new ByteKeyIndex(capacity, options.hash ?? seededHash((Math.random() * 2 ** 32) >>> 0));
}

// Grow the slot table when it is more than this full: linear probing stays short up to about 0.7.
const maxLoad = 0.625;
// Key bytes live in chunks of this size (a key never spans two), so growing never copies them and wastes at
// most the tail of one chunk. An entry's offset is chunk index × chunkSize + position, in 32 bits.
const chunkBits = 20;
const chunkSize = 1 << chunkBits;
const maxChunks = 2 ** (32 - chunkBits);
// UTF-8 never holds the byte 0xFF, so this prefix keeps the code-unit encoding of ill-formed keys apart.
const codeUnitsMarker = 0xff;
const loneSurrogate = /\p{Cs}/u;
const encoder = new TextEncoder();

type Hash = (bytes: Uint8Array, start: number, end: number) => number;

class ByteKeyIndex implements DuplicateIndex {
  readonly #chunks: Uint8Array[] = [];
  // The chunk keys are appended to, and where its free space starts.
  #chunk = 0;
  #used = 0;
  // Entry e's key is #lengths[e] bytes at #offsets[e]; the entry arrays share one capacity.
  #offsets: Uint32Array;
  #lengths: Uint32Array;
  #rows: Uint32Array;
  #hashes: Int32Array;
  #size = 0;
  // Slot → entry + 1; 0 marks an empty slot. The length is a power of two.
  #slots: Int32Array;
  readonly #hash: Hash;

  constructor(capacity: number, hash: Hash) {
    this.#hash = hash;
    this.#chunks.push(new Uint8Array(Math.min(chunkSize, capacity * 32)));
    this.#offsets = new Uint32Array(capacity);
    this.#lengths = new Uint32Array(capacity);
    this.#rows = new Uint32Array(capacity);
    this.#hashes = new Int32Array(capacity);
    let slots = 2;
    while (slots * maxLoad < capacity) slots *= 2;
    this.#slots = new Int32Array(slots);
  }

  get size(): number {
    return this.#size;
  }

  firstRowOf(key: string, row: number): number | undefined {
    if (!Number.isInteger(row) || row < 0 || row > 0xffffffff) {
      throw new RollcallError('invalid_option', `a row number must be an integer from 0 to 2^32 - 1, not ${row}`);
    }
    // The key is written in the free space of a chunk; it stays there only if it turns out to be new.
    const bytes = this.#space(3 * key.length + 1);
    const start = bytes === this.#chunks[this.#chunk] ? this.#used : 0;
    const length = encode(key, bytes, start);
    const hash = this.#hash(bytes, start, start + length) | 0;
    const slots = this.#slots;
    const mask = slots.length - 1;
    let slot = hash & mask;
    for (let entry = slots[slot] ?? 0; entry !== 0; entry = slots[slot] ?? 0) {
      if (this.#hashes[entry - 1] === hash && this.#equals(entry - 1, bytes, start, length)) {
        return this.#rows[entry - 1];
      }
      slot = (slot + 1) & mask;
    }
    this.#add(slot, hash, row, bytes, start, length);
    return undefined;
  }

  // Where to write a key of at most `needed` bytes: free space in the current chunk, a new chunk, or, for
  // a key longer than a chunk, a buffer of its own that becomes a chunk only if the key is new.
  #space(needed: number): Uint8Array {
    const current = this.#chunks[this.#chunk];
    if (current !== undefined && this.#used + needed <= current.length) return current;
    if (needed > chunkSize) return new Uint8Array(needed);
    if (current !== undefined && current.length < chunkSize) {
      // The first chunk starts small, for small files, and doubles up to the full size in place.
      const larger = new Uint8Array(Math.min(chunkSize, Math.max(current.length * 2, this.#used + needed)));
      larger.set(current.subarray(0, this.#used));
      this.#chunks[this.#chunk] = larger;
      if (this.#used + needed <= larger.length) return larger;
    }
    const chunk = new Uint8Array(chunkSize);
    this.#chunk = this.#newChunk(chunk);
    this.#used = 0;
    return chunk;
  }

  #newChunk(chunk: Uint8Array): number {
    if (this.#chunks.length >= maxChunks) {
      throw new RollcallError('invalid_option', 'a unique column holds more than 4 GiB of values: lower maxBytes');
    }
    return this.#chunks.push(chunk) - 1;
  }

  #equals(entry: number, bytes: Uint8Array, start: number, length: number): boolean {
    if (this.#lengths[entry] !== length) return false;
    const offset = this.#offsets[entry] ?? 0;
    const stored = this.#chunks[offset >>> chunkBits];
    if (stored === undefined) return false;
    const from = offset & (chunkSize - 1);
    for (let i = 0; i < length; i++) {
      if (stored[from + i] !== bytes[start + i]) return false;
    }
    return true;
  }

  #add(slot: number, hash: number, row: number, bytes: Uint8Array, start: number, length: number): void {
    let offset: number;
    if (bytes === this.#chunks[this.#chunk]) {
      offset = this.#chunk * chunkSize + start;
      this.#used = start + length;
    } else {
      offset = this.#newChunk(bytes.slice(0, length)) * chunkSize;
    }
    const entry = this.#size;
    if (entry === this.#rows.length) this.#growEntries();
    this.#offsets[entry] = offset;
    this.#lengths[entry] = length;
    this.#rows[entry] = row;
    this.#hashes[entry] = hash;
    this.#slots[slot] = entry + 1;
    this.#size = entry + 1;
    if (this.#size > this.#slots.length * maxLoad) this.#growSlots();
  }

  #growEntries(): void {
    const capacity = this.#rows.length * 2;
    this.#offsets = grown(this.#offsets, new Uint32Array(capacity));
    this.#lengths = grown(this.#lengths, new Uint32Array(capacity));
    this.#rows = grown(this.#rows, new Uint32Array(capacity));
    this.#hashes = grown(this.#hashes, new Int32Array(capacity));
  }

  // Rehashes from the stored hashes: the key bytes are not read again.
  #growSlots(): void {
    const slots = new Int32Array(this.#slots.length * 2);
    const mask = slots.length - 1;
    for (let entry = 0; entry < this.#size; entry++) {
      let slot = (this.#hashes[entry] ?? 0) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry + 1;
    }
    this.#slots = slots;
  }
}

function grown<T extends Uint32Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

// Writes the key's bytes at `at` and returns how many there are.
function encode(key: string, bytes: Uint8Array, at: number): number {
  let i = 0;
  for (; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code >= 0x80) break;
    bytes[at + i] = code;
  }
  if (i === key.length) return i;
  if (loneSurrogate.test(key)) {
    // TextEncoder would write every lone surrogate as U+FFFD and so merge different keys.
    bytes[at] = codeUnitsMarker;
    for (let unit = 0; unit < key.length; unit++) {
      const code = key.charCodeAt(unit);
      bytes[at + 1 + 2 * unit] = code >>> 8;
      bytes[at + 2 + 2 * unit] = code & 0xff;
    }
    return 1 + 2 * key.length;
  }
  return encoder.encodeInto(key, bytes.subarray(at)).written;
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
