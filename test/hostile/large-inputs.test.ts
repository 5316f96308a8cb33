import { describe, expect, it } from 'vitest';
import type { ErrorSummary } from '../../src/report/summary.js';
import { usersSchema } from '../../src/schema/users.js';
import { validateAll } from '../laws/helpers.js';
import { heapAfterCollection, streamOf } from './helpers.js';

const header = 'First Name,Last Name,Email\r\n';
const row = 'Ada,Byron,ada@example.com\r\n';
const MiB = 1024 * 1024;

/**
 * Validates a file streamed in 64 KiB chunks that are built as they are read, and returns the summary with
 * the heap the validation left in use once collected while the summary is still held: what a host keeping
 * the summary pays.
 */
async function validateStream(parts: readonly (readonly [string, number])[]): Promise<{ summary: ErrorSummary; kept: number }> {
  const before = heapAfterCollection();
  const { summary } = await validateAll(streamOf(parts), { schema: usersSchema });
  return { summary, kept: heapAfterCollection() - before };
}

const codes = (summary: ErrorSummary): (string | number | null)[][] =>
  [...summary.errors, ...summary.warnings].map((issue) => [issue.row, issue.code]);

// Each file is streamed, never held whole; each summary keeps less than 4 MiB alive, however large the file.
describe('large single inputs give a summary with the right limit issue, and keep none of the file', () => {
  it('a cell of 100 MB in a data row is a row too long to read, at its row; the rows after it are read', async () => {
    const { summary, kept } = await validateStream([[header, 1], ['Ada,Byron,"', 1], ['x'.repeat(MiB), 100], ['",ada@example.com\r\n', 1], [row.replace('ada@', 'bob@'), 1]]);
    expect(codes(summary)).toEqual([[2, 'malformed_csv']]);
    expect(summary.errors[0]?.message).toContain('too long');
    expect(summary.rowCount).toBe(2);
    expect(summary.file.bytes).toBe(header.length + 11 + 100 * MiB + 19 + row.length);
    expect(kept).toBeLessThan(4 * MiB);
  });

  // Before the header row was found in one pass, this took hours: every chunk rescanned the header so far.
  it('a header row of 100 MB that never ends is a row too long, read in time linear in its length', async () => {
    const { summary, kept } = await validateStream([['First Name,Last Name,Email', 1], ['h'.repeat(MiB), 100]]);
    expect(codes(summary)).toEqual([[1, 'malformed_csv']]);
    expect(summary.file).toMatchObject({ bytes: 26 + 100 * MiB, delimiter: ',' });
    expect(kept).toBeLessThan(4 * MiB);
  });

  it('a quote opening a header cell of 100 MB, never closed: row 1 is malformed, and the lines after it are rows', async () => {
    const { summary } = await validateStream([['"', 1], ['x\r\n'.repeat(1024), 100 * 340]]);
    // The reader starts again on the line after the malformed row, so the million rows allowed run out.
    expect(codes(summary)).toEqual([[null, 'too_many_rows'], [1, 'malformed_csv']]);
    expect(summary.rowCount).toBe(1_000_000);
  });

  it('100,000 columns: the three known ones are checked, every other is an unknown column, the row is valid', async () => {
    const extra = Array.from({ length: 99_997 }, (_, i) => `,C${i}`).join('');
    const { summary } = await validateStream([[`First Name,Last Name,Email${extra}\r\n`, 1], [`Ada,Byron,ada@example.com${',x'.repeat(99_997)}\r\n`, 1]]);
    expect(summary).toMatchObject({ valid: true, rowCount: 1, warningCount: 99_997 });
    expect(summary.file.unknownColumns).toHaveLength(99_997);
    expect(summary.file.unknownColumns.at(-1)).toBe('C99996');
    // Listed up to maxIssues (1,000 by default), counted exactly.
    expect(summary.warnings).toHaveLength(1_000);
    expect(summary.truncated).toBe(true);
  });

  it('a header of 100,000 characters in one label is one unknown column, its value cut in the summary', async () => {
    const { summary } = await validateStream([[`First Name,Last Name,Email,${'h'.repeat(100_000)}\r\n`, 1], [`${row.trimEnd()},x\r\n`, 1]]);
    expect(summary).toMatchObject({ valid: true, rowCount: 1 });
    expect(summary.warnings.map((w) => w.code)).toEqual(['unknown_column']);
    expect(summary.warnings[0]?.value).toBe(`${'h'.repeat(256)}…`);
  });

  it('a million quotes as the header row: no column is found, nothing throws', async () => {
    const { summary } = await validateStream([['"', 1_000_000], ['\r\n', 1], [row, 1]]);
    expect(summary.valid).toBe(false);
    expect(summary.errors.map((e) => e.code)).toEqual(['missing_column', 'missing_column', 'missing_column']);
  });

  it('a million quotes in a data cell, plain or quoted, are too long for it', async () => {
    const plain = await validateStream([[header, 1], ['Ada,Byron,', 1], ['"', 1_000_000], ['\r\n', 1]]);
    expect(codes(plain.summary)).toEqual([[2, 'too_long']]);
    // A quoted cell of 499,999 doubled quotes holds 499,999 quotes.
    const quoted = await validateStream([[header, 1], ['Ada,Byron,"', 1], ['""', 499_999], ['"\r\n', 1]]);
    expect(codes(quoted.summary)).toEqual([[2, 'too_long']]);
    expect(quoted.summary.errors[0]?.message).toContain('499999');
  });

  it('a million empty lines before the header and after the data: the data row keeps its row number', async () => {
    const { rows, summary } = await validateAll(streamOf([['\r\n', 1_000_000], [header, 1], [row, 1], ['\n', 1_000_000]]), { schema: usersSchema });
    expect(summary).toMatchObject({ valid: true, rowCount: 1 });
    expect(rows.map((r) => r.row)).toEqual([1_000_002]);
    const crOnly = await validateAll(streamOf([['\r', 1_000_000], [header.replace('\r\n', '\r'), 1], [row.replace('\r\n', '\r'), 1]]), { schema: usersSchema });
    expect(crOnly.rows.map((r) => r.row)).toEqual([1_000_002]);
  });

  it('a million lines of spaces before the header, and a blank line of 10 MB of spaces', async () => {
    const { rows } = await validateAll(streamOf([['  \t \r\n', 1_000_000], [' '.repeat(MiB), 10], ['\r\n', 1], [header, 1], [row, 1]]), { schema: usersSchema });
    expect(rows.map((r) => r.row)).toEqual([1_000_003]);
  });

  // Every too-long cell's issue kept a copy of the whole cell: 100 rows with a cell of 900,000 characters left
  // 86 MB in use for as long as the summary was held.
  it('a summary of a hundred cells too long keeps only the start of each value', async () => {
    const { summary, kept } = await validateStream([[header, 1], [`${'x'.repeat(900_000)},Byron,ada@example.com\r\n`, 100]]);
    expect(summary.countsByCode.too_long).toBe(100);
    expect(summary.errors[0]?.value).toBe(`${'x'.repeat(256)}…`);
    expect(kept).toBeLessThan(4 * MiB);
  });

  it('file_too_large past maxBytes, without reading further', async () => {
    const { summary } = await validateAll(streamOf([[header, 1], [row, 10 * MiB]]), { schema: usersSchema, maxBytes: 16 * MiB });
    expect(summary.errors.map((e) => e.code)).toContain('file_too_large');
    expect(summary.file.bytes).toBeLessThanOrEqual(16 * MiB + 64 * 1024);
  });
});

describe('regressions found by the hostile-bytes law', () => {
  // A NUL byte in a later chunk than the header row used to leave the header's issues beside unsupported_file.
  it('a file refused as binary reports only that, wherever the NUL byte falls among the chunks', async () => {
    const bytes = Uint8Array.from([0x09, ...new TextEncoder().encode('First Name\n'), 0x00]);
    const whole = await validateAll(bytes, { schema: usersSchema });
    const byByte = await validateAll(Array.from(bytes, (b) => Uint8Array.of(b)), { schema: usersSchema });
    expect(whole.summary.errors.map((e) => e.code)).toEqual(['unsupported_file']);
    expect(byByte.summary).toEqual(whole.summary);
  });
});
