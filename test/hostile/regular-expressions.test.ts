import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { formatCsvRow } from '../../src/csv-out/format-row.js';
import { neutraliseFormula, restoreFormula } from '../../src/csv-out/formula.js';
import { matchHeader } from '../../src/schema/header-match.js';
import { normaliseHeader } from '../../src/schema/normalise-header.js';
import { usersSchema } from '../../src/schema/users.js';
import { emailSchema, normaliseEmail, plainAddress } from '../../src/validate/email.js';
import { validateAll } from '../laws/helpers.js';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (path.endsWith('.ts')) yield path;
  }
}

/** Every regular expression in src: literals, and `new RegExp(...)` calls, as `file: text`. */
function regularExpressions(): string[] {
  const found: string[] = [];
  for (const path of sourceFiles(src)) {
    const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
    const name = path.slice(src.length);
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) found.push(`${name}: ${node.getText()}`);
      if (ts.isNewExpression(node) && node.expression.getText() === 'RegExp') found.push(`${name}: ${node.getText()}`);
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found.sort();
}

// Every regular expression in src, reviewed for backtracking. Those that read the file an admin uploads
// (header labels, cells, the `sep=` line, email cells) are single character classes, anchored patterns
// without nested or adjacent overlapping quantifiers, or sticky matches at one position: each is linear, and
// the tests below run them on long adversarial strings. The rest read options, generated text or test data.
// A new or changed expression makes this test fail until it is reviewed and added here.
const reviewed = [
  'adapters/mailer/outbox-dir.ts: /[A-Za-z0-9_@+=-]/',
  'adapters/mailer/outbox-dir.ts: /^<(.*)>$/s',
  'adapters/store/postgres-array.ts: /["\\\\]/',
  'adapters/store/postgres-array.ts: /["\\\\]/g',
  'adapters/store/postgres-copy.ts: /[\\\\\\t\\n\\r]/gu',
  'adapters/store/postgres-copy.ts: /[\\\\\\t\\n\\r]/u',
  'adapters/store/postgres-outbox.ts: /^[0-9]{1,18}$/',
  // Node's own parse error text, not file content; linear.
  "cli/args.ts: /'(-[^']*)'/u",
  'cli/args.ts: /^[1-9]\\d*$/u',
  // An operator's --from option, not file content; `\s*(.*?)\s*<` is quadratic on a long run of spaces.
  'cli/mailer-options.ts: /^"(.*)"$/u',
  'cli/mailer-options.ts: /^[^<>\\s@]+@[^<>\\s@]+$/u',
  'cli/mailer-options.ts: /^\\[(.*)\\]$/u',
  'cli/mailer-options.ts: /^\\s*(.*?)\\s*<([^<>\\s]+@[^<>\\s]+)>\\s*$/u',
  'cli/open-store.ts: /^postgres(ql)?:\\/\\//iu',
  'cli/send-intro-command.ts: /[\\u0000-\\u001f\\u007f-\\u009f\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2069\\ufeff]/gu',
  'cli/users-command.ts: /[\\u0000-\\u001f\\u007f-\\u009f\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2069\\ufeff]/gu',
  'csv-out/format-row.ts: /[",;\\t|\\r\\n]|^\\s|\\s$/',
  // The writer's plain-cell test: a class anchored at the start, a class anywhere, a class anchored at the end.
  "csv-out/format-row.ts: /^['\\s=+\\-@\\uFF1D\\uFF0B\\uFF0D\\uFF20]|[\",;\\t|\\r\\n]|\\s$/",
  'csv-out/formula.ts: /\\s/',
  "csv-out/formula.ts: new RegExp(`\\\\s*${trigger}`, 'y')",
  // At the start or right after a separator, one or two characters of fixed classes: three at most.
  "csv-out/formula.ts: new RegExp(`(?:^|[${separatorChars.join('')}])(?:['${triggerClass}]|\\\\s[\\\\s${triggerClass}])`)",
  'notify/escape-html.ts: /[&<>"\']/g',
  'notify/message-id.ts: /[A-Za-z0-9_-]/',
  'notify/message-id.ts: /[\\s/\\\\:@?#%[\\]]/',
  'notify/message-id.ts: /^[a-z0-9-]+(\\.[a-z0-9-]+)*$/',
  'notify/send-introductions.ts: /[A-Za-z0-9_-]{16,}/g',
  'notify/send-introductions.ts: /\\s+/g',
  'report/render-text.ts: /[\\p{Cc}\\p{Bidi_Control}]/gu',
  'report/render-text.ts: /\\r\\n|[\\r\\n\\t]/g',
  'report/render-text.ts: /^[\\p{Cc}\\p{Mn}\\p{Me}\\p{Cf}]*$/u',
  'report/render-text.ts: /^\\p{Emoji_Presentation}/u',
  'report/render-text.ts: /^[\\x20-\\x7e]*$/',
  'schema/define-schema.ts: /[\\u0000-\\u001f\\u007f]/u',
  'schema/normalise-header.ts: /[\\s_.\\-*\\u00a0\\u200b\\ufeff]+/gu',
  'template/content-disposition.ts: /["\\\\%]/gu',
  "template/content-disposition.ts: /['()*]/gu",
  'template/content-disposition.ts: /[\\p{Cc}\\p{Cs}]/u',
  'template/content-disposition.ts: /\\p{M}/gu',
  'template/content-disposition.ts: /^[\\x20-\\x7e]*$/u',
  'template/generate-template.ts: /\\p{Cs}/u',
  'testing/emails.ts: /\\..*$/u',
  'testing/excel-file.ts: / /gu',
  'testing/excel-file.ts: /[^\\p{ASCII}]/u',
  'testing/excel-row.ts: /[,;\\t|]/u',
  'testing/file-rows.ts: /[a-z]+/gu',
  'testing/mailer-conformance.ts: /\\n+$/',
  'testing/mailer-conformance.ts: /\\n/g',
  'testing/mailer-conformance.ts: /\\r\\n/g',
  'testing/text.ts: /\\p{Cs}/u',
  "validate/email-hidden.ts: new RegExp(HIDDEN.source, 'gu')",
  // Single character classes, and one literal, on a domain of at most 254 bytes.
  'validate/email-domain.ts: /[^\\p{ASCII}]/u',
  'validate/email-domain.ts: /\\p{Script=Cyrillic}/u',
  'validate/email-domain.ts: /\\p{Script=Greek}/u',
  'validate/email-domain.ts: /\\p{Script=Latin}/u',
  'validate/email-domain.ts: /^\\p{M}/u',
  'validate/email-domain.ts: /^\\p{M}/u',
  'validate/email-hidden.ts: /[\\p{Cc}\\p{Cf}\\p{Cs}\\p{Default_Ignorable_Code_Point}]/u',
  'validate/email-hidden.ts: /\\p{Cc}/u',
  'validate/email-syntax.ts: /^[\\p{L}\\p{M}\\p{N}]$/u',
  'validate/email.ts: /xn--/iu',
  'validate/header-row.ts: /^sep=([,;\\t|])$/iu',
  'validate/key-encoder.ts: /\\p{Cs}/u',
  'validate/messages.ts: /[\\u0000-\\u001f\\u007f-\\u009f\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2069\\ufeff]/gu',
  'validate/name-text.ts: /[\\p{L}\\p{M}\\p{N}\\p{S}]/u',
  'validate/name-text.ts: /[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\p{Cf}]/gu',
  'validate/name-text.ts: /[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]/u',
  'validate/name-text.ts: /\\p{Script=Mongolian}/u',
  // Workbook number formats, cell text and error values, ODS date values and the XML parser's error text: single
  // classes, bounded or anchored runs, and delimited runs that no two matches share; each is linear.
  'input/workbook/cell-text.ts: /"[^"]*"/gu',
  'input/workbook/cell-text.ts: /[dy]/u',
  'input/workbook/cell-text.ts: /[hs]/u',
  'input/workbook/cell-text.ts: /[hs]/u',
  'input/workbook/cell-text.ts: /\\[(h+|m+|s+)\\]/giu',
  'input/workbook/cell-text.ts: /\\[[^\\]]*\\]/gu',
  'input/workbook/cell-text.ts: /\\\\./gu',
  'input/workbook/cell-text.ts: /_.|\\*./gu',
  'input/workbook/cell-text.ts: /_x([0-9A-Fa-f]{4})_/gu',
  'input/workbook/ods-content.ts: /T00:00:00(?:\\.0*)?$/u',
  'input/workbook/ods-content.ts: /^(?:#N\\/A|#DIV\\/0!|#VALUE!|#REF!|#NAME\\?|#NUM!|#NULL!|Err:\\d{3})$/u',
  'input/workbook/workbook-reader.ts: /<(?:\\w+:)?(?:v|is)>/u',
  'input/workbook/xlsx-sheet.ts: /T00:00(?::00(?:\\.0*)?)?Z?$/u',
  'input/workbook/xml.ts: /^.*?:\\d+:\\d+: /u',
  // The .xlsx template writer's escapes, of text rollcall writes itself.
  'template/xlsx-writer.ts: /"/gu',
  'template/xlsx-writer.ts: /&/gu',
  'template/xlsx-writer.ts: /</gu',
  'template/xlsx-writer.ts: />/gu',
  'template/xlsx-writer.ts: /[\\\\/?*[\\]:]/gu',
  'template/xlsx-writer.ts: /[\\u0000-\\u0008\\u000b-\\u001f\\ufffe\\uffff]/gu',
  'template/xlsx-writer.ts: /_(?=x[0-9A-Fa-f]{4}_)/gu',
  // The --wait option's number.
  'cli/open-store.ts: /^\\d+(\\.\\d+)?$/u',
].sort();

