import { RollcallError } from '../rollcall-error.js';

/** Remembers the first row of each key of a unique column, to report later rows that repeat it. */
export interface DuplicateIndex {
  /**
   * The earlier row that held `key`, or `undefined` the first time `key` is seen, when `row` is recorded
   * as its first row.
   */
  firstRowOf(key: string, row: number): number | undefined;
  /**
   * `firstRowOf(key.toLowerCase(), row)` for a key of ASCII characters, without making the lowercased
   * string; `null`, recording nothing, when the key holds a character outside ASCII.
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

// Key bytes live in chunks of this size (a record never spans two), so growing never copies them and wastes
// at most the tail of one chunk. A record's offset is chunk index × chunkSize + position, in 32 bits.
const chunkBits = 20;
const chunkSize = 1 << chunkBits;
const maxChunks = 2 ** (32 - chunkBits);
// The fewest entries room is made for: the slot value keeps 32 - log2(entries) bits of hash, at most 28.
const minIndexBits = 4;
// UTF-8 never holds the bytes 0xFE and 0xFF, so these markers keep the three stored forms of a key apart:
// UTF-8 bytes; the UTF-8 bytes before the last @, 0xFE and the number of the shared suffix; 0xFF and the
// UTF-16 code units of a key with a lone surrogate (which UTF-8 would write as U+FFFD, merging keys).
const suffixMarker = 0xfe;
const codeUnitsMarker = 0xff;
// A record is the stored form's length (1 byte, or 0xFF and 4 bytes), the row as its difference from the
// entry number (a varint of 1 byte in a file of valid rows, where each entry is a row further on), then the
// form.
const longLength = 0xff;
// How many suffixes are remembered without a map look-up (a power of two).
const recentSuffixes = 64;
const loneSurrogate = /\p{Cs}/u;
const encoder = new TextEncoder();

type Hash = (bytes: Uint8Array, start: number, end: number) => number;

/** Where a record's parts are: its row varint at `rowAt`, its stored form at `form`, `length` bytes long. */
interface RecordView {
  bytes: Uint8Array;
  rowAt: number;
  form: number;
  length: number;
}

class ByteKeyIndex implements DuplicateIndex {
  readonly #chunks: Uint8Array[] = [];
  // The chunk records are appended to, and where its free space starts.
  #chunk = 0;
  #used = 0;
  // Entry e's record is at #offsets[e]. The length is a power of two, 2^#indexBits.
  #offsets: Uint32Array;
  #indexBits: number;
  // Twice as many slots as entries, so the table is at most half full and probes stay short. A slot holds
  // 0 when empty, else the entry number in its high #indexBits bits and hash bits (never all zero) below.
  #slots: Uint32Array;
  #size = 0;
  readonly #hash: Hash;
  readonly #suffixes = new Map<string, number>();
  readonly #maxSuffixes: number;
  // Recently seen suffixes, by a hash of their bytes: most rows share one of a few, found here without
  // making a string. Slot i holds the bytes of a suffix and its number.
  readonly #recentSuffixes: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(recentSuffixes);
  readonly #recentSuffixIds = new Int32Array(recentSuffixes);
  readonly #view: RecordView = { bytes: new Uint8Array(), rowAt: 0, form: 0, length: 0 };
  // The memory of tables outgrown, cut into chunks for keys: tens of MiB that would otherwise wait, resident,
  // for the garbage collector (which the small JavaScript heap of a validation rarely runs).
  readonly #spare: Uint8Array[] = [];

  constructor(capacity: number, hash: Hash, maxSuffixes: number) {
    this.#hash = hash;
    this.#maxSuffixes = maxSuffixes;
    this.#chunks.push(new Uint8Array(Math.min(chunkSize, capacity * 32)));
    let bits = minIndexBits;
    while (2 ** bits < capacity) bits++;
    this.#indexBits = bits;
    this.#offsets = new Uint32Array(2 ** bits);
    this.#slots = new Uint32Array(2 ** (bits + 1));
  }

  get size(): number {
    return this.#size;
  }

  firstRowOf(key: string, row: number): number | undefined {
    return this.#firstRowOf(key, row, false) ?? undefined;
  }

  firstRowOfLowercase(key: string, row: number): number | undefined | null {
    return this.#firstRowOf(key, row, true);
  }

