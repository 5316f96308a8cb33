import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFormulaSafe, restoreFormula } from '../../src/csv-out/formula.js';
import { issueCodes } from '../../src/report/codes.js';
import { csvReportRows, renderCsvReport } from '../../src/report/render-csv.js';
import { issue, summaryOf } from './summary-fixture.js';

describe('renderCsvReport', () => {
  const summary = summaryOf([
    issue(null, 'Email', 'missing_column', 'The file has no "Email" column.'),
    issue(4, 'Name', 'required', 'A name is required.', { value: '' }),
    issue(null, 'Phone', 'unknown_column', 'The column "Phone" is not recognised and is ignored.'),
    issue(3, 'Email', 'invalid_email', '"bob@" is not a valid email address, "fix" it.', { value: 'bob@' }),
  ]);

  it('writes the header and one line per issue, errors then warnings, read back by csv-parse', () => {
    expect(parse(renderCsvReport(summary))).toEqual([
      ['Row', 'Column', 'Code', 'Problem', 'Value'],
      ['', 'Email', 'missing_column', 'The file has no "Email" column.', ''],
      ['4', 'Name', 'required', 'A name is required.', ''],
      ['3', 'Email', 'invalid_email', '"bob@" is not a valid email address, "fix" it.', 'bob@'],
      ['', 'Phone', 'unknown_column', 'The column "Phone" is not recognised and is ignored.', ''],
    ]);
  });

  it('writes exact CSV text with the writer options it is given', () => {
    const small = summaryOf([issue(2, 'Email', 'invalid_email', 'Not valid.', { value: 'x' })]);
    expect(renderCsvReport(small, { delimiter: ';', lineEnding: '\n', bom: true })).toBe(
      '\uFEFFRow;Column;Code;Problem;Value\n2;Email;invalid_email;Not valid.;x\n',
    );
  });

  it('neutralises values from the file that would run as formulas in a spreadsheet', () => {
    const evil = summaryOf([
      issue(2, 'Name', 'invalid_value', 'The name is not valid.', { value: '=HYPERLINK("http://evil.example","x")' }),
      issue(3, 'Name', 'invalid_value', 'The name is not valid.', { value: '@SUM(1+1)*cmd|\' /C calc\'!A0' }),
      issue(4, 'Name', 'invalid_value', 'The name is not valid.', { value: 'Doe;-2+3' }),
      issue(5, '+Column', 'invalid_value', '-starts with a minus', { value: '＝1' }),
    ]);
    const rows: string[][] = parse(renderCsvReport(evil), { delimiter: ',' });
    expect(rows.slice(1).map((row) => row[4])).toEqual([
      `'=HYPERLINK("http://evil.example","x")`,
      `'@SUM(1+1)*cmd|' /C calc'!A0`,
      `Doe;'-2+3`,
      `'＝1`,
    ]);
    expect(rows[4]?.[1]).toBe("'+Column");
    expect(rows[4]?.[3]).toBe("'-starts with a minus");
  });

  it('reads back, for any issues, as formula-safe cells that restore to the issue fields', () => {
    const text = fc.string({ unit: fc.oneof(fc.constantFrom('=', '-', '@', ';', ',', '"', '\n', ' '), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })), maxLength: 20 });
    const issues = fc.array(
      fc.record({ row: fc.option(fc.integer({ min: 2, max: 1_000_000 })), column: fc.option(text), code: fc.constantFrom(...issueCodes), message: text, value: text }),
      { maxLength: 5 },
    );
    fc.assert(
      fc.property(issues, (list) => {
        const summary = summaryOf(list.map(({ row, column, code, message, value }) => issue(row, column, code, message, { value })));
        const rows: string[][] = parse(renderCsvReport(summary), { relax_column_count: true });
        expect(rows.flat().every(isFormulaSafe)).toBe(true);
        expect(rows.map((row) => row.map(restoreFormula))).toEqual(csvReportRows(summary));
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 200) },
    );
  });

  it('lists only the issues the summary kept when it was truncated', () => {
    const truncated = summaryOf([issue(2, 'Email', 'required', 'Required.')], {
      hidden: [issue(3, 'Email', 'required', 'Required.')],
    });
    expect(csvReportRows(truncated)).toHaveLength(2);
  });
});
