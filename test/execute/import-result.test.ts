import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/store/memory.js';
import { isFormulaSafe, restoreFormula } from '../../src/csv-out/formula.js';
import { writeCsv } from '../../src/csv-out/write-csv.js';
import { resultsCsv, type CreatedEntry } from '../../src/execute/import-result.js';
import { importUsers } from '../../src/execute/import-users.js';
import { column } from '../../src/schema/column.js';
import { usersSchema } from '../../src/schema/users.js';
import { cell, numRuns } from '../csv-out/cell-arbitrary.js';

const columns = [
  { key: 'firstName', label: 'First Name', required: true },
  { key: 'lastName', label: 'Last Name', required: true },
  { key: 'email', label: 'Email', required: true },
  { key: 'department', label: 'Department', required: false },
];

const ada: CreatedEntry = {
  row: 2,
  email: 'ada@example.org',
  firstName: 'Ada',
  lastName: 'Lovelace',
  attributes: { department: 'Engines' },
  temporaryPassword: 'Qx7pLm2vRt9sKw4z',
};

describe('resultsCsv', () => {
  it('writes First Name, Last Name, Email, Temporary Password and the optional columns, with a BOM for Excel', () => {
    expect(resultsCsv(columns, 'password', [ada])).toBe(
      '\uFEFFFirst Name,Last Name,Email,Temporary Password,Department\r\nAda,Lovelace,ada@example.org,Qx7pLm2vRt9sKw4z,Engines\r\n',
    );
  });

  it('writes Invite Token in invite mode, and no credential column for a replay', () => {
    const invited: CreatedEntry = { row: 2, email: ada.email, firstName: 'Ada', lastName: 'Lovelace', attributes: ada.attributes, inviteToken: 'tok_abc' };
    expect(resultsCsv(columns, 'invite', [invited], { bom: false })).toBe(
      'First Name,Last Name,Email,Invite Token,Department\r\nAda,Lovelace,ada@example.org,tok_abc,Engines\r\n',
    );
    expect(resultsCsv(columns, null, [ada], { bom: false })).toBe('First Name,Last Name,Email,Department\r\nAda,Lovelace,ada@example.org,Engines\r\n');
  });

  it('neutralises formulas from the file, and reads back to the imported values', async () => {
    const schema = usersSchema.extend({ department: column({ label: 'Department' }) });
    const departments = ['=HYPERLINK("http://evil.example","x")', '+1-555-0100', '@SUM(A1)', 'R&D; =cmd()', '-5'];
    const file = [
      'First Name,Last Name,Email,Department',
      ...departments.map((d, i) => `Zoë,Ñúñez,user${i}@example.org,"${d.replaceAll('"', '""')}"`),
    ].join('\r\n');
    const result = await importUsers(file, { actor: 'admin', authorize: () => true, store: memoryStore(), schema });
    if (!result.imported) throw new Error('not imported');
    const text = result.resultsCsv();
    const records: string[][] = parse(text, { bom: true });
    const [header, ...rows] = records;
    expect(header).toEqual(['First Name', 'Last Name', 'Email', 'Temporary Password', 'Department']);
    for (const row of rows) for (const cell of row) expect(isFormulaSafe(cell)).toBe(true);
    expect(rows.map((r) => restoreFormula(r[4] ?? ''))).toEqual(departments);
    expect(rows.map((r) => [r[0], r[1], r[2], r[3]])).toEqual(
      result.created.map((c) => ['Zoë', 'Ñúñez', c.email, c.temporaryPassword]),
    );
  });

  it('is exactly writeCsv of the header and one row per user, for any cells, columns, credential and options', () => {
    const optional = fc.uniqueArray(fc.constantFrom('department', 'team', 'phone'), { maxLength: 3 });
    const entry = (keys: readonly string[]): fc.Arbitrary<CreatedEntry> =>
      fc.record(
        {
          row: fc.nat(),
          email: cell,
          firstName: cell,
          lastName: cell,
          attributes: fc.dictionary(fc.constantFrom(...keys, 'unused'), cell),
          temporaryPassword: cell,
          inviteToken: cell,
        },
        { requiredKeys: ['row', 'email', 'firstName', 'lastName', 'attributes'] },
      );
    const input = optional.chain((keys) =>
      fc.record({
        columns: fc.constant([
          ...columns.slice(0, 3),
          ...keys.map((key) => ({ key, label: `${key[0]?.toUpperCase() ?? ''}${key.slice(1)}`, required: false })),
        ]),
        created: fc.array(entry(keys), { maxLength: 8 }),
        credential: fc.constantFrom('password' as const, 'invite' as const, null),
        options: fc.record(
          {
            delimiter: fc.constantFrom(',' as const, ';' as const, '\t' as const, '|' as const),
            lineEnding: fc.constantFrom('\r\n' as const, '\n' as const),
            bom: fc.boolean(),
          },
          { requiredKeys: [] },
        ),
      }),
    );
    fc.assert(
      fc.property(input, ({ columns: cols, created, credential, options }) => {
        const optionalColumns = cols.slice(3);
        const header = ['First Name', 'Last Name', 'Email'];
        if (credential !== null) header.push(credential === 'password' ? 'Temporary Password' : 'Invite Token');
        header.push(...optionalColumns.map((c) => c.label));
        const rows = created.map((user) => [
          user.firstName,
          user.lastName,
          user.email,
          ...(credential === null ? [] : [(credential === 'password' ? user.temporaryPassword : user.inviteToken) ?? '']),
          ...optionalColumns.map((c) => user.attributes[c.key] ?? ''),
        ]);
        expect(resultsCsv(cols, credential, created, options)).toBe(writeCsv([header, ...rows], { bom: true, ...options }));
      }),
      { numRuns },
    );
  });
});
