import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/store/memory.js';
import { importUsers } from '../../src/execute/import-users.js';
import { planImport } from '../../src/plan/plan-import.js';
import { xlsx } from '../helpers/xlsx.js';

const who = { actor: 'admin', authorize: () => true };
const header = ['First Name', 'Last Name', 'Email'];
const book = xlsx({
  sheets: [
    { name: 'Staff', rows: [header, ['Ada', 'Lovelace', 'ada@example.com'], ['Alan', 'Turing', 'alan@example.com']] },
    { name: 'Contractors', rows: [header, ['Grace', 'Hopper', 'grace@example.com']] },
  ],
});

describe('planImport and importUsers: workbooks', () => {
  it('plans the rows of the first visible worksheet, with Excel row numbers', async () => {
    const plan = await planImport(book, { store: memoryStore(), ...who });
    expect(plan.rows.map((r) => [r.row, r.email, r.action])).toEqual([
      [2, 'ada@example.com', 'create'],
      [3, 'alan@example.com', 'create'],
    ]);
    expect(plan.summary.file).toMatchObject({ format: 'xlsx', sheet: 'Staff' });
  });

  it('imports the sheet the sheet option names, and plans another sheet as another plan', async () => {
    const store = memoryStore();
    const result = await importUsers(book, { store, ...who, sheet: 'Contractors' });
    if (!result.imported) throw new Error('not imported');
    expect(result.created.map((u) => u.email)).toEqual(['grace@example.com']);
    const staff = await planImport(book, { store: memoryStore(), ...who });
    const contractors = await planImport(book, { store: memoryStore(), ...who, sheet: 'Contractors' });
    expect(contractors.settings.sheet).toBe('Contractors');
    expect(contractors.fingerprint).not.toBe(staff.fingerprint);
  });

  it('imports nothing from a sheet the workbook does not have', async () => {
    const result = await importUsers(book, { store: memoryStore(), ...who, sheet: 'Users' });
    if (result.imported) throw new Error('imported');
    expect(result.summary.errors.map((e) => e.code)).toEqual(['sheet_not_found']);
  });
});
