import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstLine } from '../../src/input/delimiter.js';
import { HeaderLineFinder, type HeaderLine } from '../../src/input/header-line.js';

/** What the finder must find, computed on the whole text at once. */
function reference(text: string, maxLength: number): HeaderLine {
  let lineStart = 0;
  let blankLines = 0;
  let i = 0;
  for (; i < text.length; i++) {
    const char = text.charAt(i);
    if (char === '\r' || char === '\n') {
      if (char === '\r' && text.charAt(i + 1) === '\n') i++;
      blankLines++;
      lineStart = i + 1;
    } else if (char.trim() !== '') break;
  }
  // Of a blank run longer than any row, only maxLength + 1 characters are kept.
  const rest = text.slice(Math.max(lineStart, i - maxLength - 1));
  const cut = rest.slice(0, maxLength);
  return { line: firstLine(cut) ?? cut, text: rest, blankLines };
}

/** Feeds the pieces; returns what was found and the text fed after it (which goes to the record reader). */
function feed(pieces: readonly string[], maxLength: number): { found: HeaderLine; after: string } {
  const finder = new HeaderLineFinder(maxLength);
  let found: HeaderLine | undefined;
  let after = '';
  pieces.forEach((piece, i) => {
    if (found !== undefined) after += piece;
    else found = finder.write(piece, i === pieces.length - 1);
  });
  found ??= finder.write('', true);
  if (found === undefined) throw new Error('the finder must decide at the end of the text');
  return { found, after };
}

const piece = fc.constantFrom('\r', '\n', '\r\n', ' ', '\t', '\u00a0', '"', '""', ',', ';', '|', 'a', 'Email', 'é', '😀');
const text = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));

function split(whole: string, cuts: readonly number[]): string[] {
  const at = [...new Set(cuts.map((c) => c % (whole.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const to of at) {
    pieces.push(whole.slice(from, to));
    from = to;
  }
  pieces.push(whole.slice(from));
  return pieces;
}

describe('HeaderLineFinder', () => {
  it('finds the line, the blank lines before it and the text from it on, as on the whole text, in any chunking', () => {
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 8 }), fc.integer({ min: 1, max: 50 }), (whole, cuts, maxLength) => {
        const { found, after } = feed(split(whole, cuts), maxLength);
        const expected = reference(whole, maxLength);
        expect(found.line).toBe(expected.line);
        expect(found.blankLines).toBe(expected.blankLines);
        expect(found.text + after).toBe(expected.text);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 200) * 5 },
    );
  });

  it('counts CRLF as one line break even when a chunk ends between CR and LF', () => {
    const { found } = feed(['\r', '\n\r', '\n', 'Email\r\n'], 100);
    expect(found).toEqual({ line: 'Email', text: 'Email\r\n', blankLines: 2 });
  });

  it('reads a line break inside a quoted label as part of the header', () => {
    expect(feed(['"Notes\r\non two lines",Em', 'ail\r\nx'], 100).found.line).toBe('"Notes\r\non two lines",Email');
  });

  it('gives up waiting for the line break after maxLength characters, and keeps the header text for the reader', () => {
    const finder = new HeaderLineFinder(10);
    expect(finder.write('Email;Name;No', false)).toEqual({ line: 'Email;Name', text: 'Email;Name;No', blankLines: 0 });
  });

  it('drops a million blank lines, counting them', () => {
    const finder = new HeaderLineFinder(1 << 20);
    const blank = '\r\n'.repeat(1000);
    for (let i = 0; i < 1000; i++) expect(finder.write(blank, false)).toBeUndefined();
    expect(finder.write('Email\r\n', false)).toEqual({ line: 'Email', text: 'Email\r\n', blankLines: 1_000_000 });
  });

  it('keeps only maxLength + 1 characters of a blank line longer than any row', () => {
    const finder = new HeaderLineFinder(100);
    for (let i = 0; i < 100; i++) expect(finder.write(' '.repeat(1000), false)).toBeUndefined();
    const found = finder.write('Email\r\n', true);
    expect(found?.text).toBe(`${' '.repeat(101)}Email\r\n`);
    expect(found?.blankLines).toBe(0);
  });
});
