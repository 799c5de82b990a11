export { startLinearEmulator, type LinearEmulator, type LinearEmulatorOptions, type RequestLogEntry } from './server';
export { ORG, PRIORITIES } from './state';
