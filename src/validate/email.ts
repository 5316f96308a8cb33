import { z } from 'zod';
import { withPlainRule, type RuleFailure } from './plain-rule.js';
import { rollcallIssue } from './zod-params.js';

/**
 * Why an email cell was refused, one code per kind of fix the admin has to make.
 *
 * The policy, in the order the checks run:
 * 1. spaces and tabs around the address are removed (Excel cells often carry them, NBSP included), then the
 *    text is put in Unicode NFC so that `é` typed two ways is one address;
 * 2. control characters and line breaks (`control_character`), and invisible format characters such as the
 *    zero-width space, soft hyphen or bidi controls (`invisible_character`), are refused anywhere: they come
 *    from copy-paste and make two different addresses look the same;
 * 3. the domain is lowercased (domains are case-insensitive; the part before the @ keeps its case);
 * 4. at most 64 bytes before the @ (`local_part_too_long`) and 254 in all (`too_long`), counted in UTF-8
 *    (RFC 5321 §4.5.3.1 and its erratum 1690);
 * 5. the address is an ordinary mailbox: a dot-atom before the @ (RFC 5322 atext, dots only between
 *    characters) and a domain of two or more labels of letters, digits and hyphens, not ending in a number.
 *
 * Quoted local parts (`"john doe"@example.com`), comments and IP literals (`name@[192.0.2.1]`) are valid
 * RFC 5322 but are refused: a person's imported address is an ordinary mailbox, and in a spreadsheet those
 * forms are far more often pasting mistakes than real addresses. Single-label domains (`name@localhost`) are
 * refused for the same reason. Internationalised domains (`bücher.de`) are accepted as typed. Letters
 * outside ASCII before the @ (RFC 6531, `unicode_local_part`) are refused unless
 * {@link EmailOptions.unicodeLocalPart} is set, because only mail systems with SMTPUTF8 can deliver to them
 * and they are usually a misspelling (`müller@` for `mueller@`).
 */
export type EmailProblem =
  | 'blank'
  | 'control_character'
  | 'invisible_character'
  | 'local_part_too_long'
  | 'too_long'
  | 'missing_at'
  | 'several_at'
  | 'invalid_local_part'
  | 'unicode_local_part'
  | 'invalid_domain';

/** Choices a host makes about which addresses its mail system can deliver to. */
export interface EmailOptions {
  /**
   * Accept letters outside ASCII before the @ (`müller@bücher.de`, RFC 6531). Only set this when the mail
   * relay that sends introductions supports SMTPUTF8. Default `false`.
   */
  readonly unicodeLocalPart?: boolean;
}

/** The outcome of {@link normaliseEmail}: the stored address and its duplicate key, or why it was refused. */
export type EmailResult =
  | { readonly ok: true; readonly email: string; readonly key: string }
  | {
      readonly ok: false;
      readonly problem: EmailProblem;
      /** A short English phrase saying how to fix the value. */
      readonly detail: string;
      /** The byte limit that was exceeded, for the two length problems. */
      readonly limit?: number;
    };

/** Most bytes before the @ (RFC 5321 §4.5.3.1.1). */
export const maxLocalPartOctets = 64;
/** Most bytes in a whole address (RFC 5321's 256-octet path minus its angle brackets). */
export const maxEmailOctets = 254;
/** Most bytes in one label of the domain (RFC 1035). */
const maxLabelOctets = 63;

/**
 * Cleans up an email address typed in a spreadsheet and checks it is an ordinary mailbox; see
 * {@link EmailProblem} for the policy. Never throws, and runs in time linear in the input's length.
 *
 * @returns `email`, the value to store (domain lowercased), and `key`, the whole address lowercased, which
 * two cells share exactly when they name the same mailbox for duplicate checks.
 * @example
 * normaliseEmail(' Bob@Example.COM\u00a0'); // { ok: true, email: 'Bob@example.com', key: 'bob@example.com' }
 * normaliseEmail('bob@example'); // { ok: false, problem: 'invalid_domain', detail: 'complete the domain ...' }
 */
