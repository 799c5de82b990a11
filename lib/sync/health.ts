// Per-connection sync health for the sync-health page and the popup: what is queued, in flight,
// failed (grouped by reason), the last success, and whether the breaker, a rate-limit block or
// an auth pause is holding the connection. Reasons are error kinds and technical messages
// (CrmError keeps record data out of them); no customer data is returned.
import type { LiaisonDb } from '../db/db';
import { LOCAL_CONNECTION_ID } from '../model';
import { loadBreaker, type BreakerState } from './breaker';
import { loadGate } from './gate';
import { loadPullState } from './pull';
import type { SyncEntry } from './entry';

export interface ConnectionHealth {
  connectionId: string;
  name: string;
  /** The CRM (spec id), for the page to name it. */
  kind: string;
  enabled: boolean;
  queued: number;
  inflight: number;
  failed: number;
  /** Most frequent first. */
  failures: { reason: string; count: number }[];
  /** The oldest entry still to send (how far behind the CRM is). */
  oldestQueuedAt?: number;
  nextAttemptAt?: number;
  lastSuccessAt?: number;
  lastFailureAt?: number;
  lastError?: string;
  breaker: { state: BreakerState['state']; nextProbeAt?: number };
  /** A 429's reset: no request before this. */
  blockedUntil?: number;
  /** 'auth': the CRM rejected the credentials; reconnect or retry. */
  paused?: 'auth';
  /** When the CRM was last read back successfully (the periodic pull), and why the last pull failed. */
  lastPullAt?: number;
  lastPullError?: string;
}

export async function syncHealth(db: LiaisonDb, now: number): Promise<ConnectionHealth[]> {
  const connections = (await db.connections.toArray()).filter((c) => c.id !== LOCAL_CONNECTION_ID && c.kind !== 'local');
  const rows = (await db.outbox.where('state').anyOf('pending', 'inflight', 'failed').toArray()) as SyncEntry[];
  const out: ConnectionHealth[] = [];
  for (const c of connections) {
    const mine = rows.filter((e) => e.connectionId === c.id);
    const queued = mine.filter((e) => e.state === 'pending');
    const failed = mine.filter((e) => e.state === 'failed');
    const reasons = new Map<string, number>();
    for (const e of failed) {
      const reason = e.lastError ?? 'failed';
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    const [gate, breaker, pull] = await Promise.all([loadGate(db, c.id), loadBreaker(db, c.id), loadPullState(db, c.id)]);
    const min = (xs: number[]) => (xs.length ? Math.min(...xs) : undefined);
    const oldestQueuedAt = min(queued.map((e) => e.createdAt));
    const nextAttemptAt = min(queued.map((e) => e.nextAttemptAt));
    out.push({
      connectionId: c.id,
      name: c.name,
      kind: c.kind,
      enabled: c.enabled,
      queued: queued.length,
      inflight: mine.filter((e) => e.state === 'inflight').length,
      failed: failed.length,
      failures: [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
      ...(oldestQueuedAt !== undefined ? { oldestQueuedAt } : {}),
      ...(nextAttemptAt !== undefined ? { nextAttemptAt } : {}),
      ...(gate.lastSuccessAt !== undefined ? { lastSuccessAt: gate.lastSuccessAt } : {}),
      ...(gate.lastFailureAt !== undefined ? { lastFailureAt: gate.lastFailureAt } : {}),
      ...(gate.lastError !== undefined ? { lastError: gate.lastError } : {}),
      breaker: { state: breaker.state, ...(breaker.nextProbeAt !== undefined ? { nextProbeAt: breaker.nextProbeAt } : {}) },
      ...(gate.blockedUntil !== undefined && gate.blockedUntil > now ? { blockedUntil: gate.blockedUntil } : {}),
      ...(gate.paused ? { paused: 'auth' as const } : {}),
      ...(pull.lastOkAt !== undefined ? { lastPullAt: pull.lastOkAt } : {}),
      ...(pull.lastError !== undefined ? { lastPullError: pull.lastError } : {}),
    });
  }
  return out;
}
