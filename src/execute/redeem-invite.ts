import type { InviteRedemption, UserStore } from '../adapters/store/types.js';
import { RollcallError } from '../rollcall-error.js';
import { hashSecret } from './hash-secret.js';

/** Options of {@link redeemInvite}. */
export interface RedeemInviteOptions {
  /** The store the invites were imported into; it must have the `redeemInvite` capability. */
  readonly store: UserStore;
  /**
   * Hashes the token the way the import did: pass the same `hashInviteToken` as to `executeImport`
   * (default {@link hashSecret}).
   */
  readonly hashInviteToken?: (token: string) => string | Promise<string>;
  /** The clock the expiry is checked against. */
  readonly now?: () => Date;
}

/** Longer than any token rollcall issues (43 characters) with room for a host's own; longer ones are not tokens. */
const maxTokenLength = 512;

/**
 * Redeems an invite link's token, for the host's accept-invite page: when the token belongs to an
 * unexpired invite nobody has used, the store consumes it and the result holds the user (who then
 * chooses a password); otherwise it says why not: `unknown`, `expired` or `used`. Each invite redeems
 * at most once, also under concurrent requests.
 *
 * The plaintext token is only hashed here; the store is searched by the hash, so nothing compares the
 * secret itself and the time a lookup takes says nothing about how much of a guessed token was right.
 * A token that is not a string, empty or too long is `unknown` without asking the store.
 *
 * @throws RollcallError `invalid_option` when the store cannot redeem invites.
 * @example
 * const outcome = await redeemInvite(request.query.token, { store });
 * if (outcome.redeemed) return choosePasswordPage(outcome.user);
 * return inviteProblemPage(outcome.reason); // 'unknown' | 'expired' | 'used'
 */
export async function redeemInvite(token: unknown, options: RedeemInviteOptions): Promise<InviteRedemption> {
  const { store } = options;
  // Checked at run time too: a host's store may come from JavaScript without the capability.
  if (typeof (store as Partial<UserStore> | undefined)?.redeemInvite !== 'function' || store.redeemInvite === undefined) {
    throw new RollcallError(
      'invalid_option',
      'This store cannot redeem invites (it has no redeemInvite capability; a PostgreSQL store needs inviteTokenHash, credentialExpiresAt and inviteUsedAt columns).',
    );
  }
  if (typeof token !== 'string' || token === '' || token.length > maxTokenLength) {
    return { redeemed: false, reason: 'unknown' };
  }
  const hash = await (options.hashInviteToken ?? hashSecret)(token);
  if (typeof hash !== 'string' || hash === '' || hash === token) {
    throw new RollcallError('invalid_option', 'hashInviteToken must return a hash as a non-empty string, never the token itself.');
  }
  return store.redeemInvite(hash, options.now?.() ?? new Date());
}
