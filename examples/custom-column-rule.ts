/**
 * A host adds its own column, an employee ID ("E" and six digits, once per file), and property-tests its rule
 * with rollcall's testing kit: whatever dialect an admin's Excel writes, good IDs are imported as typed and bad
 * ones are reported on the right row with the right code. `docs/testing-kit.md` walks through it.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { z } from 'zod';
import { column, generateTemplate, usersSchema, validateFile, validateRows } from 'rollcall';
import { excelFile, expectedResults, type ColumnArbitraries } from 'rollcall/testing';

// 1. The rule: a zod schema for the trimmed cell text; its message is what the admin reads.
export const employeeId = column({
  label: 'Employee ID',
  aliases: ['Staff Number', 'Personnel No'],
  required: true,
  schema: z.string().regex(/^E\d{6}$/, 'Use an E followed by six digits, like E012345'),
  example: 'E012345',
  description: 'The ID on the employee badge: an E and six digits.',
  unique: true,
});

export const schema = usersSchema.extend({ employeeId });

// 2. What the kit cannot guess from a regex: which texts pass it, and which fail it with which code.
const digits = fc.integer({ min: 0, max: 999_999 }).map((n) => String(n).padStart(6, '0'));
export const employeeIdArbitraries: ColumnArbitraries = {
  valid: digits.map((d) => `E${d}`),
  invalid: fc
    .oneof(
      digits.map((d) => `e${d}`),
      digits.map((d) => `E${d.slice(1)}`),
      digits.map((d) => `E-${d}`),
      digits.map((d) => d),
      fc.constantFrom('E12345678', 'EO12345', 'N/A'),
    )
    .map((text) => ({ text, code: 'invalid_value' as const })),
};

/** A row result reduced to what the kit predicts: row number, value, or issues (row, column, code). */
function essentials(result: Awaited<ReturnType<typeof collect>>[number]): unknown {
  if (result.valid) return { row: result.row, valid: true, value: result.value };
  return { row: result.row, valid: false, issues: result.issues.map(({ row, column: col, code }) => ({ row, column: col, code })) };
}

async function collect(bytes: Uint8Array) {
  const rows = [];
  for await (const row of validateRows(bytes, { schema })) rows.push(row);
  return rows;
}

/** Runs the example's checks; throws on the first one that fails. */
export async function main(numRuns = 100): Promise<void> {
  // 3. The law: any file of valid rows, invalid rows and repeated IDs, in any dialect, validates exactly as predicted.
  await fc.assert(
    fc.asyncProperty(
      excelFile(schema, undefined, { invalid: true, duplicates: true, columns: { employeeId: employeeIdArbitraries } }),
      async (file) => {
        const results = await collect(file.bytes);
        assert.deepEqual(results.map(essentials), expectedResults(schema, file));
      },
    ),
    { numRuns },
  );

  // 4. The admin reads the rule's own words, with the row and the value.
  const summary = await validateFile('First Name,Last Name,Email,Staff Number\r\nAda,Lovelace,ada@example.com,e012345\r\n', { schema });
  assert.deepEqual(
    summary.errors.map((e) => e.message),
    ['Row 2: "e012345" is not a valid Employee ID: use an E followed by six digits, like E012345.'],
  );

  // 5. The template shows the new column, and its example row is never imported as a user.
  const template = generateTemplate(schema, { exampleRow: true });
  assert.equal(template.text, '\uFEFFFirst Name,Last Name,Email,Employee ID\r\nAda,Lovelace,ada.lovelace@example.com,E012345\r\n');
  const uploaded = await validateFile(template.bytes, { schema });
  assert.deepEqual(uploaded.errors.map((e) => [e.row, e.code]), [[2, 'example_row']]);
}
