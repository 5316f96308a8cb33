import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/store/memory.js';
import type { NewUser, UserStore } from '../../src/adapters/store/types.js';
import { hashSecret } from '../../src/execute/hash-secret.js';
import { redeemInvite } from '../../src/execute/redeem-invite.js';
import { RollcallError } from '../../src/rollcall-error.js';

const token = 'Zq3vTn8mR2xWc7LpA9sD4fGh6jK1bN5eY0uI3oP7aS';

function invited(hash: string): NewUser {
  return {
    email: 'Ada@Example.org',
    emailKey: 'ada@example.org',
    firstName: 'Ada',
    lastName: 'Lovelace',
    attributes: {},
    credential: { kind: 'invite', hash, expiresAt: new Date('2030-01-01T00:00:00Z') },
    importId: 'import-1',
    row: 2,
  };
}

const now = (): Date => new Date('2029-06-01T00:00:00Z');

describe('redeemInvite', () => {
  it('hashes the plaintext token with hashSecret by default, as the importer does', async () => {
    const store = memoryStore();
    await store.transaction((tx) => tx.createUsers([invited(hashSecret(token))]));
    expect(await redeemInvite(token, { store, now })).toMatchObject({ redeemed: true, user: { emailKey: 'ada@example.org' } });
    expect(await redeemInvite(token, { store, now })).toEqual({ redeemed: false, reason: 'used' });
  });

  it("hashes with the host's hashInviteToken when given one", async () => {
    const store = memoryStore();
    const hashInviteToken = (t: string): Promise<string> => Promise.resolve(`host:${t.length}:${t.slice(0, 4)}`);
    await store.transaction((tx) => tx.createUsers([invited(`host:${token.length}:${token.slice(0, 4)}`)]));
    expect(await redeemInvite(token, { store, now })).toEqual({ redeemed: false, reason: 'unknown' });
    expect((await redeemInvite(token, { store, now, hashInviteToken })).redeemed).toBe(true);
  });

  it('answers unknown, without asking the store, for a token that is not a string, empty, or too long', async () => {
    const asked: string[] = [];
    const store: UserStore = {
      ...memoryStore(),
      redeemInvite: (hash) => {
        asked.push(hash);
        return Promise.resolve({ redeemed: false, reason: 'unknown' });
      },
    };
    for (const bad of [undefined, null, 42, ['a'], '', 'x'.repeat(513)]) {
      expect(await redeemInvite(bad, { store, now })).toEqual({ redeemed: false, reason: 'unknown' });
    }
    expect(asked).toEqual([]);
  });

  it('refuses a store without the capability, and a hash function that returns the token', async () => {
    const full = memoryStore();
    const withoutCapability: UserStore = {
      findExistingEmails: (keys) => full.findExistingEmails(keys),
      findImport: (key) => full.findImport(key),
      transaction: (fn) => full.transaction(fn),
    };
    await expect(redeemInvite(token, { store: withoutCapability })).rejects.toMatchObject({ code: 'invalid_option' });
    await expect(redeemInvite(token, { store: memoryStore(), hashInviteToken: (t) => t })).rejects.toBeInstanceOf(RollcallError);
  });
});
