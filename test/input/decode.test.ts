import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDecoder, type DecoderOptions } from '../../src/input/decode.js';
import { RollcallError } from '../../src/rollcall-error.js';
import { bytes, isWellFormed, splitAt, utf16, utf8, windows1252, windows1252Characters } from './bytes.js';

const utf8Bom = [0xef, 0xbb, 0xbf];
const utf16leBom = [0xff, 0xfe];
const utf16beBom = [0xfe, 0xff];

function decode(chunks: readonly Uint8Array[], options?: DecoderOptions) {
  const decoder = createDecoder(options);
  let text = '';
  for (const chunk of chunks) text += decoder.write(chunk);
  text += decoder.end();
  const { encoding, bom, invalidSequences, nulByte } = decoder;
  return { text, encoding, bom, invalidSequences, nulByte };
}

/** Splits bytes into chunks of one byte each. */
function bytewise(data: Uint8Array): Uint8Array[] {
  return Array.from(data, (byte) => new Uint8Array([byte]));
}

describe('createDecoder: byte order marks', () => {
  it('reads a UTF-8 BOM as UTF-8 and drops it', () => {
    expect(decode([bytes(utf8Bom, utf8('Zoë'))])).toMatchObject({ text: 'Zoë', encoding: 'utf-8', bom: true });
  });

  it('reads FF FE as UTF-16LE and FE FF as UTF-16BE, and drops the mark', () => {
    expect(decode([bytes(utf16leBom, utf16('Zoë\t😀', 'le'))])).toMatchObject({
      text: 'Zoë\t😀',
      encoding: 'utf-16le',
      bom: true,
    });
    expect(decode([bytes(utf16beBom, utf16('Zoë\t😀', 'be'))])).toMatchObject({
      text: 'Zoë\t😀',
      encoding: 'utf-16be',
      bom: true,
    });
  });

  it('recognises a BOM split across chunks, one byte at a time', () => {
    expect(decode(bytewise(bytes(utf8Bom, utf8('Zoë'))))).toMatchObject({
      text: 'Zoë',
      encoding: 'utf-8',
      bom: true,
    });
    expect(decode(bytewise(bytes(utf16leBom, utf16('a😀', 'le'))))).toMatchObject({
      text: 'a😀',
      encoding: 'utf-16le',
    });
  });

  it('keeps a second BOM as U+FEFF text', () => {
    expect(decode([bytes(utf8Bom, utf8Bom, utf8('a'))]).text).toBe('\uFEFFa');
  });

  it('reads a file that is only a BOM as empty UTF-8', () => {
    expect(decode([bytes(utf8Bom)])).toMatchObject({ text: '', encoding: 'utf-8', bom: true });
  });

  it('reads the start of a BOM cut off by the end of the file as windows-1252 text', () => {
    expect(decode([bytes([0xef, 0xbb])])).toMatchObject({ text: 'ï»', encoding: 'windows-1252', bom: false });
  });

  it('replaces an odd last byte of a UTF-16 file by U+FFFD', () => {
    expect(decode([bytes(utf16leBom, utf16('ab', 'le'), [0x63])]).text).toBe('ab\uFFFD');
  });

  it('does not flag the NUL bytes of UTF-16 text as binary', () => {
    expect(decode([bytes(utf16leBom, utf16('Name\tE-Mail\r\n', 'le'))]).nulByte).toBe(false);
  });
});

