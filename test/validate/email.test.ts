import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailKey, emailSchema, normaliseEmail, type EmailOptions } from '../../src/validate/email.js';
import { rollcallParams } from '../../src/validate/zod-params.js';

function accepted(raw: string, options: EmailOptions = {}) {
  const result = normaliseEmail(raw, options);
  if (!result.ok) throw new Error(`${JSON.stringify(raw)} was refused: ${result.problem}: ${result.detail}`);
  return result;
}

function problemOf(raw: string, options: EmailOptions = {}) {
  const result = normaliseEmail(raw, options);
  return result.ok ? 'accepted' : result.problem;
}

describe('normaliseEmail accepts ordinary addresses', () => {
  it.each([
    ["O'Brien@example.com", "O'Brien@example.com", "o'brien@example.com"],
    ['first.last+tag@sub.example.co.uk', 'first.last+tag@sub.example.co.uk', 'first.last+tag@sub.example.co.uk'],
    [' Bob@Example.COM ', 'Bob@example.com', 'bob@example.com'],
    ['x@example.museum', 'x@example.museum', 'x@example.museum'],
    ['123@123.example', '123@123.example', '123@123.example'],
    ['user_name-1@mason-dixon.com', 'user_name-1@mason-dixon.com', 'user_name-1@mason-dixon.com'],
    ["!#$%&'*+/=?^_`{|}~-@example.org", "!#$%&'*+/=?^_`{|}~-@example.org", "!#$%&'*+/=?^_`{|}~-@example.org"],
    ['bob@xn--bcher-kva.de', 'bob@bücher.de', 'bob@bücher.de'],
    ['bob@BÜCHER.DE', 'bob@bücher.de', 'bob@bücher.de'],
    ['bob@例え.テスト', 'bob@例え.テスト', 'bob@例え.テスト'],
  ])('%j is stored as %j with key %j', (raw, email, key) => {
    expect(accepted(raw)).toEqual({ ok: true, email, key });
  });

  it.each([
    ['no-break spaces Excel pastes', '\u00a0bob@example.com\u00a0'],
    ['tabs', '\tbob@example.com\t'],
    ['ideographic and narrow spaces', '\u3000bob@example.com\u202f'],
  ])('trims %s around the address', (_, raw) => {
    expect(accepted(raw).email).toBe('bob@example.com');
  });

  it('puts the address in NFC, so an accent typed as a combining mark is the same address', () => {
    const decomposed = accepted('bob@bu\u0308cher.de');
    expect(decomposed.email).toBe('bob@b\u00fccher.de');
    expect(decomposed.key).toBe(accepted('BOB@B\u00dcCHER.DE').key);
  });

  it('keeps the case of the part before the @ and lowercases only the domain', () => {
    expect(accepted('John.SMITH@Example.Com').email).toBe('John.SMITH@example.com');
  });
});

