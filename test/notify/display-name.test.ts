// The To line of an introduction, as a real mail client would read it: sent through a real SMTP server on loopback
// and parsed with mailparser, which decodes encoded words inside a quoted display name as many clients do.
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { smtpMailer } from '../../src/adapters/mailer/smtp.js';
import { memoryStore } from '../../src/adapters/store/memory.js';
import { sendIntroductions } from '../../src/notify/send-introductions.js';
import { seedImport } from './seed.js';
import { startSmtpServer } from './smtp-test-server.js';

describe('finding 8: an introduction addresses a stored name the validator would refuse plainly', () => {
  it('sends to the bare address, with no fake "Bcc:" for a mail client to decode, and names others as stored', async () => {
    const server = await startSmtpServer();
    try {
      const store = memoryStore();
      // Users a host stored without rollcall's name rule (or before it), beside an ordinary one.
      await seedImport(store, 'import-1', [
        { firstName: '=?utf-8?b?QmNjOiBib3NzQGFjbWUuZXhhbXBsZQ==?=', lastName: 'Lee', email: 'mallory@example.org' },
        { firstName: 'Ann\u202Eeil', lastName: 'Lee', email: 'ann@example.org' },
        { firstName: 'Zoë', lastName: 'Ñúñez', email: 'zoe@example.org' },
      ]);
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: server.port, secure: false, ignoreTLS: true });
      const result = await sendIntroductions(store, {
        mailer: smtpMailer({ transport }),
        from: { name: 'Acme Accounts', address: 'welcome@acme.example' },
        appName: 'Acme',
        signInUrl: 'https://acme.example/sign-in',
      });
      expect(result.sent).toBe(3);
      const received = await server.received();
      const to: Record<string, string> = Object.fromEntries(received.map((m) => [m.to[0]?.address ?? '', m.to[0]?.name ?? '']));
      expect(to).toEqual({ 'mallory@example.org': '', 'ann@example.org': '', 'zoe@example.org': 'Zoë Ñúñez' });
      for (const arrival of server.arrivals) expect(arrival.raw.toString('latin1').split('\r\n\r\n')[0]).not.toMatch(/QmNj|Bcc:/);
    } finally {
      await server.close();
    }
  });
});
