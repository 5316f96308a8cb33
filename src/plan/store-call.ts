import { RollcallError } from '../rollcall-error.js';

/**
 * Runs a read of the store made before anything is written (a lookup of existing users, of an import key), and
 * turns its failure into `RollcallError('store_error')` with the store's error as cause, as a failure of the
 * import's own writes is. A `RollcallError` and the abort of `signal` pass through as they are.
 */
export async function readStore<T>(read: () => Promise<T>, what: string, signal?: AbortSignal): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof RollcallError || (signal?.aborted === true && error === signal.reason)) throw error;
    throw new RollcallError('store_error', `${what} failed: nothing was imported.`, { cause: error });
  }
}
