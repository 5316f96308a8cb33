import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/notify/escape-html.js';
import { defaultIntroductionTemplate, type IntroductionContext } from '../../src/notify/introduction-template.js';

const context: IntroductionContext = {
  appName: 'Acme',
  signInUrl: 'https://acme.example/sign-in',
  recipient: { firstName: 'Zoë', lastName: 'Ñúñez', email: 'zoe@example.org' },
  importId: 'import-1',
  userId: 'user-1',
};

describe('defaultIntroductionTemplate', () => {
  it('greets by first name, and gives the sign-in address and the email, in plain text', () => {
    const { subject, text } = defaultIntroductionTemplate(context);
    expect(subject).toBe('Welcome to Acme');
    expect(text).toBe(
      [
        'Hello Zoë,',
        '',
        'An account on Acme has been created for you.',
        '',
        'Sign in at: https://acme.example/sign-in',
        'Your email address: zoe@example.org',
        '',
        '-- ',
        'Acme',
        '',
      ].join('\n'),
    );
  });

  it('includes a temporary password only when the context has one, with its expiry in UTC', () => {
    const withPassword = defaultIntroductionTemplate({
      ...context,
      credential: { kind: 'password', password: 'Tq7-x9!&<p', expiresAt: new Date('2030-01-31T17:00:00Z') },
    });
    expect(withPassword.text).toContain('Temporary password: Tq7-x9!&<p\n');
    expect(withPassword.text).toContain('You will choose a new password when you first sign in. It expires on 2030-01-31 17:00 UTC.');
    expect(withPassword.html).toContain('<code>Tq7-x9!&amp;&lt;p</code>');
    const without = defaultIntroductionTemplate(context);
    expect(without.text).not.toMatch(/password/i);
    expect(without.html).not.toMatch(/password/i);
  });

  it('includes an invite link, escaped in the HTML', () => {
    const { text, html } = defaultIntroductionTemplate({
      ...context,
      credential: { kind: 'invite', url: 'https://acme.example/invite?token=a1&user=7' },
    });
    expect(text).toContain('Choose your password with this link:\nhttps://acme.example/invite?token=a1&user=7\nThe link works once.\n');
    expect(html).toContain('<a href="https://acme.example/invite?token=a1&amp;user=7">Choose your password</a>');
  });

  it('says "Hello," when the first name is blank', () => {
    expect(defaultIntroductionTemplate({ ...context, recipient: { ...context.recipient, firstName: ' ' } }).text).toMatch(/^Hello,\n/);
  });

  it('lets no interpolated value add markup to the HTML', () => {
    const value = fc.string({ unit: 'grapheme', maxLength: 40 });
    fc.assert(
      fc.property(value, value, value, value, value, (firstName, appName, email, password, url) => {
        const { html } = defaultIntroductionTemplate({
          ...context,
          appName,
          recipient: { firstName, lastName: '', email },
          credential: { kind: 'password', password },
          signInUrl: `https://acme.example/${url}`,
        });
        // Every tag in the output is one the template wrote.
        const tags = html.match(/<[^>]*>/g) ?? [];
        for (const tag of tags) expect(tag).toMatch(/^<(\/?(p|br|code|html|head|body)|!doctype html|meta charset="utf-8"|a href="[^"<]*"|\/a)>$/);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 200) },
    );
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<b class="x">Tom & Jerry's</b>`)).toBe('&lt;b class=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/b&gt;');
  });
});
