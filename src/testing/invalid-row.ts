import fc from 'fast-check';
import type { IssueCode } from '../report/codes.js';
import type { Column } from '../schema/column.js';
import type { Schema } from '../schema/define-schema.js';
import { usersSchema } from '../schema/users.js';
import { invalidEmailAddress } from './emails.js';
import { personName } from './names.js';
import { columnsOf, isBlankRow, looksLikeExample, resolve, type ExpectedRow, type InvalidCell, type Resolved, type RowOptions } from './row-options.js';
import { fitsCharset } from './text.js';
import { validRow } from './valid-row.js';

const builtIn = usersSchema.columns;

/** Every way the kit knows to make one column's cell invalid, with the code each must produce. */
function invalidCells(key: string, column: Column, r: Resolved): fc.Arbitrary<InvalidCell>[] {
  const ways: fc.Arbitrary<InvalidCell>[] = [];
  const code = (c: IssueCode) => (text: string): InvalidCell => ({ text, code: c });
  if (column.required) ways.push(fc.constantFrom('', '  ', '\u00a0').map(code('required')));
  ways.push(
    fc
      .tuple(fc.integer({ min: 1, max: 8 }), fc.constantFrom('x', 'é', '9', '-'))
      .map(([extra, char]) => ({ text: `a${char.repeat(r.maxCellLength + extra - 1)}`, code: 'too_long' as const })),
  );
  const own = r.overrides[key]?.invalid;
  if (own !== undefined) ways.push(own.filter((cell) => fitsCharset(cell.text, r.charset)));
  if (column === builtIn.firstName || column === builtIn.lastName) {
    const breaks = r.charset === 'unicode' ? ['\n', '\r\n', '\t', '\u0007', '\u2028', '\u0085'] : ['\n', '\r\n', '\t', '\u0007'];
    ways.push(
      fc
        .tuple(personName({ charset: r.charset }), fc.constantFrom(...breaks), fc.constantFrom('x', 'Ann', 'Lee'))
        .map(([name, brk, more]) => ({ text: `${name}${brk}${more}`, code: 'invalid_value' as const })),
    );
    // Text a mail program would show as something else: bidi controls, invisible characters, encoded words, links.
    const disguises = r.charset === 'unicode' ? ['\u202e', '\u2066', '\u200b', '\u00ad', '=?utf-8?b?QmNjOg==?=', 'https://x.example/'] : ['\u00ad', '=?utf-8?b?QmNjOg==?=', 'https://x.example/'];
    ways.push(
      fc
        .tuple(personName({ charset: r.charset }), fc.constantFrom(...disguises))
        .map(([name, disguise]) => ({ text: `${name} ${disguise}x`, code: 'invalid_value' as const })),
    );
    if (r.maxCellLength > 100) {
      ways.push(
        fc
          .integer({ min: 101, max: Math.min(r.maxCellLength, 140) })
          .map((length) => ({ text: 'Anna-Maria '.repeat(13).slice(0, length - 1) + 'a', code: 'too_long' as const })),
      );
    }
  }
  if (column === builtIn.email) {
    ways.push(invalidEmailAddress({ charset: r.charset }).map(code('invalid_email')));
    if (r.maxCellLength > 254) {
      ways.push(
        fc
          .integer({ min: 255, max: Math.min(r.maxCellLength, 270) })
          .map((length) => ({ text: `ada@${'b'.repeat(length - 8)}.com`, code: 'too_long' as const })),
      );
    }
  }
  // Under a small maxCellLength a broken value could be too long before it is anything else.
  return ways.map((way) => way.filter((cell) => cell.code === 'too_long' || cell.text.trim().length <= r.maxCellLength));
}

/**
 * Rows that a schema refuses, each with the exact issues the validator must report on it: one or more
 * cells broken in a way whose code is certain. Any column: text longer than `maxCellLength` (`too_long`).
 * Required columns: blank or only spaces (`required`). The built-in name columns: a line break, tab or
 * control character inside, a bidi control or invisible character, an encoded word or a web address
 * (`invalid_value`), more than 100 characters (`too_long`). The email column:
 * addresses with no @, two @, `mailto:`, a display name, a space, a single-label domain... (`invalid_email`),
 * over 254 bytes (`too_long`). Host columns: whatever their `invalid` arbitrary in `options.columns` gives.
 * The other cells are valid, as in {@link validRow}.
 *
 * @example
 * fc.sample(invalidRow(usersSchema), 1); // e.g. [{ cells: { firstName: 'Zoë', lastName: '', email: 'ann@@example.com' }, issues: [...] }]
 */
export function invalidRow(schema: Schema, options: RowOptions = {}): fc.Arbitrary<ExpectedRow> {
  const r = resolve(options);
  const breakable = columnsOf(schema).map(([key, column]) => ({ key, label: column.label, ways: invalidCells(key, column, r) }));
  return fc
    .tuple(validRow(schema, options), fc.subarray(breakable, { minLength: 1 }).chain((chosen) =>
      fc.tuple(...chosen.map((c) => fc.oneof(...c.ways).map((cell) => ({ key: c.key, label: c.label, cell })))),
    ))
    .map(([valid, broken]) => {
      const cells: Record<string, string> = { ...valid };
      for (const { key, cell } of broken) cells[key] = cell.text;
      const order = new Map(schema.keys.map((key, i) => [key, i]));
      const sorted = [...broken].sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
      return { cells, issues: sorted.map(({ label, cell }) => ({ column: label, code: cell.code })) };
    })
    .filter(({ cells }) => !isBlankRow(cells) && !looksLikeExample(schema, cells));
}

