/**
 * rollcall's testing kit (`rollcall/testing`): fast-check arbitraries built from any schema, and the
 * conformance suites a store or mailer adapter runs to show it keeps rollcall's contract.
 */
export { chunkings } from './chunkings.js';
export { emailAddress, invalidEmailAddress } from './emails.js';
export { excelFile } from './excel-file.js';
export type { ExcelDialect, ExcelFile, ExcelFileOptions } from './excel-file.js';
export { excelRow } from './excel-row.js';
export { expectedResults } from './expected-results.js';
export type { ExpectedResult } from './expected-results.js';
export { fileRows } from './file-rows.js';
export type { FileRowsOptions } from './file-rows.js';
export { invalidRow } from './invalid-row.js';
export { personName } from './names.js';
export type { ColumnArbitraries, ExpectedIssue, ExpectedRow, InvalidCell, RowCells, RowOptions } from './row-options.js';
export { validRow } from './valid-row.js';
export { validatedValue } from './validated-value.js';
export { describeStoreConformance } from './store-conformance.js';
export type { ConformanceRunner, StoreUnderTest } from './store-conformance.js';
export { canEncodeWindows1252, encodeText } from './text.js';
export type { Charset, DialectEncoding } from './text.js';
export { describeMailerConformance } from './mailer-conformance.js';
export type { MailerUnderTest, ReceivedMessage } from './mailer-conformance.js';
