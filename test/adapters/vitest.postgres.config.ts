import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The store tests against a real PostgreSQL server, which the default run does not have:
// `scripts/postgres.sh run -- npx vitest run --config test/adapters/vitest.postgres.config.ts`.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/adapters/**/*.pg.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
