export { startZendeskEmulator, type ZendeskEmulator, type ZendeskEmulatorOptions, type RequestLogEntry } from './server';
