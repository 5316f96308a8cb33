import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeWindows1252 } from '../../src/input/windows-1252.js';
import { windows1252, windows1252Characters, windows1252High } from './bytes.js';

describe('decodeWindows1252', () => {
  it('decodes every byte 0x80–0x9F as the WHATWG windows-1252 index does (not as C1 controls)', () => {
    const high = Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i);
    expect(decodeWindows1252(high)).toBe(windows1252High);
    for (let byte = 0x80; byte <= 0x9f; byte++) {
      expect(decodeWindows1252(new Uint8Array([byte]))).toBe(windows1252High.charAt(byte - 0x80));
    }
  });

  it('maps each byte the WHATWG index leaves undefined to the C1 control of the same number', () => {
    expect(decodeWindows1252(new Uint8Array([0x81, 0x8d, 0x8f, 0x90, 0x9d]))).toBe('\u0081\u008d\u008f\u0090\u009d');
  });

  it('decodes O’Brien, whose apostrophe Excel writes as byte 0x92', () => {
    expect(decodeWindows1252(new Uint8Array([0x4f, 0x92, 0x42, 0x72, 0x69, 0x65, 0x6e]))).toBe('O’Brien');
  });

  it('decodes the euro sign, the German quotes and the dashes of a typical European file', () => {
    expect(decodeWindows1252(windows1252('„Müller“ – 5 €'))).toBe('„Müller“ – 5 €');
  });

  it('decodes bytes 0x00–0x7F and 0xA0–0xFF as the Latin-1 code point of the same number', () => {
    for (let byte = 0; byte < 256; byte++) {
      if (byte >= 0x80 && byte <= 0x9f) continue;
      expect(decodeWindows1252(new Uint8Array([byte])).charCodeAt(0)).toBe(byte);
    }
  });

  it('decodes input longer than its internal block whole', () => {
    const text = 'Zoë;O’Brien;€\r\n'.repeat(2000);
    expect(decodeWindows1252(windows1252(text))).toBe(text);
  });

  it('decodes empty input to empty text', () => {
    expect(decodeWindows1252(new Uint8Array())).toBe('');
  });

  it('round-trips any text of windows-1252 characters', () => {
    const text = fc.string({ unit: fc.constantFrom(...windows1252Characters), maxLength: 10_000 });
    fc.assert(
      fc.property(text, (value) => {
        expect(decodeWindows1252(windows1252(value))).toBe(value);
      }),
    );
  });
});
