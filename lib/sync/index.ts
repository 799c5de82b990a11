// The outbox worker: at-least-once delivery of local changes to the connected CRMs, made safe
// by idempotency keys or search-before-create, with backoff, rate-limit blocks, a breaker per
// connection and auth pauses. Background only (no browser APIs here: the background gives the
// worker `schedule` and wires alarms).
export { createSyncWorker, SYNC_DEFAULTS } from './worker';
export type { SyncWorker, SyncWorkerDeps, SyncOptions, RunReport, RetryFilter } from './worker';
export { syncHealth } from './health';
export type { ConnectionHealth } from './health';
export { connectionEntries, retryEntry, discardEntry, retriedEntry, ENTRY_LIST_LIMIT } from './entries';
export type { HealthEntry, EntryTotals, ConnectionEntries, EntryActionResult } from './entries';
export { nextDelay, backoffCeiling, BACKOFF_DEFAULTS } from './backoff';
export type { BackoffOptions } from './backoff';
export { BREAKER_DEFAULTS } from './breaker';
export type { BreakerOptions, BreakerState } from './breaker';
export type { Idempotency } from './execute';
