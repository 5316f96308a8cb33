import { describe, expect, it } from 'vitest';
import { column } from '../../src/schema/column.js';
import { usersSchema } from '../../src/schema/users.js';
import { generateTemplate } from '../../src/template/generate-template.js';
import { exampleRowMatcher } from '../../src/validate/example-row.js';
import { validateFile, validateRows } from '../../src/validate/validate-rows.js';

const schema = usersSchema.extend({
  phone: column({ label: 'Phone', example: '+44 20 7946 0000' }),
  notes: column({ label: 'Notes' }),
});

describe('example_row', () => {
  it('reports the template example row left in an upload, and imports the rows after it', async () => {
    const template = generateTemplate(schema, { exampleRow: true });
    const file = `${template.text}Grace,Hopper,grace@example.com,,\r\n`;
    const rows = [];
    const stream = validateRows(file, { schema });
    for await (const row of stream) rows.push(row);
    expect(rows[0]).toMatchObject({ row: 2, valid: false, issues: [{ code: 'example_row', row: 2, column: null }] });
    expect(rows[1]).toMatchObject({ row: 3, valid: true, value: { firstName: 'Grace' } });
    const summary = await stream.summary();
    expect(summary.errors.map((e) => [e.row, e.code])).toEqual([[2, 'example_row']]);
    expect(summary.errors[0]?.message).toBe(
      "Row 2: this is the import template's example row, not a real user. Delete the row, or replace it with a real user.",
    );
  });

  it('recognises the example typed without the neutralising apostrophe, with spaces, in any column order', async () => {
    const file = 'Email;Phone;Last Name;First Name\r\n ada.lovelace@example.com ;+44 20 7946 0000;Lovelace;Ada\r\n';
    const summary = await validateFile(file, { schema });
    expect(summary.errors.map((e) => [e.row, e.code])).toEqual([[2, 'example_row']]);
  });

  it('does not report a row that differs from the example in any column, or fills a column that has none', async () => {
    const header = 'First Name,Last Name,Email,Phone,Notes\r\n';
    const changed = [
      'Ada,Lovelace,ada@example.com,+44 20 7946 0000,',
      'Ada,Byron,ada.lovelace@example.com,+44 20 7946 0000,',
      'Ada,Lovelace,ada.lovelace@example.com,,',
      'Ada,Lovelace,ada.lovelace@example.com,+44 20 7946 0000,met at the conference',
    ];
    for (const line of changed) {
      const summary = await validateFile(`${header}${line}\r\n`, { schema });
      expect(summary.countsByCode.example_row, line).toBeUndefined();
    }
  });

  it('ignores unknown columns when comparing', async () => {
    const summary = await validateFile('First Name,Last Name,Email,Team\r\nAda,Lovelace,ada.lovelace@example.com,Blue\r\n');
    expect(summary.errors.map((e) => [e.row, e.code])).toEqual([[2, 'example_row']]);
  });
});

describe('exampleRowMatcher', () => {
  it('is undefined when no column found has an example, so no row is checked', () => {
    expect(exampleRowMatcher([{ index: 0, column: column({ label: 'Notes' }) }])).toBeUndefined();
  });

  it('compares each located column by its index', () => {
    const isExample = exampleRowMatcher([
      { index: 2, column: usersSchema.columns.firstName },
      { index: 0, column: column({ label: 'Notes' }) },
    ]);
    expect(isExample?.(['', 'anything', 'Ada'])).toBe(true);
    expect(isExample?.(['x', 'anything', 'Ada'])).toBe(false);
    expect(isExample?.(['', 'anything', 'Adam'])).toBe(false);
    expect(isExample?.([])).toBe(false);
  });
});