describe('createDecoder: files without a BOM', () => {
  it('leaves the encoding undecided while every byte is ASCII, and calls an ASCII file UTF-8', () => {
    const decoder = createDecoder();
    expect(decoder.write(utf8('name,email\r\n'))).toBe('name,email\r\n');
    expect(decoder.encoding).toBeNull();
    expect(decoder.end()).toBe('');
    expect(decoder).toMatchObject({ encoding: 'utf-8', bom: false, invalidSequences: 0, nulByte: false });
  });

  it('calls an empty file UTF-8 without a BOM', () => {
    expect(decode([])).toEqual({ text: '', encoding: 'utf-8', bom: false, invalidSequences: 0, nulByte: false });
  });

  it('reads UTF-8 without a BOM (LibreOffice, Google Sheets) as UTF-8', () => {
    expect(decode([utf8('Vorname;Nachname\r\nJürgen;Müller\r\n')])).toMatchObject({
      text: 'Vorname;Nachname\r\nJürgen;Müller\r\n',
      encoding: 'utf-8',
    });
  });

  it('reads Excel’s "CSV (Comma delimited)" from Western Windows as windows-1252', () => {
    const text = 'First name,Last name\r\nSeán,O’Brien\r\nJürgen,Müller – 5 €\r\n';
    expect(decode([windows1252(text)])).toMatchObject({ text, encoding: 'windows-1252', invalidSequences: 0 });
  });

  it('passes ASCII through before the first non-ASCII byte is judged', () => {
    const decoder = createDecoder();
    expect(decoder.write(bytes(utf8('Name;'), [0xfc]))).toBe('Name;');
    expect(decoder.encoding).toBeNull();
    expect(decoder.end()).toBe('ü');
    expect(decoder.encoding).toBe('windows-1252');
  });

  it('judges as soon as `lookahead` bytes from the first non-ASCII byte have been read', () => {
    const decoder = createDecoder({ lookahead: 4 });
    expect(decoder.write(bytes(utf8('ab'), utf8('é'), [0x41]))).toBe('ab');
    expect(decoder.encoding).toBeNull();
    expect(decoder.write(bytes([0x42]))).toBe('éAB');
    expect(decoder.encoding).toBe('utf-8');
  });

  it('judges only the bytes in the window: an invalid byte after it is a replaced sequence of a UTF-8 file', () => {
    const data = bytes(utf8('é'), utf8('x'.repeat(10)), [0xe9]);
    expect(decode([data], { lookahead: 8 })).toMatchObject({
      text: `é${'x'.repeat(10)}\uFFFD`,
      encoding: 'utf-8',
      invalidSequences: 1,
    });
    expect(decode([data], { lookahead: 16 })).toMatchObject({ encoding: 'windows-1252', invalidSequences: 0 });
  });

  it('counts a character cut by the end of the window as valid, but one cut by the end of the file as not', () => {
    expect(decode([bytes([0x41, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0x41])], { lookahead: 4 })).toMatchObject({
      text: 'Aé€A',
      encoding: 'utf-8',
    });
    expect(decode([bytes([0x41, 0xc3, 0xa9, 0xe2, 0x82])])).toMatchObject({
      text: 'AÃ©â‚',
      encoding: 'windows-1252',
    });
  });

  it('flags a NUL byte in a file without a UTF-16 BOM (a binary file, or UTF-16 without its mark)', () => {
    expect(decode([utf8('a,b\r\n'), bytes([0x00])]).nulByte).toBe(true);
    expect(decode([bytes(utf8Bom, [0x61, 0x00])]).nulByte).toBe(true);
    expect(decode([utf16('Name', 'le')])).toMatchObject({ nulByte: true, text: 'N\0a\0m\0e\0' });
  });
});

describe('createDecoder: invalid sequences in a UTF-8 file', () => {
  it('replaces and counts invalid bytes after a UTF-8 BOM', () => {
    expect(decode([bytes(utf8Bom, utf8('Jos'), [0xe9], utf8(',O'), [0x92], utf8('B'))])).toMatchObject({
      text: 'Jos\uFFFD,O\uFFFDB',
      encoding: 'utf-8',
      invalidSequences: 2,
    });
  });

  it('does not count a character split across chunks', () => {
    const data = bytes(utf8Bom, utf8('Jürgen 😀'));
    expect(decode(bytewise(data))).toMatchObject({ text: 'Jürgen 😀', invalidSequences: 0 });
  });
});

