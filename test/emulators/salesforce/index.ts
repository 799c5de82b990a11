// Salesforce org emulator for contract tests: see server.ts.
export { startSalesforceEmulator, EXTERNAL_ID_FIELD, DEFAULT_REDIRECT_URI, API_USER_ID, API_USER_NAME, httpDate } from './server';
export type { SalesforceEmulator, SalesforceEmulatorControl, UserActions, SalesforceEmulatorOptions, EmRecord, RequestLogEntry, Fault, PolicyFault } from './server';
export { parseSoql, parseSosl, QueryError } from './query';
export type { ObjectName } from './objects';
