import { columnIndex, dateText, numberText, unescapeExcel, type NumberKind } from './cell-text.js';
import { WorkbookError } from './workbook-error.js';
import type { XmlHandler } from './xml.js';

/** Receives a sheet's rows, in order, as the cells the admin sees. */
export interface RowHandler {
  /**
   * One row: its cells (holes filled with `''`, no trailing blanks), its row number as Excel shows it, and the
   * 0-based columns that hold an Excel error value (`#N/A`, `#REF!`), if any.
   */
  row(cells: string[], row: number, errorColumns: readonly number[] | undefined): void;
}

/** What a worksheet's cells need from the rest of the workbook. */
export interface SheetContext {
  readonly strings: { get(index: number): string | undefined };
  /** How each cell style shows a number. */
  readonly styles: readonly NumberKind[];
  readonly date1904: boolean;
  /**
   * The most cells (blanks between values included) all rows together may have: a row with a value in
   * column XFD is 16,384 cells, and a sheet of such rows must not cost 16,384 times its size.
   */
  readonly maxCells: number;
}

/** Reads a worksheet part's XML (fed by an {@link XmlReader}) into rows. */
export class XlsxSheetReader implements XmlHandler {
  readonly #context: SheetContext;
  readonly #handler: RowHandler;
  #cells: string[] | undefined;
  #errors: number[] | undefined;
  #row = 0;
  #nextColumn = 0;
  #column = 0;
  #type = 'n';
  #style = 0;
  #value = '';
  /** Inside `<v>`, or inside the `<t>` of an inline string (outside phonetic guides). */
  #inValue = false;
  #inInline = false;
  #phonetic = 0;
  #cellsRead = 0;

  constructor(context: SheetContext, handler: RowHandler) {
    this.#context = context;
    this.#handler = handler;
  }

  open(name: string, attributes: Readonly<Record<string, string>>): void {
    switch (name) {
      case 'row': {
        const r = Number(attributes.r);
        this.#row = Number.isSafeInteger(r) && r > 0 ? r : this.#row + 1;
        this.#cells = [];
        this.#errors = undefined;
        this.#nextColumn = 0;
        break;
      }
      case 'c': {
        const reference = attributes.r;
        const column = reference === undefined ? this.#nextColumn : columnIndex(reference);
        if (column < 0 || column >= 16_384) {
          throw new WorkbookError(`row ${this.#row} has a cell at ${reference ?? 'an unknown column'}, beyond the last column a spreadsheet has (XFD)`);
        }
        this.#column = column;
        this.#type = attributes.t ?? 'n';
        this.#style = Number(attributes.s ?? 0);
        this.#value = '';
        break;
      }
      case 'v':
        this.#inValue = true;
        break;
      case 'is':
        this.#inInline = true;
        break;
      case 't':
        if (this.#inInline && this.#phonetic === 0) this.#inValue = true;
        break;
      case 'rPh':
        this.#phonetic++;
        break;
      default:
    }
  }

  text(text: string): void {
    if (this.#inValue) this.#value += text;
  }

  close(name: string): void {
    switch (name) {
      case 'v':
      case 't':
        this.#inValue = false;
        break;
      case 'is':
        this.#inInline = false;
        break;
      case 'rPh':
        this.#phonetic--;
        break;
      case 'c':
        this.#cell();
        break;
      case 'row':
        this.#endRow();
        break;
      default:
    }
  }

  #cell(): void {
    const cells = this.#cells;
    if (cells === undefined) return;
    const column = this.#column;
    this.#nextColumn = column + 1;
    const text = this.#text();
    if (text === '') return;
    cells[column] = text;
    if (this.#type === 'e') (this.#errors ??= []).push(column);
  }

  /** The cell's text as Excel shows it. */
  #text(): string {
    const value = this.#value;
    switch (this.#type) {
      case 's':
        return this.#context.strings.get(Number(value)) ?? '';
      case 'inlineStr':
      case 'str':
        return unescapeExcel(value);
      case 'b':
        return value === '' ? '' : value === '1' || value === 'true' ? 'TRUE' : 'FALSE';
      case 'e':
        return value;
      case 'd':
        // An ISO 8601 date and time, written by some programs instead of a serial number.
        return value.length <= 10 || /T00:00(?::00(?:\.0*)?)?Z?$/u.test(value) ? value.slice(0, 10) : value.slice(0, 19).replace('T', ' ');
      default: {
        if (value.trim() === '') return '';
        const number = Number(value);
        if (Number.isNaN(number)) return value;
        const kind = this.#context.styles[this.#style] ?? 'number';
        return kind === 'number' ? numberText(number) : dateText(number, kind, this.#context.date1904);
      }
    }
  }

  #endRow(): void {
    const cells = this.#cells;
    this.#cells = undefined;
    if (cells === undefined) return;
    for (let i = 0; i < cells.length; i++) cells[i] ??= '';
    this.#cellsRead += cells.length;
    if (this.#cellsRead > this.#context.maxCells) {
      throw new WorkbookError(
        `the sheet holds more cells than the file size allows (it has values far to the right, up to column ${cells.length}); delete the columns to the right of the users`,
      );
    }
    this.#handler.row(cells, this.#row, this.#errors);
  }
}
