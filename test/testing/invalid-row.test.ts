import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { column } from '../../src/schema/column.js';
import { usersSchema } from '../../src/schema/users.js';
import { invalidRow } from '../../src/testing/invalid-row.js';
import { numRuns } from '../laws/helpers.js';

const schema = usersSchema.extend({
  employeeId: column({ label: 'Employee ID', schema: z.string().regex(/^E\d{6}$/), example: 'E012345', unique: true }),
  team: column({ label: 'Team', schema: z.enum(['Blue', 'Green']) }),
  notes: column({ label: 'Notes' }),
});

describe('invalidRow', () => {
  it('breaks at least one cell and names each broken column once, with its code', () => {
    fc.assert(
      fc.property(invalidRow(schema, { columns: { team: { invalid: fc.constant({ text: 'Red', code: 'invalid_value' as const }) } } }), (row) => {
        expect(row.issues.length).toBeGreaterThan(0);
        const columns = row.issues.map((issue) => issue.column);
        expect(new Set(columns).size).toBe(columns.length);
        for (const issue of row.issues) {
          if (issue.code === 'required') expect(['First Name', 'Last Name', 'Email']).toContain(issue.column);
        }
      }),
      { numRuns },
    );
  });
});
