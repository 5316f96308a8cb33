import { describe, expect, it } from 'vitest';
import { column } from '../../src/schema/column.js';
import { usersSchema } from '../../src/schema/users.js';
import { describeColumns } from '../../src/template/describe-columns.js';

describe('describeColumns', () => {
  const schema = usersSchema.extend({
    department: column({ label: 'Department', example: 'Finance', description: 'Where the user works.', aliases: ['Dept'] }),
    notes: column({ label: 'Notes' }),
  });

  it('describes every column in template order, with required markers, descriptions, examples and aliases', () => {
    const described = describeColumns(schema);
    expect(described.map((c) => [c.label, c.required])).toEqual([
      ['First Name', true],
      ['Last Name', true],
      ['Email', true],
      ['Department', false],
      ['Notes', false],
    ]);
    expect(described[3]).toEqual({
      key: 'department',
      label: 'Department',
      required: false,
      description: 'Where the user works.',
      example: 'Finance',
      aliases: ['Dept'],
    });
    expect(described[2]?.example).toBe('ada.lovelace@example.com');
    expect(described[2]?.aliases).toContain('E-mail Address');
    expect(described[4]).toMatchObject({ description: undefined, example: undefined, aliases: [] });
  });

  it('selects optional columns like generateTemplate', () => {
    expect(describeColumns(schema, { columns: ['notes'] }).map((c) => c.key)).toEqual(['firstName', 'lastName', 'email', 'notes']);
  });
});
