import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveCsvOptions, type CsvWriteOptions } from '../../src/csv-out/csv-options.js';
import { isFormulaSafe, neutraliseFormula, restoreFormula } from '../../src/csv-out/formula.js';
import { csvBytes, csvLines, csvLinesAsync, csvText, writeCsv } from '../../src/csv-out/write-csv.js';
import { RollcallError } from '../../src/rollcall-error.js';
import { numRuns, rows } from './cell-arbitrary.js';

const options: fc.Arbitrary<Required<CsvWriteOptions>> = fc.record({
  delimiter: fc.constantFrom(',' as const, ';' as const, '\t' as const, '|' as const),
  lineEnding: fc.constantFrom('\r\n' as const, '\n' as const),
  bom: fc.boolean(),
});

// The record delimiter is left to csv-parse to detect, as a reader of an unknown file would.
function readBack(text: string, { delimiter, bom }: Required<CsvWriteOptions>): string[][] {
  return parse(text, { delimiter, bom, relax_column_count: true });
}

describe('writeCsv', () => {
  it('writes the rows with CRLF after every row, the last included', () => {
    expect(writeCsv([['Email', 'Name'], ['ada@example.com', 'Ada']])).toBe('Email,Name\r\nada@example.com,Ada\r\n');
  });

  it('writes LF line endings and another delimiter when asked', () => {
    expect(writeCsv([['a', 'b'], ['c', 'd']], { delimiter: ';', lineEnding: '\n' })).toBe('a;b\nc;d\n');
  });

  it('puts the byte order mark first when asked', () => {
    expect(writeCsv([['Email']], { bom: true })).toBe('\uFEFFEmail\r\n');
  });

  it('writes nothing, not even a byte order mark, for no rows', () => {
    expect(writeCsv([])).toBe('');
  });

  it('quotes a first cell starting with ID, which Excel would take for a SYLK file', () => {
    expect(writeCsv([['ID', 'Email'], ['ID', 'x']])).toBe('"ID",Email\r\nID,x\r\n');
    expect(writeCsv([['ID']], { bom: true })).toBe('\uFEFFID\r\n');
  });

  it('throws a RollcallError invalid_option for a line ending it does not write, at the call', () => {
    expect(() => writeCsv([], { lineEnding: '\r' as '\n' })).toThrow(
      expect.objectContaining({ code: 'invalid_option', cause: { option: 'lineEnding', value: '\r' } }),
    );
    expect(() => csvLines([], { bom: 'yes' as unknown as boolean })).toThrow(RollcallError);
  });

  it('reads back with csv-parse as the same cells, neutralised cells as neutraliseFormula wrote them', () => {
    fc.assert(
      fc.property(rows, options, (input, opts) => {
        expect(readBack(writeCsv(input, opts), opts)).toEqual(input.map((row) => row.map(neutraliseFormula)));
      }),
      { numRuns },
    );
  });

  it('never writes a cell that reads back as a formula, and every cell reads back restorable', () => {
    fc.assert(
      fc.property(rows, options, (input, opts) => {
        const output = readBack(writeCsv(input, opts), opts);
        expect(output.flat().every(isFormulaSafe)).toBe(true);
        expect(output.map((row) => row.map(restoreFormula))).toEqual(input);
      }),
      { numRuns },
    );
  });

  it('reads back a neutralised cell as an apostrophe and the original', () => {
    const text = writeCsv([['Email', 'Name'], ['ada@example.com', '=HYPERLINK("http://evil.example","x")']]);
    expect(parse(text)).toEqual([
      ['Email', 'Name'],
      ['ada@example.com', `'=HYPERLINK("http://evil.example","x")`],
    ]);
  });
});

describe('csvLines and csvLinesAsync', () => {
  it('yield one line per row which, joined, are exactly writeCsv', async () => {
    await fc.assert(
      fc.asyncProperty(rows, options, async (input, opts) => {
        const lines = [...csvLines(input, opts)];
        expect(lines).toHaveLength(input.length);
        expect(lines.every((line) => line.endsWith(opts.lineEnding))).toBe(true);
        expect(lines.join('')).toBe(writeCsv(input, opts));
        const asyncLines: string[] = [];
        for await (const line of csvLinesAsync(input, opts)) asyncLines.push(line);
        expect(asyncLines).toEqual(lines);
      }),
      { numRuns },
    );
  });

  it('are exactly writeCsv for a text long enough to be built in many pieces, and for one row array filled anew', () => {
    fc.assert(
      fc.property(rows, options, (sample, opts) => {
        // At least 2 characters a row (one character and LF), so 9,000 rows are more than the 16,384 of a piece.
        const input = Array.from({ length: Math.ceil(9_000 / sample.length) }, () => sample).flat();
        const text = writeCsv(input, opts);
        expect(text.length).toBeGreaterThan(16_384);
        expect(text).toBe([...csvLines(input, opts)].join(''));
        const csv = csvText(resolveCsvOptions(opts));
        const row: string[] = [];
        for (const cells of input) {
          row.length = 0;
          row.push(...cells);
          csv.add(row);
        }
        expect(csv.text()).toBe(text);
      }),
      { numRuns: 20 },
    );
  });

  it('read rows from an async iterable', async () => {
    async function* source() {
      yield ['Email'];
      await Promise.resolve();
      yield ['+1 555'];
    }
    const lines: string[] = [];
    for await (const line of csvLinesAsync(source(), { bom: true })) lines.push(line);
    expect(lines).toEqual(['\uFEFFEmail\r\n', `"'+1 555"\r\n`]);
  });
});

describe('csvBytes', () => {
  it('encodes writeCsv as UTF-8, the byte order mark as EF BB BF', () => {
    const bytes = csvBytes([['Zoë', '名前']], { bom: true });
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe('\uFEFFZoë,名前\r\n');
  });
});
