import { z } from 'zod';

/** A zod schema for one cell: it receives the trimmed, non-blank cell text. */
export type CellSchema = z.ZodType<unknown, string>;

/** How a column is described when it is defined. */
export interface ColumnDefinition<S extends CellSchema = CellSchema, R extends boolean = boolean> {
  /** The header label the template writes, e.g. `First Name`. */
  readonly label: string;
  /** Other header texts admins use for this column, e.g. `Given Name`. Matched like the label. */
  readonly aliases?: readonly string[];
  /** Whether every row must have a value. A blank required cell is a `required` error. */
  readonly required?: R;
  /** The rule for a non-blank cell; it receives the trimmed text. Defaults to any text. */
  readonly schema?: S;
  /** A value the template's example row shows. */
  readonly example?: string;
  /** One sentence for the instructions page: what goes in this column. */
  readonly description?: string;
  /** Whether each value may appear only once in a file (`duplicate_in_file` otherwise). */
  readonly unique?: boolean;
  /**
   * The key two values are compared on when `unique` is set. Defaults to the validated value as text, in
   * Unicode NFC and lower case, so `Bob@Example.com` and `bob@example.com` are the same person.
   */
  readonly uniqueKey?: (value: z.output<S>) => string;
}

/** A column of a {@link Schema}: its definition with every default filled in. */
export interface Column<S extends CellSchema = CellSchema, R extends boolean = boolean> {
  /** The header label the template writes. */
  readonly label: string;
  /** Other header texts that match the column. */
  readonly aliases: readonly string[];
  /** Whether every row must have a value. */
  readonly required: R;
  /** The rule for a non-blank, trimmed cell. */
  readonly schema: S;
  /** The value the template's example row shows, if any. */
  readonly example: string | undefined;
  /** The sentence the template's instructions show, if any. */
  readonly description: string | undefined;
  /** Whether each value may appear only once in a file. */
  readonly unique: boolean;
  /** The key two values must share to count as the same, for a `unique` column. */
  readonly uniqueKey: (value: z.output<S>) => string;
}

const anyText = z.string();

/** The default duplicate key: the value as text, NFC, lower case. */
export function defaultUniqueKey(value: unknown): string {
  return String(value).normalize('NFC').toLowerCase();
}

/**
 * Defines one column of an import file.
 *
 * @example
 * const employeeId = column({
 *   label: 'Employee ID',
 *   schema: z.string().regex(/^E\d{6}$/, 'Use an E followed by six digits, like E012345'),
 *   example: 'E012345',
 *   unique: true,
 * });
 */
export function column<S extends CellSchema = z.ZodString, const R extends boolean = false>(
  definition: ColumnDefinition<S, R>,
): Column<S, R> {
  return {
    label: definition.label,
    aliases: definition.aliases ?? [],
    required: (definition.required ?? false) as R,
    schema: (definition.schema ?? anyText) as S,
    example: definition.example,
    description: definition.description,
    unique: definition.unique ?? false,
    uniqueKey: definition.uniqueKey ?? defaultUniqueKey,
  };
}
