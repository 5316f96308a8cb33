import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDecoder } from '../../src/input/decode.js';
import { usersSchema } from '../../src/schema/users.js';
import { chunkings } from '../../src/testing/chunkings.js';
import { excelFile } from '../../src/testing/excel-file.js';
import { excelRow } from '../../src/testing/excel-row.js';

import { numRuns } from '../laws/helpers.js';

describe('excelFile', () => {
  it('writes each dialect as Excel does: UTF-16LE with BOM and tabs, windows-1252 without BOM', () => {
    fc.assert(
      fc.property(excelFile(usersSchema), (file) => {
        const decoder = createDecoder();
        const text = decoder.write(file.bytes) + decoder.end();
        expect(text).toBe(file.text);
        expect(decoder.bom).toBe(file.dialect.bom);
        if (file.dialect.encoding === 'utf-16le') expect(file.dialect).toMatchObject({ bom: true, delimiter: '\t' });
        if (file.dialect.encoding === 'windows-1252') expect(file.dialect.bom).toBe(false);
        if (/[^\p{ASCII}]/u.test(file.text)) expect(decoder.encoding).toBe(file.dialect.encoding);
        expect(file.rowNumbers).toHaveLength(file.rows.length);
        expect(file.keys).toEqual(expect.arrayContaining(['firstName', 'lastName', 'email']));
      }),
      { numRuns },
    );
  });

  it('produces every encoding, delimiter and line ending, and header variants', () => {
    const files = fc.sample(excelFile(usersSchema), { numRuns: 300, seed: 11 });
    expect(new Set(files.map((f) => f.dialect.encoding))).toEqual(new Set(['utf-8', 'windows-1252', 'utf-16le']));
    expect(new Set(files.map((f) => f.dialect.delimiter))).toEqual(new Set([',', ';', '\t', '|']));
    expect(new Set(files.map((f) => f.dialect.lineEnding))).toEqual(new Set(['\r\n', '\n', '\r']));
    expect(files.some((f) => f.header.some((h) => h !== h.trim() || h === h.toUpperCase()))).toBe(true);
    expect(files.some((f) => f.rowNumbers.some((n, i) => n !== i + 2))).toBe(true);
  });

  it('writes the rows it is given, with their expected issues', () => {
    const rows = [{ cells: { firstName: 'Ada', lastName: 'Byron', email: 'ada@example.com' }, issues: [] }];
    const [file] = fc.sample(excelFile(usersSchema, rows, { dialect: { encoding: 'utf-8', bom: false, delimiter: ';', lineEnding: '\n', quoting: 'minimal', trailingEmptyCells: 0, finalLineEnding: true }, headerVariants: false, shuffleColumns: false, blankRows: false }), 1);
    expect(file?.text).toBe('First Name;Last Name;Email\nAda;Byron;ada@example.com\n');
    expect(file?.rowNumbers).toEqual([2]);
  });
});

describe('excelRow', () => {
  it('quotes only what needs it, without neutralising formulas, as a spreadsheet writes', () => {
    const dialect = { delimiter: ';', quoting: 'minimal', trailingEmptyCells: 1 } as const;
    expect(excelRow(['Smith, Jr.', '=1+1', 'say "hi"', 'two\nlines'], dialect)).toBe('Smith, Jr.;=1+1;"say ""hi""";"two\nlines";');
    expect(excelRow(['Smith, Jr.'], dialect, true)).toBe('"Smith, Jr.";');
    expect(excelRow(['a', ''], { delimiter: ',', quoting: 'all', trailingEmptyCells: 0 })).toBe('"a",""');
  });
});

describe('chunkings', () => {
  it('always joins back to the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }).chain((bytes) => fc.tuple(fc.constant(bytes), chunkings(bytes))), ([bytes, chunks]) => {
        const joined = Uint8Array.from(chunks.flatMap((chunk) => Array.from(chunk)));
        expect(joined).toEqual(bytes);
      }),
      { numRuns },
    );
  });
});

describe('excelFile unknown columns', () => {
  it('adds columns the schema does not know only when asked, and lists them', () => {
    const plain = fc.sample(excelFile(usersSchema), { numRuns: 100, seed: 5 });
    expect(plain.every((f) => f.unknownColumns.length === 0)).toBe(true);
    const extra = fc.sample(excelFile(usersSchema, undefined, { unknownColumns: true }), { numRuns: 100, seed: 5 });
    const some = extra.filter((f) => f.unknownColumns.length > 0);
    expect(some.length).toBeGreaterThan(0);
    for (const f of some) expect(f.header).toEqual(expect.arrayContaining([...f.unknownColumns]));
  });
});
