// Concurrent imports with overlapping emails against a real PostgreSQL server: a pool of ten connections,
// so each of the eight imports runs its transaction on a connection of its own.
import pg from 'pg';
import { afterAll } from 'vitest';
import { describeConcurrentImports } from './concurrency-cases.js';
import { describeSkipRaces } from './concurrency-skip-cases.js';
import { freshFaultyPostgres } from './fault-cases.js';

const url = process.env.ROLLCALL_TEST_POSTGRES_URL;
if (url === undefined || url === '') throw new Error('ROLLCALL_TEST_POSTGRES_URL is not set: run this file through scripts/postgres.sh run');

const pool = new pg.Pool({ connectionString: url, max: 10 });
afterAll(() => pool.end());

describeConcurrentImports('PostgreSQL, one connection per import', () => freshFaultyPostgres(pool), 10);
describeSkipRaces('PostgreSQL, one connection per import', () => freshFaultyPostgres(pool), 10);
