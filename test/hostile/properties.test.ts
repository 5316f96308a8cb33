import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ErrorSummary } from '../../src/report/summary.js';
import { column } from '../../src/schema/column.js';
import { defineSchema } from '../../src/schema/define-schema.js';
import { usersSchema } from '../../src/schema/users.js';
import { chunkings } from '../../src/testing/chunkings.js';
import { excelFile } from '../../src/testing/excel-file.js';
import type { RowResult } from '../../src/validate/file-validator.js';
import { validateAll } from '../laws/helpers.js';
import { lineCount, numRuns } from './helpers.js';

const encoder = new TextEncoder();
const bytesOf = (parts: readonly (string | readonly number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === 'string' ? Array.from(encoder.encode(part)) : part)));

/**
 * Bytes built from what breaks CSV readers: quotes alone and doubled, every line ending, delimiters, BOMs
 * anywhere, UTF-16 code units, NUL, bytes that are not UTF-8, cut characters, `sep=` lines, and the header
 * labels and addresses that make a file look right up to that point.
 */
const hostileBytes = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom<readonly number[]>([0x22], [0x22, 0x22], [0x0d], [0x0a], [0x0d, 0x0a], [0x2c], [0x3b], [0x09], [0x7c], [0x20]) },
      { weight: 2, arbitrary: fc.constantFrom<readonly number[]>([0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff], [0x00], [0xc3], [0xc3, 0xa9], [0xe9], [0x92], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80], [0x41, 0x00]) },
      { weight: 3, arbitrary: fc.constantFrom('First Name', 'Last Name', 'Email', 'sep=;', 'sep=,', 'ada@example.com', 'Zoë', '=1+1', 'a'.repeat(40)).map((t) => Array.from(encoder.encode(t))) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 6 }).map((b) => Array.from(b)) },
    ),
    { maxLength: 150 },
  )
  .map((parts) => bytesOf(parts));

const anyBytes = fc.oneof(fc.uint8Array({ maxLength: 400 }), hostileBytes);

/** Every row number in rows and summary is a line of the file (0 only for the hidden `sep=` line's rows before). */
function expectRowsWithin(rows: readonly RowResult[], summary: ErrorSummary, lines: number): void {
  for (const issue of [...summary.errors, ...summary.warnings]) {
    if (issue.row !== null) {
      expect(issue.row).toBeGreaterThanOrEqual(1);
      expect(issue.row).toBeLessThanOrEqual(lines);
    }
  }
  for (const row of rows) {
    expect(row.row).toBeGreaterThanOrEqual(2);
    expect(row.row).toBeLessThanOrEqual(lines);
  }
  expect(summary.rowCount).toBeLessThanOrEqual(lines);
}

describe('law: hostile bytes in any two chunkings give a summary, the same one, with rows inside the file', () => {
  it('for arbitrary bytes and byte soups of CSV syntax, BOMs, UTF-16 units, NULs and broken UTF-8', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyBytes.chain((bytes) => fc.tuple(fc.constant(bytes), chunkings(bytes), chunkings(bytes))),
        async ([bytes, one, other]) => {
          const a = await validateAll(one, { schema: usersSchema });
          const b = await validateAll(other, { schema: usersSchema });
          expect(b.summary).toEqual(a.summary);
          // Rows stream out before a NUL byte later in the file shows it is not text; they cannot be taken back.
          if (a.summary.countsByCode.unsupported_file === undefined) expect(b.rows).toEqual(a.rows);
          expect(a.summary.file.bytes).toBe(bytes.length);
          expect(a.summary.valid).toBe(a.summary.errorCount === 0);
          expectRowsWithin(a.rows, a.summary, lineCount(bytes));
        },
      ),
      { numRuns },
    );
  });
});

