// The importing process SIGKILLed at every phase and at random times, against a real PostgreSQL server: a
// database of its own per run (the command line's --db takes a URL, not a schema), dropped at the end.
import pg from 'pg';
import { migratePostgresStore } from '../../src/adapters/store/postgres-migrate.js';
import { quoteIdentifier } from '../../src/adapters/store/postgres-table.js';
import { describeKillImport } from './kill-cases.js';

const url = process.env.ROLLCALL_TEST_POSTGRES_URL;
if (url === undefined || url === '') throw new Error('ROLLCALL_TEST_POSTGRES_URL is not set: run this file through scripts/postgres.sh run');
const serverUrl = url;

const created: string[] = [];

function databaseUrl(database: string): string {
  const parsed = new URL(serverUrl);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function withClient<T>(connectionString: string, body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

describeKillImport(
  'a PostgreSQL server',
  {
    async dispose() {
      await withClient(serverUrl, async (admin) => {
        for (const database of created) await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`);
      });
    },
    async fresh() {
      const database = `rollcall_kill_${String(process.pid)}_${String(created.length + 1)}`;
      await withClient(serverUrl, (admin) => admin.query(`CREATE DATABASE ${quoteIdentifier(database)}`));
      created.push(database);
      const db = databaseUrl(database);
      const pool = new pg.Pool({ connectionString: db, max: 1 });
      try {
        await migratePostgresStore(pool);
      } finally {
        await pool.end();
      }
      return db;
    },
    async open(db) {
      const client = new pg.Client({ connectionString: db });
      await client.connect();
      return { query: (sql, params) => client.query(sql, params), close: () => client.end() };
    },
  },
  { delayed: 6, timed: 6 },
);
