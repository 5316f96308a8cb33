import { isStoreConflictError } from '../adapters/store/errors.js';
import type { ImportRecord, NewIntroduction, NewUser, UserStore } from '../adapters/store/types.js';
import { equal } from './conformance-checks.js';

/** Declares one test of the store suite: a fresh store per test, disposed of afterwards. */
export type StoreTest = (title: string, body: (store: UserStore) => Promise<void>) => void;

/** A user for the suite; `email` is the stored form, its key is the lowercased NFC form. */
export function user(i: number, email = `User${i}@Example.org`, overrides: Partial<NewUser> = {}): NewUser {
  return {
    email,
    emailKey: email.normalize('NFC').toLowerCase(),
    firstName: `First${i}`,
    lastName: `Last${i}`,
    attributes: {},
    credential: { kind: 'password', hash: `hash-${i}`, mustChange: true, expiresAt: new Date('2030-01-01T00:00:00Z') },
    importId: 'import-1',
    row: i + 2,
    ...overrides,
  };
}

/** An import record for the suite. */
export function importRecord(id: string, key: string | null): ImportRecord {
  return {
    id,
    key,
    fingerprint: `sha256:${id}`,
    outcome: { created: 3, rows: [2, 3, 4], names: ['Zoë'] },
    createdAt: new Date('2025-03-01T12:00:00.000Z'),
  };
}

/** The introductions of `users`, with the ids `createUsers` gave them. */
export function introductions(importId: string, created: readonly { id: string }[], users: readonly NewUser[]): NewIntroduction[] {
  return users.map((u, i) => ({ importId, userId: created[i]?.id ?? '', email: u.email, firstName: u.firstName, lastName: u.lastName }));
}

/** One transaction that creates `users` for `importId` and enqueues their introductions one by one. */
export async function importWithIntroductions(store: UserStore, importId: string, users: NewUser[]): Promise<void> {
  await store.transaction(async (tx) => {
    const created = await tx.createUsers(users.map((u) => ({ ...u, importId })));
    await tx.enqueueIntroductions?.(introductions(importId, created, users));
  });
}

/** 0, 1, … n - 1. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Resolves after `ms` milliseconds. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Fails unless `error` is a `StoreConflictError` with `code` naming exactly `keys`. */
export function expectConflict(error: unknown, code: string, keys: readonly string[]): void {
  if (!isStoreConflictError(error)) {
    throw new Error(`expected a StoreConflictError (${code}), got ${String(error)}`, { cause: error });
  }
  equal(error.code, code, 'conflict code');
  equal([...error.keys].sort(), [...keys].sort(), 'colliding keys');
}
