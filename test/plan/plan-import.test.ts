import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { memoryStore } from '../../src/adapters/store/memory.js';
import type { ExistingUser, UserStore } from '../../src/adapters/store/types.js';
import { importUsers } from '../../src/execute/import-users.js';
import { planImport, type PlanOptions } from '../../src/plan/plan-import.js';
import { RollcallError } from '../../src/rollcall-error.js';
import { column } from '../../src/schema/column.js';
import { defineSchema } from '../../src/schema/define-schema.js';
import { usersSchema } from '../../src/schema/users.js';

const numRuns = Number(process.env.FC_RUNS ?? 200);

/** The options a test varies. */
type Settings = Partial<Omit<PlanOptions, 'actor' | 'authorize' | 'store'>>;
const header = 'First Name,Last Name,Email';
const who = { actor: { role: 'program_admin' }, authorize: (a: { role: string }) => a.role === 'program_admin' };

function usersCsv(rows: readonly string[]): string {
  return [header, ...rows].join('\r\n') + '\r\n';
}

function people(n: number, prefix = 'user'): string[] {
  return Array.from({ length: n }, (_, i) => `Zoë${i},Núñez${i},${prefix}${i}@example.org`);
}

/** A file source that counts how many chunks were asked of it. */
function recordingSource(text: string): { source: AsyncIterable<Uint8Array>; reads: () => number } {
  let reads = 0;
  return {
    reads: () => reads,
    source: {
      async *[Symbol.asyncIterator]() {
        reads++;
        yield await Promise.resolve(new TextEncoder().encode(text));
      },
    },
  };
}

/** A store that answers lookups from a fixed list and records the keys of each lookup. */
function lookupStore(existing: Record<string, string> = {}): { store: Pick<UserStore, 'findExistingEmails'>; calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    store: {
      findExistingEmails(keys) {
        calls.push([...keys]);
        const found = new Map<string, ExistingUser>();
        for (const key of keys) {
          const id = existing[key];
          if (id !== undefined) found.set(key, { id, email: key, emailKey: key });
        }
        return Promise.resolve(found);
      },
    },
  };
}

