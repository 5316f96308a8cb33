import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Every test against a real PostgreSQL server (`test/**/*.pg.ts`), which the default run does not have:
// `scripts/postgres.sh run -- npx vitest run --config test/adapters/vitest.postgres.config.ts`.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/**/*.pg.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
