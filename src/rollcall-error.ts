/** The codes of {@link RollcallError}: misuse of the API, never bad input (bad input is an `Issue`). */
export const rollcallErrorCodes = [
  'invalid_schema',
  'invalid_option',
  'unauthorized',
  'plan_mismatch',
  'import_key_conflict',
  'store_error',
  'store_busy',
] as const;

/** A code of {@link RollcallError}. */
export type RollcallErrorCode = (typeof rollcallErrorCodes)[number];

/**
 * Thrown for misuse of the API (a schema that redefines a column, an option out of range, an actor the host
 * refuses). Problems in a file are never thrown: they are issues in an `ErrorSummary`.
 */
export class RollcallError extends Error {
  override readonly name = 'RollcallError';
  readonly code: RollcallErrorCode;

  constructor(code: RollcallErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
