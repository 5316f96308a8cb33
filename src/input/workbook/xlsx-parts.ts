import { numberKind, unescapeExcel, type NumberKind } from './cell-text.js';
import { StringTable } from './string-table.js';
import { readPart } from './xml.js';
import type { ZipArchive } from './zip.js';

/** A sheet of a workbook, as its workbook part lists it. */
export interface SheetEntry {
  readonly name: string;
  /** The sheet's part in the zip, or `null` when it has none. */
  readonly part: string | null;
  /** Whether it is shown: not `hidden` nor `veryHidden`. */
  readonly visible: boolean;
  /** Whether it is a worksheet (not a chart, dialog or macro sheet). */
  readonly worksheet: boolean;
}

/** What an .xlsx says about itself before any sheet is read. */
export interface XlsxBook {
  readonly sheets: readonly SheetEntry[];
  /** Whether dates count from 1904 (Excel for Mac's old default). */
  readonly date1904: boolean;
  readonly sharedStrings: string | null;
  readonly styles: string | null;
}

interface Relationship {
  readonly id: string;
  readonly type: string;
  readonly target: string;
}

/** Reads the workbook part, found from the package's relationships, and its own relationships. */
export function readBook(zip: ZipArchive, maxRun: number): XlsxBook {
  const root = zip.has('_rels/.rels') ? relationships(zip, '_rels/.rels', '', maxRun) : [];
  const book = root.find((r) => r.type.endsWith('/officeDocument'))?.target ?? 'xl/workbook.xml';
  const dir = book.slice(0, book.lastIndexOf('/') + 1);
  const relsPart = `${dir}_rels/${book.slice(dir.length)}.rels`;
  const rels = zip.has(relsPart) ? relationships(zip, relsPart, dir, maxRun) : [];
  const byId = new Map(rels.map((r) => [r.id, r]));

  const sheets: SheetEntry[] = [];
  let date1904 = false;
  readPart(zip.inflate(book), book, {
    open(name, attributes) {
      if (name === 'workbookPr') date1904 = attributes.date1904 === '1' || attributes.date1904 === 'true';
      if (name !== 'sheet') return;
      const id = Object.entries(attributes).find(([key]) => key.endsWith(':id'))?.[1];
      const rel = id === undefined ? undefined : byId.get(id);
      const state = attributes.state ?? 'visible';
      const part = rel !== undefined && zip.has(rel.target) ? rel.target : null;
      sheets.push({
        name: attributes.name ?? '',
        part,
        visible: state !== 'hidden' && state !== 'veryHidden',
        worksheet: rel === undefined || rel.type.endsWith('/worksheet'),
      });
    },
  }, maxRun);
  const find = (suffix: string): string | null => {
    const target = rels.find((r) => r.type.endsWith(suffix))?.target;
    return target !== undefined && zip.has(target) ? target : null;
  };
  return { sheets, date1904, sharedStrings: find('/sharedStrings'), styles: find('/styles') };
}

/** The relationships of a part, with targets resolved to paths in the zip. */
function relationships(zip: ZipArchive, part: string, dir: string, maxRun: number): Relationship[] {
  const out: Relationship[] = [];
  readPart(zip.inflate(part), part, {
    open(name, attributes) {
      if (name !== 'Relationship' || attributes.TargetMode === 'External') return;
      out.push({ id: attributes.Id ?? '', type: attributes.Type ?? '', target: resolve(dir, attributes.Target ?? '') });
    },
  }, maxRun);
  return out;
}

/** A relationship's target as a path in the zip: relative to the part's folder, or absolute from the root. */
function resolve(dir: string, target: string): string {
  const path = target.startsWith('/') ? target.slice(1) : dir + target;
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '..') out.pop();
    else if (segment !== '.' && segment !== '') out.push(segment);
  }
  return out.join('/');
}

/** How each cell style (by its index in `cellXfs`) shows a number. */
export function readStyles(zip: ZipArchive, part: string, maxRun: number): NumberKind[] {
  const codes = new Map<number, string>();
  const formats: number[] = [];
  let inCellXfs = false;
  readPart(zip.inflate(part), part, {
    open(name, attributes) {
      if (name === 'numFmt') codes.set(Number(attributes.numFmtId), attributes.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) formats.push(Number(attributes.numFmtId ?? 0));
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  }, maxRun);
  return formats.map((id) => numberKind(id, codes));
}

/**
 * Reads the shared strings: each is the text of its `t` elements (rich-text runs joined), without phonetic
 * guides (`rPh`), with `_xHHHH_` escapes decoded.
 */
export function readSharedStrings(zip: ZipArchive, part: string, maxRun: number): StringTable {
  const strings = new StringTable();
  let current = '';
  let inT = false;
  let phonetic = 0;
  readPart(zip.inflate(part), part, {
    open(name) {
      if (name === 'si') current = '';
      else if (name === 't') inT = true;
      else if (name === 'rPh') phonetic++;
    },
    text(text) {
      if (inT && phonetic === 0) current += text;
    },
    close(name) {
      if (name === 't') inT = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'si') strings.add(unescapeExcel(current));
    },
  }, maxRun);
  return strings;
}
