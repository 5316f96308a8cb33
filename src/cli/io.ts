import { open, stat, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { CommandError, fileProblem } from './args.js';

/** What a command writes to and reads from; tests pass their own. */
export interface CliIO {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean; readonly columns?: number };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stdin: Readable;
  readonly cwd: string;
}

/** Opens the file a command names (`-` is standard input), refusing paths that are not readable files. */
export async function openInput(path: string, io: CliIO): Promise<Readable> {
  if (path === '-') return io.stdin;
  // Looked at before it is opened, so a named pipe is refused rather than waited on; then opened here, not by
  // the stream, so a file that exists but cannot be read fails now, as a CommandError.
  let handle: FileHandle;
  try {
    if (!(await stat(path)).isFile()) throw new CommandError(`cannot read ${path}: not a file`);
    handle = await open(path, 'r');
  } catch (error) {
    if (error instanceof CommandError) throw error;
    throw new CommandError(`cannot read ${path}: ${fileProblem(error)}`);
  }
  return handle.createReadStream({ highWaterMark: 64 * 1024 });
}

/** Options for the error table on this terminal: its width, and colour only on a terminal. */
export function textOptions(io: CliIO): { width?: number; color: boolean } {
  const width = io.stdout.columns;
  return { ...(width === undefined || width < 40 ? {} : { width: Math.min(width, 160) }), color: io.stdout.isTTY === true };
}
