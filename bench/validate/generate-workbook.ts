import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, Zip, ZipDeflate } from 'fflate';
import { header, mulberry32, userCells } from './generate-users.js';

const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function escape(text: string): string {
  return text.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;');
}

/**
 * Writes the same users as `usersFile(dir, rows)` as an .xlsx laid out as Excel saves one (shared strings, the
 * worksheet before them), streamed to disk, unless it is already there; returns its path.
 */
export function usersWorkbook(dir: string, rows: number): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `users-${rows}.xlsx`);
  if (existsSync(path) && statSync(path).size > 0) return path;
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  try {
    const zip = new Zip((error, data) => {
      if (error) throw error;
      writeSync(fd, data);
    });
    const add = (name: string, text: string): void => {
      const file = new ZipDeflate(name, { level: 6 });
      zip.add(file);
      file.push(strToU8(text), true);
    };
    add(
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    );
    add('_rels/.rels', `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`);
    add('xl/workbook.xml', `<?xml version="1.0"?><workbook xmlns="${main}" xmlns:r="${rel}"><sheets><sheet name="Users" sheetId="1" r:id="rId1"/></sheets></workbook>`);
    add('xl/_rels/workbook.xml.rels', `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`);
    const strings = new Map<string, number>();
    const index = (text: string): number => {
      let at = strings.get(text);
      if (at === undefined) {
        at = strings.size;
        strings.set(text, at);
      }
      return at;
    };
    const letters = ['A', 'B', 'C', 'D', 'E', 'F'];
    const rowXml = (r: number, cells: readonly string[]): string =>
      `<row r="${r}">${cells.map((c, i) => (c === '' ? '' : `<c r="${letters[i] ?? 'G'}${r}" t="s"><v>${index(c)}</v></c>`)).join('')}</row>`;
    const sheet = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 6 });
    zip.add(sheet);
    let text = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${main}"><dimension ref="A1:F${rows + 1}"/><sheetData>${rowXml(1, header)}`;
    const random = mulberry32(rows);
    for (let i = 1; i <= rows; i++) {
      text += rowXml(i + 1, userCells(i, random));
      if (text.length > 1 << 20) {
        sheet.push(strToU8(text));
        text = '';
      }
    }
    sheet.push(strToU8(`${text}</sheetData></worksheet>`), true);
    const sst = new ZipDeflate('xl/sharedStrings.xml', { level: 6 });
    zip.add(sst);
    text = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="${main}" uniqueCount="${strings.size}">`;
    for (const s of strings.keys()) {
      text += `<si><t>${escape(s)}</t></si>`;
      if (text.length > 1 << 20) {
        sst.push(strToU8(text));
        text = '';
      }
    }
    sst.push(strToU8(`${text}</sst>`), true);
    zip.end();
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path);
  return path;
}
