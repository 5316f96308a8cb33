import type { HeaderMatch } from '../report/summary.js';
import type { Schema } from './define-schema.js';
import { normaliseHeader } from './normalise-header.js';

/** One header problem, before it becomes an issue with a message. */
export type HeaderProblem =
  | { readonly code: 'missing_column'; readonly key: string; readonly label: string }
  | { readonly code: 'duplicate_column'; readonly key: string; readonly label: string; readonly indexes: readonly number[] }
  | { readonly code: 'unknown_column'; readonly header: string; readonly index: number };

/** How a header row maps onto a schema. */
export interface HeaderMapping {
  /** The schema columns found, in file order. */
  readonly columns: readonly HeaderMatch[];
  /** Header cells that matched no column. */
  readonly unknown: readonly { readonly header: string; readonly index: number }[];
  /** Missing required columns, columns that appear twice, unknown columns. */
  readonly problems: readonly HeaderProblem[];
  /** The number of cells up to the last non-blank header cell; later cells are trailing empties. */
  readonly width: number;
}

/**
 * Matches a header row to a schema's columns by label or alias, in any order and in the normalised form of
 * {@link normaliseHeader}.
 */
export function matchHeader(schema: Schema, header: readonly string[]): HeaderMapping {
  const byText = new Map<string, string>();
  for (const key of schema.keys) {
    const col = schema.columns[key];
    if (col === undefined) continue;
    for (const text of [col.label, ...col.aliases]) byText.set(normaliseHeader(text), key);
  }

  let width = header.length;
  while (width > 0 && (header[width - 1] ?? '').trim() === '') width--;

  const found = new Map<string, number[]>();
  const columns: HeaderMatch[] = [];
  const unknown: { header: string; index: number }[] = [];
  for (let index = 0; index < width; index++) {
    const text = header[index] ?? '';
    const normal = normaliseHeader(text);
    if (normal === '') continue;
    const key = byText.get(normal);
    if (key === undefined) {
      unknown.push({ header: text, index });
      continue;
    }
    const at = found.get(key);
    if (at === undefined) {
      found.set(key, [index]);
      columns.push({ key, label: schema.columns[key]?.label ?? key, header: text, index });
    } else {
      at.push(index);
    }
  }

  const problems: HeaderProblem[] = [];
  for (const key of schema.keys) {
    const col = schema.columns[key];
    if (col === undefined) continue;
    const at = found.get(key);
    if (at === undefined) {
      if (col.required) problems.push({ code: 'missing_column', key, label: col.label });
    } else if (at.length > 1) {
      problems.push({ code: 'duplicate_column', key, label: col.label, indexes: at });
    }
  }
  for (const u of unknown) problems.push({ code: 'unknown_column', header: u.header, index: u.index });

  return { columns, unknown, problems, width };
}

/** The spreadsheet letter of a 0-based column index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    letters = String.fromCharCode(65 + r) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}
