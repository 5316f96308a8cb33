import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncFile, fsyncFolder } from '../../fsync.js';
import { lockName, takeoverName } from './folder-lock.js';

/** Files changed this close to `since` count as changed: a file system may keep times to the second. */
const slackMs = 2000;

/**
 * Flushes a database folder to the disk with fsync: the files changed since `since` (every file when it is 0)
 * and every folder, whose entries name new files. PGlite writes through Node without ever calling fsync, so
 * without this a power loss could take back what it reported committed.
 */
export async function syncFolder(path: string, options: { readonly since: number; readonly directoriesOnly?: boolean }): Promise<void> {
  const after = options.since - slackMs;
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      if (entry.name === lockName || entry.name === takeoverName) continue;
      const child = join(folder, entry.name);
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile() && options.directoriesOnly !== true && (options.since === 0 || (await stat(child)).mtimeMs >= after)) {
        await fsyncFile(child);
      }
    }
    await fsyncFolder(folder);
  };
  await walk(path);
}
