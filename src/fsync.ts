import { open } from 'node:fs/promises';

/** Flushes one file to the disk (fsync), so what was written to it survives a power loss. */
export async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entries to the disk, so a new name in it survives a power loss. Windows cannot open a folder to do so. */
export async function fsyncFolder(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  await fsyncFile(path);
}
