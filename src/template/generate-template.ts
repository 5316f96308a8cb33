import { resolveCsvOptions, type CsvWriteOptions } from '../csv-out/csv-options.js';
import { writeCsv } from '../csv-out/write-csv.js';
import { RollcallError } from '../rollcall-error.js';
import type { Schema } from '../schema/define-schema.js';
import { contentDisposition } from './content-disposition.js';
import { selectColumns } from './select-columns.js';
import { writeWorkbook } from './xlsx-writer.js';

/** Options of {@link generateTemplate}. The defaults make what Excel opens cleanly: UTF-8 with a BOM, CRLF, `,`. */
export interface TemplateOptions {
  /** Whether to start with a UTF-8 byte order mark; `true` unless told, because Excel needs it for accented labels. */
  readonly bom?: boolean;
  /** The line ending; `\r\n` unless told. */
  readonly lineEnding?: CsvWriteOptions['lineEnding'];
  /** The delimiter; `,` unless told. Excel in much of Europe expects `;`. */
  readonly delimiter?: CsvWriteOptions['delimiter'];
  /** The optional columns to include, by key (required columns are always included). Default: all. */
  readonly columns?: readonly string[];
  /**
   * Whether to add a row of the columns' example values. Default `false`. A file uploaded with this row
   * still in it gets an `example_row` error on that row, so the example never becomes a user.
   */
  readonly exampleRow?: boolean;
  /** The download's file name; `import-template.csv` (`.xlsx`) unless told. Any Unicode; no control characters. */
  readonly filename?: string;
  /**
   * `csv` (default), or `xlsx`: an Excel workbook with a bold, frozen header row, required columns marked `*`,
   * column widths to fit, and every column formatted as text (leading zeros and long IDs survive). `bom`,
   * `lineEnding` and `delimiter` apply to CSV only.
   */
  readonly format?: 'csv' | 'xlsx';
}

/** A template as an Excel workbook: a {@link Template} without text. */
export type WorkbookTemplate = Omit<Template, 'text'>;

/** A template, ready to save or to serve. */
export interface Template {
  /** The file's text, starting with U+FEFF when it has a byte order mark. */
  readonly text: string;
  /** The file's bytes: `text` in UTF-8. */
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** The download's file name. */
  readonly filename: string;
  /** `text/csv; charset=utf-8`. */
  readonly contentType: string;
  /** The HTTP headers to serve the file with: `Content-Type`, `Content-Disposition` and `Content-Length`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The keys of the columns in the template, in order. */
  readonly columns: readonly string[];
  /** The header labels, in order. */
  readonly labels: readonly string[];
  /** A new Web `Response` with the bytes and {@link Template.headers} (a body can be read only once). */
  response(): Response;
}

const contentType = 'text/csv; charset=utf-8';
const xlsxContentType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// A NUL byte makes a file binary to every CSV reader (rollcall's refuses it as unsupported_file), and a lone
// surrogate cannot be written in UTF-8: a template with either could never be read back.
const brokenCharacter = /\p{Cs}/u;

function checkLabels(labels: readonly string[]): void {
  for (const label of labels) {
    if (label.includes('\u0000') || brokenCharacter.test(label)) {
      throw new RollcallError('invalid_schema', `The label ${JSON.stringify(label)} holds a NUL or broken character, so no template with it could be read back.`, {
        cause: { label },
      });
    }
  }
}

/**
 * Writes the import template of a schema: one header row of the columns' labels in schema order and,
 * when asked, a row of their example values, through rollcall's formula-safe CSV writer. Bad options throw a
 * `RollcallError` with code `invalid_option`; a label
 * that no file can hold (a NUL or lone surrogate character) throws one with code `invalid_schema`.
 *
 * @example
 * // In any framework that speaks Web Responses (Hono, Next.js route handlers, Deno, Bun...):
 * return generateTemplate(usersSchema, { exampleRow: true }).response();
 * @example
 * // In Express:
 * const template = generateTemplate(usersSchema, { delimiter: ';' });
 * res.set(template.headers).send(Buffer.from(template.bytes));
 */
export function generateTemplate(schema: Schema, options: TemplateOptions & { readonly format: 'xlsx' }): WorkbookTemplate;
export function generateTemplate(schema: Schema, options?: TemplateOptions): Template;
export function generateTemplate(schema: Schema, options: TemplateOptions = {}): Template | WorkbookTemplate {
  // Checked at run time: a host's JavaScript may pass anything.
  const format: unknown = options.format;
  if (format !== undefined && format !== 'csv' && format !== 'xlsx') {
    throw new RollcallError('invalid_option', `format must be 'csv' or 'xlsx', got ${JSON.stringify(format)}.`);
  }
  if (options.format === 'xlsx') return workbookTemplate(schema, options);
  const csvOptions = resolveCsvOptions({
    bom: options.bom ?? true,
    ...(options.lineEnding === undefined ? {} : { lineEnding: options.lineEnding }),
    ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
  });
  const filename = options.filename ?? 'import-template.csv';
  const disposition = contentDisposition(filename);
  const columns = selectColumns(schema, options.columns);
  const labels = columns.map((key) => schema.columns[key]?.label ?? key);
  checkLabels(labels);
  const rows: string[][] = [labels];
  if (options.exampleRow === true) {
    const examples = columns.map((key) => schema.columns[key]?.example ?? '');
    // A row of blanks would read back as a blank line: there is nothing to show.
    if (examples.some((example) => example.trim() !== '')) rows.push(examples);
  }
  const text = writeCsv(rows, csvOptions);
  const bytes = new TextEncoder().encode(text);
  const headers = {
    'Content-Type': contentType,
    'Content-Disposition': disposition,
    'Content-Length': String(bytes.length),
  };
  return {
    text,
    bytes,
    filename,
    contentType,
    headers,
    columns,
    labels,
    response: () => new Response(bytes.slice(), { headers }),
  };
}

function workbookTemplate(schema: Schema, options: TemplateOptions): WorkbookTemplate {
  const filename = options.filename ?? 'import-template.xlsx';
  const disposition = contentDisposition(filename);
  const columns = selectColumns(schema, options.columns);
  const labels = columns.map((key) => schema.columns[key]?.label ?? key);
  checkLabels(labels);
  // The header reads back without the marker: `Email *` matches the column Email.
  const header = columns.map((key, i) => `${labels[i] ?? key}${schema.columns[key]?.required === true ? ' *' : ''}`);
  const examples = columns.map((key) => schema.columns[key]?.example ?? '');
  const withExample = options.exampleRow === true && examples.some((example) => example.trim() !== '');
  const widths = header.map((label, i) => Math.min(60, Math.max(12, label.length + 4, (withExample ? (examples[i] ?? '').length : 0) + 2)));
  const bytes = writeWorkbook({ name: 'Users', header, rows: withExample ? [examples] : [], widths });
  const headers = {
    'Content-Type': xlsxContentType,
    'Content-Disposition': disposition,
    'Content-Length': String(bytes.length),
  };
  return {
    bytes,
    filename,
    contentType: xlsxContentType,
    headers,
    columns,
    labels,
    response: () => new Response(bytes.slice(), { headers }),
  };
}
