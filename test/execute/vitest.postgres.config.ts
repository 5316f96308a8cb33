import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The importer's tests against a real PostgreSQL server, which the default run does not have:
// `scripts/postgres.sh run -- npx vitest run --config test/execute/vitest.postgres.config.ts`.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/execute/**/*.pg.ts', 'test/cli/**/*.pg.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
