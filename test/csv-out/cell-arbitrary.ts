import fc from 'fast-check';

/** Runs per property: 200 locally, more in CI (`FC_RUNS=1000`). */
export const numRuns = Number(process.env.FC_RUNS ?? 200);

/** Characters that matter to a CSV writer: formula triggers, delimiters, quotes, spaces, apostrophes. */
const tricky = fc.constantFrom(
  '=', '+', '-', '@', '\t', '\r', '\n', '\r\n', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20',
  ',', ';', '|', '"', "'", ' ', '\u00A0', '\u3000', '\uFEFF', 'a', 'Z', '5', 'é', '名', '👩‍💻',
);

/** Any cell text: tricky characters packed close together, whole graphemes, or any code points at all. */
export const cell: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: tricky, maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: fc.oneof(tricky, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })), maxLength: 16 }),
);

/** Rows of at least one cell (a row of no cells cannot be told apart from a blank line). */
export const rows: fc.Arbitrary<string[][]> = fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), {
  minLength: 1,
  maxLength: 8,
});
