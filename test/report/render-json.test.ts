import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/report/render-json.js';
import { issue, summaryOf } from './summary-fixture.js';

describe('renderJson', () => {
  const summary = summaryOf([
    issue(3, 'Email', 'duplicate_in_file', 'The email ada@example.com is already in row 2.', { value: 'ada@example.com', firstRow: 2 }),
    issue(null, 'Phone', 'unknown_column', 'The column "Phone" is not recognised and is ignored.'),
    issue(2, 'Email', 'invalid_email', '"ada@" is not a valid email address.', { value: 'ada@' }),
  ]);

  it('has exactly the contract keys, in the contract order', () => {
    expect(Object.keys(renderJson(summary))).toEqual([
      'valid', 'rowCount', 'errorCount', 'warningCount', 'errors', 'warnings',
      'countsByCode', 'countsByColumn', 'truncated', 'file',
    ]);
  });

  it('writes issues as row, column, code, message, then value and firstRow only when known', () => {
    const json = renderJson(summary);
    expect(json.errors.map((i) => Object.keys(i))).toEqual([
      ['row', 'column', 'code', 'message', 'value', 'firstRow'],
      ['row', 'column', 'code', 'message', 'value'],
    ]);
    expect(json.warnings).toEqual([
      { row: null, column: 'Phone', code: 'unknown_column', message: 'The column "Phone" is not recognised and is ignored.' },
    ]);
  });

  it('keeps the counts and file details, with countsByCode in catalogue order', () => {
    const json = renderJson(summary);
    expect(json).toMatchObject({ valid: false, rowCount: 2, errorCount: 2, warningCount: 1, truncated: false });
    expect(Object.keys(json.countsByCode)).toEqual(['invalid_email', 'duplicate_in_file', 'unknown_column']);
    expect(json.countsByColumn).toEqual({ Email: 2 });
    expect(Object.keys(json.file)).toEqual(['format', 'sheet', 'bytes', 'encoding', 'bom', 'delimiter', 'columns', 'unknownColumns']);
    expect(json.file.columns[0]).toEqual({ key: 'email', label: 'Email', header: 'E-mail', index: 0 });
  });

  it('leaves out anything else a summary object carries', () => {
    const extra = { ...summary, internal: 'secret', errors: [{ ...summary.errors[0]!, debug: 1 }] };
    const text = JSON.stringify(renderJson(extra));
    expect(text).not.toContain('secret');
    expect(text).not.toContain('debug');
  });

  it('survives JSON.stringify and parse unchanged', () => {
    const json = renderJson(summary);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
