import type { Schema } from '../schema/define-schema.js';
import { columnsOf, type RowCells } from './row-options.js';

/**
 * The value the validator gives a valid row: each non-blank cell, trimmed, through its column's rule (for
 * the built-in columns and the kit's rows, that is the cell itself).
 *
 * @example
 * validatedValue(usersSchema, { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' });
 */
export function validatedValue(schema: Schema, cells: RowCells): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const [key, column] of columnsOf(schema)) {
    const cell = (cells[key] ?? '').trim();
    if (cell !== '') value[key] = column.schema.parse(cell);
  }
  return value;
}
