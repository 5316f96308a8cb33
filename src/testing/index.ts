/**
 * rollcall's testing kit (`rollcall/testing`): fast-check arbitraries built from any schema, and the
 * conformance suites a store or mailer adapter runs to show it keeps rollcall's contract.
 */
export { chunkings } from './chunkings.js';
export { emailAddress, invalidEmailAddress } from './emails.js';
export { excelFile, excelRow, expectedResults } from './excel-file.js';
export type { ExcelDialect, ExcelFile, ExcelFileOptions, ExpectedResult } from './excel-file.js';
export { personName } from './names.js';
export { fileRows, invalidRow, validatedValue, validRow } from './rows.js';
export type { ColumnArbitraries, ExpectedIssue, ExpectedRow, FileRowsOptions, InvalidCell, RowCells, RowOptions } from './rows.js';
export { describeStoreConformance } from './store-conformance.js';
export type { ConformanceRunner, StoreUnderTest } from './store-conformance.js';
export { canEncodeWindows1252, encodeText } from './text.js';
export type { Charset, DialectEncoding } from './text.js';
