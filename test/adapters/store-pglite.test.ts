import { PGlite } from '@electric-sql/pglite';
import { afterAll } from 'vitest';
import { describePostgresStore, describeSingleConnection } from './postgres-cases.js';

// One in-memory database for the file (starting PGlite takes seconds); each test gets its own schema.
const db = new PGlite();
afterAll(() => db.close());

describePostgresStore('postgresStore on PGlite', () => db, () => db);
describeSingleConnection('postgresStore on PGlite', () => db, () => ({ query: (sql, params) => db.query(sql, params) }));
