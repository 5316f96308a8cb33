import { emailKey } from '../../validate/email.js';
import type { Queryable } from './postgres-client.js';

/** A user whose email key the first {@link migratePostgresStore} after an upgrade left as it was, because another user already holds the new key. */
export interface SameMailboxUser {
  readonly id: string;
  readonly email: string;
  /** The key the other user holds: both are spellings of one mailbox, imported before keys saw it. */
  readonly emailKey: string;
}

/** What the first {@link migratePostgresStore} after an upgrade changed in the stored email keys. */
export interface RekeyResult {
  /** How many users got the key rollcall computes now. */
  readonly rekeyed: number;
  /** Users left with their old key: a user with the new key exists (see {@link SameMailboxUser}). */
  readonly sameMailbox: readonly SameMailboxUser[];
}

// Keys were once the whole address lowercased. They differ from emailKey only for an address with a character
// outside ASCII or an xn-- label, so those rows are all that is read.
const candidates = (users: string): string => `SELECT id::text AS id, email, email_key FROM ${users}
  WHERE octet_length(email) <> char_length(email) OR octet_length(email_key) <> char_length(email_key)
     OR strpos(lower(email), 'xn--') > 0
  ORDER BY id`;

/**
 * Gives every user of rollcall's own users table the email key {@link emailKey} computes now, inside the
 * caller's transaction. A user whose new key another user holds keeps the old one, and is reported: rollcall
 * does not merge or delete users.
 */
export async function rekeyEmails(tx: Queryable, users: string): Promise<RekeyResult> {
  const { rows } = await tx.query(candidates(users));
  let rekeyed = 0;
  const sameMailbox: SameMailboxUser[] = [];
  for (const row of rows as { id: string; email: string; email_key: string }[]) {
    const key = emailKey(row.email);
    if (key === row.email_key) continue;
    const updated = await tx.query(
      `UPDATE ${users} SET email_key = $1 WHERE id::text = $2 AND NOT EXISTS (SELECT 1 FROM ${users} WHERE email_key = $1) RETURNING id`,
      [key, row.id],
    );
    if (updated.rows.length === 1) rekeyed += 1;
    else sameMailbox.push({ id: row.id, email: row.email, emailKey: key });
  }
  return { rekeyed, sameMailbox };
}
