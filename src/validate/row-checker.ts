import type { IssueCollector } from '../report/collector.js';
import type { Issue, IssueContext } from '../report/issue.js';
import { columnLetter } from '../schema/header-match.js';
import { ruleIssueContext, zodIssueContext } from './cell-issue.js';
import type { RowResult } from './file-validator.js';
import type { BoundColumn, HeaderRow } from './header-row.js';
import type { Limits } from './limits.js';
import { ownValue, withOwnValue } from './own-value.js';

/** Checks a file's data rows, cell by cell, against the columns its header row bound. */
export class RowChecker {
  readonly #header: readonly string[];
  readonly #headerWidth: number;
  readonly #columns: readonly BoundColumn[];
  /** Whether a row is the template's example row; `undefined` when no column found has an example. */
  readonly #isExampleRow: ((cells: readonly string[]) => boolean) | undefined;
  readonly #limits: Limits;

  constructor(header: readonly string[], bound: HeaderRow, limits: Limits) {
    this.#header = header;
    this.#headerWidth = bound.mapping.width;
    this.#columns = bound.columns;
    this.#isExampleRow = bound.isExampleRow;
    this.#limits = limits;
  }

  /**
   * Checks one data row, adding its issues to `collector`. Returns the row's result, or `undefined` when `keep`
   * is false (only the summary is wanted). `replacementsSeen` says whether the decoder replaced any bytes;
   * `errorColumns`, which cells of a workbook row show an Excel error value (`#N/A`).
   */
  check(
    cells: readonly string[],
    row: number,
    collector: IssueCollector,
    keep: boolean,
    replacementsSeen: boolean,
    errorColumns?: readonly number[],
  ): RowResult | undefined {
    if (this.#isExampleRow?.(cells) === true) {
      const issue = collector.add({ code: 'example_row', row, column: null });
      return keep ? { row, valid: false, issues: [issue] } : undefined;
    }
    let issues: Issue[] | undefined;
    const value: Record<string, unknown> | undefined = keep ? {} : undefined;
    const add = (context: IssueContext): void => {
      const issue = collector.add(withOwnValue(context));
      if (keep) (issues ??= []).push(issue);
    };
    for (const bound of this.#columns) {
      const raw = cells[bound.index] ?? '';
      const cell = raw.trim();
      const column = bound.label;
      if (errorColumns?.includes(bound.index) === true) {
        add({ code: 'excel_error', row, column, value: raw });
        continue;
      }
      if (replacementsSeen && cell.includes('\uFFFD')) {
        add({ code: 'invalid_encoding', row, column, value: raw });
        continue;
      }
      if (cell === '') {
        if (bound.column.required) add({ code: 'required', row, column });
        continue;
      }
      if (cell.length > this.#limits.maxCellLength) {
        add({ code: 'too_long', row, column, value: cell, limit: this.#limits.maxCellLength });
        continue;
      }
      let data: unknown;
      if (bound.rule === undefined) {
        const parsed = bound.column.schema.safeParse(cell);
        if (!parsed.success) {
          add(zodIssueContext(parsed.error.issues[0], row, column, cell));
          continue;
        }
        data = parsed.data;
      } else {
        const out = bound.rule(cell);
        if (typeof out !== 'string') {
          add(ruleIssueContext(out, row, column, cell));
          continue;
        }
        data = out;
      }
      if (value !== undefined) value[bound.key] = data;
      if (bound.duplicates !== undefined) {
        let firstRow = bound.lowercaseKey && typeof data === 'string' ? bound.duplicates.firstRowOfLowercase(data, row) : null;
        if (firstRow === null) firstRow = bound.duplicates.firstRowOf(bound.column.uniqueKey(data), row);
        if (firstRow !== undefined) add({ code: 'duplicate_in_file', row, column, value: cell, firstRow });
      }
    }
    this.#extraCells(cells, row, collector);
    if (value === undefined) return undefined;
    return issues === undefined ? { row, valid: true, value } : { row, valid: false, issues };
  }

  /** Warns about values in columns that have no header: they would otherwise be lost silently. */
  #extraCells(cells: readonly string[], row: number, collector: IssueCollector): void {
    const header = this.#header;
    for (let index = 0; index < cells.length; index++) {
      if (index < this.#headerWidth && (header[index] ?? '').trim() !== '') continue;
      const cell = cells[index] ?? '';
      if (cell.trim() === '') continue;
      collector.add({ code: 'extra_cell', row, column: null, value: ownValue(cell), detail: `column ${columnLetter(index)}` });
    }
  }
}
