// Feishu/Lark emulator for contract tests: see server.ts.
export { startFeishuEmulator, DEFAULT_RATE_LIMITS } from './server';
export type { FeishuEmulator, FeishuEmulatorControl, FeishuEmulatorOptions, InjectedFault } from './server';
export { FIELD_TYPES } from './state';
export type { EmulatorState, EmRecord, EmTable, EmUser, RequestLogEntry } from './state';
export { MAX_CONDITIONS } from './filter';
