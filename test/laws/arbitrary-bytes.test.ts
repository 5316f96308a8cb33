import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { usersSchema } from '../../src/schema/users.js';
import { chunkings } from '../../src/testing/chunkings.js';
import { excelFile } from '../../src/testing/excel-file.js';
import { numRuns, validateAll } from './helpers.js';

/** Bytes with the structure of a CSV file but anything in it: CSV syntax, BOMs, NULs, high bytes, UTF-16 pieces. */
const csvish = fc
  .array(
    fc.oneof(
      fc.constantFrom([0x22], [0x2c], [0x3b], [0x09], [0x7c], [0x0d], [0x0a], [0x0d, 0x0a], [0x20], [0x00], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff], [0xc3, 0xa9], [0xe9], [0x80], [0xf0, 0x9f]),
      fc.constantFrom('First Name', 'Last Name', 'Email', 'E-mail', 'ada@example.com', 'Zoë', '=1+1').map((text) => Array.from(new TextEncoder().encode(text))),
    ),
    { maxLength: 120 },
  )
  .map((parts) => Uint8Array.from(parts.flat()));

/** Files the kit generates, then cut short or with bytes overwritten. */
const damaged = fc
  .tuple(excelFile(usersSchema, undefined, { invalid: true }), fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }))
  .map(([file, cut, writes]) => {
    const bytes = file.bytes.slice(0, file.bytes.length - (cut % (file.bytes.length + 1)));
    for (const [at, byte] of writes) if (bytes.length > 0) bytes[at % bytes.length] = byte;
    return bytes;
  });

const limits = fc.record(
  {
    maxBytes: fc.integer({ min: 1, max: 400 }),
    maxRows: fc.integer({ min: 1, max: 5 }),
    maxCellLength: fc.integer({ min: 1, max: 30 }),
    maxIssues: fc.integer({ min: 1, max: 5 }),
  },
  { requiredKeys: [] },
);

describe('law: no input makes validateRows throw', () => {
  it('arbitrary bytes, CSV-like bytes and damaged files, in any chunking and under any limits, resolve a summary', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.uint8Array({ maxLength: 600 }), csvish, damaged).chain((bytes) => fc.tuple(chunkings(bytes), limits)),
        async ([chunks, limit]) => {
          const { rows, summary } = await validateAll(chunks, { schema: usersSchema, ...limit });
          expect(summary.errorCount).toBeGreaterThanOrEqual(summary.errors.length);
          expect(summary.valid).toBe(summary.errorCount === 0);
          // A file refused as binary by a late NUL byte has handed out rows read before it; its summary is
          // that of a refused file whatever the chunking (no rows), which is what callers act on.
          const refused = summary.errors.some((issue) => issue.code === 'unsupported_file');
          if (!refused) expect(summary.rowCount).toBeGreaterThanOrEqual(rows.length);
          else expect(summary.rowCount).toBe(0);
          for (let i = 1; i < rows.length; i++) expect(rows[i]!.row).toBeGreaterThan(rows[i - 1]!.row);
          for (const row of rows) expect(row.valid || row.issues.length > 0).toBe(true);
        },
      ),
      { numRuns },
    );
  });
});
