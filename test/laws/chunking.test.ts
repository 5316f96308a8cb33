import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkings } from '../../src/testing/chunkings.js';
import { excelFile } from '../../src/testing/excel-file.js';
import { numRuns, validateAll } from './helpers.js';
import { generatedSchema } from './schemas.js';

/** Bytes that break a file in the places readers get wrong: stray quotes, lone CRs, cut characters. */
const damage = fc.array(
  fc.record({ at: fc.nat(), bytes: fc.constantFrom([0x22], [0x0d], [0x0a], [0xc3], [0xe2, 0x80], [0xef, 0xbb, 0xbf], [0x2c, 0x22, 0x3b]) }),
  { maxLength: 3 },
);

/** Limits that cut in: few rows, few issues kept, short cells. (maxBytes is left out: rows read before the
 * chunk that passes it are already out, so which rows come out depends on the chunking by design.) */
const limits = fc.record(
  { maxRows: fc.integer({ min: 1, max: 6 }), maxIssues: fc.integer({ min: 1, max: 6 }), maxCellLength: fc.integer({ min: 5, max: 60 }) },
  { requiredKeys: [] },
);

function insert(bytes: Uint8Array, edits: readonly { at: number; bytes: readonly number[] }[]): Uint8Array {
  let out = bytes;
  for (const edit of edits) {
    const at = edit.at % (out.length + 1);
    out = Uint8Array.from([...out.subarray(0, at), ...edit.bytes, ...out.subarray(at)]);
  }
  return out;
}

describe('law: any chunking of any file gives the same rows and summary', () => {
  it('for generated files in every dialect, intact or damaged, under any limits, end to end through validateRows', async () => {
    await fc.assert(
      fc.asyncProperty(
        generatedSchema.chain((generated) =>
          fc
            .tuple(excelFile(generated.schema, undefined, { invalid: true, duplicates: true, unknownColumns: true, columns: generated.columns }), damage, limits)
            .chain(([file, edits, limit]) => {
              const bytes = insert(file.bytes, edits);
              return chunkings(bytes).map((chunks) => ({ generated, bytes, chunks, limit }));
            }),
        ),
        async ({ generated: { schema }, bytes, chunks, limit }) => {
          const whole = await validateAll(bytes, { schema, ...limit });
          const chunked = await validateAll(chunks, { schema, ...limit });
          expect(chunked.rows).toEqual(whole.rows);
          expect(chunked.summary).toEqual(whole.summary);
        },
      ),
      { numRuns },
    );
  });
});

describe('regressions found by the chunking law', () => {
  // FileValidator used to stop counting in the chunk where it refused the file: 11 bytes read when given
  // whole, 8 when given byte by byte.
  it('FileInfo.bytes of a file refused as binary does not depend on how the input was chunked', async () => {
    const bytes = new TextEncoder().encode('a\u0000bcdefghij');
    const whole = await validateAll(bytes, {});
    const byByte = await validateAll(Array.from(bytes, (b) => Uint8Array.of(b)), {});
    expect(whole.summary.errors.map((e) => e.code)).toEqual(['unsupported_file']);
    expect(byByte.summary.file.bytes).toBe(whole.summary.file.bytes);
  });

  // The same stop left the encoding undecided or decided depending on the chunking.
  it('FileInfo.encoding of a file refused as binary does not depend on how the input was chunked', async () => {
    const bytes = Uint8Array.from([0x61, 0x00, 0xe9, ...new Array<number>(5000).fill(0x78)]);
    const whole = await validateAll(bytes, {});
    const byByte = await validateAll(Array.from(bytes, (b) => Uint8Array.of(b)), {});
    expect(whole.summary.errors.map((e) => e.code)).toEqual(['unsupported_file']);
    expect(byByte.summary.file.encoding).toBe(whole.summary.file.encoding);
  });
});
