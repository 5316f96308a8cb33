import { RollcallError } from '../rollcall-error.js';

/**
 * Runs a read of the store made outside the import's transaction (a lookup of existing users, of an import key)
 * and turns its failure into `RollcallError('store_error')` with the store's error as cause, like a failure of the
 * import's own writes. A `RollcallError` passes through as it is; once `signal` is aborted, its reason is thrown
 * whatever the store rejected with.
 */
export async function readStore<T>(read: () => Promise<T>, what: string, signal?: AbortSignal): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (signal?.aborted === true) throw signal.reason;
    if (error instanceof RollcallError) throw error;
    throw new RollcallError('store_error', `${what} failed; nothing was written.`, { cause: error });
  }
}
