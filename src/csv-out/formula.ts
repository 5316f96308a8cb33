/*
 * Formula neutralising (OWASP "CSV injection"): a spreadsheet opening a CSV runs any cell that starts with
 * `=`, `+`, `-` or `@` as a formula, and such a formula can fetch URLs or start programs. rollcall writes
 * cells that came from an admin's file (and from whoever filled it in), so every cell it writes is made safe.
 *
 * The law, for every string `cell`:
 * - {@link isFormulaSafe}`(neutraliseFormula(cell))` is `true`;
 * - {@link restoreFormula}`(neutraliseFormula(cell)) === cell`;
 * - a safe cell is left as it is.
 */

/** Characters that make a spreadsheet read a cell as a formula, with their full-width forms. */
const triggerChars = ['=', '+', '-', '@', '\t', '\r', '\n', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'];
const triggers = new Set(triggerChars);

/**
 * Characters after which a spreadsheet may start a new cell or line when it splits the file differently
 * from how rollcall wrote it: Excel opens a `.csv` with the list separator of the user's locale (`;` in much
 * of Europe), so `Doe,=cmd()` written as one quoted cell becomes a second cell `=cmd()` there.
 */
const separatorChars = [',', ';', '\t', '|', '\r', '\n'];
const separators = new Set(separatorChars);

// Spreadsheets skip leading whitespace before a formula; `\s` already holds TAB, CR and LF, which are
// triggers themselves. Apostrophes before a part that starts like a formula keep neutralising reversible
// (see restoreFormula).
const triggerClass = triggerChars.map((c) => (c === '-' ? '\\-' : c)).join('');
const trigger = `[${triggerClass}]`;
const formulaAt = new RegExp(`\\s*${trigger}`, 'y');
const space = /\s/;
// Most cells are plain words, or words with a separator (`Smith, Jr.`): this rules them out before any
// segment is looked at. Every pattern the guards look for at a segment's start (`'*\s*[trigger]`) starts
// with an apostrophe or a trigger, or with whitespace followed by more whitespace or a trigger. (Reading a
// whole run of whitespace from each separator would be quadratic: TAB, CR and LF are separators too.)
const maybeGuarded = new RegExp(`(?:^|[${separatorChars.join('')}])(?:['${triggerClass}]|\\s[\\s${triggerClass}])`);

/**
 * Whether one character makes a spreadsheet read a cell starting with it as a formula: `=` `+` `-` `@`,
 * TAB, CR, LF, or the full-width `＝` `＋` `－` `＠`.
 *
 * @example isFormulaTrigger('=') // true
 */
export function isFormulaTrigger(char: string): boolean {
  return triggers.has(char);
}

/**
 * Whether a spreadsheet would read this text as a formula: its first character after leading whitespace
 * is a trigger. Negative numbers such as `-5` count: rollcall's files hold text, not numbers.
 *
 * @example startsLikeFormula('  =1+1') // true
 */
export function startsLikeFormula(text: string): boolean {
  return matchesAt(formulaAt, text, 0);
}

/**
 * Whether no part of the cell starts like a formula: neither the cell itself nor the text right after a
 * `,` `;` TAB `|` CR or LF inside it (see {@link neutraliseFormula} for why).
 *
 * @example isFormulaSafe("'=1+1") // true
 * @example isFormulaSafe('a;=1+1') // false
 */
export function isFormulaSafe(cell: string): boolean {
  if (!maybeGuarded.test(cell)) return true;
  const marks = formulaMarks(cell);
  return segmentStarts(cell).every((i) => ((marks[i] ?? 0) & formula) === 0);
}

/**
 * Makes a cell safe to open in a spreadsheet by putting an apostrophe `'` in front of every part that
 * starts like a formula; safe cells come back unchanged.
 *
 * A part is the whole cell and, because a spreadsheet may split the file on another delimiter or on a
 * line break inside a quoted cell, the text after each `,` `;` TAB `|` CR or LF in the cell. The
 * apostrophe goes right after that character, so `a;=cmd()` becomes `a;'=cmd()`. A part that already
 * starts with apostrophes before a trigger gets one more, so {@link restoreFormula} can undo it exactly.
 * Negative numbers get the apostrophe too: `-5` becomes `'-5`.
 *
 * @example neutraliseFormula('=HYPERLINK("http://x")') // "'=HYPERLINK(\"http://x\")"
 * @example neutraliseFormula('Doe;@SUM(A1)') // "Doe;'@SUM(A1)"
 */
export function neutraliseFormula(cell: string): string {
  if (!maybeGuarded.test(cell)) return cell;
  const marks = formulaMarks(cell);
  const starts = segmentStarts(cell).filter((i) => ((marks[i] ?? 0) & guarded) !== 0);
  if (starts.length === 0) return cell;
  let out = '';
  let copied = 0;
  for (const i of starts) {
    out += `${cell.slice(copied, i)}'`;
    copied = i;
  }
  return out + cell.slice(copied);
}

/**
 * Undoes {@link neutraliseFormula}: removes the apostrophe it put in front of each part that starts like a
 * formula. Use it when reading back a file rollcall wrote (an annotated file the admin corrected).
 *
 * @example restoreFormula("'-5") // '-5'
 */
export function restoreFormula(cell: string): string {
  if (!maybeGuarded.test(cell)) return cell;
  const marks = formulaMarks(cell);
  const starts = segmentStarts(cell).filter((i) => ((marks[i] ?? 0) & neutralised) !== 0);
  if (starts.length === 0) return cell;
  let out = '';
  let copied = 0;
  for (const i of starts) {
    out += cell.slice(copied, i);
    copied = i + 1;
  }
  return out + cell.slice(copied);
}

function matchesAt(pattern: RegExp, text: string, index: number): boolean {
  pattern.lastIndex = index;
  return pattern.test(text);
}

const formula = 1; // a formula starts here: whitespace, then a trigger (`\s*[trigger]`)
const guarded = 2; // apostrophes, then a formula (`'*\s*[trigger]`): what neutralising guards
const neutralised = 4; // at least one apostrophe, then a formula (`'+\s*[trigger]`): what restoring removes

/**
 * For every index of the cell, which of the three patterns match from there, found in one pass from the end:
 * matching each pattern at each part's start would rescan a run of whitespace or apostrophes once per part
 * (quadratic in a cell of tabs or line breaks, each of which starts a part).
 */
function formulaMarks(cell: string): Uint8Array {
  const marks = new Uint8Array(cell.length + 1);
  for (let i = cell.length - 1; i >= 0; i--) {
    const c = cell.charAt(i);
    const next = marks[i + 1] ?? 0;
    let mark = triggers.has(c) || (space.test(c) && (next & formula) !== 0) ? formula : 0;
    if (mark !== 0 || (c === "'" && (next & guarded) !== 0)) mark |= guarded;
    if (c === "'" && (next & guarded) !== 0) mark |= neutralised;
    marks[i] = mark;
  }
  return marks;
}

/** The start of the cell and every index right after a separator character. */
function segmentStarts(cell: string): number[] {
  const starts = [0];
  for (let i = 0; i < cell.length; i++) {
    if (separators.has(cell.charAt(i))) starts.push(i + 1);
  }
  return starts;
}