  #firstRowOf(key: string, row: number, lower: boolean): number | undefined | null {
    if (!Number.isInteger(row) || row < 0 || row > 0xffffffff) {
      throw new RollcallError('invalid_option', `a row number must be an integer from 0 to 2^32 - 1, not ${row}`);
    }
    // The record is written in the free space of a chunk; it stays there only if the key turns out to be new.
    const maxForm = 3 * key.length + 6;
    const lengthBytes = maxForm < longLength ? 1 : 5;
    const rowDelta = zigzag(row - this.#size);
    const header = lengthBytes + varintLength(rowDelta);
    const bytes = this.#space(header + maxForm);
    const start = bytes === this.#chunks[this.#chunk] ? this.#used : 0;
    const form = start + header;
    const length = this.#encode(key, bytes, form, lower);
    if (length === -1) return null;
    const hash = this.#hash(bytes, form, form + length) | 0;
    const slots = this.#slots;
    const mask = slots.length - 1;
    const tagBits = 32 - this.#indexBits;
    const tagMask = 2 ** tagBits - 1;
    const tag = (hash >>> this.#indexBits) | 1;
    let slot = hash & mask;
    for (let value = slots[slot] ?? 0; value !== 0; value = slots[slot] ?? 0) {
      if ((value & tagMask) === tag) {
        const found = this.#rowIfEqual(value >>> tagBits, bytes, form, length);
        if (found !== undefined) return found;
      }
      slot = (slot + 1) & mask;
    }
    if (lengthBytes === 1) {
      bytes[start] = length;
    } else {
      bytes[start] = longLength;
      writeUint32(bytes, start + 1, length);
    }
    writeVarint(bytes, start + lengthBytes, rowDelta);
    this.#add(slot, tag, bytes, start, form + length);
    return undefined;
  }

  // Writes the stored form of `key` (lowercased when `lower`) at `at` and returns its length, or -1 when
  // `lower` and the key is not ASCII (where lowercasing is more than a byte for a byte).
  #encode(key: string, bytes: Uint8Array, at: number, lower: boolean): number {
    let length = key.length;
    let atSign = -1;
    let i = 0;
    for (; i < length; i++) {
      let code = key.charCodeAt(i);
      if (code >= 0x80) break;
      if (code === 0x40) atSign = i;
      else if (lower && code >= 0x41 && code <= 0x5a) code |= 0x20;
      bytes[at + i] = code;
    }
    if (i < length) {
      if (lower) return -1;
      if (loneSurrogate.test(key)) return encodeCodeUnits(key, bytes, at);
      length = encoder.encodeInto(key, bytes.subarray(at)).written;
      atSign = bytes.subarray(at, at + length).lastIndexOf(0x40);
    }
    if (atSign === -1) return length;
    const suffix = this.#suffixId(key, lower, bytes, at + atSign + 1, at + length);
    if (suffix === -1) return length;
    bytes[at + atSign] = suffixMarker;
    return atSign + 1 + writeVarint(bytes, at + atSign + 1, suffix);
  }

  // The number of the suffix written at bytes[from..to), or -1 when it is stored in full (too many distinct
  // ones). The map is keyed by the suffix's text, which its UTF-8 bytes stand for exactly.
  #suffixId(key: string, lower: boolean, bytes: Uint8Array, from: number, to: number): number {
    const length = to - from;
    const cached = (length * 31 + (bytes[from] ?? 0) * 7 + (bytes[to - 1] ?? 0) + (bytes[from + (length >> 1)] ?? 0)) & (recentSuffixes - 1);
    const recent = this.#recentSuffixes[cached];
    if (recent?.length === length && sameBytes(recent, bytes, from)) return this.#recentSuffixIds[cached] ?? -1;
    const text = key.slice(key.lastIndexOf('@') + 1);
    const suffix = lower ? text.toLowerCase() : text;
    let id = this.#suffixes.get(suffix);
    if (id === undefined) {
      if (this.#suffixes.size >= this.#maxSuffixes) return -1;
      id = this.#suffixes.size;
      this.#suffixes.set(suffix, id);
    }
    this.#recentSuffixes[cached] = bytes.slice(from, to);
    this.#recentSuffixIds[cached] = id;
    return id;
  }

  // Where to write a record of at most `needed` bytes: free space in the current chunk, a new chunk, or, for
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
    const chunk = this.#spare.pop() ?? new Uint8Array(chunkSize);
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

  // The row of entry `entry` if its stored form is `bytes[form..form + length)`.
  #rowIfEqual(entry: number, bytes: Uint8Array, form: number, length: number): number | undefined {
    const record = this.#record(entry);
    if (record.length !== length) return undefined;
    const stored = record.bytes;
    for (let i = 0; i < length; i++) {
      if (stored[record.form + i] !== bytes[form + i]) return undefined;
    }
    return entry + unzigzag(readVarint(stored, record.rowAt));
  }

