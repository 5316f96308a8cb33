import type { CreatedEntry } from '../execute/import-result.js';
import { RollcallError } from '../rollcall-error.js';
import type { IntroductionCredential } from './introduction-template.js';

/** Options of {@link importCredentials}. */
export interface ImportCredentialsOptions {
  /** Builds the invite link from an invite token; required when the import made invites. */
  readonly inviteUrl?: (token: string) => string;
}

/**
 * The credentials of an import that just ran, by user id, for `sendIntroductions({ credentials })`: each
 * created user's temporary password, or invite link built with `inviteUrl`, with the expiry. Entries without
 * a user id or a secret (a replayed import shows no secrets) are left out, so their emails carry none.
 *
 * @example
 * ```ts
 * const result = await importUsers(file, { store, actor, authorize });
 * if (result.imported && !result.replayed) {
 *   await sendIntroductions(store, { importId: result.importId, credentials: importCredentials(result), ...mail });
 * }
 * ```
 */
export function importCredentials(
  result: { readonly created: readonly CreatedEntry[]; readonly expiresAt?: Date },
  options: ImportCredentialsOptions = {},
): Map<string, IntroductionCredential> {
  const expiry = result.expiresAt === undefined ? {} : { expiresAt: result.expiresAt };
  const credentials = new Map<string, IntroductionCredential>();
  for (const entry of result.created) {
    if (entry.userId === undefined) continue;
    if (entry.temporaryPassword !== undefined) {
      credentials.set(entry.userId, { kind: 'password', password: entry.temporaryPassword, ...expiry });
    } else if (entry.inviteToken !== undefined) {
      if (options.inviteUrl === undefined) {
        throw new RollcallError('invalid_option', 'The import made invites: pass inviteUrl to build their links');
      }
      credentials.set(entry.userId, { kind: 'invite', url: options.inviteUrl(entry.inviteToken), ...expiry });
    }
  }
  return credentials;
}
