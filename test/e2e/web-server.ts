// Builds and starts the web example the way `npm run example:web` does, in its own process, for the e2e tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/** A running web example: its URL, its outbox folder, and how to stop it. */
export interface RunningServer {
  readonly url: string;
  /** What the server has written to standard error so far: its log. */
  errors(): string;
  stop(): Promise<void>;
}

/**
 * Bundles examples/web/server.ts against the built package (dist/, which must exist: `npm run build`) and
 * runs it with `PORT=0`, resolving once it prints its URL.
 */
export async function startWebExample(root: string, env: Record<string, string>): Promise<RunningServer> {
  if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('dist/ is missing: run npm run build before the e2e tests');
  const outfile = join(root, 'node_modules', '.cache', 'rollcall-web', 'server-e2e.mjs');
  await build({
    entryPoints: [join(root, 'examples', 'web', 'server.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    tsconfig: join(root, 'examples', 'web', 'tsconfig.build.json'),
    outfile,
    logLevel: 'warning',
  });
  const child = spawn(process.execPath, [outfile], { cwd: root, env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /rollcall web example: (http:\/\/\S+)/u.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      reject(new Error(`the web example exited with code ${String(code)} before listening:\n${output}`));
    });
  });
  return { url, errors: () => errors, stop: () => stop(child) };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGTERM');
  });
}
