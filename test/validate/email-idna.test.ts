import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { column } from '../../src/schema/column.js';
import { defineSchema } from '../../src/schema/define-schema.js';
import { emailKey, emailSchema, normaliseEmail } from '../../src/validate/email.js';
import { validateFile } from '../../src/validate/validate-rows.js';
import { rollcallParams } from '../../src/validate/zod-params.js';

// Issue 27, finding 2: spellings of one mailbox imported as several users.
const lookAlikes = [
  ['full-width e', 'ada@\uff45xample.com'],
  ['script small e (ℯ)', 'ada@\u212fxample.com'],
  ['mathematical bold e (𝐞)', 'ada@\u{1d41e}xample.com'],
  ['modifier letter small e (ᵉ)', 'ada@exampl\u1d49.com'],
  ['ideographic full stop', 'ada@example\u3002com'],
  ['capitals', 'ADA@EXAMPLE.COM'],
] as const;

describe('issue 27 finding 2: one mailbox, one key', () => {
  it.each(lookAlikes)('stores %s as ada@example.com, with its key', (_, raw) => {
    const result = normaliseEmail(raw);
    expect(result).toMatchObject({ ok: true, key: 'ada@example.com' });
    expect(result.ok && result.email.toLowerCase()).toBe('ada@example.com');
    expect(emailKey(raw)).toBe('ada@example.com');
  });

  it('gives ada@bücher.de and ada@xn--bcher-kva.de one key and one stored form', () => {
    expect(normaliseEmail('ada@xn--bcher-kva.de')).toEqual({ ok: true, email: 'ada@bücher.de', key: 'ada@bücher.de' });
    expect(normaliseEmail('ada@BÜCHER.de')).toEqual({ ok: true, email: 'ada@bücher.de', key: 'ada@bücher.de' });
    expect(emailKey('Ada@XN--BCHER-KVA.DE')).toBe('ada@bücher.de');
  });

  it('refuses the look-alike file as duplicate_in_file, each spelling pointing at the first row', async () => {
    const rows = ['Ada,Real,ada@example.com', ...lookAlikes.map(([, email], i) => `Ada,Look${String(i)},${email}`)];
    const summary = await validateFile(`First Name,Last Name,Email\r\n${rows.join('\r\n')}\r\n`);
    expect(summary.errors.map((e) => [e.row, e.code, e.firstRow])).toEqual(
      lookAlikes.map((_, i) => [i + 3, 'duplicate_in_file', 2]),
    );
  });

  it('refuses ada@xn--bcher-kva.de beside ada@bücher.de as duplicate_in_file', async () => {
    const summary = await validateFile('First Name,Last Name,Email\r\nAda,A,ada@bücher.de\r\nAda,B,ada@xn--bcher-kva.de\r\n');
    expect(summary.errors).toMatchObject([{ row: 3, code: 'duplicate_in_file', firstRow: 2 }]);
  });

  it('finds xn-- and Unicode spellings in a column of plain text keyed by emailKey', async () => {
    const schema = defineSchema({ contact: column({ label: 'Contact', schema: z.string(), unique: true, uniqueKey: emailKey }) });
    const summary = await validateFile('Contact\r\nada@bücher.de\r\nADA@XN--BCHER-KVA.DE\r\n', { schema });
    expect(summary.errors).toMatchObject([{ row: 3, code: 'duplicate_in_file', firstRow: 2 }]);
  });
});

describe('issue 27 finding 2: a domain IDNA refuses is an invalid_email with its reason', () => {
  // A label of Latin, Han and Hangul letters whose xn-- form (19 characters) is longer than its UTF-8 (12 bytes).
  const wide = 'ıü例ö가';
  it.each([
    ['a disallowed code point', 'ada@\u2488.com', 'remove "\u2488" after the @: it cannot be part of a domain name'],
    ['an invalid A-label', 'ada@xn--0.com', 'correct "xn--0": it starts with xn-- but is not a valid internationalised domain name'],
    ['an A-label that decodes to nothing', 'ada@xn--abc.com', 'correct "xn--abc": it starts with xn-- but is not a valid internationalised domain name'],
    ['an A-label of a symbol', 'ada@xn--ls8h.com', 'remove the "\u{1f4a9}" after the @'],
    ['"--" in positions 3-4', 'ada@ab--cd.com', 'remove the "--" in "ab--cd": only xn-- names have two hyphens as the 3rd and 4th characters'],
    ['a label over 63 octets in its xn-- form', `ada@${'ü'.repeat(60)}.de`, `shorten "${'ü'.repeat(20)}…": a part of the domain between dots has at most 63 characters in its xn-- form`],
    ['a name over 253 octets in its ASCII form', `ada@${`${wide}.`.repeat(13)}com`, 'shorten the domain: it has 263 characters in its ASCII form, at most 253'],
    ['a label mixing Latin and Cyrillic', 'ada@p\u0430ypal.com', 'correct "p\u0430ypal": it mixes Latin and Cyrillic letters, as look-alikes of other domains do'],
    ['a bidi domain IDNA refuses', 'ada@1\u05d0\u05d1.com', 'correct the domain "1\u05d0\u05d1.com": it mixes right-to-left and left-to-right writing in a way domain names do not allow'],
  ])('refuses %s', (_, raw, detail) => {
    expect(normaliseEmail(raw)).toEqual({ ok: false, problem: 'invalid_domain', detail });
    const issue = emailSchema().safeParse(raw).error?.issues[0];
    expect(issue?.message).toBe(detail);
    expect(issue && rollcallParams(issue)).toEqual({ code: 'invalid_email', detail });
  });

  it('keeps a domain of 253 octets or fewer in its ASCII form', () => {
    expect(normaliseEmail(`ada@${`${wide}.`.repeat(12)}com`).ok).toBe(true);
  });

  it('refuses compatibility letters before the @, which only the receiving server may interpret', () => {
    expect(normaliseEmail('\uff41da@example.com', { unicodeLocalPart: true })).toEqual({
      ok: false,
      problem: 'invalid_local_part',
      detail: 'type "a" instead of "\uff41" before the @',
    });
    expect(normaliseEmail('j\u00fcrgen@example.com', { unicodeLocalPart: true }).ok).toBe(true);
  });

  it('keeps single-script internationalised domains and the deviation letters IDNA2008 keeps', () => {
    for (const raw of ['a@россия.рф', 'a@ελλάδα.gr', 'a@例え.テスト', 'a@straße.de', 'a@xn--p1ai.xn--p1ai']) {
      expect(normaliseEmail(raw).ok).toBe(true);
    }
    expect(normaliseEmail('a@xn--p1ai.xn--p1ai')).toMatchObject({ email: 'a@рф.рф' });
    expect(normaliseEmail('a@STRASSE.de')).toMatchObject({ email: 'a@strasse.de' });
    expect(normaliseEmail('a@Straße.de')).toMatchObject({ email: 'a@straße.de' });
  });
});
