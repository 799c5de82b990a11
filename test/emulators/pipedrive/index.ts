export { startPipedriveEmulator, type PipedriveEmulator, type PipedriveEmulatorOptions, type RequestLogEntry } from './server';
