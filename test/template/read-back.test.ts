import { describe, expect, it } from 'vitest';
import { column } from '../../src/schema/column.js';
import { usersSchema } from '../../src/schema/users.js';
import { generateTemplate } from '../../src/template/generate-template.js';
import { validateRows } from '../../src/validate/validate-rows.js';

describe('templates read back by the validator', () => {
  it('regression: a label starting like a formula (=Total, +Phone, -Notes, @Handle) is matched though the template writes it neutralised', async () => {
    const schema = usersSchema.extend({
      total: column({ label: '=Total' }),
      phone: column({ label: '+Phone' }),
      notes: column({ label: '-Notes' }),
      handle: column({ label: '@Handle' }),
    });
    const template = generateTemplate(schema, { bom: false });
    expect(template.text).toBe(`First Name,Last Name,Email,"'=Total","'+Phone","'-Notes","'@Handle"\r\n`);
    const rows = [];
    const stream = validateRows(`${template.text}Ada,Byron,ada@example.com,12,555,n,@ada\r\n`, { schema });
    for await (const row of stream) rows.push(row);
    expect(rows).toEqual([
      {
        row: 2,
        valid: true,
        value: { firstName: 'Ada', lastName: 'Byron', email: 'ada@example.com', total: '12', phone: '555', notes: 'n', handle: '@ada' },
      },
    ]);
    expect((await stream.summary()).warnings).toEqual([]);
  });

  it('regression: a label holding NUL, which would make every template binary, is refused with invalid_schema', () => {
    // Refused when the schema is defined, before any template can be written.
    expect(() => usersSchema.extend({ bad: column({ label: 'Notes\u0000' }) })).toThrow(expect.objectContaining({ code: 'invalid_schema' }));
  });
});
