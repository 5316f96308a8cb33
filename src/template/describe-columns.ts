import type { Schema } from '../schema/define-schema.js';
import { selectColumns } from './select-columns.js';

/** What an instructions page shows about one column of the template. */
export interface ColumnDescription {
  /** The schema key: the property name in validated rows. */
  readonly key: string;
  /** The header label the template writes. */
  readonly label: string;
  /** Whether every row must have a value. */
  readonly required: boolean;
  /** One sentence: what goes in the column. */
  readonly description: string | undefined;
  /** The value the template's example row shows. */
  readonly example: string | undefined;
  /** Other header texts accepted for the column. */
  readonly aliases: readonly string[];
}

/**
 * Describes the template's columns, in template order, for a host's instructions page: the CSV itself stays
 * a plain header row, because extra rows of instructions confuse Excel users and parsers. `columns` selects
 * optional columns as in `generateTemplate`.
 *
 * @example
 * for (const c of describeColumns(usersSchema)) console.log(`${c.label}${c.required ? ' (required)' : ''}: ${c.description ?? ''}`);
 */
export function describeColumns(schema: Schema, options: { readonly columns?: readonly string[] } = {}): ColumnDescription[] {
  return selectColumns(schema, options.columns).flatMap((key) => {
    const column = schema.columns[key];
    if (column === undefined) return [];
    return [
      {
        key,
        label: column.label,
        required: column.required,
        description: column.description,
        example: column.example,
        aliases: column.aliases,
      },
    ];
  });
}
