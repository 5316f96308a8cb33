// A commit whose acknowledgement is lost: the store committed, then the call failed (a connection dropped
// while COMMIT's reply was on its way). The importer cannot tell this from a rollback by the error alone.
// What holds today: the same file retried with the same import key is recognised and creates nothing twice.
// What does not (marked `fails`, a known bug in src/execute/execute-import.ts, left to the work changing that
// file): the importer says "rolled back: no user was created" although every user was, and with an import key
// it could look the key up after the failure, find its own import committed, and return the result with the
// passwords instead of losing them.
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/store/memory.js';
import type { UserStore } from '../../src/adapters/store/types.js';
import { executeImport } from '../../src/execute/execute-import.js';
import { planImport } from '../../src/plan/plan-import.js';
import { fileKeys, usersFile } from './fault-cases.js';

const who = { actor: 'admin', authorize: () => true };
const file = usersFile(12);
const keys = fileKeys(12);

/** A store whose transactions commit and then fail, as when the reply to COMMIT never arrives. */
function losingAcknowledgements(inner: UserStore): UserStore {
  return {
    findExistingEmails: (k) => inner.findExistingEmails(k),
    findImport: (key) => inner.findImport(key),
    async transaction(fn) {
      await inner.transaction(fn);
      throw new Error('Connection terminated unexpectedly');
    },
  };
}

async function lostCommit(importKey?: string) {
  const inner = memoryStore();
  const plan = await planImport(file, { ...who, store: inner });
  const error: unknown = await executeImport(plan, {
    ...who,
    store: losingAcknowledgements(inner),
    ...(importKey === undefined ? {} : { importKey }),
  }).then(
    (result) => ({ result }),
    (e: unknown) => e,
  );
  return { inner, plan, error };
}

describe('an import whose commit acknowledgement is lost', () => {
  it('is recognised by a retry with the same import key: nothing is created twice', async () => {
    const { inner, plan } = await lostCommit('upload-9');
    expect((await inner.findExistingEmails(keys)).size).toBe(12);
    const retry = await executeImport(plan, { ...who, store: inner, importKey: 'upload-9' });
    expect(retry).toMatchObject({ imported: true, replayed: true });
    expect(inner.users()).toHaveLength(12);
  });

  it.fails('KNOWN BUG (execute-import.ts): without an import key, the error does not claim that no user was created', async () => {
    const { inner, error } = await lostCommit();
    expect((await inner.findExistingEmails(keys)).size).toBe(12);
    expect(error).toMatchObject({ code: 'store_error' });
    expect((error as Error).message).not.toContain('no user was created');
  });

  it.fails('KNOWN BUG (execute-import.ts): with an import key, it finds its own import committed and returns the passwords', async () => {
    const { error } = await lostCommit('upload-9');
    expect(error).toMatchObject({ result: { imported: true, replayed: false } });
  });
});
