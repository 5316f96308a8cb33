// The results file reaches the disk before the command reports success: its data, then the folder entry that
// names it. The file system calls are recorded in order through a wrapper around node:fs/promises.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createResultsFile } from '../../src/cli/results-file.js';

const calls = vi.hoisted(() => [] as string[]);
const links = vi.hoisted(() => ({ refused: false }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...fs,
    async open(...args: Parameters<typeof fs.open>) {
      const handle = await fs.open(...args);
      const path = String(args[0]);
      const sync = handle.sync.bind(handle);
      const writeFile = handle.writeFile.bind(handle);
      return Object.assign(handle, {
        async writeFile(...rest: Parameters<typeof writeFile>) {
          calls.push(`write ${path}`);
          await writeFile(...rest);
        },
        async sync() {
          calls.push(`sync ${path}`);
          await sync();
        },
      });
    },
    async link(from: string, to: string) {
      calls.push(`link ${from} ${to}`);
      // As a file system without hard links (FAT, some network shares) answers.
      if (links.refused) throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' });
      await fs.link(from, to);
    },
  };
});

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rollcall-results-sync-'));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the results file of rollcall import', () => {
  it('is flushed to the disk, and then the folder entry naming it, before success is reported (issue 27, finding 7)', async () => {
    const path = join(dir, 'results.csv');
    const pending = await createResultsFile(path);
    await pending.commit('Email,Temporary Password\r\nada@example.org,Xk3p9Qm2Lw7Rt5Vz\r\n');
    await pending.dispose();
    const temp = /^write (.*)$/u.exec(calls[0] ?? '')?.[1] ?? '';
    expect(calls).toEqual([`write ${temp}`, `sync ${temp}`, `link ${temp} ${path}`, `sync ${dir}`]);
    expect(await readFile(path, 'utf8')).toContain('ada@example.org');
  });

  it('on a file system without hard links, is written under its name as a new file, flushed, and then its folder', async () => {
    calls.length = 0;
    links.refused = true;
    const path = join(dir, 'no-links.csv');
    const pending = await createResultsFile(path);
    await pending.commit('Email,Temporary Password\r\nli@example.org,Xk3p9Qm2Lw7Rt5Vz\r\n');
    await pending.dispose();
    const temp = /^write (.*)$/u.exec(calls[0] ?? '')?.[1] ?? '';
    expect(calls).toEqual([`write ${temp}`, `sync ${temp}`, `link ${temp} ${path}`, `write ${path}`, `sync ${path}`, `sync ${dir}`]);
    expect(await readFile(path, 'utf8')).toContain('li@example.org');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).sort()).toEqual(['no-links.csv', 'results.csv']);
  });
});
