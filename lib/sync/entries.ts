// The sync-health page's rows for one connection (what is queued, in flight, failed, and for
// which customer), and the page's per-entry actions: retry one entry, discard a failed one.
//
// Rows carry the op, state, attempts, times, the technical last error and the customer's name
// and code (so the user knows which record it is); never record contents or secrets.
import type { LiaisonDb } from '../db/db';
import type { OutboxEntry } from '../model';
import { customerIdOf, customersWithActiveEntries, entriesOfCustomer, type SyncEntry } from './entry';
import { CANNOT_VERIFY } from './execute';
import { loadGate, saveGate } from './gate';
import { refreshLink } from './link-state';

export type HealthEntryState = 'pending' | 'inflight' | 'failed';

export interface HealthEntry {
  id: string;
  op: OutboxEntry['op'];
  state: HealthEntryState;
  attempts: number;
  createdAt: number;
  /** pending: when it is sent next; inflight: when its claim expires. */
  nextAttemptAt: number;
  /**
   * failed: when it failed, as far as the row tells. The worker stores no failure time: a
   * failed row keeps its last claim's deadline (at most claimTtlMs after the call), capped at now.
   */
  failedAt?: number;
  lastError?: string;
  /** The next attempt looks the record up in the CRM first (a previous attempt may have reached it). */
  reconcile?: boolean;
  /** Absent when the record (or its customer) was deleted since. */
  customer?: { id: string; name: string; code: string };
}

export interface EntryTotals {
  queued: number;
  inflight: number;
  failed: number;
}

export interface ConnectionEntries {
  /** Failed entries (latest first), then in flight, then pending (next due first); each group at most `limit` rows. */
  entries: HealthEntry[];
  /** Counts over all rows, for "+N more". */
  total: EntryTotals;
}

export const ENTRY_LIST_LIMIT = 200;

const ORDER: Record<HealthEntryState, number> = { failed: 0, inflight: 1, pending: 2 };

export async function connectionEntries(db: LiaisonDb, connectionId: string, now: number, limit = ENTRY_LIST_LIMIT): Promise<ConnectionEntries> {
  return db.transaction('r', [db.outbox, db.customers, db.followUps, db.deals, db.reminders, db.tickets], async () => {
    const rows = (await db.outbox
      .where('connectionId')
      .equals(connectionId)
      .filter((e) => e.state !== 'done')
      .toArray()) as SyncEntry[];
    const failedAt = (e: SyncEntry) => Math.min(e.nextAttemptAt, now);
    const byState = (s: HealthEntryState) => rows.filter((e) => e.state === s);
    const failed = byState('failed').sort((a, b) => failedAt(b) - failedAt(a) || b.createdAt - a.createdAt);
    const inflight = byState('inflight').sort((a, b) => a.nextAttemptAt - b.nextAttemptAt);
    const pending = byState('pending').sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.createdAt - b.createdAt);
    const shown = [...failed.slice(0, limit), ...[...inflight, ...pending].slice(0, limit)];

    const customers = await customersOf(db, shown);
    const entries = shown.map((e): HealthEntry => {
      const c = customers.get(e.id);
      return {
        id: e.id,
        op: e.op,
        state: e.state as HealthEntryState,
        attempts: e.attempts,
        createdAt: e.createdAt,
        nextAttemptAt: e.nextAttemptAt,
        ...(e.state === 'failed' ? { failedAt: failedAt(e) } : {}),
        ...(e.lastError !== undefined ? { lastError: e.lastError } : {}),
        ...(e.unknownOutcome ? { reconcile: true } : {}),
        ...(c ? { customer: { id: c.id, name: c.name, code: c.code } } : {}),
      };
    });
    entries.sort((a, b) => ORDER[a.state] - ORDER[b.state]); // stable: keeps each group's order
    return { entries, total: { queued: pending.length, inflight: inflight.length, failed: failed.length } };
  });
}

/** Entry id → its customer, with one bulk read per table. */
async function customersOf(db: LiaisonDb, rows: SyncEntry[]) {
  const ids = (table: OutboxEntry['entity']['table']) => [...new Set(rows.filter((e) => e.entity.table === table).map((e) => e.entity.id))];
  const [followUps, deals, reminders, tickets] = await Promise.all([db.followUps.bulkGet(ids('followUps')), db.deals.bulkGet(ids('deals')), db.reminders.bulkGet(ids('reminders')), db.tickets.bulkGet(ids('tickets'))]);
  const parent = new Map<string, string>();
  for (const r of [...followUps, ...deals, ...reminders, ...tickets]) if (r) parent.set(r.id, r.customerId);
  const customerIdOfRow = (e: SyncEntry) => (e.entity.table === 'customers' ? e.entity.id : parent.get(e.entity.id));
  const customerIds = [...new Set(rows.map(customerIdOfRow).filter((id): id is string => id !== undefined))];
  const found = new Map((await db.customers.bulkGet(customerIds)).filter((c) => c !== undefined).map((c) => [c.id, c]));
  const out = new Map<string, { id: string; name: string; code: string }>();
  for (const e of rows) {
    const id = customerIdOfRow(e);
    const c = id !== undefined ? found.get(id) : undefined;
    if (c) out.set(e.id, c);
  }
  return out;
}

