import { resolve } from 'node:path';
import type { CsvWriteOptions } from '../csv-out/csv-options.js';
import { usersSchema } from '../schema/users.js';
import { generateTemplate } from '../template/generate-template.js';
import { parseCommandArgs, UsageError } from './args.js';
import type { CliIO } from './io.js';
import { writeOutFile } from './write-out.js';

export const templateUsage = `Usage: rollcall template [--out FILE [--force]] [--format csv|xlsx] [--example] [--delimiter D] [--no-bom] [--lf]

Writes the users import template (First Name, Last Name, Email) for Excel, to standard output or FILE.
By default: UTF-8 with a byte order mark, CRLF line endings, comma-separated.
  --out FILE      write the template to FILE instead of standard output; an existing FILE is refused
  --force         replace an existing FILE (a symbolic link is replaced, not written through)
  --format xlsx   write an Excel workbook instead (needs --out): a bold, frozen header row, required
                  columns marked *, every column formatted as text
  --example       add a row of example values (uploading it unchanged is reported, never imported)
  --delimiter D   , ; | or tab (European Excel expects ;)
  --no-bom        leave out the byte order mark (Excel then misreads accented letters)
  --lf            end lines with LF instead of CRLF
`;

const delimiters: Readonly<Record<string, NonNullable<CsvWriteOptions['delimiter']>>> = {
  ',': ',',
  ';': ';',
  '|': '|',
  tab: '\t',
  '\t': '\t',
};

/** `rollcall template`: writes the users template; exit 0, or 2 when the command could not run. */
export async function templateCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string' },
      force: { type: 'boolean' },
      example: { type: 'boolean' },
      delimiter: { type: 'string' },
      'no-bom': { type: 'boolean' },
      lf: { type: 'boolean' },
      format: { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`template takes no FILE argument (use --out ${positionals[0] ?? ''})`);
  if (values.force === true && values.out === undefined) throw new UsageError('--force goes with --out FILE');
  const format = values.format ?? 'csv';
  if (format !== 'csv' && format !== 'xlsx') throw new UsageError(`--format takes csv or xlsx, got "${format}"`);
  if (format === 'xlsx') {
    // A workbook is no text for a terminal, so it needs a file.
    if (values.out === undefined) throw new UsageError('--format xlsx needs --out FILE (a workbook is not text for a terminal)');
    const textOnly = (['delimiter', 'no-bom', 'lf'] as const).find((name) => values[name] !== undefined);
    if (textOnly !== undefined) throw new UsageError(`--${textOnly} is for the CSV template; a workbook has no delimiter, byte order mark or line endings`);
    const workbook = generateTemplate(usersSchema, { format: 'xlsx', exampleRow: values.example === true });
    await writeOutFile(resolve(io.cwd, values.out), values.out, workbook.bytes, values.force === true);
    io.stderr.write(`Wrote the import template to ${values.out}.\n`);
    return 0;
  }
  const delimiter = values.delimiter === undefined ? ',' : delimiters[values.delimiter];
  if (delimiter === undefined) throw new UsageError(`--delimiter takes , ; | or tab, got "${values.delimiter ?? ''}"`);
  const template = generateTemplate(usersSchema, {
    delimiter,
    bom: values['no-bom'] !== true,
    lineEnding: values.lf === true ? '\n' : '\r\n',
    exampleRow: values.example === true,
  });
  if (values.out === undefined) {
    io.stdout.write(template.text);
    return 0;
  }
  await writeOutFile(resolve(io.cwd, values.out), values.out, template.bytes, values.force === true);
  io.stderr.write(`Wrote the import template to ${values.out}.\n`);
  return 0;
}
