import fc from 'fast-check';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { generateTemplate } from '../../src/template/generate-template.js';
import { escapeCell } from '../../src/template/xlsx-writer.js';
import { fileRows } from '../../src/testing/file-rows.js';
import type { ExpectedRow } from '../../src/testing/row-options.js';
import { validatedValue } from '../../src/testing/validated-value.js';
import { numRuns, validateAll } from './helpers.js';
import { generatedSchema, pick, type GeneratedSchema } from './schemas.js';

interface Case {
  readonly generated: GeneratedSchema;
  readonly columns: readonly string[];
  readonly exampleRow: boolean;
  readonly rows: readonly ExpectedRow[];
}

const cases: fc.Arbitrary<Case> = generatedSchema.chain((generated) => {
  const optional = generated.schema.keys.filter((key) => generated.schema.columns[key]?.required !== true);
  return fc.record({ columns: fc.subarray(optional), exampleRow: fc.boolean() }).chain(({ columns, exampleRow }) => {
    const keys = generateTemplate(generated.schema, { format: 'xlsx', columns }).columns;
    return fileRows(pick(generated.schema, keys), { columns: generated.columns }).map((rows) => ({ generated, columns, exampleRow, rows }));
  });
});

/** The template with rows typed below what it holds, as Excel saves them (text cells, inline). */
function fill(template: Uint8Array, keys: readonly string[], rows: readonly ExpectedRow[]): Uint8Array {
  const parts = unzipSync(template);
  const sheet = strFromU8(parts['xl/worksheets/sheet1.xml'] ?? new Uint8Array());
  const last = [...sheet.matchAll(/<row r="(\d+)"/gu)].length;
  const typed = rows
    .map((row, i) => {
      const r = last + 1 + i;
      const cells = keys.map((key, c) => {
        const value = row.cells[key] ?? '';
        return value === '' ? '' : `<c r="${String.fromCharCode(65 + c)}${r}" s="1" t="inlineStr"><is><t xml:space="preserve">${escapeCell(value)}</t></is></c>`;
      });
      return `<row r="${r}">${cells.join('')}</row>`;
    })
    .join('');
  parts['xl/worksheets/sheet1.xml'] = strToU8(sheet.replace('</sheetData>', () => `${typed}</sheetData>`));
  return zipSync(parts);
}

describe('law: every .xlsx template rollcall writes, filled with valid rows, validates to exactly those rows', () => {
  it('with the rows typed below the header, or below the example row', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const { schema } = c.generated;
        const template = generateTemplate(schema, { format: 'xlsx', columns: c.columns, exampleRow: c.exampleRow });
        const expected = (first: number): unknown[] => c.rows.map((row, i) => ({ row: first + i, valid: true, value: validatedValue(schema, row.cells) }));
        const filled = await validateAll(fill(generateTemplate(schema, { format: 'xlsx', columns: c.columns }).bytes, template.columns, c.rows), { schema });
        expect(filled.rows).toEqual(expected(2));
        expect(filled.summary).toMatchObject({ valid: true, rowCount: c.rows.length, warningCount: 0, file: { format: 'xlsx', sheet: 'Users' } });
        expect(filled.summary.file.columns.map((m) => m.key)).toEqual(template.columns);

        const hasExample = template.columns.some((key) => (schema.columns[key]?.example ?? '').trim() !== '');
        if (c.exampleRow && hasExample) {
          const kept = await validateAll(fill(template.bytes, template.columns, c.rows), { schema });
          expect(kept.rows[0]).toMatchObject({ row: 2, valid: false, issues: [{ row: 2, code: 'example_row' }] });
          expect(kept.rows.slice(1)).toEqual(expected(3));
          expect(kept.summary.errors.map((e) => e.code)).toEqual(['example_row']);
        }
      }),
      { numRuns },
    );
  });
});
