import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resultsCsv, type CreatedEntry } from '../../src/execute/import-result.js';
import { renderWhileWaiting, resultsDraft, type ResultsDraft } from '../../src/execute/results-draft.js';
import type { PlanColumn, PlannedRow } from '../../src/plan/import-plan.js';
import { cell, numRuns } from '../csv-out/cell-arbitrary.js';

const columns: PlanColumn[] = [
  { key: 'firstName', label: 'First Name', required: true },
  { key: 'lastName', label: 'Last Name', required: true },
  { key: 'email', label: 'Email', required: true },
  { key: 'department', label: 'Department', required: false },
];

function plannedRow(n: number, cells: Partial<PlannedRow> = {}): PlannedRow {
  const email = `user${String(n)}@example.org`;
  return { row: n, action: 'create', email, emailKey: email, firstName: `F${String(n)}`, lastName: `L${String(n)}`, attributes: {}, ...cells };
}

/** What `executeImport` builds once the import has committed, to render the results file anew from. */
function createdOf(rows: readonly PlannedRow[], secrets: readonly string[], credential: 'password' | 'invite'): CreatedEntry[] {
  return rows.map((row, i) => ({
    row: row.row,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    attributes: row.attributes,
    [credential === 'password' ? 'temporaryPassword' : 'inviteToken']: secrets[i],
  }));
}

/** A draft of `count` users whose secrets are `S0`, `S1`… and counts the rows it has rendered. */
function countingDraft(count: number): { draft: ResultsDraft; rendered: () => number } {
  let rendered = 0;
  const rows = Array.from({ length: count }, (_, i) => plannedRow(i + 2));
  const draft = resultsDraft(columns, 'password', rows, (i) => {
    rendered = Math.max(rendered, i + 1);
    return `S${String(i)}`;
  });
  return { draft, rendered: () => rendered };
}

/** Resolves after `turns` turns of the event loop. */
async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('resultsDraft', () => {
  it('is exactly the results file resultsCsv writes of the created users, however it was rendered ahead', () => {
    const rows = fc.array(
      fc.record({ firstName: cell, lastName: cell, email: cell, department: fc.option(cell, { nil: undefined }) }),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(
        rows,
        fc.constantFrom('password' as const, 'invite' as const),
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 6 }),
        (cells, credential, steps) => {
          const planned = cells.map((c, i) =>
            plannedRow(i + 2, { ...c, attributes: c.department === undefined ? {} : { department: c.department } }),
          );
          const secrets = planned.map((_, i) => `Secret${String(i)}`);
          const draft = resultsDraft(columns, credential, planned, (i) => secrets[i] ?? '');
          for (const count of steps) draft.step(count);
          const expected = resultsCsv(columns, credential, createdOf(planned, secrets, credential));
          expect(draft.text()).toBe(expected);
          expect(draft.text({})).toBe(expected);
          expect(draft.text({ bom: true, delimiter: ',', lineEnding: '\r\n' })).toBe(expected);
        },
      ),
      { numRuns },
    );
  });

  it('says it has no file for other options, and takes each secret once, in file order', () => {
    const asked: number[] = [];
    const rows = [plannedRow(2), plannedRow(3), plannedRow(4)];
    const draft = resultsDraft(columns, 'password', rows, (i) => {
      asked.push(i);
      return `S${String(i)}`;
    });
    expect(draft.step(2)).toBe(true);
    expect(draft.text({ bom: false })).toBeUndefined();
    expect(draft.text({ delimiter: ';' })).toBeUndefined();
    expect(draft.text({ lineEnding: '\n' })).toBeUndefined();
    expect(asked).toEqual([0, 1]);
    expect(draft.text()?.split('\r\n').slice(1, -1)).toEqual(['F2,L2,user2@example.org,S0,', 'F3,L3,user3@example.org,S1,', 'F4,L4,user4@example.org,S2,']);
    expect(draft.step(5)).toBe(false);
    expect(asked).toEqual([0, 1, 2]);
  });
  it('never throws: a secret that cannot be drawn ends the draft, which then has no file to give', () => {
    const rows = [plannedRow(2), plannedRow(3), plannedRow(4)];
    let calls = 0;
    const draft = resultsDraft(columns, 'password', rows, (i) => {
      calls++;
      if (i === 1) throw new Error('no entropy');
      return `S${String(i)}`;
    });
    expect(draft.step(3)).toBe(false);
    expect(draft.step(3)).toBe(false);
    expect(draft.text()).toBeUndefined();
    expect(calls).toBe(2); // nothing is drawn once it has ended
  });
});

describe('renderWhileWaiting', () => {
  it('renders nothing when the store answers within the turn', async () => {
    const { draft, rendered } = countingDraft(5_000);
    // An answer some promise callbacks later, as from a store in memory behind an async function or two.
    let answer: Promise<void> = Promise.resolve();
    for (let i = 0; i < 20; i++) answer = answer.then(() => undefined);
    await renderWhileWaiting(draft, answer, Promise.resolve());
    expect(rendered()).toBe(0);
  });

  it('renders a slice a turn while the store is writing, and stops when it has answered', async () => {
    const { draft, rendered } = countingDraft(100_000);
    let answered = -1;
    const writing = turns(5).then(() => (answered = rendered()));
    await renderWhileWaiting(draft, writing, Promise.resolve());
    expect(answered).toBeGreaterThan(0);
    expect(rendered()).toBe(answered);
    expect(rendered()).toBeLessThan(100_000);
  });

  it('waits for the next batch to be built before rendering anything', async () => {
    const { draft, rendered } = countingDraft(100_000);
    let atBuilt = -1;
    const building = turns(3).then(() => (atBuilt = rendered()));
    await renderWhileWaiting(draft, turns(20), building);
    expect(atBuilt).toBe(0);
    expect(rendered()).toBeGreaterThan(0);
  });

  it('stops when every user is rendered, though the store is still writing', async () => {
    const { draft, rendered } = countingDraft(1_500);
    let writing = true;
    const store = turns(50).then(() => (writing = false));
    await renderWhileWaiting(draft, store, Promise.resolve());
    expect([rendered(), writing]).toEqual([1_500, true]);
    await store;
  });

  it('renders while either promise rejects, without taking their failure', async () => {
    const { draft, rendered } = countingDraft(100_000);
    const failing = turns(5).then(() => Promise.reject(new Error('store failed')));
    failing.catch(() => undefined);
    await expect(renderWhileWaiting(draft, failing, Promise.reject(new Error('hash failed')))).resolves.toBeUndefined();
    expect(rendered()).toBeGreaterThan(0);
  });
});
