import { describe, expect, it } from 'vitest';
import { StringTable } from '../../../src/input/workbook/string-table.js';

describe('StringTable: shared strings kept as UTF-8', () => {
  it('gives back every string as added, across blocks, in any script and length', () => {
    const table = new StringTable();
    const added: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      const text = [`user${i}@example.com`, `Zoë ${i}`, '李小龍', '😀'.repeat(i % 7), 'x'.repeat(i % 50), ''][i % 6] ?? '';
      table.add(text);
      added.push(text);
    }
    table.add('y'.repeat(3 << 20));
    expect(table.size).toBe(60_001);
    for (let i = 0; i < added.length; i++) expect(table.get(i)).toBe(added[i]);
    expect(table.get(60_000)).toBe('y'.repeat(3 << 20));
    expect([table.get(-1), table.get(60_001), table.get(Number.NaN)]).toEqual([undefined, undefined, undefined]);
  });
});
