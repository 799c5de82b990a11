// primary-backup's moving parts (seed 004 "if_primary_fails: use_backup, sync_back: true"),
// run by the background after each sync run. Everything it does is writing outbox rows (and
// links) in a transaction; the outbox worker then sends them like any other change, with the
// same idempotency keys and retries. No record is sent by this module itself.
//
// Failover: an entry for the primary that failed past its retry budget with a retryable or
// unknown-outcome error, or the primary's breaker open longer than failoverAfterMinutes, hands
// the customer (and its records the primary has not got) to the backup, and marks the failover
// active so new customers go straight to the backup (decide.ts).
//
// Sync back: once the primary answers again (a success recorded by the worker, or the probe the
// background passes in), the primary's failed entries are set pending again — same idempotency
// key and reconcile flag, so a create that did reach the primary before its reply was lost is
// found, not duplicated — and customers the backup took while the primary was down get the
// primary's create (and their follow-ups / deals) queued.
import type { LiaisonDb } from '../db/db';
import { linkSchema, type OutboxEntry } from '../model';
import { outboxEntry } from '../customers/sync';
import { CLOSED, loadBreaker, saveBreaker } from '../sync/breaker';
import { customerIdOf, entriesOfCustomer, type SyncEntry } from '../sync/entry';
import { loadGate } from '../sync/gate';
import { refreshLink } from '../sync/link-state';
import { getStrategy, loadFailover, saveFailover, type FailoverState } from './schema';

export interface StrategyTaskDeps {
  db: LiaisonDb;
  now: number;
  /**
   * Is this connection up? (the adapter's verify()). Called outside any transaction, at most
   * once per `probeIntervalMs`, only while a failover is active: the primary's own entries are
   * failed or held by the breaker, so nothing else would notice that it came back.
   */
  probe?(connectionId: string): Promise<boolean>;
  probeIntervalMs?: number;
}

export interface StrategyTaskResult {
  /** Customers handed to the backup by this run. */
  failedOver: string[];
  /** Customers queued for the primary again by this run. */
  syncedBack: string[];
  failoverActive: boolean;
  /** Tables written: the background refreshes views and kicks the worker when non-empty. */
  tables: string[];
}

const NOTHING: StrategyTaskResult = { failedOver: [], syncedBack: [], failoverActive: false, tables: [] };

/** record.ts writes lastError as "<kind>: <message>": these kinds mean the CRM looked down, not that the record is bad. */
const OUTAGE = /^(retryable|unknown-outcome):/;
export const failedByOutage = (e: Pick<OutboxEntry, 'state' | 'lastError'>) => e.state === 'failed' && OUTAGE.test(e.lastError ?? '');

const TABLES = (db: LiaisonDb) => [db.outbox, db.links, db.kv, db.customers, db.followUps, db.deals, db.reminders, db.tickets, db.connections];

