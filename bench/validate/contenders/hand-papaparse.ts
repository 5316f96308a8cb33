// The hand-written alternative with papaparse in place of csv-parse.
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';
import { finish } from '../child.js';
import { handRowSchema } from './hand-schema.js';

const file = process.argv[2]!;
const seen = new Set<string>();
let rows = 0;
let refused = 0;
// Decoded by Node (`encoding`), since papaparse decodes each Buffer chunk on its own and would break a
// character split across two chunks. papaparse drops the BOM itself.
Papa.parse<Record<string, string>>(createReadStream(file, { encoding: 'utf8' }), {
  header: true,
  skipEmptyLines: true,
  step(results) {
    rows++;
    const result = handRowSchema.safeParse(results.data);
    if (!result.success) {
      refused++;
      return;
    }
    const key = result.data.Email.toLowerCase();
    if (seen.has(key)) refused++;
    else seen.add(key);
  },
  complete() {
    finish({ rows, refused });
  },
});
