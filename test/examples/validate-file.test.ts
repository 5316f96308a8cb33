import { expect, it } from 'vitest';
import { main } from '../../examples/validate-file.js';

it('examples/validate-file.ts prints the error summary of users-with-problems.csv with one line per problem', async () => {
  const printed: string[] = [];
  const summary = await main((text) => printed.push(text));
  expect(summary.errors.map((e) => e.code)).toEqual(['required', 'invalid_email', 'duplicate_in_file']);
  expect(printed).toHaveLength(1);
  expect(printed[0]).toContain('Error Summary: 3 errors in 3 rows');
  expect(printed[0]).toContain('Row 4: "grace@@example.com" in Email is not a valid email');
});
