import { RollcallError } from '../rollcall-error.js';
import type { Issue } from './issue.js';
import type { ErrorSummary } from './summary.js';

/** How {@link renderText} lays out the table. */
export interface RenderTextOptions {
  /** The most issue lines shown, errors first then warnings; 100 unless told. */
  readonly maxRows?: number;
  /** Whether to colour the headings with ANSI escapes; `false` unless told (the CLI decides from the terminal). */
  readonly color?: boolean;
  /** The width to wrap the table to, in terminal columns; 80 unless told. */
  readonly width?: number;
}

const gap = '  ';
const none = '—';
const minProblemWidth = 16;

/**
 * Renders the "Error Summary" an admin reads in a terminal: a heading line with exact counts, a
 * Row | Column | Problem table of errors (issues about the whole file first, their row shown as `—`),
 * then the warnings in their own table, each followed by a line saying how many were not shown. Text is
 * wrapped to `width`, measured in terminal columns (a wide CJK character counts two); control and bidi characters from the file are
 * replaced so a cell value cannot move the cursor or reorder the line. No trailing newline.
 *
 * @example console.log(renderText(summary, { width: process.stdout.columns, color: process.stdout.isTTY }));
 */
export function renderText(summary: ErrorSummary, options: RenderTextOptions = {}): string {
  const { maxRows = 100, color = false, width = 80 } = options;
  checkCount('maxRows', maxRows, 0);
  checkCount('width', width, 1);
  const paint = color ? ansi : plain;

  const errors = [...summary.errors].sort(fileLevelFirst).slice(0, maxRows);
  const warnings = summary.warnings.slice(0, maxRows - errors.length);
  const layout = columnWidths([...errors, ...warnings], width);

  const tone = summary.errorCount > 0 ? 'error' : summary.warningCount > 0 ? 'warning' : 'ok';
  const lines = wrap(heading(summary), width).map((text) => paint(text, tone));
  if (summary.errorCount > 0) {
    lines.push('', ...table(errors, layout, paint));
    const hidden = summary.errorCount - errors.length;
    if (hidden > 0) lines.push(paint(hiddenLine(hidden, errors.length, 'error'), 'dim'));
  }
  if (summary.warningCount > 0) {
    lines.push('', paint('Warnings', 'warning'), '', ...table(warnings, layout, paint));
    const hidden = summary.warningCount - warnings.length;
    if (hidden > 0) lines.push(paint(hiddenLine(hidden, warnings.length, 'warning'), 'dim'));
  }
  return lines.join('\n');
}

/**
 * The number of terminal columns `text` takes: 2 for East Asian wide and full-width characters and for
 * emoji shown as pictures, 0 for combining marks, zero-width and control characters, 1 for the rest. It
 * counts each grapheme once (`Intl.Segmenter`, or code points where that is missing). Its limits:
 * "ambiguous" characters (`—`, `…`, Greek and Cyrillic in CJK fonts) count 1, which a terminal set to a
 * CJK locale may draw as 2, and terminals disagree on some emoji sequences.
 *
 * @example displayWidth('山田 太郎') // 9
 */
export function displayWidth(text: string): number {
  return widthUpTo(text, Infinity);
}

/** {@link displayWidth}, stopping once past `limit`: a column is never wider than the table, whatever the text. */
function widthUpTo(text: string, limit: number): number {
  if (printableAscii.test(text)) return text.length;
  let total = 0;
  for (const grapheme of graphemes(text)) {
    total += graphemeWidth(grapheme);
    if (total > limit) break;
  }
  return total;
}

const printableAscii = /^[\x20-\x7e]*$/;

type Style = 'error' | 'warning' | 'ok' | 'bold' | 'dim';
type Paint = (text: string, style: Style) => string;

const plain: Paint = (text) => text;
const ansiCodes: Record<Style, readonly [string, string]> = {
  error: ['\x1b[1;31m', '\x1b[22;39m'],
  warning: ['\x1b[1;33m', '\x1b[22;39m'],
  ok: ['\x1b[1;32m', '\x1b[22;39m'],
  bold: ['\x1b[1m', '\x1b[22m'],
  dim: ['\x1b[2m', '\x1b[22m'],
};
const ansi: Paint = (text, style) => `${ansiCodes[style][0]}${text}${ansiCodes[style][1]}`;

function checkCount(option: string, value: number, least: number): void {
  if (!Number.isSafeInteger(value) || value < least) {
    throw new RollcallError('invalid_option', `renderText's ${option} must be a whole number of at least ${least}, not ${String(value)}.`, {
      cause: { option, value },
    });
  }
}

function heading(summary: ErrorSummary): string {
  const { errorCount, warningCount, errors, truncated } = summary;
  let text = `Error Summary: ${errorCount === 0 ? 'no errors' : count(errorCount, 'error')}`;
  if (errorCount > 0 && !truncated) {
    const rows = new Set(errors.flatMap((issue) => (issue.row === null ? [] : [issue.row]))).size;
    const inFile = errors.some((issue) => issue.row === null);
    if (rows > 0) text += inFile ? `, in the file and in ${count(rows, 'row')}` : ` in ${count(rows, 'row')}`;
  }
  if (warningCount > 0) text += `, ${count(warningCount, 'warning')}`;
  return text;
}

