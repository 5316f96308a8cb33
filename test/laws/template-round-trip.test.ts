import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateTemplate, type TemplateOptions } from '../../src/template/generate-template.js';
import { excelFile } from '../../src/testing/excel-file.js';
import { excelRow } from '../../src/testing/excel-row.js';
import { fileRows } from '../../src/testing/file-rows.js';
import type { ExpectedRow } from '../../src/testing/row-options.js';
import { validatedValue } from '../../src/testing/validated-value.js';
import { numRuns, validateAll } from './helpers.js';
import { generatedSchema, pick, type GeneratedSchema } from './schemas.js';

interface Case {
  readonly generated: GeneratedSchema;
  readonly options: TemplateOptions;
  readonly rows: readonly ExpectedRow[];
}

const cases: fc.Arbitrary<Case> = generatedSchema.chain((generated) => {
  const optional = generated.schema.keys.filter((key) => generated.schema.columns[key]?.required !== true);
  return fc
    .record(
      {
        bom: fc.boolean(),
        lineEnding: fc.constantFrom('\r\n' as const, '\n' as const),
        delimiter: fc.constantFrom(',' as const, ';' as const, '\t' as const, '|' as const),
        columns: fc.subarray(optional),
        exampleRow: fc.boolean(),
      },
      { requiredKeys: ['exampleRow'] },
    )
    .chain((options) => {
      const keys = generateTemplate(generated.schema, options).columns;
      return fileRows(pick(generated.schema, keys), { columns: generated.columns }).map((rows) => ({ generated, options, rows }));
    });
});

function expectRows(results: readonly unknown[], c: Case, firstRow: number): void {
  expect(results).toEqual(
    c.rows.map((row, i) => ({ row: firstRow + i, valid: true, value: validatedValue(c.generated.schema, row.cells) })),
  );
}

describe('law: every template rollcall writes, filled with valid rows, validates to exactly those rows', () => {
  it('as written, with the rows typed below the header (rows 2..n+1), or below the example row', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const { schema } = c.generated;
        const template = generateTemplate(schema, c.options);
        const bare = generateTemplate(schema, { ...c.options, exampleRow: false });
        expect(template.text.startsWith(bare.text)).toBe(true);
        const dialect = { delimiter: c.options.delimiter ?? ',', quoting: 'minimal', trailingEmptyCells: 0 } as const;
        const typed = c.rows.map((row) => excelRow(template.columns.map((key) => row.cells[key] ?? ''), dialect) + (c.options.lineEnding ?? '\r\n')).join('');

        const filled = await validateAll(bare.text + typed, { schema });
        expectRows(filled.rows, c, 2);
        expect(filled.summary).toMatchObject({ valid: true, rowCount: c.rows.length, warningCount: 0 });

        if (template.text !== bare.text) {
          const kept = await validateAll(template.text + typed, { schema });
          expect(kept.rows[0]).toMatchObject({ row: 2, valid: false, issues: [{ row: 2, code: 'example_row' }] });
          expectRows(kept.rows.slice(1), c, 3);
          expect(kept.summary.errors.map((e) => e.code)).toEqual(['example_row']);
        }
      }),
      { numRuns },
    );
  });

  it('re-saved by a spreadsheet in any dialect (encoding, delimiter, line ending, quoting)', async () => {
    await fc.assert(
      fc.asyncProperty(
        cases.chain((c) => {
          const keys = generateTemplate(c.generated.schema, c.options).columns;
          return excelFile(pick(c.generated.schema, keys), c.rows, { headerVariants: false, shuffleColumns: false, blankRows: false, omitBlankColumns: false }).map((file) => ({ c, file }));
        }),
        async ({ c, file }) => {
          const template = generateTemplate(c.generated.schema, c.options);
          expect(file.header).toEqual(template.labels);
          const { rows, summary } = await validateAll(file.bytes, { schema: c.generated.schema });
          expectRows(rows, c, 2);
          expect(summary).toMatchObject({ valid: true, rowCount: c.rows.length });
        },
      ),
      { numRuns },
    );
  });
});