describe('normaliseEmail refuses what would not work', () => {
  it.each([
    ['', 'blank'],
    ['  \u00a0 ', 'blank'],
    ['bob', 'missing_at'],
    ['bob.example.com', 'missing_at'],
    ['a@b@example.com', 'several_at'],
    ['bob@example.com, ann@example.com', 'several_at'],
    ['@example.com', 'invalid_local_part'],
    ['.bob@example.com', 'invalid_local_part'],
    ['bob.@example.com', 'invalid_local_part'],
    ['a..b@c.com', 'invalid_local_part'],
    ['bob smith@example.com', 'invalid_local_part'],
    ['bob\u00a0smith@example.com', 'invalid_local_part'],
    ['"bob"@example.com', 'invalid_local_part'],
    ['(comment)bob@example.com', 'invalid_local_part'],
    ['bob\\@example.com', 'invalid_local_part'],
    ['O\u2019Brien@example.com', 'invalid_local_part'],
    ['bob\uff20example.com', 'missing_at'],
    ['Bob Smith <bob@example.com>', 'invalid_local_part'],
    ['mailto:bob@example.com', 'invalid_local_part'],
    ['a@b', 'invalid_domain'],
    ['bob@localhost', 'invalid_domain'],
    ['bob@', 'invalid_domain'],
    ['a@-b.com', 'invalid_domain'],
    ['a@b-.com', 'invalid_domain'],
    ['a@b..com', 'invalid_domain'],
    ['a@.b.com', 'invalid_domain'],
    ['a@b.com.', 'invalid_domain'],
    ['a@b_c.com', 'invalid_domain'],
    ['a@b.com;', 'invalid_domain'],
    ['a@example.123', 'invalid_domain'],
    ['a@192.0.2.1', 'invalid_domain'],
    ['a@[192.0.2.1]', 'invalid_domain'],
    ['a@[IPv6:2001:db8::1]', 'invalid_domain'],
    ['a@\u0301x.com', 'invalid_domain'],
  ])('%j: %s', (raw, problem) => {
    expect(problemOf(raw)).toBe(problem);
  });

  it.each([
    ['a zero-width space inside', 'bo\u200bb@example.com'],
    ['a zero-width joiner', 'bob@exa\u200dmple.com'],
    ['a right-to-left override', '\u202emoc.elpmaxe@bob'],
    ['a left-to-right mark', 'bob@example.com\u200e'],
    ['a soft hyphen', 'bob@exam\u00adple.com'],
    ['a byte order mark', '\ufeffbob@example.com'],
    ['an isolate', 'bob\u2066@example.com'],
    ['a variation selector', 'bob\ufe0f@example.com'],
    ['a tag character', 'bob@example.com\u{e0041}'],
  ])('refuses %s as an invisible character', (_, raw) => {
    expect(problemOf(raw)).toBe('invisible_character');
  });

  it.each([
    ['a NUL', 'bob\u0000@example.com'],
    ['DEL', 'bob\u007f@example.com'],
    ['a C1 control', 'bob\u0085@example.com'],
    ['a tab inside', 'bob\t@example.com'],
    ['a trailing line break (the cell holds two lines)', 'bob@example.com\n'],
    ['a leading carriage return', '\rbob@example.com'],
    ['a lone surrogate', 'bob\ud800@example.com'],
  ])('refuses %s as a control character', (_, raw) => {
    expect(problemOf(raw)).toBe('control_character');
  });

  it('says where the invisible character is and which one it is', () => {
    expect(normaliseEmail('bo\u200bb@example.com')).toMatchObject({
      detail: 'retype the address: it holds an invisible zero-width space (U+200B) after "bo"',
    });
  });

  it('points at the bare address when a name and address were pasted', () => {
    expect(normaliseEmail('"Smith, Bob" <Bob@Example.com>')).toMatchObject({
      detail: 'keep only the address between < and >: "Bob@Example.com"',
    });
  });
});

describe('normaliseEmail length limits, counted in UTF-8 bytes', () => {
  const domain = '@example.com';

  it('accepts 64 bytes before the @ and refuses 65', () => {
    expect(problemOf('a'.repeat(64) + domain)).toBe('accepted');
    expect(normaliseEmail('a'.repeat(65) + domain)).toMatchObject({ problem: 'local_part_too_long', limit: 64 });
  });

  it('counts a letter outside ASCII as its UTF-8 bytes', () => {
    const unicode = { unicodeLocalPart: true };
    expect(problemOf('\u00e9'.repeat(32) + domain, unicode)).toBe('accepted');
    expect(problemOf('\u00e9'.repeat(32) + 'a' + domain, unicode)).toBe('local_part_too_long');
  });

  // 64 + 1 + 63 + 1 + 63 + 1 + 61 = 254 bytes.
  const longDomain = (last: number) => `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(last)}`;

  it('accepts 254 bytes in all and refuses 255', () => {
    const at254 = `${'a'.repeat(64)}@${longDomain(61)}`;
    expect(at254).toHaveLength(254);
    expect(problemOf(at254)).toBe('accepted');
    expect(normaliseEmail(`${'a'.repeat(64)}@${longDomain(62)}`)).toMatchObject({ problem: 'too_long', limit: 254 });
  });

  it('counts the stored form, where lowercasing lengthened a letter (\u0130 becomes i + U+0307)', () => {
    const raw = `${'a'.repeat(64)}@${Array(3).fill('\u0130'.repeat(20)).join('.')}.com.${'\u0130'.repeat(3)}`;
    expect(new TextEncoder().encode(raw).length).toBeLessThanOrEqual(254);
    expect(problemOf(raw)).toBe('too_long');
  });

  it('accepts a domain label of 63 bytes and refuses 64', () => {
    expect(problemOf(`a@${'b'.repeat(63)}.com`)).toBe('accepted');
    expect(problemOf(`a@${'b'.repeat(64)}.com`)).toBe('invalid_domain');
  });
});

