import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { usersSchema } from '../../src/schema/users.js';
import { excelFile, expectedResults } from '../../src/testing/excel-file.js';
import { numRuns, validateAll } from './helpers.js';

describe('law: generated files validate to exactly their rows', () => {
  it('every file of valid and invalid rows, in any dialect, gives each row its value or exactly its issues', async () => {
    await fc.assert(
      fc.asyncProperty(excelFile(usersSchema, undefined, { invalid: true, duplicates: true }), async (file) => {
        const { rows, summary } = await validateAll(file.bytes, { schema: usersSchema });
        const expected = expectedResults(usersSchema, file);
        expect(rows).toMatchObject(expected);
        expect(rows).toHaveLength(expected.length);
        expect(summary.rowCount).toBe(file.rows.length);
        expect(summary.errorCount).toBe(file.rows.reduce((n, row) => n + row.issues.length, 0));
        expect(summary.warnings.map((w) => w.code).filter((c) => c !== 'decoded_as_windows_1252')).toEqual([]);
      }),
      { numRuns },
    );
  });
});
