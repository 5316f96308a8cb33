// The installed command's entry (src/cli/cli.ts, dist/cli.js): it turns on Node's compile cache where Node has
// one (22.1 and later), then runs the command from a file of its own. Bundled here as tsup builds it, and run
// with this test's own Node, so CI's Node 20, 22 and 24 runs each check their own behaviour.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import module from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFolder, bundleForNode } from '../helpers/node-bundle.js';

let folder = '';

beforeAll(async () => {
  await mkdir(bundleFolder, { recursive: true });
  folder = await mkdtemp(join(bundleFolder, 'cli-entry-'));
  await bundleForNode(join(process.cwd(), 'src', 'cli', 'cli.ts'), join(folder, 'cli.js'));
  await bundleForNode(join(process.cwd(), 'src', 'cli', 'bin.ts'), join(folder, 'cli-main.js'));
}, 60_000);

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Runs `rollcall validate examples/users.csv --json` through the entry, with `env` and a temporary folder of its own. */
async function validate(env: Record<string, string>): Promise<{ status: number | null; stdout: string; cacheFolder: string }> {
  const temporary = await mkdtemp(join(folder, 'tmp-'));
  // The cache's own variables come only from `env`: a developer's NODE_COMPILE_CACHE would move the folder.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('NODE_') || !name.includes('COMPILE_CACHE')));
  const result = spawnSync(process.execPath, [join(folder, 'cli.js'), 'validate', join('examples', 'users.csv'), '--json'], {
    encoding: 'utf8',
    env: { ...inherited, TMPDIR: temporary, ...env },
  });
  return { status: result.status, stdout: result.stdout, cacheFolder: join(temporary, 'node-compile-cache') };
}

const nodeHasTheCache = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';

describe('the rollcall command as installed', () => {
  it('runs the command, and keeps compiled code in the temporary folder where Node can', async () => {
    const { status, stdout, cacheFolder } = await validate({});
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ valid: true, rowCount: 9, errorCount: 0 });
    expect(existsSync(cacheFolder) && readdirSync(cacheFolder).length > 0).toBe(nodeHasTheCache);
  });

  it('keeps nothing when NODE_DISABLE_COMPILE_CACHE is set', async () => {
    const { status, cacheFolder } = await validate({ NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(status).toBe(0);
    expect(existsSync(cacheFolder)).toBe(false);
  });
});