  // Where entry `entry`'s record is, read into one reused object (this runs for every entry when growing).
  #record(entry: number): RecordView {
    const view = this.#view;
    const offset = this.#offsets[entry] ?? 0;
    const stored = this.#chunks[offset >>> chunkBits] ?? view.bytes;
    const start = offset & (chunkSize - 1);
    let length = stored[start] ?? 0;
    let rowAt = start + 1;
    if (length === longLength) {
      length = readUint32(stored, start + 1);
      rowAt = start + 5;
    }
    let form = rowAt;
    while ((stored[form] ?? 0) >= 0x80) form++;
    view.bytes = stored;
    view.rowAt = rowAt;
    view.form = form + 1;
    view.length = length;
    return view;
  }

  #add(slot: number, tag: number, bytes: Uint8Array, start: number, end: number): void {
    let offset: number;
    if (bytes === this.#chunks[this.#chunk]) {
      offset = this.#chunk * chunkSize + start;
      this.#used = end;
    } else {
      offset = this.#newChunk(bytes.slice(0, end)) * chunkSize;
    }
    const entry = this.#size;
    if (entry === this.#offsets.length) {
      this.#grow();
      this.#offsets[entry] = offset;
      this.#size = entry + 1;
      this.#place(entry);
      return;
    }
    this.#offsets[entry] = offset;
    this.#slots[slot] = (entry * 2 ** (32 - this.#indexBits) + tag) >>> 0;
    this.#size = entry + 1;
  }

  // Doubles the entries and the slots, and places every entry again from its stored bytes.
  #grow(): void {
    const offsets = new Uint32Array(this.#offsets.length * 2);
    offsets.set(this.#offsets);
    this.#recycle(this.#offsets.buffer);
    this.#offsets = offsets;
    this.#indexBits++;
    this.#recycle(this.#slots.buffer);
    this.#slots = new Uint32Array(offsets.length * 2);
    for (let entry = 0; entry < this.#size; entry++) this.#place(entry);
  }

  #recycle(buffer: ArrayBufferLike): void {
    for (let at = 0; at + chunkSize <= buffer.byteLength; at += chunkSize) this.#spare.push(new Uint8Array(buffer, at, chunkSize));
  }

  // Puts an entry known to be absent from the slots into the first free slot of its probe sequence.
  #place(entry: number): void {
    const record = this.#record(entry);
    const hash = this.#hash(record.bytes, record.form, record.form + record.length) | 0;
    const slots = this.#slots;
    const mask = slots.length - 1;
    let slot = hash & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = (entry * 2 ** (32 - this.#indexBits) + ((hash >>> this.#indexBits) | 1)) >>> 0;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array, at: number): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[at + i]) return false;
  return true;
}

function encodeCodeUnits(key: string, bytes: Uint8Array, at: number): number {
  bytes[at] = codeUnitsMarker;
  for (let unit = 0; unit < key.length; unit++) {
    const code = key.charCodeAt(unit);
    bytes[at + 1 + 2 * unit] = code >>> 8;
    bytes[at + 2 + 2 * unit] = code & 0xff;
  }
  return 1 + 2 * key.length;
}

// Varints of up to 2^35 - 1, in arithmetic rather than 32-bit operations, since a row delta may pass 2^32.
function writeVarint(bytes: Uint8Array, at: number, value: number): number {
  let n = 0;
  let rest = value;
  while (rest >= 0x80) {
    bytes[at + n++] = (rest % 0x80) + 0x80;
    rest = Math.floor(rest / 0x80);
  }
  bytes[at + n++] = rest;
  return n;
}

function varintLength(value: number): number {
  let n = 1;
  for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 0x80)) n++;
  return n;
}

function readVarint(bytes: Uint8Array, at: number): number {
  let value = 0;
  let scale = 1;
  for (let i = at; ; i++) {
    const byte = bytes[i] ?? 0;
    value += (byte % 0x80) * scale;
    if (byte < 0x80) return value;
    scale *= 0x80;
  }
}

// Maps a signed difference to a non-negative number, small ones to small ones.
function zigzag(value: number): number {
  return value >= 0 ? 2 * value : -2 * value - 1;
}

function unzigzag(value: number): number {
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
}

function writeUint32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value & 0xff;
  bytes[at + 1] = (value >>> 8) & 0xff;
  bytes[at + 2] = (value >>> 16) & 0xff;
  bytes[at + 3] = value >>> 24;
}

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16)) + (bytes[at + 3] ?? 0) * 2 ** 24;
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
