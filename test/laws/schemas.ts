import fc from 'fast-check';
import { z } from 'zod';
import { column, type Column } from '../../src/schema/column.js';
import { defineSchema, type Schema } from '../../src/schema/define-schema.js';
import { normaliseHeader } from '../../src/schema/normalise-header.js';
import { usersSchema } from '../../src/schema/users.js';
import { emailAddress, invalidEmailAddress } from '../../src/testing/emails.js';
import type { ColumnArbitraries } from '../../src/testing/row-options.js';
import { emailSchema } from '../../src/validate/email.js';

/** A schema and the kit arbitraries for the rules of its host columns. */
export interface GeneratedSchema {
  readonly schema: Schema;
  readonly columns: Readonly<Record<string, ColumnArbitraries>>;
}

/** Labels as hosts write them, and any Unicode at all. */
const label = fc.oneof(
  fc.constantFrom('Department', 'Employee ID', 'Téléphone', '部署', 'Phone, mobile', '"Nick" name', 'Notes\nmore', 'Cost centre; code', '-Notes', '@Handle', '+Phone', '=Total', 'ID', 'Ünïcödé Label'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 16 }),
);

interface Kind {
  readonly make: (labelText: string, example: string | undefined, unique: boolean) => Column;
  readonly example: fc.Arbitrary<string | undefined>;
  readonly arbitraries: ColumnArbitraries;
}

const pattern = /^[A-Z]{2}-\d{4}$/;
const kinds: readonly Kind[] = [
  {
    make: (l, example, unique) => column({ label: l, ...(example === undefined ? {} : { example }), unique }),
    example: fc.option(fc.string({ minLength: 1, maxLength: 10 }).map((s) => s.trim()).filter((s) => s !== ''), { nil: undefined }),
    arbitraries: {},
  },
  {
    make: (l, example, unique) => column({ label: l, schema: z.string().max(12), ...(example === undefined ? {} : { example }), unique }),
    example: fc.constantFrom(undefined, 'short'),
    arbitraries: { invalid: fc.integer({ min: 13, max: 40 }).map((n) => ({ text: 'y'.repeat(n), code: 'too_long' as const })) },
  },
  {
    make: (l, example, unique) => column({ label: l, schema: z.string().regex(pattern, 'use two capitals, a hyphen and four digits'), ...(example === undefined ? {} : { example }), unique }),
    example: fc.constant('AB-1234'),
    arbitraries: {
      valid: fc.stringMatching(pattern),
      invalid: fc.constantFrom('ab-1234', 'AB1234', 'AB-12345', 'A-1').map((text) => ({ text, code: 'invalid_value' as const })),
    },
  },
  {
    make: (l, example) => column({ label: l, schema: z.enum(['Finance', 'Sales', 'Support']), ...(example === undefined ? {} : { example }) }),
    example: fc.constantFrom(undefined, 'Sales'),
    arbitraries: {
      valid: fc.constantFrom('Finance', 'Sales', 'Support'),
      invalid: fc.constantFrom('finance', 'HR').map((text) => ({ text, code: 'invalid_value' as const })),
    },
  },
  {
    make: (l, example, unique) => column({ label: l, schema: z.string().transform((s) => s.toUpperCase()), ...(example === undefined ? {} : { example }), unique }),
    example: fc.constantFrom(undefined, 'lower'),
    arbitraries: {},
  },
  {
    make: (l, example, unique) => column({ label: l, schema: emailSchema(), ...(example === undefined ? {} : { example }), unique }),
    example: fc.constantFrom(undefined, 'manager@example.com'),
    arbitraries: { valid: emailAddress(), invalid: invalidEmailAddress().map((text) => ({ text, code: 'invalid_email' as const })) },
  },
];

const taken = new Set(
  Object.values(usersSchema.columns).flatMap((c) => [c.label, ...c.aliases].map(normaliseHeader)),
);

/**
 * The users schema extended with up to four optional host columns: any label defineSchema accepts (labels
 * that would match another column, or normalise to nothing, are dropped), with or without an example, some
 * unique, with rules of several kinds.
 */
export const generatedSchema: fc.Arbitrary<GeneratedSchema> = fc
  .array(
    fc.integer({ min: 0, max: kinds.length - 1 }).chain((k) =>
      fc.record({ kind: fc.constant(k), label, example: kinds[k]!.example, unique: fc.boolean() }),
    ),
    { maxLength: 4 },
  )
  .map((specs) => {
    const seen = new Set(taken);
    const columns: Record<string, Column> = {};
    const arbitraries: Record<string, ColumnArbitraries> = {};
    specs.forEach((spec, i) => {
      const normal = normaliseHeader(spec.label);
      // defineSchema refuses a label with a control character (see test/schema/define-schema.test.ts).
      // eslint-disable-next-line no-control-regex
      if (normal === '' || seen.has(normal) || /[\u0000-\u001f\u007f]/u.test(spec.label)) return;
      seen.add(normal);
      const kind = kinds[spec.kind]!;
      columns[`host${i}`] = kind.make(spec.label, spec.example, spec.unique);
      arbitraries[`host${i}`] = kind.arbitraries;
    });
    const schema = usersSchema.extend(columns);
    // Counterexamples show the host columns, not the whole schema object.
    const shown = Object.entries(columns).map(([key, c]) => `${key}: ${JSON.stringify(c.label)}${c.example === undefined ? '' : ` e.g. ${JSON.stringify(c.example)}`}${c.unique ? ' unique' : ''}`);
    return { schema, columns: arbitraries, [fc.toStringMethod]: () => `usersSchema.extend({ ${shown.join(', ')} })` };
  });

/** The schema with only some of its columns, as the template that left the others out. */
export function pick(schema: Schema, keys: readonly string[]): Schema {
  return defineSchema(Object.fromEntries(keys.map((key) => [key, schema.columns[key] as Column])));
}
