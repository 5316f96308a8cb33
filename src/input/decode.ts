import type { Encoding } from '../report/summary.js';
import { RollcallError } from '../rollcall-error.js';
import { concatBytes } from './concat-bytes.js';
import { createUtf8Decoder, isUtf8, type Utf8Decoder } from './utf-8.js';
import { decodeWindows1252 } from './windows-1252.js';

/** A streaming decoder from the bytes of a file to its text, which detects the file's encoding as it reads. */
export interface Decoder {
  /** Decodes a chunk. Text may be held back until the encoding is known or a character is complete. */
  write(bytes: Uint8Array): string;
  /** Decodes what is left at the end of the file. */
  end(): string;
  /** The encoding, once known: `null` while every byte read so far is ASCII (and before the end). */
  readonly encoding: Encoding | null;
  /** Whether the file starts with a byte order mark (which is not part of the text). */
  readonly bom: boolean;
  /** Invalid sequences replaced by U+FFFD in a file read as UTF-8. */
  readonly invalidSequences: number;
  /** Whether a NUL byte was read in a file without a UTF-16 byte order mark: a sign of a binary file. */
  readonly nulByte: boolean;
}

/** Options of {@link createDecoder}. */
export interface DecoderOptions {
  /** How many bytes, from the first non-ASCII byte on, are read before the encoding is judged. Default 4096. */
  readonly lookahead?: number;
}

/** What decodes the text once the encoding is known. */
interface TextDecoding {
  write(bytes: Uint8Array): string;
  end(): string;
}

interface ByteOrderMark {
  readonly encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
  readonly bytes: readonly number[];
}

const byteOrderMarks: readonly ByteOrderMark[] = [
  { encoding: 'utf-8', bytes: [0xef, 0xbb, 0xbf] },
  { encoding: 'utf-16le', bytes: [0xff, 0xfe] },
  { encoding: 'utf-16be', bytes: [0xfe, 0xff] },
];

const ascii = new TextDecoder('utf-8');

/**
 * Creates a streaming decoder for a file that may be UTF-8, UTF-16 or windows-1252, as Excel writes them.
 *
 * A byte order mark decides the encoding (and is dropped). Without one, ASCII text is the same in every
 * encoding, so the decoder waits for the first non-ASCII byte and reads `lookahead` bytes from it: if they are
 * all valid UTF-8 the file is UTF-8, otherwise windows-1252. A file of only ASCII is UTF-8. The text, the
 * encoding and every flag are the same however the bytes are split into chunks.
 *
 * @example
 * const decoder = createDecoder();
 * const text = decoder.write(new Uint8Array([0x4f, 0x92, 0x42, 0x72, 0x69, 0x65, 0x6e])) + decoder.end();
 * // text === 'O’Brien', decoder.encoding === 'windows-1252'
 */
export function createDecoder(options: DecoderOptions = {}): Decoder {
  const lookahead = options.lookahead ?? 4096;
  if (!Number.isSafeInteger(lookahead) || lookahead < 1) {
    const message = `lookahead must be a positive whole number of bytes, not ${String(lookahead)}`;
    throw new RollcallError('invalid_option', message);
  }
  return new EncodingDetectingDecoder(lookahead);
}

class EncodingDetectingDecoder implements Decoder {
  readonly #lookahead: number;
  /**
   * `bom`: fewer bytes than a byte order mark read so far; `ascii`: only ASCII so far; `lookahead`: holding
   * bytes from the first non-ASCII one until the encoding can be judged; `decided`: decoding; `ended`.
   */
  #phase: 'bom' | 'ascii' | 'lookahead' | 'decided' | 'ended' = 'bom';
  /** Bytes held back in the `bom` and `lookahead` phases. */
  #pending: Uint8Array[] = [];
  #pendingLength = 0;
  #decoding: TextDecoding | null = null;
  #utf8: Utf8Decoder | null = null;
  #encoding: Encoding | null = null;
  #bom = false;
  #nulByte = false;

  constructor(lookahead: number) {
    this.#lookahead = lookahead;
  }

  get encoding(): Encoding | null {
    return this.#encoding;
  }

  get bom(): boolean {
    return this.#bom;
  }

  get invalidSequences(): number {
    return this.#utf8?.invalidSequences ?? 0;
  }

  get nulByte(): boolean {
    return this.#nulByte;
  }

