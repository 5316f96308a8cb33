import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { column } from '../../src/schema/column.js';
import { defineSchema, type InferRow } from '../../src/schema/define-schema.js';
import { matchHeader } from '../../src/schema/header-match.js';
import { usersSchema } from '../../src/schema/users.js';

describe('defineSchema', () => {
  it('infers rows: required columns present, optional ones absent when blank, zod outputs kept', () => {
    const schema = usersSchema.extend({
      department: column({ label: 'Department' }),
      age: column({ label: 'Age', schema: z.string().transform(Number) }),
    });
    expectTypeOf<InferRow<typeof schema>>().toEqualTypeOf<{
      firstName: string;
      lastName: string;
      email: string;
      department?: string;
      age?: number;
    }>();
    expect(schema.keys).toEqual(['firstName', 'lastName', 'email', 'department', 'age']);
  });

  it('lets hosts add columns but never redefine the required ones', () => {
    expect(() => usersSchema.extend({ email: column({ label: 'Work Email' }) } as never)).toThrow(/already defined/);
    expect(usersSchema.keys).toEqual(['firstName', 'lastName', 'email']);
  });

  it('refuses two columns that would match the same header', () => {
    expect(() => usersSchema.extend({ mail2: column({ label: 'E-mail' }) })).toThrow(/would also match column "email"/);
    expect(() => defineSchema({ a: column({ label: 'Team' }), b: column({ label: 'Dept', aliases: ['TEAM'] }) })).toThrow(/would also match/);
  });

  it('refuses labels that are blank or hold control characters', () => {
    expect(() => defineSchema({ a: column({ label: ' - ' }) })).toThrow(/needs a label/);
    expect(() => defineSchema({ a: column({ label: 'Nick\u0000name' }) })).toThrow(/control character/);
    expect(() => defineSchema({ a: column({ label: 'Nick', aliases: ['Nick\tname'] }) })).toThrow(/control character/);
  });
});

describe('matchHeader', () => {
  it('matches labels and aliases in any case, spacing and punctuation, in any order', () => {
    const mapping = matchHeader(usersSchema, [' e-mail address ', 'SURNAME', 'first_name', 'Notes']);
    expect(mapping.columns.map((c) => [c.key, c.index])).toEqual([
      ['email', 0],
      ['lastName', 1],
      ['firstName', 2],
    ]);
    expect(mapping.unknown).toEqual([{ header: 'Notes', index: 3 }]);
    expect(mapping.problems).toEqual([{ code: 'unknown_column', header: 'Notes', index: 3 }]);
  });

  it('reports missing required columns and a column given twice', () => {
    const mapping = matchHeader(usersSchema, ['Email', 'First Name', 'email *']);
    expect(mapping.problems).toEqual([
      { code: 'missing_column', key: 'lastName', label: 'Last Name' },
      { code: 'duplicate_column', key: 'email', label: 'Email', indexes: [0, 2] },
    ]);
  });

  it('ignores trailing empty header cells', () => {
    expect(matchHeader(usersSchema, ['First Name', 'Last Name', 'Email', '', ' ']).width).toBe(3);
  });
});
