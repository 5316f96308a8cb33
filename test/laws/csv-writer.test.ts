import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CsvWriteOptions } from '../../src/csv-out/csv-options.js';
import { isFormulaSafe, neutraliseFormula, restoreFormula, startsLikeFormula } from '../../src/csv-out/formula.js';
import { csvBytes } from '../../src/csv-out/write-csv.js';
import { asWritten, numRuns, readCsv } from './helpers.js';

const options: fc.Arbitrary<Required<CsvWriteOptions>> = fc.record({
  delimiter: fc.constantFrom(',' as const, ';' as const, '\t' as const, '|' as const),
  lineEnding: fc.constantFrom('\r\n' as const, '\n' as const),
  bom: fc.boolean(),
});

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
/** Any code point, and now and then a lone surrogate, which a JavaScript string can hold but a file cannot. */
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: fc.oneof({ arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 9 }, { arbitrary: loneSurrogate, weight: 1 }), maxLength: 12 }),
);
/** What matters to a writer: formula triggers (with their full-width forms), delimiters, quotes, line breaks, spaces. */
const tricky = fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '\r\n', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20', ',', ';', '|', '"', "'", ' ', '\u00A0', '\uFEFF', '\u0000', 'ID');
const cell = fc.oneof(anyString, fc.string({ unit: fc.oneof(tricky, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 12 }));
const rows = fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 });

describe('law: every string written through the CSV writer reads back through rollcall\'s reader', () => {
  it('as the same string with only the neutralising prefix added, and no cell starting like a formula', () => {
    fc.assert(
      fc.property(rows, options, (input, opts) => {
        const read = readCsv(csvBytes(input, opts), opts.delimiter);
        expect(read).toEqual(input.map((row) => row.map((cell) => neutraliseFormula(asWritten(cell)))));
        for (const cell of read.flat()) {
          expect(startsLikeFormula(cell)).toBe(false);
          expect(isFormulaSafe(cell)).toBe(true);
        }
        expect(read.map((row) => row.map(restoreFormula))).toEqual(input.map((row) => row.map(asWritten)));
      }),
      { numRuns },
    );
  });
});
