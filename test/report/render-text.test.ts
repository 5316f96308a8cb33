import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayWidth, renderText } from '../../src/report/render-text.js';
import { RollcallError } from '../../src/rollcall-error.js';
import { countSegmenting } from '../helpers/segmenter-work.js';
import { issue, summaryOf } from './summary-fixture.js';

const numRuns = Number(process.env.FC_RUNS ?? 200);
const stripAnsi = (text: string) =>
  text
    .split('\u001b')
    .map((part, i) => (i === 0 ? part : part.replace(/^\[[0-9;]*m/, '')))
    .join('');

describe('renderText', () => {
  it('renders the heading and a Row | Column | Problem table, file-level issues first with row —', () => {
    const summary = summaryOf([
      issue(2, 'Email', 'invalid_email', '"bob@" is not a valid email address.'),
      issue(null, 'Name', 'missing_column', 'The file has no "Name" column.'),
      issue(4, 'Name', 'required', 'A name is required.'),
    ]);
    expect(renderText(summary)).toBe(
      [
        'Error Summary: 3 errors, in the file and in 2 rows',
        '',
        'Row  Column  Problem',
        '---  ------  ------------------------------------',
        '—    Name    The file has no "Name" column.',
        '2    Email   "bob@" is not a valid email address.',
        '4    Name    A name is required.',
      ].join('\n'),
    );
  });

  it('counts the rows with errors in the heading', () => {
    const summary = summaryOf([
      issue(2, 'Email', 'invalid_email', 'Not an email.'),
      issue(2, 'Name', 'required', 'Required.'),
      issue(5, 'Name', 'required', 'Required.'),
    ]);
    expect(renderText(summary).split('\n')[0]).toBe('Error Summary: 3 errors in 2 rows');
  });

  it('puts warnings in their own section after the errors', () => {
    const summary = summaryOf([
      issue(null, 'Phone', 'unknown_column', 'The column "Phone" is ignored.'),
      issue(3, 'Email', 'required', 'An email is required.'),
    ]);
    expect(renderText(summary)).toBe(
      [
        'Error Summary: 1 error in 1 row, 1 warning',
        '',
        'Row  Column  Problem',
        '---  ------  ------------------------------',
        '3    Email   An email is required.',
        '',
        'Warnings',
        '',
        'Row  Column  Problem',
        '---  ------  ------------------------------',
        '—    Phone   The column "Phone" is ignored.',
      ].join('\n'),
    );
  });

  it('renders a file with only warnings, and a clean file', () => {
    const warned = summaryOf([issue(7, null, 'extra_cell', 'A value outside the named columns is ignored.')]);
    expect(renderText(warned).split('\n').slice(0, 3)).toEqual(['Error Summary: no errors, 1 warning', '', 'Warnings']);
    expect(renderText(summaryOf([]))).toBe('Error Summary: no errors');
  });

  it('wraps long problems to the width, continuing under the Problem column', () => {
    const summary = summaryOf([
      issue(2, 'Email', 'invalid_email', 'The address "bob@" has no domain after the @; write the full address, like bob@example.com.'),
    ]);
    expect(renderText(summary, { width: 40 })).toBe(
      [
        'Error Summary: 1 error in 1 row',
        '',
        'Row  Column  Problem',
        '---  ------  ---------------------------',
        '2    Email   The address "bob@" has no',
        '             domain after the @; write',
        '             the full address, like',
        '             bob@example.com.',
      ].join('\n'),
    );
  });

  it('aligns East Asian wide characters by their width on screen', () => {
    const summary = summaryOf([
      issue(2, '氏名', 'required', '氏名を入力してください。'),
      issue(10, 'Email', 'invalid_email', 'Not an email.'),
    ]);
    expect(renderText(summary)).toBe(
      [
        'Error Summary: 2 errors in 2 rows',
        '',
        'Row  Column  Problem',
        '---  ------  ------------------------',
        '2    氏名    氏名を入力してください。',
        '10   Email   Not an email.',
      ].join('\n'),
    );
  });

  it('cuts a long run of CJK text, which has no spaces, between characters', () => {
    const summary = summaryOf([issue(2, 'Name', 'too_long', '名前が長すぎます。五十文字以内で入力してください。')]);
    const lines = renderText(summary, { width: 33 }).split('\n').slice(4);
    expect(lines).toEqual(['2    Name    名前が長すぎます。五', '             十文字以内で入力して', '             ください。']);
  });

  it('keeps every line within the width, whatever the text', () => {
    const text = fc.string({ unit: fc.oneof(fc.constantFrom(' ', '名', '👩‍💻', 'é', '🇯🇵', 'ｱ'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })), maxLength: 120 });
    fc.assert(
      fc.property(
        fc.array(fc.record({ row: fc.option(fc.integer({ min: 2, max: 1_000_000 })), column: fc.option(text), message: text }), { maxLength: 6 }),
        fc.integer({ min: 40, max: 160 }),
        (issues, width) => {
          const summary = summaryOf(issues.map(({ row, column, message }) => issue(row, column, 'invalid_value', message)));
          for (const line of renderText(summary, { width }).split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(width);
        },
      ),
      { numRuns },
    );
  });

  it('ends with how many errors were not shown when the summary was truncated', () => {
    const hidden = Array.from({ length: 1234 }, (_, i) => issue(i + 3, 'Email', 'required', 'Required.'));
    const summary = summaryOf([issue(2, 'Email', 'required', 'Required.')], { hidden });
    const lines = renderText(summary).split('\n');
    expect(lines[0]).toBe('Error Summary: 1,235 errors');
    expect(lines.at(-1)).toBe('… and 1,234 more errors not shown');
  });

  it('shows at most maxRows issues, errors first, and says what it left out', () => {
    const summary = summaryOf([
      issue(2, 'Email', 'required', 'Required.'),
      issue(3, 'Email', 'required', 'Required.'),
      issue(null, 'Phone', 'unknown_column', 'Ignored.'),
    ]);
    const lines = renderText(summary, { maxRows: 1 }).split('\n');
    expect(lines.filter((line) => line.includes('Required.'))).toHaveLength(1);
    expect(lines).toContain('… and 1 more error not shown');
    expect(lines.at(-1)).toBe('1 warning not shown');
  });

  it('replaces control and bidi characters from the file so they cannot act on the terminal', () => {
    const summary = summaryOf([issue(2, 'Name\u202E', 'invalid_value', '"\x1b[2J\x07evil" is\r\nnot\tvalid.')]);
    const text = renderText(summary);
    expect(text.split('\n').every((line) => !/[\p{Cc}\p{Bidi_Control}]/u.test(line))).toBe(true);
    expect(text).toContain('"\uFFFD[2J\uFFFDevil" is not valid.');
  });

  it('colours with ANSI escapes only when asked, around the same text', () => {
    const summary = summaryOf([issue(2, 'Email', 'required', 'Required.'), issue(null, null, 'decoded_as_windows_1252', 'Read as Windows text.')]);
    const coloured = renderText(summary, { color: true });
    expect(coloured).toContain('\x1b[1;31mError Summary');
    expect(renderText(summary)).not.toContain('\x1b');
    expect(stripAnsi(coloured)).toBe(renderText(summary));
  });

  it('throws a RollcallError invalid_option for a width or maxRows that is not a whole number', () => {
    const summary = summaryOf([]);
    expect(() => renderText(summary, { width: 0 })).toThrow(RollcallError);
    expect(() => renderText(summary, { maxRows: -1 })).toThrow(expect.objectContaining({ code: 'invalid_option' }));
    expect(() => renderText(summary, { maxRows: Number.NaN })).toThrow(RollcallError);
  });
});

describe('displayWidth', () => {
  it.each([
    ['abc', 3],
    ['', 0],
    ['山田 太郎', 9],
    ['ＡＢ', 4],
    ['ｱｲ', 2],
    ['한국', 4],
    ['e\u0301', 1],
    ['👍', 2],
    ['👩‍💻', 2],
    ['🇯🇵', 2],
    ['❤️', 2],
    ['a\u200Bb', 2],
    ['—…', 2],
  ])('measures %j as %i columns', (text, width) => {
    expect(displayWidth(text)).toBe(width);
  });
});

// Finding 3 of issue 27: one message listing 32,000 columns took 25 s, because V8's Intl.Segmenter over one
// long text takes time growing much faster than its length. Text is now segmented a slice at a time.
describe('finding 3: renderText segments text a slice at a time, in time linear in its length', () => {
  const whole = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  // Graphemes that cross a slice's end: flags (pairs of regional indicators), ZWJ emoji, combining runs,
  // surrogate pairs, Hangul jamo, CR LF, and plain ASCII between them.
  const piece = fc.constantFrom('a', ' ', '山', '🇯', '🇵', '👩', '\u200d', '💻', '\u0301', '\u0308', '\ufe0f', '𝐞', '\u1100', '\u1161', '\r', '\n', 'é');
  const longText = fc.array(piece, { minLength: 200, maxLength: 3_000 }).map((parts) => parts.join(''));

  it('measures any long text as one segmentation of the whole text would', () => {
    fc.assert(
      fc.property(longText, (text) => {
        let width = 0;
        for (const { segment } of whole.segment(text)) width += displayWidth(segment);
        expect(displayWidth(text)).toBe(width);
      }),
      { numRuns },
    );
  });

  it('never hands the segmenter more than a slice of a message, however long the message', async () => {
    const message = `The column "Email" appears more than once (columns ${Array.from({ length: 5_000 }, () => 'É').join(', ')}).`;
    const work = await countSegmenting(() => renderText(summaryOf([issue(1, 'Email', 'duplicate_column', message)])));
    expect(work.result.split('\n').length).toBeGreaterThan(200);
    expect(work.longest).toBeLessThanOrEqual(256);
    // Each code unit is read about twice: once to size the column (up to its width only), once to wrap.
    expect(work.total).toBeLessThan(3 * message.length);
  });
});
