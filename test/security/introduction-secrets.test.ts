// Introductions that carry the temporary password (the host's opt-in `credentials`): a mailer whose error
// quotes the message it could not send (as SMTP libraries and careless adapters do) must not get the
// plaintext password into the outbox's error column, the per-recipient results or the console.
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/store/memory.js';
import type { Mailer } from '../../src/adapters/mailer/types.js';
import { importUsers } from '../../src/execute/import-users.js';
import { importCredentials } from '../../src/notify/import-credentials.js';
import { sendIntroductions } from '../../src/notify/send-introductions.js';
import { capture, errorText, leaked } from './leak-capture.js';

const file = 'First Name,Last Name,Email\r\nAda,Lovelace,ada@example.org\r\nAlan,Turing,alan@example.org\r\n';

describe('introductions with the password in them', () => {
  it('the message reaches the mailer with the password, and a sent one leaves no copy in the outbox', async () => {
    const store = memoryStore();
    const result = await importUsers(file, { actor: 'admin', authorize: () => true, store });
    if (!result.imported || result.replayed) throw new Error('not imported');
    const passwords = result.created.map((c) => c.temporaryPassword ?? '');
    const bodies: string[] = [];
    const mailer: Mailer = {
      send: (message) => {
        bodies.push(message.text + message.html);
        return Promise.resolve({ messageId: message.messageId });
      },
    };
    const results: unknown[] = [];
    const run = await capture(() =>
      sendIntroductions(store, {
        mailer,
        from: { address: 'no-reply@example.org' },
        appName: 'Example',
        signInUrl: 'https://example.org/sign-in',
        credentials: importCredentials(result),
        onResult: (r) => results.push(r),
      }),
    );
    expect(run.error).toBeUndefined();
    expect(leaked(passwords, bodies.join('\n'))).toEqual(passwords);
    expect(leaked(passwords, [run.output, JSON.stringify(run.value), JSON.stringify(results), JSON.stringify(await store.outbox.list())].join('\n'))).toEqual([]);
  });

  // Found by this suite: the mailer's error message was stored as it was, password and all.
  it("a mailer error that quotes the message does not put the password into the outbox's error column or the results", async () => {
    const store = memoryStore();
    const result = await importUsers(file, { actor: 'admin', authorize: () => true, store });
    if (!result.imported || result.replayed) throw new Error('not imported');
    const passwords = result.created.map((c) => c.temporaryPassword ?? '');
    const mailer: Mailer = {
      send: (message) => Promise.reject(new Error(`550 rejected: ${message.text}`)),
    };
    const results: unknown[] = [];
    const run = await capture(() =>
      sendIntroductions(store, {
        mailer,
        from: { address: 'no-reply@example.org' },
        appName: 'Example',
        signInUrl: 'https://example.org/sign-in',
        credentials: importCredentials(result),
        retries: 0,
        onResult: (r) => results.push(r),
      }),
    );
    const outbox = await store.outbox.list();
    expect(outbox.map((i) => i.status)).toEqual(['failed', 'failed']);
    const everywhere = [run.output, errorText(run.error), JSON.stringify(run.value), JSON.stringify(results), JSON.stringify(outbox)].join('\n');
    expect(leaked(passwords, everywhere)).toEqual([]);
  });

  it('a template error that quotes the invite link keeps neither the link nor its token', async () => {
    const store = memoryStore();
    const result = await importUsers(file, { actor: 'admin', authorize: () => true, store, credential: 'invite' });
    if (!result.imported || result.replayed) throw new Error('not imported');
    const tokens = result.created.map((c) => c.inviteToken ?? '');
    const results: unknown[] = [];
    await sendIntroductions(store, {
      mailer: { send: (message) => Promise.resolve({ messageId: message.messageId }) },
      from: { address: 'no-reply@example.org' },
      appName: 'Example',
      signInUrl: 'https://example.org/sign-in',
      credentials: importCredentials(result, { inviteUrl: (token) => `https://example.org/invite?t=${token}` }),
      template: (context) => {
        throw new Error(`cannot render ${JSON.stringify(context.credential)}`);
      },
      onResult: (r) => results.push(r),
    });
    const outbox = await store.outbox.list();
    expect(outbox.map((i) => i.status)).toEqual(['failed', 'failed']);
    expect(outbox.every((i) => i.error?.includes('[redacted]') === true)).toBe(true);
    expect(leaked(tokens, JSON.stringify(outbox) + JSON.stringify(results))).toEqual([]);
  });
});
