import type { z } from 'zod';
import { RollcallError } from '../rollcall-error.js';
import type { CellSchema, Column } from './column.js';
import { normaliseHeader } from './normalise-header.js';

/** The columns of a schema, by the key each value gets in a validated row. */
export type Columns = Readonly<Record<string, Column>>;

type RequiredKeys<C extends Columns> = {
  [K in keyof C]: C[K] extends Column<CellSchema, true> ? K : never;
}[keyof C];

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The type of a validated row: required columns always present, optional ones absent when blank. */
export type InferRow<S extends Schema> =
  S extends Schema<infer C>
    ? Simplify<
        { [K in RequiredKeys<C>]: z.output<C[K]['schema']> } & {
          [K in Exclude<keyof C, RequiredKeys<C>>]?: z.output<C[K]['schema']>;
        }
      >
    : never;

/** The columns of an import file, in template order. */
export interface Schema<C extends Columns = Columns> {
  /** The columns by key, in template order. */
  readonly columns: C;
  /** The keys in template order. */
  readonly keys: readonly string[];
  /**
   * A new schema with more columns after these ones. Keys already defined cannot be redefined, so the
   * built-in required columns stay as they are.
   */
  extend<M extends Columns>(more: M & { [K in keyof M]: K extends keyof C ? never : M[K] }): Schema<C & M>;
}

/**
 * Defines the columns of an import file. The keys name the values of validated rows; the order is the
 * template's column order.
 *
 * @example
 * const schema = defineSchema({
 *   firstName: column({ label: 'First Name', required: true }),
 *   department: column({ label: 'Department' }),
 * });
 */
export function defineSchema<C extends Columns>(columns: C): Schema<C> {
  const keys = Object.keys(columns);
  checkHeaders(columns);
  return {
    columns,
    keys,
    extend: ((more: Columns) => {
      for (const key of Object.keys(more)) {
        if (Object.hasOwn(columns, key)) {
          throw new RollcallError('invalid_schema', `The column "${key}" is already defined; extend() only adds columns.`);
        }
      }
      return defineSchema({ ...columns, ...more });
    }) as Schema<C>['extend'],
  };
}

// A control character in a header would make the template a file rollcall refuses (NUL) or misreads.
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f\u007f]/u;

/** Refuses schemas where two columns would match the same header text, which would make files ambiguous. */
function checkHeaders(columns: Columns): void {
  const owners = new Map<string, string>();
  for (const [key, col] of Object.entries(columns)) {
    if (normaliseHeader(col.label) === '') {
      throw new RollcallError('invalid_schema', `The column "${key}" needs a label.`);
    }
    for (const text of [col.label, ...col.aliases]) {
      if (controlCharacters.test(text)) {
        throw new RollcallError('invalid_schema', `A header of column "${key}" holds a control character.`);
      }
    }
    for (const text of [col.label, ...col.aliases]) {
      const normal = normaliseHeader(text);
      const owner = owners.get(normal);
      if (owner !== undefined && owner !== key) {
        throw new RollcallError(
          'invalid_schema',
          `The header "${text}" of column "${key}" would also match column "${owner}".`,
        );
      }
      owners.set(normal, key);
    }
  }
}