describe('law: a valid Excel file cut at any byte gives a summary with rows inside what is left', () => {
  it('in any dialect and any chunking; the uncut file is valid', async () => {
    await fc.assert(
      fc.asyncProperty(
        excelFile(usersSchema).chain((file) =>
          fc.integer({ min: 0, max: file.bytes.length }).chain((cut) => {
            const bytes = file.bytes.slice(0, cut);
            return chunkings(bytes).map((chunks) => ({ file, bytes, chunks }));
          }),
        ),
        async ({ file, bytes, chunks }) => {
          const { rows, summary } = await validateAll(chunks, { schema: usersSchema });
          expect(summary.file.bytes).toBe(bytes.length);
          // The cut may leave a piece of a row, or half a UTF-16 code unit read as one more row.
          expect(summary.rowCount).toBeLessThanOrEqual(file.rows.length + 1);
          expectRowsWithin(rows, summary, lineCount(bytes));
          if (bytes.length === file.bytes.length) expect(summary).toMatchObject({ valid: true, rowCount: file.rows.length });
        },
      ),
      { numRuns },
    );
  });
});

// A free-text column next to the users' columns: it holds whatever the cell holds, so every quote and line
// break written into it must come back exactly.
const notesSchema = defineSchema({ ...usersSchema.columns, notes: column({ label: 'Notes' }) });

const lineEnding = fc.constantFrom('\r\n', '\n', '\r');
/** Cell text with quotes in every position, delimiters, and line breaks of every kind (lone CRs included). */
const notes = fc
  .array(fc.constantFrom('"', '""', '\r', '\n', '\r\n', ',', ';', ' ', 'a', 'Zoë', "'", '\t'), { maxLength: 12 })
  .map((parts) => parts.join(''));

interface Line {
  readonly cells: readonly string[] | null;
  readonly ending: string;
}

/** Writes a record as a spreadsheet does: a cell is quoted (quotes doubled) when it must be, or when asked. */
function writeRecord(cells: readonly string[], quoteAll: boolean): string {
  return cells.map((cell) => (quoteAll || /[",\r\n]/u.test(cell) || cell.startsWith(' ') ? `"${cell.replaceAll('"', '""')}"` : cell)).join(',');
}

describe('law: mixed line endings and quotes in every position read back exactly, row numbers counting records', () => {
  it('CR, LF and CRLF mixed from row to row, lone CRs and LFs inside quoted cells, blank lines between, any chunking', async () => {
    const lines = fc.array(
      fc.record({
        cells: fc.option(fc.tuple(fc.constantFrom('Ada', 'Zoë', 'Jean-Luc', 'Ana María'), notes, fc.boolean()), { freq: 4 }),
        ending: lineEnding,
      }),
      { minLength: 1, maxLength: 12 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(lines, lineEnding, fc.boolean()).chain(([drawn, headerEnding, finalEnding]) => {
          let text = `First Name,Last Name,Email,Notes${headerEnding}`;
          let previous = headerEnding;
          const written: Line[] = [];
          drawn.forEach((line, i) => {
            const cells = line.cells === null ? null : [line.cells[0], 'Byron', `user${i}@example.com`, line.cells[1]];
            // A blank line ending in LF right after a lone CR would make one CRLF of two line breaks.
            const ending = cells === null && previous === '\r' && line.ending === '\n' ? '\r' : line.ending;
            const last = i === drawn.length - 1 && !finalEnding;
            text += (cells === null ? '' : writeRecord(cells, line.cells?.[2] ?? false)) + (last ? '' : ending);
            written.push({ cells, ending });
            previous = ending;
          });
          const bytes = encoder.encode(text);
          return chunkings(bytes).map((chunks) => ({ written, chunks }));
        }),
        async ({ written, chunks }) => {
          const { rows, summary } = await validateAll(chunks, { schema: notesSchema });
          const expected = written.flatMap((line, i) => {
            if (line.cells === null) return [];
            const [firstName = '', lastName, email, note = ''] = line.cells;
            const value = { firstName, lastName, email, ...(note.trim() === '' ? {} : { notes: note.trim() }) };
            return [{ row: i + 2, valid: true, value }];
          });
          expect(rows).toEqual(expected);
          expect(summary.rowCount).toBe(expected.length);
          expect(summary.errors.map((e) => e.code)).toEqual(expected.length === 0 ? ['no_data_rows'] : []);
        },
      ),
      { numRuns },
    );
  });
});
