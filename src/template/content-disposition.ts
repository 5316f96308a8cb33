import { RollcallError } from '../rollcall-error.js';

// What may stand in a quoted `filename="..."` for every browser: printable ASCII without `"`, `\` and `%`
// (some browsers percent-decode the plain parameter).
const plainFilename = /^[\x20-\x7e]*$/u;
const unsafeInPlain = /["\\%]/gu;

/**
 * The `Content-Disposition` value that offers a file as a download under `filename`: a plain ASCII
 * `filename` for every client and, when the name is not plain ASCII, an RFC 5987 `filename*` with the exact
 * UTF-8 name that current browsers prefer. Throws a `RollcallError` with code `invalid_option` for an empty
 * name or one holding control characters or broken (lone surrogate) characters.
 *
 * @example
 * contentDisposition('Modèle.csv'); // `attachment; filename="Modele.csv"; filename*=UTF-8''Mod%C3%A8le.csv`
 */
export function contentDisposition(filename: string): string {
  if (filename === '' || /[\p{Cc}\p{Cs}]/u.test(filename)) {
    throw new RollcallError('invalid_option', `The template filename must be a non-empty name without control characters, not ${JSON.stringify(filename)}.`, {
      cause: { option: 'filename', value: filename },
    });
  }
  const fallback = asciiFallback(filename);
  if (fallback === filename) return `attachment; filename="${filename}"`;
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc5987(filename)}`;
}

/** The name in printable ASCII: accents dropped (`è` → `e`), any other character replaced by `_`. */
function asciiFallback(filename: string): string {
  const stripped = filename.normalize('NFKD').replace(/\p{M}/gu, '');
  const ascii = Array.from(stripped, (char) => (plainFilename.test(char) ? char : '_')).join('');
  return ascii.replace(unsafeInPlain, '_');
}

/** Percent-encodes everything but RFC 5987's attr-char (letters, digits and `!#$&+-.^_`|~`). */
function encodeRfc5987(text: string): string {
  return encodeURIComponent(text).replace(/['()*]/gu, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
