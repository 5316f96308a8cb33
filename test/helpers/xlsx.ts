import { strToU8, zipSync, type Zippable } from 'fflate';

/** A cell as a test writes it: text (a shared string), a number, a boolean, or raw `<c>` XML. */
export type TestCell = string | number | boolean | null | { readonly xml: string };

/** One sheet of a test workbook. */
export interface TestSheet {
  readonly name: string;
  readonly state?: 'hidden' | 'veryHidden';
  /** A chart sheet instead of a worksheet. */
  readonly chart?: boolean;
  /** Rows from row 1; or give `sheetData` to write the XML inside `<sheetData>` yourself. */
  readonly rows?: readonly (readonly TestCell[])[];
  readonly sheetData?: string;
}

/** What a test workbook holds. */
export interface TestWorkbook {
  readonly sheets: readonly TestSheet[];
  readonly date1904?: boolean;
  /** Number formats of the cell styles (`s="1"` is the second), by id; style 0 is General. */
  readonly styles?: readonly number[];
  /** Custom number formats: id to format code. */
  readonly numFmts?: Readonly<Record<number, string>>;
  /** Shared strings written before the ones `rows` adds. */
  readonly strings?: readonly string[];
  /** Parts to add or replace, by path. */
  readonly parts?: Readonly<Record<string, string | Uint8Array>>;
}

const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export function escapeXml(text: string): string {
  return text.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;').replace(/"/gu, '&quot;');
}

function letter(index: number): string {
  let out = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  return out;
}

/** Builds a small .xlsx the way Excel lays one out, with the parts a test asks for. */
export function xlsx(book: TestWorkbook): Uint8Array {
  const strings = [...(book.strings ?? [])];
  const stringIndex = (text: string): number => {
    const at = strings.indexOf(text);
    if (at !== -1) return at;
    strings.push(text);
    return strings.length - 1;
  };
  const files: Zippable = {};
  const sheetEntries: string[] = [];
  const sheetRels: string[] = [];
  const overrides: string[] = [];
  book.sheets.forEach((sheet, i) => {
    const id = `rId${i + 1}`;
    const state = sheet.state === undefined ? '' : ` state="${sheet.state}"`;
    sheetEntries.push(`<sheet name="${escapeXml(sheet.name)}" sheetId="${i + 1}"${state} r:id="${id}"/>`);
    if (sheet.chart === true) {
      sheetRels.push(`<Relationship Id="${id}" Type="${rel}/chartsheet" Target="chartsheets/sheet${i + 1}.xml"/>`);
      files[`xl/chartsheets/sheet${i + 1}.xml`] = strToU8(`<?xml version="1.0"?><chartsheet xmlns="${main}"><sheetViews/></chartsheet>`);
      return;
    }
    sheetRels.push(`<Relationship Id="${id}" Type="${rel}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`);
    overrides.push(`<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`);
    const data =
      sheet.sheetData ??
      (sheet.rows ?? [])
        .map((cells, r) => {
          const xml = cells
            .map((cell, c) => {
              const ref = `${letter(c)}${r + 1}`;
              if (cell === null) return '';
              if (typeof cell === 'object') return cell.xml.replace('<c', `<c r="${ref}"`);
              if (typeof cell === 'number') return `<c r="${ref}"><v>${cell}</v></c>`;
              if (typeof cell === 'boolean') return `<c r="${ref}" t="b"><v>${cell ? 1 : 0}</v></c>`;
              return `<c r="${ref}" t="s"><v>${stringIndex(cell)}</v></c>`;
            })
            .join('');
          return `<row r="${r + 1}">${xml}</row>`;
        })
        .join('');
    files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${main}" xmlns:r="${rel}"><sheetData>${data}</sheetData></worksheet>`,
    );
  });
  const n = book.sheets.length;
  sheetRels.push(`<Relationship Id="rId${n + 1}" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/>`);
  sheetRels.push(`<Relationship Id="rId${n + 2}" Type="${rel}/styles" Target="styles.xml"/>`);
  const numFmts = Object.entries(book.numFmts ?? {})
    .map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${escapeXml(code)}"/>`)
    .join('');
  const xfs = [0, ...(book.styles ?? [])].map((id) => `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0"/>`).join('');
  const ordered: Zippable = {
    '[Content_Types].xml': strToU8(
      `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>${overrides.join('')}</Types>`,
    ),
    '_rels/.rels': strToU8(
      `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    'xl/workbook.xml': strToU8(
      `<?xml version="1.0"?><workbook xmlns="${main}" xmlns:r="${rel}">${book.date1904 === true ? '<workbookPr date1904="1"/>' : '<workbookPr/>'}<sheets>${sheetEntries.join('')}</sheets></workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheetRels.join('')}</Relationships>`,
    ),
    // Excel writes the worksheets before the shared strings they point into.
    ...files,
    'xl/styles.xml': strToU8(
      `<?xml version="1.0"?><styleSheet xmlns="${main}"><numFmts>${numFmts}</numFmts><cellXfs count="${(book.styles?.length ?? 0) + 1}">${xfs}</cellXfs></styleSheet>`,
    ),
    'xl/sharedStrings.xml': strToU8(
      `<?xml version="1.0"?><sst xmlns="${main}">${strings.map((s) => `<si><t xml:space="preserve">${escapeXml(s)}</t></si>`).join('')}</sst>`,
    ),
  };
  for (const [path, content] of Object.entries(book.parts ?? {})) ordered[path] = typeof content === 'string' ? strToU8(content) : content;
  return zipSync(ordered);
}

/** A one-sheet workbook of the given rows, as Excel saves a filled-in template. */
export function usersWorkbook(rows: readonly (readonly TestCell[])[], name = 'Sheet1'): Uint8Array {
  return xlsx({ sheets: [{ name, rows }] });
}
