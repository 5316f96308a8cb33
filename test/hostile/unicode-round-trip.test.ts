import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CsvWriteOptions } from '../../src/csv-out/csv-options.js';
import { neutraliseFormula } from '../../src/csv-out/formula.js';
import { csvBytes } from '../../src/csv-out/write-csv.js';
import { resultsCsv } from '../../src/execute/import-result.js';
import { csvReportRows, renderCsvReport } from '../../src/report/render-csv.js';
import { column } from '../../src/schema/column.js';
import { defineSchema } from '../../src/schema/define-schema.js';
import { usersSchema } from '../../src/schema/users.js';
import { generateTemplate } from '../../src/template/generate-template.js';
import { excelRow } from '../../src/testing/excel-row.js';
import { readCorpusText } from '../corpora/helpers.js';
import { asWritten, readCsv, validateAll } from '../laws/helpers.js';
import { numRuns } from './helpers.js';

// The Big List of Naughty Strings (Max Woolf, MIT), from ../shared/corpora, as in test/corpora.
const naughty = JSON.parse(readCorpusText('naughty-strings/blns.json')) as string[];

const schema = defineSchema({ ...usersSchema.columns, notes: column({ label: 'Notes', example: 'x' }) });
const header = ['First Name', 'Last Name', 'Email', 'Notes'];
const encoder = new TextEncoder();
const keyed = ['firstName', 'lastName', 'email', 'notes'] as const;

const dialect = fc.record({
  delimiter: fc.constantFrom(',' as const, ';' as const, '\t' as const, '|' as const),
  lineEnding: fc.constantFrom('\r\n' as const, '\n' as const),
  bom: fc.boolean(),
});

/** Reads what a rollcall writer wrote and expects exactly the rows it was given, as a file can hold them. */
function expectReadsBack(text: string, rows: readonly (readonly string[])[], options: Required<CsvWriteOptions>): void {
  expect(readCsv(encoder.encode(text), options.delimiter)).toEqual(rows.map((row) => row.map((cell) => neutraliseFormula(asWritten(cell)))));
}

/**
 * Puts `text` in every column of a file, written by rollcall's writer and by a spreadsheet, validates it, and
 * checks each CSV rollcall writes from it (error report, results file, template with an example row) reads back.
 */
async function checkEveryColumn(text: string, options: Required<CsvWriteOptions>): Promise<void> {
  const cells = [text, text, text, text];
  const files = [
    csvBytes([header, cells], options),
    encoder.encode(`${header.join(options.delimiter)}${options.lineEnding}${excelRow(cells, { delimiter: options.delimiter, quoting: 'minimal', trailingEmptyCells: 0 })}${options.lineEnding}`),
  ];
  for (const bytes of files) {
    const { rows, summary } = await validateAll(bytes, { schema });
    if (summary.countsByCode.unsupported_file !== undefined) {
      // A NUL character makes any file binary.
      expect(text).toContain('\u0000');
      continue;
    }
    if (summary.rowCount === 0) {
      // A row of blank cells is no row.
      expect(text.trim()).toBe('');
      expect(summary.errors.map((e) => e.code)).toEqual(['no_data_rows']);
    } else {
      expect(summary.rowCount).toBe(1);
      expect(rows.map((r) => r.row)).toEqual([2]);
    }
    const report = csvReportRows(summary);
    expectReadsBack(renderCsvReport(summary, options), report, options);
  }

  const created = [{ row: 2, email: text, firstName: text, lastName: text, attributes: { notes: text }, temporaryPassword: 'Tmp-1234' }];
  const columns = keyed.map((key) => ({ key, label: schema.columns[key].label, required: schema.columns[key].required }));
  expectReadsBack(resultsCsv(columns, 'password', created, options), [['First Name', 'Last Name', 'Email', 'Temporary Password', 'Notes'], [text, text, text, 'Tmp-1234', text]], options);

  const withExample = defineSchema({ ...usersSchema.columns, notes: column({ label: 'Notes', example: text }) });
  const template = generateTemplate(withExample, { ...options, exampleRow: true });
  const examples = keyed.map((key) => withExample.columns[key].example ?? '');
  expectReadsBack(template.text, examples.some((e) => e.trim() !== '') ? [header, examples] : [header], options);
}

describe('Unicode and naughty strings in every column: no crash, and every CSV rollcall writes reads back', () => {
  it('for generated graphemes and code points, and the naughty strings, in every dialect', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.string({ unit: 'grapheme-composite', maxLength: 20 }),
      fc.constantFrom(...naughty),
    );
    await fc.assert(
      fc.asyncProperty(text, dialect, async (t, options) => {
        await checkEveryColumn(t, options);
      }),
      { numRuns },
    );
  });

  it('for each of the 515 naughty strings, comma and semicolon files', async () => {
    expect(naughty).toHaveLength(515);
    for (const text of naughty) {
      await checkEveryColumn(text, { delimiter: ',', lineEnding: '\r\n', bom: true });
      await checkEveryColumn(text, { delimiter: ';', lineEnding: '\n', bom: false });
    }
  });
});
