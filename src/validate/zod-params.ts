import type { z } from 'zod';
import type { IssueCode } from '../report/codes.js';

/**
 * What a cell rule attaches to a zod `custom` issue so that the validator reports it under a rollcall code
 * rather than the generic `invalid_value`.
 */
export interface RollcallIssueParams {
  readonly rollcall: {
    readonly code: IssueCode;
    /** A short English phrase saying how to fix the value, e.g. `use at most 100 characters`. */
    readonly detail: string;
    /** The limit for `too_long`. */
    readonly limit?: number;
  };
}

/**
 * Builds a zod `custom` issue that carries a rollcall code, for use inside `.check()`.
 *
 * @example
 * z.string().check((ctx) => {
 *   if (ctx.value.length > 20) ctx.issues.push(rollcallIssue(ctx.value, 'too_long', 'use at most 20 characters', { limit: 20 }));
 * });
 */
export function rollcallIssue(
  input: string,
  code: IssueCode,
  detail: string,
  extra: { limit?: number } = {},
): z.core.$ZodRawIssue {
  const params: RollcallIssueParams = { rollcall: { code, detail, ...extra } };
  return { code: 'custom', input, message: detail, params };
}

/** Reads the rollcall params of a zod issue, if it has them. */
export function rollcallParams(issue: z.core.$ZodIssue): RollcallIssueParams['rollcall'] | undefined {
  if (issue.code !== 'custom') return undefined;
  const params = (issue as { params?: Partial<RollcallIssueParams> }).params;
  return params?.rollcall;
}
