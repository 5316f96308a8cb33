import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { column } from '../../src/schema/column.js';
import { defineSchema } from '../../src/schema/define-schema.js';
import { validatedValue } from '../../src/testing/validated-value.js';

describe('validatedValue', () => {
  it('is each non-blank cell through its rule', () => {
    const upper = defineSchema({ code: column({ label: 'Code', schema: z.string().transform((s) => s.toUpperCase()) }), note: column({ label: 'Note' }) });
    expect(validatedValue(upper, { code: ' ab ', note: '' })).toEqual({ code: 'AB' });
  });
});
