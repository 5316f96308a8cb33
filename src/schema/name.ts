import { z } from 'zod';
import { nameTextProblem } from '../validate/name-text.js';
import { withPlainRule, type RuleFailure } from '../validate/plain-rule.js';
import { rollcallIssue } from '../validate/zod-params.js';

/**
 * A person's name: any letters in any script, at most `maxLength` characters. Refused as `invalid_value`, each
 * with its own fix: line breaks and control characters; invisible format characters such as bidi overrides
 * (U+202E) and zero-width spaces, though not the joiners some scripts spell with; mail's encoded words
 * (`=?utf-8?b?...?=`); web addresses.
 *
 * @example
 * column({ label: 'Middle Name', schema: nameSchema(100) });
 */
export function nameSchema(maxLength: number): z.ZodType<string, string> {
  const tooLong: RuleFailure = { code: 'too_long', detail: `use at most ${maxLength} characters`, limit: maxLength };
  const problem = (value: string): RuleFailure | undefined => {
    if (value.length > maxLength) return tooLong;
    const detail = nameTextProblem(value);
    return detail === undefined ? undefined : { code: 'invalid_value', detail };
  };
  const schema = z.string().check((ctx) => {
    const found = problem(ctx.value);
    if (found !== undefined) {
      ctx.issues.push(rollcallIssue(ctx.value, found.code, found.detail, found.limit === undefined ? {} : { limit: found.limit }));
    }
  });
  return withPlainRule(schema, (cell) => problem(cell) ?? cell);
}
