// Claim due outbox entries in ONE rw transaction, so two passes (or a pass and a restarted
// worker) can never take the same entry, and a probe's breaker reservation commits with it.
//
// An entry still 'inflight' after its claim expired belongs to a worker that died mid-call (the
// service worker was killed, the browser closed): the CRM may or may not have committed it, so
// it comes back as pending with `unknownOutcome` and is reconciled before anything is re-sent.
// Per customer and connection, entries go one at a time, and everything but customer.create
// waits until the link has the customer's remote id.
import Dexie from 'dexie';
import type { LiaisonDb } from '../db/db';
import { breakerDecision, loadBreaker, onProbe, saveBreaker, type BreakerOptions, type BreakerState } from './breaker';
import { customerIdOf, needsRemoteCustomer, waitsForTicket, type SyncEntry } from './entry';
import { gateOpensAt, loadGate } from './gate';
import { refreshLink } from './link-state';

export interface ClaimOptions {
  now: number;
  /** Connections that can run now (enabled, adapter available) → how many entries may be in flight at once. */
  runnable: ReadonlyMap<string, number>;
  /** Longer than any call can take (call timeout + recording), else a live call would be treated as dead. */
  claimTtlMs: number;
  maxAttempts: number;
  breaker: BreakerOptions;
  newToken?: () => string;
  /** A claim token of another (dead) worker instance: recover it now instead of after claimTtlMs. */
  isForeignClaim?: (token: string) => boolean;
}

export interface Claim {
  entry: SyncEntry;
  token: string;
  /** Undefined when the entry's record is gone (execute then skips it). */
  customerId: string | undefined;
  /** The one request a half-open breaker lets through. */
  probe: boolean;
}

export interface ClaimResult {
  claims: Claim[];
  /** Stale claims turned back into pending unknown-outcome entries. */
  recovered: number;
}

// Most passes claim one entry per connection: read a few rows first, more only when they were all blocked.
const FIRST_PAGE = 8;
const MAX_PAGE = 256;

export async function claimDue(db: LiaisonDb, o: ClaimOptions): Promise<ClaimResult> {
  const tables = [db.outbox, db.links, db.kv, db.followUps, db.deals, db.reminders, db.tickets];
  return db.transaction('rw', tables, async () => {
    const recovered = await recoverStale(db, o);

    // What is still legitimately in flight limits concurrency and per-customer ordering.
    const live = (await db.outbox
      .where('[state+nextAttemptAt]')
      .between(['inflight', o.now], ['inflight', Dexie.maxKey], false, true)
      .toArray()) as SyncEntry[];
    const capacity = new Map<string, number>();
    for (const [id, n] of o.runnable) capacity.set(id, n);
    const busy = new Set<string>();
    const customerOf = new Map<string, string | undefined>();
    const custId = async (e: SyncEntry) => {
      if (!customerOf.has(e.id)) customerOf.set(e.id, await customerIdOf(db, e));
      return customerOf.get(e.id);
    };
    for (const e of live) {
      const n = capacity.get(e.connectionId);
      if (n !== undefined) capacity.set(e.connectionId, n - 1);
      const c = await custId(e);
      if (c) busy.add(`${e.connectionId}|${c}`);
    }

    const breakers = new Map<string, BreakerState>();
    const gateClosed = new Set<string>();
    for (const id of o.runnable.keys()) {
      const gate = await loadGate(db, id);
      if (gateOpensAt(gate, o.now) !== undefined) gateClosed.add(id);
      breakers.set(id, await loadBreaker(db, id));
    }
    const hasRoom = (id: string) => !gateClosed.has(id) && (capacity.get(id) ?? 0) > 0 && breakerDecision(breakers.get(id)!, o.now) !== 'deny';
    const anyRoom = () => [...o.runnable.keys()].some(hasRoom);

    const claims: Claim[] = [];
    const newToken = o.newToken ?? (() => crypto.randomUUID());
    // Scan due entries oldest-due first, a page at a time, until every connection is full.
    // Claimed rows are written after the scan so the offsets stay valid.
    for (let offset = 0, size = FIRST_PAGE; anyRoom(); offset += size, size = Math.min(MAX_PAGE, size * 2)) {
      const page = (await db.outbox
        .where('[state+nextAttemptAt]')
        .between(['pending', Dexie.minKey], ['pending', o.now], true, true)
        .offset(offset)
        .limit(size)
        .toArray()) as SyncEntry[];
      if (page.length === 0) break;
      for (const e of page) {
        const conn = e.connectionId;
        if (!o.runnable.has(conn) || !hasRoom(conn)) continue;
        const customerId = await custId(e);
        const key = `${conn}|${customerId}`;
        if (customerId && busy.has(key)) continue;
        if (customerId && needsRemoteCustomer(e) && !(await db.links.get([customerId, conn]))?.remoteId) continue;
        if (await waitsForTicket(db, e)) continue;

        const b = breakers.get(conn)!;
        const probe = breakerDecision(b, o.now) === 'probe';
        if (probe) {
          // Reserve the probe slot now, in this transaction: a worker killed during the probe
          // cannot make the next one come sooner than probeIntervalMs.
          const next = onProbe(b, o.now, o.breaker);
          breakers.set(conn, next);
          await saveBreaker(db, conn, next);
          capacity.set(conn, 0); // the probe goes alone
        } else {
          capacity.set(conn, (capacity.get(conn) ?? 0) - 1);
        }
        if (customerId) busy.add(key);
        const token = newToken();
        claims.push({ entry: { ...e, state: 'inflight', claimToken: token, claimedAt: o.now, nextAttemptAt: o.now + o.claimTtlMs }, token, customerId, probe });
      }
    }
    if (claims.length > 0) await db.outbox.bulkPut(claims.map((c) => c.entry));
    return { claims, recovered };
  });
}

/** Expired claims: the attempt counts (it may have been sent) and its outcome is unknown. */
async function recoverStale(db: LiaisonDb, o: ClaimOptions): Promise<number> {
  const foreign = o.isForeignClaim;
  const stale = foreign
    ? ((await db.outbox.where('state').equals('inflight').toArray()) as SyncEntry[]).filter(
        (e) => e.nextAttemptAt <= o.now || (typeof e.claimToken === 'string' && foreign(e.claimToken)),
      )
    : ((await db.outbox
        .where('[state+nextAttemptAt]')
        .between(['inflight', Dexie.minKey], ['inflight', o.now], true, true)
        .toArray()) as SyncEntry[]);
  for (const e of stale) {
    const attempts = e.attempts + 1;
    const { claimToken: _t, claimedAt: _c, ...rest } = e;
    const dead = attempts >= o.maxAttempts;
    const next: SyncEntry = {
      ...rest,
      attempts,
      unknownOutcome: true,
      state: dead ? 'failed' : 'pending',
      nextAttemptAt: o.now,
      lastError: dead ? 'unknown-outcome: the worker stopped mid-call too many times; check the CRM, then retry' : 'unknown-outcome: the worker stopped mid-call',
    };
    await db.outbox.put(next);
    const customerId = await customerIdOf(db, e);
    if (customerId) await refreshLink(db, customerId, e.connectionId);
  }
  return stale.length;
}
