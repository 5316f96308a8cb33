import { describe, expect, it } from 'vitest';
import { contentDisposition } from '../../src/template/content-disposition.js';

describe('contentDisposition', () => {
  it('quotes a plain ASCII name as it is', () => {
    expect(contentDisposition('users template.csv')).toBe('attachment; filename="users template.csv"');
  });

  it('adds filename* in UTF-8 for a non-ASCII name, with accents dropped in the fallback', () => {
    expect(contentDisposition('Benutzer-Vorlage für Müller.csv')).toBe(
      `attachment; filename="Benutzer-Vorlage fur Muller.csv"; filename*=UTF-8''Benutzer-Vorlage%20f%C3%BCr%20M%C3%BCller.csv`,
    );
    expect(contentDisposition('利用者.csv')).toBe(`attachment; filename="___.csv"; filename*=UTF-8''%E5%88%A9%E7%94%A8%E8%80%85.csv`);
  });

  it('keeps quotes, backslashes and percent signs out of the plain name, and encodes them in filename*', () => {
    expect(contentDisposition(`a"b\\c%41(1)'.csv`)).toBe(
      `attachment; filename="a_b_c_41(1)'.csv"; filename*=UTF-8''a%22b%5Cc%2541%281%29%27.csv`,
    );
  });

  it('refuses an empty name and names with control or broken characters', () => {
    for (const name of ['', 'a\nb.csv', 'tab\t.csv', '\uD800.csv']) {
      expect(() => contentDisposition(name), JSON.stringify(name)).toThrow(expect.objectContaining({ code: 'invalid_option' }));
    }
  });
});
