import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { excelFile } from '../../src/testing/excel-file.js';
import { expectedResults } from '../../src/testing/expected-results.js';
import { invalidRow } from '../../src/testing/invalid-row.js';
import { usersSchema } from '../../src/schema/users.js';
import { numRuns, validateAll } from './helpers.js';
import { generatedSchema } from './schemas.js';

describe('law: every generated invalid row produces exactly its expected codes at its row', () => {
  it('for any schema, among valid rows and copies, in any dialect', async () => {
    await fc.assert(
      fc.asyncProperty(
        generatedSchema.chain((generated) =>
          excelFile(generated.schema, undefined, { invalid: true, duplicates: true, unknownColumns: true, columns: generated.columns }).map((file) => ({ generated, file })),
        ),
        async ({ generated: { schema }, file }) => {
          const { rows, summary } = await validateAll(file.bytes, { schema });
          const expected = expectedResults(schema, file);
          expect(rows).toMatchObject(expected);
          expect(rows).toHaveLength(expected.length);
          expect(summary.errorCount).toBe(file.rows.reduce((n, row) => n + row.issues.length, 0));
          expect(summary.rowCount).toBe(file.rows.length);
        },
      ),
      { numRuns },
    );
  });

  it('with a smaller maxCellLength, over-long cells are too_long at that limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 40, max: 300 }).chain((maxCellLength) =>
          excelFile(usersSchema, fc.array(invalidRow(usersSchema, { maxCellLength }), { minLength: 1, maxLength: 4 }), { unknownColumns: true }).map((file) => ({ maxCellLength, file })),
        ),
        async ({ maxCellLength, file }) => {
          const { rows } = await validateAll(file.bytes, { schema: usersSchema, maxCellLength });
          expect(rows).toMatchObject(expectedResults(usersSchema, file));
        },
      ),
      { numRuns },
    );
  });
});
