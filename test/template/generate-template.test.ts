import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RollcallError } from '../../src/rollcall-error.js';
import { column } from '../../src/schema/column.js';
import { defineSchema } from '../../src/schema/define-schema.js';
import { usersSchema } from '../../src/schema/users.js';
import { generateTemplate } from '../../src/template/generate-template.js';

const schema = usersSchema.extend({
  department: column({ label: 'Département', example: 'Finance', description: 'Where the user works.' }),
  phone: column({ label: 'Phone, mobile', example: '+44 20 7946 0000' }),
  notes: column({ label: 'Notes' }),
});

function hex(bytes: Uint8Array, count: number): string {
  return Array.from(bytes.subarray(0, count), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

describe('generateTemplate', () => {
  it('writes Excel CSV by default: a UTF-8 BOM, the labels in schema order, CRLF', () => {
    const template = generateTemplate(usersSchema);
    expect(template.text).toBe('\uFEFFFirst Name,Last Name,Email\r\n');
    expect(hex(template.bytes, 4)).toBe('ef bb bf 46');
    expect(Array.from(template.bytes.subarray(-2))).toEqual([0x0d, 0x0a]);
    expect(template.columns).toEqual(['firstName', 'lastName', 'email']);
    expect(template.labels).toEqual(['First Name', 'Last Name', 'Email']);
  });

  it('writes non-ASCII labels as UTF-8 and quotes a label that holds a delimiter', () => {
    const template = generateTemplate(schema);
    expect(template.text).toBe('\uFEFFFirst Name,Last Name,Email,Département,"Phone, mobile",Notes\r\n');
    // é is C3 A9 in UTF-8, right after "D".
    const at = template.bytes.indexOf(0x44, 3 + 'First Name,Last Name,Email,'.length);
    expect(hex(template.bytes.subarray(at), 3)).toBe('44 c3 a9');
  });

  it('adds the example row when asked, formula-safe, with blanks for columns without an example', () => {
    const template = generateTemplate(schema, { exampleRow: true });
    expect(template.text.split('\r\n')[1]).toBe(`Ada,Lovelace,ada.lovelace@example.com,Finance,"'+44 20 7946 0000",`);
  });

  it('leaves the example row out when no column has an example', () => {
    const plain = defineSchema({ code: column({ label: 'Code', required: true }) });
    expect(generateTemplate(plain, { exampleRow: true }).text).toBe('\uFEFFCode\r\n');
  });

  it('writes without a BOM, with LF, with ; or tab when asked', () => {
    expect(generateTemplate(usersSchema, { bom: false, lineEnding: '\n', delimiter: ';' }).text).toBe(
      'First Name;Last Name;Email\n',
    );
    expect(generateTemplate(usersSchema, { delimiter: '\t' }).text).toBe('\uFEFFFirst Name\tLast Name\tEmail\r\n');
  });

  it('includes the optional columns asked for, in schema order, and every required column', () => {
    const template = generateTemplate(schema, { columns: ['notes', 'department'] });
    expect(template.labels).toEqual(['First Name', 'Last Name', 'Email', 'Département', 'Notes']);
    expect(generateTemplate(schema, { columns: [] }).columns).toEqual(['firstName', 'lastName', 'email']);
  });

  it('refuses an unknown column key and bad CSV options with invalid_option', () => {
    expect(() => generateTemplate(schema, { columns: ['department', 'salary'] })).toThrow(
      expect.objectContaining({ code: 'invalid_option', cause: { option: 'columns', value: 'salary' } }),
    );
    expect(() => generateTemplate(schema, { delimiter: ':' as ',' })).toThrow(RollcallError);
    expect(() => generateTemplate(schema, { filename: 'a\r\nSet-Cookie: x=1' })).toThrow(RollcallError);
  });

  it('quotes a first label starting with ID when there is no BOM, so Excel does not take it for SYLK', () => {
    const ids = defineSchema({ id: column({ label: 'ID', required: true }) });
    expect(generateTemplate(ids, { bom: false }).text).toBe('"ID"\r\n');
  });

  it('gives the headers to serve it with, and a fresh Response each time', async () => {
    const template = generateTemplate(usersSchema, { filename: 'users.csv' });
    expect(template.contentType).toBe('text/csv; charset=utf-8');
    expect(template.headers).toEqual({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="users.csv"',
      'Content-Length': String(template.bytes.length),
    });
    const first = template.response();
    expect(first.headers.get('content-disposition')).toBe('attachment; filename="users.csv"');
    expect(new Uint8Array(await first.arrayBuffer())).toEqual(template.bytes);
    expect(await template.response().text()).toBe('First Name,Last Name,Email\r\n');
  });

  it('gives a non-ASCII filename as filename* with an ASCII fallback', () => {
    const template = generateTemplate(usersSchema, { filename: 'Modèle utilisateurs.csv' });
    expect(template.filename).toBe('Modèle utilisateurs.csv');
    expect(template.headers['Content-Disposition']).toBe(
      `attachment; filename="Modele utilisateurs.csv"; filename*=UTF-8''Mod%C3%A8le%20utilisateurs.csv`,
    );
  });

  it('keeps a column rule out of the template: the CSV is a plain header row', () => {
    const withRule = usersSchema.extend({
      employeeId: column({ label: 'Employee ID', schema: z.string().regex(/^E\d{6}$/), description: 'E and six digits.' }),
    });
    expect(generateTemplate(withRule).text).toBe('\uFEFFFirst Name,Last Name,Email,Employee ID\r\n');
  });
});
