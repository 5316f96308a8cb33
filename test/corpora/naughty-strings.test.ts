import { describe, expect, it } from 'vitest';
import type { CsvWriteOptions } from '../../src/csv-out/csv-options.js';
import { neutraliseFormula, restoreFormula, startsLikeFormula } from '../../src/csv-out/formula.js';
import { csvBytes } from '../../src/csv-out/write-csv.js';
import { usersSchema } from '../../src/schema/users.js';
import { excelRow } from '../../src/testing/excel-row.js';
import { readCsv, validateAll } from '../laws/helpers.js';
import { readCorpusText } from './helpers.js';

// The Big List of Naughty Strings (Max Woolf, MIT): strings that have broken software.
const naughty = JSON.parse(readCorpusText('naughty-strings/blns.json')) as string[];

const dialects: readonly Required<CsvWriteOptions>[] = [
  { delimiter: ',', lineEnding: '\r\n', bom: true },
  { delimiter: ';', lineEnding: '\n', bom: false },
  { delimiter: '\t', lineEnding: '\r\n', bom: false },
  { delimiter: '|', lineEnding: '\n', bom: true },
];

const header = ['First Name', 'Last Name', 'Email'];
const allowedCodes = ['required', 'invalid_value', 'too_long'];

describe('naughty strings corpus', () => {
  it('reads all 515 strings', () => {
    expect(naughty).toHaveLength(515);
    expect(naughty).toContain('<script>alert(123)</script>');
  });

  it.each(naughty.map((s, i) => [i, s] as const))('string %i %j round-trips through the CSV writer and rollcall\'s reader', (_, text) => {
    for (const options of dialects) {
      const rows = [[text], [text, 'middle', text], ['first', text]];
      const read = readCsv(csvBytes(rows, options), options.delimiter);
      expect(read).toEqual(rows.map((row) => row.map(neutraliseFormula)));
      expect(read.flat().filter(startsLikeFormula)).toEqual([]);
      expect(read.map((row) => row.map(restoreFormula))).toEqual(rows);
    }
  });

  it.each(naughty.map((s, i) => [i, s] as const))('string %i %j as a first and last name gives one row result, never a crash', async (_, text) => {
    const files = [
      // As rollcall writes it (an annotated file sent back: neutralised), and as a spreadsheet writes it.
      { name: neutraliseFormula(text).trim(), bytes: csvBytes([header, [text, text, 'ann@example.com']], { bom: true }) },
      {
        name: text.trim(),
        bytes: new TextEncoder().encode(`${header.join(';')}\r\n${excelRow([text, text, 'ann@example.com'], { delimiter: ';', quoting: 'minimal', trailingEmptyCells: 0 })}\r\n`),
      },
    ];
    for (const { name, bytes } of files) {
      const { rows, summary } = await validateAll(bytes, { schema: usersSchema });
      expect(rows).toHaveLength(1);
      const [row] = rows;
      expect(row?.row).toBe(2);
      if (row?.valid === true) {
        expect(row.value).toEqual({ firstName: name, lastName: name, email: 'ann@example.com' });
      } else {
        expect(row?.issues.map((issue) => issue.code).filter((code) => !allowedCodes.includes(code))).toEqual([]);
      }
      expect(summary.rowCount).toBe(1);
    }
  });
});
