import { toASCII, toUnicode } from 'tr46';
import { refuse, type EmailResult } from './email-result.js';
import { describeChar, isAllDigits, isAsciiAlphanumeric, LETTER_MARK_NUMBER, maxLabelOctets } from './email-syntax.js';

/** Most octets in a domain name in its ASCII form (RFC 1035, without the root's dot). */
export const maxDomainOctets = 253;

/** A domain as rollcall stores and mails it (`unicode`) and as it travels in SMTP and DNS (`ascii`). */
export interface CanonicalDomain {
  /** UTS #46 mapped (lowercased, compatibility forms folded, NFC), with xn-- labels shown as their letters. */
  readonly unicode: string;
  /** The same name with each internationalised label in its xn-- form. */
  readonly ascii: string;
}

// IDNA2008 as UTS #46 Nontransitional Processing applies it: `ß` stays `ß`, STD3 letters-digits-hyphens
// in ASCII, no hyphens in positions 3-4 but an A-label's, the bidi and joiner rules.
const strict = {
  checkHyphens: true,
  checkBidi: true,
  checkJoiners: true,
  useSTD3ASCIIRules: true,
  transitionalProcessing: false,
} as const;

/**
 * Puts the text after the @ in its canonical form, or says why IDNA (UTS #46) and rollcall's policy refuse
 * it. `ｅxample.com`, `ℯxample.com`, `𝐞xample.com`, `examplᵉ.com` all become `example.com`;
 * `xn--bcher-kva.de` and `BÜCHER.de` become `bücher.de`.
 */
export function canonicalDomain(domain: string): CanonicalDomain | EmailResult {
  return remembered(canonicalCache, domain, checkDomain);
}

/**
 * The key form of the text after an @: UTS #46 mapped, xn-- labels decoded, without refusing anything, so
 * that every spelling of one domain gives one text. A stored address's domain is already in this form.
 */
export function domainKey(domain: string): string {
  return remembered(keyCache, domain, (text) => toUnicode(text, { transitionalProcessing: false, ignoreInvalidPunycode: true }).domain);
}

// tr46 takes tens of microseconds a domain, and most rows of a file share a few domains: the answers for the
// latest ones are kept (pure functions of the text), forgotten all at once when there are too many.
const cacheSize = 4096;
const canonicalCache = new Map<string, CanonicalDomain | EmailResult>();
const keyCache = new Map<string, string>();

function remembered<T>(cache: Map<string, T>, domain: string, compute: (domain: string) => T): T {
  const known = cache.get(domain);
  if (known !== undefined) return known;
  const answer = compute(domain);
  if (cache.size >= cacheSize) cache.clear();
  cache.set(domain, answer);
  return answer;
}

function checkDomain(domain: string): CanonicalDomain | EmailResult {
  if (domain === '') return refuse('invalid_domain', 'add the domain after the @, as in name@example.com');
  if (domain.startsWith('[')) {
    return refuse('invalid_domain', 'use the mail domain, as in name@example.com, instead of an IP address');
  }
  const mapped = mapDomain(domain);
  if (typeof mapped !== 'string') return mapped;
  const labels = mapped.split('.');
  const shown: string[] = [];
  for (const [index, label] of labels.entries()) {
    const problem = checkLabel(label, index, labels.length);
    if (typeof problem !== 'string') return problem;
    shown.push(problem);
  }
  if (labels.length < 2) {
    return refuse('invalid_domain', `complete the domain "${mapped}": it needs a dot and an ending, as in example.com`);
  }
  const tld = shown[shown.length - 1] ?? '';
  if (isAllDigits(tld)) {
    return shown.every(isAllDigits)
      ? refuse('invalid_domain', 'use the mail domain, as in name@example.com, instead of an IP address')
      : refuse('invalid_domain', `correct the end of the domain: ".${tld}" is a number, not a domain ending`);
  }
  return asciiForm(shown.join('.'));
}

