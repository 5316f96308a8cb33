import { hex, INVISIBLE_NAMES, visiblePrefix } from './email-hidden.js';

// Controls and line breaks (copy-paste; they break emails), and format characters: bidi marks, overrides and
// isolates, which reorder how a name and the text after it are shown; zero-width and tag characters. One
// character class, so the scan is linear.
// eslint-disable-next-line no-control-regex
const CONTROL_OR_FORMAT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/gu;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
const VISIBLE = /[\p{L}\p{M}\p{N}\p{S}]/u;
const MONGOLIAN = /\p{Script=Mongolian}/u;

/**
 * Why `name` cannot be a person's name, as the fix a message gives, or `undefined` when it can. Refused: line
 * breaks and control characters; format characters (bidi controls such as U+202E, zero-width spaces, soft
 * hyphens, tag characters), except the joiners that spellings need: U+200C and U+200D after a letter or
 * symbol (Persian, Indic scripts, Sinhala, emoji sequences) and U+180E between Mongolian letters; RFC 2047
 * encoded words (`=?utf-8?b?...?=`), which mail programs decode into other text in a To line; and web addresses,
 * which mail programs turn into links in a greeting.
 *
 * @example nameTextProblem('Ada\u202Eevil') // 'remove the invisible right-to-left override (U+202E) after "Ada"'
 */
export function nameTextProblem(name: string): string | undefined {
  CONTROL_OR_FORMAT.lastIndex = 0;
  for (let found = CONTROL_OR_FORMAT.exec(name); found !== null; found = CONTROL_OR_FORMAT.exec(name)) {
    const char = found[0];
    if (CONTROL.test(char)) return 'remove the line break or control character';
    if (!isJoinerInWord(name, found.index, char)) {
      const code = char.codePointAt(0) ?? 0;
      const where = found.index === 0 ? 'at the start' : `after "${visiblePrefix(name, found.index)}"`;
      return `remove the invisible ${INVISIBLE_NAMES[code] ?? 'format character'} (${hex(code)}) ${where}`;
    }
  }
  const opens = name.indexOf('=?');
  if (opens !== -1 && name.includes('?=', opens + 2)) {
    return 'it holds encoded mail text ("=?...?="), which mail programs show as other words; type the name itself';
  }
  const lower = name.toLowerCase();
  if (lower.includes('://') || lower.includes('www.')) return 'a name cannot hold a web address; remove it';
  return undefined;
}

/**
 * Whether the format character at `index` is a joiner after the letter or symbol it joins: followed by another,
 * or ending a word (Malayalam wrote its chillu letters as a consonant, a virama and U+200D).
 */
function isJoinerInWord(name: string, index: number, char: string): boolean {
  const before = lastCodePoint(name, index);
  const next = name.codePointAt(index + char.length);
  const after = next === undefined ? ' ' : String.fromCodePoint(next);
  if (char === '\u200c' || char === '\u200d') return VISIBLE.test(before) && (VISIBLE.test(after) || after === ' ');
  if (char === '\u180e') return MONGOLIAN.test(before) && MONGOLIAN.test(after);
  return false;
}

function lastCodePoint(text: string, end: number): string {
  if (end === 0) return '';
  const low = text.charCodeAt(end - 1);
  const start = low >= 0xdc00 && low <= 0xdfff && end >= 2 ? end - 2 : end - 1;
  return String.fromCodePoint(text.codePointAt(start) ?? 0);
}
