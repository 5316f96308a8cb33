// The library call a host makes: validateFile over a read stream, with the users schema extended by the
// three optional columns of the file.
import { createReadStream } from 'node:fs';
import { column, usersSchema, validateFile } from '../../../src/index.js';
import { finish } from '../child.js';

const schema = usersSchema.extend({
  department: column({ label: 'Department' }),
  jobTitle: column({ label: 'Job Title' }),
  employeeId: column({ label: 'Employee ID' }),
});

const file = process.argv[2]!;
const summary = await validateFile(createReadStream(file, { highWaterMark: 64 * 1024 }), {
  schema,
  maxRows: Number.MAX_SAFE_INTEGER,
  maxBytes: Number.MAX_SAFE_INTEGER,
});
if (summary.warningCount > 0 || summary.errorCount > 0) {
  process.stderr.write(`${JSON.stringify(summary.errors.slice(0, 3))}\n`);
}
finish({ rows: summary.rowCount, refused: summary.errorCount });
