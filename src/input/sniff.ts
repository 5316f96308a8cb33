/** The kinds of file that are not CSV but that admins upload by mistake, recognised by their first bytes. */
export type FileKind = 'xlsx' | 'xls' | 'pdf' | 'gzip' | '7z' | 'rar' | 'png' | 'jpeg' | 'gif';

/** A file recognised as something other than text. */
export interface SniffResult {
  readonly kind: FileKind;
  /** What the file is, in words an admin understands, to complete "This file is …". */
  readonly description: string;
}

/** How many bytes from the start of a file {@link sniffFileType} needs to recognise every kind it knows. */
export const sniffLength = 8;

interface Signature {
  readonly bytes: readonly number[];
  readonly kind: FileKind;
  readonly description: string;
}

const xlsx = 'a zip archive (an Excel workbook is one)';

/**
 * Magic numbers of files that cannot be CSV text. Each is certain: no CSV a spreadsheet writes starts with
 * these bytes (they begin with control characters or bytes that are not text in any encoding rollcall reads,
 * or, for `%PDF-`, `GIF8`, `Rar!`, with text no header row starts with).
 */
const signatures: readonly Signature[] = [
  // .xlsx, .ods and .numbers are zip archives, read as workbooks; 05 06 is an empty archive, 07 08 a spanned one.
  { bytes: [0x50, 0x4b, 0x03, 0x04], kind: 'xlsx', description: xlsx },
  { bytes: [0x50, 0x4b, 0x05, 0x06], kind: 'xlsx', description: xlsx },
  { bytes: [0x50, 0x4b, 0x07, 0x08], kind: 'xlsx', description: xlsx },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    kind: 'xls',
    description:
      'an Excel 97–2003 workbook (.xls), a workbook protected by a password (remove it first under File > Info > Protect Workbook), or another older Office document',
  },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], kind: 'pdf', description: 'a PDF document' },
  { bytes: [0x1f, 0x8b, 0x08], kind: 'gzip', description: 'a compressed file (.gz)' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], kind: '7z', description: 'a compressed file (.7z)' },
  { bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], kind: 'rar', description: 'a compressed file (.rar)' },
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], kind: 'png', description: 'an image (.png)' },
  { bytes: [0xff, 0xd8, 0xff], kind: 'jpeg', description: 'an image (.jpg)' },
  { bytes: [0x47, 0x49, 0x46, 0x38], kind: 'gif', description: 'an image (.gif)' },
];

/**
 * Recognises a file that is not CSV text from its first bytes: an Excel workbook, a PDF, an archive, an image.
 *
 * Pass the first {@link sniffLength} bytes of the file, or the whole file when it is shorter. A signature is
 * only recognised in full, so a short text file that happens to start like one (`PK`) is still text.
 *
 * @returns what the file is, or `null` when it may be text.
 * @example
 * sniffFileType(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00])); // { kind: 'xlsx', description: '…' }
 * sniffFileType(new TextEncoder().encode('email,name')); // null
 */
export function sniffFileType(head: Uint8Array): SniffResult | null {
  for (const { bytes, kind, description } of signatures) {
    if (head.length >= bytes.length && bytes.every((byte, i) => head[i] === byte)) return { kind, description };
  }
  return null;
}
