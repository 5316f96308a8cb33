import fc from 'fast-check';
import { RollcallError } from '../rollcall-error.js';
import type { Column } from '../schema/column.js';
import type { Schema } from '../schema/define-schema.js';
import { usersSchema } from '../schema/users.js';
import { emailAddress } from './emails.js';
import { personName } from './names.js';
import { columnsOf, isBlankRow, looksLikeExample, resolve, type Resolved, type RowCells, type RowOptions } from './row-options.js';
import { fitsCharset, isWellFormed, type Charset } from './text.js';

const builtIn = usersSchema.columns;

/** Letters, digits, spaces and the characters CSV files and spreadsheets treat specially. */
function genericUnit(charset: Charset): fc.Arbitrary<string> {
  const special = fc.constantFrom(' ', ',', ';', '|', '"', "'", '\t', '\n', '\r\n', '=', '+', '-', '@', '.', '#', '/');
  const latin = fc.constantFrom(...Array.from('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éÉüßøÆñ€’'));
  if (charset === 'windows-1252') return fc.oneof({ arbitrary: latin, weight: 3 }, { arbitrary: special, weight: 1 });
  const any = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 });
  return fc.oneof({ arbitrary: latin, weight: 2 }, { arbitrary: special, weight: 1 }, { arbitrary: any, weight: 2 });
}

/** Whether a cell text is one a column accepts as a non-blank value, within the limits and the charset. */
function accepts(column: Column, text: string, r: Resolved): boolean {
  const cell = text.trim();
  return (
    cell !== '' &&
    cell.length <= r.maxCellLength &&
    fitsCharset(text, r.charset) &&
    isWellFormed(text) &&
    column.schema.safeParse(cell).success
  );
}

/**
 * Non-blank texts a column accepts, or `undefined` when the kit knows none. For a host column, its example
 * and generic text that its rule accepts (text the rule refuses becomes the example instead).
 */
function validCell(key: string, column: Column, r: Resolved): fc.Arbitrary<string> | undefined {
  const own = r.overrides[key]?.valid;
  if (own !== undefined) {
    return own.filter((text) => fitsCharset(text, r.charset)).map((text) => {
      if (!accepts(column, text, r)) {
        throw new RollcallError('invalid_option', `The valid arbitrary of column "${key}" gave ${JSON.stringify(text)}, which the column refuses.`);
      }
      return text;
    });
  }
  const fits = (text: string): boolean => text.length <= r.maxCellLength;
  if (column === builtIn.firstName || column === builtIn.lastName) return personName({ charset: r.charset }).filter(fits);
  if (column === builtIn.email) return emailAddress({ charset: r.charset }).filter(fits);
  const example = column.example !== undefined && accepts(column, column.example, r) ? column.example : undefined;
  const generic = fc.string({ unit: genericUnit(r.charset), minLength: 1, maxLength: 24 }).map((text) => text.trim());
  if (example === undefined) {
    if (!fc.sample(generic, { numRuns: 100, seed: 1 }).some((text) => accepts(column, text, r))) return undefined;
    return generic.filter((text) => accepts(column, text, r));
  }
  return fc.oneof(fc.constant(example), generic.map((text) => (accepts(column, text, r) ? text : example)));
}

/**
 * Rows that a schema accepts: every required column filled, optional columns filled or blank, each cell
 * one the column's rule accepts.
 *
 * For the built-in columns the cells are realistic: names in many scripts with apostrophes, hyphens and
 * spaces (some looking like formulas, some holding delimiters or quotes) and valid email addresses, all in
 * the form the validator stores, so a row's validated value equals its cells. For a host's column the kit
 * knows only the rule, not what it means: it generates the column's `example` and generic text (letters,
 * digits, delimiters, quotes, line breaks, any Unicode) that the rule accepts; for a rule that generic text
 * rarely meets (a pattern such as `E` and six digits), that is only the example. Give a `valid` arbitrary in
 * `options.columns` for such a column. A required column with neither throws a `RollcallError`.
 *
 * Cells have no spaces around them, and never make up the template's example row.
 *
 * @example
 * fc.assert(fc.property(validRow(usersSchema), (cells) => usersSchema.columns.email.schema.safeParse(cells.email).success));
 */
export function validRow(schema: Schema, options: RowOptions = {}): fc.Arbitrary<RowCells> {
  const r = resolve(options);
  const entries = columnsOf(schema).map(([key, column]) => {
    const cell = validCell(key, column, r);
    if (cell === undefined) {
      if (column.required) {
        throw new RollcallError(
          'invalid_option',
          `The kit cannot make a valid value for the required column "${key}": give it an example its rule accepts, or a valid arbitrary in options.columns.`,
        );
      }
      return fc.constant('');
    }
    if (column.required) return cell;
    return fc.oneof({ arbitrary: fc.constant(''), weight: 1 }, { arbitrary: cell, weight: 3 });
  });
  const keys = columnsOf(schema).map(([key]) => key);
  return fc
    .tuple(...entries)
    .map((values) => Object.fromEntries(keys.map((key, i) => [key, values[i] ?? ''])))
    .filter((cells) => !isBlankRow(cells) && !looksLikeExample(schema, cells));
}