// UTS #46 mapping, one code point at a time (as the standard's own Map step goes), then NFC; refuses the first
// code point IDNA disallows. ASCII is only lowercased here: its other characters get rollcall's own messages.
function mapDomain(domain: string): string | EmailResult {
  let mapped = '';
  for (const char of domain) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) {
      mapped += code >= 0x41 && code <= 0x5a ? String.fromCharCode(code | 0x20) : char;
      continue;
    }
    const result = toUnicode(char, { transitionalProcessing: false });
    // A lone mark fails as a label that starts with a mark; placed in a label it may be fine.
    if (result.error && !/^\p{M}/u.test(result.domain)) {
      return refuse('invalid_domain', `remove "${char}" after the @: it cannot be part of a domain name`);
    }
    mapped += result.domain;
  }
  return mapped.normalize('NFC');
}

// Checks one mapped label; returns it as it is shown (an xn-- label decoded) or why it is refused.
function checkLabel(label: string, index: number, count: number): string | EmailResult {
  if (label === '') {
    if (index === 0) return refuse('invalid_domain', 'remove the dot just after the @');
    if (index === count - 1) return refuse('invalid_domain', 'remove the dot at the end of the address');
    return refuse('invalid_domain', 'remove the double dot (..) after the @');
  }
  if (label.length > maxLabelOctets && isAscii(label)) return tooLongLabel(label);
  if (label.startsWith('-')) return refuse('invalid_domain', `remove the hyphen at the start of "${label}"`);
  if (label.endsWith('-')) return refuse('invalid_domain', `remove the hyphen at the end of "${label}"`);
  let shown = label;
  if (label.startsWith('xn--')) {
    const decoded = toUnicode(label, strict);
    if (decoded.error || isAscii(decoded.domain)) {
      return refuse('invalid_domain', `correct "${label}": it starts with xn-- but is not a valid internationalised domain name`);
    }
    shown = decoded.domain;
  } else if (label.slice(2, 4) === '--') {
    return refuse('invalid_domain', `remove the "--" in "${label}": only xn-- names have two hyphens as the 3rd and 4th characters`);
  }
  for (const char of shown) {
    const code = char.codePointAt(0) ?? 0;
    const allowed = code < 0x80 ? isAsciiAlphanumeric(code) || char === '-' : LETTER_MARK_NUMBER.test(char);
    if (!allowed) return refuse('invalid_domain', `remove ${describeChar(char)} after the @`);
  }
  if (/^\p{M}/u.test(shown)) {
    return refuse('invalid_domain', `correct "${shown}": a part of the domain cannot start with an accent on its own`);
  }
  return mixedScripts(shown) ?? shown;
}

// Latin, Greek and Cyrillic hold letters that look the same (a, а, α); one label using two of them is how a
// look-alike of a known domain is made, and no real mail domain needs it.
const lookAlikeScripts = [
  ['Latin', /\p{Script=Latin}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
] as const;

function mixedScripts(label: string): EmailResult | undefined {
  if (isAscii(label)) return undefined;
  const found = lookAlikeScripts.filter(([, pattern]) => pattern.test(label)).map(([name]) => name);
  if (found.length < 2) return undefined;
  return refuse('invalid_domain', `correct "${label}": it mixes ${found.join(' and ')} letters, as look-alikes of other domains do`);
}

// The A-label form, with the DNS lengths checked on it, and IDNA's bidi rule over the whole name.
function asciiForm(unicode: string): CanonicalDomain | EmailResult {
  const ascii = toASCII(unicode, { ...strict, verifyDNSLength: true });
  if (ascii !== null) return { unicode, ascii };
  const shown = unicode.split('.');
  const labels = shown.map((label) => toASCII(label, { transitionalProcessing: false }) ?? label);
  const long = labels.findIndex((label) => label.length > maxLabelOctets);
  if (long >= 0) return tooLongLabel(shown[long] ?? '');
  const octets = labels.join('.').length;
  if (octets > maxDomainOctets) {
    return refuse('invalid_domain', `shorten the domain: it has ${octets} characters in its ASCII form, at most ${maxDomainOctets}`);
  }
  return refuse('invalid_domain', `correct the domain "${unicode}": it mixes right-to-left and left-to-right writing in a way domain names do not allow`);
}

function tooLongLabel(label: string): EmailResult {
  const start = Array.from(label).slice(0, 20).join('');
  const detail = `shorten "${start}…": a part of the domain between dots has at most ${maxLabelOctets} characters`;
  return refuse('invalid_domain', isAscii(label) ? detail : `${detail} in its xn-- form`);
}

export function isAscii(text: string): boolean {
  return !/[^\p{ASCII}]/u.test(text);
}
