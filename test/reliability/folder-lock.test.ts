// Issue 17: two rollcall imports on one PGlite database folder could both report success with only one's users
// there, or break the folder. Real processes, started a moment apart, one maybe SIGKILLed at a random point:
// after every round, every import that exited 0 has all its users listed, every refusal is the store_busy line,
// and the folder opens. Without the lock, the first round of seeds 1 and 2 already found the bug (5 of 6 rounds did).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFolder, bundleForNode } from '../helpers/node-bundle.js';
import { roundProblems, rounds, runRound } from './folder-lock-cases.js';

let work = '';
let cli = '';

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'rollcall-folder-lock-'));
  cli = join(bundleFolder, `rollcall-cli-lock-${String(process.pid)}.mjs`);
  await bundleForNode(join(process.cwd(), 'src', 'cli', 'bin.ts'), cli);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(cli, { force: true });
});

describe('rollcall commands sharing one PGlite database folder', () => {
  it('lose no imported user, refuse only with store_busy, and leave a folder that opens', { timeout: 600_000 }, async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(rounds, async (plan) => {
        const dir = join(work, String(++round));
        await mkdir(dir);
        const outcomes = await runRound(cli, dir, join(dir, 'db'), plan, 1000);
        expect(await roundProblems(join(dir, 'db'), outcomes)).toEqual([]);
        await rm(dir, { recursive: true, force: true });
      }),
      // Each round starts PGlite three or four times, one after another: a few seconds each. Three rounds: without the lock, 5 of the first 6 rounds failed.
      { numRuns: 3 },
    );
  });
});
