import { numberText } from './cell-text.js';
import { WorkbookError } from './workbook-error.js';
import type { RowHandler } from './xlsx-sheet.js';
import type { XmlHandler } from './xml.js';

/** What the reader of an .ods needs besides its rows' handler. */
export interface OdsContext {
  /** The sheet (table) to read, by name; by default the first visible one. */
  readonly sheet: string | undefined;
  /** The most cells (blanks between values included) all rows together may have. */
  readonly maxCells: number;
  /** The most times one row that holds a value may be repeated. */
  readonly maxRepeatedRows: number;
}

/** What a spreadsheet shows for a formula's error, in LibreOffice and Excel. */
const errorText = /^(?:#N\/A|#DIV\/0!|#VALUE!|#REF!|#NAME\?|#NUM!|#NULL!|Err:\d{3})$/u;

/**
 * Reads an OpenDocument spreadsheet's `content.xml` (fed by an {@link XmlReader}) into the rows of one table.
 * Repeated rows and cells (`number-rows-repeated`, `number-columns-repeated`) are counted, never expanded when
 * they are blank, so LibreOffice's trailing "1,048,576 empty rows" costs nothing.
 */
export class OdsContentReader implements XmlHandler {
  readonly #context: OdsContext;
  readonly #handler: RowHandler;
  /** Table styles that hide their table (`table:display="false"`). */
  readonly #hiddenStyles = new Set<string>();
  #styleName: string | undefined;
  readonly #tables: string[] = [];
  /** The name of the table being read, once it is met. */
  #chosen: string | undefined;
  /** Whether the current table is the one read. */
  #reading = false;
  /** The first other visible table that holds a value. */
  #otherWithData: string | null = null;
  /** The current table's name, or `''` when it is hidden (or is the one read). */
  #currentTable = '';
  #row = 0;
  #rowRepeat = 1;
  #cells: string[] | undefined;
  #errors: number[] | undefined;
  #column = 0;
  #cellRepeat = 1;
  #cellValue: string | undefined;
  #cellFormula = false;
  #text = '';
  #paragraphs = 0;
  #inCell = false;
  /** Depth inside an annotation (a comment), whose text is not the cell's. */
  #annotation = 0;
  #cellsRead = 0;

  constructor(context: OdsContext, handler: RowHandler) {
    this.#context = context;
    this.#handler = handler;
  }

  /** The name of the table read, or `undefined` when none was met yet. */
  get sheet(): string | undefined {
    return this.#chosen;
  }

  /** The name of another visible table that holds a value, if one does. */
  get otherSheetWithData(): string | null {
    return this.#otherWithData;
  }

  /** Checks, at the end of the part, that a table was found to read. */
  finish(): void {
    if (this.#chosen !== undefined) return;
    if (this.#context.sheet !== undefined) {
      throw new WorkbookError(this.#tables.map((t) => `"${t}"`).join(', ') || 'none', 'sheet_not_found', this.#context.sheet);
    }
    throw new WorkbookError('the workbook has no visible sheet; show the sheet that lists the users, save, and upload it again');
  }

  open(name: string, attributes: Readonly<Record<string, string>>): void {
    switch (name) {
      case 'style':
        this.#styleName = attributes['style:name'];
        break;
      case 'table-properties':
        if (attributes['table:display'] === 'false' && this.#styleName !== undefined) this.#hiddenStyles.add(this.#styleName);
        break;
      case 'table':
        this.#openTable(attributes);
        break;
      case 'table-row':
        this.#rowRepeat = repeat(attributes['table:number-rows-repeated']);
        this.#cells = [];
        this.#errors = undefined;
        this.#column = 0;
        break;
      case 'table-cell':
      case 'covered-table-cell':
        this.#openCell(attributes);
        break;
      case 'annotation':
        this.#annotation++;
        break;
      case 'p':
        if (this.#inCell && this.#annotation === 0 && this.#paragraphs++ > 0) this.#text += '\n';
        break;
      case 's':
        if (this.#inCell && this.#annotation === 0) this.#text += ' '.repeat(Math.min(repeat(attributes['text:c']), 1000));
        break;
      case 'tab':
        if (this.#inCell && this.#annotation === 0) this.#text += '\t';
        break;
      case 'line-break':
        if (this.#inCell && this.#annotation === 0) this.#text += '\n';
        break;
      default:
    }
  }

  text(text: string): void {
    if (this.#inCell && this.#annotation === 0) this.#text += text;
  }

  close(name: string): void {
    switch (name) {
      case 'annotation':
        this.#annotation--;
        break;
      case 'table-cell':
      case 'covered-table-cell':
        this.#closeCell();
        break;
      case 'table-row':
        this.#closeRow();
        break;
      case 'table':
        this.#reading = false;
        break;
      default:
    }
  }

  #openTable(attributes: Readonly<Record<string, string>>): void {
    const name = attributes['table:name'] ?? '';
    const visible = !this.#hiddenStyles.has(attributes['table:style-name'] ?? '');
    this.#tables.push(name);
    this.#currentTable = name;
    this.#row = 0;
    const wanted = this.#context.sheet;
    const matches = wanted === undefined ? visible : name === wanted || name.toLowerCase() === wanted.toLowerCase();
    this.#reading = this.#chosen === undefined && matches;
    if (this.#reading) this.#chosen = name;
    if (this.#reading || !visible) this.#currentTable = '';
  }

  #openCell(attributes: Readonly<Record<string, string>>): void {
    this.#cellRepeat = repeat(attributes['table:number-columns-repeated']);
    this.#inCell = true;
    this.#text = '';
    this.#paragraphs = 0;
    this.#cellFormula = attributes['table:formula'] !== undefined;
    const type = attributes['office:value-type'];
    this.#cellValue = cellValue(type, attributes);
  }

  #closeCell(): void {
    this.#inCell = false;
    const cells = this.#cells;
    const count = this.#cellRepeat;
    const column = this.#column;
    this.#column += count;
    if (cells === undefined) return;
    const text = this.#cellValue ?? this.#text;
    if (text === '') return;
    if (!this.#reading) {
      // Another table: only whether it holds a value matters, for the warning.
      this.#otherWithData ??= this.#currentTable === '' ? null : this.#currentTable;
      return;
    }
    if (column + count > 16_384) {
      throw new WorkbookError(`row ${this.#row + 1} has values beyond the last column a spreadsheet has`);
    }
    const isError = this.#cellFormula && this.#cellValue === undefined && errorText.test(text);
    for (let i = 0; i < count; i++) {
      cells[column + i] = text;
      if (isError) (this.#errors ??= []).push(column + i);
    }
  }

  #closeRow(): void {
    const cells = this.#cells;
    this.#cells = undefined;
    const first = this.#row + 1;
    const times = this.#rowRepeat;
    this.#row += times;
    if (!this.#reading || cells === undefined || cells.length === 0) return;
    for (let i = 0; i < cells.length; i++) cells[i] ??= '';
    if (times > this.#context.maxRepeatedRows) {
      throw new WorkbookError(`row ${first} is repeated ${times} times, which no list of users is; delete the repeated rows`);
    }
    for (let i = 0; i < times; i++) {
      this.#cellsRead += cells.length;
      if (this.#cellsRead > this.#context.maxCells) {
        throw new WorkbookError('the sheet holds more cells than the file size allows; delete the columns to the right of the users');
      }
      this.#handler.row(i === 0 ? cells : [...cells], first + i, this.#errors);
    }
  }
}

/** A repeat count: at least 1, and at most what a sheet can have. */
function repeat(value: string | undefined): number {
  const n = Number(value ?? 1);
  return Number.isSafeInteger(n) && n >= 1 ? Math.min(n, 1 << 20) : 1;
}

/** The value of a typed cell as the admin sees it, or `undefined` to use its text (strings, times, errors). */
function cellValue(type: string | undefined, attributes: Readonly<Record<string, string>>): string | undefined {
  switch (type) {
    // Percentages and amounts are read as shown (50%, $1.00); plain numbers as a General cell shows them.
    case 'float': {
      const value = Number(attributes['office:value']);
      return Number.isFinite(value) ? numberText(value) : undefined;
    }
    case 'date': {
      const value = attributes['office:date-value'] ?? '';
      return value.length <= 10 || /T00:00:00(?:\.0*)?$/u.test(value) ? value.slice(0, 10) : value.slice(0, 19).replace('T', ' ');
    }
    case 'boolean': {
      const value = attributes['office:boolean-value'];
      return value === undefined ? undefined : value === 'true' ? 'TRUE' : 'FALSE';
    }
    default:
      return undefined;
  }
}
