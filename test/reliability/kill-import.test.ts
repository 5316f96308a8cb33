// The importing process SIGKILLed during validation, planning, inside the transaction, right after the commit
// and while sending, with PGlite database folders (a migrated template copied per run); kill-import.pg.ts
// does the same, with more random kills, against a real server.
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { migratePostgresStore } from '../../src/adapters/store/postgres-migrate.js';
import { describeKillImport } from './kill-cases.js';

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