describe('every regular expression in src was reviewed for backtracking', () => {
  it('the list of them is the reviewed one', () => {
    expect(regularExpressions()).toEqual(reviewed);
  });
});

const N = 100_000;
const email = emailSchema();
const refusal = (text: string): unknown => {
  const result = normaliseEmail(text);
  return result.ok ? result : { problem: result.problem, limit: result.limit };
};

describe('the email rule on long adversarial strings', () => {
  it('refuses what is too long by its length, before any other check', () => {
    expect(refusal(`${'a'.repeat(N)}!`)).toEqual({ problem: 'too_long', limit: 254 });
    expect(refusal(`a@${'a'.repeat(N)}`)).toEqual({ problem: 'too_long', limit: 254 });
    expect(refusal('@'.repeat(N))).toEqual({ problem: 'too_long', limit: 254 });
    expect(refusal(`a@${'-'.repeat(N)}.com`)).toEqual({ problem: 'too_long', limit: 254 });
    expect(refusal(`${'a'.repeat(N)}@example.com`)).toEqual({ problem: 'local_part_too_long', limit: 64 });
    expect(refusal(`a${'.'.repeat(N)}@example.com`)).toEqual({ problem: 'local_part_too_long', limit: 64 });
    expect(refusal(`${'"'.repeat(N)}@example.com`)).toEqual({ problem: 'local_part_too_long', limit: 64 });
    expect(refusal(`${'<'.repeat(N)}a@b.co${'>'.repeat(N)}`)).toEqual({ problem: 'local_part_too_long', limit: 64 });
    expect(refusal(`${'a\u200b'.repeat(N)}@example.com`)).toEqual({ problem: 'invisible_character', limit: undefined });
  });

  it('trims any run of spaces around an address', () => {
    expect(normaliseEmail(`${' \u00a0\t'.repeat(N)}Ann@Example.COM${'\u3000 '.repeat(N)}`)).toEqual({ ok: true, email: 'Ann@example.com', key: 'ann@example.com' });
  });

  it('names the fault in short adversarial addresses: quotes, dots, hyphens, @ signs, angle brackets', () => {
    expect(refusal(`${'"'.repeat(60)}@example.com`)).toEqual({ problem: 'invalid_local_part', limit: undefined });
    expect(refusal(`${'a..'.repeat(20)}@example.com`)).toEqual({ problem: 'invalid_local_part', limit: undefined });
    expect(refusal(`ann@${'a-'.repeat(40)}b.com`)).toEqual({ problem: 'invalid_domain', limit: undefined });
    expect(refusal(`ann@${'a-.'.repeat(40)}com`)).toEqual({ problem: 'invalid_domain', limit: undefined });
    expect(refusal('@'.repeat(200))).toEqual({ problem: 'several_at', limit: undefined });
    expect(refusal('<<"a@b.co">>')).toEqual({ problem: 'invalid_local_part', limit: undefined });
    expect(refusal(`"${'\\"'.repeat(20)}"@example.com`)).toEqual({ problem: 'invalid_local_part', limit: undefined });
  });

  it('the zod schema and its plain fast path agree on them', () => {
    for (const text of [`${'a'.repeat(N)}!`, `a@${'a'.repeat(N)}`, `${'a'.repeat(N)}@example.com`, '@'.repeat(200)]) {
      expect(plainAddress(text)).toBeUndefined();
      const parsed = email.safeParse(text);
      expect(parsed.success).toBe(false);
    }
    expect(email.safeParse(`${' '.repeat(N)}a@b.co`)).toEqual({ success: true, data: 'a@b.co' });
  });

  it('a file whose email cells are adversarial gives each its issue', async () => {
    const cells = [`${'a'.repeat(5000)}!`, `"${'""'.repeat(500)}"`, `a@${'-.'.repeat(100)}com`, '@'.repeat(300)];
    const text = `First Name,Last Name,Email\r\n${cells.map((cell, i) => `Ada,Byron${i},"${cell.replaceAll('"', '""')}"`).join('\r\n')}\r\n`;
    const { summary } = await validateAll(text, { schema: usersSchema, maxCellLength: 10_000 });
    expect(summary.errors.map((e) => [e.row, e.code])).toEqual([
      [2, 'too_long'],
      [3, 'too_long'],
      [4, 'invalid_email'],
      [5, 'too_long'],
    ]);
  });
});

