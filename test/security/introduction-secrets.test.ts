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

  // KNOWN BUG in src/notify/send-introductions.ts (describe() stores the mailer's error message as it is):
  // `it.fails` passes while the bug is there; once the error text is scrubbed of the credential, turn it into `it`.
  it.fails("a mailer error that quotes the message does not put the password into the outbox's error column or the results", async () => {
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
});
