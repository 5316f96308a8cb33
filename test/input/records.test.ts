import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvParseReader } from '../../src/input/csv-parse-reader.js';
import { RecordReader, type MalformedReason } from '../../src/input/records.js';
import type { Delimiter } from '../../src/report/summary.js';

type Event = { row: number; cells: string[] } | { row: number; malformed: MalformedReason };

function read(text: string, options: { delimiter?: Delimiter; chunks?: number[]; maxRecordBytes?: number } = {}): Event[] {
  const events: Event[] = [];
  const reader = new RecordReader(
    options.delimiter ?? ',',
    {
      record: (cells, row) => events.push({ row, cells }),
      malformed: (row, reason) => events.push({ row, malformed: reason }),
    },
    { maxRecordBytes: options.maxRecordBytes ?? 1 << 20 },
  );
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  for (const size of options.chunks ?? []) {
    reader.write(bytes.subarray(at, at + size));
    at += size;
  }
  reader.write(bytes.subarray(at));
  reader.end();
  return events;
}

describe('RecordReader', () => {
  it('numbers rows as Excel does: blank rows count, a multi-line cell is one row', () => {
    expect(read('a,b\r\n1,2\r\n\r\n"x\r\ny",3\r\n4,5')).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['1', '2'] },
      { row: 3, cells: [''] },
      { row: 4, cells: ['x\r\ny', '3'] },
      { row: 5, cells: ['4', '5'] },
    ]);
  });

  it('ends rows at CR alone (old Mac Excel) and at mixed line endings', () => {
    expect(read('a,b\r1,2\r3,4\r')).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['1', '2'] },
      { row: 3, cells: ['3', '4'] },
    ]);
    expect(read('a\r\nb\nc\rd')).toEqual([
      { row: 1, cells: ['a'] },
      { row: 2, cells: ['b'] },
      { row: 3, cells: ['c'] },
      { row: 4, cells: ['d'] },
    ]);
  });

  it('never coerces: leading zeros and long digit strings stay as typed', () => {
    expect(read('007,12345678901234567890,1e5,TRUE')).toEqual([
      { row: 1, cells: ['007', '12345678901234567890', '1e5', 'TRUE'] },
    ]);
  });

  it('reads semicolon, tab and pipe files', () => {
    expect(read('Vorname;Nachname\r\n"Müller; Jr";Ä', { delimiter: ';' })).toEqual([
      { row: 1, cells: ['Vorname', 'Nachname'] },
      { row: 2, cells: ['Müller; Jr', 'Ä'] },
    ]);
    expect(read('a\tb\n1\t2', { delimiter: '\t' })[1]).toEqual({ row: 2, cells: ['1', '2'] });
    expect(read('a|b\n1|2', { delimiter: '|' })[1]).toEqual({ row: 2, cells: ['1', '2'] });
  });

  it('reads a quote inside a cell that does not start with one as a literal quote, as Excel does', () => {
    expect(read('a,b\nO"Brien,1\n37.8"N,"x, y"\nok,2\n')).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['O"Brien', '1'] },
      { row: 3, cells: ['37.8"N', 'x, y'] },
      { row: 4, cells: ['ok', '2'] },
    ]);
  });

  it('reads strictly again after a row with a literal quote: a stray closing quote later is still reported', () => {
    expect(read('O"Brien,1\n"Smith"x,2\nok,3\n', { chunks: [3, 5] })).toEqual([
      { row: 1, cells: ['O"Brien', '1'] },
      { row: 2, malformed: 'text_after_closing_quote' },
      { row: 3, cells: ['ok', '3'] },
    ]);
  });

  it('reports text after a closing quote and reads on from the next row', () => {
    expect(read('a,b\r\n"Smith"x,1\r\nok,2\r\nalso,3\r\n')).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, malformed: 'text_after_closing_quote' },
      { row: 3, cells: ['ok', '2'] },
      { row: 4, cells: ['also', '3'] },
    ]);
  });

  it('reports an unclosed quote at the row where it opens, and still reads the rows after it', () => {
    expect(read('a,b\n1,2\n"Smith,1\nok,2\nalso,3\n')).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['1', '2'] },
      { row: 3, malformed: 'unclosed_quote' },
      { row: 4, cells: ['ok', '2'] },
      { row: 5, cells: ['also', '3'] },
    ]);
  });

  it('bounds a row that never ends (a quote opened and never closed in a large file)', () => {
    const events = read(`a\n"${'x'.repeat(5000)}\nb\n`, { maxRecordBytes: 1000 });
    expect(events).toEqual([
      { row: 1, cells: ['a'] },
      { row: 2, malformed: 'row_too_long' },
      { row: 3, cells: ['b'] },
    ]);
  });

  it('gives the same records for any chunking of the input', () => {
    const cell = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'é', '€', '😀', ',', '"', '\r', '\n', ' ', ';') }),
      fc.string(),
    );
    const file = fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }).map((rows) =>
      rows.map((row) => row.map((c) => (/[",\r\n]/.test(c) || c === '' ? `"${c.replaceAll('"', '""')}"` : c)).join(',')).join('\r\n'),
    );
    fc.assert(
      fc.property(
        fc.oneof(file, fc.string({ unit: fc.constantFrom('a', '"', ',', '\r', '\n', 'é') })),
        fc.array(fc.nat(12), { maxLength: 10 }),
        (text, chunks) => {
          expect(read(text, { chunks })).toEqual(read(text));
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  });

  it('reads a row far longer than a chunk, in chunks of any size', () => {
    const long = 'x'.repeat(200_000);
    expect(read(`a\r\n"${long}",${long}\r\nb`, { chunks: [1, 3, 70_000, 65_536] })).toEqual([
      { row: 1, cells: ['a'] },
      { row: 2, cells: [long, long] },
      { row: 3, cells: ['b'] },
    ]);
  });
});

describe('law: RecordReader reads exactly what csv-parse reads', () => {
  function viaCsvParse(text: string, delimiter: Delimiter, maxRecordBytes: number): Event[] {
    const events: Event[] = [];
    const reader = new CsvParseReader(
      delimiter,
      {
        record: (cells, row) => events.push({ row, cells }),
        malformed: (row, reason) => events.push({ row, malformed: reason }),
      },
      { maxRecordBytes },
    );
    reader.write(new TextEncoder().encode(text));
    reader.end();
    return events;
  }

  function viaText(text: string, delimiter: Delimiter, maxRecordBytes: number, cuts: number[]): Event[] {
    const events: Event[] = [];
    const reader = new RecordReader(
      delimiter,
      {
        record: (cells, row) => events.push({ row, cells }),
        malformed: (row, reason) => events.push({ row, malformed: reason }),
      },
      { maxRecordBytes },
    );
    let at = 0;
    for (const cut of cuts) {
      // Never between the two halves of a surrogate pair, which a decoder never splits.
      let to = Math.min(text.length, at + cut);
      if (to > 0 && /[\ud800-\udbff]/u.test(text.charAt(to - 1))) to++;
      reader.writeText(text.slice(at, to));
      at = to;
    }
    reader.writeText(text.slice(at));
    reader.end();
    return events;
  }

  // Rows made of the pieces where the two readers could part ways: quotes in every position, doubled quotes,
  // delimiters, every line ending, NUL (which csv-parse takes as the end of a quoted cell), spaces, letters
  // of one to four UTF-8 bytes.
  const piece = fc.constantFrom('a', 'bc', 'é', '€', '😀', ',', ';', '"', '""', '"a"', '\r', '\n', '\r\n', ' ', '\u0000', 'x"y');
  const text = fc.oneof(
    fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.join('')),
    fc.string({ unit: fc.constantFrom('a', '"', ',', '\r', '\n'), maxLength: 40 }),
  );

  it('for any text, delimiter, row size limit and chunking', () => {
    fc.assert(
      fc.property(
        text,
        fc.constantFrom<Delimiter>(',', ';'),
        fc.constantFrom(4, 9, 16, 1 << 20),
        fc.array(fc.nat(12), { maxLength: 8 }),
        (input, delimiter, max, cuts) => {
          expect(viaText(input, delimiter, max, cuts)).toEqual(viaCsvParse(input, delimiter, max));
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 2000) },
    );
  });
});

