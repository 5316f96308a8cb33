import { RollcallError } from '../rollcall-error.js';

/**
 * Returns a whole-number option that must be at least 1, or throws a `RollcallError` (`invalid_option`).
 *
 * @example positiveOption('batchSize', options.batchSize ?? 1000)
 */
export function positiveOption(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RollcallError('invalid_option', `${name} must be a positive whole number, got ${String(value)}.`);
  }
  return value;
}

/**
 * Returns an option that must be one of `allowed` (a caller in plain JavaScript can pass anything), or throws
 * a `RollcallError` (`invalid_option`).
 *
 * @example oneOf('mode', options.mode ?? 'all-or-nothing', ['all-or-nothing', 'valid-rows-only'])
 */
export function oneOf<T extends string>(name: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) {
    const list = allowed.map((a) => JSON.stringify(a)).join(' or ');
    throw new RollcallError('invalid_option', `${name} must be ${list}, got ${JSON.stringify(value)}.`);
  }
  return value;
}
