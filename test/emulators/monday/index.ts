// monday.com emulator for contract tests: see server.ts.
export { startMondayEmulator } from './server';
export type { MondayEmulator, MondayEmulatorOptions, RequestLogEntry } from './server';
export type { EmBoard, EmItem, EmUpdate, Json } from './store';
