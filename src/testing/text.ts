import { decodeWindows1252 } from '../input/windows-1252.js';

/**
 * The characters a generated value may use: any Unicode, or only what windows-1252 (Excel's "CSV (Comma
 * delimited)" on Western Windows) can hold.
 */
export type Charset = 'unicode' | 'windows-1252';

/** The text encodings an Excel dialect writes. */
export type DialectEncoding = 'utf-8' | 'windows-1252' | 'utf-16le';

const windows1252Bytes = new Map<string, number>();
{
  const all = decodeWindows1252(Uint8Array.from({ length: 256 }, (_, byte) => byte));
  for (let byte = 0; byte < 256; byte++) windows1252Bytes.set(all.charAt(byte), byte);
}

/**
 * Whether windows-1252 can hold every character of a text.
 *
 * @example
 * canEncodeWindows1252('Seán O’Brien'); // true
 * canEncodeWindows1252('Łukasz'); // false
 */
export function canEncodeWindows1252(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (!windows1252Bytes.has(text.charAt(i))) return false;
  }
  return true;
}

/** Whether a text can be held in a charset. */
export function fitsCharset(text: string, charset: Charset): boolean {
  return charset === 'unicode' || canEncodeWindows1252(text);
}

/**
 * Encodes text as a dialect writes it: UTF-8 (with `EF BB BF` when `bom`), windows-1252 (never a BOM; every
 * character must fit, see {@link canEncodeWindows1252}), or UTF-16LE (always with `FF FE`, as Excel's
 * "Unicode Text"). Throws a `RangeError` for a character windows-1252 cannot hold.
 *
 * @example
 * encodeText('Zoë', 'windows-1252', false); // Uint8Array [0x5a, 0x6f, 0xeb]
 */
export function encodeText(text: string, encoding: DialectEncoding, bom: boolean): Uint8Array {
  switch (encoding) {
    case 'utf-8': {
      const body = new TextEncoder().encode(text);
      if (!bom) return body;
      const out = new Uint8Array(body.length + 3);
      out.set([0xef, 0xbb, 0xbf]);
      out.set(body, 3);
      return out;
    }
    case 'windows-1252': {
      const out = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) {
        const byte = windows1252Bytes.get(text.charAt(i));
        if (byte === undefined) throw new RangeError(`windows-1252 cannot hold ${JSON.stringify(text.charAt(i))}`);
        out[i] = byte;
      }
      return out;
    }
    case 'utf-16le': {
      const out = new Uint8Array(2 + text.length * 2);
      out[0] = 0xff;
      out[1] = 0xfe;
      for (let i = 0; i < text.length; i++) {
        const unit = text.charCodeAt(i);
        out[2 + i * 2] = unit & 0xff;
        out[3 + i * 2] = unit >> 8;
      }
      return out;
    }
  }
}

/**
 * Whether a string has no lone surrogate, so that it survives being written to a file in any Unicode
 * encoding (a lone surrogate becomes U+FFFD).
 */
export function isWellFormed(text: string): boolean {
  return !/\p{Cs}/u.test(text);
}
