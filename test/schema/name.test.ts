import { describe, expect, it } from 'vitest';
import { usersSchema } from '../../src/schema/users.js';
import { validateFile } from '../../src/validate/validate-rows.js';

const file = (first: string, last = 'Lee') => `First Name,Last Name,Email\r\n"${first}",${last},ann@example.com\r\n`;
const issuesOf = async (first: string) => {
  const summary = await validateFile(file(first), { schema: usersSchema });
  return summary.errors.map((issue) => [issue.code, issue.message]);
};

// Finding 8 of issue 27: a name cell could hold an encoded word that a mail program decodes into a fake "Bcc:"
// in the To line, a bidi override that reorders what is shown, and a sentence with a link for the greeting.
describe('finding 8: name cells refuse encoded words, format characters and web addresses', () => {
  it('refuses an RFC 2047 encoded word, which a mail program would show as other text', async () => {
    expect(await issuesOf('=?utf-8?b?QmNjOiBldmlsQGV4YW1wbGUuY29t?=')).toEqual([
      [
        'invalid_value',
        'Row 2: "=?utf-8?b?QmNjOiBldmlsQGV4YW1wbGUuY29t?=" is not a valid First Name: it holds encoded mail text ("=?...?="), which mail programs show as other words; type the name itself.',
      ],
    ]);
    expect((await issuesOf('Ann =?ISO-8859-1?Q?Bcc:_x?= Lee'))[0]?.[0]).toBe('invalid_value');
  });

  it('refuses bidi controls and other invisible format characters, saying which and where', async () => {
    expect(await issuesOf('Ann\u202Enimda')).toEqual([
      ['invalid_value', 'Row 2: "AnnU+202Enimda" is not a valid First Name: remove the invisible right-to-left override (U+202E) after "Ann".'],
    ]);
    for (const hidden of ['\u2066', '\u200F', '\u061C', '\u200B', '\u00AD', '\uFEFF', '\u{E0041}', '\u2060']) {
      expect((await issuesOf(`An${hidden}n`))[0]?.[0], `U+${(hidden.codePointAt(0) ?? 0).toString(16)}`).toBe('invalid_value');
    }
    expect((await issuesOf('\u200DAnn'))[0]?.[1]).toContain('zero-width joiner (U+200D) at the start');
  });

  it('refuses a web address, which mail programs turn into a link in the greeting', async () => {
    expect(await issuesOf('Please reset at https://evil.example/login now')).toEqual([
      ['invalid_value', 'Row 2: "Please reset at https://evil.example/login now" is not a valid First Name: a name cannot hold a web address; remove it.'],
    ]);
    expect((await issuesOf('see WWW.evil.example'))[0]?.[0]).toBe('invalid_value');
  });

  it('keeps names from every script valid, with the joiners their spelling needs', async () => {
    for (const name of ['حسن\u200Cزاده', 'ශ්\u200Dරී', 'നന്ദ\u200D', 'ᠮᠣᠩᠭ᠋ᠣᠯ', 'ᠨᠠ\u180Eᠠ', 'Zoë', '美咲', 'Olena 👩\u200D💻', "O'Brien", 'J.R.R. Tolkien', '@home']) {
      const summary = await validateFile(file(name), { schema: usersSchema });
      expect(summary.errors, name).toEqual([]);
    }
  });
});
