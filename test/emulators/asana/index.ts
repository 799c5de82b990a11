export { startAsanaEmulator, type AsanaEmulator, type AsanaEmulatorOptions, type RequestLogEntry } from './server';
export { COLLEAGUE, ME, WS_PAID, WS_FREE, P_SUPPORT, P_DEV, P_ARCHIVED, P_READONLY, P_FREE, F_PRIORITY, F_CHANNEL, F_ORDER, F_AMOUNT, F_VISIT, F_SCORE, F_CATEGORY } from './state';
