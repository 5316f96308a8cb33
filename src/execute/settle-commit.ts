import type { UserStore } from '../adapters/store/types.js';
import { RollcallError } from '../rollcall-error.js';

/**
 * Finds out whether a transaction whose commit failed was committed after all, by looking its users up:
 * returns their ids when every one of them is stored with the id the transaction gave it; throws
 * `store_error` saying nothing was created when none is; and otherwise (or when the lookup fails too)
 * throws `store_error` saying the outcome is unknown, rather than claiming either.
 */
export async function settleCommit(
  store: UserStore,
  users: readonly { readonly emailKey: string }[],
  ids: readonly string[],
  error: unknown,
): Promise<string[]> {
  let found = 0;
  let matching = 0;
  try {
    for (let start = 0; start < users.length; start += lookupBatch) {
      const batch = users.slice(start, start + lookupBatch);
      const existing = await store.findExistingEmails(batch.map((user) => user.emailKey));
      batch.forEach((user, n) => {
        const stored = existing.get(user.emailKey);
        if (stored === undefined) return;
        found += 1;
        if (stored.id === ids[start + n]) matching += 1;
      });
    }
  } catch {
    found = -1;
  }
  if (users.length > 0 && matching === users.length) return [...ids];
  if (found === 0) {
    throw new RollcallError('store_error', 'The import failed and was rolled back: no user was created.', { cause: error });
  }
  throw new RollcallError(
    'store_error',
    'The import failed while it was being committed, and whether its users were created is unknown: check the users list before importing the file again, or import it again with the same import key.',
    { cause: error },
  );
}

/** Emails per lookup when settling a commit whose outcome was lost, as the planner looks them up. */
const lookupBatch = 1000;
