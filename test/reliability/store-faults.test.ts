// Store failures at every step of an import, against the memory store and PGlite (one in-memory database,
// a schema per case); the real server runs the same cases in store-faults.pg.ts.
import { PGlite } from '@electric-sql/pglite';
import { afterAll } from 'vitest';
import { memoryStore } from '../../src/adapters/store/memory.js';
import { describeStoreFaults, freshFaultyPostgres } from './fault-cases.js';

describeStoreFaults('the memory store', () => Promise.resolve({ store: memoryStore() }), { sql: false });

const db = new PGlite();
afterAll(() => db.close());

describeStoreFaults('PGlite', () => freshFaultyPostgres(db), { sql: true });
