import { concatBytes } from './concat-bytes.js';

/** Decodes UTF-8 text, throwing at the first invalid sequence: the fast way to learn that there is none. */
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** Decodes UTF-8 text, replacing each invalid sequence by U+FFFD. */
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });

/** A streaming UTF-8 decoder that counts the invalid sequences it replaces. */
export interface Utf8Decoder {
  /** Decodes a chunk; a character split across chunks is decoded when its last byte arrives. */
  write(bytes: Uint8Array): string;
  /** Decodes what is left; a character cut off by the end of the input is one invalid sequence. */
  end(): string;
  /** The number of invalid sequences replaced by U+FFFD so far. */
  readonly invalidSequences: number;
}

/**
 * Creates a streaming UTF-8 decoder that replaces invalid sequences by U+FFFD, as `TextDecoder` does, and
 * counts them. The output and the count do not depend on how the input is chunked.
 *
 * @example
 * const decoder = createUtf8Decoder();
 * decoder.write(new Uint8Array([0x4a, 0xc3])) + decoder.write(new Uint8Array([0xa9, 0xff])) + decoder.end();
 * // 'Jé\uFFFD', with decoder.invalidSequences === 1
 */
export function createUtf8Decoder(): Utf8Decoder {
  let carry: Uint8Array | null = null;
  let invalidSequences = 0;

  // Non-streaming `TextDecoder` calls on whole sequences only: the tail of a chunk that may still become a
  // character waits for the next chunk. That keeps the counting pass, which only runs on chunks that are not
  // valid UTF-8, free of state.
  const decode = (bytes: Uint8Array): string => {
    try {
      return strict.decode(bytes);
    } catch {
      invalidSequences += countInvalidSequences(bytes);
      return lenient.decode(bytes);
    }
  };

  return {
    write(bytes) {
      const data: Uint8Array = carry === null ? bytes : concatBytes([carry, bytes]);
      const whole = data.length - incompleteTail(data);
      carry = whole < data.length ? data.slice(whole) : null;
      return decode(data.subarray(0, whole));
    },
    end() {
      if (carry === null) return '';
      const rest = carry;
      carry = null;
      return decode(rest);
    },
    get invalidSequences() {
      return invalidSequences;
    },
  };
}

/**
 * Whether bytes are valid UTF-8. When `complete` is `false` the bytes are the start of a longer input, and a
 * character cut off by their end counts as valid.
 *
 * @example
 * isUtf8(new Uint8Array([0x4a, 0xc3]), false); // true: 0xC3 may be completed by the next byte
 * isUtf8(new Uint8Array([0x4a, 0xc3]), true); // false
 */
export function isUtf8(bytes: Uint8Array, complete: boolean): boolean {
  const whole = complete ? bytes : bytes.subarray(0, bytes.length - incompleteTail(bytes));
  try {
    strict.decode(whole);
    return true;
  } catch {
    return false;
  }
}

/**
 * The length of the sequence at the end of `bytes` that is valid so far but needs more bytes (0 to 3).
 *
 * A lead byte always starts a new sequence in the WHATWG decoder, so only the last three bytes matter.
 */
function incompleteTail(bytes: Uint8Array): number {
  const from = Math.max(0, bytes.length - 3);
  let needed = 0;
  let start = 0;
  const state = { lower: 0x80, upper: 0xbf };
  for (let i = from; i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    if (needed === 0) {
      needed = sequenceStart(byte, state);
      start = i;
    } else if (byte >= state.lower && byte <= state.upper) {
      needed--;
      state.lower = 0x80;
      state.upper = 0xbf;
    } else {
      needed = sequenceStart(byte, state);
      start = i;
    }
  }
  return needed > 0 ? bytes.length - start : 0;
}

/**
 * Counts the U+FFFD that `TextDecoder` puts in place of invalid sequences, by the WHATWG UTF-8 decoder's
 * rules (a maximal invalid subpart is one error; a byte that breaks a sequence starts the next one).
 */
function countInvalidSequences(bytes: Uint8Array): number {
  let errors = 0;
  let needed = 0;
  const state = { lower: 0x80, upper: 0xbf };
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    if (needed === 0) {
      if (byte < 0x80) continue;
      needed = sequenceStart(byte, state);
      if (needed === 0) errors++;
    } else if (byte >= state.lower && byte <= state.upper) {
      needed--;
      state.lower = 0x80;
      state.upper = 0xbf;
    } else {
      errors++;
      needed = 0;
      state.lower = 0x80;
      state.upper = 0xbf;
      i--; // the byte that broke the sequence is read again as the start of the next one
    }
  }
  return needed > 0 ? errors + 1 : errors;
}

/**
 * The continuation bytes a byte announces as the start of a sequence (0 for ASCII and for bytes that cannot
 * start one), setting the allowed range of the next byte: the narrower ranges after E0, ED, F0 and F4 exclude
 * overlong forms, surrogates and code points above U+10FFFF.
 */
function sequenceStart(byte: number, state: { lower: number; upper: number }): number {
  state.lower = 0x80;
  state.upper = 0xbf;
  if (byte >= 0xc2 && byte <= 0xdf) return 1;
  if (byte >= 0xe0 && byte <= 0xef) {
    if (byte === 0xe0) state.lower = 0xa0;
    if (byte === 0xed) state.upper = 0x9f;
    return 2;
  }
  if (byte >= 0xf0 && byte <= 0xf4) {
    if (byte === 0xf0) state.lower = 0x90;
    if (byte === 0xf4) state.upper = 0x8f;
    return 3;
  }
  return 0;
}
