// The outbox worker: claim due entries (one transaction), call the adapters outside any
// transaction, record each result (another transaction), until nothing is due or the time
// budget is spent; then ask the background for one wake-up at the earliest next due time.
//
// The worker keeps no state that matters across service-worker restarts: everything (claims,
// backoff times, breaker, rate-limit blocks, auth pauses) is in the database, so an alarm after
// a browser restart resumes exactly where a killed worker stopped.
import type { LiaisonDb } from '../db/db';
import { LOCAL_CONNECTION_ID, type Connection } from '../model';
import type { CrmAdapter } from '../crm/port';
import { findSpec } from '../crm/registry';
import { BACKOFF_DEFAULTS } from './backoff';
import { BREAKER_DEFAULTS, breakerGateAt, loadBreaker, type BreakerOptions } from './breaker';
import { claimDue, type Claim } from './claim';
import { liftPauseAndRefresh, retriedEntry } from './entries';
import { customerIdOf, needsRemoteCustomer, waitsForTicket, type SyncEntry } from './entry';
import { executeEntry, WorkerStopped, type ExecOutcome, type Idempotency } from './execute';
import { loadGate } from './gate';
import { recordResult, type RecordResult } from './record';

export interface SyncOptions {
  /** Stop claiming after this long: under MV3's 30 s idle limit, the alarm picks up the rest. */
  budgetMs: number;
  /** Per adapter call; a write that times out is an unknown outcome. */
  callTimeoutMs: number;
  /** A claim older than this belongs to a dead worker. Must exceed callTimeoutMs plus recording. */
  claimTtlMs: number;
  /** Attempts before an entry is failed (target ≤ 8). */
  maxAttempts: number;
  backoff: { baseMs: number; capMs: number; floorMs: number };
  breaker: BreakerOptions;
  /** Done entries are kept this long (debugging, health), then pruned. */
  retainDoneMs: number;
  /**
   * Only one worker instance can exist at a time (an MV3 service worker: a new instance means the
   * old one and its in-flight calls are gone). Then claims made by any other instance are dead at
   * once, and are reconciled without waiting claimTtlMs. Off by default (tests run several instances).
   */
  singleInstance: boolean;
}

export const SYNC_DEFAULTS: SyncOptions = {
  budgetMs: 25_000,
  callTimeoutMs: 20_000,
  claimTtlMs: 60_000,
  maxAttempts: 8,
  backoff: { ...BACKOFF_DEFAULTS },
  breaker: BREAKER_DEFAULTS,
  retainDoneMs: 24 * 3600_000,
  singleInstance: false,
};

export interface SyncWorkerDeps {
  db: LiaisonDb;
  /** The background builds adapters (with secrets); undefined when the kind has none yet: its entries wait. */
  adapterFor(connection: Connection): CrmAdapter | undefined;
  now(): number;
  /** [0, 1), for backoff jitter. */
  random?(): number;
  /** After results are recorded, with the tables that changed (the background refreshes views). */
  onChanged?(tables: string[]): void;
  /** Wake the worker at this time (the background keeps ONE alarm; MV3 rounds up to ≥ 30 s). */
  schedule(atMs: number): Promise<void>;
  /** Entries in flight per connection (default 1: serial writes, which 智邦 and Bitable need). */
  concurrency?: number;
  /** Overrides spec.capabilities.read.conditionalUpdate (CRMs not in the registry, tests). */
  conditionalUpdateOf?(connection: Connection): boolean;
  /** Overrides spec.idempotency (CRMs not in the registry, tests). Unknown kinds default to 'lookup', the safe choice. */
  idempotencyOf?(connection: Connection): Idempotency;
  options?: Partial<SyncOptions>;
  /** Errors of a kick()ed run (the caller has no promise to catch them on). Never gets record data. */
  onError?(error: unknown): void;
  /** Once aborted the worker writes nothing more (tests use it to simulate a killed service worker). */
  signal?: AbortSignal;
}

export interface RunReport {
  claimed: number;
  done: number;
  retried: number;
  failed: number;
  /** Reconciled without sending: found by search, or already linked. */
  reconciled: number;
  /** Stale claims of a dead worker turned back into unknown-outcome entries. */
  recovered: number;
  rateLimited: number;
  paused: number;
  stoppedBy: 'idle' | 'budget' | 'stopped';
  nextWakeAt: number | undefined;
}

export interface RetryFilter {
  connectionId?: string;
  customerId?: string;
}

