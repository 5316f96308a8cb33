// How a thrown value or a file system failure is put in words, for the command line and the folder store.

/** An error's text; PGlite's file system errors are plain objects, which would print as `[object Object]`. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error !== 'object' || error === null) return String(error);
  const text = (error as { message?: unknown }).message;
  if (typeof text === 'string' && text !== '') return text;
  try {
    return JSON.stringify(error);
  } catch {
    // A cycle or a BigInt inside.
    return 'an error that cannot be shown as text';
  }
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
      return code ?? errorText(error);
  }
}