describe('the header rules on long adversarial strings', () => {
  it('normaliseHeader removes any run of spaces, dashes, dots, underscores and stars', () => {
    expect(normaliseHeader(`${' -_.*\u00a0\u200b\ufeff'.repeat(N)}E-Mail *`)).toBe('email');
    expect(normaliseHeader(`${'-'.repeat(N)}x${'-'.repeat(N)}!`)).toBe('x!');
  });

  it('matchHeader finds the columns among 100,000 labels, and takes a label of 100,000 characters as unknown', () => {
    const labels = Array.from({ length: N }, (_, i) => (i === 7 ? ' e-mail ' : i === 50_000 ? 'FIRST_NAME' : i === 99_999 ? 'last.name*' : `x${i}`));
    const mapping = matchHeader(usersSchema, labels);
    expect(mapping.columns.map((c) => [c.key, c.index])).toEqual([
      ['email', 7],
      ['firstName', 50_000],
      ['lastName', 99_999],
    ]);
    expect(matchHeader(usersSchema, ['Email', 'First Name', 'Last Name', 'a'.repeat(N)]).unknown).toEqual([{ header: 'a'.repeat(N), index: 3 }]);
  });

  it('a first line like sep= that is 100,000 characters long is a header row, not a delimiter line', async () => {
    const { summary } = await validateAll(`sep=${';'.repeat(N)}\r\nFirst Name;Last Name;Email\r\nAda;Byron;ada@example.com\r\n`, { schema: usersSchema });
    expect(summary.file.delimiter).toBe(';');
    expect(summary.errors.map((e) => e.code)).toEqual(['missing_column', 'missing_column', 'missing_column']);
  });
});

