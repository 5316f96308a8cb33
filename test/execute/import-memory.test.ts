import { memoryStore } from '../../src/adapters/store/memory.js';
import { describeImportCases, type StoredCredential } from './import-cases.js';

describeImportCases('the memory store', () => {
  const store = memoryStore();
  return Promise.resolve({
    store,
    dump: async () => JSON.stringify([store.users(), await store.outbox.list()]),
    credentials: () =>
      Promise.resolve(
        new Map(
          store.users().map((user): [string, StoredCredential] => {
            const c = user.credential;
            return [
              user.emailKey,
              {
                passwordHash: c.kind === 'password' ? c.hash : null,
                inviteHash: c.kind === 'invite' ? c.hash : null,
                mustChange: c.kind === 'password' && c.mustChange,
                expiresAt: c.expiresAt,
              },
            ];
          }),
        ),
      ),
  });
});
