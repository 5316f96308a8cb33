import { strToU8, zipSync } from 'fflate';
import { escapeXml } from './xlsx.js';

/** One table of a test .ods: rows of `<table:table-row>` XML, or of text cells. */
export interface TestTable {
  readonly name: string;
  readonly hidden?: boolean;
  readonly rows?: readonly (readonly string[])[];
  readonly xml?: string;
}

const ns =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ' +
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"';

/** A text cell as LibreOffice writes one. */
export function textCell(text: string): string {
  return `<table:table-cell office:value-type="string"><text:p>${escapeXml(text)}</text:p></table:table-cell>`;
}

/** Builds a small .ods the way LibreOffice lays one out: `mimetype` first and stored, then the content. */
export function ods(tables: readonly TestTable[]): Uint8Array {
  const body = tables
    .map((table) => {
      const rows = table.xml ?? (table.rows ?? []).map((cells) => `<table:table-row>${cells.map(textCell).join('')}</table:table-row>`).join('');
      return `<table:table table:name="${escapeXml(table.name)}" table:style-name="${table.hidden === true ? 'ta2' : 'ta1'}">${rows}</table:table>`;
    })
    .join('');
  const content =
    `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${ns} office:version="1.3"><office:automatic-styles>` +
    '<style:style style:name="ta1" style:family="table"><style:table-properties table:display="true"/></style:style>' +
    '<style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style>' +
    `</office:automatic-styles><office:body><office:spreadsheet>${body}</office:spreadsheet></office:body></office:document-content>`;
  return zipSync({
    mimetype: [strToU8('application/vnd.oasis.opendocument.spreadsheet'), { level: 0 }],
    'content.xml': strToU8(content),
    'META-INF/manifest.xml': strToU8('<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>'),
  });
}
