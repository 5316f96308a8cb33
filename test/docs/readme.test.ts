import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { run } from '../cli/run-cli.js';

it("the README's Error Summary is what rollcall validate prints for examples/users-with-problems.csv", async () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const command = '$ npx rollcall validate examples/users-with-problems.csv\n';
  const start = readme.indexOf(command);
  expect(start).toBeGreaterThan(-1);
  const shown = readme.slice(start + command.length, readme.indexOf('```', start));
  const { code, stdout } = await run(['validate', 'examples/users-with-problems.csv']);
  expect(code).toBe(1);
  expect(stdout).toBe(shown);
});
