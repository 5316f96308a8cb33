import { RollcallError } from '../rollcall-error.js';

/**
 * The host's permission check: resolves `true` when `actor` may import users. Anything else, a rejection
 * included, refuses the actor, so a broken check never lets an import through.
 */
export type Authorize<A> = (actor: A) => boolean | Promise<boolean>;

/** Who is importing, and the host's check on them: required by `planImport` and `executeImport`. */
export interface ActorOptions<A> {
  /** The user (or service) on whose behalf the import runs, as the host represents it. */
  readonly actor: A;
  /** The host's check; the seed product lets only program admins import. */
  readonly authorize: Authorize<A>;
}

/**
 * Resolves when `authorize(actor)` resolves exactly `true`; otherwise throws a `RollcallError` with code
 * `unauthorized`, before the caller reads or writes anything.
 *
 * @example
 * await requireAuthorized({ actor: session.user, authorize: (user) => user.role === 'program_admin' });
 */
export async function requireAuthorized<A>(options: ActorOptions<A>): Promise<void> {
  const { authorize } = options as Partial<ActorOptions<A>>;
  if (typeof authorize !== 'function') {
    throw new RollcallError('invalid_option', 'authorize must be a function that decides whether the actor may import users.');
  }
  let allowed: unknown;
  try {
    allowed = await authorize(options.actor);
  } catch (error) {
    throw new RollcallError('unauthorized', 'The permission check failed, so the import was refused.', { cause: error });
  }
  if (allowed !== true) throw new RollcallError('unauthorized', 'This user is not allowed to import users.');
}
