import { refuse, type EmailResult } from './email-result.js';
import { isSpace, utf8Length } from './email-text.js';

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

const LETTER_MARK_NUMBER = /^[\p{L}\p{M}\p{N}]$/u;

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
  return undefined;
}

export function checkDomain(domain: string): EmailResult | undefined {
  if (domain === '') return refuse('invalid_domain', 'add the domain after the @, as in name@example.com');
  if (domain.startsWith('[')) {
    return refuse('invalid_domain', 'use the mail domain, as in name@example.com, instead of an IP address');
  }
  const labels = domain.split('.');
  for (const [index, label] of labels.entries()) {
    const problem = checkLabel(label, index, labels.length);
    if (problem) return problem;
  }
  const tld = labels[labels.length - 1] ?? '';
  if (labels.length < 2) {
    return refuse('invalid_domain', `complete the domain "${domain}": it needs a dot and an ending, as in example.com`);
  }
  if (isAllDigits(tld)) {
    return labels.every(isAllDigits)
      ? refuse('invalid_domain', 'use the mail domain, as in name@example.com, instead of an IP address')
      : refuse('invalid_domain', `correct the end of the domain: ".${tld}" is a number, not a domain ending`);
  }
  return undefined;
}

function checkLabel(label: string, index: number, count: number): EmailResult | undefined {
  if (label === '') {
    if (index === 0) return refuse('invalid_domain', 'remove the dot just after the @');
    if (index === count - 1) return refuse('invalid_domain', 'remove the dot at the end of the address');
    return refuse('invalid_domain', 'remove the double dot (..) after the @');
  }
  if (utf8Length(label) > maxLabelOctets) {
    const start = Array.from(label).slice(0, 20).join('');
    const detail = `shorten "${start}…": a part of the domain between dots has at most ${maxLabelOctets} characters`;
    return refuse('invalid_domain', detail);
  }
  if (label.startsWith('-')) return refuse('invalid_domain', `remove the hyphen at the start of "${label}"`);
  if (label.endsWith('-')) return refuse('invalid_domain', `remove the hyphen at the end of "${label}"`);
  for (const char of label) {
    const code = char.codePointAt(0) ?? 0;
    const allowed = code < 0x80 ? isAsciiAlphanumeric(code) || char === '-' : LETTER_MARK_NUMBER.test(char);
    if (!allowed) return refuse('invalid_domain', `remove ${describeChar(char)} after the @`);
  }
  if (/^\p{M}/u.test(label)) {
    return refuse('invalid_domain', `correct "${label}": a part of the domain cannot start with an accent on its own`);
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

function describeChar(char: string): string {
  if (isSpace(char.codePointAt(0) ?? 0)) return 'the space';
  if (char === '"') return 'the quotation mark (")';
  return `the "${char}"`;
}
