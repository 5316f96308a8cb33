import type { CellSchema } from '../schema/column.js';
import type { RollcallIssueParams } from './zod-params.js';

/** Why a cell failed a {@link PlainRule}: what the schema's one issue would carry as its rollcall params. */
export type RuleFailure = RollcallIssueParams['rollcall'];

/**
 * A cell schema's check written as a plain function: the value `safeParse` would output, or the failure
 * its single issue would report. The validator calls it instead of zod, which costs a result object, an
 * issues array and a context per cell: on a million-row file that is most of the time spent on cells.
 */
export type PlainRule = (cell: string) => string | RuleFailure;

const rules = new WeakMap<CellSchema, PlainRule>();

/**
 * Registers `rule` as the plain form of `schema` and returns `schema`. Only for a rule that gives, for
 * every string, exactly what `schema.safeParse` gives (tests hold both to that); a schema derived from
 * this one (`.optional()`, `.refine()`...) is a new object and is checked by zod.
 */
export function withPlainRule<S extends CellSchema>(schema: S, rule: PlainRule): S {
  rules.set(schema, rule);
  return schema;
}

const anyText: PlainRule = (cell) => cell;

/**
 * The plain rule of a schema: the one registered with {@link withPlainRule}, the identity for a bare
 * `z.string()` (no checks, no coercion, no format), or `undefined` when only zod can say.
 *
 * @example
 * plainRuleOf(z.string())?.('Ada'); // 'Ada'
 * plainRuleOf(z.string().min(2)); // undefined
 */
export function plainRuleOf(schema: CellSchema): PlainRule | undefined {
  const registered = rules.get(schema);
  if (registered !== undefined) return registered;
  return isBareString(schema) ? anyText : undefined;
}

// The definition of a bare `z.string()` holds its type and nothing else; a check, a format (`z.email()`),
// coercion or anything added later shows up as another property.
function isBareString(schema: CellSchema): boolean {
  const def = schema._zod.def as unknown as Record<string, unknown>;
  if (def.type !== 'string') return false;
  for (const key of Object.keys(def)) {
    if (key === 'type') continue;
    if (key === 'checks' && Array.isArray(def.checks) && def.checks.length === 0) continue;
    return false;
  }
  return true;
}
