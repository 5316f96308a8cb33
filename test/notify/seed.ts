// Users and their introductions, committed to a store the way an import does: in one transaction.
import type { CreatedUser, NewUser, OutboxTransaction } from '../../src/adapters/store/types.js';

/** The people of a test import: `user{n}@example.org`, with non-ASCII names. */
export function people(count: number, from = 1): { firstName: string; lastName: string; email: string }[] {
  return Array.from({ length: count }, (_, i) => ({
    firstName: i % 3 === 0 ? 'Zoë' : i % 3 === 1 ? '李' : 'Ana',
    lastName: `Ñúñez-${String(from + i)}`,
    email: `user${String(from + i)}@example.org`,
  }));
}

/** Creates the users and enqueues their introductions in one transaction, as the executor does. */
export async function seedImport(
  store: { transaction<T>(fn: (tx: OutboxTransaction) => Promise<T>): Promise<T> },
  importId: string,
  who: readonly { firstName: string; lastName: string; email: string }[],
): Promise<CreatedUser[]> {
  const users: NewUser[] = who.map((p, i) => ({
    email: p.email,
    emailKey: p.email.toLowerCase(),
    firstName: p.firstName,
    lastName: p.lastName,
    attributes: {},
    credential: { kind: 'password', hash: 'hash', mustChange: true, expiresAt: new Date('2030-01-01T00:00:00Z') },
    importId,
    row: i + 2,
  }));
  return store.transaction(async (tx) => {
    const created = await tx.createUsers(users);
    await tx.enqueueIntroductions(
      created.map((c, i) => ({
        importId,
        userId: c.id,
        email: users[i]?.email ?? '',
        firstName: users[i]?.firstName ?? '',
        lastName: users[i]?.lastName ?? '',
      })),
    );
    return created;
  });
}