describe('normaliseEmail and letters outside ASCII before the @ (RFC 6531)', () => {
  it('refuses them by default, since most mail systems cannot deliver there', () => {
    expect(normaliseEmail('Müller@bücher.de')).toMatchObject({ ok: false, problem: 'unicode_local_part' });
    expect(problemOf('用户@例子.广告')).toBe('unicode_local_part');
  });

  it('accepts them when the host says its mail relay supports SMTPUTF8', () => {
    expect(accepted('Müller@bücher.de', { unicodeLocalPart: true })).toEqual({
      ok: true,
      email: 'Müller@bücher.de',
      key: 'müller@bücher.de',
    });
    expect(problemOf('用户@例子.广告', { unicodeLocalPart: true })).toBe('accepted');
  });

  it('still refuses symbols and punctuation outside ASCII', () => {
    const unicode = { unicodeLocalPart: true };
    expect(problemOf('O\u2019Brien@example.com', unicode)).toBe('invalid_local_part');
    expect(problemOf('bob\u2024smith@example.com', unicode)).toBe('invalid_local_part');
    expect(problemOf('\u{1f600}@example.com', unicode)).toBe('invalid_local_part');
  });

  it('reports a syntax problem before the non-ASCII letter', () => {
    expect(problemOf('müller..x@example.com')).toBe('invalid_local_part');
  });
});

describe('normaliseEmail on long adversarial input', () => {
  // Each returns: the checks are loops and single-class regular expressions, with nothing to backtrack.
  it.each([
    ['a run of letters then @', 'a'.repeat(1e5) + '@', 'local_part_too_long'],
    ['a run of dots', '.'.repeat(1e5), 'too_long'],
    ['a run of @', '@'.repeat(1e5), 'too_long'],
    ['letters and dots', 'a.'.repeat(5e4) + '@example.com', 'local_part_too_long'],
    ['spaces then a letter', ' '.repeat(1e5) + 'x', 'missing_at'],
    ['no-break spaces then a letter then spaces', '\u00a0'.repeat(5e4) + 'x' + ' '.repeat(5e4) + 'y', 'too_long'],
    ['letters then an invisible character', 'a'.repeat(1e5) + '\u200b', 'invisible_character'],
    ['a long domain of dots', 'a@' + '.'.repeat(1e5), 'too_long'],
    ['hyphens', 'a@' + '-'.repeat(1e5) + '.com', 'too_long'],
  ])('returns for %s', (_, raw, problem) => {
    expect(problemOf(raw)).toBe(problem);
  });
});

