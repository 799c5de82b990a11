// Airtable Web API emulator for contract tests: see server.ts (sources and dates there).
export { startAirtableEmulator } from './server';
export type { AirtableEmulator, AtTable, AtField, RequestLogEntry, PolicyFault } from './server';
export { parseFormula, evaluate, FormulaError } from './formula';
