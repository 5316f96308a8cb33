import { Readable } from 'node:stream';
import { runCli } from '../../src/cli/main.js';

/** Runs the rollcall command in-process with captured output, as a test sees a terminal. */
export async function run(argv: readonly string[], options: { stdin?: string | Uint8Array; cwd?: string } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
    cwd: options.cwd ?? process.cwd(),
  });
  return { code, stdout, stderr };
}
