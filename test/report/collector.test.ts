import { describe, expect, it } from 'vitest';
import { IssueCollector } from '../../src/report/collector.js';
import type { FileInfo } from '../../src/report/summary.js';
import { validateFile } from '../../src/validate/validate-rows.js';

const file: FileInfo = { format: 'csv', sheet: null, bytes: 0, encoding: 'utf-8', bom: false, delimiter: ',', columns: [], unknownColumns: [] };

describe('IssueCollector', () => {
  it('keeps at most maxIssues header issues, apart from the row issues, with exact counts', () => {
    const collector = new IssueCollector({ maxIssues: 3 });
    for (let i = 0; i < 10; i++) collector.add({ code: 'unknown_column', row: 1, column: `Extra ${i}` });
    for (let i = 0; i < 5; i++) collector.add({ code: 'required', row: i + 2, column: 'Email' });
    const summary = collector.summary(5, file);
    expect(summary.warnings.map((w) => w.column)).toEqual(['Extra 0', 'Extra 1', 'Extra 2']);
    expect(summary.errors.map((e) => e.row)).toEqual([2, 3, 4]);
    expect([summary.warningCount, summary.errorCount, summary.truncated]).toEqual([10, 5, true]);
  });

  it('always keeps file-level issues', () => {
    const collector = new IssueCollector({ maxIssues: 0 });
    collector.add({ code: 'empty_file', row: null, column: null });
    expect(collector.summary(0, file).errors.map((e) => e.code)).toEqual(['empty_file']);
  });
});

describe('a header of 20,000 unknown columns', () => {
  it('lists maxIssues of them, counts them all, and still lists the row issues', async () => {
    const extra = Array.from({ length: 20_000 }, (_, i) => `x${i}`);
    const text = `First Name,Last Name,Email,${extra.join(',')}\r\nAda,,ada@example.org\r\n`;
    const summary = await validateFile(text, { maxIssues: 10 });
    expect(summary.warnings.filter((w) => w.code === 'unknown_column')).toHaveLength(10);
    expect(summary.warningCount).toBe(20_000);
    expect(summary.errors.map((e) => [e.row, e.code])).toEqual([[2, 'required']]);
    expect(summary.truncated).toBe(true);
  });
});
