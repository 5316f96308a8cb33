import type { Schema } from '../schema/define-schema.js';
import { RollcallError } from '../rollcall-error.js';

/**
 * The keys of the columns a template shows, in schema order: every required column, and the optional
 * columns named in `include` (all of them when `include` is not given). Throws a `RollcallError` with code
 * `invalid_option` for a key the schema does not define.
 *
 * @example
 * selectColumns(usersSchema.extend({ phone: column({ label: 'Phone' }) }), []); // ['firstName', 'lastName', 'email']
 */
export function selectColumns(schema: Schema, include?: readonly string[]): readonly string[] {
  if (include === undefined) return schema.keys;
  for (const key of include) {
    if (!Object.hasOwn(schema.columns, key)) {
      throw new RollcallError('invalid_option', `The schema has no column "${key}"; its columns are ${schema.keys.join(', ')}.`, {
        cause: { option: 'columns', value: key },
      });
    }
  }
  const wanted = new Set(include);
  return schema.keys.filter((key) => schema.columns[key]?.required === true || wanted.has(key));
}
