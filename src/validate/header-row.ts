import { restoreFormula } from '../csv-out/formula.js';
import type { IssueCollector } from '../report/collector.js';
import type { Delimiter } from '../report/summary.js';
import { defaultUniqueKey, type Column } from '../schema/column.js';
import type { Schema } from '../schema/define-schema.js';
import { columnLetter, matchHeader, type HeaderMapping } from '../schema/header-match.js';
import { createDuplicateIndex, type DuplicateIndex } from './duplicate-index.js';
import { emailKey } from './email.js';
import { exampleRowMatcher } from './example-row.js';
import { listText } from './messages.js';
import { plainRuleOf, type PlainRule } from './plain-rule.js';

/** A schema column located in the file, ready to check cells. */
export interface BoundColumn {
  readonly key: string;
  readonly label: string;
  readonly index: number;
  readonly column: Column;
  /** The column's rule without zod, when it has one. */
  readonly rule: PlainRule | undefined;
  readonly duplicates: DuplicateIndex | undefined;
  /** Whether the unique key is the value lowercased (as text, in NFC), which the index can do itself for ASCII. */
  readonly lowercaseKey: boolean;
}

/** What a file's header row settles about the rows below it. */
export interface HeaderRow {
  /** How the header row maps onto the schema's columns. */
  readonly mapping: HeaderMapping;
  /** The schema columns found, in file order. */
  readonly columns: BoundColumn[];
  /** The test for the template's example row, if any column found has an example. */
  readonly isExampleRow: ((cells: readonly string[]) => boolean) | undefined;
  /** `false` when a required column is missing or a column is named twice. */
  readonly checkRows: boolean;
}

/** The delimiter named by a first line such as `sep=;`, or `undefined` when the line is not one. */
export function sepLine(line: string): Delimiter | undefined {
  // Excel reads (and some exports write) a first line `sep=;` that names the delimiter; Excel hides it.
  return /^sep=([,;\t|])$/iu.exec(line)?.[1] as Delimiter | undefined;
}

/** Matches a header row to the schema, adding its problems (on spreadsheet row `row`) to `issues`. */
export function readHeaderRow(schema: Schema, cells: readonly string[], row: number, issues: IssueCollector): HeaderRow {
  const mapping = matchHeader(schema, cells.map(restoreFormula));
  let checkRows = true;
  for (const problem of mapping.problems) {
    switch (problem.code) {
      case 'missing_column':
        checkRows = false;
        issues.add({ code: 'missing_column', row, column: problem.label });
        break;
      case 'duplicate_column':
        checkRows = false;
        issues.add({
          code: 'duplicate_column',
          row,
          column: problem.label,
          // Capped: a header may name one column thousands of times, and the message must stay a sentence.
          detail: `columns ${listText(problem.indexes.map(columnLetter))}`,
        });
        break;
      case 'unknown_column':
        issues.add({
          code: 'unknown_column',
          row,
          column: null,
          value: problem.header,
          detail: `column ${columnLetter(problem.index)}`,
        });
        break;
    }
  }
  const columns: BoundColumn[] = mapping.columns.map((match) => {
    const column = schema.columns[match.key] as Column;
    return {
      key: match.key,
      label: match.label,
      index: match.index,
      column,
      rule: plainRuleOf(column.schema),
      duplicates: column.unique ? createDuplicateIndex() : undefined,
      lowercaseKey: column.uniqueKey === emailKey || column.uniqueKey === defaultUniqueKey,
    };
  });
  return { mapping, columns, isExampleRow: exampleRowMatcher(columns), checkRows };
}
