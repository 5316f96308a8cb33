/**
 * Writes a PostgreSQL array literal (`{"a","b",NULL}`) for one column of a batch, to bind as a single text
 * parameter cast to an array type. One pass that escapes only the values that need it: for 200,000 users
 * this is several times cheaper than letting the client library escape every element of a JS array.
 *
 * @example
 * ```ts
 * arrayLiteral(['Ada', 'O"Neil', null]); // '{"Ada","O\\"Neil",NULL}'
 * ```
 */
export function arrayLiteral(values: readonly (string | number | boolean | null)[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) parts[i] = 'NULL';
    else if (typeof value === 'string') {
      parts[i] = needsEscape.test(value) ? `"${value.replace(escaped, '\\$&')}"` : `"${value}"`;
    } else parts[i] = String(value);
  }
  return `{${parts.join(',')}}`;
}

const needsEscape = /["\\]/;
const escaped = /["\\]/g;