export interface SyncWorker {
  runOnce(): Promise<RunReport>;
  /** After a local change wrote outbox rows: run soon (coalesced with a run in progress). */
  kick(): void;
  /** The sidebar's / health page's retry: failed entries start over, waiting ones are due now, an auth pause is lifted. Returns how many entries. */
  retryNow(filter: RetryFilter): Promise<number>;
  /** The earliest time something can be done (entry due, breaker probe, stale claim to recover). */
  nextWakeAt(): Promise<number | undefined>;
}

interface Runnable {
  connection: Connection;
  adapter: CrmAdapter;
  idempotency: Idempotency;
  canSearch: boolean;
  conditionalUpdate: boolean;
  concurrency: number;
}

export function createSyncWorker(deps: SyncWorkerDeps): SyncWorker {
  const o: SyncOptions = {
    ...SYNC_DEFAULTS,
    ...deps.options,
    backoff: { ...SYNC_DEFAULTS.backoff, ...deps.options?.backoff },
    breaker: { ...SYNC_DEFAULTS.breaker, ...deps.options?.breaker },
  };
  const { db } = deps;
  /** Marks this instance's claims (see SyncOptions.singleInstance). */
  const instanceId = crypto.randomUUID().slice(0, 8);
  const alive = () => !deps.signal?.aborted;
  let running: Promise<RunReport> | undefined;
  let rerun = false;

  async function runnableConnections(): Promise<Map<string, Runnable>> {
    const out = new Map<string, Runnable>();
    for (const c of await db.connections.toArray()) {
      if (!c.enabled || c.id === LOCAL_CONNECTION_ID) continue;
      const adapter = deps.adapterFor(c);
      if (!adapter) continue;
      const spec = findSpec(c.kind);
      out.set(c.id, {
        connection: c,
        adapter,
        idempotency: deps.idempotencyOf?.(c) ?? spec?.idempotency ?? 'lookup',
        canSearch: spec ? spec.capabilities.findCustomers : true,
        conditionalUpdate: deps.conditionalUpdateOf?.(c) ?? (spec?.capabilities.read as { conditionalUpdate?: boolean } | undefined)?.conditionalUpdate === true,
        concurrency: Math.max(1, deps.concurrency ?? 1),
      });
    }
    return out;
  }

  async function loop(): Promise<RunReport> {
    const start = deps.now();
    const r: RunReport = { claimed: 0, done: 0, retried: 0, failed: 0, reconciled: 0, recovered: 0, rateLimited: 0, paused: 0, stoppedBy: 'idle', nextWakeAt: undefined };
    const tally: Record<RecordResult, (() => void) | undefined> = {
      done: () => r.done++,
      skipped: () => r.done++,
      retry: () => r.retried++,
      relink: () => r.retried++,
      wait: undefined,
      failed: () => r.failed++,
      paused: () => r.paused++,
      'rate-limited': () => r.rateLimited++,
      'lost-claim': undefined,
    };

    outer: do {
      rerun = false;
      // Re-read every pass: a kick may follow a new connection or new credentials.
      const conns = await runnableConnections();
      const runnable = new Map([...conns].map(([id, c]) => [id, c.concurrency]));
      for (;;) {
        if (!alive()) {
          r.stoppedBy = 'stopped';
          break outer;
        }
        if (deps.now() - start >= o.budgetMs) {
          r.stoppedBy = 'budget';
          break outer;
        }
        const { claims, recovered } = await claimDue(db, {
          now: deps.now(),
          runnable,
          claimTtlMs: o.claimTtlMs,
          maxAttempts: o.maxAttempts,
          breaker: o.breaker,
          newToken: () => `${instanceId}:${crypto.randomUUID()}`,
          ...(o.singleInstance ? { isForeignClaim: (token: string) => !token.startsWith(`${instanceId}:`) } : {}),
        });
        r.recovered += recovered;
        if (recovered > 0) deps.onChanged?.(['outbox', 'links']);
        if (claims.length === 0) break;
        r.claimed += claims.length;
        const settled = await Promise.allSettled(claims.map((c) => processOne(c, conns.get(c.entry.connectionId)!)));
        for (const s of settled) {
          if (s.status === 'rejected') throw s.reason;
          if (s.value) tally[s.value]?.();
        }
      }
    } while (rerun && alive());

    if (!alive()) {
      r.stoppedBy = 'stopped';
      return r;
    }
    await db.outbox
      .where('state')
      .equals('done')
      .filter((e) => e.createdAt < deps.now() - o.retainDoneMs)
      .delete();
    r.nextWakeAt = await nextWakeAt();
    // Always leave a wake-up behind: a due entry left by the budget, a backoff, a probe, a claim to recover.
    if (r.nextWakeAt !== undefined) await deps.schedule(r.nextWakeAt);
    return r;

    async function processOne(claim: Claim, run: Runnable): Promise<RecordResult | undefined> {
      let outcome: ExecOutcome;
      try {
        outcome = await executeEntry({
          db,
          claim,
          connection: run.connection,
          adapter: run.adapter,
          idempotency: run.idempotency,
          canSearch: run.canSearch,
          conditionalUpdate: run.conditionalUpdate,
          now: deps.now,
          timeoutMs: o.callTimeoutMs,
          ...(deps.signal ? { signal: deps.signal } : {}),
        });
      } catch (err) {
        if (err instanceof WorkerStopped) return undefined; // the claim expires and is reconciled
        throw err;
      }
      if (!alive()) return undefined; // a killed worker records nothing; same as the real thing
      if (outcome.kind === 'ok' && outcome.reconciled) r.reconciled++;
      const rec = await recordResult({
        db,
        claim,
        connection: run.connection,
        outcome,
        now: deps.now(),
        maxAttempts: o.maxAttempts,
        backoff: { ...o.backoff, ...(deps.random ? { random: deps.random } : {}) },
        breaker: o.breaker,
      });
      if (rec.tables.length > 0) deps.onChanged?.(rec.tables);
      return rec.result;
    }
  }

  async function nextWakeAt(): Promise<number | undefined> {
    const now = deps.now();
    const conns = await runnableConnections();
    const gateAt = new Map<string, number | 'never'>();
    for (const id of conns.keys()) {
      const gate = await loadGate(db, id);
      const b = breakerGateAt(await loadBreaker(db, id));
      gateAt.set(id, gate.paused ? 'never' : Math.max(gate.blockedUntil ?? 0, b ?? 0));
    }
    let best: number | undefined;
    const consider = (t: number) => {
      best = best === undefined ? t : Math.min(best, t);
    };
    const rows = (await db.outbox.where('state').anyOf('pending', 'inflight').toArray()) as SyncEntry[];
    const hasRemote = new Map<string, boolean>();
    for (const e of rows) {
      if (e.state === 'inflight') {
        consider(e.nextAttemptAt); // claim expiry: a dead worker's entry is recovered then
        continue;
      }
      const gate = gateAt.get(e.connectionId);
      if (gate === undefined || gate === 'never') continue; // no adapter / disabled / paused: a user action wakes it
      if (needsRemoteCustomer(e)) {
        const customerId = await customerIdOf(db, e);
        if (customerId) {
          const k = `${customerId}|${e.connectionId}`;
          if (!hasRemote.has(k)) hasRemote.set(k, !!(await db.links.get([customerId, e.connectionId]))?.remoteId);
          // Waits for its customer's create, whose own time is considered.
          if (!hasRemote.get(k)) continue;
        }
      }
      if (await waitsForTicket(db, e)) continue; // its ticket's create, whose own time is considered
      consider(Math.max(e.nextAttemptAt, gate, now));
    }
    return best;
  }

  function runOnce(): Promise<RunReport> {
    if (running) {
      // One loop per worker: a run in progress makes another pass instead.
      rerun = true;
      return running;
    }
    const p = loop().finally(() => {
      running = undefined;
    });
    running = p;
    return p;
  }

  async function retryNow(filter: RetryFilter): Promise<number> {
    const now = deps.now();
    const n = await db.transaction('rw', [db.outbox, db.links, db.kv, db.followUps, db.deals, db.reminders, db.tickets], async () => {
      const candidates = (
        filter.connectionId
          ? await db.outbox.where('connectionId').equals(filter.connectionId).toArray()
          : await db.outbox.where('state').anyOf('pending', 'failed').toArray()
      ) as SyncEntry[];
      const touched = new Map<string, Set<string>>(); // connection → customers
      let count = 0;
      for (const e of candidates) {
        if (e.state !== 'pending' && e.state !== 'failed') continue;
        const customerId = await customerIdOf(db, e);
        if (filter.customerId && customerId !== filter.customerId) continue;
        const next = retriedEntry(e, now);
        if (!next) continue;
        await db.outbox.put(next);
        count++;
        const set = touched.get(e.connectionId) ?? new Set<string>();
        if (customerId) set.add(customerId);
        touched.set(e.connectionId, set);
      }
      if (filter.connectionId && !touched.has(filter.connectionId)) touched.set(filter.connectionId, new Set());
      // The user reconnected or asked to retry: a paused connection is tried again.
      for (const [conn, customers] of touched) await liftPauseAndRefresh(db, conn, customers);
      return count;
    });
    if (n > 0) deps.onChanged?.(['outbox', 'links']);
    kick();
    return n;
  }

  function kick(): void {
    runOnce().catch((err: unknown) => deps.onError?.(err));
  }

  return { runOnce, kick, retryNow, nextWakeAt };
}
