import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { column } from '../../src/schema/column.js';
import { usersSchema } from '../../src/schema/users.js';
import { generateTemplate } from '../../src/template/generate-template.js';
import { validateFile } from '../../src/validate/validate-rows.js';
import { run } from '../cli/run-cli.js';

const schema = usersSchema.extend({
  employeeId: column({ label: 'Employee ID', schema: z.string(), example: '000123' }),
});

function parts(bytes: Uint8Array): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipSync(bytes)).map(([name, data]) => [name, strFromU8(data)]));
}

describe('generateTemplate: .xlsx', () => {
  it('writes a bold, frozen header with required columns marked, widths, and every column as text', () => {
    const template = generateTemplate(schema, { format: 'xlsx', exampleRow: true });
    expect(template).toMatchObject({
      filename: 'import-template.xlsx',
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      columns: ['firstName', 'lastName', 'email', 'employeeId'],
      labels: ['First Name', 'Last Name', 'Email', 'Employee ID'],
    });
    expect(template.headers['Content-Length']).toBe(String(template.bytes.length));
    const xml = parts(template.bytes);
    const sheet = xml['xl/worksheets/sheet1.xml'] ?? '';
    expect(sheet).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
    // Every column is styled 1, text (@, format 49); the header row's cells 2, text and bold.
    expect([...sheet.matchAll(/<col [^>]*style="(\d)"/gu)].map((m) => m[1])).toEqual(['1', '1', '1', '1']);
    expect(xml['xl/styles.xml']).toContain('<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>');
    expect(xml['xl/styles.xml']).toContain('<font><b/>');
    expect([...sheet.matchAll(/<c r="([A-Z]+1)" s="2" t="inlineStr"><is><t xml:space="preserve">([^<]*)</gu)].map((m) => m[2])).toEqual([
      'First Name *',
      'Last Name *',
      'Email *',
      'Employee ID',
    ]);
    expect(sheet).toContain('<t xml:space="preserve">000123</t>');
  });

  it('reads back: the header matches every column, and the example row is refused as such', async () => {
    const bare = await validateFile(generateTemplate(schema, { format: 'xlsx' }).bytes, { schema });
    expect(bare.errors.map((e) => e.code)).toEqual(['no_data_rows']);
    expect(bare.file.columns.map((c) => c.key)).toEqual(['firstName', 'lastName', 'email', 'employeeId']);
    expect(bare.warningCount).toBe(0);
    const example = await validateFile(generateTemplate(schema, { format: 'xlsx', exampleRow: true }).bytes, { schema });
    expect(example.errors.map((e) => [e.row, e.code])).toEqual([[2, 'example_row']]);
  });

  it('refuses a format it does not write', () => {
    expect(() => generateTemplate(schema, { format: 'ods' as 'xlsx' })).toThrow("format must be 'csv' or 'xlsx'");
  });
});

describe('rollcall template --format xlsx', () => {
  it('writes the workbook to --out, and needs --out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rollcall-template-'));
    const written = await run(['template', '--format', 'xlsx', '--example', '--out', 'users.xlsx'], { cwd: dir });
    expect(written).toMatchObject({ code: 0, stderr: 'Wrote the import template to users.xlsx.\n' });
    const summary = await validateFile(await readFile(join(dir, 'users.xlsx')));
    expect(summary.errors.map((e) => [e.row, e.code])).toEqual([[2, 'example_row']]);
    expect((await run(['template', '--format', 'xlsx'])).code).toBe(2);
    expect((await run(['template', '--format', 'pdf', '--out', 'x'])).code).toBe(2);
  });
});
