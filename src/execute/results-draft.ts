import { resolveCsvOptions, type CsvWriteOptions } from '../csv-out/csv-options.js';
import type { PlanColumn, PlannedRow } from '../plan/import-plan.js';
import type { CredentialKind } from './import-result.js';
import { resultsWriter } from './import-result.js';
import { nextTurn } from './next-turn.js';

/**
 * The results file of an import still running, rendered ahead a slice at a time while the executor waits
 * for the store, so that little is left to render once the import has committed. It is the file that
 * `resultsCsv()` without options writes; other options render the file anew when asked.
 */
export interface ResultsDraft {
  /**
   * Renders the next `count` users at most; whether any are left. It never throws: a secret that cannot be
   * drawn now (a host's generator failing) ends the draft, and the import meets that failure where it would
   * have without a draft, when it builds the batch.
   */
  step(count: number): boolean;
  /**
   * The whole file, rendering the users left first; `undefined` when `options` ask for another file than
   * `resultsCsv()`'s default (another delimiter, line ending, or no byte order mark), or when the draft ended
   * early.
   */
  text(options?: CsvWriteOptions): string | undefined;
}

/** Users rendered between two turns of the event loop: well under a millisecond's work. */
const slice = 1000;

/**
 * The draft of the results file for `rows` (in file order), whose credentials `secret(index)` gives; it may
 * draw the secret of a row whose batch is not built yet, which that batch then hashes.
 */
export function resultsDraft(
  columns: readonly PlanColumn[],
  credential: CredentialKind,
  rows: readonly PlannedRow[],
  secret: (index: number) => string,
): ResultsDraft {
  const drafted = resolveCsvOptions({ bom: true });
  const writer = resultsWriter(columns, credential, drafted);
  let next = 0;
  let ended = false;
  const step = (count: number): boolean => {
    if (ended) return false;
    const end = Math.min(rows.length, next + count);
    try {
      for (; next < end; next++) {
        const row = rows[next];
        if (row !== undefined) writer.add(row, secret(next));
      }
    } catch {
      ended = true;
      return false;
    }
    return next < rows.length;
  };
  return {
    step,
    text(options) {
      const asked = resolveCsvOptions({ bom: true, ...options });
      if (asked.delimiter !== drafted.delimiter || asked.lineEnding !== drafted.lineEnding || asked.bom !== drafted.bom) {
        return undefined;
      }
      step(rows.length);
      return ended ? undefined : writer.text();
    },
  };
}

/**
 * Renders `draft` a slice at a time while `pending` (the store writing a batch) is unsettled, once `first`
 * (the next batch being built) has settled: only the main thread's idle time goes to it, never the time
 * the next batch needs. Neither promise's outcome is looked at here; the caller awaits both.
 */
export async function renderWhileWaiting(draft: ResultsDraft, pending: Promise<unknown>, first: Promise<unknown>): Promise<void> {
  const state = { settled: false };
  const done = pending.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  await first.then(ignore, ignore);
  // One turn of the event loop first, so a store that answers at once (in memory) renders nothing here.
  await Promise.race([done, nextTurn()]);
  while (!state.settled && draft.step(slice)) await Promise.race([done, nextTurn()]);
}

function ignore(): undefined {
  return undefined;
}
