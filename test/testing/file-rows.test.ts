import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { usersSchema } from '../../src/schema/users.js';
import { fileRows } from '../../src/testing/file-rows.js';
import { numRuns } from '../laws/helpers.js';

describe('fileRows', () => {
  it('keeps unique values distinct, except the copies that must be reported as duplicates', () => {
    fc.assert(
      fc.property(fileRows(usersSchema, { duplicates: true }), (rows) => {
        const keys = rows.filter((row) => row.issues.length === 0).map((row) => (row.cells.email ?? '').toLowerCase());
        expect(new Set(keys).size).toBe(keys.length);
        for (const row of rows.filter((r) => r.issues.length > 0)) {
          expect(row.issues).toEqual([{ column: 'Email', code: 'duplicate_in_file' }]);
          expect(keys).toContain((row.cells.email ?? '').toLowerCase());
        }
      }),
      { numRuns },
    );
  });
});
