import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createUtf8Decoder, isUtf8 } from '../../src/input/utf-8.js';
import { bytes, splitAt, utf8 } from './bytes.js';

function decodeChunks(chunks: readonly Uint8Array[]): { text: string; invalidSequences: number } {
  const decoder = createUtf8Decoder();
  let text = '';
  for (const chunk of chunks) text += decoder.write(chunk);
  text += decoder.end();
  return { text, invalidSequences: decoder.invalidSequences };
}

/** Bytes rich in the edge cases of UTF-8: lead bytes, continuation bytes, the narrow ranges, and text. */
const utf8ish = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 6 }),
      fc.array(fc.constantFrom(0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff), {
        maxLength: 6,
      }).map((list) => Uint8Array.from(list)),
      fc.string({ unit: 'binary', maxLength: 6 }).map(utf8),
    ),
    { maxLength: 12 },
  )
  .map((parts) => bytes(...parts));

function occurrences(data: Uint8Array, pattern: readonly number[]): number {
  let count = 0;
  for (let i = 0; i + pattern.length <= data.length; i++) {
    if (pattern.every((byte, j) => data[i + j] === byte)) count++;
  }
  return count;
}

describe('createUtf8Decoder', () => {
  it('decodes a character split across chunks without counting it invalid', () => {
    const result = decodeChunks([bytes([0x4a, 0xc3]), bytes([0xa9]), bytes([0xf0, 0x9f]), bytes([0x98, 0x80])]);
    expect(result).toEqual({ text: 'Jé😀', invalidSequences: 0 });
  });

  it('replaces an invalid byte by U+FFFD and counts it', () => {
    const result = decodeChunks([bytes(utf8('Jos'), [0xe9], utf8(';x'))]);
    expect(result).toEqual({ text: 'Jos\uFFFD;x', invalidSequences: 1 });
  });

  it('counts a character cut off by the end of the input as one invalid sequence', () => {
    expect(decodeChunks([bytes([0x61, 0xe2, 0x82])])).toEqual({ text: 'a\uFFFD', invalidSequences: 1 });
  });

  it('counts each maximal invalid subpart once, as TextDecoder replaces them (a UTF-8 surrogate is three)', () => {
    expect(decodeChunks([bytes([0xed, 0xa0, 0x80])])).toEqual({ text: '\uFFFD\uFFFD\uFFFD', invalidSequences: 3 });
    expect(decodeChunks([bytes([0xf0, 0x9f, 0x41])])).toEqual({ text: '\uFFFDA', invalidSequences: 1 });
  });

  it('keeps a U+FFFD that is in the file without counting it', () => {
    expect(decodeChunks([utf8('a\uFFFDb')])).toEqual({ text: 'a\uFFFDb', invalidSequences: 0 });
  });

  it('keeps a byte order mark in the middle of the text', () => {
    expect(decodeChunks([utf8('a\uFEFFb')]).text).toBe('a\uFEFFb');
  });

  it('decodes as TextDecoder does, and counts exactly the U+FFFD it puts in, in any chunking', () => {
    fc.assert(
      fc.property(utf8ish, fc.array(fc.nat(), { maxLength: 6 }), (data, cuts) => {
        const result = decodeChunks(splitAt(data, cuts));
        const expected = new TextDecoder('utf-8', { ignoreBOM: true }).decode(data);
        expect(result.text).toBe(expected);
        // Every EF BF BD in the bytes is a U+FFFD of the file itself; the others replace invalid sequences.
        const replacements = expected.split('\uFFFD').length - 1;
        expect(result.invalidSequences).toBe(replacements - occurrences(data, [0xef, 0xbf, 0xbd]));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('isUtf8', () => {
  it('accepts a character cut off by the end only when more bytes may follow', () => {
    expect(isUtf8(bytes([0x4a, 0xe2, 0x82]), false)).toBe(true);
    expect(isUtf8(bytes([0x4a, 0xe2, 0x82]), true)).toBe(false);
  });

  it('refuses an invalid sequence before the end whether or not more bytes follow', () => {
    expect(isUtf8(bytes([0xe9, 0x41]), false)).toBe(false);
    expect(isUtf8(bytes([0xc3, 0xa9, 0x92, 0x41]), true)).toBe(false);
  });

  it('refuses a cut-off start that can never become valid (E0 80 is overlong)', () => {
    expect(isUtf8(bytes([0x41, 0xe0, 0x80]), false)).toBe(false);
  });

  it('agrees with a fatal TextDecoder on complete input', () => {
    fc.assert(
      fc.property(utf8ish, (data) => {
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(data);
        } catch {
          valid = false;
        }
        expect(isUtf8(data, true)).toBe(valid);
      }),
    );
  });

  it('accepts every prefix of valid UTF-8 as the start of a longer input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 20 }), fc.nat(), (text, cut) => {
        const data = utf8(text);
        expect(isUtf8(data.subarray(0, cut % (data.length + 1)), false)).toBe(true);
      }),
    );
  });
});
