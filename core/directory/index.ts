// Directory onboarding (issue #9): spreadsheet imports of units, agencies, people and
// regulators, their templates, reports and exports.
export { importDirectory, mapHeader, type ImportOptions, type ImportSummary, type RejectedRow } from './import';
export { readSheet, requireFormat, formatOfFileName, cellText, type SheetFormat, type SheetRow } from './read-rows';
export { readCsv } from './csv';
export { writeTemplate, writeReport, writeExport } from './workbooks';
export { KINDS, KIND_SLUGS, kindBySlug } from './kinds';
export type { KindSpec, ColumnSpec, ExportOptions } from './types';
export { readWorkbook, writeWorkbookTemplate, writeWorkbookReport, kindOfSheet, type WorkbookSheet } from './workbook';
export { checkDirectory, type DirectoryCheck } from './check';
