// Where temporary passwords and invite tokens come from, checked at the source: node:crypto's CSPRNG and
// nothing else, with no collision in a large sample. test/execute/secret-generator.test.ts checks the
// alphabet and the absence of bias on 20,000 draws; this checks the randomness source and 200,000 draws.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryStore } from '../../src/adapters/store/memory.js';
import { importUsers } from '../../src/execute/import-users.js';
import { minPasswordLength, secretGenerator } from '../../src/execute/secret-generator.js';

vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return { ...real, randomFillSync: vi.fn(real.randomFillSync) };
});

const src = join(import.meta.dirname, '..', '..', 'src');

afterEach(() => {
  vi.restoreAllMocks();
});

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

describe('temporary passwords and invite tokens', () => {
  it("are drawn from node:crypto's randomFillSync and never from Math.random", () => {
    const fill = vi.mocked(crypto.randomFillSync);
    fill.mockClear();
    const random = vi.spyOn(Math, 'random');
    const secrets = secretGenerator();
    const drawn = [...Array.from({ length: 300 }, () => secrets.password(16)), ...Array.from({ length: 300 }, () => secrets.inviteToken())];
    expect(new Set(drawn).size).toBe(600);
    expect(fill).toHaveBeenCalled();
    expect(random).not.toHaveBeenCalled();
  });

  it("the importer's default generator is that one: with randomFillSync scripted, the passwords are the script's", async () => {
    const real = await vi.importActual<typeof import('node:crypto')>('node:crypto');
    const script = (buffer: Uint8Array): void => {
      for (let i = 0; i < buffer.length; i++) buffer[i] = (i * 37 + 11) & 0xff;
    };
    const expected = secretGenerator(script);
    vi.mocked(crypto.randomFillSync).mockImplementation(((buffer: Uint8Array) => {
      script(buffer);
      return buffer;
    }) as typeof crypto.randomFillSync);
    try {
      const file = 'First Name,Last Name,Email\r\nAda,Lovelace,ada@example.org\r\nAlan,Turing,alan@example.org\r\n';
      const result = await importUsers(file, { actor: 'admin', authorize: () => true, store: memoryStore() });
      if (!result.imported || result.replayed) throw new Error('not imported');
      expect(result.created.map((c) => c.temporaryPassword)).toEqual([expected.password(16), expected.password(16)]);
    } finally {
      vi.mocked(crypto.randomFillSync).mockImplementation(real.randomFillSync);
    }
  });

  it('no source file that makes secrets uses Math.random (only the retry jitter, the folder lock wait jitter and the duplicate index hash seed do)', async () => {
    const users: string[] = [];
    for (const file of await sourceFiles(src)) {
      if ((await readFile(file, 'utf8')).includes('Math.random')) users.push(file.slice(src.length + 1));
    }
    expect(users.sort()).toEqual(['adapters/store/folder-lock.ts', 'notify/backoff.ts', 'validate/duplicate-index.ts']);
    const generator = await readFile(join(src, 'execute', 'secret-generator.ts'), 'utf8');
    expect(generator).toMatch(/^import \{ randomFillSync \} from 'node:crypto';$/mu);
    expect(generator).toMatch(/random: RandomSource = randomFillSync/u);
  });

  it('200,000 passwords of the shortest length: no collision, [A-Za-z0-9] only, a letter first', () => {
    const secrets = secretGenerator();
    const seen = new Set<string>();
    const pattern = /^[A-Za-z][A-Za-z0-9]{14}$/u;
    let malformed = 0;
    for (let i = 0; i < 200_000; i++) {
      const password = secrets.password(minPasswordLength);
      if (!pattern.test(password)) malformed += 1;
      seen.add(password);
    }
    expect(minPasswordLength).toBe(15);
    expect(malformed).toBe(0);
    expect(seen.size).toBe(200_000);
  });

  it('200,000 invite tokens: no collision, 43 base64url characters', () => {
    const secrets = secretGenerator();
    const seen = new Set<string>();
    let malformed = 0;
    for (let i = 0; i < 200_000; i++) {
      const token = secrets.inviteToken();
      if (!/^[A-Za-z0-9_-]{43}$/u.test(token)) malformed += 1;
      seen.add(token);
    }
    expect(malformed).toBe(0);
    expect(seen.size).toBe(200_000);
  });
});
