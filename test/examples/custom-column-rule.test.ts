import { expect, it } from 'vitest';
import { main } from '../../examples/custom-column-rule.js';
import { numRuns } from '../laws/helpers.js';

it('examples/custom-column-rule.ts runs and its own checks pass', async () => {
  await expect(main(numRuns)).resolves.toBeUndefined();
});
