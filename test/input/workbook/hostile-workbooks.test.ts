import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { ErrorSummary } from '../../../src/report/summary.js';
import { validateFile } from '../../../src/validate/validate-rows.js';
import { usersWorkbook, xlsx } from '../../helpers/xlsx.js';

const header = ['First Name', 'Last Name', 'Email'];
const users = [header, ['Ada', 'Lovelace', 'ada@example.com'], ['Alan', 'Turing', 'alan@example.com']];
const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

/** The one file-level issue a refused workbook gets, as [code, message]. */
function refusal(summary: ErrorSummary): [string, string][] {
  expect(summary.rowCount).toBe(0);
  expect(summary.warnings).toEqual([]);
  return summary.errors.map((e) => {
    expect([e.row, e.column]).toEqual([null, null]);
    return [e.code, e.message];
  });
}

function sheet(sheetData: string, before = ''): string {
  return `<?xml version="1.0"?>${before}<worksheet xmlns="${main}"><sheetData>${sheetData}</sheetData></worksheet>`;
}

describe('hostile and damaged workbooks are refused with one file-level issue', () => {
  it('refuses every truncation of a workbook as damaged or incomplete, never throwing', async () => {
    const book = usersWorkbook(users);
    for (let length = 4; length < book.length; length += 7) {
      const [issue] = refusal(await validateFile(book.subarray(0, length)));
      expect(issue?.[0]).toBe('unreadable_workbook');
    }
    const [issue] = refusal(await validateFile(book.subarray(0, 300)));
    expect(issue?.[1]).toBe(
      'This workbook cannot be read: the workbook is damaged or incomplete (it may not have finished uploading). Open it in Excel, save it again, and upload it again.',
    );
  });

  it('refuses a workbook whose packed sheet is corrupt', async () => {
    const book = usersWorkbook(users);
    // The worksheet's compressed bytes follow its local header; break them.
    const at = Buffer.from(book).indexOf('xl/worksheets/sheet1.xml') + 'xl/worksheets/sheet1.xml'.length;
    const broken = book.slice();
    for (let i = at; i < at + 40; i++) broken[i] = 0xff;
    expect(refusal(await validateFile(broken)).map(([code]) => code)).toEqual(['unreadable_workbook']);
  });

  it('reads the sheet asked for when another sheet is damaged, without a warning about it', async () => {
    const book = xlsx({ sheets: [{ name: 'Staff', rows: users }, { name: 'Other', rows: users }] });
    const name = 'xl/worksheets/sheet2.xml';
    const at = Buffer.from(book).indexOf(name) + name.length;
    const broken = book.slice();
    for (let i = at; i < at + 40; i++) broken[i] = 0xff;
    const summary = await validateFile(broken);
    expect(summary).toMatchObject({ valid: true, rowCount: 2, warningCount: 0, file: { sheet: 'Staff' } });
  });

  it('refuses a part that unpacks to over 200 times its packed size (a zip bomb)', async () => {
    const bomb = `<?xml version="1.0"?><sst xmlns="${main}">${' '.repeat(30 * 1024 * 1024)}</sst>`;
    const book = xlsx({ sheets: [{ name: 'Sheet1', rows: users }], parts: { 'xl/sharedStrings.xml': bomb } });
    expect(book.length).toBeLessThan(200_000);
    const [issue] = refusal(await validateFile(book));
    expect(issue).toEqual([
      'unreadable_workbook',
      'This workbook cannot be read: the part xl/sharedStrings.xml unpacks to over 200 times its packed size, which no spreadsheet does; the file looks built to exhaust the server.',
    ]);
  });

  it('refuses a workbook that unpacks to more than 16 times maxBytes', async () => {
    // About 45 times smaller packed: under the ratio limit, over 16 times the file's size.
    const rows = Array.from({ length: 20_000 }, (_, i) => `<row r="${i + 2}">${'<c s="1"/>'.repeat(10)}<c><v>1</v></c></row>`).join('');
    const book = xlsx({ sheets: [{ name: 'Sheet1', sheetData: rows }] });
    const [issue] = refusal(await validateFile(book, { maxBytes: book.length }));
    expect(issue?.[1]).toMatch(/^This workbook cannot be read: the workbook unpacks to more than \d+ bytes/u);
  });

  it('refuses an archive of more files than maxBytes allows', async () => {
    const files: Record<string, Uint8Array> = { '[Content_Types].xml': strToU8('<Types/>') };
    for (let i = 0; i < 1001; i++) files[`x/${i}`] = new Uint8Array();
    const [issue] = refusal(await validateFile(zipSync(files), { maxBytes: 1_000_000 }));
    expect(issue?.[1]).toContain('holds 1002 files, far more than a spreadsheet writes');
  });

  it('refuses XML with a DOCTYPE, so no entity is ever expanded', async () => {
    const laughs = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>';
    const book = xlsx({ sheets: [{ name: 'Sheet1' }], parts: { 'xl/worksheets/sheet1.xml': sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>', laughs) } });
    const [issue] = refusal(await validateFile(book));
    expect(issue?.[1]).toContain('declares a DOCTYPE, which no spreadsheet program writes');
  });

  it('refuses an entity XML does not define, and XML that is not well-formed', async () => {
    const entity = xlsx({ sheets: [{ name: 'Sheet1' }], parts: { 'xl/worksheets/sheet1.xml': sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>&lol;</t></is></c></row>') } });
    expect(refusal(await validateFile(entity))[0]?.[1]).toContain('is not well-formed XML');
    const unclosed = xlsx({ sheets: [{ name: 'Sheet1' }], parts: { 'xl/worksheets/sheet1.xml': '<worksheet><sheetData><row>' } });
    expect(refusal(await validateFile(unclosed))[0]?.[0]).toBe('unreadable_workbook');
  });

  it('refuses absurd nesting', async () => {
    const deep = `${'<x>'.repeat(1000)}${'</x>'.repeat(1000)}`;
    const book = xlsx({ sheets: [{ name: 'Sheet1' }], parts: { 'xl/worksheets/sheet1.xml': sheet(deep) } });
    expect(refusal(await validateFile(book))[0]?.[1]).toContain('nests elements more than 64 deep');
  });

  it('refuses a cell beyond column XFD, and rows reaching far right in more cells than maxBytes', async () => {
    const beyond = xlsx({ sheets: [{ name: 'Sheet1' }], parts: { 'xl/worksheets/sheet1.xml': sheet('<row r="1"><c r="XFE1"><v>1</v></c></row>') } });
    expect(refusal(await validateFile(beyond))[0]?.[1]).toContain('beyond the last column a spreadsheet has (XFD)');
    const wide = Array.from({ length: 200 }, (_, i) => `<row r="${i + 1}"><c r="XFD${i + 1}"><v>1</v></c></row>`).join('');
    const book = xlsx({ sheets: [{ name: 'Sheet1' }], parts: { 'xl/worksheets/sheet1.xml': sheet(wide) } });
    expect(refusal(await validateFile(book, { maxBytes: 1_000_000 }))[0]?.[1]).toContain('holds more cells than the file size allows');
  });

  it('reads one row that reaches column XFD, with its value as an extra cell', async () => {
    const manual = xlsx({
      sheets: [{ name: 'Sheet1' }],
      strings: header,
      parts: {
        'xl/worksheets/sheet1.xml': sheet(
          '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>' +
            '<row r="2"><c r="A2" t="inlineStr"><is><t>Ada</t></is></c><c r="B2" t="inlineStr"><is><t>Lovelace</t></is></c><c r="C2" t="inlineStr"><is><t>ada@example.com</t></is></c><c r="XFD2"><v>7</v></c></row>',
        ),
      },
    });
    const summary = await validateFile(manual);
    expect(summary).toMatchObject({ valid: true, rowCount: 1 });
    expect(summary.warnings.map((w) => [w.code, w.message])).toEqual([
      ['extra_cell', 'Row 2: the value "7" is in a column with no header (column XFD) and was ignored.'],
    ]);
  });

  it('refuses a cell of more text than a row may hold, before the XML parser buffers it', async () => {
    // Text that packs poorly, so that no other limit is reached first.
    let seed = 1;
    const text = Array.from({ length: 2 * 1024 * 1024 }, () => String.fromCharCode(97 + ((seed = (seed * 48271) % 2147483647) % 26))).join('');
    const book = xlsx({ sheets: [{ name: 'Sheet1', rows: [header, ['Ada', 'Lovelace', text]] }] });
    expect(refusal(await validateFile(book))[0]?.[1]).toContain('holds a value longer than 1048576 characters');
  });

  it.each([
    ['an .xlsb', { '[Content_Types].xml': '<Types/>', 'xl/workbook.bin': 'x' }, 'an Excel binary workbook (.xlsb)'],
    ['a .numbers file', { 'Index/Document.iwa': 'x', 'Metadata/Properties.plist': 'x' }, 'a Numbers spreadsheet (.numbers)'],
    ['a zip of other files', { 'notes.txt': 'hello' }, 'a zip archive, not a workbook'],
  ])('refuses %s with unsupported_file, saying what to save it as', async (_, parts, what) => {
    const files = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, strToU8(v)]));
    const [issue] = refusal(await validateFile(zipSync(files)));
    expect(issue?.[0]).toBe('unsupported_file');
    expect(issue?.[1]).toContain(`This file is ${what}`);
    expect(issue?.[1]).toContain('pick "Excel Workbook (*.xlsx)" or "CSV UTF-8 (Comma delimited) (*.csv)"');
  });

  it('refuses an .xls or password-protected workbook (an OLE compound file), saying to remove the password', async () => {
    const ole = new Uint8Array(512);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const [issue] = refusal(await validateFile(ole));
    expect(issue?.[0]).toBe('unsupported_file');
    expect(issue?.[1]).toContain('a workbook protected by a password (remove it first under File > Info > Protect Workbook)');
  });
});
