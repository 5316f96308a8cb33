import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, formatCell, formatCsvRow } from '../../src/csv-out/format-row.js';
import { RollcallError } from '../../src/rollcall-error.js';
import { cell, numRuns } from './cell-arbitrary.js';

describe('formatCsvRow', () => {
  it('writes plain cells as they are, joined by the delimiter, with no line ending', () => {
    expect(formatCsvRow(['ada@example.com', 'Ada', 'Lovelace'])).toBe('ada@example.com,Ada,Lovelace');
    expect(formatCsvRow(['a', 'b'], { delimiter: ';' })).toBe('a;b');
    expect(formatCsvRow(['a', 'b'], { delimiter: '\t' })).toBe('a\tb');
    expect(formatCsvRow(['a', 'b'], { delimiter: '|' })).toBe('a|b');
  });

  it('quotes a cell holding the delimiter, a quote, CR or LF, and doubles inner quotes', () => {
    expect(formatCsvRow(['Doe, Jane', 'say "hi"', 'two\nlines', 'cr\ronly'])).toBe(
      '"Doe, Jane","say ""hi""","two\nlines","cr\ronly"',
    );
  });

  it('quotes a cell holding another delimiter rollcall reads, so a reader guessing that one still sees one cell', () => {
    expect(formatCsvRow(['a;b', 'c|d'])).toBe('"a;b","c|d"');
    expect(formatCsvRow(['a,b'], { delimiter: ';' })).toBe('"a,b"');
  });

  it('quotes a cell with whitespace at either end, which readers that trim would lose', () => {
    expect(formatCsvRow([' Ada', 'Ada ', '\u00A0x'])).toBe('" Ada","Ada ","\u00A0x"');
  });

  it('neutralises and quotes a cell that starts like a formula', () => {
    expect(formatCsvRow(['=HYPERLINK("http://evil.example")', '-5', '@x'])).toBe(
      `"'=HYPERLINK(""http://evil.example"")","'-5","'@x"`,
    );
  });

  it('neutralises a trigger after a semicolon inside a cell, for Excel in locales that split on ;', () => {
    expect(formatCsvRow(['Doe;=cmd()', 'ok'])).toBe(`"Doe;'=cmd()",ok`);
  });

  it('writes a row of one empty cell as "" so it does not read back as a blank line', () => {
    expect(formatCsvRow([''])).toBe('""');
    expect(formatCsvRow(['', ''])).toBe(',');
  });

  it('writes an empty row as an empty line', () => {
    expect(formatCsvRow([])).toBe('');
  });

  it('throws a RollcallError invalid_option for a delimiter it does not write', () => {
    const call = () => formatCsvRow(['a'], { delimiter: ':' as ',' });
    expect(call).toThrow(RollcallError);
    expect(call).toThrow(expect.objectContaining({ code: 'invalid_option', cause: { option: 'delimiter', value: ':' } }));
  });
});

/**
 * What a cell is near the fast path's edges: every formula trigger (with the full-width forms), quotes and
 * apostrophes, every delimiter and line break, and whitespace of every kind `\s` holds (and U+0085 and the
 * zero-width space, which it does not), beside letters, accents and a digit.
 */
const edgeUnit = fc.constantFrom(
  '=', '+', '-', '@', '\t', '\r', '\n', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20', '"', "'", ',', ';', '|',
  ' ', '\v', '\f', '\u0085', '\u00A0', '\u1680', '\u2000', '\u200A', '\u200B', '\u2028', '\u2029', '\u202F',
  '\u205F', '\u3000', '\uFEFF', 'a', 'Z', 'é', 'Ł', '7', '.',
);
const edgeCell = fc.oneof(cell, fc.string({ unit: edgeUnit, maxLength: 8 }));

describe('the plain-cell fast path', () => {
  it('writes every cell exactly as the general cell formatter does', () => {
    fc.assert(
      fc.property(edgeCell, (text) => {
        expect(csvCell(text)).toBe(formatCell(text, false));
      }),
      { numRuns: numRuns * 5 },
    );
  });

  it('writes every UTF-16 code unit, alone, first, last, inside or after an apostrophe, as the general formatter does', () => {
    const differ: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const c = String.fromCharCode(code);
      for (const text of [c, `${c}a`, `a${c}`, `a${c}a`, `'${c}`]) if (csvCell(text) !== formatCell(text, false)) differ.push(text);
    }
    expect(differ).toEqual([]);
  });

  it('writes a row as the general formatter writes each cell, joined by the delimiter', () => {
    const delimiter = fc.constantFrom(',' as const, ';' as const, '\t' as const, '|' as const);
    fc.assert(
      fc.property(fc.array(edgeCell, { maxLength: 6 }), delimiter, (cells, d) => {
        const general = cells.length === 1 && cells[0] === '' ? '""' : cells.map((c) => formatCell(c, false)).join(d);
        expect(formatCsvRow(cells, { delimiter: d })).toBe(general);
      }),
      { numRuns },
    );
  });

  it('leaves plain names, emails and passwords as they are, and formats the rest', () => {
    for (const text of ['Ada', 'Zoë', 'Łukasz', 'Anne-Marie', "O'Brien", 'Mary Jane', 'ada.lovelace@example.org', 'Qx7pLm2vRt9sKw4z', '']) {
      expect(csvCell(text)).toBe(text);
    }
    expect(csvCell('Smith, III')).toBe('"Smith, III"');
    expect(csvCell("'=1")).toBe(`"''=1"`);
    expect(csvCell('\uFF1D1')).toBe(`"'\uFF1D1"`);
    expect(csvCell('Ada\u3000')).toBe('"Ada\u3000"');
  });
});
