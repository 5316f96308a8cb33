// The importing process SIGKILLed during validation, planning, inside the transaction, right after the commit
// and while sending, with PGlite database folders (a migrated template copied per run); kill-import.pg.ts
// does the same, with more random kills, against a real server.
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { migratePostgresStore } from '../../src/adapters/store/postgres-migrate.js';
import { describeKillImport, killPlans } from './kill-cases.js';

let template = '';
let work = '';

describeKillImport(
  'PGlite folders',
  {
    async prepare(folder) {
      work = folder;
      // Creating a database folder takes seconds; copying one does not.
      template = join(work, 'template');
      const db = new PGlite(template);
      await migratePostgresStore(db);
      await db.close();
    },
    async fresh(name) {
      const dir = join(work, name, 'db');
      await cp(template, dir, { recursive: true });
      return dir;
    },
    async open(dir) {
      const db = new PGlite(dir);
      await db.waitReady;
      return { query: (sql, params) => db.query(sql, params), close: () => db.close() };
    },
  },
  // Each run boots PGlite three times (seconds each): the phases the issue names, one of each kind inside the
  // transaction; kill-import.pg.ts freezes at all nine and kills at random more often.
  { delayed: 1, timed: 2, phases: ['validating', 'lookup', 'create', 'commit', 'committed', 'sending', 'sent'] },
);

describe('killPlans', () => {
  it('names every run of a seed apart, so no two runs share a folder', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const names = killPlans(seed, { runs: 6, spanMs: 1000 }, 6).map((p) => p.name);
        expect(new Set(names).size).toBe(names.length);
      }),
    );
  });

  it('tells apart the two equal kills seed 2014736807 draws (their messages once landed in one folder)', () => {
    const names = killPlans(2014736807, { runs: 6, spanMs: 1000 }, 6).map((p) => p.name);
    expect(names.filter((name) => name.endsWith('-after-create-1+26ms'))).toEqual(['4-after-create-1+26ms', '6-after-create-1+26ms']);
  });
});
