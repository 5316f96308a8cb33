// Formula injection, end to end: hostile text goes in through every door (labels, examples, headers, names,
// emails, optional columns), and every CSV rollcall writes comes out with no cell a spreadsheet would run,
// in any locale, while the writer's own reading gives the text back exactly.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/store/memory.js';
import type { CsvWriteOptions } from '../../src/csv-out/csv-options.js';
import { restoreFormula } from '../../src/csv-out/formula.js';
import { importUsers } from '../../src/execute/import-users.js';
import { csvReportHeader, renderCsvReport } from '../../src/report/render-csv.js';
import { RollcallError } from '../../src/rollcall-error.js';
import { column } from '../../src/schema/column.js';
import { defineSchema } from '../../src/schema/define-schema.js';
import { usersSchema } from '../../src/schema/users.js';
import { generateTemplate } from '../../src/template/generate-template.js';
import { validateFile } from '../../src/validate/validate-rows.js';
import { run } from '../cli/run-cli.js';
import {
  expectNoFormulaInAnyLocale,
  hostileCell,
  hostileEmail,
  hostileName,
  numRuns,
  rawCsv,
  readStrictly,
  triggers,
} from './csv-readers.js';

const delimiter = fc.constantFrom(',' as const, ';' as const, '\t' as const, '|' as const);
const admin = { actor: 'admin', authorize: () => true };
const schemaWithExtras = usersSchema.extend({
  department: column({ label: 'Department' }),
  note: column({ label: 'Note' }),
});

describe('the template', () => {
  it('with hostile labels and example values: no cell starts like a formula in any locale, and each reads back exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(hostileName, hostileCell), { minLength: 1, maxLength: 4 }), delimiter, fc.boolean(), (columns, d, bom) => {
        let schema;
        try {
          schema = defineSchema(
            Object.fromEntries(columns.map(([label, example], i) => [`c${String(i)}`, column({ label: `${label} #${String(i)}`, example })])),
          );
        } catch (error) {
          // A label defineSchema refuses never reaches a template; the property is about those it accepts.
          if (error instanceof RollcallError) return;
          throw error;
        }
        const template = generateTemplate(schema, { exampleRow: true, delimiter: d, bom });
        expectNoFormulaInAnyLocale(template.text, 'the template', d);
        const [labels, examples] = readStrictly(template.text, d);
        expect(labels?.map(restoreFormula)).toEqual(columns.map(([label], i) => `${label} #${String(i)}`));
        // A row of blank examples is left out: it would read back as a blank line.
        const written = columns.some(([, example]) => example.trim() !== '') ? columns.map(([, example]) => example) : undefined;
        expect(examples?.map(restoreFormula)).toEqual(written);
      }),
      { numRuns },
    );
  });

  it('the command line template, in every delimiter it writes, starts no cell like a formula', async () => {
    for (const d of [',', ';', '|', 'tab']) {
      const { code, stdout } = await run(['template', '--example', '--delimiter', d]);
      expect(code).toBe(0);
      expectNoFormulaInAnyLocale(stdout, `rollcall template --delimiter ${d}`, d === 'tab' ? '\t' : d);
    }
  });
});

describe('the error report', () => {
  it('with hostile headers, values and messages quoting them: no cell starts like a formula, and every issue field reads back exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileCell,
        fc.array(fc.tuple(hostileCell, hostileCell, fc.oneof(hostileCell, hostileEmail), hostileCell), { minLength: 1, maxLength: 5 }),
        delimiter,
        async (extraHeader, rows, d) => {
          // The rows repeat so that the duplicate check quotes hostile emails too.
          const file = rawCsv([['First Name', 'Last Name', 'Email', 'Department', extraHeader], ...rows.map((r) => [...r, 'x']), ...rows.map((r) => [...r, 'x'])]);
          const summary = await validateFile(file, { schema: schemaWithExtras });
          const report = renderCsvReport(summary, { delimiter: d, bom: true });
          expectNoFormulaInAnyLocale(report, 'the error report', d);
          const [header, ...lines] = readStrictly(report, d);
          expect(header).toEqual([...csvReportHeader]);
          const issues = [...summary.errors, ...summary.warnings];
          expect(lines.map((line) => line.map(restoreFormula))).toEqual(
            issues.map((i) => [i.row === null ? '' : String(i.row), i.column ?? '', i.code, i.message, i.value ?? '']),
          );
        },
      ),
      { numRuns },
    );
  });

  it('names a hostile unknown header in the Column or Problem cell, neutralised', async () => {
    const summary = await validateFile(rawCsv([['First Name', 'Last Name', 'Email', '=HYPERLINK("http://evil.example")'], ['Ada', 'Lovelace', 'ada@example.org', '']]));
    const report = renderCsvReport(summary);
    expect(summary.warnings.map((w) => w.code)).toContain('unknown_column');
    expect(report).toContain(`'=HYPERLINK(""http://evil.example"")`);
    expectNoFormulaInAnyLocale(report, 'the error report');
  });
});

