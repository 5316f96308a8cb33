/**
 * Checks an uploaded file and shows the admin what to fix: the error summary as a text table, every problem
 * with its spreadsheet row, column and a sentence saying how to fix it. The file is read as it streams in,
 * so memory does not grow with its size. `docs/validation.md` and `docs/errors.md` say more.
 *
 * In a host application the import is `rollcall`.
 */
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { renderText, validateFile, type ErrorSummary } from 'rollcall';

/** Validates `examples/users-with-problems.csv`, prints its error summary and returns it. */
export async function main(print: (text: string) => void = console.log): Promise<ErrorSummary> {
  // Any source works: a Node stream as here, a Web ReadableStream (`request.body`), a Blob, bytes or a string.
  const upload = createReadStream(new URL('users-with-problems.csv', import.meta.url));
  const summary = await validateFile(upload);

  if (!summary.valid) print(renderText(summary));

  // Row 1 is the header; Ada on row 2 is fine, each of the next three rows has one problem.
  assert.equal(summary.valid, false);
  assert.deepEqual(
    summary.errors.map((issue) => [issue.row, issue.column, issue.code]),
    [
      [3, 'Last Name', 'required'],
      [4, 'Email', 'invalid_email'],
      [5, 'Email', 'duplicate_in_file'],
    ],
  );
  return summary;
}
