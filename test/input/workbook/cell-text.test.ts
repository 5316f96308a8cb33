import { describe, expect, it } from 'vitest';
import { columnIndex, dateText, formatCodeKind, numberText, unescapeExcel } from '../../../src/input/workbook/cell-text.js';

describe('numberText: numbers as a General cell shows them', () => {
  it.each([
    [100234, '100234'],
    [1, '1'],
    [-42, '-42'],
    [3.14, '3.14'],
    [0.1 + 0.2, '0.3'],
    [1e-7, '0.0000001'],
    [-2.5e-8, '-0.000000025'],
    [1e21, '1000000000000000000000'],
    [123456789012345, '123456789012345'],
  ])('writes %s as %s, with no spurious .0, exponent or float noise', (value, text) => {
    expect(numberText(value)).toBe(text);
  });
});

describe('dateText: serial numbers as the dates Excel shows', () => {
  it('counts the 1900 system from 1899-12-30, with Excel\'s 29 February 1900', () => {
    expect(dateText(1, 'date', false)).toBe('1900-01-01');
    expect(dateText(59, 'date', false)).toBe('1900-02-28');
    expect(dateText(60, 'date', false)).toBe('1900-02-29');
    expect(dateText(61, 'date', false)).toBe('1900-03-01');
    expect(dateText(45000, 'date', false)).toBe('2023-03-15');
  });

  it('counts the 1904 system from 1904-01-01', () => {
    expect(dateText(0, 'date', true)).toBe('1904-01-01');
    expect(dateText(43538, 'date', true)).toBe('2023-03-15');
  });

  it('adds the time only when the format shows one', () => {
    expect(dateText(45000.5, 'date', false)).toBe('2023-03-15');
    expect(dateText(45000.5, 'datetime', false)).toBe('2023-03-15 12:00:00');
    expect(dateText(0.75, 'time', false)).toBe('18:00:00');
  });
});

describe('formatCodeKind: which format codes show dates', () => {
  it.each([
    ['yyyy-mm-dd', 'date'],
    ['d/m/yyyy', 'date'],
    ['[$-409]mmmm d, yyyy;@', 'date'],
    ['dd/mm/yyyy hh:mm', 'datetime'],
    ['h:mm AM/PM', 'time'],
    ['[h]:mm:ss', 'time'],
    ['0.00', 'number'],
    ['"Day "0', 'number'],
    ['[Red]#,##0', 'number'],
    ['0" days"', 'number'],
  ])('%s shows a %s', (code, kind) => {
    expect(formatCodeKind(code)).toBe(kind);
  });
});

describe('unescapeExcel and columnIndex', () => {
  it('decodes _xHHHH_ escapes, and _x005F_ as an underscore before text that looks like one', () => {
    expect(unescapeExcel('a_x000D_b')).toBe('a\rb');
    expect(unescapeExcel('_x005F_x000D_')).toBe('_x000D_');
    expect(unescapeExcel('user_name')).toBe('user_name');
  });

  it('reads column letters up to XFD and refuses beyond', () => {
    expect(columnIndex('A1')).toBe(0);
    expect(columnIndex('AA10')).toBe(26);
    expect(columnIndex('XFD1')).toBe(16_383);
    expect(columnIndex('XFE1')).toBe(-1);
    expect(columnIndex('ZZZZ1')).toBe(-1);
    expect(columnIndex('12')).toBe(-1);
  });
});