export function normaliseEmail(raw: string, options: EmailOptions = {}): EmailResult {
  const text = trimSpaces(raw).normalize('NFC');
  if (text === '') return refuse('blank', 'type the email address, as in name@example.com');

  const hidden = HIDDEN.exec(text);
  if (hidden) return refuseHidden(text, hidden.index, hidden[0]);

  const at = text.indexOf('@');
  const single = at >= 0 && !text.includes('@', at + 1);
  const local = single ? text.slice(0, at) : '';
  // Lowercasing can lengthen a few letters (İ becomes i + U+0307), so the limits apply to the stored form.
  const domain = single ? text.slice(at + 1).toLowerCase().normalize('NFC') : '';
  if (utf8Length(local) > maxLocalPartOctets) {
    const detail = `shorten the part before the @ to at most ${maxLocalPartOctets} characters`;
    return refuse('local_part_too_long', detail, maxLocalPartOctets);
  }
  const email = single ? `${local}@${domain}` : text;
  if (utf8Length(email) > maxEmailOctets) {
    return refuse('too_long', `shorten the address to at most ${maxEmailOctets} characters`, maxEmailOctets);
  }

  const wrapped = refuseWrapped(text);
  if (wrapped) return wrapped;
  if (at < 0) return refuse('missing_at', 'add the @ and the domain, as in name@example.com');
  if (!single) return refuse('several_at', 'it has more than one @; put one address in the cell');
  const problem = checkLocalPart(local, options.unicodeLocalPart === true) ?? checkDomain(domain);
  if (problem) return problem;
  return { ok: true, email, key: emailKey(email) };
}

/**
 * The duplicate key of an address {@link normaliseEmail} already accepted: the whole address lowercased,
 * because mail systems treat `Bob@` and `bob@` as one mailbox in practice.
 *
 * @example
 * emailKey('Bob@example.com'); // 'bob@example.com'
 */
export function emailKey(email: string): string {
  return email.toLowerCase();
}

/**
 * A zod schema for an email cell: it outputs the address {@link normaliseEmail} stores, or adds one issue
 * whose params carry the rollcall code (`too_long` over 254 bytes, `invalid_email` otherwise).
 *
 * Unlike `z.email().trim()`, which checks before it trims, this cleans the cell first.
 *
 * @example
 * emailSchema().parse(' Bob@Example.COM '); // 'Bob@example.com'
 */
export function emailSchema(options: EmailOptions = {}): z.ZodType<string, string> {
  const rule = (raw: string): string | RuleFailure => {
    const plain = plainAddress(raw);
    if (plain !== undefined) return plain;
    const result = normaliseEmail(raw, options);
    if (result.ok) return result.email;
    return result.problem === 'too_long'
      ? { code: 'too_long', detail: result.detail, limit: maxEmailOctets }
      : { code: 'invalid_email', detail: result.detail };
  };
  const schema = z.string().transform((raw, ctx) => {
    const out = rule(raw);
    if (typeof out === 'string') return out;
    ctx.issues.push(rollcallIssue(raw, out.code, out.detail, out.limit === undefined ? {} : { limit: out.limit }));
    return z.NEVER;
  });
  return withPlainRule(schema, rule);
}

function refuse(problem: EmailProblem, detail: string, limit?: number): EmailResult {
  return limit === undefined ? { ok: false, problem, detail } : { ok: false, problem, detail, limit };
}

// Horizontal Unicode White_Space. Line breaks are not trimmed: a cell with a line break holds more than one
// line, and which line is the address is for the admin to say.
function isSpace(code: number): boolean {
  return (
    code === 0x20 ||
    code === 0x09 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

// A loop rather than /\s+$/, which backtracks quadratically on a long run of spaces followed by a letter.
function trimSpaces(raw: string): string {
  let start = 0;
  let end = raw.length;
  while (start < end && isSpace(raw.charCodeAt(start))) start++;
  while (end > start && isSpace(raw.charCodeAt(end - 1))) end--;
  return raw.slice(start, end);
}

// Controls (Cc); format characters (Cf: zero-width space and joiners, soft hyphen, bidi marks and overrides,
// U+FEFF, tag characters...); the other default-ignorable characters, which render as nothing and are used
// to make look-alike strings (combining grapheme joiner, Hangul fillers, variation selectors); and lone
// surrogates, which no text decoder produces but a host may pass. A single character class: linear.
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}]/u;

const INVISIBLE_NAMES: Readonly<Record<number, string>> = {
  0x00ad: 'soft hyphen',
  0x200b: 'zero-width space',
  0x200c: 'zero-width non-joiner',
  0x200d: 'zero-width joiner',
  0x200e: 'left-to-right mark',
  0x200f: 'right-to-left mark',
  0x202a: 'left-to-right embedding',
  0x202b: 'right-to-left embedding',
  0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override',
  0x202e: 'right-to-left override',
  0x2060: 'word joiner',
  0x2066: 'left-to-right isolate',
  0x2067: 'right-to-left isolate',
  0x2068: 'first strong isolate',
  0x2069: 'pop directional isolate',
  0xfeff: 'zero-width no-break space',
};

