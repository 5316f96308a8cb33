import { randomUUID } from 'node:crypto';
import { link, lstat, open, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fsyncFolder } from '../fsync.js';
import { CommandError, errorText, fileProblem } from './args.js';

/**
 * An import's results file before it is complete: a temporary file beside it, readable by its owner only, that
 * gets the file's name only once it holds every password and is on the disk. A killed import therefore never
 * leaves an empty or partial file under the name, which would block running the same command again.
 */
export interface PendingResultsFile {
  /** Where the results file goes. */
  readonly path: string;
  /**
   * Writes the text, flushes it to the disk, gives it its name without ever replacing a file, and flushes the
   * folder, so the file survives a power loss once this resolves. Rejects with a {@link ResultsFileError}.
   */
  commit(text: string): Promise<void>;
  /** Closes and removes the temporary file, unless it was named or kept; safe to call more than once. */
  dispose(): Promise<void>;
}

/**
 * Why a results file could not be written: `lost` (no complete copy of the text is on the disk), `kept` (a file
 * took the name meanwhile; the text is complete in `keptAt`) or `unflushed` (named, but its folder's entry may not
 * be on the disk yet).
 */
export class ResultsFileError extends Error {
  override readonly name = 'ResultsFileError';
  constructor(
    readonly kind: 'lost' | 'kept' | 'unflushed',
    message: string,
    /** The temporary file holding the complete text, when it was kept. */
    readonly keptAt: string | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

// Hard links are missing on some file systems (FAT, some network shares): the text is then written under the
// name directly, still never replacing a file.
const noHardLinks = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * Prepares the results file at `path`: refuses a name that is taken (a file there may hold the only copy of
 * earlier passwords) and creates the temporary file, so a place that cannot be written stops the import first.
 * Throws a {@link CommandError} saying why.
 */
export async function createResultsFile(path: string): Promise<PendingResultsFile> {
  await refuseTaken(path);
  const temp = join(dirname(path), `.rollcall-results-${randomUUID()}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx', 0o600);
    // The mode given to open() is narrowed by the umask; this one is not.
    await handle.chmod(0o600);
  } catch (error) {
    await handle?.close();
    if (handle) await rm(temp, { force: true });
    throw new CommandError(`cannot create the results file ${path}: ${fileProblem(error)}`);
  }
  let pending: FileHandle | undefined = handle;
  let removeTemp = true;
  const close = async (): Promise<void> => {
    const closing = pending;
    pending = undefined;
    await closing?.close();
  };
  // The complete text stays under the temporary name, which the message names.
  const keep = (message: string, error: unknown): ResultsFileError => {
    removeTemp = false;
    return new ResultsFileError('kept', message, temp, { cause: error });
  };
  const takenMeanwhile = `${path} appeared while the import ran, and rollcall never overwrites a results file`;

  return {
    path,
    async commit(text) {
      try {
        if (!pending) throw new Error('the results file was already written');
        await pending.writeFile(text, 'utf8');
        await pending.sync();
        await close();
      } catch (error) {
        throw new ResultsFileError('lost', fileProblem(error), undefined, { cause: error });
      }
      try {
        // link() never replaces a file, unlike rename(): a file that took the name meanwhile is kept.
        await link(temp, path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw keep(takenMeanwhile, error);
        if (code === undefined || !noHardLinks.has(code)) throw keep(`${path} could not be written (${fileProblem(error)})`, error);
        let written: boolean;
        try {
          written = await writeNew(path, text);
        } catch (writeError) {
          throw keep(`${path} could not be written (${fileProblem(writeError)})`, writeError);
        }
        if (!written) throw keep(takenMeanwhile, error);
      }
      await rm(temp, { force: true });
      removeTemp = false;
      await syncFolder(dirname(path));
    },
    async dispose() {
      await close();
      if (removeTemp) await rm(temp, { force: true });
    },
  };
}

async function refuseTaken(path: string): Promise<void> {
  let taken;
  try {
    taken = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new CommandError(`cannot create the results file ${path}: ${fileProblem(error)}`);
  }
  if (taken.isDirectory()) throw new CommandError(`${path} is a folder; give --results the name of a new file`);
  throw new CommandError(`${path} already exists; rollcall never overwrites a results file, which may hold the only copy of earlier passwords`);
}

/**
 * Writes a new file at `path` (never replacing one) and flushes it, for file systems without hard links; resolves
 * `false` when a file already had the name.
 */
async function writeNew(path: string, text: string): Promise<boolean> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.chmod(0o600);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    // The copy under the temporary name is complete; a partial one under the name would be mistaken for it.
    await rm(path, { force: true });
    throw error;
  }
  await handle.close();
  return true;
}

/** Flushes a folder's entries, so a new name in it survives a power loss. */
async function syncFolder(folder: string): Promise<void> {
  try {
    await fsyncFolder(folder);
  } catch (error) {
    throw new ResultsFileError('unflushed', `flushing the folder ${folder} to the disk failed: ${errorText(error)}`, undefined, { cause: error });
  }
}
