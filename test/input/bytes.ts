/** Byte helpers for the input tests: encoders written independently of the decoders they check. */

/** The characters of bytes 0x80–0x9F in windows-1252, as the WHATWG Encoding Standard lists them. */
export const windows1252High =
  '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

/** Every character windows-1252 can hold, in byte order (one UTF-16 code unit each). */
export const windows1252Characters: readonly string[] = Array.from({ length: 256 }, (_, byte) =>
  byte >= 0x80 && byte <= 0x9f ? windows1252High.charAt(byte - 0x80) : String.fromCharCode(byte),
);

/** Encodes text of windows-1252 characters. */
export function windows1252(text: string): Uint8Array {
  return Uint8Array.from(text.split(''), (ch) => {
    const byte = windows1252Characters.indexOf(ch);
    if (byte === -1) throw new Error(`windows-1252 cannot hold ${ch}`);
    return byte;
  });
}

/** Encodes text as UTF-16 code units, little- or big-endian. */
export function utf16(text: string, endian: 'le' | 'be'): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    out[2 * i + (endian === 'le' ? 0 : 1)] = unit & 0xff;
    out[2 * i + (endian === 'le' ? 1 : 0)] = unit >> 8;
  }
  return out;
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

export function bytes(...parts: (Uint8Array | readonly number[])[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((part) => Array.from(part)));
}

/** Splits bytes at the given offsets (taken modulo the length; repeated offsets make empty chunks). */
export function splitAt(data: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const cuts = offsets.map((offset) => offset % (data.length + 1)).sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const cut of cuts) {
    chunks.push(data.subarray(from, cut));
    from = cut;
  }
  chunks.push(data.subarray(from));
  return chunks;
}

/** Whether a string survives UTF-8 encoding (it has no lone surrogate). */
export function isWellFormed(text: string): boolean {
  return new TextDecoder().decode(new TextEncoder().encode(text)) === text;
}
