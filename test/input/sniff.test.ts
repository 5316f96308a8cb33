import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sniffFileType, sniffLength } from '../../src/input/sniff.js';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('sniffFileType', () => {
  it('recognises an .xlsx workbook (a zip archive), and an empty zip archive', () => {
    expect(sniffFileType(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]))?.kind).toBe('xlsx');
    expect(sniffFileType(new Uint8Array([0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0]))?.kind).toBe('xlsx');
  });

  it('recognises a legacy .xls workbook (an OLE compound file)', () => {
    const result = sniffFileType(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
    expect(result).toEqual({ kind: 'xls', description: expect.stringContaining('.xls') as unknown });
  });

  it('recognises a PDF, gzip, 7z and rar archives, and PNG, JPEG and GIF images', () => {
    const cases: [number[], string][] = [
      [[0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37], 'pdf'],
      [[0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0], 'gzip'],
      [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04], '7z'],
      [[0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x01, 0x00], 'rar'],
      [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'png'],
      [[0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46], 'jpeg'],
      [[0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00], 'gif'],
    ];
    for (const [head, kind] of cases) expect(sniffFileType(new Uint8Array(head))?.kind).toBe(kind);
  });

  it('describes each kind in words that complete "This file is …"', () => {
    expect(sniffFileType(encode('%PDF-1.4'))?.description).toBe('a PDF document');
  });

  it('recognises a signature in a file exactly as long as it', () => {
    expect(sniffFileType(new Uint8Array([0x50, 0x4b, 0x05, 0x06]))?.kind).toBe('xlsx');
    expect(sniffFileType(new Uint8Array([0xff, 0xd8, 0xff]))?.kind).toBe('jpeg');
  });

  it('does not call a file shorter than a signature by that signature (a one-line CSV "PK")', () => {
    expect(sniffFileType(encode('PK'))).toBeNull();
    expect(sniffFileType(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0]))).toBeNull();
    expect(sniffFileType(new Uint8Array())).toBeNull();
  });

  it('takes CSV text for text, whatever its encoding or byte order mark', () => {
    expect(sniffFileType(encode('email,first_name'))).toBeNull();
    expect(sniffFileType(encode('\uFEFFVorname;Nachname'))).toBeNull();
    expect(sniffFileType(new Uint8Array([0xff, 0xfe, 0x4e, 0x00, 0x61, 0x00, 0x6d, 0x00]))).toBeNull();
    expect(sniffFileType(new Uint8Array([0xfe, 0xff, 0x00, 0x4e, 0x00, 0x61, 0x00, 0x6d]))).toBeNull();
  });

  it('needs no more than sniffLength bytes: more bytes never change the answer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: sniffLength, maxLength: 32 }), (data) => {
        expect(sniffFileType(data)).toEqual(sniffFileType(data.subarray(0, sniffLength)));
      }),
    );
  });

  it('never recognises a file that starts with a printable ASCII header row other than %PDF-, GIF8 and Rar!', () => {
    const printable = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,;|_-@."'.split('');
    const header = fc
      .string({ unit: fc.constantFrom(...printable) })
      .filter((text) => !/^(%PDF-|GIF8|PK)/u.test(text));
    fc.assert(
      fc.property(header, (text) => {
        expect(sniffFileType(encode(text).subarray(0, sniffLength))).toBeNull();
      }),
    );
  });
});
