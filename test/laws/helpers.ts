import { createDecoder } from '../../src/input/decode.js';
import { RecordReader } from '../../src/input/records.js';
import type { InputSource } from '../../src/input/source.js';
import type { Delimiter, ErrorSummary } from '../../src/report/summary.js';
import type { Schema } from '../../src/schema/define-schema.js';
import type { RowResult } from '../../src/validate/file-validator.js';
import { validateRows, type ValidateOptions } from '../../src/validate/validate-rows.js';

/** Runs per property: 200 locally, 1,000 in CI (`FC_RUNS=1000` in .ci/run). */
export const numRuns = Number(process.env.FC_RUNS ?? 200);

/** Every row result and the summary of one validation. */
export async function validateAll(
  input: InputSource,
  options: ValidateOptions<Schema>,
): Promise<{ rows: RowResult[]; summary: ErrorSummary }> {
  const stream = validateRows(input, options);
  const rows: RowResult[] = [];
  for await (const row of stream) rows.push(row);
  return { rows, summary: await stream.summary() };
}

/**
 * Reads CSV bytes the way the validator does, without checking anything: decoded (BOM, encoding) by rollcall's
 * decoder, then split into records by rollcall's record reader with the given delimiter.
 */
export function readCsv(bytes: Uint8Array, delimiter: Delimiter): string[][] {
  const decoder = createDecoder();
  const text = decoder.write(bytes) + decoder.end();
  const records: string[][] = [];
  const reader = new RecordReader(
    delimiter,
    {
      record: (cells) => records.push(cells),
      malformed: (row, reason) => {
        throw new Error(`row ${row} is malformed: ${reason}`);
      },
    },
    { maxRecordBytes: 1 << 26 },
  );
  reader.write(new TextEncoder().encode(text));
  reader.end();
  return records;
}

/** The string as it is after being written to a UTF-8 file: each lone surrogate becomes U+FFFD. */
export function asWritten(text: string): string {
  return text.replace(/\p{Cs}/gu, '\uFFFD');
}