function refuseHidden(text: string, index: number, char: string): EmailResult {
  const code = char.codePointAt(0) ?? 0;
  const where = index === 0 ? 'at the start' : `after "${visiblePrefix(text, index)}"`;
  if (code === 0x0a || code === 0x0d || code === 0x0b || code === 0x0c || code === 0x85) {
    return refuse('control_character', `remove the line break ${where}: put one address on one line`);
  }
  if (code === 0x09) return refuse('control_character', `remove the tab ${where}`);
  if (code >= 0xd800 && code <= 0xdfff) {
    return refuse('control_character', `retype the address: it holds a broken character ${where}`);
  }
  if (/\p{Cc}/u.test(char)) return refuse('control_character', `remove the control character ${hex(code)} ${where}`);
  const name = INVISIBLE_NAMES[code] ?? 'invisible character';
  return refuse('invisible_character', `retype the address: it holds an invisible ${name} (${hex(code)}) ${where}`);
}

// What precedes a hidden character, without other hidden characters, shortened from the left.
function visiblePrefix(text: string, index: number): string {
  const before = text.slice(0, index).replace(new RegExp(HIDDEN.source, 'gu'), '');
  return before.length > 20 ? `…${before.slice(-20)}` : before;
}

function hex(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

function utf8Length(text: string): number {
  let octets = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) octets += 1;
    else if (code < 0x800) octets += 2;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      octets += 4;
      i++;
    } else octets += 3;
  }
  return octets;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

// Recognises two things admins paste from a mail program instead of a bare address.
function refuseWrapped(text: string): EmailResult | undefined {
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
const ATEXT_SYMBOLS = "!#$%&'*+-/=?^_`{|}~";

const LETTER_MARK_NUMBER = /^[\p{L}\p{M}\p{N}]$/u;

function isAsciiAlphanumeric(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

// What an address may hold for plainAddress to accept it: RFC 5322 atext before the @ (with dots), letters,
// digits, hyphens and dots after it. 1 = local part only, 3 = both sides.
const plainChars = new Uint8Array(128);
for (const char of ATEXT_SYMBOLS) plainChars[char.charCodeAt(0)] = 1;
for (let code = 0; code < 128; code++) if (isAsciiAlphanumeric(code)) plainChars[code] = 3;
plainChars[0x2d] = 3; // -
plainChars[0x2e] = 3; // .

/**
 * The stored form of an address that is plainly valid: ASCII with nothing to trim, a dot-atom before a
 * single @, and a domain of two or more letter-digit-hyphen labels not ending in a number, all within the
 * length limits. {@link normaliseEmail} accepts every such address with this same stored form (NFC and the
 * other checks change nothing in it); for anything else, valid or not, this returns `undefined`. Nearly
 * every address in a real file is plain, so {@link emailSchema} runs this one loop before the full policy.
 *
 * @example
 * plainAddress('Bob@Example.com'); // 'Bob@example.com'
 * plainAddress(' bob@example.com'); // undefined: normaliseEmail decides
 */
export function plainAddress(text: string): string | undefined {
  const length = text.length;
  if (length === 0 || length > maxEmailOctets) return undefined;
  let at = -1;
  // Where the current dot-separated part (of the local part, then each domain label) starts.
  let partStart = 0;
  let upper = false;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128) return undefined;
    const kind = plainChars[code] ?? 0;
    if (code === 0x40) {
      if (at !== -1 || i === 0 || i > maxLocalPartOctets || i === partStart) return undefined;
      at = i;
      partStart = i + 1;
    } else if (at === -1) {
      if (kind === 0) return undefined;
      if (code === 0x2e && i === partStart) return undefined;
      if (code === 0x2e) partStart = i + 1;
    } else {
      if (kind !== 3) return undefined;
      if (code === 0x2e) {
        if (!plainLabel(text, partStart, i)) return undefined;
        partStart = i + 1;
      } else if (code >= 0x41 && code <= 0x5a) {
        upper = true;
      }
    }
  }
  // A domain of one label, or one ending in digits, takes the full path (which explains the refusal).
  if (at === -1 || partStart === at + 1 || !plainLabel(text, partStart, length) || isAllDigits(text.slice(partStart))) {
    return undefined;
  }
  return upper ? text.slice(0, at + 1) + text.slice(at + 1).toLowerCase() : text;
}

// A domain label plainAddress accepts: 1 to 63 characters, no hyphen at either end.
function plainLabel(text: string, start: number, end: number): boolean {
  return end > start && end - start <= maxLabelOctets && text.charCodeAt(start) !== 0x2d && text.charCodeAt(end - 1) !== 0x2d;
}

function checkLocalPart(local: string, unicode: boolean): EmailResult | undefined {
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

function checkDomain(domain: string): EmailResult | undefined {
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

function isAllDigits(label: string): boolean {
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
