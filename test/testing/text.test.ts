import { describe, expect, it } from 'vitest';
import { createDecoder } from '../../src/input/decode.js';
import { canEncodeWindows1252, encodeText } from '../../src/testing/text.js';

function decode(bytes: Uint8Array): { text: string; encoding: string | null; bom: boolean } {
  const decoder = createDecoder();
  const text = decoder.write(bytes) + decoder.end();
  return { text, encoding: decoder.encoding, bom: decoder.bom };
}

describe('encodeText', () => {
  it('writes UTF-8 with and without a BOM', () => {
    expect(Array.from(encodeText('é', 'utf-8', true))).toEqual([0xef, 0xbb, 0xbf, 0xc3, 0xa9]);
    expect(Array.from(encodeText('é', 'utf-8', false))).toEqual([0xc3, 0xa9]);
  });

  it('writes windows-1252, bytes 0x80-0x9F included, and reads back as the same text', () => {
    expect(Array.from(encodeText('O’Brien €', 'windows-1252', false))).toEqual([0x4f, 0x92, 0x42, 0x72, 0x69, 0x65, 0x6e, 0x20, 0x80]);
    expect(decode(encodeText('Šárka;Œuvre—Žák\r\n', 'windows-1252', false))).toEqual({ text: 'Šárka;Œuvre—Žák\r\n', encoding: 'windows-1252', bom: false });
  });

  it('refuses a character windows-1252 cannot hold', () => {
    expect(() => encodeText('Łukasz', 'windows-1252', false)).toThrow(RangeError);
  });

  it('writes UTF-16LE with its BOM, surrogate pairs included', () => {
    expect(Array.from(encodeText('A😀', 'utf-16le', true))).toEqual([0xff, 0xfe, 0x41, 0x00, 0x3d, 0xd8, 0x00, 0xde]);
    expect(decode(encodeText('美咲\t😀', 'utf-16le', true))).toMatchObject({ text: '美咲\t😀', encoding: 'utf-16le' });
  });
});

describe('canEncodeWindows1252', () => {
  it('is true for Latin-1 letters and the 0x80-0x9F punctuation, false for other scripts', () => {
    expect(canEncodeWindows1252('Zoë Ångström – “quoted” €5')).toBe(true);
    expect(canEncodeWindows1252('Łódź')).toBe(false);
    expect(canEncodeWindows1252('美咲')).toBe(false);
  });
});
