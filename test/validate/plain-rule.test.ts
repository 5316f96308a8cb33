import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { column } from '../../src/schema/column.js';
import { defineSchema, type Schema } from '../../src/schema/define-schema.js';
import { nameSchema } from '../../src/schema/name.js';
import { usersSchema } from '../../src/schema/users.js';
import { emailSchema, normaliseEmail, plainAddress } from '../../src/validate/email.js';
import type { RowResult } from '../../src/validate/file-validator.js';
import { plainRuleOf, withPlainRule, type RuleFailure } from '../../src/validate/plain-rule.js';
import { validateRows } from '../../src/validate/validate-rows.js';
import { rollcallParams } from '../../src/validate/zod-params.js';

// Characters where the email and name rules draw their lines: atext symbols, dots, @, spaces of several
// kinds, quotes and brackets, letters outside ASCII, invisible and control characters, capitals.
const edgeChars = [
  ...Array.from('aZz09.-_+@@..!#$%&\'*/=?^`{|}~ \t"<>:;,[]()\\'),
  '\u00a0', '\u3000', 'é', 'E\u0301', 'İ', 'ß', '\u200b', '\u00ad', '\n', '\r', '\u0000', '\u007f', '\u0085', '\uFFFD',
  '\uD800', 'x', 'example', 'com', '.com', '@example.com', 'mailto:', 'A'.repeat(30), 'b'.repeat(63), '-',
];
const cellText = fc.oneof(
  fc.string({ unit: fc.constantFrom(...edgeChars), maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .tuple(
      fc.string({ unit: fc.constantFrom(...Array.from('abcXYZ019.-_+\'')), minLength: 1, maxLength: 70 }),
      fc.array(fc.string({ unit: fc.constantFrom(...Array.from('abcXYZ019-')), minLength: 0, maxLength: 66 }), { minLength: 1, maxLength: 4 }),
    )
    .map(([local, labels]) => `${local}@${labels.join('.')}`),
);

/** What the validator makes of `safeParse`: the value, or the rollcall params of the first issue. */
function viaZod(schema: z.ZodType<unknown, string>, cell: string): unknown {
  const parsed = schema.safeParse(cell);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return issue === undefined ? undefined : rollcallParams(issue);
}

describe('plainRuleOf', () => {
  it('finds the rules of the built-in cell schemas and of a bare z.string()', () => {
    expect(plainRuleOf(nameSchema(100))).toBeTypeOf('function');
    expect(plainRuleOf(emailSchema())).toBeTypeOf('function');
    expect(plainRuleOf(z.string())?.(' as typed ')).toBe(' as typed ');
    expect(plainRuleOf(column({ label: 'Department' }).schema)).toBeTypeOf('function');
  });

  it('leaves every schema that checks, formats, coerces or wraps to zod', () => {
    const zodOnly = [
      z.string().min(2),
      z.string().trim(),
      z.string().regex(/^E\d+$/u),
      z.string().check(() => undefined),
      z.email(),
      z.uuid(),
      z.coerce.string(),
      z.string().optional(),
      z.string().transform((s) => s.toUpperCase()),
      nameSchema(100).refine(() => false),
      emailSchema().pipe(z.string()),
      z.enum(['a', 'b']),
    ] as z.ZodType<unknown, string>[];
    for (const schema of zodOnly) expect(plainRuleOf(schema)).toBeUndefined();
  });

  it('returns the schema it registers a rule for', () => {
    const schema = z.string().min(1);
    const rule = (cell: string): string | RuleFailure => cell;
    expect(withPlainRule(schema, rule)).toBe(schema);
    expect(plainRuleOf(schema)).toBe(rule);
  });
});

describe('law: a plain rule gives what safeParse gives', () => {
  const schemas: [string, z.ZodType<unknown, string>][] = [
    ['nameSchema(100)', nameSchema(100)],
    ['nameSchema(5)', nameSchema(5)],
    ['emailSchema()', emailSchema()],
    ['emailSchema({ unicodeLocalPart: true })', emailSchema({ unicodeLocalPart: true })],
    ['z.string()', z.string()],
  ];
  for (const [name, schema] of schemas) {
    it(`for ${name}, on any cell text`, () => {
      const rule = plainRuleOf(schema);
      if (rule === undefined) throw new Error(`${name} has no plain rule`);
      fc.assert(
        fc.property(cellText, (cell) => {
          expect(rule(cell)).toEqual(viaZod(schema, cell));
        }),
        { numRuns: 1000 },
      );
    });
  }
});

describe('plainAddress', () => {
  it('gives the stored form of a plain address: the local part as typed, the domain lowercased', () => {
    expect(plainAddress('Bob.Smith+tag@Example.CO.uk')).toBe('Bob.Smith+tag@example.co.uk');
    expect(plainAddress('ann@example.com')).toBe('ann@example.com');
  });

  it('leaves to normaliseEmail anything to trim, outside ASCII, or refused', () => {
    for (const raw of [' ann@example.com', 'ann@example.com\u00a0', 'zoë@example.com', 'ann@bücher.de', 'ann@localhost',
      'ann@example.123', 'ann..b@example.com', '.ann@example.com', 'ann.@example.com', 'ann@-example.com', 'a@b@c.com',
      'ann@example..com', 'ann@example.com.', '"ann"@example.com', 'mailto:ann@example.com', '']) {
      expect(plainAddress(raw)).toBeUndefined();
    }
  });

  it('accepts only what normaliseEmail accepts, with the same stored form', () => {
    fc.assert(
      fc.property(cellText, fc.boolean(), (raw, unicodeLocalPart) => {
        const plain = plainAddress(raw);
        if (plain === undefined) return;
        expect(normaliseEmail(raw, { unicodeLocalPart })).toMatchObject({ ok: true, email: plain });
      }),
      { numRuns: 5000 },
    );
  });

  it('respects the length limits exactly: 64 before the @, 254 in all, 63 per label', () => {
    const label = 'd'.repeat(63);
    expect(plainAddress(`${'a'.repeat(64)}@example.com`)).toBeDefined();
    expect(plainAddress(`${'a'.repeat(65)}@example.com`)).toBeUndefined();
    expect(plainAddress(`a@${label}.com`)).toBeDefined();
    expect(plainAddress(`a@${label}d.com`)).toBeUndefined();
    const at254 = `${'a'.repeat(60)}@${[label, label, label].join('.')}.${'c'.repeat(254 - 60 - 1 - 3 * 64)}`;
    expect(at254).toHaveLength(254);
    expect(plainAddress(at254)).toBe(at254);
    expect(plainAddress(`${at254}c`)).toBeUndefined();
  });
});

describe('law: rows are the same whether cells are checked plainly or through zod', () => {
  // `.pipe(z.string())` changes no value and no issue, but is a new schema with no plain rule.
  const throughZod = (schema: Schema): Schema =>
    defineSchema(
      Object.fromEntries(
        schema.keys.map((key) => {
          const col = schema.columns[key]!;
          return [key, { ...col, schema: col.schema.pipe(z.string()) }];
        }),
      ),
    );
  const schema = usersSchema.extend({ department: column({ label: 'Department' }) });
  const quote = (cell: string): string => `"${cell.replaceAll('"', '""')}"`;

  async function rowsOf(text: string, s: Schema): Promise<{ rows: RowResult[]; summary: unknown }> {
    const stream = validateRows(text, { schema: s, maxIssues: 10_000 });
    const rows: RowResult[] = [];
    for await (const row of stream) rows.push(row);
    return { rows, summary: await stream.summary() };
  }

  it('for files of any names and addresses', async () => {
    const row = fc.tuple(cellText, cellText, cellText, cellText).map((cells) => cells.map(quote).join(','));
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 20 }), async (rows) => {
        const text = `First Name,Last Name,Email,Department\r\n${rows.join('\r\n')}\r\n`;
        expect(await rowsOf(text, schema)).toEqual(await rowsOf(text, throughZod(schema)));
      }),
      { numRuns: 300 },
    );
  });
});
