// What a developer writes by hand: csv-parse with `columns: true`, a zod object per row, and a Set of the
// addresses seen so far for duplicates.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { finish } from '../child.js';
import { handRowSchema } from './hand-schema.js';

const file = process.argv[2]!;
const seen = new Set<string>();
let rows = 0;
let refused = 0;
const parser = createReadStream(file).pipe(parse({ bom: true, columns: true, relax_column_count: true }));
parser.on('data', (record: Record<string, string>) => {
  rows++;
  const result = handRowSchema.safeParse(record);
  if (!result.success) {
    refused++;
    return;
  }
  const key = result.data.Email.toLowerCase();
  if (seen.has(key)) refused++;
  else seen.add(key);
});
parser.on('end', () => {
  finish({ rows, refused });
});
