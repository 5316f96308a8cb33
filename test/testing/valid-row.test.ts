import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { column } from '../../src/schema/column.js';
import { defineSchema } from '../../src/schema/define-schema.js';
import { usersSchema } from '../../src/schema/users.js';
import { validRow } from '../../src/testing/valid-row.js';
import { numRuns } from '../laws/helpers.js';

const schema = usersSchema.extend({
  employeeId: column({ label: 'Employee ID', schema: z.string().regex(/^E\d{6}$/), example: 'E012345', unique: true }),
  team: column({ label: 'Team', schema: z.enum(['Blue', 'Green']) }),
  notes: column({ label: 'Notes' }),
});

describe('validRow', () => {
  it('fills every required column with a value its rule accepts, and leaves optional ones filled or blank', () => {
    fc.assert(
      fc.property(validRow(schema), (cells) => {
        for (const key of schema.keys) {
          const col = schema.columns[key as keyof typeof schema.columns];
          const cell = cells[key] ?? '';
          if (cell === '') {
            expect(col.required).toBe(false);
          } else {
            expect(col.schema.safeParse(cell.trim()).success).toBe(true);
          }
        }
      }),
      { numRuns },
    );
  });

  it('falls back to the example for a rule generic text does not meet, and uses a host arbitrary when given', () => {
    const ids = fc.sample(validRow(schema), { numRuns: 200, seed: 3 }).map((cells) => cells.employeeId);
    expect(new Set(ids.filter((id) => id !== ''))).toEqual(new Set(['E012345']));
    const own = fc.sample(validRow(schema, { columns: { employeeId: { valid: fc.stringMatching(/^E\d{6}$/) } } }), { numRuns: 200, seed: 3 });
    expect(new Set(own.map((cells) => cells.employeeId)).size).toBeGreaterThan(10);
  });

  it('never makes up the example row', () => {
    const examples = defineSchema({ code: column({ label: 'Code', required: true, schema: z.enum(['A', 'B']), example: 'A' }) });
    const rows = fc.sample(validRow(examples, { columns: { code: { valid: fc.constantFrom('A', 'B') } } }), { numRuns: 100, seed: 1 });
    expect(rows.every((cells) => cells.code === 'B')).toBe(true);
  });

  it('throws a RollcallError for a required column it cannot fill, naming the column', () => {
    const strict = defineSchema({ code: column({ label: 'Code', required: true, schema: z.string().regex(/^Q\d{9}$/) }) });
    expect(() => validRow(strict)).toThrow(expect.objectContaining({ code: 'invalid_option', message: expect.stringContaining('"code"') as unknown }));
  });

  it('checks a host arbitrary: a value its column refuses is an error, not a silently invalid "valid" row', () => {
    const rows = validRow(schema, { columns: { employeeId: { valid: fc.constant('nope') } } });
    // Employee ID is optional, so a single row may leave it blank: draw many rows, from a fixed seed.
    expect(() => fc.sample(rows, { numRuns: 100, seed: 1 })).toThrow(/refuses/u);
  });
});
