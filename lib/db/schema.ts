// The "liaison" database's name and its schema versions, apart from the Dexie class (./db.ts) so
// that something measuring the database (bench/worker-start.ts's minimal worker) can open the same
// schema without the upgrade code's dependencies (search keys: pinyin, phone metadata).
//
// Schema history is append-only: never edit a shipped version, add a new one (see ./db.ts).

export const DB_NAME = 'liaison';

/** v1 (2026-11-21): the data model of ARCHITECTURE.md. */
export const SCHEMA_V1 = {
  customers: 'id, code, name, *phones, wechatId, email, stage, nextFollowUpAt, updatedAt, createdAt',
  identities: '[site+key], customerId',
  links: '[customerId+connectionId], connectionId, syncState, [connectionId+syncState]',
  followUps: 'id, customerId, [customerId+at], at',
  deals: 'id, customerId, status, createdAt',
  reminders: 'id, customerId, state, fireAt, [state+fireAt]',
  outbox: 'id, state, [state+nextAttemptAt], connectionId, idempotencyKey, [entity.table+entity.id]',
  connections: 'id, kind',
  secrets: 'connectionId',
  kv: 'key',
  counters: 'key',
} as const;

/** v2 (2026-11-21): customers get `searchKeys` (name words, pinyin initials and full pinyin, phone digits) indexed multiEntry, for "link to existing" search. */
export const SCHEMA_V2 = {
  ...SCHEMA_V1,
  customers: 'id, code, name, *phones, wechatId, email, stage, nextFollowUpAt, updatedAt, createdAt, *searchKeys',
} as const;

/**
 * v3 (2026-12-06, issue 15: the CRM read back): links findable by remote id per connection;
 * follow-ups and deals by their place in a CRM (remoteRefs, multiEntry), so a pull imports a
 * colleague's row once and never re-imports Liaison's own. New fields are optional: no upgrade.
 */
export const SCHEMA_V3 = {
  ...SCHEMA_V2,
  links: '[customerId+connectionId], connectionId, syncState, [connectionId+syncState], [connectionId+remoteId]',
  followUps: 'id, customerId, [customerId+at], at, *remoteRefs',
  deals: 'id, customerId, status, createdAt, *remoteRefs',
} as const;

/**
 * v4 (2026-12-06, issue 17: tickets): 工单/售后单 beside the chat, by customer and time, by
 * their place in each CRM (remoteRefs, multiEntry: the pull finds a connection's tickets), and by
 * status. A new table: no upgrade.
 */
export const SCHEMA_V4 = {
  ...SCHEMA_V3,
  tickets: 'id, customerId, [customerId+createdAt], status, updatedAt, *remoteRefs',
} as const;
