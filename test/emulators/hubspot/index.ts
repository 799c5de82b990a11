// HubSpot emulator for contract tests: see server.ts.
export { startHubspotEmulator, ALL_SCOPES } from './server';
export type { HubspotEmulator, HubspotEmulatorControl, HubspotEmulatorOptions, InjectedFault, PolicyFault, RateLimitPolicy } from './server';
export { ASSOCIATION_TYPES, OBJECT_TYPES } from './state';
export type { EmulatorState, EmObject, EmOwner, ObjectType, RequestLogEntry, PropDef } from './state';
export { SEARCH_LIMITS, BATCH_MAX } from './routes';
