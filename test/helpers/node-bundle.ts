/**
 * How tests run rollcall's TypeScript in a child process: bundled to one ES module for Node 20, its packages
 * left to node_modules, in a folder inside the repository so they resolve.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

/** Where the bundles go (node_modules/.cache/rollcall-tests), created on first use by {@link bundleForNode}. */
export const bundleFolder = join(process.cwd(), 'node_modules', '.cache', 'rollcall-tests');

/** Bundles `entry` into `outfile` (under {@link bundleFolder}) for `node outfile`. */
export async function bundleForNode(entry: string, outfile: string): Promise<void> {
  await mkdir(bundleFolder, { recursive: true });
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile, logLevel: 'error' });
}
