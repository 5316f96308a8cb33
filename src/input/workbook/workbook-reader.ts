import { OdsContentReader } from './ods-content.js';
import { StringTable } from './string-table.js';
import { readBook, readSharedStrings, readStyles, type SheetEntry } from './xlsx-parts.js';
import { XlsxSheetReader, type RowHandler } from './xlsx-sheet.js';
import { WorkbookError } from './workbook-error.js';
import { XmlReader } from './xml.js';
import { ZipArchive, zipLimits } from './zip.js';

/** The workbook formats rollcall reads. */
export type WorkbookFormat = 'xlsx' | 'ods';

/** Options of {@link openWorkbook}. */
export interface WorkbookOptions {
  /** The sheet to read, by name; by default the first visible worksheet. */
  readonly sheet?: string | undefined;
  /** The file size limit, from which the unpacking limits are derived. */
  readonly maxBytes: number;
  /** The longest text, attribute or tag the XML may hold. */
  readonly maxRun: number;
}

/** A workbook opened for reading one sheet, a piece at a time. */
export interface OpenedWorkbook {
  readonly format: WorkbookFormat;
  /** The name of the sheet being read (for an .ods, known once the reading reaches it). */
  readonly sheet: string | null;
  /**
   * Reads the next piece of the sheet, giving its complete rows to the handler. Returns `false` once the sheet
   * is read. Throws {@link WorkbookError} when the sheet turns out damaged or hostile.
   */
  step(): boolean;
  /** The name of another visible worksheet that also holds a value, if one does. */
  otherSheetWithData(): string | null;
}

/**
 * Opens an .xlsx or .ods workbook held in memory (at most `maxBytes`), choosing the sheet to read. Throws
 * {@link WorkbookError} for a damaged, hostile or unsupported workbook, and for a sheet name it does not have.
 */
export function openWorkbook(bytes: Uint8Array, handler: RowHandler, options: WorkbookOptions): OpenedWorkbook {
  const zip = new ZipArchive(bytes, zipLimits(options.maxBytes));
  if (zip.has('xl/workbook.bin')) {
    throw new WorkbookError('an Excel binary workbook (.xlsb)', 'unsupported_file');
  }
  if (zip.has('Index/Document.iwa') || zip.has('Index.zip') || [...zip.names()].some((n) => n.endsWith('.iwa'))) {
    throw new WorkbookError('a Numbers spreadsheet (.numbers); in Numbers, choose File > Export To > Excel first', 'unsupported_file');
  }
  const mimetype = zip.has('mimetype') ? new TextDecoder().decode(concat(zip.inflate('mimetype'), 200)).trim() : undefined;
  if (mimetype === 'application/vnd.oasis.opendocument.spreadsheet' || (mimetype === undefined && zip.has('content.xml') && zip.has('META-INF/manifest.xml'))) {
    return openOds(zip, handler, options);
  }
  if (mimetype?.startsWith('application/vnd.oasis.opendocument.') === true) {
    throw new WorkbookError('an OpenDocument file that is not a spreadsheet', 'unsupported_file');
  }
  if (!zip.has('[Content_Types].xml') && ![...zip.names()].some((n) => n.startsWith('xl/'))) {
    throw new WorkbookError('a zip archive, not a workbook', 'unsupported_file');
  }
  return openXlsx(zip, handler, options);
}

function openXlsx(zip: ZipArchive, handler: RowHandler, options: WorkbookOptions): OpenedWorkbook {
  const book = readBook(zip, options.maxRun);
  const sheet = chooseSheet(book.sheets, options.sheet);
  const part = sheet.part;
  if (part === null) throw new WorkbookError(`the sheet "${sheet.name}" has no cells in the file; open the workbook in Excel, save it again, and upload it again`);
  const strings = book.sharedStrings === null ? new StringTable() : readSharedStrings(zip, book.sharedStrings, options.maxRun);
  const styles = book.styles === null ? [] : readStyles(zip, book.styles, options.maxRun);
  const reader = new XlsxSheetReader({ strings, styles, date1904: book.date1904, maxCells: options.maxBytes }, handler);
  const xml = new XmlReader(part, reader, options.maxRun);
  const pieces = zip.inflate(part);
  let done = false;
  return {
    format: 'xlsx',
    sheet: sheet.name,
    step() {
      if (done) return false;
      const next = pieces.next();
      if (next.done === true) {
        done = true;
        xml.end();
        return false;
      }
      xml.write(next.value);
      return true;
    },
    otherSheetWithData() {
      for (const other of book.sheets) {
        if (other === sheet || !other.visible || !other.worksheet || other.part === null) continue;
        if (holdsValue(() => zip.inflate(other.part ?? ''))) return other.name;
      }
      return null;
    },
  };
}

function openOds(zip: ZipArchive, handler: RowHandler, options: WorkbookOptions): OpenedWorkbook {
  if (!zip.has('content.xml')) throw new WorkbookError('the spreadsheet has no content.xml; open it in LibreOffice, save it again, and upload it again');
  const reader = new OdsContentReader({ sheet: options.sheet, maxCells: options.maxBytes, maxRepeatedRows: 10_000 }, handler);
  const xml = new XmlReader('content.xml', reader, options.maxRun);
  const pieces = zip.inflate('content.xml');
  let done = false;
  return {
    format: 'ods',
    get sheet() {
      return reader.sheet ?? null;
    },
    step() {
      if (done) return false;
      const next = pieces.next();
      if (next.done === true) {
        done = true;
        xml.end();
        reader.finish();
        return false;
      }
      xml.write(next.value);
      return true;
    },
    otherSheetWithData() {
      return reader.otherSheetWithData;
    },
  };
}

/** The first bytes of a small part, at most `max`. */
function concat(pieces: Iterable<Uint8Array>, max: number): Uint8Array {
  const out = new Uint8Array(max);
  let length = 0;
  for (const piece of pieces) {
    const take = Math.min(piece.length, max - length);
    out.set(piece.subarray(0, take), length);
    length += take;
    if (length === max) break;
  }
  return out.subarray(0, length);
}

/** The sheet named `name`, or the first visible worksheet. */
function chooseSheet(sheets: readonly SheetEntry[], name: string | undefined): SheetEntry {
  if (name !== undefined) {
    const found = sheets.find((s) => s.name === name) ?? sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
    if (found?.worksheet === true) return found;
    const names = sheets.filter((s) => s.worksheet).map((s) => `"${s.name}"`).join(', ');
    throw new WorkbookError(names, 'sheet_not_found', name);
  }
  const first = sheets.find((s) => s.visible && s.worksheet && s.part !== null);
  if (first === undefined) throw new WorkbookError('the workbook has no visible worksheet; show the sheet that lists the users (right-click a sheet tab, then Unhide), save, and upload it again');
  return first;
}

/**
 * Whether a worksheet part holds a cell value (`<v>` or an inline string), read only until the first one. A
 * sheet that cannot be read (damaged, or past the limits) holds none that could be warned about: the sheet
 * being imported was read whole, and only it matters.
 */
function holdsValue(pieces: () => Iterable<Uint8Array>): boolean {
  const decoder = new TextDecoder();
  let tail = '';
  try {
    for (const piece of pieces()) {
      const text = tail + decoder.decode(piece, { stream: true });
      if (/<(?:\w+:)?(?:v|is)>/u.test(text)) return true;
      tail = text.slice(-16);
    }
  } catch (error) {
    if (error instanceof WorkbookError) return false;
    throw error;
  }
  return false;
}
