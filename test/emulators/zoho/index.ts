export { startZohoEmulator, type ZohoEmulator, type ZohoEmulatorOptions } from './server';
