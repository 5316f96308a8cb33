import { renderJson } from '../report/render-json.js';
import { renderText } from '../report/render-text.js';
import { validateFile } from '../validate/validate-rows.js';
import { parseCommandArgs, positiveInteger, UsageError } from './args.js';
import { openInput, textOptions, type CliIO } from './io.js';

export const validateUsage = `Usage: rollcall validate FILE [--json] [--sheet NAME] [--max-rows N] [--max-bytes N] [--max-issues N]

Checks a users CSV file or workbook, .xlsx or .ods (FILE, or - for standard input) against the users schema.
Exit code 0: the file is valid; 1: it has problems; 2: the command could not run.
  --json          print one JSON object: { valid, rowCount, errorCount, errors, warnings, truncated, file, ... }
  --sheet NAME    the workbook sheet to read (default: the first visible worksheet)
  --max-rows N    the most data rows accepted (default 1,000,000)
  --max-bytes N   the largest file accepted, in bytes (default 134,217,728)
  --max-issues N  the most issues listed; counts stay exact (default 1,000)
`;

/** `rollcall validate`: exit 0 when the file is valid, 1 when it has problems, 2 when it could not run. */
export async function validateCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean' },
      sheet: { type: 'string' },
      'max-rows': { type: 'string' },
      'max-bytes': { type: 'string' },
      'max-issues': { type: 'string' },
    },
  });
  if (positionals.length !== 1 || positionals[0] === undefined) throw new UsageError('validate takes one FILE');
  const limits = {
    maxRows: positiveInteger('max-rows', values['max-rows']),
    maxBytes: positiveInteger('max-bytes', values['max-bytes']),
    maxIssues: positiveInteger('max-issues', values['max-issues']),
  };
  const input = await openInput(positionals[0], io);
  const summary = await validateFile(input, {
    ...(limits.maxRows === undefined ? {} : { maxRows: limits.maxRows }),
    ...(limits.maxBytes === undefined ? {} : { maxBytes: limits.maxBytes }),
    ...(limits.maxIssues === undefined ? {} : { maxIssues: limits.maxIssues }),
    ...(values.sheet === undefined ? {} : { sheet: values.sheet }),
  });
  if (values.json === true) {
    io.stdout.write(`${JSON.stringify(renderJson(summary))}\n`);
  } else if (summary.valid) {
    const users = summary.rowCount === 1 ? '1 user' : `${summary.rowCount.toLocaleString('en-US')} users`;
    io.stdout.write(`The file is valid: ${users} ready to import.\n`);
    if (summary.warningCount > 0) io.stdout.write(`\n${renderText(summary, textOptions(io))}\n`);
  } else {
    io.stdout.write(`The file has problems; nothing can be imported until they are fixed.\n\n${renderText(summary, textOptions(io))}\n`);
  }
  return summary.valid ? 0 : 1;
}
