import { writeVarint } from './varint.js';

// UTF-8 never holds the bytes 0xFE and 0xFF, so these markers keep the three stored forms of a key apart:
// UTF-8 bytes; the UTF-8 bytes before the last @, 0xFE and the number of the shared suffix; 0xFF and the
// UTF-16 code units of a key with a lone surrogate (which UTF-8 would write as U+FFFD, merging keys).
const suffixMarker = 0xfe;
const codeUnitsMarker = 0xff;
// How many suffixes are remembered without a map look-up (a power of two).
const recentSuffixes = 64;
const loneSurrogate = /\p{Cs}/u;
const encoder = new TextEncoder();

/**
 * Writes keys in the form the duplicate index stores them: UTF-8, with the text after the last @ replaced by
 * the number of that suffix while there are numbers to give; a key with a lone surrogate as UTF-16 code units.
 */
export class KeyEncoder {
  readonly #suffixes = new Map<string, number>();
  readonly #maxSuffixes: number;
  // Recently seen suffixes, by a hash of their bytes: most rows share one of a few, found here without
  // making a string. Slot i holds the bytes of a suffix and its number.
  readonly #recentSuffixes: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(recentSuffixes);
  readonly #recentSuffixIds = new Int32Array(recentSuffixes);

  constructor(maxSuffixes: number) {
    this.#maxSuffixes = maxSuffixes;
  }

  // Writes the stored form of `key` (lowercased when `lower`) at `at` and returns its length, or -1 when
  // `lower` and the key is not ASCII (where lowercasing is more than a byte for a byte) or holds "--".
  encode(key: string, bytes: Uint8Array, at: number, lower: boolean): number {
    let length = key.length;
    let atSign = -1;
    let i = 0;
    for (; i < length; i++) {
      let code = key.charCodeAt(i);
      if (code >= 0x80) break;
      if (code === 0x40) atSign = i;
      else if (lower && code >= 0x41 && code <= 0x5a) code |= 0x20;
      // An xn-- label's email key is its Unicode form, not its lowercase: emailKey decides.
      else if (lower && code === 0x2d && key.charCodeAt(i - 1) === 0x2d) return -1;
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