/**
 * The entry as "retry" leaves it (the same rule as the worker's retryNow): a failed entry starts
 * over (pending, attempts 0, due now; its last error stays visible while it waits) and keeps the
 * reconcile flag, except after "cannot verify", where the user was asked to check the CRM
 * first; a waiting entry skips its backoff. Undefined for states retry does not touch.
 */
export function retriedEntry(e: SyncEntry, now: number): SyncEntry | undefined {
  if (e.state === 'failed') {
    const { unknownOutcome, lastError, ...rest } = e;
    const keepUnknown = unknownOutcome && !lastError?.includes(CANNOT_VERIFY);
    return { ...rest, state: 'pending', attempts: 0, nextAttemptAt: now, ...(keepUnknown ? { unknownOutcome: true } : {}), ...(lastError ? { lastError } : {}) };
  }
  // Backoff is skipped, not a rate-limit block or the breaker: claim still honours those.
  if (e.state === 'pending') return { ...e, nextAttemptAt: Math.min(e.nextAttemptAt, now) };
  return undefined;
}

/**
 * After entries were set to go again (inside the caller's transaction): a connection paused by
 * an auth failure is tried again (another failure pauses it again), and the links of the
 * customers concerned show 待同步 at once.
 */
export async function liftPauseAndRefresh(db: LiaisonDb, connectionId: string, customers: Set<string>): Promise<void> {
  const gate = await loadGate(db, connectionId);
  if (gate.paused) {
    const { paused: _p, ...rest } = gate;
    await saveGate(db, connectionId, rest);
    for (const id of await customersWithActiveEntries(db, connectionId)) customers.add(id);
  }
  for (const id of customers) await refreshLink(db, id, connectionId);
}

export type EntryActionResult = { ok: true; connectionId: string } | { ok: false; reason: 'not-found' | 'state'; state?: OutboxEntry['state'] };

const TABLES = (db: LiaisonDb) => [db.outbox, db.links, db.kv, db.followUps, db.deals, db.reminders, db.tickets];

/**
 * Retry one entry now (the page's per-row retry). Like "retry all", it lifts an auth pause of
 * the connection: the user asked to try again; another auth failure pauses again.
 */
export async function retryEntry(db: LiaisonDb, entryId: string, now: number): Promise<EntryActionResult> {
  return db.transaction('rw', TABLES(db), async () => {
    const e = (await db.outbox.get(entryId)) as SyncEntry | undefined;
    if (!e) return { ok: false, reason: 'not-found' };
    const next = retriedEntry(e, now);
    if (!next) return { ok: false, reason: 'state', state: e.state };
    await db.outbox.put(next);
    const customerId = await customerIdOf(db, e);
    await liftPauseAndRefresh(db, e.connectionId, new Set(customerId ? [customerId] : []));
    return { ok: true, connectionId: e.connectionId };
  });
}

export const DISCARDED = 'discarded by user';
export const DISCARDED_WITH_CUSTOMER = "discarded by user with the customer's create";

/**
 * Give up on a failed entry: it is marked done (kept for the record with the reason, pruned
 * with the other done rows) and the customer's link state recomputed, in one transaction.
 * Only failed entries: a waiting one may still be sent, one in flight may already be at the CRM.
 */
export async function discardEntry(db: LiaisonDb, entryId: string): Promise<EntryActionResult> {
  return db.transaction('rw', TABLES(db), async () => {
    const e = (await db.outbox.get(entryId)) as SyncEntry | undefined;
    if (!e) return { ok: false, reason: 'not-found' };
    if (e.state !== 'failed') return { ok: false, reason: 'state', state: e.state };
    const { unknownOutcome: _u, ...rest } = e;
    await db.outbox.put({ ...rest, state: 'done', lastError: DISCARDED });
    const customerId = await customerIdOf(db, e);
    if (customerId && e.op === 'customer.create') {
      // Without the customer on that CRM its follow-ups, deals and tasks there can never go:
      // they are given up with it, and the link that never got a remote id is removed, so the
      // sidebar stops showing a CRM this customer is not in.
      for (const other of await entriesOfCustomer(db, customerId, e.connectionId)) {
        if (other.id === e.id || other.state === 'done' || other.state === 'inflight') continue;
        const { unknownOutcome: _o, claimToken: _t, claimedAt: _c, ...r } = other;
        await db.outbox.put({ ...r, state: 'done', lastError: DISCARDED_WITH_CUSTOMER });
      }
      const link = await db.links.get([customerId, e.connectionId]);
      if (link && link.remoteId === undefined) {
        await db.links.delete([customerId, e.connectionId]);
        return { ok: true, connectionId: e.connectionId };
      }
    }
    if (customerId) await refreshLink(db, customerId, e.connectionId);
    return { ok: true, connectionId: e.connectionId };
  });
}
