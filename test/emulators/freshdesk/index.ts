export { startFreshdeskEmulator, type FreshdeskEmulator, type FreshdeskEmulatorOptions, type RequestLogEntry } from './server';
