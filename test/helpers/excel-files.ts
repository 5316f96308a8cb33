/**
 * Byte-exact files as Excel writes them, built from text, for the validator's tests.
 */

import { encodeText } from '../../src/testing/text.js';

/** "CSV UTF-8 (Comma delimited)": UTF-8 with a BOM. */
export function csvUtf8(text: string): Uint8Array {
  return encodeText(text, 'utf-8', true);
}

/** Plain UTF-8 without a BOM (most non-Excel tools). */
export function plainUtf8(text: string): Uint8Array {
  return encodeText(text, 'utf-8', false);
}

/** "CSV (Comma delimited)": windows-1252, no BOM. Throws for characters windows-1252 cannot hold. */
export function csvWindows1252(text: string): Uint8Array {
  return encodeText(text, 'windows-1252', false);
}

/** "Unicode Text": UTF-16LE with a BOM (tab-separated by Excel). */
export function unicodeText(text: string): Uint8Array {
  return encodeText(text, 'utf-16le', true);
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
