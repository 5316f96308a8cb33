import { parseArgs, type ParseArgsConfig } from 'node:util';

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

/** Why a file could not be read or written, in words: `no such file or folder`, `permission denied`, ... */
export function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'the file system is read-only';
    default:
      return code ?? (error instanceof Error ? error.message : String(error));
  }
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
