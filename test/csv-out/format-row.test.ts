import { describe, expect, it } from 'vitest';
import { formatCsvRow } from '../../src/csv-out/format-row.js';
import { RollcallError } from '../../src/rollcall-error.js';

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
