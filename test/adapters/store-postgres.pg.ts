// Runs against a real PostgreSQL server: `npm run test:postgres` starts one with scripts/postgres.sh.
// Not part of the default `vitest run`; without a server URL it fails rather than pass by doing nothing.
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { afterAll } from 'vitest';
import type { CopyFrom } from '../../src/adapters/store/postgres-copy.js';
import { describePostgresStore, describeSingleConnection } from './postgres-cases.js';

const url = process.env.ROLLCALL_TEST_POSTGRES_URL;
if (url === undefined || url === '') {
  throw new Error('ROLLCALL_TEST_POSTGRES_URL is not set: run `scripts/postgres.sh run -- npx vitest run --config test/adapters/vitest.postgres.config.ts`');
}

const pool = new pg.Pool({ connectionString: url, max: 6 });
const client = new pg.Client({ connectionString: url });
const copyClient = new pg.Client({ connectionString: url });
await client.connect();
await copyClient.connect();
afterAll(async () => {
  await client.end();
  await copyClient.end();
  await pool.end();
});

describePostgresStore('postgresStore on PostgreSQL through pg.Pool', () => pool, () => pool);
describeSingleConnection('postgresStore on PostgreSQL through one pg.Client', () => pool, () => client);

// The same suites with the COPY capability, the path `rollcall import` takes against a server.
const copyFrom: CopyFrom = (connection, sql) => connection.query(copyStreams.from(sql));
describePostgresStore('postgresStore with COPY on PostgreSQL through pg.Pool', () => pool, () => pool, { copyFrom });
describeSingleConnection('postgresStore with COPY on PostgreSQL through one pg.Client', () => pool, () => copyClient, { copyFrom });