  write(bytes: Uint8Array): string {
    if (this.#phase === 'ended') throw new RollcallError('invalid_option', 'the decoder was written to after end()');
    if (bytes.length === 0) return '';
    if (this.#phase !== 'bom') return this.#read(bytes);
    this.#hold(bytes);
    const bomLength = this.#matchByteOrderMark(false);
    if (bomLength === null) return '';
    return this.#read(this.#takePending().subarray(bomLength));
  }

  end(): string {
    if (this.#phase === 'ended') throw new RollcallError('invalid_option', 'the decoder was ended twice');
    let text = '';
    if (this.#phase === 'bom') {
      const bomLength = this.#matchByteOrderMark(true) ?? 0;
      text += this.#read(this.#takePending().subarray(bomLength));
    }
    if (this.#phase === 'ascii') {
      this.#encoding = 'utf-8';
    } else if (this.#phase === 'lookahead') {
      const held = this.#takePending();
      this.#decide(held, true);
      text += this.#decoding?.write(held) ?? '';
    }
    text += this.#decoding?.end() ?? '';
    this.#phase = 'ended';
    return text;
  }

  /** Reads bytes after the byte order mark (or its absence) is known. */
  #read(bytes: Uint8Array): string {
    if (bytes.length === 0) return '';
    if (!this.#nulByte && this.#encoding !== 'utf-16le' && this.#encoding !== 'utf-16be' && bytes.includes(0)) {
      this.#nulByte = true;
    }
    switch (this.#phase) {
      case 'decided':
        return this.#decoding?.write(bytes) ?? '';
      case 'ascii': {
        const first = firstNonAscii(bytes);
        if (first === bytes.length) return ascii.decode(bytes);
        this.#phase = 'lookahead';
        return ascii.decode(bytes.subarray(0, first)) + this.#read(bytes.subarray(first));
      }
      case 'lookahead': {
        this.#hold(bytes);
        if (this.#pendingLength < this.#lookahead) return '';
        const held = this.#takePending();
        // The window ends at a fixed distance from the first non-ASCII byte, so the verdict does not depend on
        // how the bytes were chunked.
        this.#decide(held.subarray(0, this.#lookahead), false);
        return this.#decoding?.write(held) ?? '';
      }
      default:
        return '';
    }
  }

  /**
   * The length of the byte order mark at the start of the held bytes: 0 when there is none, `null` when the
   * bytes so far are the start of one (only when `final` is false).
   */
  #matchByteOrderMark(final: boolean): number | null {
    const head = concatBytes(this.#pending).subarray(0, 3);
    for (const mark of byteOrderMarks) {
      const matched = head.length >= mark.bytes.length ? mark.bytes.length : head.length;
      if (!mark.bytes.slice(0, matched).every((byte, i) => head[i] === byte)) continue;
      if (matched < mark.bytes.length) {
        if (final) continue;
        return null;
      }
      this.#bom = true;
      this.#encoding = mark.encoding;
      this.#phase = 'decided';
      if (mark.encoding === 'utf-8') {
        this.#utf8 = createUtf8Decoder();
        this.#decoding = this.#utf8;
      } else {
        this.#decoding = utf16(mark.encoding);
      }
      return mark.bytes.length;
    }
    this.#phase = 'ascii';
    return 0;
  }

  /** Judges the encoding from the bytes after the first non-ASCII one. */
  #decide(window: Uint8Array, complete: boolean): void {
    this.#phase = 'decided';
    if (isUtf8(window, complete)) {
      this.#encoding = 'utf-8';
      this.#utf8 = createUtf8Decoder();
      this.#decoding = this.#utf8;
    } else {
      this.#encoding = 'windows-1252';
      this.#decoding = { write: decodeWindows1252, end: () => '' };
    }
  }

  /** Keeps a copy of bytes for later: the caller may reuse its buffer. */
  #hold(bytes: Uint8Array): void {
    this.#pending.push(bytes.slice());
    this.#pendingLength += bytes.length;
  }

  #takePending(): Uint8Array {
    const held = this.#pending.length === 1 ? (this.#pending[0] ?? new Uint8Array()) : concatBytes(this.#pending);
    this.#pending = [];
    this.#pendingLength = 0;
    return held;
  }
}

/** A UTF-16 decoding that keeps code units and surrogate pairs split across chunks. */
function utf16(encoding: 'utf-16le' | 'utf-16be'): TextDecoding {
  const decoder = new TextDecoder(encoding, { ignoreBOM: true });
  return {
    write: (bytes) => decoder.decode(bytes, { stream: true }),
    end: () => decoder.decode(),
  };
}

function firstNonAscii(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) {
    if ((bytes[i] ?? 0) >= 0x80) return i;
  }
  return bytes.length;
}
