import { RollcallError } from '../rollcall-error.js';
import type { DuplicateIndex } from './duplicate-index.js';
import { KeyEncoder } from './key-encoder.js';
import { readVarint, unzigzag, varintLength, writeVarint, zigzag } from './varint.js';

// Key bytes live in chunks of this size (a record never spans two), so growing never copies them and wastes
// at most the tail of one chunk. A record's offset is chunk index × chunkSize + position, in 32 bits.
const chunkBits = 20;
const chunkSize = 1 << chunkBits;
const maxChunks = 2 ** (32 - chunkBits);
// The fewest entries room is made for: the slot value keeps 32 - log2(entries) bits of hash, at most 28.
const minIndexBits = 4;
// A record is the stored form's length (1 byte, or 0xFF and 4 bytes), the row as its difference from the
// entry number (a varint of 1 byte in a file of valid rows, where each entry is a row further on), then the
// form.
const longLength = 0xff;

/** A hash of a key's stored bytes `bytes[start..end)`. */
export type Hash = (bytes: Uint8Array, start: number, end: number) => number;

/** Where a record's parts are: its row varint at `rowAt`, its stored form at `form`, `length` bytes long. */
interface RecordView {
  bytes: Uint8Array;
  rowAt: number;
  form: number;
  length: number;
}

/** The index {@link createDuplicateIndex} makes, which says how it stores keys. */
export class ByteKeyIndex implements DuplicateIndex {
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
  // Writes keys in the form they are stored and compared in.
  readonly #keys: KeyEncoder;
  readonly #view: RecordView = { bytes: new Uint8Array(), rowAt: 0, form: 0, length: 0 };
  // The memory of tables outgrown, cut into chunks for keys: tens of MiB that would otherwise wait, resident,
  // for the garbage collector (which the small JavaScript heap of a validation rarely runs).
  readonly #spare: Uint8Array[] = [];

  constructor(capacity: number, hash: Hash, maxSuffixes: number) {
    this.#hash = hash;
    this.#keys = new KeyEncoder(maxSuffixes);
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
    const length = this.#keys.encode(key, bytes, form, lower);
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

function writeUint32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value & 0xff;
  bytes[at + 1] = (value >>> 8) & 0xff;
  bytes[at + 2] = (value >>> 16) & 0xff;
  bytes[at + 3] = value >>> 24;
}

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16)) + (bytes[at + 3] ?? 0) * 2 ** 24;
}
