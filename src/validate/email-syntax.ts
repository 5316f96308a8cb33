import { refuse, type EmailResult } from './email-result.js';
import { isSpace } from './email-text.js';

/** Most bytes in one label of the domain (RFC 1035). */
export const maxLabelOctets = 63;

// Recognises two things admins paste from a mail program instead of a bare address.
export function refuseWrapped(text: string): EmailResult | undefined {
  const open = text.lastIndexOf('<');
  const close = text.lastIndexOf('>');
  if (open >= 0 && close > open) {
    const inner = text.slice(open + 1, close).trim();
    if (inner.includes('@')) return refuse('invalid_local_part', `keep only the address between < and >: "${inner}"`);
  }
  if (text.slice(0, 7).toLowerCase() === 'mailto:') {
    return refuse('invalid_local_part', 'remove "mailto:" in front of the address');
  }
  return undefined;
}

// RFC 5322 atext: the ASCII characters allowed in a dot-atom besides letters and digits.
export const ATEXT_SYMBOLS = "!#$%&'*+-/=?^_`{|}~";

export const LETTER_MARK_NUMBER = /^[\p{L}\p{M}\p{N}]$/u;

export function isAsciiAlphanumeric(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

export function checkLocalPart(local: string, unicode: boolean): EmailResult | undefined {
  if (local === '') return refuse('invalid_local_part', 'add the name before the @, as in name@example.com');
  if (local.startsWith('"')) return refuse('invalid_local_part', 'write the address without quotation marks');
  let nonAscii: string | undefined;
  let previous = '';
  for (const char of local) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '.') {
      if (previous === '') return refuse('invalid_local_part', 'remove the dot at the start of the address');
      if (previous === '.') return refuse('invalid_local_part', 'remove the double dot (..) before the @');
    } else if (code >= 0x80 && LETTER_MARK_NUMBER.test(char)) {
      nonAscii ??= char;
    } else if (!isAsciiAlphanumeric(code) && !ATEXT_SYMBOLS.includes(char)) {
      return refuse('invalid_local_part', `remove ${describeChar(char)} before the @`);
    }
    previous = char;
  }
  if (previous === '.') return refuse('invalid_local_part', 'remove the dot just before the @');
  if (nonAscii !== undefined && !unicode) {
    return refuse(
      'unicode_local_part',
      `check the spelling before the @: most mail systems cannot deliver to an address with "${nonAscii}" there`,
    );
  }
  // The receiving server decides what the part before the @ means, so rollcall does not fold it: a
  // compatibility form (full-width, mathematical, superscript letters) is refused rather than guessed at.
  if (nonAscii !== undefined && local.normalize('NFKC') !== local) {
    for (const char of local) {
      const plain = char.normalize('NFKC');
      if (plain !== char) return refuse('invalid_local_part', `type "${plain}" instead of "${char}" before the @`);
    }
  }
  return undefined;
}

export function isAllDigits(label: string): boolean {
  for (let i = 0; i < label.length; i++) {
    const code = label.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

export function describeChar(char: string): string {
  if (isSpace(char.codePointAt(0) ?? 0)) return 'the space';
  if (char === '"') return 'the quotation mark (")';
  return `the "${char}"`;
}