describe('the results file', () => {
  it('with hostile names, emails and optional columns: no cell starts like a formula, and every created user reads back exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(hostileName, hostileName, hostileEmail, hostileCell, hostileName), {
          minLength: 1,
          maxLength: 6,
          selector: ([, , email]) => email.toLowerCase(),
        }),
        fc.constantFrom<CsvWriteOptions>({}, { delimiter: ';' }, { delimiter: '\t', bom: false }),
        fc.constantFrom('password' as const, 'invite' as const),
        async (rows, options, credential) => {
          const file = rawCsv([['First Name', 'Last Name', 'Email', 'Department', 'Note'], ...rows]);
          const result = await importUsers(file, { ...admin, store: memoryStore(), schema: schemaWithExtras, mode: 'valid-rows-only', credential });
          if (!result.imported || result.replayed) throw new Error(`not imported: ${JSON.stringify(result)}`);
          expect(result.created.length).toBeGreaterThan(0);
          const text = result.resultsCsv(options);
          expectNoFormulaInAnyLocale(text, 'the results file', options.delimiter);
          const [, ...lines] = readStrictly(text, options.delimiter ?? ',');
          expect(lines.map((line) => line.map(restoreFormula))).toEqual(
            result.created.map((c) => [
              c.firstName,
              c.lastName,
              c.email,
              (credential === 'password' ? c.temporaryPassword : c.inviteToken) ?? '',
              c.attributes.department ?? '',
              c.attributes.note ?? '',
            ]),
          );
          // A failed import's report is the other file the admin opens: it is checked too.
          expectNoFormulaInAnyLocale(renderCsvReport(result.summary), 'the error report of the same import');
        },
      ),
      { numRuns: Math.max(20, Math.floor(numRuns / 4)) },
    );
  });

  it('created users keep every trigger character as typed (the apostrophe is only in the file)', async () => {
    const names = triggers.filter((t) => !/[\t\r\n]/u.test(t)).map((t) => `${t}cmd()`);
    const rows = names.map((name, i) => [name, `Doe;${name}`, `${i % 2 === 0 ? '+' : '-'}user${String(i)}@example.org`]);
    const result = await importUsers(rawCsv([['First Name', 'Last Name', 'Email'], ...rows]), { ...admin, store: memoryStore() });
    if (!result.imported || result.replayed) throw new Error('not imported');
    expect(result.created.map((c) => [c.firstName, c.lastName, c.email])).toEqual(rows);
    const text = result.resultsCsv();
    expect(text).toContain(`"'=cmd()","Doe;'=cmd()","'+user0@example.org",`);
    expectNoFormulaInAnyLocale(text, 'the results file');
  });

  it('the command line results file, with hostile names and emails, starts no cell like a formula', async () => {
    const work = await mkdtemp(join(tmpdir(), 'rollcall-security-'));
    try {
      const rows = [
        ['=cmd|\' /C calc\'!A0', 'Doe;=1+1', '=evil@example.org'],
        ['\uFF1DSUM(A1)', '  @SUM(1)', '+1@example.org'],
        ['Ann', '-2+3', '-x@example.org'],
      ];
      await writeFile(join(work, 'users.csv'), rawCsv([['First Name', 'Last Name', 'Email'], ...rows]));
      const { code } = await run(['import', 'users.csv', '--db', join(work, 'db'), '--results', 'results.csv'], { cwd: work });
      expect(code).toBe(0);
      const text = await readFile(join(work, 'results.csv'), 'utf8');
      expectNoFormulaInAnyLocale(text, 'rollcall import --results');
      expect(readStrictly(text, ',').slice(1).map((line) => line.slice(0, 3).map(restoreFormula))).toEqual(rows.map(([f, l, e]) => [f, (l ?? '').trim(), e]));
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('the locale readers these tests rely on', () => {
  it('catch formulas a writer without neutralising would let through, in each way of reading', () => {
    // Each file hides a formula from all but one of the readers' views.
    const files: readonly [string, string][] = [
      ['=1+1\r\n', 'a plain cell'],
      ['"a;=1+1",b\r\n', 'a cell split on ;'],
      ['"a\t@SUM(1)",b\r\n', 'a cell split on TAB'],
      ['"x\r\n -2+3"\r\n', 'a cell split on its line break'],
      ['"x","\uFF1D1"\r\n', 'a full-width trigger'],
      ['"open,=cmd()\r\n', 'an unclosed quote'],
      ['"\tx",b\r\n', 'a TAB starting a cell read with its own delimiter'],
    ];
    for (const [text, what] of files) expect(() => { expectNoFormulaInAnyLocale(text, what); }, what).toThrow();
    expect(() => { expectNoFormulaInAnyLocale('\t"x"\r\n', 'TAB-separated', '\t'); }).not.toThrow();
  });
});
