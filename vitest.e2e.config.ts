import { defineConfig } from 'vitest/config';

// The end-to-end tests of the web example in a real browser (Debian's Chromium through playwright-core):
// `npm run build && npx vitest run --config vitest.e2e.config.ts`. They need /usr/bin/chromium and dist/.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    // Opening a fresh PGlite database folder takes tens of seconds on a busy machine.
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
