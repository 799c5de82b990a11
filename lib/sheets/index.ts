export { parseSheet, cellText, type ParsedSheet, type SheetRow } from './parse';
export { guessMapping, guessField, normalizeHeader, IMPORT_FIELDS, type ImportField, type ColumnMapping } from './mapping';
export { planImport, applyImport, undoImport, getImportRecord, parseAmount, parseDate, IMPORT_KEY_PREFIX, type ImportPlan, type PlannedCreate, type PlannedMerge, type Issue, type IssueCode, type PlanOptions, type ApplyResult, type ImportCounts, type ImportRecord, type UndoResult } from './import';
export { toCsv, toXlsx } from './write';
export { exportRows, formatWall, type ExportKind, type ExportOptions, type ExportTable, type Cell } from './export';
