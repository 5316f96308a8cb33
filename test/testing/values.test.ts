import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { usersSchema } from '../../src/schema/users.js';
import { emailAddress, invalidEmailAddress } from '../../src/testing/emails.js';
import { personName } from '../../src/testing/names.js';
import { canEncodeWindows1252 } from '../../src/testing/text.js';
import { normaliseEmail } from '../../src/validate/email.js';
import { numRuns } from '../laws/helpers.js';

const { firstName, email } = usersSchema.columns;

describe('personName', () => {
  it('is a name the built-in name columns accept as it is, without spaces around it', () => {
    fc.assert(
      fc.property(personName(), (name) => {
        expect(name).toBe(name.trim());
        expect(firstName.schema.safeParse(name)).toEqual({ success: true, data: name });
      }),
      { numRuns },
    );
  });

  it('fits windows-1252 when asked to', () => {
    fc.assert(fc.property(personName({ charset: 'windows-1252' }), (name) => canEncodeWindows1252(name)), { numRuns });
  });

  it('includes names with apostrophes, hyphens and letters outside ASCII', () => {
    const names = fc.sample(personName(), { numRuns: 500, seed: 7 });
    expect(names.some((n) => /['’]/u.test(n))).toBe(true);
    expect(names.some((n) => n.includes('-'))).toBe(true);
    expect(names.some((n) => /[^\p{ASCII}]/u.test(n))).toBe(true);
  });
});

describe('emailAddress', () => {
  it('is an address the email column accepts and stores unchanged', () => {
    fc.assert(
      fc.property(emailAddress(), (address) => {
        expect(normaliseEmail(address)).toMatchObject({ ok: true, email: address });
        expect(email.schema.safeParse(address)).toEqual({ success: true, data: address });
      }),
      { numRuns },
    );
  });

  it('fits windows-1252 when asked to', () => {
    fc.assert(fc.property(emailAddress({ charset: 'windows-1252' }), (address) => canEncodeWindows1252(address)), { numRuns });
  });
});

describe('invalidEmailAddress', () => {
  it('is refused by the email column as invalid_email, never as too long or blank', () => {
    fc.assert(
      fc.property(invalidEmailAddress(), (address) => {
        const result = normaliseEmail(address);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(['too_long', 'blank']).not.toContain(result.problem);
      }),
      { numRuns },
    );
  });
});
