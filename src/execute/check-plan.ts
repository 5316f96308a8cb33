import type { UserStore } from '../adapters/store/types.js';
import type { InputSource } from '../input/source.js';
import type { ActorOptions } from '../plan/authorize.js';
import type { ImportPlan, PlannedRow } from '../plan/import-plan.js';
import { planImport, type PlanOptions } from '../plan/plan-import.js';
import { RollcallError } from '../rollcall-error.js';
import type { Schema } from '../schema/define-schema.js';

/** The options of `planImport` that `executeImport`'s `planOptions` repeats to plan `input` again. */
export type ReplanOptions = Omit<PlanOptions<Schema>, 'store' | 'actor' | 'authorize' | 'signal' | 'onProgress' | 'batchSize'>;

/** What {@link replan} needs of `executeImport`'s options. */
export interface ReplanContext<A> extends ActorOptions<A> {
  readonly store: UserStore;
  readonly planOptions?: ReplanOptions;
  readonly signal?: AbortSignal;
}

/**
 * Plans `input` again with the host's own options and returns the new plan when the file, the columns and
 * the settings are the plan's; the caller then compares the rows. A plan that came back from outside (a form
 * field, the browser's storage) may have been edited, and its fingerprint recomputed: nothing of it but the
 * fingerprint is trusted.
 */
export async function replan<A>(plan: ImportPlan, input: InputSource, options: ReplanContext<A>): Promise<ImportPlan> {
  const fresh = await planImport(input, {
    ...options.planOptions,
    actor: options.actor,
    authorize: options.authorize,
    store: options.store,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (fresh.fingerprint !== plan.fingerprint) {
    throw new RollcallError(
      'plan_mismatch',
      'The file, its columns or the import settings are not the ones this import was planned with: plan the import again before executing it.',
    );
  }
  return fresh;
}

/** `fresh` when its rows are `plan`'s, one for one; otherwise `plan_mismatch`. */
export function sameRowsAs(fresh: ImportPlan, plan: ImportPlan): ImportPlan {
  if (fresh.executable !== plan.executable || !sameRows(fresh.rows, plan.rows)) {
    throw new RollcallError(
      'plan_mismatch',
      'The plan no longer matches the file: it was changed, or users were added since it was made. Plan the import again before executing it.',
    );
  }
  return fresh;
}

function sameRows(a: readonly PlannedRow[], b: readonly PlannedRow[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i];
    if (y === undefined) return false;
    const fields = ['row', 'action', 'email', 'emailKey', 'firstName', 'lastName', 'existingId'] as const;
    if (fields.some((f) => x[f] !== y[f])) return false;
    const keys = Object.keys(x.attributes);
    return keys.length === Object.keys(y.attributes).length && keys.every((k) => x.attributes[k] === y.attributes[k]);
  });
}

/** Refuses (`invalid_option`) what is not a plan `planImport` made: a plan may come back from a client. */
export function checkPlan(plan: ImportPlan): void {
  const shape = plan as Partial<ImportPlan> | null;
  const rowsOk =
    Array.isArray(shape?.rows) &&
    shape.rows.every((row: Partial<PlannedRow> | null) => {
      const texts = [row?.action, row?.email, row?.emailKey, row?.firstName, row?.lastName];
      return Number.isInteger(row?.row) && texts.every((t) => typeof t === 'string') && isRecord(row?.attributes);
    });
  if (shape?.version !== 1 || typeof shape.fingerprint !== 'string' || !rowsOk || !isRecord(shape.settings)) {
    throw new RollcallError('invalid_option', 'executeImport needs a plan made by planImport (version 1).');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
