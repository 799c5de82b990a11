// Dataverse (Dynamics 365) environment + Entra sign-in emulator for contract and fault tests: see server.ts.
export { startDynamicsEmulator, DEFAULT_REDIRECT_URI, USER, ORG } from './server';
export type { DynamicsEmulator, DynamicsEmulatorOptions, DvRow, RequestLogEntry, PolicyFault } from './server';
export { parseFilter, matches, ODataError } from './odata';
export { GRANT_LIFETIME_MS } from './oauth';
