import { parseArgs, type ParseArgsConfig } from 'node:util';
import { errorText } from '../error-text.js';

export { errorText, fileProblem } from '../error-text.js';

/** A usage problem: the command was called wrongly (exit code 2, with the command's usage). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * The command was called rightly but could not run: a file it names is missing or unreadable, a results file
 * exists already (exit code 2, with no usage, which would bury the reason).
 */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

/**
 * Parses a command's arguments, turning every parse failure into a {@link UsageError}. An unknown option is
 * named with the option it most likely means, instead of Node's advice about positionals that start with `-`.
 */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    const text = errorText(error);
    const unknown = (error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'(-[^']*)'/u.exec(text)?.[1] : undefined;
    if (unknown === undefined) throw new UsageError(text);
    const guess = closestOption(unknown, Object.keys(config.options ?? {}));
    throw new UsageError(`unknown option ${unknown}${guess === undefined ? '' : ` (did you mean --${guess}?)`}`);
  }
}

/**
 * The option an unknown one was most likely meant to be: one edit away per three letters of its name, or the only
 * one it begins. None for a short flag such as `-x` or a name under three letters, which would be near anything.
 */
function closestOption(given: string, options: readonly string[]): string | undefined {
  if (!given.startsWith('--')) return undefined;
  const name = given.slice(2).split('=')[0] ?? '';
  if (name.length < 3) return undefined;
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: { option: string; distance: number } | undefined;
  for (const option of options) {
    const distance = editDistance(name, option);
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { option, distance };
  }
  if (best !== undefined) return best.option;
  const prefixed = options.filter((option) => option.startsWith(name));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** Levenshtein distance between two short option names. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Reads a positive whole-number option such as `--max-rows 5000`. */
export function positiveInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/u.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${name} takes a positive whole number, got "${value}"`);
  }
  return Number(value);
}
