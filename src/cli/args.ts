import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A usage problem: the command could not run as asked (exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses a command's arguments, turning every parse failure into a {@link UsageError}. */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Reads a positive whole-number option such as `--max-rows 5000`. */
export function positiveInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/u.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${name} takes a positive whole number, got "${value}"`);
  }
  return Number(value);
}