describe('normaliseEmail laws', () => {
  const atext = Array.from('abcxyzABCXYZ0189!#$%&\'*+/=?^_`{|}~-');
  const atom = fc.array(fc.constantFrom(...atext), { minLength: 1, maxLength: 10 }).map((chars) => chars.join(''));
  const label = fc
    .array(fc.constantFrom(...Array.from('abcXYZ019-')), { minLength: 1, maxLength: 12 })
    .map((chars) => chars.join(''))
    .filter((text) => !text.startsWith('-') && !text.endsWith('-') && text.slice(2, 4) !== '--');
  const tld = fc
    .array(fc.constantFrom(...Array.from('abcXYZ')), { minLength: 2, maxLength: 6 })
    .map((chars) => chars.join(''));
  const address = fc
    .record({
      local: fc.array(atom, { minLength: 1, maxLength: 4 }),
      labels: fc.array(label, { minLength: 1, maxLength: 3 }),
      tld,
      before: fc.constantFrom('', ' ', '\u00a0', '\t '),
      after: fc.constantFrom('', ' ', '\u00a0', '\u3000'),
    })
    .map(({ local, labels, tld, before, after }) => ({
      raw: `${before}${local.join('.')}@${[...labels, tld].join('.')}${after}`,
      local: local.join('.'),
      domain: [...labels, tld].join('.'),
    }));

  it('accepts every dot-atom at a domain of LDH labels, keeping the local part and lowercasing the domain', () => {
    fc.assert(
      fc.property(address, ({ raw, local, domain }) => {
        expect(normaliseEmail(raw)).toEqual({
          ok: true,
          email: `${local}@${domain.toLowerCase()}`,
          key: `${local}@${domain}`.toLowerCase(),
        });
      }),
    );
  });

  it('gives the same key whatever the case the address was typed in', () => {
    fc.assert(
      fc.property(address, ({ raw }) => {
        expect(accepted(raw.toUpperCase()).key).toBe(accepted(raw.toLowerCase()).key);
      }),
    );
  });

  const anyText = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 80 }),
    address.map(({ raw }) => raw),
    fc.tuple(address, fc.string({ unit: 'binary', maxLength: 3 }), fc.nat(40)).map(([{ raw }, noise, at]) => {
      return raw.slice(0, at) + noise + raw.slice(at);
    }),
  );

  it('never throws, and what it accepts is stable when normalised again', () => {
    fc.assert(
      fc.property(anyText, fc.boolean(), (raw, unicodeLocalPart) => {
        const first = normaliseEmail(raw, { unicodeLocalPart });
        if (!first.ok) return;
        expect(normaliseEmail(first.email, { unicodeLocalPart })).toEqual(first);
        expect(first.key).toBe(emailKey(first.email));
        expect(first.email.split('@')).toHaveLength(2);
        expect(new TextEncoder().encode(first.email).length).toBeLessThanOrEqual(254);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('emailSchema', () => {
  it('outputs the stored form of the address', () => {
    expect(emailSchema().parse('  Bob@Example.COM\u00a0')).toBe('Bob@example.com');
  });

  it('checks after trimming, unlike z.email().trim()', () => {
    expect(emailSchema().safeParse(' bob@example.com ').success).toBe(true);
  });

  it('adds one issue carrying invalid_email and the fix for a malformed address', () => {
    const result = emailSchema().safeParse('a..b@example.com');
    expect(result.error?.issues).toHaveLength(1);
    const issue = result.error!.issues[0]!;
    expect(issue).toMatchObject({ code: 'custom', message: 'remove the double dot (..) before the @' });
    expect(rollcallParams(issue)).toEqual({ code: 'invalid_email', detail: 'remove the double dot (..) before the @' });
  });

  it('reports an address over 254 bytes as too_long with its limit', () => {
    const result = emailSchema().safeParse(`a@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(70)}`);
    expect(rollcallParams(result.error!.issues[0]!)).toMatchObject({ code: 'too_long', limit: 254 });
  });

  it('reports a local part over 64 bytes as invalid_email, since too_long is about the whole value', () => {
    const result = emailSchema().safeParse(`${'a'.repeat(65)}@example.com`);
    expect(rollcallParams(result.error!.issues[0]!)).toMatchObject({ code: 'invalid_email' });
  });

  it('passes the unicodeLocalPart option on', () => {
    expect(emailSchema().safeParse('Müller@bücher.de').success).toBe(false);
    expect(emailSchema({ unicodeLocalPart: true }).parse('Müller@BÜCHER.de')).toBe('Müller@bücher.de');
  });
});
