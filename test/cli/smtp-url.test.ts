import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maskPassword } from '../../src/cli/mailer-options.js';
import { run } from './run-cli.js';

// Finding 9 of issue 27: an --smtp URL that did not parse was echoed with its password, on standard error and
// in the --json output, and a % in the password stopped the command with "URI malformed".
describe('finding 9: an --smtp URL is never shown with its password', () => {
  const urls = [
    ['smtp://ada:s3cr3t-pw@mail example.org:587', 'does not parse (a space in the host)'],
    ['smtp://ada:s3cr3t-pw@mail.example.org:99999', 'does not parse (the port)'],
    ['smtp://ada:s3cr3t-pw%zz@mail.example.org:587', 'has a % that starts no escape'],
    ['smtp://ada:s3cr3t-pw@/x', 'has no host'],
    ['ftp://ada:s3cr3t-pw@mail.example.org', 'is not smtp'],
  ] as const;

  it.each(urls)('%s (%s): exit 2, a clear usage message, the password masked everywhere', async (url) => {
    const cwd = await mkdtemp(join(tmpdir(), 'rollcall-smtp-url-'));
    for (const json of [[], ['--json']]) {
      const { code, stdout, stderr } = await run(['send-intro', '--pending', ...json, '--smtp', url, '--sign-in-url', 'https://a.example/'], { cwd });
      expect(code).toBe(2);
      expect(stderr).toContain('--smtp');
      expect(stdout + stderr).not.toContain('s3cr3t');
      expect(stdout + stderr).not.toContain('URI malformed');
    }
    expect(await readdir(cwd)).toEqual([]);
  });

  it('says how to write a % in a password', async () => {
    const { stderr } = await run(['send-intro', '--pending', '--smtp', 'smtp://ada:50%off@mail.example.org', '--sign-in-url', 'https://a.example/']);
    expect(stderr).toContain('the password in --smtp has a % that starts no escape: write % as %25');
    expect(stderr).toContain('smtp://ada:***@mail.example.org');
  });

  it('masks what stands between the user name and the last @, whatever it holds', () => {
    expect(maskPassword('smtp://ada:p@ss:w/o#rd@mail example.org')).toBe('smtp://ada:***@mail example.org');
    expect(maskPassword('smtp://ada@mail example.org')).toBe('smtp://ada@mail example.org');
    expect(maskPassword('smtp://mail example.org:25')).toBe('smtp://mail example.org:25');
  });
});
