// Store failures at every step of an import against a real PostgreSQL server, through a pg.Pool (each
// transaction on a connection of its own, BEGIN and COMMIT sent as statements the faults can fail):
// `scripts/postgres.sh run -- npx vitest run --config test/adapters/vitest.postgres.config.ts test/reliability`.
import pg from 'pg';
import { afterAll } from 'vitest';
import { describeStoreFaults, freshFaultyPostgres } from './fault-cases.js';

const url = process.env.ROLLCALL_TEST_POSTGRES_URL;
if (url === undefined || url === '') throw new Error('ROLLCALL_TEST_POSTGRES_URL is not set: run this file through scripts/postgres.sh run');

const pool = new pg.Pool({ connectionString: url, max: 4 });
afterAll(() => pool.end());

describeStoreFaults('PostgreSQL through pg.Pool', () => freshFaultyPostgres(pool), { sql: true });
