import { randomBytes } from 'node:crypto';
import { lstat, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CommandError, fileProblem } from './args.js';

/**
 * Writes `bytes` to a new file at `path`, shown as `shown` in messages. An existing file or symbolic link is
 * refused, since it may be the admin's filled-in file; with `force` the file is written beside it and renamed
 * over it, so the name then holds the new file whole, and a symbolic link is replaced, never written through.
 */
export async function writeOutFile(path: string, shown: string, bytes: Uint8Array, force: boolean): Promise<void> {
  if (!force) {
    try {
      // O_CREAT | O_EXCL: fails on any existing name, a symbolic link included, without following it.
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(bytes);
      } catch (error) {
        // The file is ours and incomplete: left there, it would make the rerun refuse it as "already exists".
        await handle.close();
        await rm(path, { force: true });
        throw error;
      }
      await handle.close();
    } catch (error) {
      if ((error as { code?: unknown }).code === 'EEXIST') throw await existing(path, shown);
      throw new CommandError(`cannot write ${shown}: ${fileProblem(error)}`);
    }
    return;
  }
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new CommandError(`cannot write ${shown}: ${fileProblem(error)}`);
  }
}

async function existing(path: string, shown: string): Promise<CommandError> {
  const link = await lstat(path).then((s) => s.isSymbolicLink(), () => false);
  const what = link ? 'is a symbolic link; rollcall does not write through one' : 'already exists and may be a filled-in file';
  return new CommandError(`${shown} ${what}. Choose another name, or give --force to replace it.`);
}
