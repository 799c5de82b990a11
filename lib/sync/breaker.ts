// A circuit breaker per CRM connection (Fowler's closed / open / half-open), so an outage costs
// one probe a minute instead of a retry storm from every queued entry.
//
// The state lives in db.kv (one row per connection) because the MV3 service worker is killed
// whenever it idles: an in-memory breaker would forget an outage at every restart and hammer
// the CRM again. Transitions are pure functions; the caller reads and writes the row inside its
// own transaction (claim.ts, record.ts) so a probe claim and its breaker update commit together.
import { z } from 'zod';
import type { LiaisonDb } from '../db/db';
import { lazySchema } from '../model/lazy-schema';

export interface BreakerOptions {
  /** Consecutive retryable failures (within `windowMs`) that open the breaker. */
  threshold: number;
  windowMs: number;
  /** At most one probe per interval while open (target: ≤ 1/min). */
  probeIntervalMs: number;
}
export const BREAKER_DEFAULTS: BreakerOptions = { threshold: 5, windowMs: 60_000, probeIntervalMs: 60_000 };

const breakerSchema = lazySchema(() => z.object({
  state: z.enum(['closed', 'open', 'half-open']),
  /** Times of the consecutive retryable failures since the last success (at most `threshold`). */
  failures: z.array(z.number()).default([]),
  openedAt: z.number().optional(),
  /** Open: when the next probe may start. Half-open: a probe started; another may start at this time if it never reported (killed worker). */
  nextProbeAt: z.number().optional(),
}));
export type BreakerState = z.infer<typeof breakerSchema>;

export const CLOSED: BreakerState = { state: 'closed', failures: [] };

export const breakerKey = (connectionId: string) => `sync:breaker:${connectionId}`;

export async function loadBreaker(db: LiaisonDb, connectionId: string): Promise<BreakerState> {
  const row = await db.kv.get(breakerKey(connectionId));
  const parsed = breakerSchema.safeParse(row?.value);
  // A corrupt row must not wedge a connection: start closed, the next failures re-open it.
  return parsed.success ? parsed.data : CLOSED;
}

export async function saveBreaker(db: LiaisonDb, connectionId: string, s: BreakerState): Promise<void> {
  await db.kv.put({ key: breakerKey(connectionId), value: s });
}

export type BreakerDecision = 'allow' | 'probe' | 'deny';

/** May a request start now? 'probe' means exactly one, and the caller must record it with `onProbe`. */
export function breakerDecision(s: BreakerState, now: number): BreakerDecision {
  if (s.state === 'closed') return 'allow';
  return now >= (s.nextProbeAt ?? 0) ? 'probe' : 'deny';
}

/** A probe was claimed: no other probe before `probeIntervalMs`, even if this worker dies mid-call. */
export function onProbe(s: BreakerState, now: number, o: BreakerOptions = BREAKER_DEFAULTS): BreakerState {
  return { ...s, state: 'half-open', nextProbeAt: now + o.probeIntervalMs };
}

/** The CRM answered (even with a 4xx): it is up. */
export function onResponse(): BreakerState {
  return CLOSED;
}

/** The CRM looked down (5xx, timeout, network error). */
export function onOutage(s: BreakerState, now: number, o: BreakerOptions = BREAKER_DEFAULTS): BreakerState {
  if (s.state !== 'closed') {
    // A failed probe (or a call that was already in flight when the breaker opened): stay open
    // until the next probe slot the claim already reserved.
    return { ...s, state: 'open', nextProbeAt: Math.max(s.nextProbeAt ?? 0, now) };
  }
  const failures = [...s.failures.filter((t) => now - t <= o.windowMs), now].slice(-o.threshold);
  if (failures.length >= o.threshold) return { state: 'open', failures, openedAt: now, nextProbeAt: now + o.probeIntervalMs };
  return { ...s, failures };
}

/** When the breaker next lets a request through, or undefined when closed. */
export function breakerGateAt(s: BreakerState): number | undefined {
  return s.state === 'closed' ? undefined : (s.nextProbeAt ?? 0);
}
