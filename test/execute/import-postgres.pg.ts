// The importer's store tests against a real PostgreSQL server, like test/adapters/store-postgres.pg.ts:
// `scripts/postgres.sh run -- npx vitest run --config test/execute/vitest.postgres.config.ts`.
import pg from 'pg';
import { afterAll } from 'vitest';
import { describeImportCases } from './import-cases.js';
import { freshPostgresStore } from './postgres-import-store.js';

const url = process.env.ROLLCALL_TEST_POSTGRES_URL;
if (url === undefined || url === '') {
  throw new Error('ROLLCALL_TEST_POSTGRES_URL is not set: run `scripts/postgres.sh run -- npx vitest run --config test/execute/vitest.postgres.config.ts`');
}

const pool = new pg.Pool({ connectionString: url, max: 6 });
afterAll(() => pool.end());

describeImportCases('PostgreSQL through pg.Pool', () => freshPostgresStore(pool, pool));
