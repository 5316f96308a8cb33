import { defineConfig } from 'vitest/config';

// The corpora under ../shared/corpora are public test data that a plain clone does not have,
// so their tests run as their own script (`npm run test:corpora`), which .ci/run calls.
export default defineConfig({
  test: {
    include: ['test/corpora/**/*.test.ts'],
    testTimeout: 120_000,
  },
});
