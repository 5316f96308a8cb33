import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { issueCodes } from '../../src/report/codes.js';
import { rollcallErrorCodes } from '../../src/rollcall-error.js';
import { renderErrorCatalogue } from '../../scripts/error-catalogue.js';

const committed = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

describe('docs/errors.md', () => {
  it('is what the generator writes from the catalogue now (run bash scripts/write-error-catalogue.sh)', () => {
    expect(committed).toBe(renderErrorCatalogue());
  });

  it('has one table row per issue code', () => {
    for (const code of issueCodes) expect(committed).toContain(`| \`${code}\` |`);
    expect(committed.split('\n').filter((line) => line.startsWith('| `')).length).toBe(issueCodes.length + rollcallErrorCodes.length);
  });

  it('describes every code a RollcallError can have, store_busy among them', () => {
    for (const code of rollcallErrorCodes) expect(committed).toContain(`| \`${code}\` |`);
    expect(committed).toContain('| `store_busy` |');
  });
});
