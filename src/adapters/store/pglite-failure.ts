import { RollcallError } from '../../rollcall-error.js';

/**
 * PGlite's own failures (`Aborted()`, a WASM trap, an Emscripten `ErrnoError`, a thrown plain object), as
 * opposed to PostgreSQL's errors (a `code` such as 23505) that the store handles: never shown to an admin as they are.
 */
export function isPGliteFailure(error: unknown): boolean {
  if (error instanceof RollcallError) return false;
  if (!(error instanceof Error)) return typeof error === 'object' && error !== null;
  return error.name === 'ErrnoError' || error.name === 'RuntimeError' || error.message.startsWith('Aborted(');
}
