import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { main, schema } from '../../examples/generate-template.js';
import { validateFile } from '../../src/index.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

it('examples/generate-template.ts writes an Excel CSV template that starts with a BOM and its header row', async () => {
  dir = await mkdtemp(join(tmpdir(), 'rollcall-example-template-'));
  const path = await main(dir);
  expect(path).toBe(join(dir, 'import-template.csv'));
  const bytes = await readFile(path);
  expect(bytes.toString('utf8')).toBe('\uFEFFFirst Name,Last Name,Email,Department\r\n');
  // The file it wrote reads back as the schema's header, with no user in it yet.
  const summary = await validateFile(bytes, { schema });
  expect(summary.errors.map((e) => e.code)).toEqual(['no_data_rows']);
  expect(summary.file.columns.map((c) => c.key)).toEqual(['firstName', 'lastName', 'email', 'department']);
});