describe('the formula guards on long adversarial strings', () => {
  // A run of tabs or line breaks, each of which starts a segment, once cost time quadratic in its length
  // (`\s*` read the whole run again from each one); the guards now mark every index in one pass.
  it('neutralise and restore runs of triggers, separators and apostrophes', () => {
    const n = 100_000;
    const cells = [`${'\t'.repeat(n)}x`, `${'\n'.repeat(n)}x`, `${";'".repeat(n)}=1`, `${"'".repeat(n)}=1`, `${'; '.repeat(n)}@x`];
    for (const cell of cells) expect(restoreFormula(neutraliseFormula(cell))).toBe(cell);
    expect(neutraliseFormula(`${"'".repeat(n)}=1`)).toBe(`'${"'".repeat(n)}=1`);
  });

  it('the writer tells plain cells from the rest in long runs of whitespace, apostrophes and triggers', () => {
    const n = 100_000;
    const plain = [`x${' '.repeat(n)}x`, `x${'\u3000'.repeat(n)}x`, `x${"'".repeat(n)}`, `x${'=-+@'.repeat(n)}`];
    expect(formatCsvRow(plain)).toBe(plain.join(','));
    expect(formatCsvRow([`x${' '.repeat(n)}`, `${"'".repeat(n)}=`])).toBe(`"x${' '.repeat(n)}","'${"'".repeat(n)}="`);
  });
});
