import { z } from 'zod';
import { withPlainRule, type RuleFailure } from '../validate/plain-rule.js';
import { rollcallIssue } from '../validate/zod-params.js';

// Control characters and line breaks never belong in a name; they come from copy-paste and break emails.
// eslint-disable-next-line no-control-regex
const controlCharacter = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;

/**
 * A person's name: any letters in any script, at most `maxLength` characters, no control characters or
 * line breaks.
 *
 * @example
 * column({ label: 'Middle Name', schema: nameSchema(100) });
 */
export function nameSchema(maxLength: number): z.ZodType<string, string> {
  const tooLong: RuleFailure = { code: 'too_long', detail: `use at most ${maxLength} characters`, limit: maxLength };
  const control: RuleFailure = { code: 'invalid_value', detail: 'remove the line break or control character' };
  const problem = (value: string): RuleFailure | undefined =>
    value.length > maxLength ? tooLong : controlCharacter.test(value) ? control : undefined;
  const schema = z.string().check((ctx) => {
    const found = problem(ctx.value);
    if (found !== undefined) {
      ctx.issues.push(rollcallIssue(ctx.value, found.code, found.detail, found.limit === undefined ? {} : { limit: found.limit }));
    }
  });
  return withPlainRule(schema, (cell) => problem(cell) ?? cell);
}
