/**
 * The assertions of rollcall's conformance suites. The suites import no test runner, so they make their own
 * assertions and throw an `Error` that names the suite and what differed.
 */

/** The assertions of one conformance suite, whose name starts every failure message. */
export interface ConformanceChecks {
  /** Fails with `what` unless `condition` holds. */
  readonly check: (condition: boolean, what: string) => void;
  /** Fails unless `actual` and `expected` are equal as JSON with sorted object keys. */
  readonly equal: (actual: unknown, expected: unknown, what: string) => void;
  /** Resolves with the error `promise` rejects with; fails when it resolves. */
  readonly rejection: (promise: Promise<unknown>) => Promise<unknown>;
}

/**
 * The assertions for the suite called `suite` (`store conformance`, `mailer conformance`).
 *
 * @example
 * ```ts
 * const { equal } = conformanceChecks('store conformance');
 * equal(await store.findExistingEmails([]), new Map(), 'empty list');
 * ```
 */
export function conformanceChecks(suite: string): ConformanceChecks {
  return {
    check: (condition, what) => {
      if (!condition) throw new Error(`${suite}: ${what}`);
    },
    equal: (actual, expected, what) => {
      const a = canonicalJson(actual);
      const e = canonicalJson(expected);
      if (a !== e) throw new Error(`${suite}: ${what}\n  expected ${e}\n  received ${a}`);
    },
    rejection: async (promise) => {
      try {
        await promise;
      } catch (error) {
        return error;
      }
      throw new Error(`${suite}: expected a rejection, and the promise resolved`);
    },
  };
}

/** The store suite's assertions. */
export const { check, equal, rejection } = conformanceChecks('store conformance');

/** JSON with object keys sorted, so equal values print equal. */
function canonicalJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  return JSON.stringify(value, (_, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
