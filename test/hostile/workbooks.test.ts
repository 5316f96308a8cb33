import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { ErrorSummary } from '../../src/report/summary.js';
import { validateFile } from '../../src/validate/validate-rows.js';
import { ods } from '../helpers/ods.js';
import { usersWorkbook, xlsx } from '../helpers/xlsx.js';
import { numRuns } from './helpers.js';

const header = ['First Name', 'Last Name', 'Email'];
const book = usersWorkbook([header, ['Ada', 'Lovelace', 'ada@example.com'], ['Zoë', 'Ångström', 'zoe@example.com']]);
const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

/** A summary is either a read sheet, or one file-level refusal with no rows. */
function expectReadOrRefused(summary: ErrorSummary): void {
  const fileErrors = summary.errors.filter((e) => e.row === null && e.column === null);
  const refused = fileErrors.some((e) => e.code === 'unreadable_workbook' || e.code === 'unsupported_file' || e.code === 'file_too_large');
  if (refused) {
    expect(summary.errors).toHaveLength(1);
    expect(summary.rowCount).toBe(0);
  }
  for (const issue of summary.errors) expect(issue.message).not.toBe('');
}

/** XML pieces that break readers: tags of the sheet, entities, DOCTYPEs, CDATA, stray text. */
const xmlPiece = fc.constantFrom(
  '<row r="1">', '</row>', '<row>', '<c r="A1" t="s">', '<c t="inlineStr">', '<c r="XFD9" t="e">', '<c>', '</c>', '<v>', '</v>', '<is><t>', '</t></is>',
  '0', '1e308', '-1', '99999999999999999999', '#N/A', '&amp;', '&lol;', '&#0;', '&#x1F600;', '<![CDATA[x]]>',
  '<!DOCTYPE x>', '<?pi?>', '<!-- c -->', '_x000D_', '<', '>', '"', ' ', '<sheetData>', '</sheetData>', '<r><t>a</t></r>',
);
const sheetXml = fc.array(xmlPiece, { maxLength: 80 }).map((pieces) => `<?xml version="1.0"?><worksheet xmlns="${main}"><sheetData>${pieces.join('')}</sheetData></worksheet>`);

describe('hostile workbooks: never a throw', () => {
  it('arbitrary bytes behind a zip signature', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (tail) => {
        const bytes = new Uint8Array(4 + tail.length);
        bytes.set([0x50, 0x4b, 0x03, 0x04]);
        bytes.set(tail, 4);
        expectReadOrRefused(await validateFile(bytes));
      }),
      { numRuns },
    );
  });

  it('a workbook truncated anywhere, or with bytes changed anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: book.length }),
        fc.array(fc.tuple(fc.nat({ max: book.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        async (cut, changes) => {
          const bytes = book.slice(0, cut);
          for (const [at, value] of changes) if (at < bytes.length) bytes[at] = value;
          expectReadOrRefused(await validateFile(bytes));
        },
      ),
      { numRuns },
    );
  });

  it('arbitrary XML as the worksheet, the shared strings or the workbook part', async () => {
    await fc.assert(
      fc.asyncProperty(sheetXml, fc.constantFrom('xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml', 'xl/workbook.xml', 'xl/styles.xml'), async (xml, part) => {
        const bytes = xlsx({ sheets: [{ name: 'Sheet1', rows: [header] }], parts: { [part]: xml } });
        expectReadOrRefused(await validateFile(bytes));
      }),
      { numRuns },
    );
  });

  it('arbitrary table XML in an .ods, with repeats of any size', async () => {
    const piece = fc.constantFrom(
      '<table:table-row>', '</table:table-row>', '<table:table-row table:number-rows-repeated="1048576">', '<table:table-row table:number-rows-repeated="-3">',
      '<table:table-cell>', '</table:table-cell>', '<table:table-cell table:number-columns-repeated="16384">', '<table:table-cell table:number-columns-repeated="99999999999">',
      '<table:table-cell office:value-type="float" office:value="1e400">', '<table:table-cell office:value-type="date" office:date-value="x">', '<table:table-cell table:formula="of:=1/0">',
      '<text:p>', '</text:p>', '<text:s text:c="1000000"/>', '#N/A', 'Ada', 'ada@example.com', '<office:annotation>', '</office:annotation>', '<table:table table:name="B">', '</table:table>',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 80 }), async (pieces) => {
        expectReadOrRefused(await validateFile(ods([{ name: 'A', xml: pieces.join('') }])));
      }),
      { numRuns },
    );
  });

  it('zips of arbitrary parts', async () => {
    const names = fc.constantFrom('[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/worksheets/sheet1.xml', 'content.xml', 'xl/workbook.bin');
    await fc.assert(
      fc.asyncProperty(fc.dictionary(names, fc.string({ maxLength: 200 })), async (parts) => {
        const files = Object.fromEntries(Object.entries(parts).map(([name, text]) => [name, strToU8(text)]));
        expectReadOrRefused(await validateFile(zipSync(files)));
      }),
      { numRuns },
    );
  });
});