function hiddenLine(hidden: number, shown: number, noun: string): string {
  return shown === 0 ? `${count(hidden, noun)} not shown` : `… and ${count(hidden, `more ${noun}`)} not shown`;
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

// Stable: issues about the whole file keep their order, then rows keep theirs.
function fileLevelFirst(a: Issue, b: Issue): number {
  return Number(a.row !== null) - Number(b.row !== null);
}

interface Layout {
  readonly row: number;
  readonly column: number;
  readonly problem: number;
}

function columnWidths(issues: readonly Issue[], width: number): Layout {
  let row = displayWidth('Row');
  for (const issue of issues) row = Math.max(row, displayWidth(rowText(issue)));
  // Each text is measured only up to the cap, so a long message costs no more than a short one here.
  const widest = (first: string, texts: Iterable<string>, cap: number) => {
    let most = displayWidth(first);
    for (const text of texts) if (most < cap) most = Math.max(most, widthUpTo(clean(text), cap));
    return Math.min(cap, most);
  };
  // A long column label wraps rather than squeezing the problem text, which matters more.
  const columnCap = Math.max(displayWidth('Column'), Math.floor((width - row - 2 * gap.length) / 3));
  const column = widest('Column', issues.map((issue) => issue.column ?? none), columnCap);
  const room = Math.max(minProblemWidth, width - row - column - 2 * gap.length);
  const problem = widest('Problem', issues.map((issue) => issue.message), room);
  return { row, column, problem };
}

function table(issues: readonly Issue[], layout: Layout, paint: Paint): string[] {
  if (issues.length === 0) return [];
  const header = line(['Row'], ['Column'], ['Problem'], layout)[0] ?? '';
  const rule = ['-'.repeat(layout.row), '-'.repeat(layout.column), '-'.repeat(layout.problem)].join(gap);
  const body = issues.flatMap((issue) =>
    line([rowText(issue)], wrap(clean(issue.column ?? none), layout.column), wrap(clean(issue.message), layout.problem), layout),
  );
  return [paint(header, 'bold'), rule, ...body];
}

function line(row: readonly string[], column: readonly string[], problem: readonly string[], layout: Layout): string[] {
  const height = Math.max(row.length, column.length, problem.length);
  return Array.from({ length: height }, (_, i) =>
    [pad(row[i] ?? '', layout.row), pad(column[i] ?? '', layout.column), problem[i] ?? ''].join(gap).trimEnd(),
  );
}

function rowText(issue: Issue): string {
  return issue.row === null ? none : String(issue.row);
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** Keeps text from the file from acting on the terminal: line breaks and tabs become spaces, other controls `�`. */
function clean(text: string): string {
  return text.replace(/\r\n|[\r\n\t]/g, ' ').replace(/[\p{Cc}\p{Bidi_Control}]/gu, '\uFFFD');
}

/** Greedy word wrap by display width; a word wider than the column (or CJK text, which has no spaces) is cut between graphemes. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  let currentWidth = 0;
  for (const word of text.split(' ')) {
    const wordWidth = widthUpTo(word, width);
    if (current !== '' && currentWidth + 1 + wordWidth <= width) {
      current += ` ${word}`;
      currentWidth += 1 + wordWidth;
      continue;
    }
    if (current !== '') lines.push(current);
    current = '';
    currentWidth = 0;
    for (const grapheme of graphemes(word)) {
      const w = graphemeWidth(grapheme);
      if (currentWidth + w > width && current !== '') {
        lines.push(current);
        current = '';
        currentWidth = 0;
      }
      current += grapheme;
      currentWidth += w;
    }
  }
  lines.push(current);
  return lines;
}

const segmenter = 'Segmenter' in Intl ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : undefined;
// V8's segmenter takes time growing faster than the length of the text it is given (minutes for 200 KB), so
// text is segmented in slices of about this many code units.
const sliceLength = 256;

/**
 * The graphemes of `text`, in time linear in its length. Each slice starts on a grapheme boundary and its last
 * grapheme (which the slice's end may have cut) is read again at the start of the next slice, so every break
 * is the one `Intl.Segmenter` finds over the whole text; only a single grapheme longer than a slice is cut.
 */
function* graphemes(text: string): Generator<string, void, undefined> {
  if (segmenter === undefined) {
    yield* text;
    return;
  }
  let start = 0;
  while (start < text.length) {
    let end = start + sliceLength;
    if (end >= text.length) {
      for (const part of segmenter.segment(text.slice(start))) yield part.segment;
      return;
    }
    if (isHighSurrogate(text.charCodeAt(end - 1))) end--;
    let last: Intl.SegmentData | undefined;
    for (const part of segmenter.segment(text.slice(start, end))) {
      if (last !== undefined) yield last.segment;
      last = part;
    }
    if (last === undefined || last.index === 0) {
      yield text.slice(start, end);
      start = end;
    } else {
      start += last.index;
    }
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function graphemeWidth(grapheme: string): number {
  if (/^[\p{Cc}\p{Mn}\p{Me}\p{Cf}]*$/u.test(grapheme)) return 0;
  if (grapheme.includes('\uFE0F') || /^\p{Emoji_Presentation}/u.test(grapheme)) return 2;
  return isWide(grapheme.codePointAt(0) ?? 0) ? 2 : 1;
}

// East Asian Wide and Fullwidth blocks (Unicode 15); emoji are handled by their Emoji_Presentation property.
const wideRanges: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], [0x2329, 0x232a], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf],
  [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3], [0xf900, 0xfaff],
  [0xfe10, 0xfe19], [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6], [0x16fe0, 0x16fe4],
  [0x17000, 0x18cff], [0x1b000, 0x1b2ff], [0x1f200, 0x1f2ff], [0x20000, 0x2fffd], [0x30000, 0x3fffd],
];

function isWide(codePoint: number): boolean {
  return wideRanges.some(([from, to]) => codePoint >= from && codePoint <= to);
}
