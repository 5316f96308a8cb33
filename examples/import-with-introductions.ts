/**
 * The whole job behind an "Import Users" button: import a file into a user store (every user or none), then
 * send each created user an introduction with a single-use invite link. Introductions go through the
 * outbox-directory mailer, which writes one `.eml` file per message: the development stand-in for SMTP
 * (`smtpMailer` in production). `docs/importing.md` and `docs/adapters.md` say more.
 */
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { importUsers } from 'rollcall/import';
import { importCredentials, outboxDirMailer, sendIntroductions } from 'rollcall/mailers';
import { memoryStore } from 'rollcall/stores';

/** What the example did: the users it created and the introduction files in the outbox directory. */
export interface ImportOutcome {
  readonly imported: boolean;
  readonly created: readonly string[];
  readonly emlFiles: readonly string[];
}

interface Admin {
  readonly name: string;
  readonly isAdmin: boolean;
}

/** Imports `file` and sends introductions into `outboxDir`; throws if the outbox does not match the import. */
export async function main(file: URL, outboxDir: string): Promise<ImportOutcome> {
  const store = memoryStore(); // postgresStore({ client: pool }) in production, or your own UserStore
  const admin: Admin = { name: 'Grace', isAdmin: true };

  const result = await importUsers(createReadStream(file), {
    store,
    actor: admin,
    authorize: (actor) => actor.isAdmin,
    credential: 'invite', // a single-use link in the email, rather than a temporary password
  });

  if (result.imported) {
    // The users are committed: now their introductions go out, each at most once.
    const sending = await sendIntroductions(store, {
      importId: result.importId,
      mailer: outboxDirMailer({ dir: outboxDir }),
      from: { name: 'Acme', address: 'welcome@acme.example' },
      appName: 'Acme',
      signInUrl: 'https://acme.example/sign-in',
      // Only this process has the invite tokens (the store keeps their hashes): the links are built from them.
      credentials: importCredentials(result, { inviteUrl: (token) => `https://acme.example/invite/${token}` }),
    });
    assert.equal(sending.sent, result.created.length);
  }

  const created = result.imported ? result.created.map((user) => user.email) : [];
  const emlFiles = await emlFilesIn(outboxDir);
  // One introduction per created user; a file with problems imports no one, so no one is introduced.
  assert.equal(emlFiles.length, created.length);
  if (!result.imported) assert.ok(result.summary.errorCount > 0);
  return { imported: result.imported, created, emlFiles };
}

/** The `.eml` files in `dir`; none when the mailer never created it (nothing was sent). */
async function emlFilesIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => name.endsWith('.eml'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
