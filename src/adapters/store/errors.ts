/** Which unique key a {@link StoreConflictError} is about. */
export type StoreConflictCode = 'email_taken' | 'import_key_taken';

/**
 * A write met a unique key that is already taken; the transaction it ran in rolled back.
 *
 * `keys` lists every colliding key (canonical email keys for `email_taken`, the idempotency key for
 * `import_key_taken`), so the importer can report `already_exists` for each row after the rollback.
 *
 * @example
 * ```ts
 * try {
 *   await store.transaction((tx) => tx.createUsers(users));
 * } catch (error) {
 *   if (isStoreConflictError(error) && error.code === 'email_taken') report(error.keys);
 *   else throw error;
 * }
 * ```
 */
export class StoreConflictError extends Error {
  override readonly name = 'StoreConflictError';
  readonly code: StoreConflictCode;
  readonly keys: readonly string[];

  constructor(code: StoreConflictCode, keys: readonly string[], options?: { cause?: unknown }) {
    super(
      code === 'email_taken'
        ? `${keys.length} email(s) already taken: ${preview(keys)}`
        : `Import key already used: ${preview(keys)}`,
      options,
    );
    this.code = code;
    this.keys = keys;
  }
}

/**
 * Whether `error` is a {@link StoreConflictError}, judged by shape so that errors thrown by a host's own
 * store, or by another copy of rollcall, are recognised too.
 */
export function isStoreConflictError(error: unknown): error is StoreConflictError {
  if (typeof error !== 'object' || error === null) return false;
  const { code, keys } = error as { code?: unknown; keys?: unknown };
  return (code === 'email_taken' || code === 'import_key_taken') && Array.isArray(keys);
}

/** Why a store refused to work: its options do not fit the data, or its connection broke. */
export type StoreErrorCode = 'invalid_store_options' | 'unmapped_field' | 'rollback_failed';

/**
 * A store was used in a way its options do not allow (a bad table name, an attribute with no column), or
 * its connection failed to roll back: a programming, configuration or infrastructure fault, not bad input.
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

function preview(keys: readonly string[]): string {
  const shown = keys.slice(0, 5).join(', ');
  return keys.length > 5 ? `${shown}, ...` : shown;
}
