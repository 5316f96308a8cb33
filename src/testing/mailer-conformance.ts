import fc from 'fast-check';
import { isTransientFailure } from '../adapters/mailer/mailer-error.js';
import type { IntroductionMessage, MailAddress, Mailer } from '../adapters/mailer/types.js';
import { normaliseEmail } from '../validate/email.js';
import { conformanceChecks } from './conformance-checks.js';
import { emailAddress } from './emails.js';
import type { ConformanceRunner } from './store-conformance.js';

const { check, equal, rejection } = conformanceChecks('mailer conformance');

/** A message as the receiving side got it, decoded (by `mailparser`, for a mailer that writes MIME). */
export interface ReceivedMessage {
  readonly messageId: string;
  readonly from: MailAddress;
  readonly to: readonly MailAddress[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** The names of the message's headers, lowercased. */
  readonly headerNames: readonly string[];
}

/** A fresh mailer for one test, a view of what it delivered, and the faults the harness can provoke. */
export interface MailerUnderTest {
  readonly mailer: Mailer;
  /** Every message the receiving side holds, in any order; a message delivered twice is listed twice. */
  readonly received: () => Promise<ReceivedMessage[]>;
  /**
   * Capability: makes the receiving side refuse `address`, transiently (SMTP 4xx) or permanently (5xx).
   * Left out by a harness that cannot provoke it: the refusal tests are then not run for this mailer.
   */
  readonly refuse?: (address: string, kind: 'transient' | 'permanent') => void;
  /** Disposes of the mailer after the test, when it holds a server or files. */
  readonly cleanup?: () => Promise<void>;
}

/**
 * Registers the mailer conformance suite: non-ASCII names, subject and bodies arrive intact; lines that
 * SMTP and MIME treat specially survive; line breaks in a name or subject add no header; concurrent sends
 * each arrive once with their own Message-ID; a resend keeps the Message-ID; `close` may be called twice;
 * any address the validator accepts, internationalised domains included, is sent once and recorded as sent;
 * and, when the harness can make the receiver refuse a recipient, the failure is classified transient
 * or permanent. `factory` is called once per test.
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * import { describeMailerConformance } from 'rollcall/testing';
 *
 * describeMailerConformance('my mailer', async () => {
 *   const inbox = await startTestInbox();
 *   return { mailer: myMailer(inbox.url), received: () => inbox.messages(), cleanup: () => inbox.stop() };
 * }, { describe, it });
 * ```
 */
export function describeMailerConformance(
  name: string,
  factory: () => Promise<MailerUnderTest>,
  runner: ConformanceRunner,
): void {
  const { describe, it } = runner;
  const test = (title: string, body: (subject: MailerUnderTest) => Promise<void>): void => {
    it(title, async () => {
      const subject = await factory();
      try {
        await body(subject);
      } finally {
        await subject.mailer.close?.();
        await subject.cleanup?.();
      }
    });
  };

  describe(`${name}: Mailer conformance`, () => {
    test('delivers non-ASCII names, subject and bodies intact, and returns the Message-ID', async ({ mailer, received }) => {
      const sent = message(1, {
        from: { name: 'Zoë Ñúñez-Ødegård, Café Ærø', address: 'welcome@example.org' },
        to: { name: '李 小龍', address: 'li@example.org' },
        subject: 'Welcome to Café Ærø — 欢迎 ✓',
        text: 'Hello 李,\n\nYour account on Café Ærø is ready: naïve façade, Ελληνικά, 😀.\n',
        html: '<p>Hello 李,</p><p>Your account on Café Ærø is ready: naïve façade, Ελληνικά, 😀.</p>',
      });
      const receipt = await mailer.send(sent);
      equal(receipt.messageId, sent.messageId, 'the Message-ID send returns');
      const got = await received();
      equal(got.length, 1, 'messages received');
      expectSame(got[0], sent);
    });

    test('keeps long lines, lines starting with a dot or "From ", and a long subject intact', async ({ mailer, received }) => {
      const long = 'ü'.repeat(300) + ' ' + 'word '.repeat(120);
      const text = ['.', '.hidden dot line', 'From the administrator', long, '', 'end'].join('\n');
      const sent = message(1, {
        subject: `Willkommen bei Überraschungsgesellschaft — ${'sehr lange Betreffzeile '.repeat(8)}`.trim(),
        text,
        html: `<p>${text.replace(/\n/g, '<br>\n')}</p>`,
      });
      await mailer.send(sent);
      const got = await received();
      equal(got.length, 1, 'messages received');
      expectSame(got[0], sent);
    });

    test('lets no line break in a name or subject add a header or a recipient', async ({ mailer, received }) => {
      const sent = message(1, {
        to: { name: 'Eve\r\nBcc: eve@attacker.example', address: 'eve@example.org' },
        subject: 'Hello\r\nBcc: eve@attacker.example\r\nX-Injected: yes',
      });
      await mailer.send(sent).catch(() => undefined);
      for (const got of await received()) {
        check(!got.headerNames.includes('bcc') && !got.headerNames.includes('x-injected'), 'no injected header');
        equal(got.to.map((a) => a.address), ['eve@example.org'], 'the one recipient');
      }
    });

    test('sends 20 messages at once, each arriving once with its own Message-ID', async ({ mailer, received }) => {
      const sent = Array.from({ length: 20 }, (_, i) => message(i + 1));
      const receipts = await Promise.all(sent.map((m) => mailer.send(m)));
      equal(receipts.map((r) => r.messageId), sent.map((m) => m.messageId), 'the Message-IDs returned');
      const got = await received();
      equal(got.map((m) => m.messageId).sort(), sent.map((m) => m.messageId).sort(), 'each Message-ID once');
      for (const m of got) {
        equal(m.to.map((a) => a.address), [sent.find((s) => s.messageId === m.messageId)?.to.address], 'recipient');
      }
    });

    test('keeps the Message-ID when a message is sent again, so a receiver can drop the copy', async ({ mailer, received }) => {
      const sent = message(7);
      await mailer.send(sent);
      await mailer.send(sent);
      const got = await received();
      check(got.length >= 1, 'the message arrived');
      equal([...new Set(got.map((m) => m.messageId))], [sent.messageId], 'one Message-ID');
    });

    test('sends to any address the validator accepts once, and reports it sent (issue 27 finding 1)', async ({ mailer, received }) => {
      let sent = 0;
      await fc.assert(
        fc.asyncProperty(emailAddress(), async (typed) => {
          const accepted = normaliseEmail(typed);
          if (!accepted.ok) return;
          sent += 1;
          const out = message(sent, { to: { name: 'Jürgen', address: accepted.email } });
          // A rejection here is what made a delivered introduction count as failed and go out again.
          const receipt = await mailer.send(out);
          equal(receipt.messageId, out.messageId, 'the Message-ID send returns');
          const got = (await received()).filter((m) => m.messageId === out.messageId);
          equal(got.length, 1, `copies of the message to ${accepted.email}`);
        }),
        { numRuns: 25 },
      );
      check(sent > 0, 'some address was sent');
    });

    test('can be closed twice', async ({ mailer }) => {
      await mailer.send(message(1));
      await mailer.close?.();
      await mailer.close?.();
    });

    describe('refused recipients (capability: refuse)', () => {
      test('reports a permanent refusal as permanent, and delivers nothing to it', async ({ mailer, received, refuse }) => {
        if (!refuse) return;
        refuse('gone@example.org', 'permanent');
        const error = await rejection(mailer.send(message(1, { to: { name: 'Gone', address: 'gone@example.org' } })));
        equal(isTransientFailure(error), false, 'transient');
        await mailer.send(message(2));
        equal((await received()).map((m) => m.to[0]?.address), ['user2@example.org'], 'only the other one arrived');
      });

      test('reports a transient refusal as transient', async ({ mailer, received, refuse }) => {
        if (!refuse) return;
        refuse('busy@example.org', 'transient');
        const error = await rejection(mailer.send(message(1, { to: { name: 'Busy', address: 'busy@example.org' } })));
        equal(isTransientFailure(error), true, 'transient');
        equal((await received()).length, 0, 'nothing arrived');
      });
    });
  });
}

function message(n: number, overrides: Partial<IntroductionMessage> = {}): IntroductionMessage {
  return {
    from: { name: 'Acme Accounts', address: 'welcome@example.org' },
    to: { name: `User ${String(n)}`, address: `user${String(n)}@example.org` },
    subject: `Welcome to Acme (${String(n)})`,
    text: `Hello User ${String(n)},\n\nSign in at https://acme.example/sign-in\n`,
    html: `<p>Hello User ${String(n)},</p><p><a href="https://acme.example/sign-in">Sign in</a></p>`,
    messageId: `<intro.conformance.${String(n)}@example.org>`,
    ...overrides,
  };
}

function expectSame(got: ReceivedMessage | undefined, sent: IntroductionMessage): void {
  check(got !== undefined, 'a message arrived');
  equal(got?.messageId, sent.messageId, 'Message-ID');
  equal(got?.subject, sent.subject, 'subject');
  equal(address(got?.from), address(sent.from), 'from');
  equal(got?.to.map(address), [address(sent.to)], 'to');
  equal(body(got?.text ?? ''), body(sent.text), 'text');
  equal(body(got?.html ?? ''), body(sent.html), 'html');
}

function address(mailbox: MailAddress | undefined): string {
  return mailbox === undefined ? '' : `${mailbox.name ?? ''} <${mailbox.address}>`;
}

/** Line endings and trailing newlines are the transport's business: CRLF on the wire, LF once decoded. */
function body(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(/\n+$/, '');
}
