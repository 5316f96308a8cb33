// Concurrent imports with overlapping emails against the memory store and one PGlite instance (concurrent
// calls on it); concurrent-imports.pg.ts runs them on a real server, each import on its own connection.
import { PGlite } from '@electric-sql/pglite';
import { afterAll } from 'vitest';
import { memoryStore } from '../../src/adapters/store/memory.js';
import { describeConcurrentImports } from './concurrency-cases.js';
import { describeSkipRaces } from './concurrency-skip-cases.js';
import { freshFaultyPostgres } from './fault-cases.js';

describeConcurrentImports('the memory store', () => Promise.resolve({ store: memoryStore() }), 12);
describeSkipRaces('the memory store', () => Promise.resolve({ store: memoryStore() }), 12);

const db = new PGlite();
afterAll(() => db.close());

describeConcurrentImports('one PGlite instance', () => freshFaultyPostgres(db), 3);
describeSkipRaces('one PGlite instance', () => freshFaultyPostgres(db), 3);
