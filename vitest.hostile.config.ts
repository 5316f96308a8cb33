import { defineConfig } from 'vitest/config';

// Hostile and broken input: property tests at FC_RUNS runs each (10,000 in CI: `FC_RUNS=10000 npm run
// test:hostile`) and inputs of a hundred megabytes, so they run as their own script rather than in `npm test`.
// `--expose-gc` lets the large-input tests measure what a summary keeps alive after a collection.
export default defineConfig({
  test: {
    include: ['test/hostile/**/*.test.ts'],
    execArgv: ['--expose-gc'],
    testTimeout: 600_000,
    hookTimeout: 60_000,
  },
});
