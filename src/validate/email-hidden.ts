import { refuse, type EmailResult } from './email-result.js';

// Controls (Cc); format characters (Cf: zero-width space and joiners, soft hyphen, bidi marks and overrides,
// U+FEFF, tag characters...); the other default-ignorable characters, which render as nothing and are used
// to make look-alike strings (combining grapheme joiner, Hangul fillers, variation selectors); and lone
// surrogates, which no text decoder produces but a host may pass. A single character class: linear.
export const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}]/u;

/** What the messages call the invisible characters people meet most. */
export const INVISIBLE_NAMES: Readonly<Record<number, string>> = {
  0x00ad: 'soft hyphen',
  0x061c: 'Arabic letter mark',
  0x200b: 'zero-width space',
  0x200c: 'zero-width non-joiner',
  0x200d: 'zero-width joiner',
  0x200e: 'left-to-right mark',
  0x200f: 'right-to-left mark',
  0x202a: 'left-to-right embedding',
  0x202b: 'right-to-left embedding',
  0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override',
  0x202e: 'right-to-left override',
  0x2060: 'word joiner',
  0x2066: 'left-to-right isolate',
  0x2067: 'right-to-left isolate',
  0x2068: 'first strong isolate',
  0x2069: 'pop directional isolate',
  0xfeff: 'zero-width no-break space',
};

export function refuseHidden(text: string, index: number, char: string): EmailResult {
  const code = char.codePointAt(0) ?? 0;
  const where = index === 0 ? 'at the start' : `after "${visiblePrefix(text, index)}"`;
  if (code === 0x0a || code === 0x0d || code === 0x0b || code === 0x0c || code === 0x85) {
    return refuse('control_character', `remove the line break ${where}: put one address on one line`);
  }
  if (code === 0x09) return refuse('control_character', `remove the tab ${where}`);
  if (code >= 0xd800 && code <= 0xdfff) {
    return refuse('control_character', `retype the address: it holds a broken character ${where}`);
  }
  if (/\p{Cc}/u.test(char)) return refuse('control_character', `remove the control character ${hex(code)} ${where}`);
  const name = INVISIBLE_NAMES[code] ?? 'invisible character';
  return refuse('invisible_character', `retype the address: it holds an invisible ${name} (${hex(code)}) ${where}`);
}

// What precedes a hidden character, without other hidden characters, shortened from the left.
export function visiblePrefix(text: string, index: number): string {
  const before = text.slice(0, index).replace(new RegExp(HIDDEN.source, 'gu'), '');
  return before.length > 20 ? `…${before.slice(-20)}` : before;
}

export function hex(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