describe('createDecoder: misuse', () => {
  it('throws a RollcallError for a lookahead that is not a positive whole number', () => {
    expect(() => createDecoder({ lookahead: 0 })).toThrow(RollcallError);
    expect(() => createDecoder({ lookahead: 1.5 })).toThrow(RollcallError);
  });

  it('throws a RollcallError when written to after end()', () => {
    const decoder = createDecoder();
    decoder.end();
    expect(() => decoder.write(utf8('a'))).toThrow(RollcallError);
    expect(() => decoder.end()).toThrow(RollcallError);
  });
});

/** Byte arrays rich in what the decoder distinguishes: BOMs, NULs, ASCII, UTF-8, windows-1252, stray bytes. */
const fileBytes = fc
  .array(
    fc.oneof(
      fc.constantFrom(bytes(utf8Bom), bytes(utf16leBom), bytes(utf16beBom), bytes([0]), bytes([0xef, 0xbb])),
      fc.string({ unit: 'grapheme-ascii', maxLength: 12 }).map(utf8),
      fc.string({ unit: 'binary', maxLength: 6 }).map(utf8),
      fc.string({ unit: fc.constantFrom(...windows1252Characters), maxLength: 6 }).map(windows1252),
      fc.uint8Array({ maxLength: 6 }),
    ),
    { maxLength: 10 },
  )
  .map((parts) => bytes(...parts));

const lookahead = fc.option(fc.integer({ min: 1, max: 24 }), { nil: undefined });

describe('createDecoder: laws', () => {
  it('gives the same text, encoding and flags for any chunking of the same bytes', () => {
    fc.assert(
      fc.property(fileBytes, fc.array(fc.nat(), { maxLength: 8 }), lookahead, (data, cuts, window) => {
        const options = window === undefined ? {} : { lookahead: window };
        expect(decode(splitAt(data, cuts), options)).toEqual(decode([data], options));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads back any text from its UTF-8 bytes, with or without a BOM', () => {
    // A leading U+FEFF is a BOM once encoded: the file would read back without it.
    const text = fc
      .string({ unit: 'binary', maxLength: 40 })
      .filter((value) => isWellFormed(value) && !value.startsWith('\uFEFF'));
    fc.assert(
      fc.property(text, fc.boolean(), fc.array(fc.nat(), { maxLength: 4 }), lookahead, (value, bom, cuts, window) => {
        const data = bom ? bytes(utf8Bom, utf8(value)) : utf8(value);
        const options = window === undefined ? {} : { lookahead: window };
        const expected = { text: value, encoding: 'utf-8', bom, invalidSequences: 0 };
        expect(decode(splitAt(data, cuts), options)).toMatchObject(expected);
      }),
    );
  });

  it('reads back any text from its UTF-16 bytes with a BOM', () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 }).filter(isWellFormed);
    const endian = fc.constantFrom('le' as const, 'be' as const);
    fc.assert(
      fc.property(text, endian, fc.array(fc.nat(), { maxLength: 4 }), (value, order, cuts) => {
        const data = bytes(order === 'le' ? utf16leBom : utf16beBom, utf16(value, order));
        expect(decode(splitAt(data, cuts))).toMatchObject({ text: value, encoding: `utf-16${order}`, bom: true });
      }),
    );
  });

  it('reads back any text of windows-1252 characters that is not also valid UTF-8', () => {
    const text = fc
      .string({ unit: fc.constantFrom(...windows1252Characters), maxLength: 40 })
      .filter((value) => !/^(ï»¿|ÿþ|þÿ)/u.test(value));
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 4 }), (value, cuts) => {
        const data = windows1252(value);
        const result = decode(splitAt(data, cuts));
        if (/^[\0-\x7f]*$/u.test(value) || isValidUtf8(data)) {
          expect(result).toMatchObject({ text: new TextDecoder().decode(data), encoding: 'utf-8' });
        } else {
          expect(result).toMatchObject({ text: value, encoding: 'windows-1252' });
        }
      }),
    );
  });
});

function isValidUtf8(data: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
    return true;
  } catch {
    return false;
  }
}
