/**
 * Byte-exact files as Excel writes them, built from text, for the validator's tests.
 */

const utf8 = new TextEncoder();

/** "CSV UTF-8 (Comma delimited)": UTF-8 with a BOM. */
export function csvUtf8(text: string): Uint8Array {
  return concat(new Uint8Array([0xef, 0xbb, 0xbf]), utf8.encode(text));
}

/** Plain UTF-8 without a BOM (most non-Excel tools). */
export function plainUtf8(text: string): Uint8Array {
  return utf8.encode(text);
}

const cp1252High: Readonly<Record<string, number>> = {
  '€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88, '‰': 0x89,
  'Š': 0x8a, '‹': 0x8b, 'Œ': 0x8c, 'Ž': 0x8e, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95,
  '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9a, '›': 0x9b, 'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f,
};

/** "CSV (Comma delimited)": windows-1252, no BOM. Throws for characters windows-1252 cannot hold. */
export function csvWindows1252(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    const code = text.charCodeAt(i);
    const mapped = cp1252High[ch] ?? (code < 0x80 || (code >= 0xa0 && code <= 0xff) ? code : undefined);
    if (mapped === undefined) throw new Error(`windows-1252 cannot hold ${ch}`);
    out[i] = mapped;
  }
  return out;
}

/** "Unicode Text": UTF-16LE with a BOM (tab-separated by Excel). */
export function unicodeText(text: string): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out[0] = 0xff;
  out[1] = 0xfe;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out[2 + i * 2] = code & 0xff;
    out[3 + i * 2] = code >> 8;
  }
  return out;
}

/** UTF-16BE with a BOM. */
export function utf16be(text: string): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out[0] = 0xfe;
  out[1] = 0xff;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out[2 + i * 2] = code >> 8;
    out[3 + i * 2] = code & 0xff;
  }
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Splits bytes at the given sizes (the rest is the last chunk), to feed as a stream. */
export function chunked(bytes: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const size of sizes) {
    chunks.push(bytes.slice(at, at + size));
    at += size;
  }
  chunks.push(bytes.slice(at));
  return chunks;
}