export async function runStrategyTasks(deps: StrategyTaskDeps): Promise<StrategyTaskResult> {
  const { db, now } = deps;
  const strategy = await getStrategy(db);
  if (strategy.mode !== 'primary-backup') return NOTHING;
  const { primary: P, backup: B } = strategy;
  const failoverMs = strategy.failoverAfterMinutes * 60_000;

  // Phase 1 (one transaction): hand failed records to the backup.
  const phase1 = await db.transaction('rw', TABLES(db), async () => {
    const conns = new Map((await db.connections.toArray()).map((c) => [c.id, c]));
    let state = await loadFailover(db);
    if (state.primary !== P || state.backup !== B) state = { customers: [], primary: P, backup: B };
    const backupOk = conns.get(B)?.enabled === true;
    if (!backupOk) {
      await saveFailover(db, state);
      return { state, failedOver: [] as string[], wrote: false };
    }
    const breaker = await loadBreaker(db, P);
    const gate = await loadGate(db, P);
    const primaryDisabled = conns.get(P)?.enabled !== true;
    const breakerDown = breaker.state !== 'closed' && breaker.openedAt !== undefined && now - breaker.openedAt >= failoverMs;
    const mine = (await db.outbox.where('connectionId').equals(P).toArray()) as SyncEntry[];
    const failed = mine.filter(failedByOutage);
    // Entries held by an open breaker for failoverMs wait too long: the backup takes them as well.
    const stuck = breakerDown || primaryDisabled ? mine.filter((e) => e.state === 'pending' || e.state === 'inflight') : [];
    const recovered = gate.lastSuccessAt !== undefined && gate.lastSuccessAt >= (gate.lastFailureAt ?? 0);
    const down = primaryDisabled || breakerDown || (failed.length > 0 && !recovered);

    const handed = new Set(state.customers);
    const failedOver: string[] = [];
    let wrote = false;
    for (const e of [...failed, ...stuck]) {
      const customerId = await customerIdOf(db, e);
      if (!customerId || !(await db.customers.get(customerId))) continue;
      if (!handed.has(customerId)) {
        handed.add(customerId);
        failedOver.push(customerId);
      }
      if (await copyTo(db, customerId, P, B, now)) wrote = true;
    }
    const next: FailoverState = { ...state, customers: [...handed], ...(down && state.since === undefined ? { since: now } : {}) };
    await saveFailover(db, next);
    return { state: next, failedOver, wrote };
  });

  let state = phase1.state;
  const tables = phase1.wrote ? ['outbox', 'links'] : [];
  if (state.since === undefined && state.customers.length === 0) return { failedOver: phase1.failedOver, syncedBack: [], failoverActive: false, tables };

  // Phase 2: is the primary back? A success the worker recorded since the failover began, else a probe.
  const gate = await loadGate(db, P);
  const since = state.since ?? 0;
  let up = gate.lastSuccessAt !== undefined && gate.lastSuccessAt > since && gate.lastSuccessAt >= (gate.lastFailureAt ?? 0);
  let probed = false;
  const primaryEnabled = (await db.connections.get(P))?.enabled === true;
  if (!up && primaryEnabled && deps.probe && now - (state.lastProbeAt ?? 0) >= (deps.probeIntervalMs ?? 60_000)) {
    probed = true;
    up = await deps.probe(P).catch(() => false);
  }
  if (!up || !primaryEnabled) {
    if (probed) await saveFailover(db, { ...(await loadFailover(db)), lastProbeAt: now });
    return { failedOver: phase1.failedOver, syncedBack: [], failoverActive: state.since !== undefined, tables };
  }

  // Phase 3 (one transaction): sync back, and end the failover.
  const syncedBack = await db.transaction('rw', TABLES(db), async () => {
    state = await loadFailover(db);
    if (!strategy.syncBack) {
      // The user keeps what the backup took there: the primary's failed entries are settled (not
      // left as 同步失败, which would also start the failover again) and its never-made links go.
      for (const id of state.customers) {
        for (const e of await entriesOfCustomer(db, id, P)) {
          if (!failedByOutage(e)) continue;
          const { claimToken: _t, claimedAt: _c, ...rest } = e;
          await db.outbox.put({ ...rest, state: 'done', lastError: `skipped: sent to the backup ${B} (sync back off)` });
        }
        const link = await db.links.get([id, P]);
        if (link && link.remoteId === undefined) await db.links.delete([id, P]);
        else await refreshLink(db, id, P);
      }
      await saveFailover(db, { customers: [], primary: P, backup: B, lastSyncBackAt: now });
      return [] as string[];
    }
    // Customers the backup took: handed over, or created on the backup alone during the failover.
    const onBackupOnly: string[] = [];
    for (const l of await db.links.where('connectionId').equals(B).toArray()) {
      if (await db.links.get([l.customerId, P])) continue;
      const c = await db.customers.get(l.customerId);
      if (c && c.createdAt >= (state.since ?? Infinity)) onBackupOnly.push(c.id);
    }
    const ids = [...new Set([...state.customers, ...onBackupOnly])];
    const out: string[] = [];
    for (const id of ids) {
      if (!(await db.customers.get(id))) continue;
      let touched = false;
      for (const e of await entriesOfCustomer(db, id, P)) {
        if (!failedByOutage(e)) continue;
        // Same row, same key, reconcile flag kept: the worker checks the CRM before re-sending.
        const { claimToken: _t, claimedAt: _c, ...rest } = e;
        await db.outbox.put({ ...rest, state: 'pending', attempts: 0, nextAttemptAt: now });
        touched = true;
      }
      if (await copyTo(db, id, B, P, now)) touched = true;
      await refreshLink(db, id, P);
      if (touched) out.push(id);
    }
    // We just saw the primary answer: no need to wait for the breaker's next probe slot.
    if (probed) await saveBreaker(db, P, CLOSED);
    await saveFailover(db, { customers: [], primary: P, backup: B, lastSyncBackAt: now, ...(probed ? { lastProbeAt: now } : {}) });
    return out;
  });
  return { failedOver: phase1.failedOver, syncedBack, failoverActive: false, tables: [...new Set([...tables, 'outbox', 'links', 'kv'])] };
}

/**
 * Queues for `to` what `from` was asked to hold for this customer and `to` lacks: the customer
 * itself (link + create) and every follow-up / deal / task entity `from` has an entry for.
 * Entities `to` already has an entry for (any state) are skipped, so running twice adds nothing.
 * Returns whether anything was queued.
 */
async function copyTo(db: LiaisonDb, customerId: string, from: string, to: string, now: number): Promise<boolean> {
  let wrote = false;
  const theirs = await entriesOfCustomer(db, customerId, to);
  const has = (table: string, id: string) => theirs.some((e) => e.entity.table === table && e.entity.id === id);
  if (!(await db.links.get([customerId, to]))) {
    await db.links.put(linkSchema.parse({ customerId, connectionId: to, syncState: 'pending' }));
    if (!theirs.some((e) => e.op === 'customer.create' && e.state !== 'done')) {
      await db.outbox.add(outboxEntry('customer.create', { table: 'customers', id: customerId }, to, now));
    }
    wrote = true;
  }
  const ours = await entriesOfCustomer(db, customerId, from);
  const children = new Map<string, OutboxEntry>();
  // Tickets follow the ticket routes, not the customer's primary and backup (a backup CRM may take none).
  for (const e of ours) if (e.entity.table !== 'customers' && e.entity.table !== 'tickets') children.set(`${e.entity.table}:${e.entity.id}`, e);
  // Going back to the primary, follow-ups and deals the backup got only via its own rows count too.
  for (const e of children.values()) {
    if (has(e.entity.table, e.entity.id)) continue;
    await db.outbox.add(outboxEntry(e.op, e.entity, to, now));
    wrote = true;
  }
  if (wrote) await refreshLink(db, customerId, to);
  return wrote;
}
