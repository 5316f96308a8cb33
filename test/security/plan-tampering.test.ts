// A plan kept outside the server between preview and confirm (a hidden form field, the browser's storage)
// comes back as JSON the client could edit. The fingerprint covers the file, columns and settings, not the
// planned rows (and anyone can recompute an unkeyed digest), so executeImport given the file plans it again
// and refuses a plan whose rows differ; found by this suite, when edited rows were created unvalidated.
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/store/memory.js';
import { executeImport } from '../../src/execute/execute-import.js';
import type { ImportPlan, PlannedRow } from '../../src/plan/import-plan.js';
import { digestFile, planFingerprint } from '../../src/plan/fingerprint.js';
import { planImport } from '../../src/plan/plan-import.js';

const who = { actor: 'admin', authorize: () => true };
const file = 'First Name,Last Name,Email\r\nAda,Lovelace,ada@example.org\r\n';

describe('a plan edited after planning', () => {
  it('is refused with plan_mismatch when its rows no longer match the file, even with the same file given again', async () => {
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

  it('is refused when a planned row was changed, and creates only the file\'s rows when it was not', async () => {
    const store = memoryStore();
    const plan = JSON.parse(JSON.stringify(await planImport(file, { ...who, store }))) as ImportPlan;
    const first = plan.rows[0];
    if (first === undefined) throw new Error('the plan has no row');
    const edited: ImportPlan = { ...plan, rows: [{ ...first, firstName: 'Mallory' }] };
    await expect(executeImport(edited, { ...who, store, input: file })).rejects.toMatchObject({ code: 'plan_mismatch' });
    expect(store.users()).toEqual([]);
    const result = await executeImport(plan, { ...who, store, input: file });
    expect(result.imported).toBe(true);
    expect(store.users().map((u) => u.firstName)).toEqual(['Ada']);
  });

  it('is refused when its settings were loosened and its fingerprint recomputed: the host\'s settings decide', async () => {
    const store = memoryStore();
    const mixed = `${file}Bob,,bob@example.org\r\n`;
    const plan = JSON.parse(JSON.stringify(await planImport(mixed, { ...who, store }))) as ImportPlan;
    expect(plan.executable).toBe(false);
    const settings = { ...plan.settings, mode: 'valid-rows-only' as const, maxRows: 1e9 };
    const fingerprint = planFingerprint(await digestFile(mixed), plan.columns, settings);
    const forged: ImportPlan = { ...plan, settings, fingerprint, executable: true };
    await expect(executeImport(forged, { ...who, store, input: mixed })).rejects.toMatchObject({ code: 'plan_mismatch' });
    expect(store.users()).toEqual([]);
  });

  it('with the same import key and file again, replays the earlier import rather than refusing it', async () => {
    const store = memoryStore();
    const plan = JSON.parse(JSON.stringify(await planImport(file, { ...who, store }))) as ImportPlan;
    const first = await executeImport(plan, { ...who, store, input: file, importKey: 'upload-1' });
    expect(first).toMatchObject({ imported: true, replayed: false });
    const again = await executeImport(plan, { ...who, store, input: file, importKey: 'upload-1' });
    expect(again).toMatchObject({ imported: true, replayed: true });
    expect(store.users()).toHaveLength(1);
  });

  it('a plan without settings or with a malformed row is invalid_option, not a TypeError', async () => {
    const store = memoryStore();
    const plan = JSON.parse(JSON.stringify(await planImport(file, { ...who, store }))) as ImportPlan;
    const withoutSettings: Record<string, unknown> = { ...plan };
    delete withoutSettings.settings;
    const malformedRow = { ...plan, rows: [{ row: 2, action: 'create', email: 'a@example.org' }] };
    for (const bad of [withoutSettings, malformedRow]) {
      await expect(executeImport(bad as unknown as ImportPlan, { ...who, store, input: file })).rejects.toMatchObject({
        code: 'invalid_option',
      });
    }
    expect(store.users()).toEqual([]);
  });
});
