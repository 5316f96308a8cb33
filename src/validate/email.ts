import { z } from 'zod';
import { HIDDEN, refuseHidden } from './email-hidden.js';
import { refuse, type EmailResult } from './email-result.js';
import { canonicalDomain, domainKey, isAscii } from './email-domain.js';
import { ATEXT_SYMBOLS, checkLocalPart, isAllDigits, isAsciiAlphanumeric, maxLabelOctets, refuseWrapped } from './email-syntax.js';
import { trimSpaces, utf8Length } from './email-text.js';
import { withPlainRule, type RuleFailure } from './plain-rule.js';
import { rollcallIssue } from './zod-params.js';

/** Choices a host makes about which addresses its mail system can deliver to. */
export interface EmailOptions {
  /**
   * Accept letters outside ASCII before the @ (`müller@bücher.de`, RFC 6531). Only set this when the mail
   * relay that sends introductions supports SMTPUTF8. Default `false`.
   */
  readonly unicodeLocalPart?: boolean;
}

/** Most bytes before the @ (RFC 5321 §4.5.3.1.1). */
export const maxLocalPartOctets = 64;
/** Most bytes in a whole address (RFC 5321's 256-octet path minus its angle brackets). */
export const maxEmailOctets = 254;

/**
 * Cleans up an email address typed in a spreadsheet and checks it is an ordinary mailbox; see
 * {@link EmailProblem} for the policy. Never throws, and runs in time linear in the input's length.
 *
 * @returns `email`, the value to store and mail to (the part before the @ as typed, the domain in its
 * UTS #46 form: lowercased, compatibility forms folded, xn-- labels shown in their letters), and `key`, which
 * two cells share exactly when they name the same mailbox, for duplicate checks (see {@link emailKey}).
 * @example
 * normaliseEmail(' Bob@Example.COM\u00a0'); // { ok: true, email: 'Bob@example.com', key: 'bob@example.com' }
 * normaliseEmail('ada@ｅxample.com'); // { ok: true, email: 'ada@example.com', key: 'ada@example.com' }
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
  const typedDomain = single ? text.slice(at + 1) : '';
  if (utf8Length(local) > maxLocalPartOctets) {
    const detail = `shorten the part before the @ to at most ${maxLocalPartOctets} characters`;
    return refuse('local_part_too_long', detail, maxLocalPartOctets);
  }
  // Lowercasing can lengthen a few letters (İ becomes i + U+0307): the limit applies to this form, and again
  // to the stored form once the domain is mapped.
  if (utf8Length(single ? `${local}@${typedDomain.toLowerCase()}` : text) > maxEmailOctets) return tooLong();

  const wrapped = refuseWrapped(text);
  if (wrapped) return wrapped;
  if (at < 0) return refuse('missing_at', 'add the @ and the domain, as in name@example.com');
  if (!single) return refuse('several_at', 'it has more than one @; put one address in the cell');
  const problem = checkLocalPart(local, options.unicodeLocalPart === true);
  if (problem) return problem;
  const domain = canonicalDomain(typedDomain);
  if ('ok' in domain) return domain;
  const email = `${local}@${domain.unicode}`;
  if (utf8Length(email) > maxEmailOctets) return tooLong();
  // emailKey(email), without mapping again the domain canonicalDomain just mapped.
  const key = isAscii(email) ? email.toLowerCase() : email.normalize('NFKC').toLowerCase();
  return { ok: true, email, key };
}

function tooLong(): EmailResult {
  return refuse('too_long', `shorten the address to at most ${maxEmailOctets} characters`, maxEmailOctets);
}

/**
 * The duplicate key of an address: the domain in its UTS #46 form (mapped, xn-- labels decoded), the whole
 * address then in NFKC and lowercased, because mail systems treat `Bob@` and `bob@` as one mailbox in
 * practice and `ｅxample.com`, `ℯxample.com` and `xn--bcher-kva.de` are spellings of `example.com` and
 * `bücher.de`. For an address {@link normaliseEmail} stored, it is that address lowercased.
 *
 * @example
 * emailKey('Bob@example.com'); // 'bob@example.com'
 * emailKey('ada@xn--bcher-kva.de'); // 'ada@bücher.de'
 */
export function emailKey(email: string): string {
  const at = email.lastIndexOf('@');
  if (isAscii(email) && !/xn--/iu.test(email.slice(at + 1))) return email.toLowerCase();
  const address = at < 0 ? email : `${email.slice(0, at)}@${domainKey(email.slice(at + 1))}`;
  return address.normalize('NFKC').toLowerCase();
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

// What an address may hold for plainAddress to accept it: RFC 5322 atext before the @ (with dots), letters,
// digits, hyphens and dots after it. 1 = local part only, 3 = both sides.
const plainChars = new Uint8Array(128);
for (const char of ATEXT_SYMBOLS) plainChars[char.charCodeAt(0)] = 1;
for (let code = 0; code < 128; code++) if (isAsciiAlphanumeric(code)) plainChars[code] = 3;
plainChars[0x2d] = 3; // -
plainChars[0x2e] = 3; // .

/**
 * The stored form of an address that is plainly valid: ASCII with nothing to trim, a dot-atom before a
 * single @, and a domain of two or more letter-digit-hyphen labels not ending in a number, none with "--" as
 * its 3rd and 4th characters, all within the length limits. {@link normaliseEmail} accepts every such address with this same stored form (NFC and the
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
      } else if (code === 0x2d && i - partStart === 3 && text.charCodeAt(i - 1) === 0x2d) {
        return undefined; // "--" as a label's 3rd and 4th characters: an xn-- label, or one IDNA refuses
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
