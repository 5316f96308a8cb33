import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { main } from '../../examples/import-with-introductions.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rollcall-example-intro-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('examples/import-with-introductions.ts imports users.csv and writes one introduction with an invite link per user', async () => {
  const outbox = join(dir, 'outbox');
  const outcome = await main(new URL('../../examples/users.csv', import.meta.url), outbox);
  expect(outcome.imported).toBe(true);
  expect(outcome.created).toHaveLength(9);
  expect(outcome.created[0]).toBe('zoe.angstrom@example.org');
  expect(outcome.emlFiles).toHaveLength(9);
  const messages = await Promise.all(outcome.emlFiles.map(async (name) => simpleParser(await readFile(join(outbox, name)))));
  const recipients = messages.map((m) => (Array.isArray(m.to) ? undefined : m.to?.value[0]));
  expect(recipients.map((to) => to?.address).sort()).toEqual([...outcome.created].sort());
  expect(recipients.find((to) => to?.address === 'anna.karenina@example.org')?.name).toBe('Анна Каренина');
  for (const message of messages) expect(message.text).toMatch(/https:\/\/acme\.example\/invite\/\S+/);
});

it('examples/import-with-introductions.ts imports no one and writes no introduction when the file has problems', async () => {
  const outbox = join(dir, 'outbox');
  const outcome = await main(new URL('../../examples/users-with-problems.csv', import.meta.url), outbox);
  expect(outcome).toEqual({ imported: false, created: [], emlFiles: [] });
});
