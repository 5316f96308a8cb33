import { PGlite } from '@electric-sql/pglite';
import { afterAll, expect, it } from 'vitest';
import { hashSecret } from '../../src/execute/hash-secret.js';
import { describeImportCases } from './import-cases.js';
import { freshPostgresStore } from './postgres-import-store.js';

// One in-memory database for the file (starting PGlite takes seconds); each test gets its own schema.
const db = new PGlite();
afterAll(() => db.close());

describeImportCases('PGlite', () => freshPostgresStore(db, db));

it("hashSecret is PostgreSQL's sha256 in hex, so a host can check a password or find an invite in SQL", async () => {
  const { rows } = await db.query<{ h: string }>(`SELECT 'sha256:' || encode(sha256(convert_to($1, 'UTF8')), 'hex') AS h`, ['Zoë-Ab3']);
  expect(rows[0]?.h).toBe(hashSecret('Zoë-Ab3'));
});
