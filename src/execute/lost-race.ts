import type { ExistingUser, UserStore } from '../adapters/store/types.js';
import { addIssues } from '../plan/add-issues.js';
import { alreadyExistsIssue } from '../plan/already-exists.js';
import type { ImportPlan } from '../plan/import-plan.js';
import { readStore } from '../plan/store-call.js';
import type { Messages } from '../report/issue.js';

/** Emails per lookup when re-planning after a lost race, as the planner looks them up. */
const lookupBatch = 1000;

/**
 * The plan again after another import took some of its emails (an `onExisting: 'skip'` plan): each row to create
 * whose email is stored now becomes a skipped row, as planning now would make it. `undefined` when none is stored
 * (the import that took them did not commit), so trying again would change nothing.
 *
 * @example const again = await skipTaken(plan, store, signal); // again.counts.skip === plan.counts.skip + 3
 */
export async function skipTaken(plan: ImportPlan, store: UserStore, signal: AbortSignal | undefined): Promise<ImportPlan | undefined> {
  const creating = plan.rows.filter((row) => row.action === 'create');
  const found = new Map<string, ExistingUser>();
  for (let start = 0; start < creating.length; start += lookupBatch) {
    const keys = creating.slice(start, start + lookupBatch).map((row) => row.emailKey);
    const existing = await readStore(() => store.findExistingEmails(keys), 'Looking up existing users in the store', signal);
    for (const key of keys) {
      const user = existing.get(key);
      if (user !== undefined) found.set(key, user);
    }
  }
  if (found.size === 0) return undefined;
  const rows = plan.rows.map((row) => {
    const user = row.action === 'create' ? found.get(row.emailKey) : undefined;
    return user === undefined ? row : { ...row, action: 'skip' as const, existingId: user.id };
  });
  const counts = { ...plan.counts, create: plan.counts.create - found.size, skip: plan.counts.skip + found.size };
  return { ...plan, rows, counts };
}

/**
 * The plan's summary with `already_exists` on each row to create whose email another import took first. Its
 * message knows the plan's `onExisting`: under `skip` it never advises skipping existing users.
 */
export function lostRace(plan: ImportPlan, keys: readonly string[], messages: Messages | undefined) {
  const taken = new Set(keys);
  const column = plan.columns.find((c) => c.key === 'email')?.label ?? 'Email';
  const issues = plan.rows
    .filter((row) => row.action === 'create' && taken.has(row.emailKey))
    .map((row) => alreadyExistsIssue(row.row, column, row.email, messages, plan.settings.onExisting));
  return addIssues(plan.summary, issues, plan.maxIssues);
}
