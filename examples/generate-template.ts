/**
 * The import template an admin downloads, fills in Excel and uploads again: the built-in columns plus one of
 * the host's own, as "Excel CSV" (UTF-8 with a byte order mark, CRLF line endings), which Excel opens with
 * every accent intact. `docs/templates.md` lists every option.
 *
 * In a host application the import is `rollcall`.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { column, generateTemplate, usersSchema } from 'rollcall';

// First Name, Last Name and Email are built in and required; Department is the host's, and optional.
export const schema = usersSchema.extend({
  department: column({ label: 'Department', example: 'Finance' }),
});

/** Writes the template into `dir` and returns its path; throws if it is not the file Excel expects. */
export async function main(dir: string): Promise<string> {
  const template = generateTemplate(schema);
  // In a route handler, serve it instead of writing it:
  //   return template.response();                                      // Web Response (Hono, Next.js, Bun...)
  //   res.set(template.headers).send(Buffer.from(template.bytes));     // Express
  const path = join(dir, template.filename);
  await writeFile(path, template.bytes);

  // One header row: a byte order mark, the labels in schema order, CRLF.
  assert.equal(template.text, '\uFEFFFirst Name,Last Name,Email,Department\r\n');
  assert.deepEqual([...template.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.equal(template.headers['Content-Type'], 'text/csv; charset=utf-8');
  return path;
}
