// A commit whose acknowledgement is lost: the store committed, then the call failed (a connection dropped
// while COMMIT's reply was on its way). The error alone cannot tell this from a rollback, so the importer
// looks the users up: all there with the ids it was given means committed (the result, with the passwords,
// is returned); none there means rolled back; anything else, or a failed lookup, is reported as unknown.
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

  it('without an import key, finds its users committed and returns the result with their passwords', async () => {
    const { inner, error } = await lostCommit();
    expect((await inner.findExistingEmails(keys)).size).toBe(12);
    expect(error).toMatchObject({ result: { imported: true, replayed: false } });
    const { result } = error as { result: { created: { email: string; temporaryPassword?: string }[] } };
    expect(result.created).toHaveLength(12);
    expect(result.created.every((user) => /^[A-Za-z][A-Za-z0-9]{14,}$/.test(user.temporaryPassword ?? ''))).toBe(true);
  });

  it('with an import key, finds its own import committed and returns the passwords', async () => {
    const { error } = await lostCommit('upload-9');
    expect(error).toMatchObject({ result: { imported: true, replayed: false } });
  });

  it('says no user was created when the lookup finds none of them (the commit failed)', async () => {
    const inner = memoryStore();
    const plan = await planImport(file, { ...who, store: inner });
    const failingCommit: UserStore = {
      findExistingEmails: (k) => inner.findExistingEmails(k),
      findImport: (key) => inner.findImport(key),
      async transaction(fn) {
        await inner.transaction(async (tx) => {
          await fn(tx);
          throw new Error('could not serialize access');
        });
        throw new Error('unreachable');
      },
    };
    const error: unknown = await executeImport(plan, { ...who, store: failingCommit }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'store_error' });
    expect((error as Error).message).toContain('no user was created');
    expect(inner.users()).toHaveLength(0);
  });

  it('says the outcome is unknown, not that nothing was created, when the lookup fails too', async () => {
    const inner = memoryStore();
    const plan = await planImport(file, { ...who, store: inner });
    let down = false;
    const store: UserStore = {
      findExistingEmails: (k) => (down ? Promise.reject(new Error('connection refused')) : inner.findExistingEmails(k)),
      findImport: (key) => inner.findImport(key),
      async transaction(fn) {
        await inner.transaction(fn);
        down = true;
        throw new Error('Connection terminated unexpectedly');
      },
    };
    const error: unknown = await executeImport(plan, { ...who, store }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'store_error' });
    expect((error as Error).message).toContain('is unknown');
    expect((error as Error).message).not.toContain('no user was created');
  });
});
