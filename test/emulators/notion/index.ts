// Notion emulator for contract tests: see server.ts.
export { startNotionEmulator } from './server';
export type { NotionEmulator, NotionEmulatorControl, NotionEmulatorOptions, Capabilities } from './server';
export type { State, RequestLogEntry, EmPage, EmComment } from './state';
