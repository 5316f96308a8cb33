/**
 * The form header texts are compared in: case, spaces (including no-break spaces), `_`, `-`, `.` and a
 * trailing required marker `*` do not matter, so `E-Mail`, ` first name `, `LAST_NAME` and `Email *` match
 * `Email`, `First Name` and `Last Name`.
 *
 * @example
 * normaliseHeader(' E-Mail ') === normaliseHeader('email'); // true
 */
export function normaliseHeader(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_.\-*\u00a0\u200b\ufeff]+/gu, '');
}
