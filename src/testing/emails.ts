import fc from 'fast-check';
import type { Charset } from './text.js';

const localWords = ['ada', 'grace', 'o\'brien', 'j.smith', 'anne-marie', 'x_y', 'ann+news', 'li', 'zoe', 'first.last', 'a1', '-jo', '=sum'];
const asciiLetters = 'abcdefghijklmnopqrstuvwxyz0123456789';
const atextSymbols = "!#$%&'*+-/=?^_`{|}~";
const domainWords = ['example', 'mail', 'uni-bonn', 'co', 'acme', 'b2b', 'x'];
const idnLabels = { unicode: ['bücher', 'münchen', 'straße', 'россия', '例え', 'ελλάδα', 'çé'], 'windows-1252': ['bücher', 'münchen', 'straße', 'çé'] };
const endings = { unicode: ['com', 'org', 'de', 'co.uk', 'fr', 'io', 'museum', 'рф'], 'windows-1252': ['com', 'org', 'de', 'co.uk', 'fr', 'io', 'museum'] };

const atom = fc.oneof(
  fc.constantFrom(...localWords),
  fc.string({ unit: fc.constantFrom(...Array.from(asciiLetters + atextSymbols)), minLength: 1, maxLength: 10 }),
);

const label = (charset: Charset): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...domainWords, ...idnLabels[charset]),
    fc
      .tuple(
        fc.string({ unit: fc.constantFrom(...Array.from(asciiLetters)), minLength: 1, maxLength: 8 }),
        fc.option(fc.string({ unit: fc.constantFrom(...Array.from(`${asciiLetters}-`)), minLength: 1, maxLength: 6 }), { nil: '' }),
        fc.constantFrom(...Array.from(asciiLetters)),
      )
      .map(([start, middle, end]) => (middle === '' ? start : `${start}${middle}${end}`))
      // "--" as the 3rd and 4th characters is kept for xn-- labels.
      .filter((text) => text.slice(2, 4) !== '--'),
  );

/**
 * An email address that rollcall's email column accepts and stores as it is: an ordinary mailbox (a
 * dot-atom before the @ with letters, digits and RFC 5322 symbols such as `'` `+` `=`; a domain of two or
 * more labels, some internationalised), after the @ in the form it is stored in (UTS #46: lower case, xn--
 * labels in their letters), well under the length limits.
 *
 * @example
 * fc.sample(emailAddress(), 2); // e.g. ["o'brien@bücher.de", 'x.=k@acme.co.uk']
 */
export function emailAddress(options: { readonly charset?: Charset } = {}): fc.Arbitrary<string> {
  const charset = options.charset ?? 'unicode';
  const local = fc.array(atom, { minLength: 1, maxLength: 3 }).map((atoms) => atoms.join('.'));
  const domain = fc
    .tuple(fc.array(label(charset), { minLength: 1, maxLength: 2 }), fc.constantFrom(...endings[charset]))
    .map(([labels, ending]) => [...labels, ending].join('.'));
  return fc.tuple(local, domain).map(([l, d]) => `${l}@${d}`);
}

/** How {@link invalidEmailAddress} breaks a valid address; each way gives `invalid_email`. */
const breakages: readonly ((local: string, domain: string) => string)[] = [
  (local, domain) => `${local}${domain}`,
  (local, domain) => `${local}@@${domain}`,
  (local, domain) => `${local}@${domain}@${domain}`,
  (local, domain) => `mailto:${local}@${domain}`,
  (local, domain) => `Ada Lovelace <${local}@${domain}>`,
  (local, domain) => `${local} x@${domain}`,
  (local, domain) => `.${local}@${domain}`,
  (local, domain) => `${local}@${domain.replace(/\..*$/u, '')}`,
  (local, domain) => `${local}@${domain}.`,
  (local, domain) => `${local}@-${domain}`,
  (local, domain) => `"${local}"@${domain}`,
  (local) => `${local}@[192.0.2.1]`,
];

/** A zero-width space pasted into the address: refused as invisible. Not in windows-1252. */
const hiddenCharacter = (local: string, domain: string): string => `${local}\u200b@${domain}`;

/**
 * A text that looks like an email address but that rollcall refuses with `invalid_email` (never `too_long`
 * and never blank): no @, two @, `mailto:`, a display name, a space, a leading dot, a single-label domain,
 * a trailing dot, a zero-width space, a quoted local part, an IP literal.
 *
 * @example
 * fc.sample(invalidEmailAddress(), 2); // e.g. ['mailto:ada@example.com', 'ann@example']
 */
export function invalidEmailAddress(options: { readonly charset?: Charset } = {}): fc.Arbitrary<string> {
  const charset = options.charset ?? 'unicode';
  const ways = charset === 'unicode' ? [...breakages, hiddenCharacter] : breakages;
  return fc
    .tuple(emailAddress({ charset }), fc.constantFrom(...ways))
    .map(([email, broken]) => {
      const at = email.indexOf('@');
      return broken(email.slice(0, at), email.slice(at + 1));
    });
}
