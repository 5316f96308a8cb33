import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { smtpFailure, smtpMailer } from '../../src/adapters/mailer/smtp.js';
import type { IntroductionMessage } from '../../src/adapters/mailer/types.js';
import { describeMailerConformance } from '../../src/testing/mailer-conformance.js';
import { startSmtpServer, type TestSmtpServer } from '../notify/smtp-test-server.js';

/** nodemailer's pooled transport to the test server, without STARTTLS (the test server has no certificate). */
function transportTo(port: number, options: { maxRequeues?: number } = {}) {
  return nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, ...options });
}

describeMailerConformance(
  'smtpMailer (nodemailer pool to smtp-server on loopback)',
  async () => {
    const server = await startSmtpServer();
    return {
      mailer: smtpMailer({ transport: transportTo(server.port) }),
      received: () => server.received(),
      refuse: (address, kind) => {
        server.refuse(address, kind);
      },
      cleanup: () => server.close(),
    };
  },
  { describe, it },
);

const message: IntroductionMessage = {
  from: { name: 'Acme', address: 'welcome@example.org' },
  to: { name: 'Zoë', address: 'zoe@example.org' },
  subject: 'Welcome to Acme',
  text: 'Hello Zoë',
  html: '<p>Hello Zoë</p>',
  messageId: '<intro.i.1@example.org>',
};

async function withServer(body: (server: TestSmtpServer) => Promise<void>): Promise<void> {
  const server = await startSmtpServer();
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

describe('smtpMailer failures', () => {
  it('reports a refused recipient (550) as a permanent recipient_refused with its reply code', () =>
    withServer(async (server) => {
      server.refuse('zoe@example.org', 'permanent');
      const mailer = smtpMailer({ transport: transportTo(server.port) });
      await expect(mailer.send(message)).rejects.toMatchObject({
        name: 'MailerError', code: 'recipient_refused', transient: false, responseCode: 550,
      });
      await mailer.close();
    }));

  it('reports a busy mailbox (451) as transient', () =>
    withServer(async (server) => {
      server.refuse('zoe@example.org', 'transient');
      const mailer = smtpMailer({ transport: transportTo(server.port) });
      await expect(mailer.send(message)).rejects.toMatchObject({ code: 'recipient_refused', transient: true, responseCode: 451 });
      await mailer.close();
    }));

  it('reports a server that is not listening as a transient connection failure', async () => {
    const server = await startSmtpServer();
    const { port } = server;
    await server.close();
    const mailer = smtpMailer({ transport: transportTo(port) });
    await expect(mailer.send(message)).rejects.toMatchObject({ code: 'connection_failed', transient: true });
    await mailer.close();
  });

  it('reports a connection dropped during the message, once nodemailer stops requeueing it, as transient', () =>
    withServer(async (server) => {
      server.onData(() => 'drop');
      const mailer = smtpMailer({ transport: transportTo(server.port, { maxRequeues: 1 }) });
      await expect(mailer.send(message)).rejects.toMatchObject({ code: 'connection_failed', transient: true });
      expect(server.arrivals).toHaveLength(0);
      await mailer.close();
    }));

  it('issue 27 finding 1: counts a recipient reported in its ASCII form (xn--) as accepted, never as a failure', async () => {
    const mailer = smtpMailer({
      transport: { sendMail: () => Promise.resolve({ accepted: ['juergen@xn--mller-kva.de'], rejected: [] }) },
    });
    const to = { name: 'Jürgen', address: 'juergen@müller.de' };
    await expect(mailer.send({ ...message, to })).resolves.toEqual({ messageId: message.messageId });
  });

  it('treats a recipient missing from `accepted` as refused, for transports that resolve anyway', async () => {
    const mailer = smtpMailer({
      transport: {
        sendMail: () =>
          Promise.resolve({ accepted: [], rejected: ['zoe@example.org'], rejectedErrors: [{ responseCode: 452, message: '452 full' }] }),
      },
    });
    await expect(mailer.send(message)).rejects.toMatchObject({ code: 'recipient_refused', transient: true, responseCode: 452 });
  });
});

describe('smtpFailure', () => {
  it.each([
    [{ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }, 'recipient_refused', false],
    [{ code: 'EENVELOPE', responseCode: 452, command: 'RCPT TO' }, 'recipient_refused', true],
    [{ code: 'EMESSAGE', responseCode: 554, command: 'DATA' }, 'message_refused', false],
    [{ code: 'EMESSAGE', responseCode: 503, command: 'DATA' }, 'message_refused', true],
    [{ code: 'EMESSAGE', responseCode: 421, command: 'DATA' }, 'connection_failed', true],
    [{ code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' }, 'auth_failed', false],
    [{ code: 'EAUTH', responseCode: 454, command: 'AUTH PLAIN' }, 'auth_failed', true],
    [{ code: 'ESOCKET' }, 'connection_failed', true],
    [{ code: 'ETIMEDOUT' }, 'connection_failed', true],
    [{ code: 'EENVELOPE' }, 'send_failed', false],
    [{ code: 'ECONFIG' }, 'send_failed', false],
    [{}, 'send_failed', true],
  ] as const)('classifies %o as %s (transient: %s)', (error, code, transient) => {
    const failure = smtpFailure(Object.assign(new Error('x'), error));
    expect([failure.code, failure.transient]).toEqual([code, transient]);
  });
});
