import { z } from 'zod';
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
  return z.string().check((ctx) => {
    const value = ctx.value;
    if (value.length > maxLength) {
      ctx.issues.push(rollcallIssue(value, 'too_long', `use at most ${maxLength} characters`, { limit: maxLength }));
    } else if (controlCharacter.test(value)) {
      ctx.issues.push(rollcallIssue(value, 'invalid_value', 'remove the line break or control character'));
    }
  });
}