describe('planImport', () => {
  it('says what each valid row would do, with the values to store, and counts every kind of row', async () => {
    const { store } = lookupStore({ 'ann@example.org': 'u-1', 'bob@example.org': 'u-2' });
    const file = usersCsv(['Zoë,Ångström,Zoe@Example.ORG', 'Ann,Old,ANN@example.org', 'Bad,Row,nope', 'Bob,Old,bob@example.org']);
    const plan = await planImport(file, { ...who, store });
    expect(plan.rows).toEqual([
      { row: 2, action: 'create', email: 'Zoe@example.org', emailKey: 'zoe@example.org', firstName: 'Zoë', lastName: 'Ångström', attributes: {} },
      { row: 3, action: 'conflict', email: 'ANN@example.org', emailKey: 'ann@example.org', firstName: 'Ann', lastName: 'Old', attributes: {}, existingId: 'u-1' },
      { row: 5, action: 'conflict', email: 'bob@example.org', emailKey: 'bob@example.org', firstName: 'Bob', lastName: 'Old', attributes: {}, existingId: 'u-2' },
    ]);
    expect(plan.counts).toEqual({ rows: 4, create: 1, skip: 0, conflict: 2, invalid: 1 });
    expect(plan.summary.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [3, 'Email', 'already_exists'],
      [4, 'Email', 'invalid_email'],
      [5, 'Email', 'already_exists'],
    ]);
    expect(plan.summary.errors[0]?.message).toBe(
      'Row 3: a user with the email "ANN@example.org" already exists. Remove the row, or import again choosing to skip existing users.',
    );
    expect(plan.summary.countsByCode).toMatchObject({ already_exists: 2, invalid_email: 1 });
    expect(plan.summary.countsByColumn).toEqual({ Email: 3 });
    expect(plan.executable).toBe(false);
  });

  it('skips existing users without an issue when onExisting is skip', async () => {
    const { store } = lookupStore({ 'ann@example.org': 'u-1' });
    const plan = await planImport(usersCsv(['Ann,Old,ann@example.org', 'Zoë,New,zoe@example.org']), { ...who, store, onExisting: 'skip' });
    expect(plan.rows.map((r) => [r.row, r.action])).toEqual([[2, 'skip'], [3, 'create']]);
    expect(plan.summary.valid).toBe(true);
    expect(plan.executable).toBe(true);
  });

  it('keeps the optional columns as text attributes, leaving blank cells out', async () => {
    const schema = usersSchema.extend({
      department: column({ label: 'Department' }),
      badge: column({ label: 'Badge', schema: z.string().transform(Number) }),
    });
    const file = 'Email,First Name,Last Name,Department,Badge\r\nada@example.org,Ada,Lovelace,Engines,42\r\nalan@example.org,Alan,Turing,,\r\n';
    const plan = await planImport(file, { ...who, store: lookupStore().store, schema });
    expect(plan.rows.map((r) => r.attributes)).toEqual([{ department: 'Engines', badge: '42' }, {}]);
    expect(plan.columns).toEqual([
      { key: 'firstName', label: 'First Name', required: true },
      { key: 'lastName', label: 'Last Name', required: true },
      { key: 'email', label: 'Email', required: true },
      { key: 'department', label: 'Department', required: false },
      { key: 'badge', label: 'Badge', required: false },
    ]);
  });

  it('looks existing users up a batch at a time, never per row, and only for valid rows', async () => {
    const { store, calls } = lookupStore();
    const rows = people(2500);
    rows[10] = 'No,Email,';
    await planImport(usersCsv(rows), { ...who, store, batchSize: 1000 });
    expect(calls.map((keys) => keys.length)).toEqual([1000, 1000, 499]);
    expect(calls.flat()).not.toContain('');
    expect(new Set(calls.flat()).size).toBe(2499);
  });

  it("rejects with store_error, the store's error as cause, when a lookup fails, whichever batch it is", async () => {
    const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
    // The file arrives slowly and the failure comes late, so it lands while the planner waits for the file.
    async function* slowly(text: string): AsyncGenerator<string> {
      for (let at = 0; at < text.length; at += 4096) {
        await pause();
        yield text.slice(at, at + 4096);
      }
    }
    for (const failing of [1, 2, 3]) {
      let calls = 0;
      const down = new Error('connection lost');
      const store = {
        findExistingEmails: async () => {
          await pause();
          if (++calls === failing) throw down;
          return new Map<string, ExistingUser>();
        },
      };
      const error: unknown = await planImport(slowly(usersCsv(people(2500))), { ...who, store, batchSize: 1000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RollcallError);
      expect(error).toMatchObject({ code: 'store_error', message: 'Looking up existing users in the store failed; nothing was written.', cause: down });
    }
  });

  it('is plain data: a JSON round trip gives the same plan', async () => {
    const store = memoryStore();
    const plan = await planImport(usersCsv([...people(3), 'x,y,bad']), { ...who, store });
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it('reports progress as rows are read', async () => {
    const seen: number[] = [];
    await planImport(usersCsv(people(5)), { ...who, store: lookupStore().store, onProgress: (p) => seen.push(p.rowsRead) });
    expect(seen.at(-1)).toBe(5);
  });

  describe('executable', () => {
    const plan = (rows: string[], options: Settings = {}, existing: Record<string, string> = {}) =>
      planImport(usersCsv(rows), { ...who, store: lookupStore(existing).store, ...options });

    it('in all-or-nothing mode only when there is no error', async () => {
      expect((await plan(people(2))).executable).toBe(true);
      expect((await plan([...people(2), 'a,b,c'])).executable).toBe(false);
    });

    it('in valid-rows-only mode when some row would be created or skipped', async () => {
      expect((await plan([...people(2), 'a,b,c'], { mode: 'valid-rows-only' })).executable).toBe(true);
      expect((await plan(['a,b,c'], { mode: 'valid-rows-only' })).executable).toBe(false);
      expect((await plan(people(1), { mode: 'valid-rows-only' }, { 'user0@example.org': 'u' })).executable).toBe(false);
      expect((await plan(people(1), { mode: 'valid-rows-only', onExisting: 'skip' }, { 'user0@example.org': 'u' })).executable).toBe(true);
    });

    it('never when the file as a whole has a problem, even in valid-rows-only mode', async () => {
      const missing = await planImport('First Name,Email\r\nAda,ada@example.org\r\n', { ...who, store: lookupStore().store, mode: 'valid-rows-only' });
      expect(missing.summary.errors.map((e) => e.code)).toEqual(['missing_column']);
      expect(missing.executable).toBe(false);
      const tooMany = await plan(people(5), { mode: 'valid-rows-only', maxRows: 3 });
      expect(tooMany.summary.errors.map((e) => e.code)).toEqual(['too_many_rows']);
      expect(tooMany.executable).toBe(false);
    });
  });

  describe('authorization', () => {
    for (const [title, authorize] of [
      ['resolves false', () => Promise.resolve(false)],
      ['returns a truthy value that is not true', () => 'yes' as unknown as boolean],
      ['throws', () => { throw new Error('directory unreachable'); }],
    ] as const) {
      it(`refuses the actor when authorize ${title}, before reading a byte`, async () => {
        const { source, reads } = recordingSource(usersCsv(people(3)));
        const { store, calls } = lookupStore();
        const error: unknown = await planImport(source, { actor: { role: 'teacher' }, authorize, store }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RollcallError);
        expect(error).toMatchObject({ code: 'unauthorized' });
        expect(reads()).toBe(0);
        expect(calls).toEqual([]);
      });
    }

    it('asks authorize about the actor it was given', async () => {
      const asked: unknown[] = [];
      const actor = { id: 7 };
      await planImport(usersCsv(people(1)), { actor, authorize: (a) => (asked.push(a), true), store: lookupStore().store });
      expect(asked).toEqual([actor]);
    });

    it('importUsers refuses before reading or writing anything', async () => {
      const { source, reads } = recordingSource(usersCsv(people(3)));
      const store = memoryStore();
      await expect(importUsers(source, { actor: 'guest', authorize: () => false, store })).rejects.toMatchObject({ code: 'unauthorized' });
      expect(reads()).toBe(0);
      expect(store.users()).toEqual([]);
    });
  });

  describe('options', () => {
    it('refuses options out of range with invalid_option, before reading', async () => {
      const { source, reads } = recordingSource(usersCsv(people(1)));
      const store = lookupStore().store;
      for (const bad of [{ onExisting: 'overwrite' }, { mode: 'some' }, { batchSize: 0 }, { maxRows: -1 }] as Settings[]) {
        await expect(planImport(source, { ...who, store, ...bad })).rejects.toMatchObject({ code: 'invalid_option' });
      }
      expect(reads()).toBe(0);
    });

    it('refuses a schema without the users columns', async () => {
      const schema = defineSchema({ email: column({ label: 'Email', required: true }) });
      await expect(planImport(usersCsv([]), { ...who, store: lookupStore().store, schema })).rejects.toMatchObject({ code: 'invalid_schema' });
    });

    it('stops when its signal aborts', async () => {
      const controller = new AbortController();
      controller.abort(new Error('cancelled by the admin'));
      await expect(planImport(usersCsv(people(3)), { ...who, store: lookupStore().store, signal: controller.signal })).rejects.toThrow(
        'cancelled by the admin',
      );
    });
  });

  describe('fingerprint', () => {
    const file = new TextEncoder().encode(usersCsv(people(20)));
    const fingerprint = async (input: Uint8Array | Iterable<Uint8Array>, options: Settings = {}) =>
      (await planImport(input, { ...who, store: lookupStore().store, ...options })).fingerprint;

    it('is sha256: and 64 hex digits, and the same file in any chunking has the same fingerprint', async () => {
      const whole = await fingerprint(file);
      expect(whole).toMatch(/^sha256:[0-9a-f]{64}$/u);
      await fc.assert(
        fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: file.length - 1 }), { maxLength: 8 }), async (cuts) => {
          const at = [0, ...cuts.sort((a, b) => a - b), file.length];
          const chunks = at.slice(1).map((end, i) => file.slice(at[i], end));
          expect(await fingerprint(chunks)).toBe(whole);
        }),
        { numRuns: Math.min(numRuns, 100) },
      );
    });

    it('changes with any byte of the file, with the schema, and with the settings that decide which rows are created', async () => {
      const base = await fingerprint(file);
      const changed = file.slice();
      changed[changed.length - 3] = 0x71;
      const others = [
        await fingerprint(changed),
        await fingerprint(file, { onExisting: 'skip' }),
        await fingerprint(file, { mode: 'valid-rows-only' }),
        await fingerprint(file, { maxRows: 500 }),
        await fingerprint(file, { maxBytes: 1 << 20 }),
        await fingerprint(file, { maxCellLength: 200 }),
        await fingerprint(file, { schema: usersSchema.extend({ team: column({ label: 'Team' }) }) }),
      ];
      expect(new Set([base, ...others]).size).toBe(others.length + 1);
    });

    it('does not change with how issues are listed', async () => {
      expect(await fingerprint(file, { maxIssues: 3, messages: { required: () => 'Fehlt.' } })).toBe(await fingerprint(file));
    });

    it('records the digest of the bytes read', async () => {
      const plan = await planImport(file, { ...who, store: lookupStore().store });
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', file));
      expect(plan.file).toEqual({ sha256: Buffer.from(digest).toString('hex'), bytes: file.length });
    });
  });
});
