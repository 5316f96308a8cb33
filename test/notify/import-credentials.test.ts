import { describe, expect, it } from 'vitest';
import { memoryMailer } from '../../src/adapters/mailer/memory.js';
import { memoryStore } from '../../src/adapters/store/memory.js';
import { importUsers } from '../../src/execute/import-users.js';
import { importCredentials } from '../../src/notify/import-credentials.js';
import { sendIntroductions } from '../../src/notify/send-introductions.js';

const admin = { role: 'program_admin' };
const who = { actor: admin, authorize: (actor: { role: string }) => actor.role === 'program_admin' };
const file = 'First Name,Last Name,Email\r\nZoë,Ñúñez,zoe@example.org\r\nAna,Lima,ana@example.org\r\n';
const mail = {
  from: { name: 'Acme', address: 'welcome@acme.example' },
  appName: 'Acme',
  signInUrl: 'https://acme.example/sign-in',
};

describe('importCredentials', () => {
  it('puts the temporary password the import just made into each user’s introduction', async () => {
    const store = memoryStore();
    const result = await importUsers(file, { ...who, store });
    if (!result.imported || result.replayed) throw new Error('expected the import to run');
    const mailer = memoryMailer();
    await sendIntroductions(store, { ...mail, mailer, importId: result.importId, credentials: importCredentials(result) });
    for (const entry of result.created) {
      const message = mailer.messages.find((m) => m.to.address === entry.email);
      expect(entry.temporaryPassword).toMatch(/.{15,}/);
      expect(message?.text).toContain(`Temporary password: ${entry.temporaryPassword ?? '?'}\n`);
    }
  });

  it('builds invite links with inviteUrl, and refuses invites without it', async () => {
    const store = memoryStore();
    const result = await importUsers(file, { ...who, store, credential: 'invite' });
    if (!result.imported || result.replayed) throw new Error('expected the import to run');
    expect(() => importCredentials(result)).toThrow(/inviteUrl/);
    const credentials = importCredentials(result, { inviteUrl: (token) => `https://acme.example/invite/${token}` });
    expect([...credentials.values()].map((c) => (c.kind === 'invite' ? c.url : ''))).toEqual(
      result.created.map((c) => `https://acme.example/invite/${c.inviteToken ?? '?'}`),
    );
    expect([...credentials.values()].every((c) => c.expiresAt?.getTime() === result.expiresAt.getTime())).toBe(true);
  });

  it('leaves out entries without a user id or a secret, as in a replayed import', () => {
    const entry = { row: 2, email: 'a@example.org', firstName: 'A', lastName: 'B', attributes: {} };
    expect(importCredentials({ created: [entry, { ...entry, userId: 'u1' }, { ...entry, temporaryPassword: 'x' }] }).size).toBe(0);
  });
});
