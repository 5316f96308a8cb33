import { RollcallError } from '../rollcall-error.js';

/** The limits of one validation, each an option of `validateRows`/`validateFile`. */
export interface Limits {
  /** The most bytes read; past it the file is refused with `file_too_large`. Default 128 MiB. */
  readonly maxBytes: number;
  /** The most data rows; past it the file is refused with `too_many_rows`. Default 1,000,000. */
  readonly maxRows: number;
  /** The most characters in one cell (after trimming); longer cells are `too_long`. Default 1,000. */
  readonly maxCellLength: number;
  /**
   * The most row and cell issues kept in the summary, and apart from them the most header issues; counts
   * stay exact. Default 1,000.
   */
  readonly maxIssues: number;
}

/** The default {@link Limits}. */
export const defaultLimits: Limits = {
  maxBytes: 128 * 1024 * 1024,
  maxRows: 1_000_000,
  maxCellLength: 1_000,
  maxIssues: 1_000,
};

/** Fills in the defaults, and refuses limits that are not positive whole numbers. */
export function resolveLimits(given: Partial<Limits>): Limits {
  const limits: Record<keyof Limits, number> = { ...defaultLimits };
  for (const name of Object.keys(defaultLimits) as (keyof Limits)[]) {
    const value = given[name];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RollcallError('invalid_option', `${name} must be a positive whole number, got ${String(value)}.`);
    }
    limits[name] = value;
  }
  return limits;
}
