// Shows where a validation's memory goes as a file is read: resident memory, the JavaScript heap (after a
// full collection, so only what is still referenced counts) and typed-array memory (the duplicate index),
// sampled every 10% of the file, with email unique (the in-file duplicate index) and without.
//
// Run by `npm run bench`, or alone: node --expose-gc .bench/validate-build/bench/validate/memory-profile.js FILE [no-index]
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { column, defineSchema, emailSchema, nameSchema, usersSchema, validateFile } from '../../src/index.js';

const file = process.argv[2]!;
const unique = process.argv[3] !== 'no-index';
const size = statSync(file).size;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

const extra = {
  department: column({ label: 'Department' }),
  jobTitle: column({ label: 'Job Title' }),
  employeeId: column({ label: 'Employee ID' }),
};
// The same columns, with nothing unique: no duplicate index.
const schema = unique
  ? usersSchema.extend(extra)
  : defineSchema({
      firstName: column({ label: 'First Name', required: true, schema: nameSchema(100) }),
      lastName: column({ label: 'Last Name', required: true, schema: nameSchema(100) }),
      email: column({ label: 'Email', required: true, schema: emailSchema() }),
      ...extra,
    });

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(0).padStart(4);
let read = 0;
let nextSample = 0;
async function* sampled(): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(file, { highWaterMark: 64 * 1024 })) {
    read += (chunk as Buffer).length;
    if (read >= nextSample) {
      gc!();
      const m = process.memoryUsage();
      process.stdout.write(
        `${((100 * read) / size).toFixed(0).padStart(3)}%  rss ${mib(m.rss)} MiB  heap used ${mib(m.heapUsed)} MiB  array buffers ${mib(m.arrayBuffers)} MiB\n`,
      );
      nextSample += size / 10;
    }
    yield chunk as Buffer;
  }
}

process.stdout.write(`${basename(file)}, email ${unique ? 'unique (duplicate index)' : 'not unique (no index)'}\n`);
const summary = await validateFile(sampled(), { schema, maxRows: Number.MAX_SAFE_INTEGER, maxBytes: Number.MAX_SAFE_INTEGER });
gc();
const m = process.memoryUsage();
process.stdout.write(
  `end   rss ${mib(m.rss)} MiB  heap used ${mib(m.heapUsed)} MiB  array buffers ${mib(m.arrayBuffers)} MiB  peak rss ${mib(process.resourceUsage().maxRSS * 1024)} MiB  (${summary.rowCount} rows, valid ${summary.valid})\n`,
);
