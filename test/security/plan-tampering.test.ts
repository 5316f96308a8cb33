// A plan kept outside the server between preview and confirm (a hidden form field, the browser's storage)
// comes back as JSON the client could edit. executeImport checks the file against the plan's fingerprint,
// but the fingerprint covers the file, columns and settings, not the planned rows: rows edited in the JSON
// are created unvalidated, with the original file passing the check.
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/store/memory.js';
import { executeImport } from '../../src/execute/execute-import.js';
import type { ImportPlan, PlannedRow } from '../../src/plan/import-plan.js';
import { planImport } from '../../src/plan/plan-import.js';

const who = { actor: 'admin', authorize: () => true };
const file = 'First Name,Last Name,Email\r\nAda,Lovelace,ada@example.org\r\n';

describe('a plan edited after planning', () => {
  // KNOWN BUG in src/plan/fingerprint.ts + src/execute/execute-import.ts (not this suite's files to change):
  // `it.fails` passes while the bug is there; once the fingerprint covers the rows, turn it into `it`.
  it.fails('is refused with plan_mismatch when its rows no longer match the file, even with the same file given again', async () => {
    const store = memoryStore();
    const plan = JSON.parse(JSON.stringify(await planImport(file, { ...who, store }))) as ImportPlan;
    const injected: PlannedRow = {
      row: 3,
      action: 'create',
      email: 'not-an-email',
      emailKey: 'not-an-email',
      firstName: '=cmd|\' /C calc\'!A0\u0007',
      lastName: '\u202Eevil',
      attributes: {},
    };
    const tampered: ImportPlan = { ...plan, rows: [...plan.rows, injected] };
    const error: unknown = await executeImport(tampered, { ...who, store, input: file }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'plan_mismatch' });
    expect(store.users().map((u) => u.email)).toEqual([]);
  });
});
