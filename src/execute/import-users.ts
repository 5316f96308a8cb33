import type { InputSource } from '../input/source.js';
import { planImport, type PlanOptions } from '../plan/plan-import.js';
import type { Schema } from '../schema/define-schema.js';
import type { usersSchema } from '../schema/users.js';
import { executeImport, type ExecuteOptions } from './execute-import.js';
import type { ImportResult } from './import-result.js';

/** Options of {@link importUsers}: those of `planImport` and of `executeImport` together. */
export interface ImportUsersOptions<S extends Schema = typeof usersSchema, A = unknown>
  extends Omit<PlanOptions<S, A>, 'onProgress' | 'batchSize' | 'store'>,
    Omit<ExecuteOptions<A>, 'input' | 'planOptions' | 'onProgress' | 'batchSize'> {
  /** Called as rows are read (planning) and as users are written (executing). */
  readonly onProgress?: (progress: ImportProgress) => void;
}

/** Where an import stands, for a progress display. */
export type ImportProgress =
  | { readonly phase: 'reading'; readonly rowsRead: number }
  | { readonly phase: 'creating'; readonly usersCreated: number; readonly usersToCreate: number };

/**
 * Plans and executes an import in one call, reading the file once: what a host calls when it shows no
 * preview, and what `rollcall import` runs.
 *
 * @example
 * const result = await importUsers(file, { store, actor: admin, authorize: isProgramAdmin });
 * if (!result.imported) return showErrors(result.summary);
 */
export async function importUsers<S extends Schema = typeof usersSchema, A = unknown>(
  input: InputSource,
  options: ImportUsersOptions<S, A>,
): Promise<ImportResult> {
  const { onProgress, ...rest } = options;
  const plan = await planImport(input, {
    ...rest,
    ...(onProgress === undefined ? {} : { onProgress: (p) => { onProgress({ phase: 'reading', ...p }); } }),
  });
  return executeImport(plan, {
    ...rest,
    ...(onProgress === undefined ? {} : { onProgress: (p) => { onProgress({ phase: 'creating', ...p }); } }),
  });
}
