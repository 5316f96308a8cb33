import { describe, expect, it } from 'vitest';
import { MailerError } from '../../src/adapters/mailer/mailer-error.js';
import { memoryMailer } from '../../src/adapters/mailer/memory.js';
import type { IntroductionMessage } from '../../src/adapters/mailer/types.js';
import { describeMailerConformance } from '../../src/testing/mailer-conformance.js';

describeMailerConformance(
  'memoryMailer',
  () => {
    const mailer = memoryMailer();
    return Promise.resolve({
      mailer,
      received: () =>
        Promise.resolve(
          mailer.messages.map((m) => ({
            messageId: m.messageId,
            from: m.from,
            to: [m.to],
            subject: m.subject,
            text: m.text,
            html: m.html,
            headerNames: Object.keys(m.headers ?? {}).map((h) => h.toLowerCase()),
          })),
        ),
      refuse: (address, kind) => {
        mailer.fail(address, { transient: kind === 'transient' });
      },
    });
  },
  { describe, it },
);

const message: IntroductionMessage = {
  from: { address: 'welcome@example.org' },
  to: { name: 'Ada', address: 'Ada@Example.org' },
  subject: 'Welcome',
  text: 'Hello',
  html: '<p>Hello</p>',
  messageId: '<intro.i.1@example.org>',
};

describe('memoryMailer', () => {
  it('fails the given number of times, then delivers, counting every attempt', async () => {
    const mailer = memoryMailer();
    mailer.fail('ada@example.org', { transient: true, times: 2 });
    await expect(mailer.send(message)).rejects.toMatchObject({ transient: true, responseCode: 451 });
    await expect(mailer.send(message)).rejects.toBeInstanceOf(MailerError);
    await expect(mailer.send(message)).resolves.toEqual({ messageId: '<intro.i.1@example.org>' });
    expect(mailer.attempts('ADA@example.org')).toBe(3);
    expect(mailer.messages).toEqual([message]);
  });

  it('refuses permanently with a 550 until told otherwise', async () => {
    const mailer = memoryMailer();
    mailer.fail('ada@example.org', { transient: false });
    for (let i = 0; i < 3; i += 1) {
      await expect(mailer.send(message)).rejects.toMatchObject({ transient: false, code: 'recipient_refused', responseCode: 550 });
    }
    expect(mailer.messages).toEqual([]);
  });
});
