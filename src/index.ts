// rollcall's public API, listed by name. This entry imports no Node-only module, so it runs in browsers too
// (the web example checks files client-side with it). Importing, adapters and the testing kit are subpaths:
// `rollcall/import`, `rollcall/stores`, `rollcall/mailers`, `rollcall/testing`.

// Schemas: columns, the built-in users schema, header matching.
export { column, defaultUniqueKey } from './schema/column.js';
export type { CellSchema, Column, ColumnDefinition } from './schema/column.js';
export { defineSchema } from './schema/define-schema.js';
export type { Columns, InferRow, Schema } from './schema/define-schema.js';
export { usersSchema } from './schema/users.js';
export { nameSchema } from './schema/name.js';
export { normaliseHeader } from './schema/normalise-header.js';

// Reading files.
export type { InputSource } from './input/source.js';

// Validating.
export { validateFile, validateRows } from './validate/validate-rows.js';
export type { ValidateOptions, ValidationStream } from './validate/validate-rows.js';
export type { RowResult } from './validate/file-validator.js';
export { defaultLimits } from './validate/limits.js';
export type { Limits } from './validate/limits.js';
export { emailKey, emailSchema, normaliseEmail } from './validate/email.js';
export type { EmailOptions } from './validate/email.js';
export type { EmailProblem, EmailResult } from './validate/email-result.js';
export { rollcallIssue } from './validate/zod-params.js';
export type { RollcallIssueParams } from './validate/zod-params.js';
export { defaultMessages } from './validate/messages.js';

// Reporting: issues, the error summary and its views.
export { issueCatalogue, issueCodes, isErrorCode } from './report/codes.js';
export type { IssueCode, IssueCodeInfo } from './report/codes.js';
export type { Issue, IssueContext, MessageFormatter, Messages } from './report/issue.js';
export type { Delimiter, Encoding, ErrorSummary, FileInfo, HeaderMatch } from './report/summary.js';
export { renderText } from './report/render-text.js';
export type { RenderTextOptions } from './report/render-text.js';
export { renderJson } from './report/render-json.js';
export type { ErrorSummaryJson, IssueJson } from './report/render-json.js';
export { csvReportHeader, csvReportRows, renderCsvReport } from './report/render-csv.js';

// Writing CSV: the one formula-safe writer every rollcall file goes through.
export { csvBytes, csvLines, csvLinesAsync, writeCsv } from './csv-out/write-csv.js';
export { formatCsvRow } from './csv-out/format-row.js';
export { isFormulaSafe, neutraliseFormula, restoreFormula } from './csv-out/formula.js';
export type { CsvWriteOptions } from './csv-out/csv-options.js';

// Templates.
export { generateTemplate } from './template/generate-template.js';
export type { Template, TemplateOptions, WorkbookTemplate } from './template/generate-template.js';
export { describeColumns } from './template/describe-columns.js';
export type { ColumnDescription } from './template/describe-columns.js';

// Errors for misuse of the API (bad input is never thrown: it is an Issue).
export { RollcallError, rollcallErrorCodes } from './rollcall-error.js';
export type { RollcallErrorCode } from './rollcall-error.js';
